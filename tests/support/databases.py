"""Where the PostgreSQL tests run, and whether they may be skipped."""

from __future__ import annotations

import os
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session

from dondoc.engine.db import make_engine
from dondoc.engine.errors import DomainError
from dondoc.engine.migrate import upgrade
from dondoc.engine.services.assignments import Request, act

POSTGRES_URL = os.environ.get("DONDOC_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
REQUIRE_POSTGRES = os.environ.get("DONDOC_REQUIRE_POSTGRES") == "1"


@contextmanager
def engine_at(backend: str, revision: str, tmp_path: Path) -> Iterator[Engine]:
    """An empty database of ``backend`` ("sqlite": a file in ``tmp_path``; "postgres": a fresh
    schema) migrated to ``revision``: where a migration test starts."""
    if backend == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'before.db'}")
        upgrade(engine, revision)
        yield engine
        engine.dispose()
        return
    with fresh_postgres_schema(f"dondoc_m{revision}") as url:
        engine = make_engine(url)
        upgrade(engine, revision)
        yield engine
        engine.dispose()


@contextmanager
def fresh_postgres_schema(prefix: str) -> Iterator[str]:
    """The URL of a new, empty schema on the PostgreSQL server, dropped at the end; the test is
    skipped when the server cannot be reached (failed when ``DONDOC_REQUIRE_POSTGRES=1``).

    Its sessions commit without waiting for the WAL to reach the disk (``synchronous_commit=off``):
    a commit is seen by every other session at once as before, and only a crash of the server
    itself could lose the last ones, which no test makes; the replayed year on PostgreSQL took
    119 s waiting, 101 s so."""
    schema = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = make_engine(POSTGRES_URL)
    try:
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as exc:  # noqa: BLE001 - any failure to reach the server
        admin.dispose()
        message = f"PostgreSQL not reachable at {POSTGRES_URL}: {str(exc).splitlines()[0]}"
        if REQUIRE_POSTGRES:
            pytest.fail(message)
        pytest.skip(message)
    try:
        yield f"{POSTGRES_URL}?options=-csearch_path%3D{schema}%20-csynchronous_commit%3Doff"
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def blocked_by(engine: Engine, pid: int, within: float = 10.0) -> bool:
    """Some PostgreSQL backend waits for a lock the backend ``pid`` holds (``pg_blocking_pids``),
    asked anew until ``within`` seconds have passed: a test sees a transaction blocked instead of
    waiting a while and supposing it."""
    deadline = time.monotonic() + within
    with engine.connect() as watcher:
        while time.monotonic() < deadline:
            waiting = watcher.exec_driver_sql(
                "SELECT count(*) FROM pg_stat_activity WHERE %(pid)s = ANY(pg_blocking_pids(pid))", {"pid": pid}
            ).scalar_one()
            watcher.rollback()  # a new snapshot of the activity each time
            if waiting:
                return True
    return False


def act_behind(holder: Session, engine: Engine, assignment_id: int, request: Request, now: datetime) -> object:
    """``request`` acted on in a session of its own, in a thread, while ``holder``'s open
    transaction holds the assignment's row: checks that the action waits for that lock
    (:func:`blocked_by`), then commits ``holder`` and returns what the action came to: "ok"
    (committed) or the DomainError it was refused with (rolled back)."""
    outcome: list[object] = []

    def acting() -> None:
        with Session(engine) as session:
            try:
                act(session, assignment_id, request, now=now)
                session.commit()
                outcome.append("ok")
            except DomainError as exc:
                session.rollback()
                outcome.append(exc)

    thread = threading.Thread(target=acting)
    thread.start()
    pid = holder.connection().exec_driver_sql("SELECT pg_backend_pid()").scalar_one()
    assert blocked_by(engine, pid), "the action should wait for the row lock of the open transaction"
    holder.commit()
    thread.join(timeout=30)
    assert outcome, "the action did not end"
    return outcome[0]


@contextmanager
def later_columns(engine: Engine) -> Iterator[None]:
    """The columns today's catalog load reads and writes that came after the revision a migration
    test starts at (0030: a part's inferred group and its confirmation; 0031: an indicator's same
    measure; 0032: a body's and a plan's province; 0034: a milestone due by convention; 0035: an item's
    place in its text; 0037: a part done on a day no text gives), added beside
    it for the load and dropped before
    the test upgrades, so the migrations create them."""
    stamp = "TIMESTAMP WITH TIME ZONE" if engine.dialect.name == "postgresql" else "TIMESTAMP"
    with engine.begin() as connection:
        connection.execute(text("ALTER TABLE assignment ADD COLUMN inferred_group VARCHAR(64)"))
        connection.execute(text(f"ALTER TABLE assignment ADD COLUMN membership_confirmed_at {stamp}"))
        connection.execute(text(f"ALTER TABLE assignment ADD COLUMN done_from {stamp}"))
        connection.execute(text("ALTER TABLE indicator ADD COLUMN same_measure_id INTEGER"))
        for table in ("agency", "plan"):
            connection.execute(text(f"ALTER TABLE {table} ADD COLUMN province VARCHAR(64)"))
        connection.execute(text("ALTER TABLE milestone ADD COLUMN due_by_convention BOOLEAN NOT NULL DEFAULT false"))
        connection.execute(text("ALTER TABLE plan_item ADD COLUMN position INTEGER NOT NULL DEFAULT 0"))
    yield
    with engine.begin() as connection:
        connection.execute(text("ALTER TABLE assignment DROP COLUMN inferred_group"))
        connection.execute(text("ALTER TABLE assignment DROP COLUMN membership_confirmed_at"))
        connection.execute(text("ALTER TABLE assignment DROP COLUMN done_from"))
        connection.execute(text("ALTER TABLE indicator DROP COLUMN same_measure_id"))
        for table in ("agency", "plan"):
            connection.execute(text(f"ALTER TABLE {table} DROP COLUMN province"))
        connection.execute(text("ALTER TABLE milestone DROP COLUMN due_by_convention"))
        connection.execute(text("ALTER TABLE plan_item DROP COLUMN position"))
