"""round 2: one head again; feedback kinds checked like every other closed set

Revision ID: b2d0000000ff
Revises: r1a000000001, c14a00000001, d15a00000001
Create Date: 2026-11-28 22:10:00

The round's work was written in parallel branches from a1b2c3d4e5f6; this revision joins them
so ``flask db upgrade`` has one head again, and adds the CHECK on ``feedback.kind``
(``app.vocab.FeedbackKind`` as it was then, copied here literally: a migration is history), the
last closed set the database did not enforce.
"""
import sqlalchemy as sa
from alembic import op

revision = 'b2d0000000ff'
down_revision = ('r1a000000001', 'c14a00000001', 'd15a00000001')
branch_labels = None
depends_on = None

FEEDBACK_KIND_NAME = 'ck_feedback_kind'
FEEDBACK_KIND = "kind IN ('useful', 'report')"


def upgrade():
    bad = op.get_bind().execute(sa.text(
        f"SELECT DISTINCT kind FROM feedback WHERE NOT ({FEEDBACK_KIND})")).fetchall()
    if bad:
        raise RuntimeError("feedback.kind values outside this migration's list; fix them first: "
                           + ", ".join(repr(row[0]) for row in bad))
    with op.batch_alter_table('feedback') as batch:
        batch.create_check_constraint(FEEDBACK_KIND_NAME, FEEDBACK_KIND)


def downgrade():
    with op.batch_alter_table('feedback') as batch:
        batch.drop_constraint(FEEDBACK_KIND_NAME, type_='check')
