"""agency.search_text with the agency's aliases: "STTTT", "VPUB", "SNV" found nothing

The search box matched an agency by its code, name and short name only; the catalog's aliases
(the shorthand the documents and the clerks use) are folded in too (engine.textfold.
agency_search_text). The ORM keeps the column on every later write; this migration refills the
rows that exist.

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-04 16:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from dondoc.engine.textfold import agency_search_text

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


def _refill(with_aliases: bool) -> None:
    connection = op.get_bind()
    columns = (_AGENCY.c.id, _AGENCY.c.code, _AGENCY.c.name, _AGENCY.c.short, _AGENCY.c.aliases)
    for row in connection.execute(sa.select(*columns)).all():
        aliases = (row.aliases or []) if with_aliases else []
        folded = agency_search_text(row.code, row.name, row.short, aliases)
        connection.execute(sa.update(_AGENCY).where(_AGENCY.c.id == row.id).values(search_text=folded))


def upgrade() -> None:
    _refill(with_aliases=True)


def downgrade() -> None:
    _refill(with_aliases=False)
