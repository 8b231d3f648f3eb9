"""service points: places to apply or get help, structured opening hours and exceptions

Revision ID: k24000000001
Revises: b2d0000000ff
Create Date: 2026-12-07 01:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = 'k24000000001'
down_revision = 'b2d0000000ff'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'service_point',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('name', sa.String(length=300), nullable=False),
        sa.Column('name_en', sa.String(length=300), nullable=False),
        sa.Column('address', sa.Text(), nullable=False),
        sa.Column('phone', sa.String(length=50), nullable=False),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column('note_en', sa.Text(), nullable=False),
        sa.Column('centre_id', sa.Integer(), nullable=True),
        sa.CheckConstraint("kind IN ('centre', 'reception', 'online_support')",
                           name='ck_service_point_kind'),
        sa.ForeignKeyConstraint(['centre_id'], ['centre.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_table(
        'opening_hours',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('service_point_id', sa.Integer(), nullable=False),
        sa.Column('weekday', sa.Integer(), nullable=False),
        sa.Column('opens', sa.Time(), nullable=False),
        sa.Column('closes', sa.Time(), nullable=False),
        sa.ForeignKeyConstraint(['service_point_id'], ['service_point.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_opening_hours_service_point_id', 'opening_hours', ['service_point_id'])
    op.create_table(
        'hours_exception',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('service_point_id', sa.Integer(), nullable=False),
        sa.Column('start_date', sa.Date(), nullable=False),
        sa.Column('end_date', sa.Date(), nullable=False),
        sa.Column('closed', sa.Boolean(), nullable=False),
        sa.Column('opens', sa.Time(), nullable=True),
        sa.Column('closes', sa.Time(), nullable=True),
        sa.Column('reason', sa.String(length=300), nullable=False),
        sa.Column('reason_en', sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(['service_point_id'], ['service_point.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_hours_exception_service_point_id', 'hours_exception',
                    ['service_point_id'])


def downgrade():
    op.drop_index('ix_hours_exception_service_point_id', table_name='hours_exception')
    op.drop_table('hours_exception')
    op.drop_index('ix_opening_hours_service_point_id', table_name='opening_hours')
    op.drop_table('opening_hours')
    op.drop_table('service_point')
