"""The register of legal documents: status on a date, loading, citations, and its pages.

``app.models.legal.LegalDocument`` holds the entries; procedures and fees cite them by number.
"""
