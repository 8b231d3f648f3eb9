"""The public results page (both languages, kiosk), its CSV, and the editors' pages."""

from __future__ import annotations

import csv
import io
from html import unescape

import pytest
from babel.numbers import format_decimal, format_percent

from app.quality import months as m
from tests.editor_support import csrf_token, en_page, signed_in
from tests.html import cells, every, one, section, text
from tests.pages import check_page


def _headlines(html: str, heading: str) -> list[str]:
    """The four values after the heading with id ``heading``."""
    return [text(value) for value in every(section(html, heading), "li.quality-figure > "
            "span.quality-figure-label + strong.quality-figure-value")]


def _expected(month: dict, locale: str) -> list[str]:
    """The four headline values computed from the API's numbers, formatted as the page must."""
    def pct(part, whole):
        return format_percent(part / whole, format="#,##0.0%", locale=locale)

    resolved = month["resolved_early"] + month["resolved_on_time"] + month["resolved_late"]
    return [format_decimal(month["received"], locale=locale),
            pct(month["resolved_early"] + month["resolved_on_time"], resolved),
            pct(month["received_online"], month["received"]),
            pct(month["satisfied"], month["ratings"])]


@pytest.mark.parametrize(("prefix", "lang"), [("", "vi"), ("/en", "en"), ("/kiosk", "vi")])
@pytest.mark.parametrize("month", ["2026-06", "2026-11"])
def test_page_figures_equal_the_api(client, prefix, lang, month):
    response = client.get(f"{prefix}/ket-qua-phuc-vu?thang={month}")
    check_page(response, lang=lang)
    assert "Set-Cookie" not in response.headers
    assert response.cache_control.max_age is not None and response.cache_control.max_age <= 5
    html = response.get_data(as_text=True)
    api = client.get(f"/api/v1/statistics?from={m.year_start(month)}&to={month}").get_json()
    assert _headlines(html, "this-month") == _expected(api["months"][-1], lang)
    ytd = {key: sum(x[key] for x in api["months"]) for key in (
        "received", "received_online", "resolved_early", "resolved_on_time", "resolved_late",
        "ratings", "satisfied")}
    assert _headlines(html, "year-to-date") == _expected(ytd, lang)
    # The by-field table lists what the API lists for the month.
    rows = every(section(html, "by-field"), "table tbody tr")
    received = [int("".join(c for c in cells(row)[0] if c.isdigit())) for row in rows]
    assert received == [f["received"] for f in api["months"][-1]["by_field"]]
    assert "Demo data" in html or "Dữ liệu minh họa" in html


def test_charts_are_svg_with_title_and_table(client):
    html = client.get("/en/ket-qua-phuc-vu").get_data(as_text=True)
    svgs = every(html, 'svg[role="img"]')
    assert len(svgs) == 4
    for svg in svgs:
        assert svg.select("title[id]") and svg.select("desc[id]")
    assert len(every(html, "figure")) == 4 and len(every(html, ".quality-table")) >= 4
    assert every(one(html, "main"), "script") == []


def test_an_empty_month_says_so_and_shows_no_zero(client):
    html = client.get("/en/ket-qua-phuc-vu?thang=2025-06").get_data(as_text=True)
    assert "Nothing has been reported or rated for this month yet" in html
    assert _headlines(html, "this-month") == []
    chart_rows = [cells(row)[:2] for row in every(html, "figure table tr")
                  if text(row.find("th", scope="row")) == "06/2025"]
    assert chart_rows and all(value == "–" and basis == "no data" for value, basis in chart_rows)
    assert "0.0%" not in html


def test_bad_month_is_400(client):
    assert client.get("/ket-qua-phuc-vu?thang=2026-13").status_code == 400
    assert client.get("/ket-qua-phuc-vu/ket-qua.csv?tu=x").status_code == 400
    assert client.get("/ket-qua-phuc-vu/ket-qua.csv?tu=2026-05&den=2026-01").status_code == 400


def test_csv_download_matches_the_api_and_imports_again(app, client):
    from app.quality import importer

    response = client.get("/ket-qua-phuc-vu/ket-qua.csv?tu=2026-10&den=2026-11")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0] == list(importer.HEADERS.values())
    api = client.get("/api/v1/statistics?from=2026-10&to=2026-11").get_json()
    assert len(rows) - 1 == sum(len(x["by_field"]) for x in api["months"])
    with app.app_context():
        parsed = importer.read("again.csv", response.get_data())
        assert parsed.ok, parsed.errors
        assert len(parsed.rows) == len(rows) - 1


