"""unnamed agencies: an item records the role phrases that name nobody, and who named them later

"Các cơ quan, đơn vị liên quan" names nobody: the catalog keeps the phrase on the item
(``plan_item.unnamed``) instead of expanding it to a group, and the secretariat names the bodies
later (``named_at`` / ``named_by``). Existing items start with no such phrase; the next catalog
load fills it in.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-24 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import dondoc.engine.models.types

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("plan_item", sa.Column("unnamed", sa.JSON(), nullable=False, server_default="[]"))
    op.add_column(
        "plan_item", sa.Column("named_at", dondoc.engine.models.types.AwareDateTime(timezone=True), nullable=True)
    )
    op.add_column("plan_item", sa.Column("named_by", sqlmodel.sql.sqltypes.AutoString(length=128), nullable=True))


def downgrade() -> None:
    # ALTER TABLE … DROP COLUMN on both backends (SQLite ≥ 3.35): a batch rebuild of plan_item would
    # trip the foreign keys of milestone rows.
    for column in ("named_by", "named_at", "unnamed"):
        op.execute(f"ALTER TABLE plan_item DROP COLUMN {column}")
