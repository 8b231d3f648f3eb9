"""Issue 19 in a real browser: what to bring is on the first screen(s) of every published
procedure, on a phone and on the kiosk, in both languages; a chosen case prints on one A4."""

from __future__ import annotations

import pytest

from app import queries
from tests.test_a11y import A4_PRINT_WIDTH, PDF_SAMPLE
from tests.test_kiosk import pdf_pages

PHONE = {"width": 390, "height": 844}
KIOSK = {"width": 1080, "height": 1920}


def _with_documents(app) -> list[tuple[str, str]]:
    """(slug, first case slug or "") of every listed procedure that has documents."""
    with app.app_context():
        out = []
        for proc in queries.listed_procedures():
            full = queries.procedure_by_slug(proc.slug)
            cases = [c for c in full.document_cases if c.documents]
            if cases:
                out.append((proc.slug, cases[1].slug if len(cases) > 1 else ""))
        return out


def _tops(browser, base: str, viewport: dict, prefix: str, slugs) -> dict[str, float]:
    context = browser.new_context(viewport=viewport, has_touch=True, locale="vi-VN")
    page = context.new_page()
    tops = {}
    for lang in ("", "/en"):
        for slug, _case in slugs:
            page.goto(f"{base}{prefix}{lang}/thu-tuc/{slug}")
            tops[f"{prefix}{lang}/{slug}"] = page.evaluate(
                "document.getElementById('documents').getBoundingClientRect().top"
                " + window.scrollY")
    context.close()
    return tops


@pytest.mark.browser
def test_documents_start_within_one_and_a_half_phone_screens(app, live_server, browser):
    slugs = _with_documents(app)
    assert len(slugs) > 30
    tops = _tops(browser, live_server.url, PHONE, "", slugs)
    too_low = {k: round(v / PHONE["height"], 2) for k, v in tops.items()
               if v > 1.5 * PHONE["height"]}
    assert too_low == {}


@pytest.mark.browser
def test_documents_start_on_the_first_kiosk_screen(app, live_server, browser):
    slugs = _with_documents(app)
    tops = _tops(browser, live_server.url, KIOSK, "/kiosk", slugs)
    too_low = {k: round(v) for k, v in tops.items() if v > KIOSK["height"]}
    assert too_low == {}


@pytest.mark.browser
def test_a_chosen_case_prints_on_one_a4_page(app, live_server, browser):
    """Every chosen case's checklist is laid out in print media at the printed width and
    measured; the tallest of each language are printed to PDF and must be one page (as in
    tests/test_a11y.py: one no taller than a proven one fits too)."""
    chosen = [(slug, case) for slug, case in _with_documents(app) if case]
    assert chosen
    context = browser.new_context(viewport={"width": A4_PRINT_WIDTH, "height": 1000})
    page = context.new_page()
    page.emulate_media(media="print")
    too_long = {}
    for lang in ("", "/en"):
        heights = {}
        for slug, case in chosen:
            page.goto(f"{live_server.url}{lang}/thu-tuc/{slug}/in?truong-hop={case}")
            heights[(slug, case)] = page.evaluate("document.documentElement.scrollHeight")
        for slug, case in sorted(heights, key=heights.get, reverse=True)[:PDF_SAMPLE]:
            page.goto(f"{live_server.url}{lang}/thu-tuc/{slug}/in?truong-hop={case}")
            count = pdf_pages(page.pdf(format="A4", print_background=False))
            if count != 1:
                too_long[f"{lang}/{slug}?{case} ({heights[(slug, case)]} px)"] = count
    context.close()
    assert too_long == {}
