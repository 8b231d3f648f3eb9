"""/api/v1/search and /api/v1/suggest (built in the search issue)."""
