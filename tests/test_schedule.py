"""Changes that take effect on their date (issue 21, items 1–3): a revision published "có
hiệu lực từ" tomorrow is nowhere today and everywhere one second after local midnight, on two
workers each with its own response cache, with no restart and no cache clear; an abolition
leaves lists, search, the API list and the sitemap from its date; ``?on=`` answers for before
and after; withdrawn changes never apply; several apply in date order.

The clock moves through config ``CLOCK`` (``app.dates``). "The node's indexer" is played by
``search.sync()``, which is what each node's indexer loop runs.
"""

from __future__ import annotations

import json
import shutil
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from app import schedule, search
from app.extensions import db
from app.models import Procedure, ProcedureChange, Revision
from app.records import procedure_to_dict
from tests.conftest import make_app
from tests.editor_support import edit_form, procedure_id, read_form, save, signed_in

BIRTH = "1.001193"
SLUG = "dang-ky-khai-sinh"
NEW_NAME = "Đăng ký khai sinh theo quy trình zxqmoi"
TOKEN = "zxqmoi"
# 23:59:59 on 31/12/2026 in Hà Nội is 16:59:59 UTC; one second after local midnight is 17:00:01.
BEFORE = datetime(2026, 12, 31, 16, 59, 59, tzinfo=UTC)
AFTER = datetime(2026, 12, 31, 17, 0, 1, tzinfo=UTC)
TOMORROW = date(2027, 1, 1)


@pytest.fixture
def clock(app):
    now = {"now": BEFORE}
    app.config["CLOCK"] = lambda: now["now"]
    app.config["RESPONSE_CACHE_SECONDS"] = 20.0  # as in production: no cache outlives the switch
    return now


@pytest.fixture
def second_worker(app, clock, tmp_path):
    """Another worker on another node: same database, its own index copy and response cache."""
    index = tmp_path / "index-b"
    shutil.copytree(app.config["SEARCH_INDEX_DIR"], index, symlinks=True)
    other = make_app(app.config["SQLALCHEMY_DATABASE_URI"], index,
                     CLOCK=lambda: clock["now"], RESPONSE_CACHE_SECONDS=20.0)
    yield other
    with other.app_context():
        db.session.remove()
        db.engine.dispose()


def _schedule_through_the_editor(app, day: date, name: str, note: str) -> int:
    editor, publisher = signed_in(app, "editor"), signed_in(app, "publisher")
    pid = procedure_id(app, BIRTH)
    data = edit_form(editor, pid)
    data["plain_name"] = name
    data["keywords"] = TOKEN
    assert save(editor, pid, data).status_code == 302
    page = editor.get(f"/editor/procedures/{pid}").get_data(as_text=True)
    form = read_form(page, next(i for i, chunk in enumerate(page.split("<form")[1:])
                                if "/submit\"" in chunk.split(">")[0]))
    assert editor.post(f"/editor/procedures/{pid}/submit", data=form).status_code == 302
    page = publisher.get(f"/editor/procedures/{pid}").get_data(as_text=True)
    index = next(i for i, chunk in enumerate(page.split("<form")[1:])
                 if "publish-form" in chunk.split(">")[0])
    form = read_form(page, index)
    form["effective_on"] = day.strftime("%d/%m/%Y")
    form["change_note"] = note
    form["document_number"] = "123/2026/NĐ-CP"
    answer = publisher.post(f"/editor/review/procedures/{pid}/publish", data=form)
    assert answer.status_code == 302
    flashed = publisher.get(f"/editor/procedures/{pid}").get_data(as_text=True)
    assert "Scheduled" in flashed, flashed[:3000]
    return pid


def _has(text: str, needle: str) -> bool:
    """``needle`` in an HTML page or a JSON answer (which escapes non-ASCII letters)."""
    return needle in text or json.dumps(needle)[1:-1] in text


def _surfaces(client) -> dict[str, str]:
    pages = {path: client.get(path) for path in (
        f"/thu-tuc/{SLUG}", f"/thu-tuc/{SLUG}/in", f"/kiosk/thu-tuc/{SLUG}",
        f"/en/thu-tuc/{SLUG}", f"/api/v1/procedures/{BIRTH}", "/tim-kiem?q=" + TOKEN,
        "/api/v1/search?q=" + TOKEN)}
    for path, answer in pages.items():
        assert answer.status_code == 200, (path, answer.status_code)
    return {path: answer.get_data(as_text=True) for path, answer in pages.items()}


