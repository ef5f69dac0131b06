"""assignment.inferred_group, assignment.membership_confirmed_at: parts given through an inferred group

A catalog group may be *inferred* (its member list is the catalog's reading, not the texts': the
members of the Ban Chỉ đạo, QĐ 1742/QĐ-UBND not being among the seeds). A body reached only through
such a group holds its part unconfirmed: ``inferred_group`` names the group (set when the part is
created, or by the next catalog load for the parts made before this revision), and the leaders are
not told of its lateness until the secretariat confirms it (``confirm_membership`` sets
``membership_confirmed_at``). Every write to them also moves ``version``, so the resweep trigger of
0005 needs no change.

Revision ID: 0030
Revises: 0029
Create Date: 2026-12-05 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import dondoc.engine.models.types

revision: str = "0030"
down_revision: str | None = "0029"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("assignment", sa.Column("inferred_group", sa.String(length=64), nullable=True))
    op.add_column(
        "assignment",
        sa.Column("membership_confirmed_at", dondoc.engine.models.types.AwareDateTime(timezone=True), nullable=True),
    )
    # the queue "Chờ xác nhận giao", counted on every board's header: the few such parts, in its order
    where = sa.text("inferred_group IS NOT NULL AND membership_confirmed_at IS NULL")
    op.create_index(
        "ix_assignment_unconfirmed", "assignment", ["assigned_at", "id"], sqlite_where=where, postgresql_where=where
    )


def downgrade() -> None:
    op.drop_index("ix_assignment_unconfirmed", table_name="assignment")
    # ALTER TABLE … DROP COLUMN on both backends (SQLite ≥ 3.35), as 0011 does.
    op.execute("ALTER TABLE assignment DROP COLUMN membership_confirmed_at")
    op.execute("ALTER TABLE assignment DROP COLUMN inferred_group")
