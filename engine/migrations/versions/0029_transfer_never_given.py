"""agency_transfer.never_given: work a body that ended was never given

A succession queues every open part of the body that ended, those of a later period included: the
13 district-level units of Quảng Ngãi, dissolved on 01/07/2025, still held the reports of the third
quarter, given on 01/07. Such a part was never the ended body's work, and nobody's until the
secretariat names a body: the board had counted it as given to the body that ended, the sweep had
announced it ("Đã giao") and chased its acknowledgement. ``never_given`` marks the transfer of such
a part (engine.status.held_back_sql reads it).

Existing rows: a queued transfer (one with a ``reason``) whose assignment's giving day, in the
configured zone, is on or after the succession's date.

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-05 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from dondoc.engine.models.types import AwareDateTime
from dondoc.engine.settings import Settings

revision: str = "0029"
down_revision: str | None = "0028"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TRANSFER = sa.table(
    "agency_transfer",
    sa.column("id", sa.Integer()),
    sa.column("assignment_id", sa.Integer()),
    sa.column("reason", sa.String()),
    sa.column("effective_on", sa.Date()),
    sa.column("never_given", sa.Boolean()),
)
_ASSIGNMENT = sa.table("assignment", sa.column("id", sa.Integer()), sa.column("assigned_at", AwareDateTime()))


def upgrade() -> None:
    op.add_column(
        "agency_transfer", sa.Column("never_given", sa.Boolean(), nullable=False, server_default=sa.false())
    )
    connection, t, a = op.get_bind(), _TRANSFER, _ASSIGNMENT
    zone = Settings().tz
    queued = connection.execute(
        sa.select(t.c.id, t.c.effective_on, a.c.assigned_at)
        .join(a, a.c.id == t.c.assignment_id)
        .where(t.c.reason.is_not(None))
    ).all()
    never = [transfer_id for transfer_id, on, given in queued if given.astimezone(zone).date() >= on]
    for start in range(0, len(never), 500):
        connection.execute(t.update().where(t.c.id.in_(never[start : start + 500])).values(never_given=True))


def downgrade() -> None:
    with op.batch_alter_table("agency_transfer") as batch_op:
        batch_op.drop_column("never_given")
