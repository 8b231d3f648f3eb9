"""The legal register for editors (issue #23, item 4): each kind once, filters for ending soon,
replaced, no date and cited, and a document's page linking every procedure that cites it.
Expected rows are worked out here from the stored rows, not from the view's filters."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from app.dates import CENTRE_ZONE
from app.extensions import db
from app.models import Fee, LegalBasis, LegalDocument, Procedure
from tests.editor_support import signed_in
from tests.html import attr_values, every, one, text

TODAY = date(2026, 12, 15)
REGISTER = "/editor/review/legal-documents"


def _at(app, day: date) -> None:
    moment = datetime.combine(day, time(9), CENTRE_ZONE).astimezone(UTC)
    app.config["CLOCK"] = lambda: moment


def _numbers(page: str) -> set[str]:
    return {text(a) for a in every(page, "#register tbody tr td:first-child a")}


def _cited_numbers() -> set[str]:
    live = Procedure.published.is_(True)
    bases = db.session.scalars(select(LegalBasis.number).join(
        Procedure, Procedure.id == LegalBasis.procedure_id).where(live))
    fees = db.session.scalars(select(Fee.basis_document).join(
        Procedure, Procedure.id == Fee.procedure_id).where(
        live, (Fee.valid_until.is_(None)) | (Fee.valid_until >= TODAY)))
    return set(bases) | {n for n in fees if n}


def test_the_register_names_each_kind_once(app):
    page = signed_in(app, "publisher").get(REGISTER).get_data(as_text=True)
    with app.app_context():
        docs = {d.number: d for d in db.session.scalars(select(LegalDocument))}
    rows = every(page, "#register tbody tr")
    assert len(rows) == len(docs)
    for row in rows:
        number, name = text(row.find_all("td")[0]), text(row.find_all("td")[1])
        kind = docs[number].kind
        if kind:
            assert name.startswith(kind) and not name[len(kind):].strip().startswith(kind), name
            assert name.count(kind + " " + kind) == 0


def test_the_register_filters_match_the_stored_rows(app):
    _at(app, TODAY)
    publisher = signed_in(app, "publisher")
    with app.app_context():
        docs = list(db.session.scalars(select(LegalDocument)))
        soon = TODAY + timedelta(days=90)
        expected = {
            "replaced": {d.number for d in docs if d.status_on(TODAY) == "replaced"},
            "undated": {d.number for d in docs if d.valid_from is None},
            "cited": {d.number for d in docs} & _cited_numbers(),
            "expiring": {d.number for d in docs if d.status_on(TODAY) == "in_force" and (
                (d.valid_until is not None and d.valid_until <= soon)
                or (d.replaced_by is not None and d.replaced_by.valid_from is not None
                    and d.replaced_by.valid_from <= soon + timedelta(days=1)))},
        }
    assert expected["expiring"] and expected["cited"]  # the demo has some of each
    whole = publisher.get(REGISTER).get_data(as_text=True)
    links = attr_values(whole, "#register-filters a", "href")
    for name, numbers in expected.items():
        assert f"{REGISTER}?show={name}" in links
        page = publisher.get(f"{REGISTER}?show={name}")
        assert page.status_code == 200
        html = page.get_data(as_text=True)
        assert _numbers(html) == numbers, name
        assert one(html, "#register-filters [aria-current=page]")["href"].endswith(name)


def test_an_unknown_filter_is_refused_with_a_message(app):
    page = signed_in(app, "publisher").get(f"{REGISTER}?show=nonsense")
    assert page.status_code == 400
    assert "Unknown filter" in text(one(page.get_data(as_text=True), "#filter-error"))


def test_a_document_page_links_the_procedures_citing_it(app):
    _at(app, TODAY)
    publisher = signed_in(app, "publisher")
    with app.app_context():
        number = sorted(_cited_numbers() & set(db.session.scalars(
            select(LegalDocument.number))))[0]
        doc_id = db.session.scalar(select(LegalDocument.id).filter_by(number=number))
        procs = set(db.session.scalars(select(Procedure.id).join(
            LegalBasis, LegalBasis.procedure_id == Procedure.id).where(
            LegalBasis.number == number, Procedure.published.is_(True))))
        procs |= set(db.session.scalars(select(Procedure.id).join(
            Fee, Fee.procedure_id == Procedure.id).where(
            Fee.basis_document == number, Procedure.published.is_(True),
            (Fee.valid_until.is_(None)) | (Fee.valid_until >= TODAY))))
    html = publisher.get(f"{REGISTER}/{doc_id}").get_data(as_text=True)
    linked = attr_values(html, "#citing-procedures a", "href")
    assert sorted(linked) == sorted(f"/editor/procedures/{pid}" for pid in procs)
    count_link = one(publisher.get(REGISTER).get_data(as_text=True),
                     f'#register a[href="{REGISTER}/{doc_id}#cited-by"]')
    assert text(count_link) == str(len(procs))
