"""Pictograms for the kiosk's tiles: Lucide icons (``static/vendor/lucide``, ISC licence)
inlined into the page as SVG, so a tile needs no image request, no font and no download.

Which picture a field gets is a presentation choice, keyed by the field's slug; a field the
list does not know (an editor added it) gets a plain document, never a broken image.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from markupsafe import Markup

ICON_DIR = Path(__file__).resolve().parent.parent / "static" / "vendor" / "lucide" / "icons"
DEFAULT = "file-text"
FIELD_ICONS = {
    "ho-tich": "baby",
    "nuoi-con-nuoi": "heart-handshake",
    "chung-thuc": "stamp",
    "ly-lich-tu-phap": "scale",
    "cu-tru": "house",
    "can-cuoc": "id-card",
    "dang-ky-xe": "car",
    "xuat-nhap-canh": "plane",
    "dat-dai": "map",
    "xay-dung": "hammer",
    "dang-ky-kinh-doanh": "store",
    "bao-tro-xa-hoi": "hand-heart",
    "giam-ngheo": "hand-coins",
    "giao-duc": "graduation-cap",
    "bao-hiem-y-te": "heart-pulse",
    "khieu-nai": "message-square-warning",
}
# The file's drawing: everything between the outer <svg …> and </svg>.
_INNER = re.compile(r"<svg\b[^>]*>(.*)</svg>", re.S)


@lru_cache(maxsize=64)
def _drawing(name: str) -> str:
    text = (ICON_DIR / f"{name}.svg").read_text(encoding="utf-8")
    match = _INNER.search(text)
    if match is None:
        raise ValueError(f"{name}.svg holds no <svg> element")
    return " ".join(match.group(1).split())


def pictogram(name: str, css_class: str = "kiosk-pictogram") -> Markup:
    """The icon ``name`` as decorative inline SVG (the tile's text says what it is)."""
    drawing = _drawing(name if (ICON_DIR / f"{name}.svg").is_file() else DEFAULT)
    return Markup(
        f'<svg class="{css_class}" viewBox="0 0 24 24" fill="none" stroke="currentColor" '
        'stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true" '
        f'focusable="false">{drawing}</svg>')


def field_pictogram(slug: str | None) -> Markup:
    return pictogram(FIELD_ICONS.get(slug or "", DEFAULT))
