"""assignment.done_from: work done on a day the texts do not give, only within a window

A plan that records work "đã hoàn thành" within a period ("Tháng 02/2022 (đã hoàn thành)", 04/KH-BCĐ
II.1) gives no day: the part's report time is the period's last instant (the latest the text
allows), and ``done_from`` its first. The same work under an earlier date (the Thông báo's "trước
ngày 15/02/2022") inherits the window when it follows (engine.services.same_work): with its date
inside the window, whether it was done by that date is not known (engine.status.done_day_unknown),
so it is neither late nor on time in any rate. NULL (every existing row; every row whose report
time is an instant someone recorded): the day is known. The board's covering index holds it, as
every column the category reads.

Revision ID: 0037
Revises: 0036
Create Date: 2026-12-07 14:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from dondoc.engine.models.types import AwareDateTime

revision: str = "0037"
down_revision: str | None = "0036"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BEFORE = [
    "agency_id",
    "state",
    "due_at",
    "reported_at",
    "closed_at",
    "waiting_condition_since",
    "assigned_at",
    "milestone_id",
]
AFTER = [*BEFORE, "done_from"]


def upgrade() -> None:
    # a plain ADD COLUMN (no batch copy of the table: SQLite would lose its trigger assignment_resweep)
    op.add_column("assignment", sa.Column("done_from", AwareDateTime(timezone=True), nullable=True))
    _replace(AFTER)


def downgrade() -> None:
    _replace(BEFORE)
    op.execute("ALTER TABLE assignment DROP COLUMN done_from")  # as 0030's: no batch copy of the table


def _replace(columns: list[str]) -> None:
    """As 0019's: the index anew on ``columns``, and on an analysed SQLite database its statistics."""
    op.drop_index("ix_assignment_board", table_name="assignment")
    op.create_index("ix_assignment_board", "assignment", columns)
    connection = op.get_bind()
    if connection.dialect.name == "sqlite":
        analysed = connection.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").first()
        if analysed is not None:
            connection.exec_driver_sql("ANALYZE ix_assignment_board")
