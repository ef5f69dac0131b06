"""plan.issued_as_written: the date as the text writes it, when it gives no whole day

/TB-UBND reads "Quảng Ngãi, ngày tháng 01 năm 2022": its day is blank. The catalog counts from
19/01/2022 (the meeting's day, the earliest it can have been issued), and the plans page showed
that day as the document's own. NULL: the text gives its whole date (``issued``). Filled by the
next catalog load.

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-04 06:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0024"
down_revision: str | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("plan", schema=None) as batch_op:
        batch_op.add_column(sa.Column("issued_as_written", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("plan", schema=None) as batch_op:
        batch_op.drop_column("issued_as_written")
