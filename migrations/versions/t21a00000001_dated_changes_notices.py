"""dated changes: procedure changes (scheduled revisions, abolitions, change notes), notices,
and the procedures an announcement decision lists

Revision ID: t21a00000001
Revises: b2d0000000ff
Create Date: 2026-12-07 01:10:00

The value lists are copied from app/models/schedule.py on purpose: a migration is history.
"""
import sqlalchemy as sa
from alembic import op

revision = 't21a00000001'
down_revision = 'b2d0000000ff'
branch_labels = None
depends_on = None

CHANGE_KINDS = ("revision", "abolition")
CHANGE_STATES = ("scheduled", "applied", "withdrawn")
NOTICE_SEVERITIES = ("critical", "warning", "info")
ANNOUNCED_ACTIONS = ("add", "amend", "abolish")
REVISION_STATES_BEFORE = ("draft", "in_review", "published")
REVISION_STATES = (*REVISION_STATES_BEFORE, "scheduled")


def _in(column, values, name):
    return sa.CheckConstraint(f"{column} IN ({', '.join(repr(v) for v in values)})", name=name)


def _revision_states(values):
    with op.batch_alter_table('revision') as batch:
        batch.drop_constraint('ck_revision_state', type_='check')
        batch.create_check_constraint(
            'ck_revision_state', f"state IN ({', '.join(repr(v) for v in values)})")


def upgrade():
    _revision_states(REVISION_STATES)
    op.create_table(
        'procedure_change',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('procedure_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('state', sa.String(length=20), nullable=False),
        sa.Column('effective_on', sa.Date(), nullable=False),
        sa.Column('revision_id', sa.Integer(), nullable=True),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column('minor', sa.Boolean(), nullable=False),
        sa.Column('document_number', sa.String(length=120), nullable=False),
        sa.Column('successor_id', sa.Integer(), nullable=True),
        sa.Column('previous', sa.JSON(), nullable=True),
        sa.Column('author_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('applied_at', sa.DateTime(), nullable=True),
        sa.Column('withdrawn_at', sa.DateTime(), nullable=True),
        _in('kind', CHANGE_KINDS, 'ck_procedure_change_kind'),
        _in('state', CHANGE_STATES, 'ck_procedure_change_state'),
        sa.ForeignKeyConstraint(['procedure_id'], ['procedure.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['successor_id'], ['procedure.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['revision_id'], ['revision.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['author_id'], ['user_account.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_procedure_change_procedure_id', 'procedure_change', ['procedure_id'])
    op.create_index('ix_procedure_change_state', 'procedure_change', ['state'])
    op.create_index('ix_procedure_change_effective_on', 'procedure_change', ['effective_on'])
    op.create_table(
        'notice',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('severity', sa.String(length=20), nullable=False),
        sa.Column('title', sa.String(length=200), nullable=False),
        sa.Column('title_en', sa.String(length=200), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('body_en', sa.Text(), nullable=False),
        sa.Column('starts_at', sa.DateTime(), nullable=False),
        sa.Column('ends_at', sa.DateTime(), nullable=False),
        sa.Column('author_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        _in('severity', NOTICE_SEVERITIES, 'ck_notice_severity'),
        sa.ForeignKeyConstraint(['author_id'], ['user_account.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_notice_starts_at', 'notice', ['starts_at'])
    op.create_index('ix_notice_ends_at', 'notice', ['ends_at'])
    op.create_table(
        'announced_procedure',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('document_id', sa.Integer(), nullable=False),
        sa.Column('code', sa.String(length=60), nullable=False),
        sa.Column('name', sa.Text(), nullable=False),
        sa.Column('action', sa.String(length=20), nullable=False),
        sa.Column('effective_on', sa.Date(), nullable=False),
        _in('action', ANNOUNCED_ACTIONS, 'ck_announced_procedure_action'),
        sa.ForeignKeyConstraint(['document_id'], ['legal_document.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_announced_procedure_document_id', 'announced_procedure', ['document_id'])
    op.create_index('ix_announced_procedure_code', 'announced_procedure', ['code'])


def downgrade():
    op.drop_table('announced_procedure')
    op.drop_table('notice')
    op.drop_table('procedure_change')
    op.execute("UPDATE revision SET state = 'draft' WHERE state = 'scheduled'")
    _revision_states(REVISION_STATES_BEFORE)
