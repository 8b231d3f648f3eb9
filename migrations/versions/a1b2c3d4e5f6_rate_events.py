"""rate events: shared storage for rate limits

Revision ID: a1b2c3d4e5f6
Revises: 501694d183de
Create Date: 2026-11-28 20:55:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'a1b2c3d4e5f6'
down_revision = '501694d183de'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'rate_event',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('key', sa.String(length=200), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_rate_event_key_created', 'rate_event', ['key', 'created_at'])


def downgrade():
    op.drop_index('ix_rate_event_key_created', table_name='rate_event')
    op.drop_table('rate_event')
