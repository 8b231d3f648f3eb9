"""a fee is stored once for the ways to apply it is charged on; document case slugs; English
processing time, fee and case names; where to get each form

Revision ID: a19000000001
Revises: b2d0000000ff
Create Date: 2026-12-07 01:00:00

Until now each channel held its own copy of a fee. The upgrade moves fees to the procedure:
identical copies (every column and tier equal) become one row naming the channel kinds it is
charged on (an empty list: every way to apply). Document cases get a slug made from their
title, unique within the procedure. The downgrade copies each fee back to every channel it
applies to. Values are written literally here: a migration is history (no ``app`` import).
"""
import json
import re
import unicodedata

from alembic import op
import sqlalchemy as sa


revision = 'a19000000001'
down_revision = 'b2d0000000ff'
branch_labels = None
depends_on = None

FEE_COLUMNS = ('name', 'kind', 'amount', 'unit', 'cap', 'exempt_groups', 'legal_basis', 'note',
               'valid_from', 'valid_until', 'condition_id', 'basis_document', 'basis_article',
               'checked_on', 'verified')
FORM_SOURCES = "'auto', 'portal', 'counter'"


def _slugify(text):
    decomposed = unicodedata.normalize('NFD', (text or '')[:320].lower())
    bare = ''.join(c for c in decomposed if not unicodedata.combining(c)).replace('đ', 'd')
    return re.sub(r'[^a-z0-9]+', '-', bare).strip('-')[:80].rstrip('-')


def _merge_fees(bind):
    channels = bind.execute(sa.text(
        'SELECT id, procedure_id, kind FROM channel ORDER BY procedure_id, position, id')).fetchall()
    kinds_of = {}
    for channel_id, procedure_id, kind in channels:
        kinds_of.setdefault(procedure_id, []).append((channel_id, kind))
    tiers = {}
    for fee_id, from_unit, amount in bind.execute(sa.text(
            'SELECT fee_id, from_unit, amount FROM fee_tier ORDER BY fee_id, from_unit')):
        tiers.setdefault(fee_id, []).append((from_unit, amount))
    columns = ', '.join(FEE_COLUMNS)
    for procedure_id, procedure_channels in kinds_of.items():
        groups = {}  # key → [kept fee id, kinds]
        order = []
        for channel_id, kind in procedure_channels:
            rows = bind.execute(sa.text(
                f'SELECT id, {columns} FROM fee WHERE channel_id = :c ORDER BY position, id'),
                {'c': channel_id}).fetchall()
            for row in rows:
                key = json.dumps([str(v) for v in row[1:]] + [tiers.get(row[0], [])])
                if key in groups:
                    groups[key][1].append(kind)
                    bind.execute(sa.text('DELETE FROM fee_tier WHERE fee_id = :f'), {'f': row[0]})
                    bind.execute(sa.text('DELETE FROM fee WHERE id = :f'), {'f': row[0]})
                else:
                    groups[key] = [row[0], [kind]]
                    order.append(key)
        all_kinds = {kind for _c, kind in procedure_channels}
        for position, key in enumerate(order):
            fee_id, kinds = groups[key]
            named = [] if set(kinds) >= all_kinds else kinds
            bind.execute(sa.text(
                'UPDATE fee SET procedure_id = :p, channels = :k, position = :n WHERE id = :f'),
                {'p': procedure_id, 'k': json.dumps(named), 'n': position, 'f': fee_id})


def _case_slugs(bind):
    rows = bind.execute(sa.text(
        'SELECT id, procedure_id, title FROM document_case ORDER BY procedure_id, position, id'))
    used = {}
    for case_id, procedure_id, title in rows.fetchall():
        taken = used.setdefault(procedure_id, set())
        base = _slugify(title) or f'truong-hop-{len(taken) + 1}'
        slug, n = base, 2
        while slug in taken:
            slug, n = f'{base[:76]}-{n}', n + 1
        taken.add(slug)
        bind.execute(sa.text('UPDATE document_case SET slug = :s WHERE id = :i'),
                     {'s': slug, 'i': case_id})


