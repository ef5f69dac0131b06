"""board index: ``ix_assignment_board`` also holds ``assigned_at``

The category (engine.status) now reads ``assigned_at`` too: work given after the instant judged
(a plan loaded before its issue day) is not yet due, neither overdue nor done. Without the column
in the index the board's GROUP BY left the index for the table at every row: at 100k assignments
the board's statements went from ~0.14 s to ~0.39 s CPU (bench/README.md, "Eighth pass"). Same
replacement as 0017, statistics kept.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-03 05:30:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BEFORE = ["agency_id", "state", "due_at", "reported_at", "closed_at", "waiting_condition_since", "milestone_id"]
AFTER = [
    "agency_id",
    "state",
    "due_at",
    "reported_at",
    "closed_at",
    "waiting_condition_since",
    "assigned_at",
    "milestone_id",
]


def upgrade() -> None:
    _replace(AFTER)


def downgrade() -> None:
    _replace(BEFORE)


def _replace(columns: list[str]) -> None:
    """As 0017's: the index anew on ``columns``, and on an analysed SQLite database its statistics."""
    op.drop_index("ix_assignment_board", table_name="assignment")
    op.create_index("ix_assignment_board", "assignment", columns)
    connection = op.get_bind()
    if connection.dialect.name == "sqlite":
        analysed = connection.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").first()
        if analysed is not None:
            connection.exec_driver_sql("ANALYZE ix_assignment_board")
