"""vocabulary CHECK constraints: editor roles, revision states, legal document kinds

Revision ID: r1a000000001
Revises: e1a000000001, f11a00000001, a13000000001
Create Date: 2026-11-28 22:00:00

The values are those of ``app.vocab`` (Role, RevisionState, DocumentKind) when this revision
was written, copied here literally as the conditions ``app.vocab.check()`` built from them: a
migration is history, and a later change to a list must not change what this revision creates.
It depends on the register's migration (``legal_document``), on E1's vocabulary migration (the
other CHECKs) and on the editor sessions' (``editor_session`` refers to ``user_account``, which
SQLite's batch mode copies). Before adding anything it looks for stored values outside the
lists and stops with a message naming them, rather than failing half-way. (The rating answer's
CHECK, ``ck_rating_answer``, was created with its table in d15a00000001.)
"""
import sqlalchemy as sa
from alembic import op

revision = 'r1a000000001'
down_revision = ('e1a000000001', 'f11a00000001', 'a13000000001')
branch_labels = None
depends_on = None

# table, column, constraint name, condition
CHECKS = [
    ('user_account', 'role', 'ck_user_account_role', "role IN ('editor', 'publisher', 'admin')"),
    ('revision', 'state', 'ck_revision_state', "state IN ('draft', 'in_review', 'published')"),
    ('legal_document', 'kind', 'ck_legal_document_kind',
     "kind IN ('Hiến pháp', 'Bộ luật', 'Luật', 'Pháp lệnh', 'Lệnh', 'Nghị quyết', "
     "'Nghị quyết liên tịch', 'Nghị định', 'Quyết định', 'Thông tư', 'Thông tư liên tịch', "
     "'Chỉ thị', '')"),
]


def _check_existing_data():
    bind = op.get_bind()
    bad = []
    for table, column, _name, condition in CHECKS:
        rows = bind.execute(sa.text(
            f"SELECT DISTINCT {column} FROM {table} WHERE NOT ({condition})"
            f" OR {column} IS NULL")).fetchall()
        bad += [f"{table}.{column} = {row[0]!r}" for row in rows]
    if bad:
        raise RuntimeError("values outside the lists of this migration; fix them first: " + ", ".join(bad))


def upgrade():
    _check_existing_data()
    for table, _column, name, condition in CHECKS:
        with op.batch_alter_table(table) as batch:
            batch.create_check_constraint(name, condition)


def downgrade():
    for table, _column, name, _condition in reversed(CHECKS):
        with op.batch_alter_table(table) as batch:
            batch.drop_constraint(name, type_='check')
