"""Service quality: counter tablets, the results page, the statistics API (issue 15)."""

from __future__ import annotations

import pytest

from app.quality import months as m
from tests.html import attr_values


def _tablet(app, number: str = "1", rotate: bool = False) -> tuple[str, str]:
    """Issue (or rotate) counter ``number``'s token; returns (the address to open on the
    tablet, as a path with the token in its fragment, and the token)."""
    from app.extensions import db
    from app.quality import tablets

    with app.app_context():
        _tablet_row, token = tablets.issue(tablets.counter_by_number(number), by="test",
                                           rotate=rotate)
        db.session.commit()
        return f"/danh-gia/quay/{number}#t={token}", token


def _pair(client, number: str, token: str):
    """What tablet.js does with the address's fragment: hand the token over once."""
    return client.post(f"/danh-gia/quay/{number}/ket-noi", data={"t": token})


def _paired(app, number: str = "1"):
    """A test client holding counter ``number``'s tablet cookie, and the token."""
    _path, token = _tablet(app, number)
    client = app.test_client()
    assert _pair(client, number, token).status_code == 303
    return client, token


def _month_answers(app, month: str | None = None) -> dict[str, int]:
    from app.quality.stats import figures

    with app.app_context():
        fig = figures([month or m.current_month()])[0]
        return dict(fig.answers)


def _api_month(client, month: str) -> dict:
    body = client.get(f"/api/v1/statistics?from={month}&to={month}").get_json()
    return body["months"][0]


def test_tablet_rating_counts_and_second_within_interval_is_refused(app):
    client, _token = _paired(app)
    page = client.get("/danh-gia/quay/1")
    assert page.status_code == 200 and "no-store" in page.headers["Cache-Control"]
    assert "Set-Cookie" not in page.headers
    before = _api_month(client, m.current_month())
    response = client.post("/danh-gia/quay/1", data={"answer": "satisfied"})
    assert response.status_code == 200 and "Set-Cookie" not in response.headers
    after = _api_month(client, m.current_month())
    assert after["ratings"] == before["ratings"] + 1
    assert after["satisfied"] == before["satisfied"] + 1
    # Stuffing: the same tablet again at once is refused, says so, and is not counted.
    again = client.post("/danh-gia/quay/1", data={"answer": "dissatisfied", "step": "reasons"})
    assert again.status_code == 429
    assert "not counted" in again.get_data(as_text=True) or "không được tính" in \
        again.get_data(as_text=True)
    assert _api_month(client, m.current_month())["ratings"] == after["ratings"]


def test_wrong_or_revoked_token_is_refused(app):
    _old_path, old_token = _tablet(app, "2")
    _new_path, new_token = _tablet(app, "2", rotate=True)
    before = _month_answers(app)
    client = app.test_client()
    assert _pair(client, "2", old_token).status_code == 403
    assert client.post("/danh-gia/quay/2", data={"answer": "satisfied"}).status_code == 403
    client.set_cookie("motcua_tablet", old_token, path="/danh-gia/")
    assert client.get("/danh-gia/quay/2").status_code == 403
    assert client.post("/danh-gia/quay/2", data={"answer": "satisfied"}).status_code == 403
    client.set_cookie("motcua_tablet", "guess", path="/danh-gia/")
    assert client.post("/danh-gia/quay/2", data={"answer": "satisfied"}).status_code == 403
    # A token of counter 2 is not a token of counter 3.
    assert _pair(client, "3", new_token).status_code == 403
    client.set_cookie("motcua_tablet", new_token, path="/danh-gia/")
    assert client.post("/danh-gia/quay/3", data={"answer": "satisfied"}).status_code == 403
    assert _month_answers(app) == before
    assert client.get("/danh-gia/quay/99").status_code == 404


def test_cross_site_rating_is_refused(app):
    client, token = _paired(app)
    before = _month_answers(app)
    response = client.post("/danh-gia/quay/1", data={"answer": "satisfied"},
                           headers={"Sec-Fetch-Site": "cross-site"})
    assert response.status_code == 403
    assert _pair(app.test_client(), "1", token).status_code == 303
    refused = app.test_client().post("/danh-gia/quay/1/ket-noi", data={"t": token},
                                     headers={"Sec-Fetch-Site": "cross-site"})
    assert refused.status_code == 403 and "Set-Cookie" not in refused.headers
    assert _month_answers(app) == before


def test_dissatisfied_asks_reasons_then_stores_them(app):
    from app.extensions import db
    from app.models import Rating

    client, _token = _paired(app, "4")
    first = client.post("/danh-gia/quay/4", data={"answer": "dissatisfied"})
    html = first.get_data(as_text=True)
    ids = attr_values(html, 'input[name="reason"]', "value")
    assert first.status_code == 200 and len(ids) == 5 and all(i.isdigit() for i in ids)
    before = _month_answers(app)["dissatisfied"]
    done = client.post("/danh-gia/quay/4", data={"answer": "dissatisfied",
                                                 "step": "reasons", "reason": ids[:2]})
    assert done.status_code == 200
    assert _month_answers(app)["dissatisfied"] == before + 1
    with app.app_context():
        rating = db.session.query(Rating).filter_by(is_demo=False).one()
        assert sorted(str(r.id) for r in rating.reasons) == sorted(ids[:2])


def test_bad_answer_is_400_and_not_counted(app):
    client, _token = _paired(app)
    before = _month_answers(app)
    assert client.post("/danh-gia/quay/1", data={"answer": "x"}).status_code == 400
    assert client.post("/danh-gia/quay/1", data={
        "answer": "dissatisfied", "step": "reasons", "reason": "²"}).status_code == 200
    assert _month_answers(app)["dissatisfied"] == before["dissatisfied"] + 1


@pytest.mark.parametrize("query", [
    "from=2026-13", "from=26-01", "to=2026-1", "from=abc", "from=1990-01&to=2026-01",
    "to=2026-10-01", "from=2026-01%0A", "to=2100-01",
])
def test_statistics_bad_input_is_400_json(client, query):
    response = client.get(f"/api/v1/statistics?{query}")
    assert response.status_code == 400 and response.is_json
    assert response.get_json()["error"]["message"]


def test_statistics_shape_and_empty_month(client):
    body = client.get("/api/v1/statistics?from=2025-11&to=2026-11").get_json()
    assert [x["month"] for x in body["months"]] == m.span("2025-11", "2026-11")
    keys = {"month", "received", "received_online", "resolved_early", "resolved_on_time",
            "resolved_late", "pending", "apologies", "ratings", "satisfied", "by_field",
            "carried_over", "satisfaction_rate", "index"}
    assert all(set(x) == keys for x in body["months"])
    empty = body["months"][0]  # before the demo data begins
    assert empty["received"] is None and empty["by_field"] == [] and empty["ratings"] == 0
    full = body["months"][-1]
    assert full["received"] > 0 and full["by_field"]
    assert full["received"] == sum(f["received"] for f in full["by_field"])
    assert {"field", "received", "received_online", "resolved_early", "resolved_on_time",
            "resolved_late", "pending", "apologies", "carried_over"} == set(full["by_field"][0])
    response = client.get("/api/v1/statistics")
    assert response.status_code == 200 and len(response.get_json()["months"]) == 12
    assert response.get_json()["months"][-1]["month"] == m.current_month()
    later = client.get("/api/v1/statistics?from=2099-11").get_json()["months"]
    assert [x["month"] for x in later] == ["2099-11"]
    whole = client.get("/api/v1/statistics?from=2000-01&to=2099-12").get_json()["months"]
    assert len(whole) == 1200
    assert "max-age=5" in response.headers["Cache-Control"]