def upgrade():
    with op.batch_alter_table('fee') as batch:
        batch.add_column(sa.Column('procedure_id', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('channels', sa.JSON(), nullable=True))
        batch.add_column(sa.Column('name_en', sa.String(length=200), nullable=False,
                                   server_default=''))
    with op.batch_alter_table('channel') as batch:
        batch.add_column(sa.Column('processing_time_en', sa.Text(), nullable=False,
                                   server_default=''))
    with op.batch_alter_table('document_case') as batch:
        batch.add_column(sa.Column('title_en', sa.Text(), nullable=False, server_default=''))
        batch.add_column(sa.Column('slug', sa.String(length=80), nullable=False,
                                   server_default=''))
    with op.batch_alter_table('document') as batch:
        batch.add_column(sa.Column('form_source', sa.String(length=20), nullable=False,
                                   server_default='auto'))
        batch.add_column(sa.Column('form_counter', sa.String(length=20), nullable=True))
        batch.create_check_constraint('ck_document_form_source',
                                      sa.text(f'form_source IN ({FORM_SOURCES})'))
    bind = op.get_bind()
    _merge_fees(bind)
    _case_slugs(bind)
    bind.execute(sa.text("UPDATE fee SET channels = '[]' WHERE channels IS NULL"))
    with op.batch_alter_table('fee') as batch:
        batch.drop_index('ix_fee_channel_id')
        batch.alter_column('channels', existing_type=sa.JSON(), nullable=False)
        batch.drop_column('channel_id')
        batch.alter_column('procedure_id', existing_type=sa.Integer(), nullable=False)
        batch.create_foreign_key('fk_fee_procedure_id', 'procedure', ['procedure_id'], ['id'])
        batch.create_index('ix_fee_procedure_id', ['procedure_id'], unique=False)


def _split_fees(bind):
    """Back to a copy of each fee under every channel it applies to."""
    channels = bind.execute(sa.text('SELECT id, procedure_id, kind FROM channel')).fetchall()
    columns = ', '.join(FEE_COLUMNS)
    fees = bind.execute(sa.text(
        f'SELECT id, procedure_id, channels, position, {columns} FROM fee')).fetchall()
    for fee in fees:
        kinds = fee[2] if isinstance(fee[2], list) else json.loads(fee[2] or '[]')
        targets = [c for c in channels if c[1] == fee[1] and (not kinds or c[2] in kinds)]
        if not targets:
            bind.execute(sa.text('DELETE FROM fee_tier WHERE fee_id = :f'), {'f': fee[0]})
            bind.execute(sa.text('DELETE FROM fee WHERE id = :f'), {'f': fee[0]})
            continue
        bind.execute(sa.text('UPDATE fee SET channel_id = :c WHERE id = :f'),
                     {'c': targets[0][0], 'f': fee[0]})
        values = dict(zip(FEE_COLUMNS, fee[4:]))
        for channel in targets[1:]:
            new_id = bind.execute(sa.text(
                f'INSERT INTO fee (channel_id, position, {columns}) VALUES (:channel_id, '
                f':position, {", ".join(":" + c for c in FEE_COLUMNS)}) RETURNING id'),
                {**values, 'channel_id': channel[0], 'position': fee[3]}).scalar()
            bind.execute(sa.text(
                'INSERT INTO fee_tier (fee_id, from_unit, amount) SELECT :n, from_unit, amount '
                'FROM fee_tier WHERE fee_id = :f'), {'n': new_id, 'f': fee[0]})


def downgrade():
    with op.batch_alter_table('fee') as batch:
        batch.add_column(sa.Column('channel_id', sa.Integer(), nullable=True))
    _split_fees(op.get_bind())
    with op.batch_alter_table('fee') as batch:
        batch.drop_index('ix_fee_procedure_id')
        batch.drop_constraint('fk_fee_procedure_id', type_='foreignkey')
        batch.drop_column('procedure_id')
        batch.drop_column('channels')
        batch.drop_column('name_en')
        batch.alter_column('channel_id', existing_type=sa.Integer(), nullable=False)
        batch.create_foreign_key('fk_fee_channel_id', 'channel', ['channel_id'], ['id'])
        batch.create_index('ix_fee_channel_id', ['channel_id'], unique=False)
    with op.batch_alter_table('document') as batch:
        batch.drop_constraint('ck_document_form_source', type_='check')
        batch.drop_column('form_counter')
        batch.drop_column('form_source')
    with op.batch_alter_table('document_case') as batch:
        batch.drop_column('slug')
        batch.drop_column('title_en')
    with op.batch_alter_table('channel') as batch:
        batch.drop_column('processing_time_en')
