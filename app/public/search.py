"""The HTML search page (built in the search issue)."""
