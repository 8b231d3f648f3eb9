"""Which addresses the kiosk's QR endpoint may draw.

``/kiosk/qr.svg`` is a public, cacheable image on the official domain: drawing any address
would make it a free QR generator that lends the centre's name to a phishing link. It draws
only what a kiosk page can offer to a person's phone:

- an address under ``SITE_URL`` (our own pages and form downloads);
- an address on the national portal, i.e. on the origin of a configured portal template
  (``ONLINE_SERVICE_URL_TEMPLATE``, ``PORTAL_DETAIL_URL_TEMPLATE``) or the portal's home;
- the centre's own phone (``tel:``) and e-mail (``mailto:``);
- an outside address a published page links itself (a procedure's source, a form to fetch
  elsewhere, a legal document's text), compared exactly.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app
from sqlalchemy import exists, select

from app.extensions import db
from app.models import Centre, Document, DocumentCase, LegalDocument, Procedure
from app.presenters import PORTAL_HOME
from app.siteurl import site_root

PORTAL_TEMPLATE_KEYS = ("ONLINE_SERVICE_URL_TEMPLATE", "PORTAL_DETAIL_URL_TEMPLATE")


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower() if parts.scheme and parts.netloc else ""


def _under_site(url: str) -> bool:
    root = site_root()
    return url == root or url.startswith(root + "/") or url.startswith(root + "?")


def _on_portal(url: str) -> bool:
    origins = {_origin(current_app.config.get(key) or "") for key in PORTAL_TEMPLATE_KEYS}
    origins.add(_origin(PORTAL_HOME))
    origins.discard("")
    origin = _origin(url)
    # Compare whole origins: "https://dichvucong.gov.vn.evil.example" is another host.
    return bool(origin) and origin in origins and not urlsplit(url).username


def _centre_contact(url: str) -> bool:
    scheme, _sep, rest = url.partition(":")
    centre = db.session.scalar(select(Centre))
    if centre is None:
        return False
    if scheme == "tel":
        return bool(centre.phone) and rest == centre.phone.replace(" ", "")
    return scheme == "mailto" and bool(centre.email) and rest == centre.email


def _linked_by_a_published_page(url: str) -> bool:
    published = Procedure.published.is_(True)
    queries = (
        select(Procedure.id).where(published, Procedure.source_url == url),
        select(Document.id).join(DocumentCase).join(Procedure)
        .where(published, Document.form_url == url),
        select(LegalDocument.id).where(LegalDocument.url == url),
    )
    return any(db.session.scalar(select(exists(query))) for query in queries)


def may_draw(url: str) -> bool:
    """Whether ``url`` (scheme already checked by the caller) may become a QR code."""
    if url.startswith(("tel:", "mailto:")):
        return _centre_contact(url)
    if _under_site(url) or _on_portal(url):
        return True
    return len(url) <= 500 and _linked_by_a_published_page(url)
