"""event index ``ix_event_action_at``: the rows an event rewrote after an instant

The board (and the lists and counts beside it) asks, at the instant it is read at, which rows a
return, an extension, a catalog date move, a same-work follow or a condition met touched after it
(engine.reports.history.changed_after_sql): at a look-back those are counted as their history says
they stood then. At today's instant there is none; with this index the question is one seek per
action instead of a read of every such event's row.

Revision ID: 0033
Revises: 0032
Create Date: 2026-12-05 18:30:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0033"
down_revision: str | None = "0032"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_event_action_at", "event", ["action", "at"])


def downgrade() -> None:
    op.drop_index("ix_event_action_at", table_name="event")
