"""Plain factory functions for tests."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from sqlmodel import Session, select

from dondoc.engine.actors import Actor
from dondoc.engine.clock import FrozenClock
from dondoc.engine.models import Agency, Assignment, Milestone, PlanItem
from dondoc.engine.services.assignments import Request, act
from dondoc.engine.services.catalog_sync import SyncReport, sync_catalog
from dondoc.engine.workcalendar import WorkCalendar
from dondoc.engine.workflow import Action
from dondoc.tasks_catalog.loader import load_catalog


def load_min_catalog(session: Session, now: datetime, directory: Path) -> SyncReport:
    report = sync_catalog(session, load_catalog(directory), now=now, calendar=WorkCalendar.default())
    session.commit()
    return report


def assignment_for(session: Session, item_code: str, agency_code: str, seq: int = 1) -> Assignment:
    statement = (
        select(Assignment)
        .join(Milestone, Assignment.milestone_id == Milestone.id)
        .join(PlanItem, Milestone.item_id == PlanItem.id)
        .join(Agency, Assignment.agency_id == Agency.id)
        .where(PlanItem.code == item_code, Agency.code == agency_code, Milestone.seq == seq)
    )
    found = session.exec(statement).one()
    return found


def step(session: Session, clock: FrozenClock, a: Assignment, action: Action, actor: Actor, **kw: object) -> None:
    """``action`` on ``a`` by ``actor`` now, committed; then five minutes pass (history moves forward)."""
    act(session, a.id or 0, Request(action, actor, **kw), now=clock.now())  # type: ignore[arg-type]
    session.commit()
    clock.advance(timedelta(minutes=5))
