"""indicator.same_measure_id: the same measure, another target, in another document

04/KH-BCĐ II.11 sets "Tỷ lệ hộ gia đình có cáp quang" at 70 % where 1834/UBND-KGVX 2 (restated by
117/KH-UBND II.5) sets it at 65 %: one measure of Sở TT&TT, two targets. Not linked, each took the
figure sent for it, and the third quarter's report of 2022 showed 42,1 under one and 63,8 under the
other. Linked, a figure sent for either is the measure's, judged against each target apart. Filled
by the next catalog load.

Revision ID: 0031
Revises: 0030
Create Date: 2026-12-05 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0031"
down_revision: str | None = "0030"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("indicator", schema=None) as batch_op:
        batch_op.add_column(sa.Column("same_measure_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_indicator_same_measure_id_indicator"), "indicator", ["same_measure_id"], ["id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("indicator", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_indicator_same_measure_id_indicator"), type_="foreignkey")
        batch_op.drop_column("same_measure_id")
