"""search text: the words as written beside the words folded

A search word typed in full is now that whole word, and a search typed with diacritics is meant as
written ("chữ ký số" is not "chủ … ký sổ"; "chu ky so" no longer finds "chuyển đổi số"): the stored
text holds the folded words between spaces, then the words as written, each tone after its word's
letters, between bars (engine.textfold._searchable). The ORM and the catalog load keep the column
on every later write; this migration refills the rows that exist.

Revision ID: 0038
Revises: 0037
Create Date: 2026-12-08 01:00:00
"""

from collections.abc import Callable, Sequence

import sqlalchemy as sa
from alembic import op

from dondoc.engine.textfold import agency_search_text, item_search_text, words_of

revision: str = "0038"
down_revision: str | None = "0037"
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
    _refill(agency_search_text, item_search_text)


def downgrade() -> None:  # 0025's text: the folded words after a leading space
    def folded(*parts: str | Sequence[str]) -> str:
        return " " + words_of(" ".join(p if isinstance(p, str) else " ".join(p) for p in parts))

    _refill(folded, folded)


def _refill(agency_text: Callable[..., str], item_text: Callable[..., str]) -> None:
    connection = op.get_bind()
    columns = (_AGENCY.c.id, _AGENCY.c.code, _AGENCY.c.name, _AGENCY.c.short, _AGENCY.c.aliases)
    for row in connection.execute(sa.select(*columns)).all():
        written = agency_text(row.code, row.name, row.short, row.aliases or [])
        connection.execute(sa.update(_AGENCY).where(_AGENCY.c.id == row.id).values(search_text=written))
    for row in connection.execute(sa.select(_ITEM.c.id, _ITEM.c.code, _ITEM.c.title)).all():
        written = item_text(row.code, row.title)
        connection.execute(sa.update(_ITEM).where(_ITEM.c.id == row.id).values(search_text=written))
