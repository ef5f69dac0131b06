"""Migration 0028 on a database with transfers, both backends: a transfer done on the succession's
date passed on it; one decided from "Cần phân công lại" passed on the local day of the decision
(never before the succession's date); one waiting or closed has not passed; and the way back works."""

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

ON = date(2022, 8, 1)
TRANSFER = sa.table(
    "agency_transfer",
    sa.column("id", sa.Integer()),
    sa.column("assignment_id", sa.Integer()),
    sa.column("succession_key", sa.String()),
    sa.column("from_agency_id", sa.Integer()),
    sa.column("to_agency_id", sa.Integer()),
    sa.column("effective_on", sa.Date()),
    sa.column("recorded_at", AwareDateTime()),
    sa.column("status", sa.String()),
    sa.column("reason", sa.String()),
    sa.column("decided_by", sa.String()),
    sa.column("decided_at", AwareDateTime()),
)
# (status, reason, decided_at) -> passed_on after the migration
CASES = [
    ("done", None, datetime(2022, 8, 3, 1, tzinfo=UTC), ON),  # passed by the succession itself, applied late
    ("done", "tách", datetime(2022, 8, 19, 18, 30, tzinfo=UTC), date(2022, 8, 20)),  # 01:30 on the 20th, local
    ("done", "tách", datetime(2022, 8, 19, 16, 30, tzinfo=UTC), date(2022, 8, 19)),  # 23:30 on the 19th, local
    ("done", "tách", datetime(2022, 7, 30, 9, tzinfo=UTC), ON),  # decided before the date: passed on it
    ("pending", "tách", None, None),
    ("closed", "giải thể", datetime(2022, 8, 5, 9, tzinfo=UTC), None),
]


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def engine_0027(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    with engine_at(request.param, "0027", tmp_path) as engine:
        yield engine


def test_migration_0028_dates_each_transfer_by_the_day_its_work_passed(engine_0027: Engine, tmp_path: Path) -> None:
    with later_columns(engine_0027), Session(engine_0027) as session:
        load_min_catalog(session, datetime(2022, 3, 2, 8, tzinfo=LOCAL_TZ), copy_catalog(tmp_path))
    with engine_0027.begin() as connection:
        assignments = connection.execute(sa.text("SELECT id, agency_id FROM assignment ORDER BY id")).all()
        for (assignment_id, agency_id), (status, reason, decided_at, _) in zip(assignments, CASES, strict=False):
            connection.execute(
                TRANSFER.insert().values(
                    assignment_id=assignment_id,
                    succession_key="test",
                    from_agency_id=agency_id,
                    to_agency_id=agency_id if status == "done" else None,
                    effective_on=ON,
                    recorded_at=datetime(2022, 8, 1, 1, tzinfo=UTC),
                    status=status,
                    reason=reason,
                    decided_by="secretariat" if decided_at else None,
                    decided_at=decided_at,
                )
            )
    upgrade(engine_0027, "head")
    with engine_0027.connect() as connection:
        passed = connection.execute(sa.text("SELECT passed_on FROM agency_transfer ORDER BY id")).scalars().all()
    assert [None if p is None else date.fromisoformat(str(p)) for p in passed] == [case[3] for case in CASES]
    downgrade(engine_0027, "0027")
    assert current_revision(engine_0027) == "0027"
    with engine_0027.connect() as connection:
        columns = {c["name"] for c in sa.inspect(connection).get_columns("agency_transfer")}
    assert "passed_on" not in columns and "effective_on" in columns
