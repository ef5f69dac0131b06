"""One ``executemany`` INSERT that gives back the new rows' ids in the order of its rows.

PostgreSQL: ``INSERT … RETURNING id`` in batches (SQLAlchemy's insertmanyvalues, sorted by
parameter order). SQLite: SQLAlchemy cannot promise that order for a batch there and falls back
to one statement per row, which costs the bulk path most of its gain; so on SQLite the rows go
in one plain ``executemany`` and the ids are read back after it. SQLite gives a table without
AUTOINCREMENT the rowid ``max + 1`` for each row, and one writer at a time holds the database,
so the new ids are exactly those above the largest before, ascending in insertion order (the
count is checked).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Table, func, insert, select
from sqlalchemy.engine import Connection


def insert_ids(connection: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> list[int]:
    """Insert ``rows`` into ``table`` (integer primary key ``id``); their ids, in the order of ``rows``."""
    if not rows:
        return []
    rows = list(rows)
    if connection.dialect.name != "sqlite":
        statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
        return list(connection.execute(statement, rows).scalars())
    before = connection.execute(select(func.coalesce(func.max(table.c.id), 0))).scalar_one()
    connection.execute(insert(table), rows)
    ids = list(connection.execute(select(table.c.id).where(table.c.id > before).order_by(table.c.id)).scalars())
    if len(ids) != len(rows):  # pragma: no cover - another writer inside our write lock: cannot happen
        raise RuntimeError(f"{table.name}: {len(rows)} rows inserted, {len(ids)} new ids found")
    return ids
