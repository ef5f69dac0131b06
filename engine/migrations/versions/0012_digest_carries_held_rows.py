"""digest carries held rows: notification.carried_by_id

A held row (an escalation or a secretariat item, mailed only inside a daily digest) records the
digest whose delivery first told its recipient of it, so the outbox can say "Đã báo trong bản
tổng hợp #N". A plain integer (notification.id), no foreign key: SQLite adds the column without
rebuilding the table.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 23:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("notification", sa.Column("carried_by_id", sa.Integer(), nullable=True))


def downgrade() -> None:
    op.execute("ALTER TABLE notification DROP COLUMN carried_by_id")  # both backends (SQLite ≥ 3.35)
