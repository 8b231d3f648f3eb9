"""fee versions and conditions, portal ids, legal-basis articles; vocabulary CHECK constraints

Revision ID: e1a000000001
Revises: a1b2c3d4e5f6
Create Date: 2026-11-28 21:00:00

The CHECK constraints hold the value lists of ``app.vocab`` as they were when this revision was
written, copied here literally: a migration is history, and a later change to a list must not
change what this revision creates (a later revision changes the constraint instead). Before
adding them the upgrade looks for stored values outside the lists and stops with a message
naming them, rather than failing half-way on one database and not the other.
"""
from alembic import op
import sqlalchemy as sa


revision = 'e1a000000001'
down_revision = 'a1b2c3d4e5f6'
branch_labels = None
depends_on = None

# table, column, allowed values, constraint name, nullable
CHECKS = [
    ('procedure', 'online_class', ('full', 'partial', 'none'), 'ck_procedure_online_class', False),
    ('procedure', 'status', ('in_force', 'not_in_force', 'replaced'), 'ck_procedure_status', False),
    ('procedure', 'legacy_level', (1, 2, 3, 4), 'ck_procedure_legacy_level', True),
    ('channel', 'kind', ('in_person', 'online', 'post'), 'ck_channel_kind', False),
    ('fee', 'kind', ('phi', 'le_phi', 'other'), 'ck_fee_kind', False),
    ('fee', 'unit', ('case', 'page', 'copy', 'contract', 'document', 'card', 'permit', 'time',
                     'set', 'person'), 'ck_fee_unit', False),
    ('procedure_agency', 'role', ('performing', 'competent', 'delegated', 'coordinating'),
     'ck_procedure_agency_role', False),
]


def _condition(column, values, nullable):
    listed = ", ".join(repr(v) if isinstance(v, int) else f"'{v}'" for v in values)
    text = f"{column} IN ({listed})"
    return f"{column} IS NULL OR {text}" if nullable else text


def _check_existing_data():
    bind = op.get_bind()
    bad = []
    for table, column, values, _name, nullable in CHECKS:
        rows = bind.execute(sa.text(
            f"SELECT DISTINCT {column} FROM {table} WHERE NOT ({_condition(column, values, nullable)})"
            + ("" if nullable else f" OR {column} IS NULL"))).fetchall()
        bad += [f"{table}.{column} = {row[0]!r}" for row in rows]
    if bad:
        raise RuntimeError("values outside the lists of this migration; fix them first: " + ", ".join(bad))


def upgrade():
    op.create_table(
        'fee_condition',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('slug', sa.String(length=80), nullable=False),
        sa.Column('name', sa.Text(), nullable=False, server_default=''),
        sa.Column('name_en', sa.Text(), nullable=False, server_default=''),
        sa.Column('position', sa.Integer(), nullable=False, server_default='0'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('slug'),
    )
    _check_existing_data()
    with op.batch_alter_table('fee') as batch:
        batch.add_column(sa.Column('valid_from', sa.Date(), nullable=True))
        batch.add_column(sa.Column('valid_until', sa.Date(), nullable=True))
        batch.add_column(sa.Column('condition_id', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('basis_document', sa.String(length=120), nullable=True))
        batch.add_column(sa.Column('basis_article', sa.Text(), nullable=False, server_default=''))
        batch.add_column(sa.Column('checked_on', sa.Date(), nullable=True))
        batch.add_column(sa.Column('verified', sa.Boolean(), nullable=False,
                                   server_default=sa.true()))
        batch.create_foreign_key('fk_fee_condition_id', 'fee_condition', ['condition_id'], ['id'])
    with op.batch_alter_table('procedure') as batch:
        batch.add_column(sa.Column('portal_id', sa.String(length=120), nullable=True))
    with op.batch_alter_table('legal_basis') as batch:
        batch.add_column(sa.Column('articles', sa.Text(), nullable=False, server_default=''))
    for table, column, values, name, nullable in CHECKS:
        with op.batch_alter_table(table) as batch:
            batch.create_check_constraint(name, sa.text(_condition(column, values, nullable)))


def downgrade():
    for table, _column, _values, name, _nullable in reversed(CHECKS):
        with op.batch_alter_table(table) as batch:
            batch.drop_constraint(name, type_='check')
    with op.batch_alter_table('legal_basis') as batch:
        batch.drop_column('articles')
    with op.batch_alter_table('procedure') as batch:
        batch.drop_column('portal_id')
    with op.batch_alter_table('fee') as batch:
        batch.drop_constraint('fk_fee_condition_id', type_='foreignkey')
        for column in ('verified', 'checked_on', 'basis_article', 'basis_document',
                       'condition_id', 'valid_until', 'valid_from'):
            batch.drop_column(column)
    op.drop_table('fee_condition')
