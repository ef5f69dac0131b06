"""Migration 0029 on a database with transfers, both backends: a queued transfer of work whose giving
day, in the configured zone, came on or after the succession's date was never given to the body that
ended; work given before it, and work a succession passed on by itself, was; and the way back works."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session

from dondoc.engine.clock import LOCAL_TZ
from dondoc.engine.migrate import current_revision, downgrade, upgrade
from dondoc.engine.models.types import AwareDateTime
from tests.factories import load_min_catalog
from tests.support.catalogs import copy_catalog
from tests.support.databases import engine_at, later_columns

ON = date(2022, 7, 1)
TRANSFER = sa.table(
    "agency_transfer",
    sa.column("assignment_id", sa.Integer()),
    sa.column("succession_key", sa.String()),
    sa.column("from_agency_id", sa.Integer()),
    sa.column("effective_on", sa.Date()),
    sa.column("recorded_at", AwareDateTime()),
    sa.column("status", sa.String()),
    sa.column("reason", sa.String()),
)
# (the assignment's assigned_at, status, reason) -> never_given after the migration
CASES = [
    (datetime(2022, 6, 30, 17, tzinfo=UTC), "pending", "giải thể", True),  # 00:00 on 01/07, local
    (datetime(2022, 6, 30, 16, 59, tzinfo=UTC), "pending", "giải thể", False),  # 23:59 on 30/06, local
    (datetime(2022, 9, 30, 17, tzinfo=UTC), "closed", "giải thể", True),  # a later quarter, cancelled
    (datetime(2022, 9, 30, 17, tzinfo=UTC), "done", "tách", True),  # a later quarter, decided
    (datetime(2022, 9, 30, 17, tzinfo=UTC), "done", None, False),  # passed on by the succession itself
]


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def engine_0028(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    with engine_at(request.param, "0028", tmp_path) as engine:
        yield engine


def test_migration_0029_marks_the_work_a_body_that_ended_was_never_given(engine_0028: Engine, tmp_path: Path) -> None:
    with later_columns(engine_0028), Session(engine_0028) as session:
        load_min_catalog(session, datetime(2022, 3, 2, 8, tzinfo=LOCAL_TZ), copy_catalog(tmp_path))
    with engine_0028.begin() as connection:
        rows = connection.execute(sa.text("SELECT id, agency_id FROM assignment ORDER BY id")).all()
        for (assignment_id, agency_id), (given, status, reason, _) in zip(rows, CASES, strict=False):
            connection.execute(
                sa.text("UPDATE assignment SET assigned_at = :given WHERE id = :id").bindparams(
                    sa.bindparam("given", type_=AwareDateTime())
                ),
                {"given": given, "id": assignment_id},
            )
            connection.execute(
                TRANSFER.insert().values(
                    assignment_id=assignment_id,
                    succession_key="test",
                    from_agency_id=agency_id,
                    effective_on=ON,
                    recorded_at=datetime(2022, 7, 1, 1, tzinfo=UTC),
                    status=status,
                    reason=reason,
                )
            )
    upgrade(engine_0028, "head")
    with engine_0028.connect() as connection:
        marked = connection.execute(sa.text("SELECT never_given FROM agency_transfer ORDER BY id")).scalars().all()
    assert [bool(m) for m in marked] == [case[3] for case in CASES]
    downgrade(engine_0028, "0028")
    assert current_revision(engine_0028) == "0028"
    with engine_0028.connect() as connection:
        columns = {c["name"] for c in sa.inspect(connection).get_columns("agency_transfer")}
    assert "never_given" not in columns and "passed_on" in columns
