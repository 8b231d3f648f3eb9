"""Fees with dates and conditions: what is in force today (Asia/Ho_Chi_Minh) on every page that
shows a fee, switching at local midnight with no restart and no cache clear.

The clock is moved through config ``CLOCK`` (``app.dates``), never by sleeping. The response
cache is on (as in production) so a test also proves no cache outlives the day.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest

from app.dates import today_local
from app.extensions import db
from app.fees import fees_in_force
from app.models import Fee, FeeCondition, Procedure
from tests.html import attr_values, every, one, soup, text

SLUG = "cap-ban-sao-trich-luc-ho-tich"  # 2.000635: 8.000 ₫ per copy on every channel
# 23:59 on 31/12/2026 in Hà Nội is 16:59 UTC; local midnight is 17:00 UTC.
BEFORE_MIDNIGHT = datetime(2026, 12, 31, 16, 59, 30, tzinfo=UTC)
AFTER_MIDNIGHT = datetime(2026, 12, 31, 17, 0, 30, tzinfo=UTC)
PAGES = (f"/thu-tuc/{SLUG}", f"/thu-tuc/{SLUG}/in", f"/kiosk/thu-tuc/{SLUG}",
         "/le-phi", f"/thu-tuc/{SLUG}?count=3")


def _text(response) -> str:
    assert response.status_code == 200, response.status_code
    return text(soup(response))


@pytest.fixture
def dated(app):
    """The in-person fee of 2.000635 as three versions: one that ended on 30/12/2026, a
    temporary one to the end of 31/12/2026, and one scheduled from 01/01/2027."""
    clock = {"now": BEFORE_MIDNIGHT}
    app.config["CLOCK"] = lambda: clock["now"]
    app.config["RESPONSE_CACHE_SECONDS"] = 30.0
    with app.app_context():
        proc = db.session.scalar(db.select(Procedure).filter_by(slug=SLUG))
        channel = next(c for c in proc.channels if c.kind == "in_person")
        template = channel.fees[0]

        def version(amount, **dates):
            return Fee(name=template.name, kind=template.kind, amount=amount, unit="copy",
                       channels=["in_person"], **dates)

        proc.fees = [version(11_111, valid_until=date(2026, 12, 30)),
                     version(22_222, valid_until=date(2026, 12, 31)),
                     version(33_333, valid_from=date(2027, 1, 1))]
        db.session.commit()
    return clock


def test_today_is_the_local_date_from_the_injectable_clock(app, dated):
    with app.app_context():
        assert today_local() == date(2026, 12, 31)
        dated["now"] = AFTER_MIDNIGHT
        assert today_local() == date(2027, 1, 1)


def test_fees_in_force_takes_a_date(app, dated):
    with app.app_context():
        proc = db.session.scalar(db.select(Procedure).filter_by(slug=SLUG))
        on = {d: [f.amount for f in fees_in_force(proc, d)]
              for d in (date(2026, 12, 30), date(2026, 12, 31), date(2027, 1, 1))}
    assert on == {date(2026, 12, 30): [11_111, 22_222], date(2026, 12, 31): [22_222],
                  date(2027, 1, 1): [33_333]}


@pytest.mark.parametrize("path", PAGES)
def test_an_ended_fee_is_never_shown_and_the_switch_happens_at_midnight(client, dated, path):
    before = _text(client.get(path))
    assert "11.111" not in before  # ended yesterday
    assert "22.222" in before
    if path != "/le-phi" and "count" not in path:
        assert "đến hết ngày 31/12/2026" in before
    if "count" in path:
        assert "66.666" in before and "99.999" not in before  # 3 copies at 22.222
    elif not path.endswith("/in"):  # the printed checklist is for today only
        assert "từ 01/01/2027: 33.333" in before  # announced, not current
    dated["now"] = AFTER_MIDNIGHT  # no restart, no cache clear
    after = _text(client.get(path))
    assert "22.222" not in after and "11.111" not in after
    assert "33.333" in after and "từ 01/01/2027" not in after
    if "count" in path:
        assert "99.999" in after


def test_a_condition_and_an_unverified_amount_are_said_in_words(app, client, dated):
    with app.app_context():
        condition = FeeCondition(slug="vneid-test", name="Nộp trực tuyến bằng VNeID mức 2",
                                 name_en="Applied online with a level-2 VNeID account")
        proc = db.session.scalar(db.select(Procedure).filter_by(slug=SLUG))
        proc.fees.append(Fee(name="", amount=0, unit="copy", condition=condition,
                             channels=["in_person"]))
        proc.fees[1].verified = False
        db.session.commit()
    shown = _text(client.get(f"/thu-tuc/{SLUG}"))
    assert "nếu nộp trực tuyến bằng VNeID mức 2: Miễn phí" in shown
    assert shown.count("Trung tâm chưa đối chiếu các mức thu") == 1  # once per fee box
    english = _text(client.get(f"/en/thu-tuc/{SLUG}"))
    assert "if applied online with a level-2 VNeID account: Free" in english
    assert english.count("not yet checked these amounts") == 1


def test_an_unknown_amount_is_not_called_unverified(app, client, dated):
    """"Chưa công bố" already says the amount is unknown; "(chưa xác minh …)" after it would
    doubt an amount that is not there. A known but unverified amount keeps the warning."""
    with app.app_context():
        proc = db.session.scalar(db.select(Procedure).filter_by(slug=SLUG))
        proc.fees[1].amount = None
        proc.fees[1].verified = False
        proc.fees[2].verified = False  # scheduled 33.333, known but unverified
        db.session.commit()
    shown = _text(client.get(f"/thu-tuc/{SLUG}"))
    unknown = re.search(r"Chưa có mức thu[^;.]{0,80}", shown)
    assert unknown is not None, shown
    assert "chưa đối chiếu" not in unknown.group(0)
    assert "từ 01/01/2027: 33.333" in shown
    assert shown.count("Trung tâm chưa đối chiếu các mức thu") == 1  # the scheduled 33.333
    english = _text(client.get(f"/en/thu-tuc/{SLUG}"))
    assert "Not published (unverified" not in english
    assert english.count("not yet checked these amounts") == 1  # the scheduled 33,333


# --- the editor: dated and conditional fees, the list of conditions -------------------------

def test_an_editor_dates_a_fee_and_gives_it_a_condition(app):
    from tests.editor_support import (
        edit_form,
        post_form,
        procedure_id,
        revisions,
        save,
        signed_in,
    )

    admin = signed_in(app, "admin")
    page = admin.get("/editor/admin/fee-conditions/new")
    assert page.status_code == 200
    data = {"slug": "vneid-muc-2-test", "name": "Nộp trực tuyến bằng VNeID mức 2",
            "name_en": "Applied online with VNeID level 2", "position": "1"}
    assert post_form(admin, "/editor/admin/fee-conditions/new", data).status_code == 302
    assert "vneid-muc-2-test" in admin.get("/editor/admin/fee-conditions").get_data(as_text=True)

    pid = procedure_id(app, "2.000635")
    form = edit_form(admin, pid)
    form["fees-0-valid_until"] = "31/12/2026"
    form["fees-0-condition"] = "vneid-muc-2-test"
    form["fees-0-basis_document"] = "64/2025/TT-BTC"
    form.pop("fees-0-verified", None)  # unticked: not verified
    response = save(admin, pid, form)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    fee = revisions(app, pid)[-1][2]["fees"][0]
    assert (fee["valid_until"], fee["condition"], fee["basis_document"], fee["verified"]) == (
        "2026-12-31", "vneid-muc-2-test", "64/2025/TT-BTC", False)

    form = edit_form(admin, pid)
    form["fees-0-valid_from"] = "01/01/2027"  # after valid_until
    response = save(admin, pid, form)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "valid_until is before valid_from" in html
    assert "#fees-0-valid_until" in attr_values(one(html, "#error-summary"), "a", "href")


def test_editors_see_which_fees_nobody_verified(app):
    from tests.editor_support import procedure_id, signed_in

    editor = signed_in(app, "editor")
    pid = procedure_id(app, "2.000635")
    with app.app_context():
        fees = db.session.scalar(db.select(Procedure).filter_by(code="2.000635")).fees
        for fee in fees:
            fee.verified = True
        db.session.commit()
    assert not every(editor.get(f"/editor/procedures/{pid}"), "#fee-unverified, .fee-unverified")
    with app.app_context():
        fee = db.session.scalar(db.select(Procedure).filter_by(code="2.000635")).fees[0]
        fee.verified = False
        db.session.commit()
    html = editor.get(f"/editor/procedures/{pid}").get_data(as_text=True)
    assert re.search(r"8[.,]000", text(one(html, "#fee-unverified")))


def test_dates_for_people_are_dd_mm_yyyy_on_the_local_day(app):
    from app.presenters import day

    with app.test_request_context("/"):
        assert day(date(2026, 3, 5)) == "05/03/2026"
        # stored datetimes are UTC: 17:30 UTC on 31/12 is already 01/01 in Hà Nội
        assert day(datetime(2026, 12, 31, 17, 30)) == "01/01/2027"
        assert day(None) == ""
