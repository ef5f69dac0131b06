"""The schema, the settings and PostgreSQL concurrency."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta, timezone

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import literal, literal_column, text
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel, select

from dondoc.engine.actors import Actor
from dondoc.engine.clock import FrozenClock
from dondoc.engine.errors import ConfigError, Conflict, DomainError
from dondoc.engine.migrate import current_revision, head_revision, upgrade
from dondoc.engine.models import Event
from dondoc.engine.services.assignments import Request, act
from dondoc.engine.settings import Settings
from dondoc.engine.workflow import Action
from tests.factories import assignment_for, load_min_catalog
from tests.support.catalogs import MIN_CATALOG
from tests.support.databases import act_behind


def test_migrations_match_the_models(engine: Engine) -> None:
    assert current_revision(engine) == head_revision(engine)
    with engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), SQLModel.metadata) == []
    upgrade(engine)  # a second upgrade is a no-op
    assert current_revision(engine) == head_revision(engine)


def test_sqlite_runs_in_wal_with_foreign_keys(sqlite_engine: Engine) -> None:
    with sqlite_engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_default_secret_is_refused_outside_demo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DONDOC_SECRET_KEY", raising=False)
    with pytest.raises(ConfigError, match="DONDOC_SECRET_KEY"):
        Settings(demo=False).signing_key()
    assert Settings(demo=True).signing_key()
    with pytest.raises(ConfigError, match="16 ký tự"):
        Settings(secret_key="short").signing_key()
    with pytest.raises(ValueError, match="không có múi giờ"):
        Settings(timezone="Mars/Olympus")


@pytest.mark.postgres
def test_two_sessions_acting_at_once_one_wins(pg_engine: Engine, clock: FrozenClock) -> None:
    """A holds the row; B, which read the old version, waits, then is told of the conflict."""
    engine = pg_engine
    with Session(engine) as setup:
        load_min_catalog(setup, clock.now(), MIN_CATALOG)
        target = assignment_for(setup, "99/KH-TEST:II.1", "so-noi-vu").id
    actor = Actor.agency("so-noi-vu")
    with Session(engine) as session_a:
        act(session_a, target, Request(Action.ACKNOWLEDGE, actor), now=clock.now())  # row locked, not committed
        second = act_behind(session_a, engine, target, Request(Action.ACKNOWLEDGE, actor), clock.now())
    assert isinstance(second, Conflict)
    with Session(engine) as check:
        events = check.exec(select(Event).where(Event.assignment_id == target, Event.action == "acknowledge")).all()
        assert len(events) == 1


@pytest.mark.postgres
def test_racing_sessions_never_double_apply(pg_engine: Engine, clock: FrozenClock) -> None:
    """Many rounds of two threads started together: always exactly one success."""
    engine = pg_engine
    codes: dict[int, str] = {}
    with Session(engine) as setup:
        load_min_catalog(setup, clock.now(), MIN_CATALOG)
        for code in ("so-noi-vu", "vp-ubnd", "ubnd-binh-son", "ubnd-ly-son"):
            for seq in (1, 2):
                codes[assignment_for(setup, "99/KH-TEST:II.1", code, seq).id] = code
    targets = list(codes)
    for target in targets:
        barrier = threading.Barrier(2)
        results: list[object] = []

        def attempt(target: int = target, barrier: threading.Barrier = barrier, results: list = results) -> None:
            with Session(engine) as session:
                barrier.wait(timeout=10)
                try:
                    act(session, target, Request(Action.ACKNOWLEDGE, Actor.agency(codes[target])), now=clock.now())
                    session.commit()
                    results.append("ok")
                except DomainError as exc:
                    session.rollback()
                    results.append(type(exc).__name__)

        threads = [threading.Thread(target=attempt) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        assert results.count("ok") == 1 and set(results) - {"ok"} <= {"Conflict", "TransitionNotAllowed"}
    with Session(engine) as check:
        for target in targets:
            events = check.exec(select(Event).where(Event.assignment_id == target, Event.action == "acknowledge")).all()
            assert len(events) == 1


def test_sqlite_reads_back_aware_utc_datetimes(sqlite_engine: Engine) -> None:
    """AwareDateTime on SQLite: what SQLAlchemy wrote (any zone, microseconds kept), what SQLite
    writes itself, and a text already carrying an offset all read back as the same instant, aware;
    NULL stays None."""
    column = Event.__table__.c.at  # type: ignore[attr-defined]
    hanoi = timezone(timedelta(hours=7))
    written = datetime(2026, 3, 1, 17, 20, 30, 123456, tzinfo=hanoi)
    with sqlite_engine.connect() as connection:
        read = connection.execute(
            select(literal(written, column.type), literal(None, column.type))  # type: ignore[call-overload]
        ).one()
        assert read[0] == written and read[0].tzinfo is UTC and read[0].microsecond == 123456
        assert read[1] is None
        for raw, expected in [
            ("2026-03-01 10:20:30", datetime(2026, 3, 1, 10, 20, 30, tzinfo=UTC)),  # SQLite's datetime()
            ("2026-03-01 10:20:30.5", datetime(2026, 3, 1, 10, 20, 30, 500000, tzinfo=UTC)),
            ("2026-03-01T17:20:30+07:00", datetime(2026, 3, 1, 10, 20, 30, tzinfo=UTC)),
        ]:
            value = connection.execute(select(literal_column(f"'{raw}'", column.type))).scalar_one()
            assert value == expected and value.tzinfo is not None, raw
