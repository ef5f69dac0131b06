"""Plain factory functions for tests."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlmodel import Session, select

from dondoc.engine.models import Agency, Assignment, Milestone, PlanItem
from dondoc.engine.services.catalog_sync import SyncReport, sync_catalog
from dondoc.engine.workcalendar import WorkCalendar
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
