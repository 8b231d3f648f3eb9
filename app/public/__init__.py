"""The citizen-facing site, mounted once per language (``/`` Vietnamese, ``/en`` English) and
again inside the kiosk (``/kiosk``, ``/kiosk/en``; see ``app.i18n.MOUNTS``). New pages are
routes of this blueprint and so get all four addresses. Templates link with ``site_url(…)``
(or ``url_for('.view')`` inside a view's own request) to keep a reader in their skin and
language; absolute addresses come from ``app.siteurl``."""

from flask import Blueprint

bp = Blueprint("public", __name__)

from app.public import dossier as dossier_page  # noqa: E402,F401  (checking a dossier)
from app.public import feedback, files, meta, pages, search, templating, views  # noqa: E402,F401
from app.public import feeds as change_feeds  # noqa: E402,F401  (Atom feeds of changes)
from app.public import legal as legal_register  # noqa: E402,F401  (the register page)
from app.public import quality as quality_page  # noqa: E402,F401  (service results)
from app.public import service_points as where_and_when  # noqa: E402,F401  (hours, counters)

templating.register(bp)
