"""desk search: plan_item.search_text and agency.search_text, folded for the search boxes; an
index of the history by action for the queue "Chờ giải trình"

The code and title of an item, the code and names of an agency, without diacritics and in lower
case (engine.textfold.fold), so "bao dam an toan" finds "bảo đảm an toàn" with a LIKE that works
the same on SQLite and PostgreSQL. The ORM keeps the column on every later write; this migration
fills the rows that exist.

``ix_event_action (action, assignment_id, id)``: the queue of explanations not yet answered reads
the latest request and the latest answer per assignment; without it both scan the whole history.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02 01:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from dondoc.engine.textfold import agency_search_text, item_search_text

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    for table in ("plan_item", "agency"):
        op.add_column(table, sa.Column("search_text", sa.Text(), nullable=False, server_default=""))
    connection = op.get_bind()
    items = sa.table("plan_item", sa.column("id"), sa.column("code"), sa.column("title"), sa.column("search_text"))
    for row in connection.execute(sa.select(items.c.id, items.c.code, items.c.title)).all():
        folded = item_search_text(row.code, row.title)
        connection.execute(sa.update(items).where(items.c.id == row.id).values(search_text=folded))
    agencies = sa.table(
        "agency", sa.column("id"), sa.column("code"), sa.column("name"), sa.column("short"), sa.column("search_text")
    )
    for row in connection.execute(sa.select(agencies.c.id, agencies.c.code, agencies.c.name, agencies.c.short)).all():
        folded = agency_search_text(row.code, row.name, row.short)
        connection.execute(sa.update(agencies).where(agencies.c.id == row.id).values(search_text=folded))
    op.create_index("ix_event_action", "event", ["action", "assignment_id", "id"])


def downgrade() -> None:
    op.drop_index("ix_event_action", table_name="event")
    for table in ("plan_item", "agency"):
        op.execute(f"ALTER TABLE {table} DROP COLUMN search_text")  # both backends (SQLite ≥ 3.35)
