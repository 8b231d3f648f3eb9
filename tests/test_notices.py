"""Notices (issue 21, item 6): an editor posts one with a severity and local start and end
times; it shows on the site and the kiosk only between them, most severe first, and leaves by
itself, with the response cache on (as in production) and no cache clear."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.editor_support import csrf_token, signed_in

# 08:00 local on 05/02/2027 is 01:00 UTC.
BEFORE = datetime(2027, 2, 5, 0, 59, 59, tzinfo=UTC)
DURING = datetime(2027, 2, 5, 1, 0, 1, tzinfo=UTC)
AFTER = datetime(2027, 2, 12, 1, 0, 1, tzinfo=UTC)
PAGES = ("/", "/kiosk/", "/thu-tuc/dang-ky-khai-sinh", "/en/", "/kiosk/en/tim-kiem?q=khai+sinh")


def _post(client, **fields):
    page = client.get("/editor/notices").get_data(as_text=True)
    return client.post("/editor/notices", data={"csrf_token": csrf_token(page), **fields})


def test_a_notice_shows_between_its_local_times_most_severe_first(app):
    clock = {"now": BEFORE}
    app.config["CLOCK"] = lambda: clock["now"]
    app.config["RESPONSE_CACHE_SECONDS"] = 20.0
    editor = signed_in(app, "editor")
    assert _post(editor, severity="info", title="Nghỉ Tết Nguyên đán",
                 body="Bộ phận một cửa nghỉ từ 05/02 đến 11/02.",
                 starts_at="05/02/2027 08:00", ends_at="12/02/2027 08:00").status_code == 302
    assert _post(editor, severity="critical", title="Cổng dịch vụ công gián đoạn",
                 title_en="The national portal is down",
                 starts_at="05/02/2027 08:00", ends_at="06/02/2027 08:00").status_code == 302
    bad = _post(editor, severity="info", title="x", starts_at="05/02/2027 08:00",
                ends_at="05/02/2027 07:00")
    assert bad.status_code == 400
    public = app.test_client()
    for path in PAGES:
        assert "Nghỉ Tết" not in public.get(path).get_data(as_text=True), path

    clock["now"] = DURING
    for path in PAGES:
        text = public.get(path).get_data(as_text=True)
        assert "Nghỉ Tết" in text, path
        portal = "The national portal is down" if "/en/" in path else "Cổng dịch vụ công"
        assert text.index(portal) < text.index("Nghỉ Tết"), "most severe first"
    assert "Nghỉ Tết" not in public.get("/api/v1/procedures").get_data(as_text=True)

    clock["now"] = AFTER
    for path in PAGES:
        assert "Nghỉ Tết" not in public.get(path).get_data(as_text=True), path


def test_an_editor_can_end_a_notice_early_and_anonymous_visitors_cannot_post(app):
    app.config["CLOCK"] = lambda: DURING
    editor = signed_in(app, "editor")
    _post(editor, severity="warning", title="Quầy số 3 chuyển tầng 2",
          starts_at="05/02/2027 07:00", ends_at="01/03/2027 07:00")
    public = app.test_client()
    assert "Quầy số 3" in public.get("/").get_data(as_text=True)
    page = editor.get("/editor/notices").get_data(as_text=True)
    assert "showing now" in page
    action = page.split('action="/editor/notices/')[1].split('"')[0]
    assert editor.post(f"/editor/notices/{action}",
                       data={"csrf_token": csrf_token(page)}).status_code == 302
    assert "Quầy số 3" not in public.get("/").get_data(as_text=True)
    assert public.post("/editor/notices", data={"title": "x"}).status_code in (302, 400, 403)
