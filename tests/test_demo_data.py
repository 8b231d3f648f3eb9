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
# Spellings the interface and the data no longer use (one form: xóa, hủy, ủy, khóa, tùy).
OLD_SPELLINGS = re.compile(r"xoá|huỷ|uỷ|khoá|tuỳ", re.IGNORECASE)


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
