"""search: pointers elsewhere for requests the centre does not handle (issue 25)

Revision ID: s25a00000001
Revises: b2d0000000ff
Create Date: 2026-12-07 01:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = 's25a00000001'
down_revision = 'b2d0000000ff'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'elsewhere_pointer',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('term', sa.String(length=300), nullable=False),
        sa.Column('place', sa.String(length=300), nullable=False),
        sa.Column('place_en', sa.String(length=300), nullable=False),
        sa.Column('url', sa.String(length=500), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('term'),
    )


def downgrade():
    op.drop_table('elsewhere_pointer')
