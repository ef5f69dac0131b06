"""A replay loads each plan on the day it was issued, as a secretariat loads it: no history row of a
plan's work is older than the plan, and its bodies act from that day on (the demo's history said
"01/06/2022 Giao nhiệm vụ" of 117/KH-UBND, issued 27/07/2022). Work that is a plan's issue
(``done_by_issue_of``) is decided by that issue, never reported by its body before the plan exists."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from dondoc.engine.clock import LOCAL_TZ
from dondoc.engine.models import Assignment, Event, Milestone, Plan, PlanItem, State
from dondoc.engine.settings import Settings
from dondoc.simulation.replay import prepare, replay
from tests.support.catalogs import MIN_CATALOG, issue_notice_catalog

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


def test_work_that_is_a_plans_issue_is_not_reported_before_the_plan_exists(
    sqlite_engine: Engine, tmp_path: Path
) -> None:
    """A Thông báo of 19/01 asks Sở TT&TT to issue the min catalog's plan "trước ngày 15/02/2022"; the
    plan is issued on 01/03. Seed 3 draws Sở TT&TT diligent: it had "reported" the plan on 15/02 and
    the secretariat verified it on 18/02, done on time, eleven days before the plan existed (the 2022
    replay: Sở TT&TT's report of 04/KH-BCĐ on 07/02, issued 10/03). The body acknowledges; the plan's
    issue, loaded that morning, records it done that day, late."""
    catalog = issue_notice_catalog(tmp_path, 'done_by_issue_of: "99/KH-TEST"')
    prepare(sqlite_engine, reset=False)
    settings = Settings(maildrop_dir=tmp_path / "drop", catalog_dir=catalog, demo=True)
    replay(sqlite_engine, start=date(2022, 1, 19), end=date(2022, 3, 4), seed=3, settings=settings, catalog_dir=catalog)
    with Session(sqlite_engine) as session:
        part = session.exec(
            select(Assignment)
            .join(Milestone, col(Milestone.id) == col(Assignment.milestone_id))
            .join(PlanItem, col(PlanItem.id) == col(Milestone.item_id))
            .where(PlanItem.code == "98/TB-TEST:1")
        ).one()
        history = session.exec(select(Event).where(Event.assignment_id == part.id).order_by(col(Event.id))).all()
    issued = datetime(2022, 3, 1, 0, 0, tzinfo=LOCAL_TZ)
    assert [e.action for e in history] == ["assign", "acknowledge", "catalog_done_by_issue"]
    assert history[-1].at == datetime(2022, 3, 1, 7, 0, tzinfo=LOCAL_TZ)  # the load that brought the plan
    assert (part.state, part.reported_at, part.verified_at) == (State.VERIFIED, issued, issued)
