"""The rows of a statement judged at an instant, kept until they could differ.

A statement judged at ``NOW`` and ``TODAY`` (engine.status: the category of each row) gives the same
rows again as long as (1) nothing was committed to the database since, and (2) no value of a column
it compares with ``NOW`` lies between the instant it was run at and the instant asked: each such
comparison (``due_at < NOW``, ``assigned_at <= NOW``, …) turns only when the instant passes one of
its column's values. So :func:`judged_rows` keeps the rows of such a statement with

- the database's state they were read in: PostgreSQL's snapshot (``pg_current_snapshot()``: equal
  snapshots see the same committed transactions, and a commit changes every later one), SQLite's
  ``PRAGMA data_version`` read on a connection of its own that never writes (it changes when any
  other connection, of this process or another, commits);
- the instant they were judged at, and the next value, at or after it, of every column the
  statement compares with ``NOW`` (the next due date, giving day, decision…): found by walking the
  statement itself (:func:`instants_of`), not listed a second time, so that a test of the instant
  added to the category's rule is read here too; a use of ``NOW`` this module cannot bound (``NOW``
  in an expression, not compared with a column) is refused when the statement is first seen;
- ``TODAY``'s value in the key: a new day, a new entry.

Read again they are the same rows the statement would return, never copies of an earlier state:
the board's summary judges every assignment (100k rows, most of the board's time: bench/README.md),
and is read again on every view of the board while nothing changes.

On SQLite it takes a session to hold no statement partly read: such a statement keeps the snapshot
it began in, which nothing in Python 3.11's sqlite3 reveals, and rows read in it would be kept under
the later state (tests/test_judged_rows.py shows it, an expected failure); every result the product
reads here is read whole.

Not kept: in a session holding writes of its own (pending, or flushed in its open transaction: other
sessions do not see them, so the database's state says nothing of them), on PostgreSQL in a
transaction other than READ COMMITTED (one that reads an older snapshot throughout), on SQLite in
memory, or on another database. On a PostgreSQL server shared with databases that write, their
commits change the snapshot too: the rows are judged again, never given stale.

Written by hand: a cache library (dogpile.cache, cachetools) keeps a value for a time or until told;
what makes these rows stale is a commit by any process, or the clock reaching a value in the rows'
own columns, which only the statement and the database can tell.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import event, func, literal, select, union_all
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.sql import operators, visitors
from sqlalchemy.sql.elements import BinaryExpression, BindParameter, ColumnClause
from sqlalchemy.sql.schema import Column
from sqlmodel import Session

from dondoc.engine.db import sqlite_file
from dondoc.engine.models.types import AwareDateTime
from dondoc.engine.status import NOW

KEPT_KEYS = 64  # statements × parameters kept per engine (the board's: one, and one per body viewed)
_INSTANT = "now"  # engine.status.NOW, by its key (TODAY, "today", is part of the key like any value)


# ``column OP NOW`` as the instant moves on from ``since``: with ``<=`` and ``>`` it turns when the
# instant reaches a value (False); with ``<`` and ``>=``, just after it passes one (True). An equality
# would turn at a value and again after it: not used, refused.
_TURNS = {operators.le: False, operators.gt: False, operators.lt: True, operators.ge: True}
_FLIPPED = {
    operators.lt: operators.gt,
    operators.le: operators.ge,
    operators.gt: operators.lt,
    operators.ge: operators.le,
}
STEP = timedelta(microseconds=1)  # the finest instant both databases keep


class NotBounded(ValueError):
    """A statement whose use of ``NOW`` cannot be bounded: :func:`judged_rows` cannot keep its rows."""


def instants_of(statement: Any) -> tuple[tuple[Column[Any], bool], ...]:
    """The table columns ``statement`` compares with ``NOW`` (directly, or through an alias of their
    table), each with whether a comparison turns only after the instant passes a value (``column <
    NOW``, ``column >= NOW``), not on it (``column <= NOW``, ``column > NOW``): each pair once. Every
    ``NOW`` in it must be one side of such a comparison whose other side is a column of instants
    (``AwareDateTime``); else :class:`NotBounded`. ``TODAY`` may be anywhere: its value is part of
    the key."""
    compared: dict[tuple[Column[Any], bool], None] = {}
    uses = bounded = 0
    for element in visitors.iterate(statement):
        if isinstance(element, BindParameter) and element.key == _INSTANT:
            uses += 1
        if not isinstance(element, BinaryExpression):
            continue
        for side, other, flipped in ((element.right, element.left, False), (element.left, element.right, True)):
            if isinstance(side, BindParameter) and side.key == _INSTANT and element.operator in _TURNS:
                # written as ``column OP NOW``
                operator = _FLIPPED[element.operator] if flipped else element.operator
                compared[(_base_column(other), _TURNS[operator])] = None
                bounded += 1
    if uses != bounded:
        raise NotBounded(f"{uses - bounded} use(s) of NOW outside a comparison with a column")
    return tuple(compared)


def _base_column(element: Any) -> Column[Any]:
    """The table's own column behind ``element`` (an ORM-annotated column, or one of an alias)."""
    if isinstance(element, ColumnClause):
        bases = [c for c in element.base_columns if isinstance(c, Column)]
        if len(bases) == 1 and isinstance(bases[0].type, AwareDateTime):
            return bases[0]
    raise NotBounded(f"NOW compared with {element!r}, not with a column of instants")


