"""The results page, its CSV and the statistics API after issues 26 and 20: opening on data,
too few ratings, the index section, empty ranges, formulas, far-future months, deleting a
month's report, retiring a counter. The app's clock stands at 06/12/2026 (config ``CLOCK``)."""

from __future__ import annotations

import csv
import io
import re
import time
from datetime import UTC, datetime
from html import unescape

import pytest

from tests.editor_support import csrf_token, post_form, signed_in
from tests.html import attr_values, cells, every, one, soup, text
from tests.pages import check_page

NOW = datetime(2026, 12, 6, 3, 0, tzinfo=UTC)  # 06/12/2026, 10:00 in Hà Nội
PAGES = {"vi": "/ket-qua-phuc-vu", "en": "/en/ket-qua-phuc-vu", "kiosk": "/kiosk/ket-qua-phuc-vu"}


@pytest.fixture(autouse=True)
def clock(app):
    app.config["CLOCK"] = lambda: NOW


def _add_ratings(app, month: str, answers: list[str], counter: str = "1") -> None:
    from app.extensions import db
    from app.models import Rating
    from app.quality import tablets

    with app.app_context():
        counter_id = tablets.counter_by_number(counter).id
        moment = datetime(int(month[:4]), int(month[5:]), 3, 3, 0)
        for answer in answers:
            db.session.add(Rating(counter_id=counter_id, answer=answer, month=month,
                                  created_at=moment))
        db.session.commit()


def _selected(html: str) -> str:
    """The month the page shows: the selected option, or at the kiosk the month button that
    is the current page."""
    page = soup(html)
    option = page.select_one("select#thang option[selected]")
    if option is not None:
        return str(option["value"])
    current = page.select_one('.kiosk-months a[aria-current="page"]')
    assert current is not None, "no month is chosen"
    return str(current["href"]).rsplit("thang=", 1)[1]


def _offers(html: str, month: str) -> bool:
    page = soup(html)
    return bool(page.select(f'select#thang option[value="{month}"]') or
                page.select(f'.kiosk-months a[href$="thang={month}"]'))


# --- 26.3: the page opens on data --------------------------------------------------------

def test_results_open_on_the_latest_month_with_data(client):
    for name, path in PAGES.items():
        response = client.get(path)
        check_page(response, lang="en" if name == "en" else "vi")
        html = response.get_data(as_text=True)
        assert _selected(html) == "2026-11", name  # demo data end in 11/2026
        assert _offers(html, "2026-12"), name  # this month stays one choice away
    current = client.get("/en/ket-qua-phuc-vu?thang=2026-12").get_data(as_text=True)
    assert _selected(current) == "2026-12"
    assert "Nothing has been reported or rated for this month yet" in current


def test_a_month_with_4_ratings_says_not_enough_on_page_kiosk_and_api(app, client):
    _add_ratings(app, "2026-12", ["satisfied", "satisfied", "very_satisfied", "dissatisfied"])
    month = client.get("/api/v1/statistics?from=2026-12&to=2026-12").get_json()["months"][0]
    assert month["ratings"] == 4 and month["satisfied"] == 3
    assert month["satisfaction_rate"] is None
    assert month["index"]["satisfaction"] == {"value": None, "part": 3, "whole": 4, "mark": 0.9}
    texts = {"vi": "chưa đủ lượt đánh giá (4 lượt)", "en": "not enough ratings yet (4 ratings)",
             "kiosk": "chưa đủ lượt đánh giá (4 lượt)"}
    for name, path in PAGES.items():
        html = unescape(client.get(path + "?thang=2026-12").get_data(as_text=True))
        assert texts[name] in html, name
        assert "75,0" not in html and "75.0" not in html
    app.config["QUALITY_MIN_RATINGS"] = 4
    month = client.get("/api/v1/statistics?from=2026-12&to=2026-12").get_json()["months"][0]
    assert month["satisfaction_rate"] == 0.75


# --- 26.4: the index section ---------------------------------------------------------------

