"""The replay loop: each day digests at 07:30, a sweep at 08:00, delivery, then people act; at 16:30
the secretariat decides the work that waited its time in "Cần phân công lại" (simulation.reassign)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from dondoc import jobs
from dondoc.engine import migrate
from dondoc.engine.actors import SECRETARIAT, Actor, ActorKind
from dondoc.engine.clock import LocalDays
from dondoc.engine.db import transaction
from dondoc.engine.errors import DomainError, InvalidInput
from dondoc.engine.models import Agency, Assignment, Plan, State
from dondoc.engine.services.assignments import Request, act
from dondoc.engine.services.history_order import mark_replay
from dondoc.engine.services.successions import pending_assignment_ids
from dondoc.engine.services.tracking import set_tracking_start
from dondoc.engine.settings import Settings
from dondoc.engine.workcalendar import WorkCalendar
from dondoc.engine.workflow import Action
from dondoc.simulation import indicators as sim_indicators
from dondoc.simulation.behaviour import plan
from dondoc.simulation.reassign import decide_waiting


@dataclass(order=True)
class Step:
    at: datetime
    assignment_id: int = field(compare=False)
    action: Action = field(compare=False)
    actor: Actor = field(compare=False)


@dataclass
class ReplayStats:
    actions: dict[str, int] = field(default_factory=dict)
    refused: int = 0
    sweeps: int = 0
    delivered: int = 0
    # successions: assignments passed on and put in "Cần phân công lại"; steps skipped while waiting
    transferred: int = 0
    queued: int = 0
    skipped_waiting: int = 0
    # the simulated secretariat's decisions on the waiting work (dondoc.simulation.reassign)
    reassigned: int = 0
    cancelled_waiting: int = 0


def prepare(engine: Engine, *, reset: bool) -> None:
    """Migrate; refuse a database that holds data unless ``reset`` (then wipe and migrate)."""
    migrate.upgrade(engine)
    with Session(engine) as session:
        plans = session.exec(select(func.count()).select_from(Plan)).one()
    if plans and not reset:
        raise InvalidInput(
            f"the database already holds {plans} plan(s); simulate needs an empty one (add --reset to wipe it)"
        )
    if plans:
        migrate.downgrade(engine, "base")
        migrate.upgrade(engine)


Progress = Callable[[int, int], None]  # (days lived through, days in the window)


def replay(
    engine: Engine,
    *,
    start: date,
    end: date,
    seed: int,
    settings: Settings,
    catalog_dir: Path | None = None,
    progress: Progress | None = None,
) -> ReplayStats:
    """Load the catalog at ``start`` and live through every day up to ``end``; tracking starts on ``start``.

    ``progress`` is told after the catalog load (0 days) and after each day."""
    if end < start:
        raise InvalidInput(f"--to {end} is before --from {start}")
    total = (end - start).days + 1
    tell = progress or (lambda done, total: None)
    calendar, local = WorkCalendar.default(), LocalDays(settings.tz)
    begin = local.start_of_day(start)
    jobs.run_catalog_load(
        engine, now=begin, catalog_dir=catalog_dir, local=local, local_dir=settings.catalog_local_dir, settings=settings
    )
    with transaction(engine) as session:
        set_tracking_start(session, start, local=local)  # the committee starts tracking on the first day
        mark_replay(session, now=begin)  # a replay: commands may write at a past --now here
    with transaction(engine) as session:
        steps = _steps(session, seed, begin, calendar, local)
    stats = ReplayStats()
    finish = local.at(end, 23, 59)
    # The seeded past before the window is recorded when the replay takes it in, at ``begin``: the
    # catalog created the rows then, and history never runs backwards (engine.services.history_order).
    # Nothing the ladder judges moves: acknowledged and reported before the first sweep either way,
    # and a report on a row due before ``begin`` is "trước khi theo dõi" whatever its date.
    _apply(engine, [replace(s, at=begin) for s in steps if s.at < begin], stats, calendar, local)
    pending: dict[date, list[Step]] = {}  # the window's steps by the day they fall on
    for step in steps:
        if begin <= step.at <= finish:
            pending.setdefault(step.at.date(), []).append(step)
    tell(0, total)
    day = start
    while day <= end:
        at = partial(local.at, day)
        jobs.run_periodic_reports(engine, now=at(7, 0), settings=settings)
        jobs.run_digests(engine, now=at(7, 30), settings=settings)
        transfers = jobs.run_successions(engine, now=at(7, 45), settings=settings)
        stats.transferred += len(transfers.transferred)
        stats.queued += len(transfers.queued)
        jobs.run_sweep(engine, now=at(8, 0), settings=settings, calendar=calendar)
        stats.sweeps += 1
        stats.delivered += _sent(jobs.run_delivery(engine, now=at(8, 5), settings=settings))
        _apply(engine, pending.get(day, []), stats, calendar, local)
        actuals = sim_indicators.report_day(
            engine, day, seed=seed, calendar=calendar, local=local
        )  # reports: indicator actuals
        stats.actions["indicator_actual"] = stats.actions.get("indicator_actual", 0) + actuals.recorded
        stats.refused += actuals.refused
        decided = decide_waiting(engine, day, at=at(16, 30), calendar=calendar, local=local)
        stats.reassigned += decided.reassigned
        stats.cancelled_waiting += decided.cancelled
        stats.refused += decided.refused
        tell((day - start).days + 1, total)
        day += timedelta(days=1)
    stats.delivered += _sent(jobs.run_delivery(engine, now=finish, settings=settings))
    return stats


def _steps(session: Session, seed: int, begin: datetime, calendar: WorkCalendar, local: LocalDays) -> list[Step]:
    codes = {a.id: a.code for a in session.exec(select(Agency))}
    steps: list[Step] = []
    for assignment in session.exec(
        select(Assignment).where(Assignment.state == State.ASSIGNED.value).order_by(col(Assignment.id))
    ):
        behaviour = plan(seed, assignment, calendar, local)
        agency = Actor.agency(codes[assignment.agency_id])
        for at, action, actor in (
            (behaviour.acknowledge_at, Action.ACKNOWLEDGE, agency),
            (behaviour.report_at, Action.REPORT, agency),
            (behaviour.verify_at, Action.VERIFY, SECRETARIAT),
        ):
            if at is not None:
                steps.append(Step(at, assignment.id or 0, action, actor))  # a stored row: id is set
    return sorted(steps)


def _apply(engine: Engine, steps: list[Step], stats: ReplayStats, calendar: WorkCalendar, local: LocalDays) -> None:
    for step in sorted(steps):
        try:
            with transaction(engine) as session:
                actor = _holder(session, step, stats)
                if actor is None:
                    continue
                act(
                    session,
                    step.assignment_id,
                    Request(step.action, actor, comment=None),
                    now=step.at,
                    calendar=calendar,
                    local=local,
                )
            stats.actions[step.action.value] = stats.actions.get(step.action.value, 0) + 1
        except DomainError:
            stats.refused += 1


def _holder(session: Session, step: Step, stats: ReplayStats) -> Actor | None:
    """Who takes the step: an agency's step is taken by the body that holds the assignment now (its
    successor after a transfer); none while the assignment waits in "Cần phân công lại"."""
    if step.actor.kind is not ActorKind.AGENCY:
        return step.actor
    if step.assignment_id in pending_assignment_ids(session):
        stats.skipped_waiting += 1
        return None
    assignment = session.get(Assignment, step.assignment_id)
    agency = session.get(Agency, assignment.agency_id) if assignment else None
    return Actor.agency(agency.code) if agency else step.actor


def _sent(report: Any) -> int:
    return int(getattr(report, "sent", 0))
