"""replay fingerprint: replay_mark.fingerprint

What a replay database was built from (``serve --demo``): a hash of the code, the migration head,
the catalog, the policy and the replay's window and seed. ``serve --demo`` reuses its database
while the fingerprint matches and rebuilds it otherwise. Nullable: a ``dondoc simulate``
database and one built before this column have none (never current).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02 01:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("replay_mark", sa.Column("fingerprint", sa.String(length=64), nullable=True))


def downgrade() -> None:
    op.execute("ALTER TABLE replay_mark DROP COLUMN fingerprint")  # both backends (SQLite ≥ 3.35)