def _index_cells(html: str, key: str) -> list[str]:
    return cells(one(html, f"tr#index-{key}"))


def test_index_figures_equal_sums_over_the_monthly_rows(app, client):
    from babel.numbers import format_decimal, format_percent

    _add_ratings(app, "2026-11", ["satisfied"])  # any real rating: still summed
    api = client.get("/api/v1/statistics?from=2026-01&to=2026-11").get_json()
    rows = api["months"]
    ytd = api["year_to_date"]["index"]
    sums = {k: sum(x[k] for x in rows if x[k] is not None) for k in (
        "resolved_early", "resolved_on_time", "resolved_late", "received", "received_online",
        "ratings", "satisfied", "apologies")}
    resolved = sums["resolved_early"] + sums["resolved_on_time"] + sums["resolved_late"]
    assert ytd["on_time"]["part"] == sums["resolved_early"] + sums["resolved_on_time"]
    assert ytd["on_time"]["whole"] == resolved
    assert ytd["online"] == {"value": round(sums["received_online"] / sums["received"], 4),
                             "part": sums["received_online"], "whole": sums["received"]}
    assert (ytd["satisfaction"]["part"], ytd["satisfaction"]["whole"]) == (
        sums["satisfied"], sums["ratings"])
    assert ytd["apologies"]["value"] == sums["apologies"]
    html = client.get("/en/ket-qua-phuc-vu?thang=2026-11").get_data(as_text=True)
    assert "Quyết định 766/QĐ-TTg" in html
    assert "https://dichvucong.gov.vn/" in attr_values(html, "a", "href")

    def pct(part, whole):
        return format_percent(part / whole, format="#,##0.0%", locale="en")

    nov = rows[-1]
    nov_resolved = nov["resolved_early"] + nov["resolved_on_time"] + nov["resolved_late"]
    assert _index_cells(html, "on_time")[:2] == [
        f"{pct(nov['resolved_early'] + nov['resolved_on_time'], nov_resolved)} "
        f"({format_decimal(nov['resolved_early'] + nov['resolved_on_time'], locale='en')} of "
        f"{format_decimal(nov_resolved, locale='en')})",
        f"{pct(ytd['on_time']['part'], resolved)} "
        f"({format_decimal(ytd['on_time']['part'], locale='en')} of "
        f"{format_decimal(resolved, locale='en')})"]
    assert _index_cells(html, "satisfaction")[1].startswith(pct(sums["satisfied"],
                                                               sums["ratings"]))
    assert _index_cells(html, "apologies")[:2] == [
        format_decimal(nov["apologies"], locale="en"),
        format_decimal(sums["apologies"], locale="en")]
    assert _index_cells(html, "complaints_received")[:2] == ["not entered", "not entered"]


def _enter_complaints(client, month: str, received: str, on_time: str):
    """Post ``month``'s manual-entry form with these complaint counts; the response."""
    return post_form(client, f"/editor/ket-qua/{month}/nhap-tay",
                     {"c-received": received, "c-on-time": on_time})


def test_editors_enter_complaints_and_the_index_shows_them(app, client):
    editor = signed_in(app, "editor")
    refused = _enter_complaints(editor, "2026-11", "3", "5")
    assert refused.status_code == 422
    for month, received, on_time in (("2026-10", "4", "3"), ("2026-11", "6", "6")):
        assert _enter_complaints(editor, month, received, on_time).status_code == 302
    index = client.get("/api/v1/statistics?from=2026-11&to=2026-11").get_json()
    assert index["months"][0]["index"]["complaints_received"] == {"value": 6}
    assert index["year_to_date"]["index"]["complaints_on_time"] == {
        "value": 0.9, "part": 9, "whole": 10}
    html = client.get("/en/ket-qua-phuc-vu?thang=2026-11").get_data(as_text=True)
    assert _index_cells(html, "complaints_received")[:2] == ["6", "10"]
    assert _index_cells(html, "complaints_on_time")[:2] == ["100.0% (6 of 6)", "90.0% (9 of 10)"]


