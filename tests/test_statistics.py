"""The SQLite planner's statistics: gathered nightly by the embedded scheduler, and kept by
migration 0017 where a database had them (PostgreSQL analyses its tables itself)."""

from __future__ import annotations

import logging
import re
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session

from dondoc.engine.clock import LOCAL_TZ
from dondoc.engine.db import make_engine, refresh_statistics
from dondoc.engine.migrate import upgrade
from dondoc.engine.models import SameWorkLink
from dondoc.engine.settings import Settings
from dondoc.scheduler import build_scheduler
from tests.factories import load_min_catalog
from tests.support.catalogs import MIN_CATALOG
from tests.support.databases import later_columns

NOW = datetime(2022, 6, 1, 9, 0, tzinfo=LOCAL_TZ)


def _stats(engine: Engine, table: str) -> dict[str, str]:
    with engine.connect() as connection:
        exists = connection.execute(text("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")).first()
        if exists is None:
            return {}
        rows = connection.execute(text("SELECT idx, stat FROM sqlite_stat1 WHERE tbl = :t"), {"t": table})
        return {idx: stat for idx, stat in rows}


def test_statistics_are_gathered_on_sqlite(sqlite_engine: Engine) -> None:
    with Session(sqlite_engine) as session:
        load_min_catalog(session, NOW, MIN_CATALOG)
    assert _stats(sqlite_engine, "assignment") == {}  # never analysed: the planner guesses
    assert refresh_statistics(sqlite_engine) is True
    gathered = _stats(sqlite_engine, "assignment")
    assert "ix_assignment_board" in gathered and "ix_assignment_milestone_id" in gathered
    assert all(stat.split()[0].isdigit() and int(stat.split()[0]) > 0 for stat in gathered.values())


def test_the_nightly_statistics_line_is_vietnamese(sqlite_engine: Engine, caplog: pytest.LogCaptureFixture) -> None:
    """The scheduler's job lines, read by whoever runs `serve` or `jobs scheduler`, are Vietnamese
    headlines; its nightly upkeep said "statistics gathered anew (ANALYZE) in 0.0 s"."""
    jobs = {job.id: job for job in build_scheduler(sqlite_engine, Settings(_env_file=None), clock=None).get_jobs()}  # type: ignore[arg-type,call-arg]
    caplog.set_level(logging.INFO, logger="dondoc.scheduler")
    jobs["statistics"].func()
    (line,) = [r.getMessage() for r in caplog.records if r.name == "dondoc.scheduler"]
    assert re.fullmatch(r"Đã cập nhật thống kê truy vấn \(ANALYZE\) trong \d+(,\d)? giây", line), line


def test_postgres_is_left_to_autovacuum() -> None:
    # nothing is sent: the engine is never connected to
    assert refresh_statistics(make_engine("postgresql+psycopg://nobody@127.0.0.1:1/none")) is False


@pytest.mark.postgres
def test_a_replay_analyses_its_own_tables_on_postgres(pg_engine: Engine) -> None:
    """``postgres_too`` (the replay, once a month): dondoc's tables in its schema, none of another's."""
    with Session(pg_engine) as session:
        load_min_catalog(session, NOW, MIN_CATALOG)
    analysed = text("SELECT schemaname, relname, last_analyze FROM pg_stat_user_tables WHERE last_analyze IS NOT NULL")
    with pg_engine.connect() as connection:
        schema = connection.execute(text("SELECT current_schema()")).scalar_one()
        before = {(row[0], row[1]): row[2] for row in connection.execute(analysed)}
    assert refresh_statistics(pg_engine, postgres_too=True) is True
    with pg_engine.connect() as connection:
        after = {(row[0], row[1]): row[2] for row in connection.execute(analysed)}
    changed = {key for key, at in after.items() if before.get(key) != at}
    assert {(schema, "assignment"), (schema, "milestone"), (schema, "agency")} <= changed
    assert {key[0] for key in changed} == {schema}  # no other schema's table


def test_migration_0017_keeps_the_statistics_of_the_index_it_replaces(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'analysed.db'}")
    upgrade(engine, "0016")
    # the catalog load of today's code writes 0020's table and 0021's to 0024's, 0030's and 0031's columns: beside 0016
    # for the load only
    links = SameWorkLink.__table__  # type: ignore[attr-defined]
    links.create(engine)
    with engine.begin() as connection:
        connection.exec_driver_sql("ALTER TABLE indicator ADD COLUMN milestone_seq INTEGER")
        connection.exec_driver_sql("ALTER TABLE indicator ADD COLUMN same_as_id INTEGER")  # 0022's
        connection.exec_driver_sql("ALTER TABLE milestone ADD COLUMN priority BOOLEAN")  # 0023's
        connection.exec_driver_sql("ALTER TABLE plan ADD COLUMN issued_as_written TEXT")  # 0024's
    with later_columns(engine), Session(engine) as session:  # 0030's and 0031's
        load_min_catalog(session, NOW, MIN_CATALOG)
    links.drop(engine)
    with engine.begin() as connection:
        connection.exec_driver_sql("ALTER TABLE indicator DROP COLUMN milestone_seq")
        connection.exec_driver_sql("ALTER TABLE indicator DROP COLUMN same_as_id")
        connection.exec_driver_sql("ALTER TABLE milestone DROP COLUMN priority")
        connection.exec_driver_sql("ALTER TABLE plan DROP COLUMN issued_as_written")
    refresh_statistics(engine)
    before = _stats(engine, "assignment")
    assert "ix_assignment_board" in before
    upgrade(engine, "head")
    after = _stats(engine, "assignment")
    # the replaced index analysed again, the others kept; 0036 analyses the table for its new indexes
    # (an empty partial index has no row of statistics)
    added = {"ix_assignment_lead", "ix_assignment_open_partner"}
    assert set(before) <= set(after) and set(after) - set(before) <= added
    assert len(after["ix_assignment_board"].split()) == 1 + 9  # rows, then one figure per column (0037: done_from)
    engine.dispose()


def test_migration_0017_leaves_a_database_never_analysed_so(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'plain.db'}")
    upgrade(engine, "0016")
    upgrade(engine, "head")
    assert _stats(engine, "assignment") == {}
    engine.dispose()
