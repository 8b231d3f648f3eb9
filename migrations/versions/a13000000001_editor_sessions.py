"""editor sessions: one row per signed-in browser, so logout and timeouts end it server-side

Revision ID: a13000000001
Revises: a1b2c3d4e5f6
Create Date: 2026-11-28 21:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'a13000000001'
down_revision = 'a1b2c3d4e5f6'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'editor_session',
        sa.Column('id', sa.String(length=64), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('last_seen_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_editor_session_user_id', 'editor_session', ['user_id'])


def downgrade():
    op.drop_index('ix_editor_session_user_id', table_name='editor_session')
    op.drop_table('editor_session')