def test_a_revision_for_tomorrow_is_nowhere_today_and_everywhere_after_midnight(
        app, clock, second_worker):
    pid = _schedule_through_the_editor(app, TOMORROW, NEW_NAME, "Nộp trực tuyến là chính.")
    workers = (app, second_worker)
    for worker in workers:
        with worker.app_context():
            search.sync()  # this node's indexer: nothing to change today
        texts = _surfaces(worker.test_client())
        for path, text in texts.items():
            if "search" in path or "tim-kiem" in path:
                assert BIRTH not in text and SLUG not in text, path
            else:
                assert not _has(text, NEW_NAME), path
        notice = texts[f"/thu-tuc/{SLUG}"]
        assert "Nộp trực tuyến là chính." in notice and f"?on={TOMORROW.isoformat()}" in notice
        coming = worker.test_client().get(f"/thu-tuc/{SLUG}?on={TOMORROW.isoformat()}")
        assert NEW_NAME in coming.get_data(as_text=True)
        api_coming = worker.test_client().get(f"/api/v1/procedures/{BIRTH}?on=2027-01-01")
        assert _has(api_coming.get_data(as_text=True), NEW_NAME)
    with app.app_context():
        assert db.session.get(Procedure, pid).plain_name != NEW_NAME

    clock["now"] = AFTER  # no restart, no cache clear
    for worker in workers:
        client = worker.test_client()
        page = client.get(f"/thu-tuc/{SLUG}").get_data(as_text=True)
        assert NEW_NAME in page and "Nộp trực tuyến là chính." in page  # now a recent change
        with worker.app_context():
            search.sync()  # each node's indexer follows the outbox row the switch wrote
        for path, text in _surfaces(client).items():
            searching = "search" in path or "tim-kiem" in path
            if "/en/" in path:  # the English name did not change; the change note is listed
                assert "Recent changes" in text and "Nộp trực tuyến là chính." in text
            else:
                assert (SLUG in text or BIRTH in text) if searching else _has(text, NEW_NAME), path
        before = client.get(f"/thu-tuc/{SLUG}?on=2026-12-31").get_data(as_text=True)
        assert NEW_NAME not in before, "?on= an earlier date shows the version then in force"
    with app.app_context():
        changes = list(db.session.scalars(select(ProcedureChange).filter_by(procedure_id=pid)))
        assert [c.state for c in changes] == ["applied"]
        rev = db.session.get(Revision, changes[0].revision_id)
        assert rev.state == "published"


def test_a_bad_on_date_is_refused_with_a_message(client):
    for value in ("2027-13-01", "tomorrow", "9999-01-01", "2027-1-1"):
        answer = client.get(f"/thu-tuc/{SLUG}?on={value}")
        assert answer.status_code == 400, value


def _abolish(app, code: str, day: date, successor: str | None = None) -> None:
    with app.app_context():
        proc = db.session.scalar(select(Procedure).filter_by(code=code))
        after = successor and db.session.scalar(select(Procedure).filter_by(code=successor))
        schedule.schedule_abolition(proc, day, "3249/QĐ-UBND", "Bãi bỏ theo quyết định.", after)
        db.session.commit()


def test_an_abolished_procedure_leaves_lists_search_api_and_sitemap_from_its_date(
        app, client, clock):
    _abolish(app, BIRTH, TOMORROW)
    with app.app_context():
        field = db.session.scalar(select(Procedure).filter_by(code=BIRTH)).field.slug
    listed = (f"/linh-vuc/{field}", "/api/v1/procedures?per_page=100", "/sitemap.xml",
              "/tim-kiem?q=khai+sinh", "/kiosk/tim-kiem?q=khai+sinh", "/api/v1/search?q=khai+sinh")
    for path in listed:
        text = client.get(path).get_data(as_text=True)
        assert SLUG in text or BIRTH in text, path
    page = client.get(f"/thu-tuc/{SLUG}").get_data(as_text=True)
    assert "01/01/2027" in page and "3249/QĐ-UBND" in page

    clock["now"] = AFTER
    page = client.get(f"/thu-tuc/{SLUG}")
    assert page.status_code == 200 and "01/01/2027" in page.get_data(as_text=True)
    with app.app_context():
        search.sync()
    for path in listed:
        text = client.get(path).get_data(as_text=True)
        assert f"/thu-tuc/{SLUG}\"" not in text and f'"{BIRTH}"' not in text, path
    assert client.get(f"/api/v1/procedures/{BIRTH}").status_code == 404


