"""waiting for a precondition: when the secretariat marked an assignment's precondition as not met

``assignment.waiting_condition_since`` is set by the ``await_condition`` action and cleared by
``condition_met``; while it is set the ladder is paused and the row is "chờ điều kiện". Every
write to it also moves ``version``, so the resweep trigger of 0005 needs no change.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 23:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import dondoc.engine.models.types

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "assignment",
        sa.Column("waiting_condition_since", dondoc.engine.models.types.AwareDateTime(timezone=True), nullable=True),
    )


def downgrade() -> None:
    # ALTER TABLE … DROP COLUMN on both backends (SQLite ≥ 3.35), as 0009 does.
    op.execute("ALTER TABLE assignment DROP COLUMN waiting_condition_since")
