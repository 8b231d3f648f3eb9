"""Migration a19000000001: a copy of one fee under each channel becomes one fee row naming the
channels it is charged on; document cases get slugs from their titles; the downgrade copies
fees back to their channels."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from flask import Flask
from sqlalchemy import Connection, Engine, text

from tests.old_schema import PROCEDURE, database_at

FEE = ("INSERT INTO fee (id, channel_id, position, name, kind, amount, unit, exempt_groups, "
       "legal_basis, note, basis_article, verified) VALUES (:id, :channel, :pos, :name, "
       "'le_phi', :amount, 'case', '', '', '', '', 1)")


@contextmanager
def migrated(app: Flask, engine: Engine, move: Callable[..., None],
             revision: str) -> Iterator[Connection]:
    """Run flask_migrate's ``move`` (upgrade or downgrade) to ``revision``, then yield a
    connection to read what it left."""
    with app.app_context():
        move(revision=revision)
    with engine.connect() as conn:
        yield conn


def test_upgrade_merges_identical_channel_fees_and_names_cases(tmp_path):
    from flask_migrate import downgrade, upgrade

    app, engine = database_at(tmp_path, "b2d0000000ff")  # the head before this change
    with engine.connect() as conn:
        conn.execute(text(PROCEDURE))
        for i, kind in enumerate(("in_person", "online", "post")):
            conn.execute(text("INSERT INTO channel (id, procedure_id, position, kind, "
                              "processing_time, note) VALUES (:i, 1, :i, :k, '', '')"),
                         {"i": i + 1, "k": kind})
            conn.execute(text(FEE), {"id": i + 1, "channel": i + 1, "pos": 0,
                                     "name": "Lệ phí", "amount": 0})
            conn.execute(text("INSERT INTO fee_tier (fee_id, from_unit, amount) "
                              "VALUES (:f, 3, 100)"), {"f": i + 1})
        conn.execute(text(FEE), {"id": 9, "channel": 2, "pos": 1, "name": "Phí trực tuyến",
                                 "amount": 5000})
        for i, title in enumerate(("Trẻ sinh ở Việt Nam", "Trẻ sinh ở Việt Nam", "")):
            conn.execute(text("INSERT INTO document_case (id, procedure_id, position, title) "
                              "VALUES (:i, 1, :i, :t)"), {"i": i + 1, "t": title})
        conn.commit()
    with migrated(app, engine, upgrade, "a19000000001") as conn:
        fees = conn.execute(text("SELECT name, amount, channels, procedure_id FROM fee "
                                 "ORDER BY position")).all()
        tiers = conn.execute(text("SELECT count(*) FROM fee_tier")).scalar()
        slugs = conn.execute(text("SELECT slug FROM document_case ORDER BY position")).scalars()
        slugs = list(slugs)
    assert [(n, a, json.loads(c) if isinstance(c, str) else c, p) for n, a, c, p in fees] == [
        ("Lệ phí", 0, [], 1), ("Phí trực tuyến", 5000, ["online"], 1)]
    assert tiers == 1
    assert slugs == ["tre-sinh-o-viet-nam", "tre-sinh-o-viet-nam-2", "truong-hop-3"]
    with migrated(app, engine, downgrade, "b2d0000000ff") as conn:
        back = conn.execute(text("SELECT channel_id, name FROM fee ORDER BY channel_id, "
                                 "position")).all()
        tiers = conn.execute(text("SELECT count(*) FROM fee_tier")).scalar()
    engine.dispose()
    assert [tuple(r) for r in back] == [(1, "Lệ phí"), (2, "Lệ phí"), (2, "Phí trực tuyến"),
                                        (3, "Lệ phí")]
    assert tiers == 3
