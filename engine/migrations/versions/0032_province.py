"""agency.province and plan.province: the province a body and a plan belong to

Kon Tum's bodies (kt-) are in the directory so that Kon Tum's open plans can be loaded; until
30/06/2025 they were bodies of another province, and the item page offered Sở Y tế tỉnh Kon Tum
for a Quảng Ngãi plan of 2022, and naming it was accepted. NULL: the committee's own province
(engine.provinces). Filled by the next catalog load.

Revision ID: 0032
Revises: 0031
Create Date: 2026-12-05 11:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0032"
down_revision: str | None = "0031"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    for table in ("agency", "plan"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("province", sa.String(length=64), nullable=True))


def downgrade() -> None:
    for table in ("plan", "agency"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("province")
