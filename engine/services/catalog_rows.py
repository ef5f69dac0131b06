"""Bulk upsert of the catalog's rows: read a table once, insert what is missing, update what differs.

The catalog load (engine.services.catalog_sync) writes a few hundred plans, items, milestones,
indicators and directory rows. Row by row through the ORM that was one SELECT and one flush
each; here each table costs one SELECT of its rows, one ``executemany`` INSERT of the new ones
(ids back in the order given) and one ``executemany`` UPDATE of the changed ones, on the
session's connection. The caller learns which fields changed, to report them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Table, bindparam, delete, insert, select, update
from sqlalchemy.engine import Connection

from dondoc.engine.services.bulk_insert import insert_ids

Key = tuple[Any, ...]


@dataclass
class Upserted:
    """Per key: its row id; the keys created; per changed key, its changed fields and their old values."""

    ids: dict[Key, int] = field(default_factory=dict)
    created: list[Key] = field(default_factory=list)
    changed: dict[Key, dict[str, Any]] = field(default_factory=dict)


def upsert_rows(
    connection: Connection,
    table: Table,
    keys: Sequence[str],
    wanted: Sequence[tuple[Key, dict[str, Any]]],
    *,
    derived: Callable[[Key, dict[str, Any]], dict[str, Any]] | None = None,
    on_insert: dict[str, Any] | None = None,
) -> Upserted:
    """Make ``table`` hold ``wanted`` (key values, other values), matched on the columns ``keys``.

    A missing row is inserted with ``on_insert`` too (set once, never compared); a row whose values
    differ gets them all; ``derived`` adds columns computed from the rest (a search text) to both.
    Rows of ``table`` not in ``wanted`` are left as they are. New rows get their ids in the order
    of ``wanted`` (the order the row-by-row load gave them).
    """
    result = Upserted()
    if not wanted:
        return result
    names, n = list(wanted[0][1]), len(keys)
    have = {
        tuple(row[:n]): row for row in connection.execute(select(*(table.c[c] for c in (*keys, *names)), table.c.id))
    }
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    for key, values in dict(wanted).items():  # a key given twice: its last values
        row = have.get(key)
        extra = derived(key, values) if derived else {}
        if row is None:
            result.created.append(key)
            inserts.append(dict(zip(keys, key, strict=True)) | values | extra | (on_insert or {}))
            continue
        result.ids[key] = row.id
        old = {name: row[n + i] for i, name in enumerate(names) if row[n + i] != values[name]}
        if old:
            result.changed[key] = old
            updates.append({f"v_{name}": value for name, value in (values | extra).items()} | {"v_id": row.id})
    if inserts:
        result.ids.update(zip(result.created, insert_ids(connection, table, inserts), strict=True))
    if updates:
        columns = [name for name in updates[0] if name != "v_id"]
        connection.execute(
            update(table)
            .where(table.c.id == bindparam("v_id"))
            .values({name[2:]: bindparam(name, type_=table.c[name[2:]].type) for name in columns}),
            updates,
        )
    return result


def insert_rows(connection: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """One ``executemany`` INSERT (nothing if ``rows`` is empty)."""
    if rows:
        connection.execute(insert(table), list(rows))


def delete_ids(connection: Connection, table: Table, ids: Sequence[int]) -> None:
    """Delete the rows ``ids`` of ``table`` (nothing if empty)."""
    if ids:
        connection.execute(delete(table).where(table.c.id.in_(list(ids))))
