"""A replay loads each plan on the day it was issued, as a secretariat loads it: no history row of a
plan's work is older than the plan, and its bodies act from that day on (the demo's history said
"01/06/2022 Giao nhiệm vụ" of 117/KH-UBND, issued 27/07/2022)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from dondoc.engine.clock import LOCAL_TZ
from dondoc.engine.models import Assignment, Event, Plan
from dondoc.engine.settings import Settings
from dondoc.simulation.replay import prepare, replay
from tests.support.catalogs import MIN_CATALOG

ISSUED = date(2022, 3, 1)  # the min catalog's plan (tests/fixtures/catalog_min)


def test_a_plan_issued_in_the_window_is_loaded_on_its_issue_day(sqlite_engine: Engine, tmp_path: Path) -> None:
    prepare(sqlite_engine, reset=False)
    settings = Settings(maildrop_dir=tmp_path / "drop", catalog_dir=MIN_CATALOG, demo=True)
    replay(
        sqlite_engine,
        start=date(2022, 2, 21),
        end=date(2022, 3, 31),
        seed=3,
        settings=settings,
        catalog_dir=MIN_CATALOG,
    )
    arrived = datetime(2022, 3, 1, 7, 0, tzinfo=LOCAL_TZ)
    with Session(sqlite_engine) as session:
        assert session.exec(select(Plan.issued)).all() == [ISSUED]
        events = session.exec(select(Event)).all()
        assignments = session.exec(select(func.count()).select_from(Assignment)).one()
    # every assignment was made when the plan arrived, not at the window's start (21/02)
    made = [e for e in events if e.action in ("assign", "import_done")]
    assert len({e.assignment_id for e in made}) == assignments > 0
    assert {e.at for e in made} == {arrived}
    # nothing of its history is older, and its bodies acted in the replay's days after it
    assert min(e.at for e in events) == arrived
    assert any(e.action == "acknowledge" for e in events)
