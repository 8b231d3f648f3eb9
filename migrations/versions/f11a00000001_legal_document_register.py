"""legal document register, filled from the numbers legal bases cite

Revision ID: f11a00000001
Revises: a1b2c3d4e5f6
Create Date: 2026-11-28 21:05:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'f11a00000001'
down_revision = 'a1b2c3d4e5f6'
branch_labels = None
depends_on = None

STATUSES = ("in_force", "not_yet_in_force", "expired", "replaced")
# Frozen here on purpose: a migration must do the same thing whatever the app code says later.
KINDS = (("/TTLT-", "Thông tư liên tịch"), ("/TT-", "Thông tư"), ("/NĐ-CP", "Nghị định"),
         ("/NQ-", "Nghị quyết"), ("/QĐ-", "Quyết định"), ("/QH", "Luật"))


def _kind(number):
    return next((kind for mark, kind in KINDS if mark in number), "")


def upgrade():
    listed = ", ".join(f"'{s}'" for s in STATUSES)
    register = op.create_table(
        'legal_document',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('number', sa.String(length=120), nullable=False),
        sa.Column('kind', sa.String(length=60), nullable=False),
        sa.Column('title', sa.Text(), nullable=False),
        sa.Column('issuer', sa.String(length=200), nullable=False),
        sa.Column('issued_on', sa.Date(), nullable=True),
        sa.Column('valid_from', sa.Date(), nullable=True),
        sa.Column('valid_until', sa.Date(), nullable=True),
        sa.Column('replaced_by_id', sa.Integer(), nullable=True),
        sa.Column('status', sa.String(length=20), nullable=True),
        sa.Column('status_changed_at', sa.DateTime(), nullable=True),
        sa.Column('url', sa.String(length=500), nullable=False),
        sa.Column('note', sa.Text(), nullable=False),
        sa.CheckConstraint(f"status IS NULL OR status IN ({listed})",
                           name='ck_legal_document_status'),
        sa.ForeignKeyConstraint(['replaced_by_id'], ['legal_document.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('number'),
    )
    # Every number a legal basis cites gets an entry, described by its first citation.
    basis = sa.table('legal_basis', sa.column('id'), sa.column('number'), sa.column('title'),
                     sa.column('issuer'), sa.column('issued_on', sa.Date()))
    rows = op.get_bind().execute(
        sa.select(basis.c.number, basis.c.title, basis.c.issuer, basis.c.issued_on)
        .where(basis.c.number != '').order_by(basis.c.id)).all()
    seen = {}
    for number, title, issuer, issued_on in rows:
        number = (number or '').strip()
        if number and number not in seen:
            seen[number] = {'number': number, 'kind': _kind(number), 'title': title or '',
                            'issuer': issuer or '', 'issued_on': issued_on, 'url': '',
                            'note': ''}
    if seen:
        op.bulk_insert(register, list(seen.values()))


def downgrade():
    op.drop_table('legal_document')
