"""The dashboard as a to-do (issue #23, item 1): a few lines, each a count and an action, whose
counts equal the distinct fees and procedures behind them (worked out here from the stored
rows, not from ``app.editor.early_warnings``); an ending fee whose next version is recorded is
shown as handled; the details are grouped by procedure and collapsed."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from app.dates import CENTRE_ZONE
from app.extensions import db
from app.models import Fee, Procedure
from tests.editor_support import signed_in
from tests.html import every, one, text


def _at(app, day: date) -> None:
    moment = datetime.combine(day, time(9), CENTRE_ZONE).astimezone(UTC)
    app.config["CLOCK"] = lambda: moment


def _todo(page: str) -> dict[str, list[tuple[int, str]]]:
    """key → (count, text) of each to-do line."""
    lines: dict[str, list[tuple[int, str]]] = {}
    for item in every(page, "#todo li"):
        lines.setdefault(item["data-key"], []).append((int(item["data-count"]), text(item)))
    return lines


def _live_fees() -> list[Fee]:
    return list(db.session.scalars(select(Fee).join(Procedure, Fee.procedure_id == Procedure.id)
                                   .where(Procedure.published.is_(True))))


def _has_next(fee: Fee, fees: list[Fee]) -> bool:
    return any(o.procedure_id == fee.procedure_id and o.name == fee.name
               and o.condition_id == fee.condition_id
               and o.valid_from == fee.valid_until + timedelta(days=1) for o in fees)


def test_fees_ending_with_a_new_rate_are_shown_as_handled(app):
    _at(app, date(2026, 12, 15))
    with app.app_context():
        fees = _live_fees()
        ending = [f for f in fees if f.valid_until == date(2026, 12, 31)]
        assert ending and all(_has_next(f, fees) for f in ending)  # the demo's 31/12 fees
    page = signed_in(app, "publisher").get("/editor/").get_data(as_text=True)
    todo = _todo(page)
    assert "ending" not in todo  # nothing to do about them
    [(count, line)] = todo["ending-handled"]
    assert count == len(ending) and "31/12/2026" in line
    assert every(page, "#todo li")[-1]["data-key"] == "ending-handled"  # nothing to do: last
    table = one(page, "#warn-ending")
    assert len(every(table, "tr[data-fee]")) == len(ending)
    assert "01/01/2027" in text(table) and "no new rate" not in text(table)
    # The details are collapsed, grouped by procedure: one row group per procedure.
    assert one(page, "#warn-ending-details").get("open") is None
    assert len(every(table, "tbody")) == len({f.procedure_id for f in ending})


def test_fees_ending_without_a_new_rate_are_a_task_counted_once(app):
    _at(app, date(2027, 2, 10))
    with app.app_context():
        fees = _live_fees()
        ending = [f for f in fees if f.valid_until == date(2027, 2, 28)]
        assert ending and not any(_has_next(f, fees) for f in ending)
        # A fee charged on every way to apply is still one fee.
        ending[0].channels = ["in_person", "online", "post"]
        db.session.commit()
    page = signed_in(app, "publisher").get("/editor/").get_data(as_text=True)
    [(count, line)] = _todo(page)["ending"]
    assert count == len(ending) and "28/02/2027" in line
    item = one(page, "#todo li[data-key=ending]")
    assert one(item, "a")["href"].endswith("#fee-timelines")
    assert len(every(page, "#warn-ending tr[data-fee]")) == len(ending)


def test_unverified_and_stale_counts_are_distinct_fees_and_procedures(app):
    publisher = signed_in(app, "publisher")
    with app.app_context():
        from app.dates import today_local

        today = today_local()
        unverified = [f for f in _live_fees() if not f.verified
                      and (f.valid_until is None or f.valid_until >= today)]
        unverified[0].channels = ["in_person", "online", "post"]
        db.session.commit()
        fee_count = len({f.id for f in unverified})
        proc_count = len({f.procedure_id for f in unverified})
    todo = _todo(publisher.get("/editor/").get_data(as_text=True))
    [(count, line)] = todo["unverified"]
    assert count == fee_count
    assert f"{fee_count} fees not verified in {proc_count} procedures" in line
    [(stale, _line)] = todo["stale"]
    with app.app_context():
        from app.models.procedure import utcnow

        since = utcnow().replace(tzinfo=None) - timedelta(days=app.config["EDITOR_STALE_DAYS"])
        procs = db.session.scalars(select(Procedure).where(Procedure.published.is_(True)))
        assert stale == len({p.id for p in procs
                             if p.reviewed_at is None
                             or p.reviewed_at.replace(tzinfo=None) < since})


def test_each_line_to_do_has_an_action(app):
    _at(app, date(2027, 2, 10))
    page = signed_in(app, "publisher").get("/editor/").get_data(as_text=True)
    for item in every(page, "#todo li"):
        if "todo--done" not in item["class"]:
            assert one(item, "a")["href"], text(item)
