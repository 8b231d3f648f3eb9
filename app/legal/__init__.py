"""The register of legal documents: status on a date, loading, citations. Its pages are
``app.public.legal`` and ``app.editor.legal_register``.

``app.models.legal.LegalDocument`` holds the entries; procedures and fees cite them by number.
"""
