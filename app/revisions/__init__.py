"""Revisions of a procedure: the write side of editing (save a draft, send for review,
publish), with no forms or views, so the editor's pages, the province-list import
(``app.importlist``) and any command share one path. See ``drafts``."""
