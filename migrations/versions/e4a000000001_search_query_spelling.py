"""search: what people typed, per folded query and day (the dashboard's "most searched")

Revision ID: e4a000000001
Revises: m3a000000001
Create Date: 2026-12-07 04:20:00

``search_query_day`` keeps only the folded text ("so do"); editors want to read what people
typed ("Sổ đỏ"). One row per (day, folded text, spelling) with how often it was typed; pruned
with the day counts. Nothing to carry over: the old rows never kept a spelling.
"""
from alembic import op
import sqlalchemy as sa


revision = 'e4a000000001'
down_revision = 'm3a000000001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'search_query_spelling',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('query', sa.String(length=100), nullable=False),
        sa.Column('spelling', sa.String(length=100), nullable=False),
        sa.Column('asked', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('day', 'query', 'spelling'),
    )
    op.create_index('ix_search_query_spelling_day', 'search_query_spelling', ['day'])


def downgrade():
    op.drop_index('ix_search_query_spelling_day', table_name='search_query_spelling')
    op.drop_table('search_query_spelling')
