"""service quality: tablet tokens stored hashed, the tablet's last rating, retired counters,
monthly complaints and suggestions (phản ánh, kiến nghị)

Revision ID: q26000000001
Revises: b2d0000000ff
Create Date: 2026-12-07 01:00:00

- ``rating_tablet.token`` now holds the SHA-256 (hex, 64 characters) of the token, never the
  token itself; existing tokens are hashed in place, so tablets already set up keep working.
- ``rating_tablet.last_rating_at``: when the tablet's last rating was accepted; one conditional
  UPDATE on it makes "one rating per interval" atomic on both databases.
- ``counter.retired_at``: removing a counter retires it, so its past ratings stay.
- ``monthly_complaint``: complaints and suggestions received in a month and answered on time
  (entered by editors, shown in the index section of /ket-qua-phuc-vu).
- ``monthly_result_removal``: a month's report an editor deleted, with its figures and the
  history of its corrections (JSON), so a deletion is history too.
"""
import hashlib

import sqlalchemy as sa
from alembic import op

revision = 'q26000000001'
down_revision = 'b2d0000000ff'
branch_labels = None
depends_on = None


def upgrade():
    bind = op.get_bind()
    rows = bind.execute(sa.text("SELECT id, token FROM rating_tablet")).fetchall()
    for row_id, token in rows:
        bind.execute(sa.text("UPDATE rating_tablet SET token = :hashed WHERE id = :id"),
                     {"hashed": hashlib.sha256(token.encode()).hexdigest(), "id": row_id})
    with op.batch_alter_table('rating_tablet') as batch:
        batch.add_column(sa.Column('last_rating_at', sa.DateTime(), nullable=True))
    with op.batch_alter_table('counter') as batch:
        batch.add_column(sa.Column('retired_at', sa.DateTime(), nullable=True))
    op.create_table(
        'monthly_complaint',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('month', sa.String(length=7), nullable=False),
        sa.Column('received', sa.Integer(), nullable=False),
        sa.Column('answered_on_time', sa.Integer(), nullable=False),
        sa.Column('updated_by', sa.String(length=254), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('month', name='uq_monthly_complaint_month'),
    )
    op.create_table(
        'monthly_result_removal',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('month', sa.String(length=7), nullable=False),
        sa.Column('field_name', sa.String(length=300), nullable=False),
        sa.Column('figures', sa.Text(), nullable=False),
        sa.Column('removed_by', sa.String(length=254), nullable=False),
        sa.Column('removed_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_monthly_result_removal_month', 'monthly_result_removal', ['month'])


def downgrade():
    op.drop_index('ix_monthly_result_removal_month', 'monthly_result_removal')
    op.drop_table('monthly_result_removal')
    op.drop_table('monthly_complaint')
    with op.batch_alter_table('counter') as batch:
        batch.drop_column('retired_at')
    with op.batch_alter_table('rating_tablet') as batch:
        batch.drop_column('last_rating_at')
    # A hash cannot be turned back into its token: every tablet must be issued a new address.
    op.execute(sa.text("UPDATE rating_tablet SET revoked_at = CURRENT_TIMESTAMP "
                       "WHERE revoked_at IS NULL"))
