"""The fixtures every test module may use: real databases (a SQLite file and a PostgreSQL schema of
its own), a frozen clock, and the web app over them (``web``).

PostgreSQL comes from ``DONDOC_TEST_POSTGRES_URL`` (default: the local server, database
``test``). If it cannot be reached the PostgreSQL tests are skipped — unless
``DONDOC_REQUIRE_POSTGRES=1`` (as in CI), where that is an error.

Plain helpers (constants, factories, the in-process ``dondoc`` runner) live in tests/support/ and
tests/factories.py; test modules import those, never each other and never this file.
"""

from __future__ import annotations

import itertools
import shutil
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel

from dondoc.engine.clock import LOCAL_TZ, FrozenClock
from dondoc.engine.db import make_engine
from dondoc.engine.migrate import upgrade
from dondoc.engine.services import passwords
from tests.smtp_server import SmtpServer, running_smtp_server
from tests.support.catalogs import FIXTURES, MIN_CATALOG
from tests.support.databases import fresh_postgres_schema
from tests.support.kept_engines import KeptEngines
from tests.support.web import WebEnv, web_env

__all__ = ["FIXTURES", "MIN_CATALOG"]  # still importable from here by older tests

# The files that take longest, longest first (seconds of one run on 2 cores, 2026-12-07: the
# PostgreSQL replayed year 192, the reorganisation's replay 72, the rule-book matrix 70, the SQLite
# replayed year 99 and the Prefect flows 60 (the replayed years' files now hold the checks of the
# 7-month replay and of the digests' parity, which each replayed a window of their own); of the
# others the chair's and the desk's pages). xdist hands out whole files (--dist loadfile, its
# reordering by test count off in pyproject.toml): a long file handed out last keeps one worker busy
# after the other has finished, as the replays, last by name, did.
LONGEST_FIRST = (
    "test_replayed_year_pg.py",
    "test_replayed_year.py",
    "test_simulate_reorg.py",
    "test_rulebook_parity.py",
    "test_prefect_flows.py",
    "test_web_chair.py",
    "test_web_desk.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The longest files first (LONGEST_FIRST), the others in their order."""
    first = {name: rank for rank, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: first.get(item.path.name, len(first)))


@pytest.fixture(scope="session", autouse=True)
def quick_password_hashes() -> Iterator[None]:
    """Passwords hashed in the tests' processes cost scrypt at N = 2**4, not the 2**14 of
    engine.services.passwords (85 ms a hash, 80 ms a login: the ``web`` fixture makes its account
    in some six hundred tests, and many of them log in). The code is the same: a hash says its own N,
    and a login checks a password at the N its hash says. Commands run through the installed script
    (tests/support/cli.py ``dondoc_process``) hash at the real cost."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(passwords, "_N", 2**4)
        yield


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated SQLite file; each test gets a copy (fast, and really migrated)."""
    path = tmp_path_factory.mktemp("sqlite") / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def postgres_schema_url() -> Iterator[str]:
    """A fresh schema on the PostgreSQL server, migrated once, dropped at the end."""
    with fresh_postgres_schema("dondoc_test") as url:
        engine = make_engine(url)
        upgrade(engine)
        engine.dispose()
        yield url


def _empty_postgres_tables(engine: Engine) -> None:
    """Empty every table and restart every sequence, as ``TRUNCATE <all> RESTART IDENTITY`` would.

    Only the tables that hold rows are emptied (most tests fill a few), by ``DELETE`` with the
    session's triggers off (``session_replication_role = replica``, for this transaction only: the
    event table's append-only guard and the foreign keys' checks, as TRUNCATE skips them): a TRUNCATE
    makes new files for each table and its indexes, 56 ms a test after the minimal catalog, against
    10 ms for the DELETEs (2026-12-07: the PostgreSQL tests not marked slow, 215 s on 2 workers, 167 s
    so). DELETE leaves dead rows, which nothing vacuums (the server's autovacuum may be off, as here),
    so every ``_TRUNCATE_EVERY``-th emptying of a process truncates, and the tables never carry more
    than that many tests' rows. Not VACUUM: it tells the planner each table holds no row, where
    TRUNCATE leaves it to judge by the table's size, and a test that then loads a catalog ran 130
    times as long. A server where the tests are not a superuser's gets TRUNCATE every time.

    The tables' sizes differ from test to test so, and with them the planner's choices: a test that
    reads rows in an order no statement gives (no ORDER BY) may get them in another."""
    truncate = next(_EMPTYINGS) % _TRUNCATE_EVERY == 0
    names = [t.name for t in SQLModel.metadata.sorted_tables]
    probe = " UNION ALL ".join(f"(SELECT '{name}' FROM \"{name}\" LIMIT 1)" for name in names)
    with engine.begin() as connection:
        holding = set(connection.execute(text(probe)).scalars())
        # only a superuser may turn the triggers off (the test server's postgres is one)
        truncate = truncate or connection.execute(text("SHOW is_superuser")).scalar_one() != "on"
        if holding and truncate:
            quoted = ", ".join(f'"{name}"' for name in holding)
            connection.execute(text(f"TRUNCATE {quoted} CASCADE"))
        elif holding:
            connection.execute(text("SET LOCAL session_replication_role = replica"))
            for name in reversed(names):
                if name in holding:
                    connection.execute(text(f'DELETE FROM "{name}"'))
        connection.execute(text(_RESTART_SEQUENCES))


_TRUNCATE_EVERY = 25
_EMPTYINGS = itertools.count(1)  # the emptyings of this process


_RESTART_SEQUENCES = """
SELECT setval(format('%I.%I', schemaname, sequencename)::regclass, start_value, false)
FROM pg_sequences WHERE schemaname = current_schema()
"""


@pytest.fixture(scope="session")
def kept_engines(tmp_path_factory: pytest.TempPathFactory) -> Iterator[KeptEngines]:
    """One engine per database kind for the process, lent to each test (tests/support/kept_engines.py)."""
    kept = KeptEngines(tmp_path_factory.mktemp("kept"))
    yield kept
    kept.close()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A migrated, empty database of each kind."""
    if request.param == "sqlite":
        path = tmp_path / "dondoc.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite:///{path}"
        return
    yield _empty_postgres(request.getfixturevalue("postgres_schema_url"), request.getfixturevalue("kept_engines"))


def _empty_postgres(url: str, kept: KeptEngines) -> str:
    _empty_postgres_tables(kept.lend(url))
    return url


@pytest.fixture
def engine(db_url: str, kept_engines: KeptEngines) -> Iterator[Engine]:
    engine = kept_engines.lend(db_url)
    yield engine
    kept_engines.take_back(engine)


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with Session(engine, expire_on_commit=False) as session:
        yield session


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(datetime(2022, 3, 2, 8, 0, tzinfo=LOCAL_TZ))


@pytest.fixture
def pg_engine(postgres_schema_url: str, kept_engines: KeptEngines) -> Iterator[Engine]:
    """PostgreSQL only, for what SQLite cannot show (row locks, SKIP LOCKED)."""
    engine = kept_engines.lend(_empty_postgres(postgres_schema_url, kept_engines))
    yield engine
    kept_engines.take_back(engine)


@pytest.fixture
def sqlite_engine(sqlite_template: Path, tmp_path: Path, kept_engines: KeptEngines) -> Iterator[Engine]:
    path = tmp_path / "dondoc.db"
    shutil.copy(sqlite_template, path)
    engine = kept_engines.lend(f"sqlite:///{path}")
    yield engine
    kept_engines.take_back(engine)


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    """A real SMTP server (aiosmtpd on 127.0.0.1) for the test, stopped after it."""
    with running_smtp_server() as server:
        yield server


@pytest.fixture
def web(engine: Engine, clock: FrozenClock, tmp_path: Path) -> Iterator[WebEnv]:
    """The web app over ``engine`` with the minimal catalog and the test account (tests/support/web.py)."""
    with web_env(engine, clock, tmp_path) as env:
        yield env
