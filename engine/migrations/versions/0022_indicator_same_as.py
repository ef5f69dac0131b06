"""indicator.same_as_id: the same target stated by another plan

117/KH-UBND II.5 (27/07/2022) restates three targets of 1834/UBND-KGVX 2 (22/04/2022) for the same
body and year (65 % of households on fibre …): the annual report listed each twice, "Chưa đạt" under
one and "Chưa đánh giá được" under the other, as Sở TT&TT had sent its figure for one. Linked, a
figure sent for either counts for both and the report lists the target once. Filled by the next
catalog load.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-03 15:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0022"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("indicator", schema=None) as batch_op:
        batch_op.add_column(sa.Column("same_as_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f("fk_indicator_same_as_id_indicator"), "indicator", ["same_as_id"], ["id"])


def downgrade() -> None:
    with op.batch_alter_table("indicator", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_indicator_same_as_id_indicator"), type_="foreignkey")
        batch_op.drop_column("same_as_id")
