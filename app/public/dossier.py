"""``/tra-cuu-ho-so``: where to check a dossier's status with the code on the receipt.

The kiosk stores and asks nothing: the page says where the code is printed and hands the
national portal's look-up page (``DOSSIER_LOOKUP_URL``) to the person's own phone as a QR
code; the site links it. The print checklist repeats the address (``Tra cứu kết quả: …``).
"""

from __future__ import annotations

from flask import current_app, render_template

from app.public import bp


def lookup_url() -> str:
    return current_app.config["DOSSIER_LOOKUP_URL"]


@bp.get("/tra-cuu-ho-so")
def dossier_lookup() -> str:
    return render_template("public/dossier_lookup.html", lookup_url=lookup_url())
