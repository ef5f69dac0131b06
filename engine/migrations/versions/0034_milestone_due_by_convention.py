"""milestone.due_by_convention: the date is the secretariat's convention, no document's

A periodic report whose text gives no day (catalog ``dates: convention``) is dated by
conventions.yaml ``report_days``; until now only its label said so ("(ngày do Tổ giúp việc quy
ước)"). The flag is the fact the sweep, the pre-send re-check, the digests and the leaders' page
read: the leaders are not told that a body is late against a date no document gives. False for
every existing row; the next catalog load (or sync) sets it on the convention milestones.

Revision ID: 0034
Revises: 0033
Create Date: 2026-12-05 20:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0034"
down_revision: str | None = "0033"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("milestone", schema=None) as batch_op:
        batch_op.add_column(sa.Column("due_by_convention", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("milestone", schema=None) as batch_op:
        batch_op.drop_column("due_by_convention")
