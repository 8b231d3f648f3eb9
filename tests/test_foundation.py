"""The record model, fee arithmetic, idempotent loading and the setup command."""

from __future__ import annotations

from sqlalchemy import func, select

from app.catalogue_io import export_catalogue, load_catalogue, read_catalogue_dir
from app.extensions import db
from app.fees import amount_for
from app.models import Fee, FeeTier, Procedure


def copy_fee(**kw) -> Fee:
    fee = Fee(amount=kw.get("amount", 2000), unit="page", cap=kw.get("cap", 200_000))
    fee.tiers = [FeeTier(from_unit=3, amount=1000)]
    return fee


def test_tiered_fee_with_cap():
    fee = copy_fee()
    assert amount_for(fee, 1) == 2000
    assert amount_for(fee, 2) == 4000
    assert amount_for(fee, 3) == 5000
    assert amount_for(fee, 10) == 4000 + 8 * 1000
    assert amount_for(fee, 500) == 200_000  # 4,000 + 498,000 would exceed the cap
    assert amount_for(fee, 0) == 0


def test_unknown_and_free_fees():
    assert amount_for(Fee(amount=None, unit="case"), 3) is None
    assert amount_for(Fee(amount=0, unit="case"), 3) == 0


def test_demo_data_has_the_forty_procedures(ctx):
    count = db.session.scalar(select(func.count(Procedure.id)))
    assert count >= 40
    birth = db.session.scalar(select(Procedure).filter_by(code="1.001193"))
    fees = [f for c in birth.channels for f in c.fees]
    on_time = [f for f in fees if "đúng hạn" in f.name]
    assert on_time and all(f.amount == 0 and "Hộ tịch" in f.legal_basis for f in on_time)
    late = [f for f in fees if "quá hạn" in f.name]
    assert late and all(f.amount is None for f in late), "set by the province: unknown here"
    copy = db.session.scalar(select(Procedure).filter_by(code="2.000815"))
    fee = copy.channels[0].fees[0]
    assert (fee.amount, fee.cap, [t.from_unit for t in fee.tiers]) == (2000, 200_000, [3])


def test_loading_twice_changes_nothing(ctx):
    before = export_catalogue()
    report = load_catalogue(read_catalogue_dir())
    db.session.commit()
    assert report.ok and report.created == [] and report.changed == []
    assert export_catalogue() == before


def test_export_then_import_reproduces_the_catalogue(ctx):
    exported = export_catalogue()
    exported["procedures"][0]["plain_name"] = "Tên đã sửa"
    report = load_catalogue(exported)
    db.session.commit()
    assert report.changed == [f"procedure:{exported['procedures'][0]['code']}"]
    assert export_catalogue() == exported


def test_a_bad_record_is_rejected_with_a_reason(ctx):
    report = load_catalogue({"procedures": [{"code": "X.1", "official_name": "", "slug": "x"}]})
    assert not report.ok
    assert report.rejected[0][0] == "X.1" and "official_name" in report.rejected[0][1]
    db.session.rollback()
    assert db.session.scalar(select(Procedure).filter_by(code="X.1")) is None