def test_a_new_rating_shows_in_this_months_rate(app, client):
    from tests.test_quality import _paired

    app.config["QUALITY_MIN_RATINGS"] = 1
    month = m.current_month()
    tablet, _token = _paired(app, "5")
    before = client.get(f"/api/v1/statistics?from={month}&to={month}").get_json()["months"][0]
    assert tablet.post("/danh-gia/quay/5", data={"answer": "very_satisfied"}).status_code == 200
    html = client.get(f"/en/ket-qua-phuc-vu?thang={month}").get_data(as_text=True)
    after = dict(before, ratings=before["ratings"] + 1, satisfied=before["satisfied"] + 1)
    if before["received"] is not None:
        assert _headlines(html, "this-month")[3] == _expected(after, "en")[3]
    assert f"of {format_decimal(after['ratings'], locale='en')} ratings" in html


# --- editors ------------------------------------------------------------------------------

def _editor(app, role: str, email: str | None = None):
    """A signed-in client reading the editor in English (the editor's own choice, ``?lang=``)."""
    client = signed_in(app, role, email)
    client.get("/editor/ket-qua?lang=en")
    return client


def _csrf(html: str) -> str:
    return csrf_token(html)


def test_tablet_admin_pages(app, monkeypatch):
    from app.quality import tablets

    issued, real = [], tablets.issue
    # The page shows the new address only as a QR code (tests/test_editor_tablet_qr.py
    # decodes it); here the token is caught on its way.
    monkeypatch.setattr(tablets, "issue", lambda *a, **k: issued.append(real(*a, **k))
                        or issued[-1])
    editor = _editor(app, "editor")
    assert editor.get("/editor/admin/may-danh-gia").status_code == 403
    admin = _editor(app, "admin")
    page = admin.get("/editor/admin/may-danh-gia")
    en_page(page, h1="Counter tablets")
    token = _csrf(page.get_data(as_text=True))
    html = admin.post("/editor/admin/may-danh-gia/3", data={
        "csrf_token": token, "action": "issue"}).get_data(as_text=True)
    url = [None, None, issued[-1][1]]
    assert one(html, "#tablet-qr") and url[2] not in html
    # Shown once: the token is stored hashed, so the list does not show it again.
    assert url[2] not in admin.get("/editor/admin/may-danh-gia").get_data(as_text=True)
    client = app.test_client()
    assert client.post("/danh-gia/quay/3/ket-noi", data={"t": unescape(url[2])}
                       ).status_code == 303
    assert client.get("/danh-gia/quay/3").status_code == 200
    admin.post("/editor/admin/may-danh-gia/3", data={"csrf_token": token, "action": "revoke"})
    assert client.get("/danh-gia/quay/3").status_code == 403
    assert admin.post("/editor/admin/may-danh-gia/3", data={
        "csrf_token": token, "action": "explode"}).status_code == 400


def _upload(client, data: bytes, name: str = "report.csv"):
    page = client.get("/editor/ket-qua/nhap")
    return client.post("/editor/ket-qua/nhap", data={
        "csrf_token": _csrf(page.get_data(as_text=True)),
        "file": (io.BytesIO(data), name)}, content_type="multipart/form-data")


def _stored_months(app) -> set[str]:
    from sqlalchemy import select

    from app.extensions import db
    from app.models import MonthlyResult

    with app.app_context():
        return set(db.session.scalars(select(MonthlyResult.month).where(
            MonthlyResult.is_demo.is_(False))))


