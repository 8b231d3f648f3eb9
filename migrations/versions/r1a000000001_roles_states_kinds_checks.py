"""vocabulary CHECK constraints: editor roles, revision states, legal document kinds

Revision ID: r1a000000001
Revises: e1a000000001, f11a00000001, a13000000001
Create Date: 2026-11-28 22:00:00

The values come from ``app.vocab`` (Role, RevisionState, DocumentKind), through the same
``check()`` the models use, so the constraint the database holds is the one the model declares.
It depends on the register's migration (``legal_document``), on E1's vocabulary migration (the
other CHECKs) and on the editor sessions' (``editor_session`` refers to ``user_account``, which
SQLite's batch mode copies). Before adding anything it looks for stored values outside the
lists and stops with a message naming them, rather than failing half-way. (The rating answer's
CHECK, ``ck_rating_answer``, was created with its table in d15a00000001.)
"""
import sqlalchemy as sa
from alembic import op

from app.vocab import DocumentKind, RevisionState, Role, check

revision = 'r1a000000001'
down_revision = ('e1a000000001', 'f11a00000001', 'a13000000001')
branch_labels = None
depends_on = None

# table, CHECK constraint (named)
CHECKS = [
    ('user_account', check('role', Role, 'ck_user_account_role')),
    ('revision', check('state', RevisionState, 'ck_revision_state')),
    ('legal_document', check('kind', DocumentKind, 'ck_legal_document_kind', blank=True)),
]


def _check_existing_data():
    bind = op.get_bind()
    bad = []
    for table, constraint in CHECKS:
        column = constraint.sqltext.text.split(' ', 1)[0]
        rows = bind.execute(sa.text(
            f"SELECT DISTINCT {column} FROM {table} WHERE NOT ({constraint.sqltext.text})"
            f" OR {column} IS NULL")).fetchall()
        bad += [f"{table}.{column} = {row[0]!r}" for row in rows]
    if bad:
        raise RuntimeError("values outside app/vocab.py; fix them first: " + ", ".join(bad))


def upgrade():
    _check_existing_data()
    for table, constraint in CHECKS:
        with op.batch_alter_table(table) as batch:
            batch.create_check_constraint(constraint.name, constraint.sqltext.text)


def downgrade():
    for table, constraint in reversed(CHECKS):
        with op.batch_alter_table(table) as batch:
            batch.drop_constraint(constraint.name, type_='check')
