"""QR codes, drawn on the server: the one place that makes them (no image request, no script,
CSP-safe). Inline SVG for pages (``qr_svg``), an SVG document for the kiosk's hand-off image
(``qr_svg_file``); both black on white with white light modules, so a code stays dark on light
on any background (the kiosk's high contrast is black) and in print."""

from __future__ import annotations

import io

import segno
from markupsafe import Markup, escape

COLOURS = {"dark": "#000", "light": "#fff"}


def _code(data: str) -> segno.QRCode:
    return segno.make(data, error="m")


def qr_svg(url: str, label: str, scale: int = 3) -> Markup:
    """An accessible ``<svg role="img">`` QR code for ``url``, labelled for screen readers.
    Its light modules are painted white, so it stays dark on light on any background (the
    kiosk's high contrast is black)."""
    svg = _code(url).svg_inline(scale=scale, omitsize=True, svgclass="qr", lineclass=None,
                                **COLOURS)
    return Markup(svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" ', 1))


def qr_svg_file(data: str) -> bytes:
    """A scalable SVG document (with its quiet zone) of a QR code for ``data``."""
    out = io.BytesIO()
    _code(data).save(out, kind="svg", border=4, omitsize=True, xmldecl=False, svgclass="qr",
                     lineclass=None, **COLOURS)
    return out.getvalue()
