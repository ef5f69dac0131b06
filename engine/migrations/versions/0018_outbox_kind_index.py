"""outbox index by kind: ``ix_notification_kind_created (kind, created_at)``

The secretariat's digest lists the mails that failed since the previous secretariat digest; when
that one was made is the latest ``created_at`` of the kind ``digest_secretariat``. Without an
index the database read the whole outbox for it, every morning that a mail had failed; with it,
the end of one kind's range. A new index: the planner's statistics of the others are unchanged
(on SQLite it has none until the nightly ANALYZE, engine.db.refresh_statistics).

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-02 16:30:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_notification_kind_created", "notification", ["kind", "created_at"])


def downgrade() -> None:
    op.drop_index("ix_notification_kind_created", table_name="notification")
