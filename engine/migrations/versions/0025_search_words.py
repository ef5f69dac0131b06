"""search text: an agency's aliases, and every word findable from its start

The search box matched an agency by its code, name and short name only; the catalog's aliases
(the shorthand the documents and the clerks use: "SNV", "VPUB") are folded in too. And a search
word was found anywhere, inside a word as well ("he" found "nghệ" and "thể" beside "hệ thống"): the
stored text is now the words with every mark read as a space, after a leading space, and a search
word is matched from a word's start (engine.textfold). The ORM and the catalog load keep the column
on every later write; this migration refills the rows that exist.

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-04 16:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from dondoc.engine.textfold import agency_search_text, fold, item_search_text

revision: str = "0025"
down_revision: str | None = "0024"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_AGENCY = sa.table(
    "agency",
    sa.column("id"),
    sa.column("code"),
    sa.column("name"),
    sa.column("short"),
    sa.column("aliases", sa.JSON),
    sa.column("search_text"),
)
_ITEM = sa.table("plan_item", sa.column("id"), sa.column("code"), sa.column("title"), sa.column("search_text"))


def upgrade() -> None:
    connection = op.get_bind()
    columns = (_AGENCY.c.id, _AGENCY.c.code, _AGENCY.c.name, _AGENCY.c.short, _AGENCY.c.aliases)
    for row in connection.execute(sa.select(*columns)).all():
        folded = agency_search_text(row.code, row.name, row.short, row.aliases or [])
        connection.execute(sa.update(_AGENCY).where(_AGENCY.c.id == row.id).values(search_text=folded))
    for row in connection.execute(sa.select(_ITEM.c.id, _ITEM.c.code, _ITEM.c.title)).all():
        folded = item_search_text(row.code, row.title)
        connection.execute(sa.update(_ITEM).where(_ITEM.c.id == row.id).values(search_text=folded))


def downgrade() -> None:  # 0015's text: the parts folded as written, no aliases
    connection = op.get_bind()
    for row in connection.execute(sa.select(_AGENCY.c.id, _AGENCY.c.code, _AGENCY.c.name, _AGENCY.c.short)).all():
        folded = fold(f"{row.code} {row.name} {row.short}")
        connection.execute(sa.update(_AGENCY).where(_AGENCY.c.id == row.id).values(search_text=folded))
    for row in connection.execute(sa.select(_ITEM.c.id, _ITEM.c.code, _ITEM.c.title)).all():
        folded = fold(f"{row.code} {row.title}")
        connection.execute(sa.update(_ITEM).where(_ITEM.c.id == row.id).values(search_text=folded))
