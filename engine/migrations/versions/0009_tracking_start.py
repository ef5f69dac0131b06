"""tracking start: the installation row, and plans opted in to tracking before it

``installation`` holds the day the committee started to track its plans with dondoc
(``dondoc init --tracking-start``); a milestone due before it, of a plan issued before it, is
"trước khi theo dõi" (never escalated, counted apart) unless its plan is opted in
(``plan.tracked``, ``dondoc plans track``). An existing database gets no installation row, so
everything in it stays tracked, as before.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-25 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import dondoc.engine.models.types

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "installation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tracking_start", sa.Date(), nullable=False),
        sa.Column("tracking_from", dondoc.engine.models.types.AwareDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_installation")),
    )
    # NOT NULL with a server default: SQLite adds the column without rebuilding the table.
    op.add_column("plan", sa.Column("tracked", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    # ALTER TABLE … DROP COLUMN on both backends (SQLite ≥ 3.35): a batch rebuild of plan would trip
    # the foreign keys of plan_item rows.
    op.execute("ALTER TABLE plan DROP COLUMN tracked")
    op.drop_table("installation")
