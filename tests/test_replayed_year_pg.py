"""tests/test_replayed_year.py's year on PostgreSQL, in a file of its own: pytest-xdist's
``--dist loadfile`` runs it beside the SQLite one, on the other worker. The checks of the desk and
of the digest run here too; the replay's summary is SQLite's (the same engine wrote both)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from tests.test_replayed_year import (
    Year,
    replayed,
    test_queue_counts_equal_their_pages_after_a_replayed_year,
    test_the_secretariat_digest_counts_are_the_boards_after_a_replayed_year,
    year_engine,
)

pytestmark = [pytest.mark.slow, pytest.mark.postgres]

__all__ = [
    "test_queue_counts_equal_their_pages_after_a_replayed_year",
    "test_the_secretariat_digest_counts_are_the_boards_after_a_replayed_year",
    "year_engine",
]


@pytest.fixture(scope="module")
def year(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Year]:
    """The year on PostgreSQL, a schema of its own dropped at the end."""
    yield from replayed("postgres", request, tmp_path_factory.mktemp("year-postgres"))


def test_the_replay_gathered_the_planners_statistics(year_engine: Engine) -> None:
    """The replay analyses its tables as it goes (engine.db.refresh_statistics, once a month), not
    leaving the planner to guess at tables it believes empty (autovacuum may be off, as here)."""
    with year_engine.connect() as connection:
        analysed = connection.execute(
            text(
                "SELECT relname FROM pg_stat_user_tables"
                " WHERE schemaname = current_schema() AND last_analyze IS NOT NULL"
            )
        ).scalars()
        assert {"assignment", "event", "notification", "milestone"} <= set(analysed)