# --- 26.6: the statistics API --------------------------------------------------------------

def test_statistics_from_after_to_is_an_empty_range(client):
    response = client.get("/api/v1/statistics?from=2026-10&to=2026-09")
    assert response.status_code == 200 and response.get_json() == {
        "months": [], "year_to_date": None}
    assert client.get("/api/v1/statistics?from=2026-13&to=2026-09").status_code == 400


# --- 20.6: no formula in any CSV the site writes ------------------------------------------

@pytest.mark.parametrize("name", ["=HYPERLINK(\"http://x\")", "+1", "-2+3", "@SUM(A1)",
                                  "\tTab", "\rReturn"])
def test_the_results_csv_writes_no_formula_and_reads_back(app, client, name):
    from app.extensions import db
    from app.models import Field
    from app.quality import importer

    with app.app_context():
        field = db.session.query(Field).order_by(Field.id).first()
        field.name = name
        db.session.commit()
    response = client.get("/ket-qua-phuc-vu/ket-qua.csv?tu=2026-11&den=2026-11")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    cells = [cell for row in rows for cell in row]
    assert f"'{name}" in cells
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    with app.app_context():
        parsed = importer.read("again.csv", response.get_data())
        assert parsed.ok, parsed.errors
        assert name in {row.field_name for row in parsed.rows}


# --- 20.1: far-future months ---------------------------------------------------------------

def _xlsx(month_cell) -> bytes:
    from openpyxl import Workbook

    from app.quality.importer import HEADERS

    book = Workbook()
    sheet = book.active
    sheet.append(list(HEADERS.values()))
    sheet.append([month_cell, "Hộ tịch", 1, 2, 3, 1, 2, 0, 1, 0, 0])  # 4 of 6: holds
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_year_9999_month_is_refused_with_its_row_and_reason(app):
    from app.quality import importer

    with app.test_request_context():
        parsed = importer.read("r.xlsx", _xlsx(datetime(9999, 12, 1)))
        assert not parsed.ok
        assert re.match(r"(Row|Dòng) 2:", parsed.errors[0]) and "9999-12" in parsed.errors[0]
        assert "2000-01" in parsed.errors[0] and "2027-01" in parsed.errors[0]
        assert importer.read("r.xlsx", _xlsx(datetime(2027, 2, 1))).errors  # after next month
        assert importer.read("r.xlsx", _xlsx(datetime(2027, 1, 1))).ok


def _store_far_month(app, month: str) -> None:
    from app.extensions import db
    from app.models import Field
    from app.quality import results

    with app.app_context():
        field = db.session.query(Field).order_by(Field.id).first()
        results.store(month, field.id, {c: 1 for c in (
            "carried_over", "received_online", "received_direct", "resolved_early",
            "resolved_on_time", "resolved_late", "pending_on_time", "pending_late",
            "apologies")}, by="before the window")
        db.session.commit()


def test_a_stored_9999_month_leaves_the_pages_fast_and_editors_delete_it(app, client):
    _store_far_month(app, "9999-12")
    for path in (*PAGES.values(), "/api/v1/statistics", "/ket-qua-phuc-vu/ket-qua.csv"):
        # The request's own CPU time (the test client answers in this thread): what the page
        # costs, whatever else the machine is doing (before the fix it walked for ~30 s).
        started = time.thread_time()
        response = client.get(path)
        assert response.status_code == 200 and time.thread_time() - started < 1, path
    html = client.get("/ket-qua-phuc-vu").get_data(as_text=True)
    assert _selected(html) == "2026-11" and "9999" not in html
    assert len(every(html, "option")) <= 120
    editor = signed_in(app, "editor")
    overview = editor.get("/editor/ket-qua").get_data(as_text=True)
    assert "9999-12" in overview
    token = csrf_token(overview)
    assert editor.post("/editor/ket-qua/9999-12/xoa", data={"csrf_token": token}
                       ).status_code == 400  # not confirmed
    done = editor.post("/editor/ket-qua/9999-12/xoa", data={"csrf_token": token,
                                                            "confirm": "9999-12"})
    assert done.status_code == 302
    assert "9999-12" not in editor.get("/editor/ket-qua").get_data(as_text=True)
    from app.extensions import db
    from app.models import MonthlyResult
    from app.models.quality import MonthlyResultRemoval

    with app.app_context():
        assert db.session.query(MonthlyResult).filter_by(month="9999-12").count() == 0
        removal = db.session.query(MonthlyResultRemoval).one()
        assert removal.removed_by and '"history"' in removal.figures
        assert "before the window" in removal.figures