class _Instants:
    """A statement's columns compared with ``NOW``, and the statement giving the instant its rows may
    next turn at: the next value after ``NOW`` of a column compared on its values, and the first at
    or after ``NOW`` of one compared past them (one microsecond later: :data:`STEP`)."""

    def __init__(self, statement: Any) -> None:
        columns = instants_of(statement)
        self.next_change: Any = None
        if columns:
            each = union_all(
                *(
                    select(func.min(c).label("at"), literal(after).label("after")).where(c >= NOW if after else c > NOW)
                    for c, after in columns
                )
            ).subquery()
            self.next_change = select(each.c.at, each.c.after)

    def until(self, session: Session, now: datetime) -> datetime | None:
        """The first instant after ``now`` the rows may differ at; None: never by the clock alone."""
        if self.next_change is None:
            return None
        found = [at + STEP if after else at for at, after in session.execute(self.next_change, {_INSTANT: now}) if at]
        return min(found, default=None)


_INSTANTS: dict[int, tuple[Any, _Instants]] = {}  # by the statement's id (the statement kept alive beside)
_INSTANTS_LOCK = threading.Lock()


def _instants(statement: Any) -> _Instants:
    with _INSTANTS_LOCK:
        found = _INSTANTS.get(id(statement))
        if found is None or found[0] is not statement:
            found = _INSTANTS[id(statement)] = (statement, _Instants(statement))
        return found[1]


@dataclass
class _Kept:
    state: Hashable  # the database's state the rows were read in
    since: datetime  # the instant they were judged at
    rows: tuple[tuple[Any, ...], ...]
    # the first instant after ``since`` they may differ at (None: never by the clock alone), found
    # when they are first asked at another instant (``settled``): a read after a change, then none
    # before the next change (the scheduler's, a replay's) costs no more than the statement
    until: datetime | None = None
    settled: bool = False

    def holds(self, now: datetime) -> bool:
        return now == self.since or (self.settled and self.since < now and (self.until is None or now < self.until))


class _Watcher:
    """A SQLite connection of its own to ``path``, that never writes: its ``data_version`` changes when
    any other connection commits to the file."""

    def __init__(self, dialect: Any, path: str) -> None:
        self.connection = dialect.loaded_dbapi.connect(path, check_same_thread=False)
        self.lock = threading.Lock()

    def version(self) -> int:
        with self.lock:
            return int(self.connection.execute("PRAGMA data_version").fetchone()[0])

    def close(self) -> None:
        with self.lock:
            self.connection.close()


class _Store:
    def __init__(self, engine: Engine) -> None:
        self.lock = threading.Lock()
        self.kept: OrderedDict[Hashable, list[_Kept]] = OrderedDict()
        self.watched = engine.dialect.name == "sqlite" and sqlite_file(str(engine.url)) is not None
        self.watcher: _Watcher | None = None

    def watching(self, connection: Connection) -> _Watcher | None:
        """The watcher of the file ``connection`` reads (a SQLite file), opened at first use: by the
        path SQLite reports for it, not the URL's, which a relative URL would read from another
        folder once the process changed its own."""
        if not self.watched:
            return None
        with self.lock:
            if self.watcher is None:
                files = connection.exec_driver_sql("PRAGMA database_list").all()
                path = next(str(row[2]) for row in files if row[1] == "main")
                self.watcher = _Watcher(connection.dialect, path)
            return self.watcher

    def found(self, key: Hashable, state: Hashable, now: datetime) -> list[_Kept]:
        """The entries of ``key`` read in ``state`` at ``now`` or before, latest first."""
        with self.lock:
            entries = [k for k in self.kept.get(key, ()) if k.state == state and k.since <= now]
            if entries:
                self.kept.move_to_end(key)
            return sorted(entries, key=lambda k: k.since, reverse=True)

    def settle(self, kept: _Kept, until: datetime | None) -> None:
        with self.lock:
            kept.until, kept.settled = until, True

    def keep(self, key: Hashable, kept: _Kept) -> None:
        with self.lock:
            # the entries of a state no longer current are of no use: one state per key, a few instants
            entries = [k for k in self.kept.pop(key, []) if k.state == kept.state][-3:] + [kept]
            self.kept[key] = entries
            while len(self.kept) > KEPT_KEYS:
                self.kept.popitem(last=False)

    def forget(self) -> None:
        with self.lock:
            self.kept.clear()


