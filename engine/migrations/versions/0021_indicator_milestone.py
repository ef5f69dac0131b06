"""indicator.milestone_seq: the milestone whose date a target is to be met by

117/KH-UBND II.1.đ sets four targets at four dates (tháng 6/2022, 12/2022, 6/2023, 01/7/2022); read
as "the item's last dated milestone", every one was judged at 30/06/2023, and the first was still
"chưa đánh giá được" six months after its date. 1834/UBND-KGVX:2's yearly targets were judged at its
one dated milestone, 30/09/2022, which is the communes' radio's. Filled by the next catalog load.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-03 08:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("indicator", schema=None) as batch_op:
        batch_op.add_column(sa.Column("milestone_seq", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("indicator", schema=None) as batch_op:
        batch_op.drop_column("milestone_seq")
