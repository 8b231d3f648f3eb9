"""Round three: one head again after the changes made side by side.

a19 fees once and case slugs; d22 reform facts; k24 service points; q26 tablets, counters and
complaints; s25a pointers elsewhere; t21a dated changes and notices. Nothing to do but join.

Revision ID: m3a000000001
Revises: a19000000001, d22000000001, k24000000001, q26000000001, s25a00000001, t21a00000001
"""

revision = "m3a000000001"
down_revision = ("a19000000001", "d22000000001", "k24000000001", "q26000000001",
                 "s25a00000001", "t21a00000001")
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
