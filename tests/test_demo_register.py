"""The demo catalogue against its register, on the editors' dashboard: every published procedure
that cites a document replaced or expired on the day (in its legal bases, or in a fee still in
force) is listed under "Citing documents no longer in force" with that document, unless an
editor reviewed it since. The expected list is worked out here from the stored rows and the
register's dates, not from ``app.legal.citations``, so a gap in either shows.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
from sqlalchemy import select

from app.dates import CENTRE_ZONE
from app.extensions import db
from app.legal.status import local_date
from app.models import LegalDocument, Procedure
from tests.editor_support import signed_in

# Today; the day the Circular 64/2025 reductions end; the day NQ 66.22/TT 117/2026 lapse.
DAYS = [None, date(2027, 1, 1), date(2027, 3, 1)]


def _expected(day: date) -> dict[int, set[str]]:
    """procedure id → the numbers it cites that are not in force on ``day``."""
    register = {doc.number: doc for doc in db.session.scalars(select(LegalDocument))}
    out = {n for n, doc in register.items() if doc.status_on(day) in ("replaced", "expired")}
    found: dict[int, set[str]] = {}
    for proc in db.session.scalars(select(Procedure).where(Procedure.published.is_(True))):
        cited = {basis.number for basis in proc.legal_bases}
        cited |= {fee.basis_document for channel in proc.channels for fee in channel.fees
                  if fee.basis_document and (fee.valid_until is None or fee.valid_until >= day)}
        stale = {n for n in cited & out
                 if proc.reviewed_at is None
                 or local_date(proc.reviewed_at) < register[n].out_of_force_since(day)}
        if stale:
            found[proc.id] = stale
    return found


@pytest.mark.parametrize("day", DAYS, ids=["today", "2027-01-01", "2027-03-01"])
def test_a_record_citing_a_retired_document_is_on_the_dashboard(app, day):
    if day is not None:  # the centre's clock at 9 o'clock that day
        moment = datetime.combine(day, time(9), CENTRE_ZONE).astimezone(UTC)
        app.config["CLOCK"] = lambda: moment
    editor = signed_in(app, "publisher")
    with app.app_context():
        from app.dates import today_local

        expected = _expected(today_local())
    page = editor.get("/editor/").get_data(as_text=True)
    listed = page.split('id="warn-documents"')[1].split("</ul>")[0] if expected else ""
    items = {item.split('href="/editor/procedures/')[1].split('"')[0]: item
             for item in listed.split("<li>")[1:]}
    for proc_id, numbers in expected.items():
        assert str(proc_id) in items, f"procedure {proc_id} citing {numbers} not on the dashboard"
        assert all(number in items[str(proc_id)] for number in numbers), (proc_id, numbers)
    if day == date(2027, 3, 1):
        assert expected, "the demo cites NQ 66.22 and TT 117/2026, which lapse on 28/02/2027"


@pytest.mark.parametrize("mount", ["", "/kiosk", "/en"])
def test_dated_reform_facts_show_with_their_basis(client, mount):
    """Online-only filing from a date, any centre in the province, a paper the authority reads
    from a national database: each shown on the page (and the kiosk skin) with its basis."""
    gpxd = client.get(f"{mount}/thu-tuc/{_slug(client, '1.013225')}").get_data(as_text=True)
    online = gpxd.split('id="ways-heading"')[1].split("</section>")[0]
    assert "01/07/2026" in online and "Nghị định 217/2026/NĐ-CP, Điều 54 khoản 1" in online
    if not mount:
        assert "Chỉ nhận hồ sơ trực tuyến từ 01/07/2026" in online
    ct07 = client.get(f"{mount}/thu-tuc/{_slug(client, 'DEMO-CT07')}").get_data(as_text=True)
    assert "Công an tỉnh Quảng Ninh, mục 11.2" in ct07.split('id="ways-heading"')[1]
    lltp = client.get(f"{mount}/thu-tuc/{_slug(client, '3.000333')}").get_data(as_text=True)
    item = lltp.split("Thẻ căn cước hoặc bản chụp giấy tờ tùy thân")[1].split("</li>")[0]
    assert "Nghị định 216/2026/NĐ-CP, Điều 23 khoản 2 điểm a" in item
    if not mount:
        assert "Không phải nộp — cơ quan tự khai thác" in item


def _slug(client, code: str) -> str:
    with client.application.app_context():
        return db.session.scalar(select(Procedure.slug).filter_by(code=code))


def test_pages_with_reform_facts_are_valid_html(client):
    from tests.checkers import vnu_errors

    pages = {f"{mount}{code}": client.get(f"{mount}/thu-tuc/{_slug(client, code)}")
             .get_data(as_text=True)
             for code in ("1.013225", "DEMO-CT07", "3.000333", "1.002755")
             for mount in ("", "/kiosk")}
    assert vnu_errors(pages) == {}
