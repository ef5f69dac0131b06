"""outbox mime: the email as rendered at enqueue, stored with its row

Delivery then only prefixes the headers of the sending (Date, Message-ID, the row id).
Rows queued before this revision have none and are rendered at delivery, as before.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23 15:35:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("notification", sa.Column("mime", sa.LargeBinary(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.drop_column("mime")
