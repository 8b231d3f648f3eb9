"""The register of legal documents: status on a date, the migration that fills it, loading
and export, the public register page, citations on procedure pages, provenance, the API."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select, text

from app.extensions import db
from app.models import LegalBasis, LegalDocument, Procedure

DAY = date(2026, 11, 28)


def doc(**values) -> LegalDocument:
    return LegalDocument(number=values.pop("number", "1/2025/TT-BTC"), **values)


@pytest.mark.parametrize(("values", "expected"), [
    ({}, "in_force"),
    ({"valid_from": date(2027, 1, 1)}, "not_yet_in_force"),
    ({"valid_until": date(2026, 11, 28)}, "in_force"),  # the last day still counts
    ({"valid_until": date(2026, 11, 27)}, "expired"),
    ({"replaced_by": doc(number="2/2026/TT-BTC", valid_from=date(2026, 7, 1))}, "replaced"),
    ({"replaced_by": doc(number="2/2026/TT-BTC", valid_from=date(2027, 7, 1))}, "in_force"),
    ({"status": "expired"}, "expired"),  # set by an editor: wins over the dates
])
def test_status_on_a_date(values, expected):
    assert doc(**values).status_on(DAY) == expected


def test_migration_fills_the_register_from_cited_numbers(tmp_path):
    from flask_migrate import upgrade

    from tests.old_schema import PROCEDURE, database_at
    from tests.test_fee_migration import migrated

    app, engine = database_at(tmp_path, "a1b2c3d4e5f6")  # the head before this branch
    with engine.connect() as conn:
        conn.execute(text(PROCEDURE))
        for i, (number, title) in enumerate([("60/2014/QH13", "Luật Hộ tịch"),
                                             ("60/2014/QH13", "Luật Hộ tịch (lần 2)"),
                                             ("123/2015/NĐ-CP", ""), ("", "no number")]):
            conn.execute(text("INSERT INTO legal_basis (id, procedure_id, position, number, "
                              "title, issuer, issued_on) VALUES (:i, 1, 0, :n, :t, 'Quốc hội', "
                              "'2014-11-20')"), {"i": i + 1, "n": number, "t": title})
        conn.commit()
    with migrated(app, engine, upgrade, "f11a00000001") as conn:
        rows = conn.execute(text("SELECT number, kind, title, issued_on FROM legal_document "
                                 "ORDER BY number")).all()
    engine.dispose()
    assert [tuple(r) for r in rows] == [
        ("123/2015/NĐ-CP", "Nghị định", "", "2014-11-20"),
        ("60/2014/QH13", "Luật", "Luật Hộ tịch", "2014-11-20")]


def test_the_demo_catalogue_registers_every_cited_number(ctx):
    cited = set(db.session.scalars(select(LegalBasis.number).where(LegalBasis.number != "")))
    registered = set(db.session.scalars(select(LegalDocument.number)))
    assert cited and cited <= registered


def _load(items):
    from app.catalogue_io import load_catalogue

    return load_catalogue({"legal_documents": items})


def test_loading_links_replacements_by_number_and_is_idempotent(ctx):
    items = [
        {"number": "64/2025/TT-BTC", "title": "Giảm phí", "issuer": "Bộ Tài chính",
         "valid_from": "2025-07-01", "valid_until": "2026-12-31", "url": "https://example.org/64"},
        {"number": "244/2016/TT-BTC", "replaced_by": "16/2025/TT-BTC"},
        {"number": "16/2025/TT-BTC", "valid_from": "2025-04-01"},
    ]
    report = _load(items)
    assert report.ok, report.rejected
    old = db.session.scalar(select(LegalDocument).filter_by(number="244/2016/TT-BTC"))
    assert old.replaced_by.number == "16/2025/TT-BTC"
    assert old.status_on(DAY) == "replaced"
    assert old.kind == "Thông tư"  # from the number when the item does not say
    db.session.commit()
    again = _load(items)
    assert (again.created, again.changed, again.rejected) == ([], [], [])


@pytest.mark.parametrize(("item", "message"), [
    ({"number": ""}, "number: required"),
    ({"number": "1/2026/TT-BTC", "valid_from": "01/07/2026"}, "valid_from: not a date"),
    ({"number": "1/2026/TT-BTC", "status": "maybe"}, "status: must be one of"),
    ({"number": "1/2026/TT-BTC", "kind": "Công văn"}, "kind: must be one of"),
    ({"number": "1/2026/TT-BTC", "url": "javascript:alert(1)"}, "url: must start with http"),
    ({"number": "1/2026/TT-BTC", "replaced_by": "9/9999/XX"}, "replaced_by: no other"),
])
def test_bad_register_items_are_rejected_with_the_reason(ctx, item, message):
    report = _load([item])
    assert not report.ok
    assert message in report.rejected[0][1]


def test_export_carries_the_register_and_loads_back_unchanged(ctx):
    from app.catalogue_io import export_catalogue, load_catalogue

    _load([{"number": "244/2016/TT-BTC", "replaced_by": "16/2025/TT-BTC", "status": "replaced"},
           {"number": "16/2025/TT-BTC", "valid_from": "2025-04-01"}])
    db.session.commit()
    exported = export_catalogue()
    entry = next(e for e in exported["legal_documents"] if e["number"] == "244/2016/TT-BTC")
    assert entry["replaced_by"] == "16/2025/TT-BTC" and entry["status"] == "replaced"
    report = load_catalogue({"legal_documents": exported["legal_documents"]})
    assert (report.created, report.changed, report.rejected) == ([], [], [])


def _expire(app, number: str) -> int:
    with app.app_context():
        entry = db.session.scalar(select(LegalDocument).filter_by(number=number))
        entry.status = "expired"
        db.session.commit()
        return entry.id


def test_api_lists_the_register_and_serves_one_entry(app, client):
    with app.app_context():
        _load([{"number": "244/2016/TT-BTC", "replaced_by": "16/2025/TT-BTC"},
               {"number": "16/2025/TT-BTC", "valid_from": "2025-04-01",
                "url": "https://vbpl.vn/16-2025"}])
        db.session.commit()
        new_id = db.session.scalar(select(LegalDocument.id).filter_by(number="16/2025/TT-BTC"))
    body = client.get("/api/v1/legal-documents").get_json()
    assert body["total"] == len(body["items"]) > 2
    old = next(i for i in body["items"] if i["number"] == "244/2016/TT-BTC")
    assert set(old) == {"id", "number", "kind", "title", "issuer", "issued_on", "valid_from",
                        "valid_until", "status", "replaced_by", "url"}
    assert old["status"] == "replaced" and old["replaced_by"] == new_id and old["url"] is None
    one = client.get(f"/api/v1/legal-documents/{new_id}")
    assert one.status_code == 200 and "Set-Cookie" not in one.headers
    assert one.get_json()["url"] == "https://vbpl.vn/16-2025"
    assert one.get_json()["valid_from"] == "2025-04-01"
    missing = client.get("/api/v1/legal-documents/999999")
    assert missing.status_code == 404 and missing.get_json()["error"]["status"] == 404
    assert client.get("/api/v1/legal-documents/99999999999999999999999").status_code == 404


def _cited_procedure(app) -> tuple[str, str]:
    """A published procedure and one number its legal bases cite."""
    with app.app_context():
        basis = db.session.scalar(select(LegalBasis).join(Procedure).where(
            Procedure.published.is_(True), LegalBasis.number == "60/2014/QH13").limit(1))
        return db.session.get(Procedure, basis.procedure_id).slug, basis.number


def test_procedure_page_marks_a_citation_no_longer_in_force(app, client):
    slug, number = _cited_procedure(app)
    page = client.get(f"/thu-tuc/{slug}").get_data(as_text=True)
    assert "tag-warning" not in page.split('id="legal"')[1]
    entry_id = _expire(app, number)
    page = client.get(f"/thu-tuc/{slug}").get_data(as_text=True)
    legal = page.split('id="legal"')[1].split("</section>")[0]
    assert number in legal and "tag-warning" in legal
    register = client.get("/van-ban-phap-luat")
    assert register.status_code == 200 and "Set-Cookie" not in register.headers
    html = register.get_data(as_text=True)
    entry = html.split(f'id="vb-{entry_id}"')[1].split("</li>\n")[0]
    assert f'/van-ban-phap-luat/{entry_id}"' in entry  # its page lists who cites it
    assert f'/thu-tuc/{slug}"' in client.get(f"/van-ban-phap-luat/{entry_id}").get_data(
        as_text=True)
    assert "tag-warning" in entry
    assert 'id="group-expired"' in html


def test_every_procedure_page_says_when_and_against_what_it_was_checked(app, client):
    with app.app_context():
        proc = db.session.scalar(select(Procedure).where(Procedure.published.is_(True)).limit(1))
        proc.reviewed_at = datetime(2026, 10, 31, 20, 0)  # UTC: 1 Nov in Hà Nội
        proc.source = "Cơ sở dữ liệu quốc gia về TTHC"
        slug = proc.slug
        db.session.commit()
    page = client.get(f"/thu-tuc/{slug}").get_data(as_text=True)
    line = page.split('class="provenance meta"')[1].split("</p>")[0]
    assert "01/11/2026" in line and "Cơ sở dữ liệu quốc gia về TTHC" in line
    printed = client.get(f"/thu-tuc/{slug}/in").get_data(as_text=True)
    assert "01/11/2026" in printed.split('class="provenance meta"')[1]


def test_a_published_skeleton_points_to_the_national_portal(app, client):
    with app.app_context():
        proc = db.session.scalar(select(Procedure).where(Procedure.published.is_(True)).limit(1))
        proc.document_cases, proc.steps = [], []
        slug = proc.slug
        db.session.commit()
    page = client.get(f"/thu-tuc/{slug}").get_data(as_text=True)
    notice = page.split('<div class="notice" role="note">')[1].split("</div>")[0]
    assert "dichvucong.gov.vn" in notice and 'rel="external' in notice


def test_status_follows_the_centres_clock(app, client):
    with app.app_context():
        _load([{"number": "99/2026/TT-BTC", "valid_until": "2026-12-31"}])
        db.session.commit()
        entry_id = db.session.scalar(select(LegalDocument.id).filter_by(number="99/2026/TT-BTC"))
    url = f"/api/v1/legal-documents/{entry_id}"
    # 16:59 UTC on 31/12 is 23:59 in Hà Nội: still in force; a minute later it is not.
    app.config["CLOCK"] = lambda: datetime(2026, 12, 31, 16, 59, tzinfo=UTC)
    assert client.get(url).get_json()["status"] == "in_force"
    app.config["CLOCK"] = lambda: datetime(2026, 12, 31, 17, 0, tzinfo=UTC)
    assert client.get(url).get_json()["status"] == "expired"


def test_publishing_a_new_citation_adds_it_to_the_register(ctx):
    from app.records import procedure_to_dict
    from app.revisions import drafts

    proc = db.session.scalar(select(Procedure).where(Procedure.published.is_(True)).limit(1))
    record = procedure_to_dict(proc)
    record["legal_bases"].append({"number": "77/2026/NĐ-CP", "title": "Nghị định mới"})
    drafts.save_draft(proc, record, None, proc.lock_version)
    drafts.submit(proc, proc.lock_version)
    assert db.session.scalar(select(LegalDocument).filter_by(number="77/2026/NĐ-CP")) is None
    drafts.publish(proc, proc.lock_version)
    entry = db.session.scalar(select(LegalDocument).filter_by(number="77/2026/NĐ-CP"))
    assert entry is not None and entry.kind == "Nghị định" and entry.title == "Nghị định mới"


def test_the_register_page_is_in_the_sitemap_and_every_mount(client):
    sitemap = client.get("/sitemap.xml").get_data(as_text=True)
    assert "/van-ban-phap-luat</loc>" in sitemap and "/en/van-ban-phap-luat" in sitemap
    for path in ("/en/van-ban-phap-luat", "/kiosk/van-ban-phap-luat"):
        response = client.get(path)
        assert response.status_code == 200 and "Set-Cookie" not in response.headers, path
    english = client.get("/en/van-ban-phap-luat").get_data(as_text=True)
    assert '<html lang="en"' in english and "<h1>Legal documents</h1>" in english


def test_the_register_links_each_cited_document_to_its_page_of_citing_procedures(app, client):
    from app.dates import today_local
    from app.legal.citations import citing
    from tests.html import attr_values, every, one, text

    register = client.get("/van-ban-phap-luat")
    pages = attr_values(register, 'a[href^="/van-ban-phap-luat/"]', "href")
    assert pages, "no document page is linked"
    with app.app_context():
        doc = db.session.scalar(select(LegalDocument).filter_by(number="60/2014/QH13"))
        expected = {p.slug for p in citing([doc.number], today_local()).get(doc.number, [])}
    assert expected and f"/van-ban-phap-luat/{doc.id}" in pages
    page = client.get(f"/van-ban-phap-luat/{doc.id}")
    assert page.status_code == 200 and "60/2014/QH13" in text(one(page, "h1"))
    listed = {href.rsplit("/", 1)[-1] for href in attr_values(page, 'main a[href^="/thu-tuc/"]',
                                                               "href")}
    assert listed == expected
    assert every(client.get(f"/en/van-ban-phap-luat/{doc.id}"), "main h2")
    assert client.get("/van-ban-phap-luat/999999").status_code == 404
