"""dated facts of the 2025 reform: online-only filing from a date, any centre in the province,
documents the authority reads from a national database — each with its basis

Revision ID: d22000000001
Revises: b2d0000000ff
Create Date: 2026-12-07 08:30:00

Additive columns with server defaults, so existing rows keep their meaning (nothing online-only,
nothing read from a database) on SQLite and PostgreSQL alike.
"""
import sqlalchemy as sa
from alembic import op

revision = 'd22000000001'
down_revision = 'b2d0000000ff'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('procedure') as batch:
        batch.add_column(sa.Column('online_only_from', sa.Date(), nullable=True))
        batch.add_column(sa.Column('online_only_basis', sa.Text(), nullable=False,
                                   server_default=''))
        batch.add_column(sa.Column('any_centre_in_province', sa.Boolean(), nullable=False,
                                   server_default=sa.false()))
        batch.add_column(sa.Column('any_centre_basis', sa.Text(), nullable=False,
                                   server_default=''))
    with op.batch_alter_table('document') as batch:
        batch.add_column(sa.Column('from_database', sa.Boolean(), nullable=False,
                                   server_default=sa.false()))
        batch.add_column(sa.Column('from_database_basis', sa.String(length=300), nullable=False,
                                   server_default=''))


def downgrade():
    with op.batch_alter_table('document') as batch:
        batch.drop_column('from_database_basis')
        batch.drop_column('from_database')
    with op.batch_alter_table('procedure') as batch:
        batch.drop_column('any_centre_basis')
        batch.drop_column('any_centre_in_province')
        batch.drop_column('online_only_basis')
        batch.drop_column('online_only_from')
