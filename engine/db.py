"""Engines and sessions for SQLite (WAL, foreign keys) and PostgreSQL."""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import unquote, urlparse

from sqlalchemy import event
from sqlalchemy.engine import Engine, Result, make_url
from sqlalchemy.orm import aliased
from sqlmodel import Session, SQLModel, create_engine

from dondoc.engine.errors import InvalidInput

INT_MAX = 2**31 - 1  # PostgreSQL INTEGER (SQLite holds 2^63 - 1): every id column is one, so no id past it exists
# the most values an IN binds at once: a driver takes a bounded number of parameters in one statement
IN_BATCH = 5000
Key = TypeVar("Key", int, str)


def id_batches(ids: Iterable[Key]) -> Iterator[list[Key]]:
    """``ids`` (ids, or keys such as the outbox's dedupe keys), each once and in order, in lists of at
    most :data:`IN_BATCH`: one statement's IN each. The one batching of an IN list."""
    wanted = sorted(set(ids))
    for first in range(0, len(wanted), IN_BATCH):
        yield wanted[first : first + IN_BATCH]


def sqlite_file(url: str) -> Path | None:
    """The file a SQLite URL names: ``sqlite:///var/dondoc.db``, or with ``?uri=true`` a ``file:``
    URI (``file:/srv/dondoc.db?mode=ro``); None for another database or one in memory."""
    parsed = make_url(url)
    database = parsed.database
    if parsed.get_backend_name() != "sqlite" or not database or database == ":memory:":
        return None
    if str(parsed.query.get("uri", "")).lower() not in ("true", "1"):
        return Path(database)
    if parsed.query.get("mode") == "memory":
        return None
    name = unquote(urlparse(database).path) if database.startswith("file:") else database
    return Path(name) if name and name != ":memory:" else None


SQLITE_CONNECT_ARGS = {"timeout": 30}  # seconds a connection waits for another's write lock


def make_engine(url: str, *, must_exist: bool = False, **kwargs: object) -> Engine:
    """Create an engine; for SQLite make the folder and turn on WAL and foreign keys. With
    ``must_exist`` (every command and worker but those that create the database: ``db upgrade``,
    ``init``, ``simulate``), a SQLite file that does not exist is refused in one line and nothing
    is made: connecting would create an empty file, and its folder, before failing."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if (path := sqlite_file(url)) is not None:
            if must_exist and not path.exists():
                raise InvalidInput(
                    f"chưa có cơ sở dữ liệu {path.resolve()}: tạo bằng `dondoc init` (hoặc `dondoc db upgrade`)"
                )
            path.parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args=SQLITE_CONNECT_ARGS, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True, **kwargs)


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


@contextmanager
def transaction(engine: Engine) -> Iterator[Session]:
    """A session whose work commits at the end, or rolls back on any error."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def plain(session: Session, statement: Any, params: Mapping[str, Any] | None = None) -> Result[Any]:
    """A statement of plain columns (no entity: ``queries.base_query`` and those built on it) executed
    on the session's connection, its rows as the driver gives them, without the ORM's result
    handling (a list's 100 rows: ~0.3 ms less); pending changes are flushed first, as the
    session's own execution does (autoflush)."""
    if session.autoflush:
        session.flush()
    return session.connection().execute(statement, params)


def named(result: Result[Any]) -> list[Any]:
    """``result``'s rows as named tuples: read by position or by name as SQLAlchemy's ``Row`` is, a
    name at a plain attribute's cost. A ``Row`` finds a name through ``__getattr__`` once Python's
    own lookup has failed (~1 µs a read, ~20 times a tuple's); the rule book reads seven on each row
    of a queue's page (engine.services.permissions.allowed_for_many): ~0.7 ms a page of 100."""
    make = _line_type(tuple(result.keys()))._make
    return [make(row) for row in result]


@lru_cache(maxsize=256)
def _line_type(fields: tuple[str, ...]) -> Any:
    return namedtuple("Line", fields, rename=True)  # the fields are known only at run time


@cache
def named_alias(entity: Any, name: str) -> Any:
    """``aliased(entity, name=name)``, made once: the columns of a fresh alias cost SQLAlchemy ~1 ms
    a call to adapt, and the tests that make one (engine.status.held_back_sql, open_at_arms,
    engine.services.transfer_origins.held_then) were built a dozen times a page. A subquery over
    it must be uncorrelated or correlate explicitly: two subqueries of one statement then read the
    table under the same name, each in its own scope."""
    return aliased(entity, name=name)


def refresh_statistics(engine: Engine, *, postgres_too: bool = False) -> bool:
    """Gather the query planner's statistics anew (``ANALYZE``) on SQLite; True when it did.

    SQLite keeps no statistics of its own accord: a database never analysed is planned from
    guesses, and the desk's search at 100k assignments then joins from every assignment (~80 ms)
    instead of from the items in code order (~2 ms; bench/README.md, the desk). The embedded
    scheduler calls this once a night (dondoc.scheduler); a whole ANALYZE of 100k assignments
    takes ~0.2 s. PostgreSQL's autovacuum analyses its tables itself: nothing is done there,
    unless ``postgres_too`` (a replay, which lives a month in seconds: autovacuum wakes once a
    minute, and a server may run without it), and then of dondoc's own tables alone, not every
    schema's on the server."""
    if is_postgres(engine) and not postgres_too:
        return False
    statement = "ANALYZE"
    if is_postgres(engine):
        quote = engine.dialect.identifier_preparer.quote
        statement += " " + ", ".join(quote(table.name) for table in SQLModel.metadata.sorted_tables)
    with engine.begin() as connection:
        connection.exec_driver_sql(statement)
    return True


def is_postgres(engine: Engine) -> bool:
    return engine.dialect.name == "postgresql"
