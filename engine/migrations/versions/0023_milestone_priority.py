"""milestone.priority: a milestone's own "nhiệm vụ trọng tâm", where it differs from its item's

1834/UBND-KGVX item 2 flags one of its bullets (the communes' digital radio, "nhiệm vụ trọng tâm
thuộc diện Ủy ban Quốc gia về chuyển đổi số theo dõi") as a priority; the flag was the item's, so
its two standing duties (the one-stop shops' digitised records) were shown and filtered as
priority work too. NULL: the item's flag (engine.models.plans.PRIORITY). Filled by the next
catalog load.

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-04 02:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0023"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("milestone", schema=None) as batch_op:
        batch_op.add_column(sa.Column("priority", sa.Boolean(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("milestone", schema=None) as batch_op:
        batch_op.drop_column("priority")
