"""Deleting a month's report (``POST /editor/ket-qua/<YYYY-MM>/xoa``), with history.

Any stored month may be deleted, including one outside the accepted window that the pages
ignore (``months.accepted``): a report dated 9999-12, imported before the window existed, must
be removable by an editor. The deleted rows' figures and corrections are kept
(``results.remove_month``) and shown in the month's history.
"""

from __future__ import annotations

import re

from flask import abort, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from app.editor import audit, bp
from app.extensions import db
from app.quality import months as m
from app.quality import present, results

ANY_MONTH = re.compile(r"[0-9]{4}-(0[1-9]|1[0-2])")


@bp.post("/ket-qua/<month>/xoa")
def quality_delete_month(month: str) -> ResponseReturnValue:
    if not ANY_MONTH.fullmatch(month):
        abort(404)
    if request.form.get("confirm") != month:
        abort(400, description=_("Tick the box to confirm the deletion."))
    removed = results.remove_month(month, by=current_user.email)
    audit.record("monthly_results_deleted", month, f"{removed} rows")
    db.session.commit()
    flash(_("The report for %(month)s is deleted (%(n)s rows); its figures stay in the "
            "month's history.", month=present.month_label(month), n=removed), "success")
    try:  # the month's page shows the deleted rows; a month no page can show: the overview
        return redirect(url_for("editor.quality_entry", month=m.parse_month(month)))
    except m.BadMonth:
        return redirect(url_for("editor.quality_overview"))
