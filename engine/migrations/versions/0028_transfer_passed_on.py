"""agency_transfer.passed_on: the day work passed to its successor

A look-back names and counts each part under the body that held it that day
(engine.services.transfer_origins.held_then), which read the succession's date. Work that waited in
"Cần phân công lại" passed on the day the secretariat named a body, later: at an instant between the
two, the board and the leaders' page had counted it under a body that did not yet know of it, where
the board of that day had shown the body that ended. ``passed_on`` is the day the work passed: the
succession's date for work passed on it, the local day of the decision (never before the
succession's date) for work decided from the queue; none while it waits or once it is closed.

Existing rows: a done transfer with a ``reason`` waited (only a queued transfer has one), and its
``decided_at`` gives the day, in the configured zone. The index of 0027 reads ``passed_on`` instead.

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-05 05:30:00
"""

from collections.abc import Sequence
from datetime import date, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op

from dondoc.engine.models.types import AwareDateTime
from dondoc.engine.settings import Settings

revision: str = "0028"
down_revision: str | None = "0027"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_INDEX = "ix_agency_transfer_done_on"
_TRANSFER = sa.table(
    "agency_transfer",
    sa.column("id", sa.Integer()),
    sa.column("status", sa.String()),
    sa.column("reason", sa.String()),
    sa.column("effective_on", sa.Date()),
    sa.column("decided_at", AwareDateTime()),
    sa.column("passed_on", sa.Date()),
)


def upgrade() -> None:
    op.add_column("agency_transfer", sa.Column("passed_on", sa.Date(), nullable=True))
    connection, t = op.get_bind(), _TRANSFER
    done = t.c.status == "done"
    connection.execute(t.update().where(done, t.c.reason.is_(None)).values(passed_on=t.c.effective_on))
    zone = Settings().tz
    decided = connection.execute(
        sa.select(t.c.id, t.c.effective_on, t.c.decided_at).where(done, t.c.reason.is_not(None))
    ).all()
    for transfer_id, effective_on, decided_at in decided:
        connection.execute(
            t.update().where(t.c.id == transfer_id).values(passed_on=_passed_on(effective_on, decided_at, zone))
        )
    op.drop_index(_INDEX, table_name="agency_transfer")
    op.create_index(_INDEX, "agency_transfer", ["status", "passed_on", "assignment_id", "from_agency_id"])


def _passed_on(effective_on: date, decided_at: datetime | None, zone: ZoneInfo) -> date:
    if decided_at is None:
        return effective_on
    return max(effective_on, decided_at.astimezone(zone).date())


def downgrade() -> None:
    op.drop_index(_INDEX, table_name="agency_transfer")
    op.create_index(_INDEX, "agency_transfer", ["status", "effective_on", "assignment_id", "from_agency_id"])
    with op.batch_alter_table("agency_transfer") as batch_op:
        batch_op.drop_column("passed_on")
