"""service quality: rating tablets, ratings and reasons, monthly results with history

Revision ID: d15a00000001
Revises: a1b2c3d4e5f6
Create Date: 2026-11-28 21:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = 'd15a00000001'
down_revision = 'a1b2c3d4e5f6'
branch_labels = None
depends_on = None

# The short list the issue names; editors change it afterwards (data, not code).
DEFAULT_REASONS = [
    ("Thời gian chờ lâu", "Long waiting time"),
    ("Thái độ phục vụ", "Staff attitude"),
    ("Hướng dẫn không rõ", "Unclear guidance"),
    ("Yêu cầu thêm giấy tờ", "Asked for extra documents"),
    ("Khác", "Other"),
]


def upgrade():
    op.create_table(
        'rating_tablet',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('counter_id', sa.Integer(), nullable=False),
        sa.Column('token', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('created_by', sa.String(length=254), nullable=False),
        sa.Column('revoked_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['counter_id'], ['counter.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('token'),
    )
    op.create_index('ix_rating_tablet_counter_id', 'rating_tablet', ['counter_id'])
    reasons = op.create_table(
        'rating_reason',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('name_en', sa.String(length=200), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_table(
        'rating',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('counter_id', sa.Integer(), nullable=False),
        sa.Column('tablet_id', sa.Integer(), nullable=True),
        sa.Column('answer', sa.String(length=20), nullable=False),
        sa.Column('month', sa.String(length=7), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('is_demo', sa.Boolean(), nullable=False),
        sa.CheckConstraint("answer IN ('very_satisfied', 'satisfied', 'dissatisfied')",
                           name='ck_rating_answer'),
        sa.ForeignKeyConstraint(['counter_id'], ['counter.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['tablet_id'], ['rating_tablet.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_rating_month_counter', 'rating', ['month', 'counter_id'])
    op.create_table(
        'rating_reason_link',
        sa.Column('rating_id', sa.Integer(), nullable=False),
        sa.Column('reason_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['rating_id'], ['rating.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['reason_id'], ['rating_reason.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('rating_id', 'reason_id'),
    )
    op.create_table(
        'monthly_result',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('month', sa.String(length=7), nullable=False),
        sa.Column('field_id', sa.Integer(), nullable=False),
        *[sa.Column(name, sa.Integer(), nullable=False) for name in (
            'carried_over', 'received_online', 'received_direct', 'resolved_early',
            'resolved_on_time', 'resolved_late', 'pending_on_time', 'pending_late',
            'apologies')],
        sa.Column('is_demo', sa.Boolean(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['field_id'], ['field.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('month', 'field_id', name='uq_monthly_result_month_field'),
    )
    op.create_index('ix_monthly_result_month', 'monthly_result', ['month'])
    op.create_table(
        'monthly_result_change',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('result_id', sa.Integer(), nullable=False),
        sa.Column('figure', sa.String(length=40), nullable=False),
        sa.Column('old_value', sa.Integer(), nullable=True),
        sa.Column('new_value', sa.Integer(), nullable=False),
        sa.Column('changed_by', sa.String(length=254), nullable=False),
        sa.Column('changed_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['result_id'], ['monthly_result.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_monthly_result_change_result_id', 'monthly_result_change', ['result_id'])
    op.bulk_insert(reasons, [
        {"name": name, "name_en": name_en, "position": i, "active": True}
        for i, (name, name_en) in enumerate(DEFAULT_REASONS)
    ])


def downgrade():
    op.drop_table('monthly_result_change')
    op.drop_table('monthly_result')
    op.drop_table('rating_reason_link')
    op.drop_table('rating')
    op.drop_table('rating_reason')
    op.drop_table('rating_tablet')