_STORES: WeakKeyDictionary[Engine, _Store] = WeakKeyDictionary()
_STORES_LOCK = threading.Lock()


def _store(engine: Engine) -> _Store:
    with _STORES_LOCK:
        store = _STORES.get(engine)
        if store is None:
            store = _STORES[engine] = _Store(engine)
            if store.watched:
                event.listen(engine, "engine_disposed", _closed)
        return store


def _closed(engine: Engine) -> None:
    with _STORES_LOCK:
        store = _STORES.pop(engine, None)
    if store is not None and store.watcher is not None:
        store.watcher.close()


def forget(engine: Engine) -> None:
    """Drop what is kept for ``engine`` (the bench's first view after a change)."""
    with _STORES_LOCK:
        store = _STORES.get(engine)
    if store is not None:
        store.forget()


def _state(session: Session, connection: Connection, store: _Store) -> Hashable | None:
    """The database's committed state as this session reads it; None when it reads writes of its own."""
    if session.new or session.dirty or session.deleted:
        return None
    if connection.dialect.name == "postgresql":
        # READ COMMITTED only: the rows are read by the next statement, in a snapshot of their own,
        # maybe after a commit; kept under this one, they would be given to a REPEATABLE READ
        # transaction that still reads it (a reader in READ COMMITTED reads after that commit)
        snapshot, clean = connection.exec_driver_sql(
            "SELECT pg_current_snapshot()::text, pg_current_xact_id_if_assigned() IS NULL"
            " AND current_setting('transaction_isolation') = 'read committed'"
        ).one()
        return snapshot if clean else None
    if not store.watched or connection.connection.dbapi_connection is None:
        return None
    if connection.connection.dbapi_connection.in_transaction:
        return None  # pysqlite opens a transaction before its first write only: writes of its own
    watcher = store.watching(connection)
    return watcher.version() if watcher is not None else None


def committed_state(session: Session) -> Hashable | None:
    """The database's committed state as ``session`` reads it, as :func:`judged_rows` keys its rows
    (None: not kept). On PostgreSQL it moves with a commit anywhere on the server, another
    database's too: what the tests, whose other workers commit meanwhile, tell apart."""
    connection = session.connection()
    return _state(session, connection, _store(connection.engine))


def judged_rows(session: Session, statement: Any, params: Mapping[str, Any]) -> Sequence[tuple[Any, ...]]:
    """``session.execute(statement, params)``'s rows, as tuples; kept, and given again while they
    cannot differ (the module's rule). ``params`` holds ``now`` (and ``today`` if the statement reads
    it: :func:`engine.status.at_now`)."""
    instants = _instants(statement)
    connection = session.connection()
    store = _store(connection.engine)
    now: datetime = params[_INSTANT]
    state = _state(session, connection, store)
    if state is None:
        return [tuple(row) for row in session.execute(statement, params)]
    key = (id(statement), tuple(sorted((k, v) for k, v in params.items() if k != _INSTANT)))
    for kept in store.found(key, state, now):
        if not kept.settled and now != kept.since:
            until = instants.until(session, kept.since)
            if _state(session, connection, store) != state:
                break  # a commit meanwhile: the next values read may be another state's
            store.settle(kept, until)
        if kept.holds(now):
            return kept.rows
    rows = tuple(tuple(row) for row in session.execute(statement, params))
    # SQLite: its state read again after, equal: no commit while the rows were read (PostgreSQL: a
    # commit since the snapshot makes every later snapshot differ from it)
    if not store.watched or _state(session, connection, store) == state:
        store.keep(key, _Kept(state, now, rows))
    return rows
