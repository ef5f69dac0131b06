"""same work in two documents: ``same_work_link`` stores the catalog's ``same_work_as`` links

Until now the links lived only in the catalog's YAML and were followed at a catalog load alone: an
agency's assignment on a linked milestone stayed open, and was reminded and escalated, after the
agency's work on the linked item was verified. Stored, they are followed after each verification
too (engine.services.same_work). The table is filled by the next ``dondoc catalog load``.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-03 08:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "same_work_link",
        sa.Column("milestone_id", sa.Integer(), nullable=False),
        sa.Column("linked_code", sa.String(length=128), nullable=False),
        sa.ForeignKeyConstraint(
            ["milestone_id"], ["milestone.id"], name=op.f("fk_same_work_link_milestone_id_milestone")
        ),
        sa.PrimaryKeyConstraint("milestone_id", "linked_code", name=op.f("pk_same_work_link")),
    )
    op.create_index(op.f("ix_same_work_link_linked_code"), "same_work_link", ["linked_code"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_same_work_link_linked_code"), table_name="same_work_link")
    op.drop_table("same_work_link")
