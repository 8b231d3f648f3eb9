"""The demo catalogue tells the truth about its fees: each one names its source and when it was
checked, dated versions of one fee follow each other without gaps or overlaps, and the data shows
the dated-fee mechanism (a confirmed temporary or scheduled amount) on first run.

Most checks read the JSON files themselves, so a wrong edit is caught before any database; the
last ones check what the loader stored from them.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from datetime import date, timedelta
from itertools import pairwise
from typing import Any

import pytest
from sqlalchemy import select

from app.catalogue_io import read_catalogue_dir

CATALOGUE = read_catalogue_dir()
PROCEDURES: list[dict[str, Any]] = CATALOGUE["procedures"]
# Spellings the interface and the data no longer use: one tone placement, that of the legal
# texts (xóa, hủy, ủy, khóa, tùy, hòa, họa, hóa): a tone on the last vowel of an open "oa", "oe"
# or "uy" syllable ("hoà", "minh hoạ"); "quý" keeps its tone on the y in both styles.
OLD_SPELLINGS = re.compile(r"(?<![qg])(o[àáảãạèéẻẽẹ]|u[ỳýỷỹỵ])(?!\w)", re.IGNORECASE)


def fees() -> Iterator[tuple[dict, dict, dict]]:
    for proc in PROCEDURES:
        for channel in proc["channels"]:
            for fee in channel["fees"]:
                yield proc, channel, fee


def day(value: str | None) -> date | None:
    return None if value is None else date.fromisoformat(value)


def where(proc: dict, channel: dict, fee: dict) -> str:
    return f"{proc['code']} {channel['kind']} {fee['name']!r}"


def test_every_fee_names_its_source_and_when_it_was_checked():
    for proc, channel, fee in fees():
        source = (fee.get("basis_document") or "").strip() or (fee.get("legal_basis") or "").strip()
        assert source, f"{where(proc, channel, fee)}: no source"
        checked = fee.get("checked_on")
        assert checked, f"{where(proc, channel, fee)}: no checked_on"
        assert date(2025, 1, 1) <= day(checked) <= date.today(), where(proc, channel, fee)
        assert isinstance(fee.get("verified"), bool), where(proc, channel, fee)


def test_a_verified_fee_cites_document_and_article_and_an_unknown_amount_is_not_verified():
    for proc, channel, fee in fees():
        if fee["verified"]:
            assert fee.get("basis_document") and fee["basis_article"], where(proc, channel, fee)
            assert fee["amount"] is not None, where(proc, channel, fee)


def test_the_demo_shows_a_confirmed_temporary_or_scheduled_fee():
    dated = [fee for _, _, fee in fees() if fee["valid_from"] or fee["valid_until"]]
    assert any(fee["verified"] and fee["valid_until"] for fee in dated), "none confirmed"
    # The Circular 64/2025 reduction of the identity card ends on 31/12/2026; the full amount
    # follows the next day, so the site switches by itself at midnight.
    card = next(p for p in PROCEDURES if p["code"] == "1.116410")
    for channel in card["channels"]:
        renewal = [f for f in channel["fees"]
                   if f["name"] == "Lệ phí cấp đổi thẻ căn cước" and f["condition"] is None]
        assert {(f["amount"], f["valid_from"], f["valid_until"]) for f in renewal} == {
            (25000, "2025-07-01", "2026-12-31"), (50000, "2027-01-01", None)}


def test_versions_of_one_fee_neither_overlap_nor_leave_a_gap():
    versions: dict[tuple, list[dict]] = defaultdict(list)
    for proc, channel, fee in fees():
        versions[(proc["code"], channel["kind"], fee["name"], fee["condition"])].append(fee)
    for key, group in versions.items():
        ordered = sorted(group, key=lambda f: day(f["valid_from"]) or date.min)
        for before, after in pairwise(ordered):
            assert before["valid_until"] is not None, f"{key}: open version followed by another"
            assert day(after["valid_from"]) == day(before["valid_until"]) + timedelta(days=1), key
        for fee in group:
            if fee["valid_from"] and fee["valid_until"]:
                assert day(fee["valid_from"]) <= day(fee["valid_until"]), key


def test_conditions_and_cited_documents_are_in_their_registers():
    conditions = {c["slug"] for c in CATALOGUE["fee_conditions"]}
    register = {d["number"]: d for d in CATALOGUE["legal_documents"]}
    for proc, channel, fee in fees():
        assert fee["condition"] is None or fee["condition"] in conditions, where(proc, channel, fee)
        assert fee.get("basis_document") is None or fee["basis_document"] in register, \
            where(proc, channel, fee)
    for proc in PROCEDURES:
        for basis in proc["legal_bases"]:
            assert basis["number"] in register, (proc["code"], basis["number"])
    for entry in register.values():
        assert entry["replaced_by"] is None or entry["replaced_by"] in register, entry["number"]
        assert entry["url"] is None or entry["url"].startswith("https://"), entry["number"]


def test_replaced_fee_circulars_point_at_their_replacements():
    register = {d["number"]: d for d in CATALOGUE["legal_documents"]}
    assert register["244/2016/TT-BTC"]["replaced_by"] == "16/2025/TT-BTC"
    assert register["60/2023/TT-BTC"]["replaced_by"] == "155/2025/TT-BTC"
    assert register["25/2021/TT-BTC"]["replaced_by"] == "28/2026/TT-BTC"
    in_force_bases = {b["number"] for p in PROCEDURES for b in p["legal_bases"]}
    assert not in_force_bases & {"244/2016/TT-BTC", "60/2023/TT-BTC", "25/2021/TT-BTC"}


def test_codes_are_national_or_marked_as_demo_and_no_link_is_built_from_a_code():
    national = re.compile(r"^\d\.\d{6}$")
    for proc in PROCEDURES:
        assert proc["code_is_demo"] or national.match(proc["code"]), proc["code"]
        assert "ma_thu_tuc=" + proc["code"] not in (proc.get("source_url") or ""), proc["code"]
    assert len({p["code"] for p in PROCEDURES}) == len(PROCEDURES)
    assert len({p["slug"] for p in PROCEDURES}) == len(PROCEDURES)


def test_the_centre_has_its_2025_name_and_there_is_no_district_level():
    assert CATALOGUE["centre"]["name"].startswith("Trung tâm Phục vụ hành chính công")
    assert "huyen" not in {level["slug"] for level in CATALOGUE["levels"]}
    assert not any("Bộ phận một cửa" in p["intake_place"] for p in PROCEDURES)


def test_one_spelling_in_the_demo_data():
    for proc in PROCEDURES:
        text = repr(proc)
        assert not OLD_SPELLINGS.search(text), (proc["code"], OLD_SPELLINGS.search(text).group(0))


@pytest.mark.parametrize("code", ["1.116410", "2.000635", "3.000333", "1.004222", "1.001456"])
def test_vneid_exemptions_are_loaded_with_their_period_and_condition(ctx, code):
    from app.extensions import db
    from app.models import Fee, Procedure

    proc = db.session.scalar(select(Procedure).filter_by(code=code))
    exempt = [fee for channel in proc.channels for fee in channel.fees
              if fee.condition is not None and fee.condition.slug == "vneid-muc-2"]
    assert exempt, code
    for fee in exempt:
        assert isinstance(fee, Fee) and fee.amount == 0 and fee.verified
        assert (fee.valid_from, fee.valid_until) == (date(2026, 8, 15), date(2027, 2, 28))
        assert fee.basis_document == "117/2026/TT-BTC" and fee.basis_article.startswith("Điều 1")


def test_the_register_is_loaded_with_replacements(ctx):
    from app.extensions import db
    from app.models import LegalDocument

    old = db.session.scalar(select(LegalDocument).filter_by(number="25/2021/TT-BTC"))
    assert old is not None and old.replaced_by is not None
    assert old.replaced_by.number == "28/2026/TT-BTC"


# --- the December 2026 review (docs/data-review-2026-12.md) ---------------------------------
PUBLISHED = [p for p in PROCEDURES if p.get("published", True)]


def by_code(code: str) -> dict:
    return next(p for p in PROCEDURES if p["code"] == code)


def test_every_published_procedure_lists_a_case_with_its_documents():
    """What to bring is what a citizen opens the page for: no published record without it."""
    for proc in PUBLISHED:
        cases = [case for case in proc["document_cases"] if case["documents"]]
        assert cases, f"{proc['code']}: no document case"
        assert all(doc["name"].strip() for case in cases for doc in case["documents"])


def test_every_fee_is_verified_against_an_article_or_marked_unverified():
    register = {d["number"] for d in CATALOGUE["legal_documents"]}
    for proc, channel, fee in fees():
        assert fee["verified"] in (True, False), where(proc, channel, fee)
        if fee["verified"]:
            assert fee["basis_document"] in register and fee["basis_article"].strip(), \
                where(proc, channel, fee)
        # An amount read only in an OCR copy (NQ 66.22/2026 Phụ lục II) says so in its source.
        if fee["basis_document"] == "66.22/2026/NQ-CP" and fee["amount"]:
            assert "OCR" in fee["legal_basis"], where(proc, channel, fee)


CLEAN_TEXT = [  # (code, amount, unit, cap, tiers, document, article) read in the article itself
    ("2.000635", 8000, "copy", None, [], "281/2016/TT-BTC", "Điều 4, STT 4"),
    ("2.000815", 2000, "page", 200000, [{"from_unit": 3, "amount": 1000}],
     "226/2016/TT-BTC", "Điều 4, mục 1"),
    ("2.000884", 10000, "case", None, [], "226/2016/TT-BTC", "Điều 4, mục 2"),
    ("2.001035", 50000, "contract", None, [], "226/2016/TT-BTC", "Điều 4, mục 3a"),
    ("2.000913", 30000, "contract", None, [], "226/2016/TT-BTC", "Điều 4, mục 3b"),
    ("2.001263", 400000, "case", None, [], "114/2016/NĐ-CP", "Điều 6, khoản 1, điểm a"),
]


@pytest.mark.parametrize(("code", "amount", "unit", "cap", "tiers", "document", "article"),
                         CLEAN_TEXT, ids=[row[0] for row in CLEAN_TEXT])
def test_fees_confirmed_from_clean_text(code, amount, unit, cap, tiers, document, article):
    general = [fee for channel in by_code(code)["channels"] for fee in channel["fees"]
               if fee["condition"] is None]
    assert general, code
    for fee in general:
        assert (fee["amount"], fee["unit"], fee["cap"], fee["tiers"]) == (amount, unit, cap, tiers)
        assert (fee["basis_document"], fee["basis_article"], fee["verified"]) == \
            (document, article, True)


@pytest.mark.parametrize("code, name", [
    ("1.001193", "Lệ phí đăng ký khai sinh đúng hạn"), ("1.000894", "Lệ phí đăng ký kết hôn"),
    ("1.000656", "Lệ phí đăng ký khai tử đúng hạn")])
def test_on_time_birth_marriage_and_death_registration_is_free(code, name):
    """Luật Hộ tịch 2014, Điều 11 khoản 1: on every channel, verified, no version in time."""
    proc = by_code(code)
    for channel in proc["channels"]:
        free = [fee for fee in channel["fees"] if fee["name"].startswith(name)]
        assert free, (code, channel["kind"])
        for fee in free:
            assert fee["amount"] == 0 and fee["verified"] and fee["condition"] is None
            assert (fee["basis_document"], fee["basis_article"]) == \
                ("60/2014/QH13", "Điều 11, khoản 1")
            assert fee["valid_from"] is None and fee["valid_until"] is None


def test_at_least_the_34_rows_of_the_review_read_in_primary_text_are_verified():
    codes = {"2.000635", "2.000815", "2.000884", "2.001035", "2.001019", "2.001263", "1.001193",
             "1.000894", "1.000656", "1.004837", "1.000689", "1.004222", "1.116410"}
    verified = [fee for proc, _, fee in fees() if proc["code"] in codes and fee["verified"]
                and fee["condition"] is None and fee["amount"] is not None
                and fee["basis_document"] != "117/2026/TT-BTC"]
    assert len(verified) >= 34


def test_the_passport_fee_is_halved_until_the_end_of_2026_then_returns():
    for kind in ("in_person", "online"):
        channel = next(c for c in by_code("1.001456")["channels"] if c["kind"] == kind)
        versions = {(f["amount"], f["valid_from"], f["valid_until"]) for f in channel["fees"]
                    if f["name"] == "Lệ phí cấp hộ chiếu phổ thông (cấp mới)"
                    and f["condition"] is None}
        assert versions == {(200000, None, "2026-03-31"), (100000, "2026-04-01", "2026-12-31"),
                            (200000, "2027-01-01", None)}
        assert not [f for f in channel["fees"] if f["amount"] is None]


def test_the_register_marks_what_the_2026_texts_replaced():
    register = {d["number"]: d for d in CATALOGUE["legal_documents"]}
    for old, new, last_day in [("175/2024/NĐ-CP", "217/2026/NĐ-CP", "2026-06-30"),
                               ("111/2010/NĐ-CP", "216/2026/NĐ-CP", "2026-06-30"),
                               ("66/2023/TT-BCA", "116/2026/TT-BCA", "2026-06-30"),
                               ("50/2014/QH13", "135/2025/QH15", "2026-06-30")]:
        assert (register[old]["replaced_by"], register[old]["valid_until"]) == (new, last_day)
        assert register[new]["valid_from"] == "2026-07-01"
    for number in ("118/2025/QH15", "107/2025/QH15", "253/2026/NĐ-CP", "37/2026/TT-BCA",
                   "66.22/2026/NQ-CP"):
        assert register[number]["title"] and register[number]["valid_from"], number
    assert register["118/2025/NĐ-CP"]["title"]
    for proc in PUBLISHED:
        cited = {b["number"] for b in proc["legal_bases"]}
        assert not cited & {"175/2024/NĐ-CP", "111/2010/NĐ-CP", "66/2023/TT-BCA"}, proc["code"]


def test_wording_of_the_2025_reform_in_the_demo_data():
    for proc in PROCEDURES:
        text = repr(proc)
        assert "Bộ Công an hoặc" not in text and "Cổng dịch vụ công Bộ Công an" not in text
        assert not re.search(r"xã, phường(?!, (đặc khu|thị trấn))", text), proc["code"]
        # Provinces merged on 01/7/2025 are no example of a current rate.
        assert not re.search(r"Bình Định|An Giang thu", text), proc["code"]


def test_one_spelling_in_the_interface():
    from pathlib import Path

    app_dir = Path(__file__).resolve().parent.parent / "app"
    texts = [*(app_dir / "templates").rglob("*.html"),
             app_dir / "translations" / "vi" / "LC_MESSAGES" / "messages.po"]
    for path in texts:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            found = OLD_SPELLINGS.search(line)
            assert not found, f"{path.name}:{number}: {found.group(0)!r}"
