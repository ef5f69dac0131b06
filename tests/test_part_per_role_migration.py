"""Migration 0026 on a database with work in it, both backends: every row and index stays, the
sweep's trigger still fires (SQLite rebuilds the table), a body may then hold a lead and a partner
part of one milestone but never two of one role, and the way back works while no body holds two."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from dondoc.engine.clock import LOCAL_TZ
from dondoc.engine.migrate import current_revision, downgrade, upgrade
from dondoc.engine.models.assignments import NEVER, RESWEEP
from tests.factories import load_min_catalog
from tests.support.catalogs import copy_catalog
from tests.support.databases import engine_at, later_columns

COPY = (
    "INSERT INTO assignment (milestone_id, agency_id, role, state, version, due_at, original_due_at, assigned_at,"
    " progress, next_sweep_at) SELECT milestone_id, agency_id, :role, state, 1, due_at, original_due_at,"
    " assigned_at, 0, next_sweep_at FROM assignment WHERE id = :id"
)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def engine_0025(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    with engine_at(request.param, "0025", tmp_path) as engine:
        yield engine


def _rows(engine: Engine) -> list[tuple]:
    with engine.connect() as connection:
        return [tuple(r) for r in connection.execute(text("SELECT * FROM assignment ORDER BY id"))]


def test_migration_0026_keeps_the_rows_and_the_trigger(engine_0025: Engine, tmp_path: Path) -> None:
    with later_columns(engine_0025), Session(engine_0025) as session:
        load_min_catalog(session, datetime(2022, 3, 2, 8, tzinfo=LOCAL_TZ), copy_catalog(tmp_path))
    with engine_0025.begin() as connection:
        connection.execute(text("UPDATE assignment SET next_sweep_at = :never"), {"never": NEVER})
    before = _rows(engine_0025)
    assert len(before) > 10
    upgrade(engine_0025, "head")
    after = _rows(engine_0025)
    width = len(before[0])
    assert [row[:width] for row in after] == before  # 0030's columns come after, empty: no part marked
    assert {row[width:] for row in after} == {(None, None, None)}  # and 0037's done_from
    first = before[0][0]
    with engine_0025.begin() as connection:  # the trigger of 0005 puts a changed row in the next sweep
        connection.execute(text("UPDATE assignment SET state = 'in_progress' WHERE id = :id"), {"id": first})
        swept = connection.execute(text("SELECT next_sweep_at FROM assignment WHERE id = :id"), {"id": first})
        untouched = connection.execute(
            text("SELECT next_sweep_at FROM assignment WHERE id = :id"), {"id": before[1][0]}
        )
        assert {str(swept.scalar_one())[:10], str(untouched.scalar_one())[:10]} == {
            str(RESWEEP.date()),
            str(NEVER.date()),
        }
        role = connection.execute(text("SELECT role FROM assignment WHERE id = :id"), {"id": first}).scalar_one()
        other = "partner" if role == "lead" else "lead"
        connection.execute(text(COPY), {"role": other, "id": first})  # a second part, of another role
    with pytest.raises(IntegrityError), engine_0025.begin() as connection:
        connection.execute(text(COPY), {"role": other, "id": first})  # never two of one role
    with engine_0025.begin() as connection:
        connection.execute(text("DELETE FROM assignment WHERE id > :last"), {"last": before[-1][0]})
    downgrade(engine_0025, "0025")  # the way back, while no body holds two parts of one milestone
    assert current_revision(engine_0025) == "0025"
    with pytest.raises(IntegrityError), engine_0025.begin() as connection:
        connection.execute(text(COPY), {"role": other, "id": first})