def test_editor_import_reports_then_applies(app):
    from tests.test_quality_import import NUMBERS, _csv

    client = _editor(app, "editor")
    bad_header = _csv([["2027-01", "Hộ tịch", *NUMBERS]],
                      ["Tháng", "Lĩnh vực", *list(__import__("app.quality.importer", fromlist=[
                          "HEADERS"]).HEADERS.values())[2:10]])
    response = _upload(client, bad_header)
    assert response.status_code == 422
    assert "Thư xin lỗi" in response.get_data(as_text=True)
    negative = _csv([["2027-01", "Hộ tịch", "-1", *NUMBERS[1:]]])
    response = _upload(client, negative)
    assert response.status_code == 422 and "-1 is negative" in response.get_data(as_text=True)
    assert _stored_months(app) == set()
    good = _upload(client, _csv([["2027-01", "Hộ tịch", *NUMBERS]]))
    assert good.status_code == 200 and "Apply the report" in good.get_data(as_text=True)
    assert _stored_months(app) == set()  # a report only
    html = good.get_data(as_text=True)
    from tests.test_quality_import_preview import _apply_form

    applied = client.post("/editor/ket-qua/nhap/ap-dung", data=_apply_form(html))
    assert applied.status_code == 302
    assert _stored_months(app) == {"2027-01"}


def test_editor_entry_validates_and_keeps_history(app):
    from datetime import UTC, datetime

    from sqlalchemy import select

    from app.extensions import db
    from app.models import Field
    from app.models.quality import RESULT_COLUMNS

    with app.app_context():
        field_id = db.session.scalar(select(Field.id).where(Field.slug == "ho-tich"))
    app.config["CLOCK"] = lambda: datetime(2027, 2, 10, tzinfo=UTC)  # in the accepted window
    client = _editor(app, "editor", "entry@example.org")
    url = "/editor/ket-qua/2027-02/nhap-tay"
    token = _csrf(client.get(url).get_data(as_text=True))

    def post(values):
        data = {f"v-{field_id}-{c}": v for c, v in zip(RESULT_COLUMNS, values, strict=True)}
        return client.post(url, data={"csrf_token": token, **data})

    refused = post(["100", "2", "3", "4", "5", "-6", "7", "8", "9"])
    assert refused.status_code == 422 and "-6 is negative" in refused.get_data(as_text=True)
    assert _stored_months(app) == set()
    # (resolved plus pending stay within carried over plus received: tests/test_editor_monthly)
    assert post(["100", "2", "3", "4", "5", "6", "7", "8", "9"]).status_code == 302
    assert post(["100", "2", "3", "4", "5", "60", "7", "8", "9"]).status_code == 302
    page = client.get(url)
    en_page(page, h1="Monthly figures")
    assert ["entry@example.org", "Hộ tịch", "Giải quyết quá hạn", "6", "60"] in [
        cells(row)[1:] for row in every(page, "tr")]


def test_editor_overview(app):
    client = _editor(app, "editor")
    page = client.get("/editor/ket-qua?thang=2026-10")
    en_page(page, h1="Service results")
    html = page.get_data(as_text=True)
    assert "Ratings by counter" in html and "Compared with the month before" in html
    assert len(every(html, 'tr > th[scope="row"]:first-child')) >= 6
    assert client.get("/editor/ket-qua?thang=bad").status_code == 404


def test_editors_manage_the_reasons_the_tablet_offers(app):
    from tests.test_quality import _paired

    client = _editor(app, "editor")
    html = client.get("/editor/ket-qua/ly-do").get_data(as_text=True)
    inputs = [field for field in every(html, 'input[name^="name-"]')
              if field["name"].removeprefix("name-").isdigit()]
    ids = [field["name"].removeprefix("name-") for field in inputs]
    names = dict(zip(ids, [field.get("value", "") for field in inputs], strict=True))
    data = {"csrf_token": _csrf(html)}
    for rid, name in names.items():
        data[f"name-{rid}"] = name
        data[f"active-{rid}"] = "1"
    data[f"name-{ids[0]}"] = ""  # a reason without a name is refused; nothing is saved
    assert client.post("/editor/ket-qua/ly-do", data=data).status_code == 422
    data[f"name-{ids[0]}"] = names[ids[0]]
    del data[f"active-{ids[1]}"]  # switched off
    data["name-new"] = "Phòng chờ nóng"
    assert client.post("/editor/ket-qua/ly-do", data=data).status_code == 302
    tablet, _token = _paired(app, "1")
    screen = tablet.post("/danh-gia/quay/1", data={"answer": "dissatisfied"})
    offered = screen.get_data(as_text=True)
    assert "Phòng chờ nóng" in offered and names[ids[1]] not in offered
    assert names[ids[0]] in offered
