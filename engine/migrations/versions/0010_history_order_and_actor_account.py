"""history: the replay mark, and the account that acted on each event

``replay_mark`` holds one row in a replay database (``dondoc simulate``, ``serve --demo``): only
there may a command write at a ``--now`` in the past. ``event.actor_account`` names the account
that acted for a role (the secretariat clerk's login); nullable, so the append-only ``event``
table keeps every row it has.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 23:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import dondoc.engine.models.types

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "replay_mark",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("marked_at", dondoc.engine.models.types.AwareDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_replay_mark")),
    )
    op.add_column("event", sa.Column("actor_account", sa.String(length=64), nullable=True))


def downgrade() -> None:
    op.execute("ALTER TABLE event DROP COLUMN actor_account")
    op.drop_table("replay_mark")
