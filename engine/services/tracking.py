"""The tracking start of the installation, and plans opted in to tracking before it."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, update
from sqlmodel import Session, col, select

from dondoc.engine.clock import DEFAULT_DAYS, LocalDays
from dondoc.engine.errors import NotFound
from dondoc.engine.models import Assignment, Installation, Milestone, Plan, PlanItem
from dondoc.engine.models.assignments import OPEN_STATE_VALUES, RESWEEP
from dondoc.engine.status import before_tracking_sql


def tracking_start(session: Session) -> date | None:
    """The day the committee started to track its plans with dondoc; None: everything is tracked."""
    return session.exec(select(col(Installation.tracking_start)).limit(1)).first()


def tracking_from(session: Session) -> datetime | None:
    """The first instant of the tracking start (engine.status.due_before_start); None: none set."""
    return session.exec(select(func.max(col(Installation.tracking_from)))).first()


def set_tracking_start(session: Session, day: date, *, local: LocalDays = DEFAULT_DAYS) -> None:
    """Set (or move) the tracking start; every row's ladder is judged again in the next sweep."""
    start = local.start_of_day(day)
    row = session.exec(select(Installation).limit(1)).first() or Installation(
        id=1, tracking_start=day, tracking_from=start
    )
    row.tracking_start, row.tracking_from = day, start
    session.add(row)
    session.execute(update(Assignment).values(next_sweep_at=RESWEEP))


def open_before_tracking(session: Session) -> int:
    """How many open assignments are due before the tracking start, of plans issued before it
    (engine.status.before_tracking_sql): work that is never chased."""
    statement = (
        select(func.count())
        .select_from(Assignment)
        .join(Milestone, col(Milestone.id) == col(Assignment.milestone_id))
        .where(col(Assignment.state).in_(OPEN_STATE_VALUES), before_tracking_sql())
    )
    session.flush()
    return int(session.exec(statement).one())


def is_before_tracking(session: Session, assignment_id: int) -> bool:
    """Whether one assignment is due before the tracking start, of a plan issued before it
    (engine.status.before_tracking_sql): the part of "Cần phân công lại" it is listed in."""
    statement = (
        select(col(Assignment.id))
        .join(Milestone, col(Milestone.id) == col(Assignment.milestone_id))
        .where(col(Assignment.id) == assignment_id, before_tracking_sql())
    )
    return session.exec(statement).first() is not None


def track_plan(session: Session, number: str, *, tracked: bool = True) -> int:
    """Opt a plan in to tracking (or back out): its milestones due before the tracking start are
    escalated and listed as overdue again. Returns how many assignments the next sweep re-judges."""
    plan = session.exec(select(Plan).where(Plan.number == number)).first()
    if plan is None:
        raise NotFound("plan", number)
    plan.tracked = tracked
    session.add(plan)
    milestones = (
        select(Milestone.id)
        .join(PlanItem, col(Milestone.item_id) == col(PlanItem.id))
        .where(PlanItem.plan_id == plan.id)
    )
    result = session.execute(
        update(Assignment).where(col(Assignment.milestone_id).in_(milestones)).values(next_sweep_at=RESWEEP)
    )
    session.flush()
    return int(getattr(result, "rowcount", 0) or 0)