def test_deleting_a_months_report_keeps_it_in_the_months_history(app, client):
    editor = signed_in(app, "editor")
    page = editor.get("/editor/ket-qua/2026-10/nhap-tay").get_data(as_text=True)
    token = csrf_token(page)
    before = client.get("/api/v1/statistics?from=2026-10&to=2026-10").get_json()["months"][0]
    assert before["received"]
    assert editor.post("/editor/ket-qua/2026-10/xoa", data={
        "csrf_token": token, "confirm": "2026-10"}).status_code == 302
    after = client.get("/api/v1/statistics?from=2026-10&to=2026-10").get_json()["months"][0]
    assert after["received"] is None and after["ratings"] == before["ratings"]
    history = editor.get("/editor/ket-qua/2026-10/nhap-tay").get_data(as_text=True)
    assert "Deleted rows" in history or "Các dòng đã xoá" in history
    assert len(every(history, "tr > td:first-child")) >= len(before["by_field"])


def test_manual_entry_outside_the_window_is_refused(app):
    editor = signed_in(app, "editor")
    response = _enter_complaints(editor, "2099-12", "1", "1")
    assert response.status_code == 422


def test_month_walks_are_bounded():
    from app.quality import months as m

    assert len(m.span("2000-01", "2099-12")) == 1200
    with pytest.raises(ValueError, match="more than"):
        m.span("2000-01", "9999-12")


# --- 20.8: a removed counter is retired ----------------------------------------------------

def test_removing_a_counter_keeps_its_past_ratings_and_figures(app, client):
    from sqlalchemy import select

    from app.extensions import db
    from app.models import Counter, Procedure, Rating
    from tests.editor_support import read_form
    from tests.test_quality import _tablet

    with app.app_context():
        counters = db.session.scalars(select(Counter).order_by(Counter.number)).all()
        counter, other = counters[-1], counters[0]
        for proc in db.session.scalars(select(Procedure).filter_by(counter_id=counter.id)):
            proc.counter_id = other.id  # the centre moved these procedures to another desk
        db.session.commit()
        number, counter_id = counter.number, counter.id
        kept = db.session.query(Rating).filter_by(counter_id=counter_id).count()
        assert kept > 0
    _tablet(app, number)
    before = client.get("/api/v1/statistics?from=2026-11&to=2026-11").get_json()
    admin = signed_in(app, "admin")
    data = read_form(admin.get("/editor/admin/centre").get_data(as_text=True))
    index = next(k for k, v in data.items() if k.endswith("-number") and v == number)
    data["op"] = f"remove:{index.removesuffix('-number')}"
    data = read_form(admin.post("/editor/admin/centre", data=data).get_data(as_text=True))
    data["op"] = ""
    assert admin.post("/editor/admin/centre", data=data).status_code == 302
    with app.app_context():
        counter = db.session.get(Counter, counter_id)
        assert counter.retired_at is not None
        assert db.session.query(Rating).filter_by(counter_id=counter_id).count() == kept
    assert client.get("/api/v1/statistics?from=2026-11&to=2026-11").get_json() == before
    assert client.get(f"/danh-gia/quay/{number}").status_code == 403  # its tablet is stopped
    public = client.get("/").get_data(as_text=True)
    assert number not in [text(span) for span in every(public, "span.counter-number")]
    overview = admin.get("/editor/ket-qua?thang=2026-11").get_data(as_text=True)
    assert every(overview, 'tr > th[scope="row"]:first-child') and number in overview