def test_an_abolished_procedure_with_a_successor_redirects_there(app, client, clock):
    _abolish(app, BIRTH, TOMORROW, successor="1.000894")
    clock["now"] = AFTER
    answer = client.get(f"/thu-tuc/{SLUG}")
    assert answer.status_code == 301 and "/thu-tuc/" in answer.headers["Location"]


def _scheduled_revision(app, day: date, name: str) -> int:
    with app.app_context():
        proc = db.session.scalar(select(Procedure).filter_by(code=BIRTH))
        data = {**procedure_to_dict(proc), "plain_name": name}
        rev = Revision(procedure_id=proc.id, number=100 + day.day, state="in_review", data=data)
        db.session.add(rev)
        db.session.flush()
        change = schedule.schedule_revision(proc, rev, day, f"Đổi tên: {name}")
        db.session.commit()
        return change.id


def test_several_revisions_apply_in_date_order_and_a_withdrawn_one_never(app, client, clock):
    _scheduled_revision(app, date(2027, 1, 1), "Tên thứ nhất")
    withdrawn = _scheduled_revision(app, date(2027, 1, 2), "Tên bị rút")
    _scheduled_revision(app, date(2027, 1, 3), "Tên thứ ba")
    with app.app_context():
        schedule.withdraw(db.session.get(ProcedureChange, withdrawn))
        db.session.commit()
    assert "Tên bị rút" not in client.get(f"/thu-tuc/{SLUG}?on=2027-01-02").get_data(as_text=True)
    assert "Tên thứ ba" in client.get(f"/thu-tuc/{SLUG}?on=2027-01-05").get_data(as_text=True)
    clock["now"] = datetime(2027, 1, 4, 1, tzinfo=UTC)  # nobody visited for three days
    assert "Tên thứ ba" in client.get(f"/thu-tuc/{SLUG}").get_data(as_text=True)
    with app.app_context():
        birth = db.session.scalar(select(Procedure.id).filter_by(code=BIRTH))
        applied = list(db.session.scalars(select(ProcedureChange).where(
            ProcedureChange.state == "applied", ProcedureChange.procedure_id == birth)
            .order_by(ProcedureChange.applied_at)))
        assert [c.effective_on.day for c in applied] == [1, 3]
    # The version of 02/01 is the first revision's, kept when the third was applied.
    assert "Tên thứ nhất" in client.get(f"/thu-tuc/{SLUG}?on=2027-01-02").get_data(as_text=True)


def test_the_demo_data_schedules_a_revision_and_an_abolition_from_dated_facts(app, client,
                                                                               clock):
    """1.116410: the 50 % reduction of TT 64/2025/TT-BTC ends with 31/12/2026 (its Điều 3);
    1.011606: abolished in Hải Phòng from 01/01/2027 by QĐ 3249/QĐ-UBND. So ``?on=`` a day
    of 2027 differs from today beyond fees, and the switch happens at midnight."""
    with app.app_context():
        planned = {(c.procedure.code, c.kind, c.effective_on) for c in schedule.scheduled_all()}
        assert {("1.116410", "revision", TOMORROW), ("1.011606", "abolition", TOMORROW)} <= planned
    card, poverty = "/thu-tuc/cap-the-can-cuoc", "/thu-tuc/cong-nhan-ho-ngheo-ho-can-ngheo"
    today, coming = client.get(card).get_data(as_text=True), client.get(
        card + "?on=2027-01-02").get_data(as_text=True)
    assert "Từ 01/01/2027 lệ phí cấp đổi" not in today and "Từ 01/01/2027 lệ phí cấp đổi" in coming
    assert "25.000" in today and "25.000" not in coming, "?on= shows that day's fees too"
    assert "Từ 01/01/2027 thủ tục này thay đổi." in today and "?on=2027-01-01" in today
    assert "From 01/01/2027 this procedure changes." in client.get("/en" + card).get_data(
        as_text=True)
    assert "3249/QĐ-UBND" in client.get(poverty).get_data(as_text=True)
    assert "cong-nhan-ho-ngheo" in client.get("/sitemap.xml").get_data(as_text=True)
    clock["now"] = AFTER
    assert "Từ 01/01/2027 lệ phí cấp đổi" in client.get(card).get_data(as_text=True)
    assert "cong-nhan-ho-ngheo" not in client.get("/sitemap.xml").get_data(as_text=True)
    assert client.get(poverty).status_code == 200  # the page stays, with the notice
