"""How the results read, in Chromium: chart titles above the charts, chart text at least 12
CSS px on a phone and 24 on the kiosk, scales that keep a 95–100 % series apart; and the
phản ánh, kiến nghị page in both languages, on the site and the kiosk (axe, Nu checker)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from app.quality import charts
from tests.checkers import axe_violations, vnu_errors

NOW = datetime(2026, 12, 6, 3, 0, tzinfo=UTC)
COMPLAINT_PAGES = {"vi": "/phan-anh-kien-nghi", "en": "/en/phan-anh-kien-nghi",
                   "kiosk": "/kiosk/phan-anh-kien-nghi", "kiosk-en": "/kiosk/en/phan-anh-kien-nghi"}

# Each chart: its title's bottom above the drawing's top, and its text's size in CSS px.
MEASURE = """() => [...document.querySelectorAll('figure.quality-chart')].map(f => {
  const title = f.querySelector('.quality-chart-title').getBoundingClientRect();
  const svg = f.querySelector('svg');
  const box = svg.getBoundingClientRect();
  const scale = box.width / svg.viewBox.baseVal.width;
  const sizes = [...svg.querySelectorAll('text')].map(
    t => parseFloat(t.getAttribute('font-size')) * scale);
  return {titleBottom: title.bottom, svgTop: box.top, smallest: Math.min(...sizes)};
})"""


@pytest.mark.browser
@pytest.mark.parametrize(("fixture", "path", "smallest"), [
    ("phone", "/ket-qua-phuc-vu", 12), ("kiosk_page", "/kiosk/ket-qua-phuc-vu", 24)])
def test_chart_titles_sit_above_and_labels_are_readable(app, live_server, request, fixture,
                                                        path, smallest):
    app.config["CLOCK"] = lambda: NOW
    page = request.getfixturevalue(fixture)
    page.goto(live_server.url + path)
    found = page.evaluate(MEASURE)
    assert len(found) == 4
    for chart in found:
        assert chart["titleBottom"] <= chart["svgTop"]
        assert chart["smallest"] >= smallest, chart


def test_a_95_to_100_series_is_not_flattened_and_the_scale_says_so():
    points = [charts.Point(f"{m:02d}/2026", v, f"{v:.1%}", "") for m, v in
              enumerate([0.95, 0.97, 1.0, 0.96], start=1)]
    chart = charts.bar_chart("c", "t", "d", "h", points, True, lambda v: f"{v:.0%}")
    widths = [bar.width for bar in chart.bars]
    assert chart.low == 0.9 and chart.scale == "90%"
    assert max(widths) - min(widths) >= chart.plot_w * 0.4  # the differences show
    low = charts.bar_chart("c", "t", "d", "h", [*points[:1], charts.Point("x", 0.3, "30%", "")],
                           True, str)
    assert low.low == 0 and low.scale == ""


def test_the_results_page_states_a_raised_scale(client, app):
    app.config["CLOCK"] = lambda: NOW
    html = client.get("/en/ket-qua-phuc-vu?thang=2026-11").get_data(as_text=True)
    # Demo satisfaction and on-time shares are all high: their bars start above zero.
    assert html.count('class="quality-chart-scale"') >= 1
    assert "not at zero" in html


# --- 26.5: where to send a phản ánh, kiến nghị ---------------------------------------------

def test_the_complaints_page_is_linked_and_says_where_to_send(client, app):
    from app import queries
    from app.extensions import db

    app.config["COMPLAINTS_PORTAL_URL"] = "https://dichvucong.gov.vn/phan-anh"
    unknown = client.get("/en/phan-anh-kien-nghi").get_data(as_text=True)
    assert "not published yet" in unknown and "tel:" not in unknown  # unknown, said so
    with app.app_context():
        queries.centre().phone = "0236 3 888 999"  # as editors enter it (/editor/admin/centre)
        db.session.commit()
    for name, path in COMPLAINT_PAGES.items():
        response = client.get(path)
        assert response.status_code == 200 and "Set-Cookie" not in response.headers
        html = response.get_data(as_text=True)
        assert 'href="https://dichvucong.gov.vn/phan-anh"' in html, name
        assert "tel:" in html  # the centre's hotline, from its details
    vi = client.get("/phan-anh-kien-nghi").get_data(as_text=True)
    assert "<h1>Phản ánh, kiến nghị</h1>" in vi
    home = client.get("/").get_data(as_text=True)
    footer = home.split('<footer', 1)[1]
    assert 'href="/phan-anh-kien-nghi"' in footer
    procedure = client.get("/thu-tuc/dang-ky-khai-sinh").get_data(as_text=True)
    feedback = procedure.split('id="feedback"', 1)[1]
    assert 'href="/phan-anh-kien-nghi"' in feedback
    assert 'href="/kiosk/phan-anh-kien-nghi"' in client.get(
        "/kiosk/thu-tuc/dang-ky-khai-sinh").get_data(as_text=True)
    results = client.get("/en/ket-qua-phuc-vu").get_data(as_text=True)
    assert 'href="/en/phan-anh-kien-nghi"' in results


def test_the_complaints_page_is_valid_html(client):
    documents = {name: client.get(path).get_data(as_text=True)
                 for name, path in COMPLAINT_PAGES.items()}
    assert vnu_errors(documents) == {}


@pytest.mark.browser
def test_the_complaints_page_passes_axe(live_server, phone_for_axe):
    found = {}
    for name, path in COMPLAINT_PAGES.items():
        phone_for_axe.goto(live_server.url + path)
        violations = axe_violations(phone_for_axe)
        if violations:
            found[name] = violations
    assert found == {}
