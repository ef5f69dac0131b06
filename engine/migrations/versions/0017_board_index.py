"""board index: ``ix_assignment_board`` also holds ``closed_at`` and ``waiting_condition_since``

The board counts each agency's assignments per state and category in one GROUP BY (engine.
services.web_queries.board_summary). With every column of the assignment that the category reads
in the index, SQLite reads the groups in the index's order, one after the other, without
touching the table and without sorting the rows (at 100k assignments: the statement in about
half the time, bench/README.md). PostgreSQL aggregates the board by hashing a scan of the table
and does not read this index for it.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-02 16:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BEFORE = ["agency_id", "state", "due_at", "reported_at", "milestone_id"]
AFTER = ["agency_id", "state", "due_at", "reported_at", "closed_at", "waiting_condition_since", "milestone_id"]


def upgrade() -> None:
    _replace(AFTER)


def downgrade() -> None:
    _replace(BEFORE)


def _replace(columns: list[str]) -> None:
    """The index anew on ``columns``; on SQLite, its statistics too when the database keeps them.

    Dropping an index drops its row of ``sqlite_stat1``: a database analysed before would then
    hold statistics for every index of the table but this one, and SQLite's planner takes an
    index it knows nothing of for a very selective one (the desk's search at 100k assignments
    went from ~2 ms to ~130 ms, joining from every agency through it). ``ANALYZE`` of the one
    index restores what was there; a database never analysed is left so (PostgreSQL plans from
    its columns' statistics, which the index does not change)."""
    op.drop_index("ix_assignment_board", table_name="assignment")
    op.create_index("ix_assignment_board", "assignment", columns)
    connection = op.get_bind()
    if connection.dialect.name == "sqlite":
        analysed = connection.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").first()
        if analysed is not None:
            connection.exec_driver_sql("ANALYZE ix_assignment_board")
