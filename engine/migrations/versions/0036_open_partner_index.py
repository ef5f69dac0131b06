"""ix_assignment_open_partner, ix_assignment_lead: the partners' open parts, the leads' parts

The queue "Phối hợp không còn được chờ" (engine.services.queues) lists a partner's open part once
every lead of its milestone has reported: nobody waits for its input any more, the sweep no longer
chases it, and the secretariat decides whether the part is still owed. The board counts the queue
on every view: a partial index on the few open partner parts lets the count read them alone, not
every open part of every body, and one on the leads' parts lets each find its milestone's leads
without reading the milestone's every part (at 100k assignments, ~80 ms a board without it).

Revision ID: 0036
Revises: 0035
Create Date: 2026-12-06 15:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0036"
down_revision: str | None = "0035"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OPEN_PARTNER_WHERE = "role = 'partner' AND state IN ('assigned', 'in_progress')"
LEAD_WHERE = "role = 'lead'"


def upgrade() -> None:
    where = sa.text(OPEN_PARTNER_WHERE)
    op.create_index(
        "ix_assignment_open_partner",
        "assignment",
        ["role", "state", "milestone_id", "id"],  # searched by its predicate's columns (SQLite's planner)
        sqlite_where=where,
        postgresql_where=where,
    )
    leads = sa.text(LEAD_WHERE)
    op.create_index("ix_assignment_lead", "assignment", ["milestone_id", "state"], sqlite_where=leads, postgresql_where=leads)
    # SQLite's planner takes an index it has no statistics for as a very selective one (0017, 0035)
    connection = op.get_bind()
    if connection.dialect.name == "sqlite":
        analysed = connection.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").first()
        if analysed is not None:
            connection.exec_driver_sql("ANALYZE assignment")


def downgrade() -> None:
    op.drop_index("ix_assignment_lead", table_name="assignment")
    op.drop_index("ix_assignment_open_partner", table_name="assignment")
