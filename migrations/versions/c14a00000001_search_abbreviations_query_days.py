"""search: abbreviations, and plausible queries counted per day (replaces search_miss)

Revision ID: c14a00000001
Revises: a1b2c3d4e5f6
Create Date: 2026-11-28 21:10:00

The old ``search_miss`` table counted every zero-result text forever, scanners' noise
included; its rows are not carried over (they cannot be told apart from the noise).
"""
from alembic import op
import sqlalchemy as sa


revision = 'c14a00000001'
down_revision = 'a1b2c3d4e5f6'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'abbreviation',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('term', sa.String(length=60), nullable=False),
        sa.Column('expansion', sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('term'),
    )
    op.create_table(
        'search_query_day',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('query', sa.String(length=100), nullable=False),
        sa.Column('asked', sa.Integer(), nullable=False),
        sa.Column('missed', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('day', 'query'),
    )
    op.create_index('ix_search_query_day_day', 'search_query_day', ['day'])
    op.drop_table('search_miss')


def downgrade():
    op.create_table(
        'search_miss',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('query', sa.String(length=200), nullable=False),
        sa.Column('count', sa.Integer(), nullable=False),
        sa.Column('last_seen', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('query'),
    )
    op.drop_index('ix_search_query_day_day', table_name='search_query_day')
    op.drop_table('search_query_day')
    op.drop_table('abbreviation')
