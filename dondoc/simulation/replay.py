"""The replay loop: each day reports at 07:00, successions and a sweep at 07:05, digests at 07:30,
delivery at 08:05, people acting in between at their own times (each step before the first job
after it); at 16:30 the secretariat decides the work that waited its time in "Cần phân công lại"
(simulation.reassign)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from email.parser import BytesHeaderParser
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import event, func, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, col, select

from dondoc import jobs
from dondoc.engine import migrate
from dondoc.engine.actors import SECRETARIAT, Actor, ActorKind
from dondoc.engine.clock import LocalDays
from dondoc.engine.db import refresh_statistics, transaction
from dondoc.engine.errors import DomainError, InvalidInput
from dondoc.engine.models import Agency, Assignment, Event, Milestone, PlanItem, State
from dondoc.engine.services.assignments import Request, apply_step
from dondoc.engine.services.catalog_sync import DONE_BY_ISSUE
from dondoc.engine.services.history_order import is_replay, mark_replay
from dondoc.engine.services.same_work import ACTION as SAME_WORK
from dondoc.engine.services.successions import pending_assignment_ids
from dondoc.engine.services.tracking import set_tracking_start
from dondoc.engine.settings import Settings
from dondoc.engine.workcalendar import WorkCalendar
from dondoc.engine.workflow import Action
from dondoc.simulation import indicators as sim_indicators
from dondoc.simulation.behaviour import plan
from dondoc.simulation.reassign import decide_waiting
from dondoc.tasks_catalog.loader import load_catalog
from dondoc.tasks_catalog.resolved import Catalog


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
    # of them: an agency's or the secretariat's step, an indicator figure (the deliberate slips), a decision
    refused_by: dict[str, int] = field(default_factory=lambda: {"step": 0, "indicator_actual": 0, "decision": 0})
    sweeps: int = 0
    delivered: int = 0  # notifications sent (outbox rows)
    mails: int = 0  # the mails they went in: a lead's list carries several rows in one
    # successions: assignments passed on and put in "Cần phân công lại"; steps skipped while waiting
    transferred: int = 0
    queued: int = 0
    skipped_waiting: int = 0
    # steps the seeded behaviour drew for work the body had done under another document (same_work)
    skipped_same_work: int = 0
    # the simulated secretariat's decisions on the waiting work (dondoc.simulation.reassign)
    reassigned: int = 0
    cancelled_waiting: int = 0


def check_window(start: date, end: date) -> None:
    """A replay's window runs forwards: refused in one line otherwise, before anything is touched."""
    if end < start:
        raise InvalidInput(f"--to {end:%d/%m/%Y} trước --from {start:%d/%m/%Y}: ngày kết thúc phải sau ngày bắt đầu.")


@dataclass(frozen=True)
class _Held:
    """What a dondoc database holds, read before anything of it changes."""

    plans: int
    replay: bool  # it carries the replay mark (simulate, serve --demo)
    delivered: dict[int, str | None]  # its outbox's sent mails: id -> Message-ID


def _held(engine: Engine) -> _Held | None:
    """What the database holds, or None when it has no dondoc schema yet. Read by table name, not
    by the models: the schema may be older than the code (a refused run does not migrate it)."""
    if migrate.current_revision(engine) is None:
        return None
    with engine.connect() as connection:
        plans = connection.execute(text("SELECT count(*) FROM plan")).scalar_one()
        sent = connection.execute(text("SELECT id, message_id FROM notification WHERE status = 'sent'")).all()
    try:
        with Session(engine) as session:
            replay = is_replay(session)  # the one test of the mark (history_order)
    except SQLAlchemyError:  # a schema older than the mark
        replay = False
    return _Held(plans, replay, {row_id: message_id for row_id, message_id in sent})


def prepare(engine: Engine, *, reset: bool, maildrop: Path | None = None, owned: bool = False) -> None:
    """Make the database an empty one at the head revision for a replay.

    A database that holds plans is refused unless ``reset``, and ``reset`` wipes only a replay's
    database (one with the replay mark), so that a command pointed at the production database by
    its ``.env`` cannot erase it; the mail drop ``maildrop`` then loses the mails that database's
    outbox delivered there (``<id>.eml`` with that row's Message-ID), nothing else. ``owned``: the
    database and the mail drop are the caller's own (the demo's ``var/demo.db`` and its folder):
    wiped whatever they hold. Nothing changes before every check has passed."""
    held = _held(engine)
    if held is not None and held.plans:
        if not reset:
            raise InvalidInput(
                f"cơ sở dữ liệu đã có {held.plans} kế hoạch; simulate cần một cơ sở dữ liệu trống "
                "(thêm --reset để xóa sạch một cơ sở dữ liệu mô phỏng)"
            )
        if not (held.replay or owned):
            raise InvalidInput(
                f"cơ sở dữ liệu đã có {held.plans} kế hoạch và không phải cơ sở dữ liệu mô phỏng (không do "
                "dondoc simulate hay serve --demo tạo): --reset chỉ xóa cơ sở dữ liệu mô phỏng; "
                "hãy chạy simulate trên một tệp khác (--database-url)"
            )
    if reset and maildrop is not None:
        clear_maildrop(maildrop, None if owned else (held.delivered if held is not None else {}))
    if reset and (owned or (held is not None and held.plans)):
        migrate.wipe(engine)
    migrate.upgrade(engine)


def clear_maildrop(folder: Path, delivered: dict[int, str | None] | None = None) -> int:
    """Delete the mails a replay delivered to the mail drop ``folder``, and the temporary files of a
    write cut short; how many. ``delivered`` (id -> Message-ID, from the wiped outbox): only those
    mails, each only if its file carries that Message-ID; None: every ``*.eml``. Nothing else in
    the folder is touched."""
    if not folder.is_dir():
        return 0
    if delivered is None:
        mails = list(folder.glob("*.eml"))
    else:
        mails = [
            path
            for row_id, message_id in delivered.items()
            if (path := folder / f"{row_id}.eml").is_file() and (message_id is None or _message_id(path) == message_id)
        ]
    mails += folder.glob(".*.tmp")
    for path in mails:
        path.unlink(missing_ok=True)
    return len(mails)


def _message_id(path: Path) -> str | None:
    with path.open("rb") as handle:
        return BytesHeaderParser().parse(handle).get("Message-ID")


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
    """Load the catalog's plans issued by ``start`` at ``start``, each later one at 07:00 of the day it
    was issued, and live through every day up to ``end``; tracking starts on ``start``.

    ``progress`` is told after the catalog load (0 days) and after each day."""
    check_window(start, end)
    tell = progress or (lambda done, total: None)
    with _replay_writes(engine), asyncio.Runner() as delivery_loop:  # one event loop for every delivery
        return _replay(engine, start, end, seed, settings, catalog_dir, tell, delivery_loop)


@contextmanager
def _replay_writes(engine: Engine) -> Iterator[None]:
    """On SQLite, the replay's connections commit without waiting for the disk (``synchronous=OFF``).

    Safe for a replay's database: it is an empty one the replay fills from nothing (``prepare``
    refuses any other), and a replay cut short is never used as it is (``simulate`` needs
    ``--reset`` to run again; the demo's fingerprint is written last, so an unfinished demo
    database is rebuilt). The setting only matters if the machine itself stops: a crash of the
    process loses nothing (WAL), and the pooled connections are closed at the end, so every later
    connection has the usual ``synchronous=NORMAL`` (engine.db)."""
    if engine.dialect.name != "sqlite":
        yield
        return

    def relax(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        if not record.info.get(_RELAXED):
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA synchronous=OFF")
            cursor.close()
            record.info[_RELAXED] = True

    event.listen(engine, "checkout", relax)
    try:
        yield
    finally:
        event.remove(engine, "checkout", relax)
        engine.dispose()  # the relaxed connections go with the pool


_RELAXED = "dondoc.replay.synchronous_off"


def _replay(
    engine: Engine,
    start: date,
    end: date,
    seed: int,
    settings: Settings,
    catalog_dir: Path | None,
    tell: Progress,
    delivery_loop: asyncio.Runner,
) -> ReplayStats:
    from dondoc.notifications.delivery import default_sender  # imported when a replay runs (as in jobs)

    total = (end - start).days + 1
    calendar, local = WorkCalendar.default(), LocalDays(settings.tz)
    begin = local.start_of_day(start)
    # Each plan is loaded on the day it was issued, as a secretariat loads it (a plan issued later in
    # the window is not in the catalog before: its history does not say it was given before it existed).
    load = partial(
        jobs.run_catalog_load,
        engine,
        catalog_dir=catalog_dir,
        local=local,
        local_dir=settings.catalog_local_dir,
        settings=settings,
    )
    with transaction(engine) as session:  # marked before anything is written: a run cut short is still a
        mark_replay(session, now=begin)  # replay's database, which --reset may wipe; past --now writes here
    load(now=begin, issued_by=start)
    catalog = load_catalog(catalog_dir, settings.catalog_local_dir)
    issue_days = {d for d in (p.meta.issued for p in catalog.plans) if start < d <= end}
    by_issue = issued_work(catalog)
    with transaction(engine) as session:
        set_tracking_start(session, start, local=local)  # the committee starts tracking on the first day
    with transaction(engine) as session:
        steps = _steps(session, seed, begin, calendar, local, by_issue=by_issue)
    stats = ReplayStats()
    finish = local.at(end, 23, 59)
    # On SQLite the mail drop's files are not synced one by one either: as the database's commits
    # (_replay_writes), they matter only if the machine stops, and a replay cut short is redone.
    sender = default_sender(settings, durable=engine.dialect.name != "sqlite")
    deliver = partial(jobs.run_delivery, engine, settings=settings, sender=sender, runner=delivery_loop)
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
        if day.day == 1 or day == start:  # the planner's statistics, as the scheduler's nightly job or
            refresh_statistics(engine, postgres_too=True)  # autovacuum keeps them, once a replayed month
        # The day's steps are taken in turn with the jobs, each before the first job that comes
        # after it: a body that acknowledges at 08:02 has done so when the 08:05 delivery rechecks
        # the morning sweep's "chưa tiếp nhận" (it is dropped), and no history row says 08:02 of a
        # step the replay took after a mail of 08:05 (history is never backdated).
        later = sorted(pending.get(day, []))
        later = _until(engine, later, at(7, 0), stats, calendar, local)
        if day in issue_days:  # the plan arrives at 07:00: its bodies act from then on
            known = _last_assignment_id(engine)
            load(now=at(7, 0), issued_by=day)
            with transaction(engine) as session:
                arrived = _steps(session, seed, begin, calendar, local, after_id=known, by_issue=by_issue)
            for step in arrived:
                taken = replace(step, at=max(step.at, at(7, 0)))
                (later if taken.at.date() == day else pending.setdefault(taken.at.date(), [])).append(taken)
            later.sort()
        jobs.run_periodic_reports(engine, now=at(7, 0), settings=settings)
        # The sweep runs before the digests, as the scheduler's hourly pass (:05) does: the day's
        # escalations are in the leaders' 07:30 digest of that day, not the next (with the sweep
        # at 08:00, nine of the 2022 replay's digests each left out a row of its day).
        later = _until(engine, later, at(7, 5), stats, calendar, local)
        transfers = jobs.run_successions(engine, now=at(7, 5), settings=settings)
        stats.transferred += len(transfers.transferred)
        stats.queued += len(transfers.queued)
        jobs.run_sweep(engine, now=at(7, 5), settings=settings, calendar=calendar)
        stats.sweeps += 1
        later = _until(engine, later, at(7, 30), stats, calendar, local)
        jobs.run_digests(engine, now=at(7, 30), settings=settings, calendar=calendar)
        later = _until(engine, later, at(8, 5), stats, calendar, local)
        _count_sent(stats, deliver(now=at(8, 5)))
        later = _until(engine, later, at(16, 30), stats, calendar, local)
        actuals = sim_indicators.report_day(
            engine, day, seed=seed, calendar=calendar, local=local
        )  # reports: indicator actuals
        stats.actions["indicator_actual"] = stats.actions.get("indicator_actual", 0) + actuals.recorded
        stats.refused += actuals.refused
        stats.refused_by["indicator_actual"] += actuals.refused
        decided = decide_waiting(engine, day, at=at(16, 30), calendar=calendar, local=local)
        stats.reassigned += decided.reassigned
        stats.cancelled_waiting += decided.cancelled
        stats.refused += decided.refused
        stats.refused_by["decision"] += decided.refused
        _apply(engine, later, stats, calendar, local)
        tell((day - start).days + 1, total)
        day += timedelta(days=1)
    _count_sent(stats, deliver(now=finish))
    return stats


def _until(
    engine: Engine, steps: list[Step], moment: datetime, stats: ReplayStats, calendar: WorkCalendar, local: LocalDays
) -> list[Step]:
    """Take the steps (in order) that come before ``moment``; the rest, for later."""
    cut = next((i for i, step in enumerate(steps) if step.at >= moment), len(steps))
    if cut:
        _apply(engine, steps[:cut], stats, calendar, local)
    return steps[cut:]


def _last_assignment_id(engine: Engine) -> int:
    with Session(engine) as session:
        return session.exec(select(func.max(Assignment.id))).one() or 0


def issued_work(catalog: Catalog) -> frozenset[tuple[str, int]]:
    """The milestones (item code, seq) whose work is the issue of a document of ``catalog``
    (``done_by_issue_of``): no body reports them in a replay (simulation.behaviour.plan's ``by_issue``)."""
    return frozenset(
        (item.code, m.seq)
        for p in catalog.plans
        for item in p.items
        for m in item.milestones
        if m.done_by_issue_of is not None
    )


def _steps(
    session: Session,
    seed: int,
    begin: datetime,
    calendar: WorkCalendar,
    local: LocalDays,
    *,
    after_id: int = 0,
    by_issue: frozenset[tuple[str, int]] = frozenset(),
) -> list[Step]:
    """What the seeded behaviour makes the bodies do with the assignments still to acknowledge
    (those made after ``after_id``: a plan loaded later in the window); ``by_issue``: the milestones
    whose work is a document's issue (:func:`issued_work`)."""
    codes = {a.id: a.code for a in session.exec(select(Agency))}
    steps: list[Step] = []
    for assignment, item_code, seq in session.exec(
        select(Assignment, PlanItem.code, Milestone.seq)
        .join(Milestone, col(Milestone.id) == col(Assignment.milestone_id))
        .join(PlanItem, col(PlanItem.id) == col(Milestone.item_id))
        .where(Assignment.state == State.ASSIGNED.value, col(Assignment.id) > after_id)
        .order_by(col(Assignment.id))
    ):
        behaviour = plan(seed, assignment, calendar, local, by_issue=(item_code, seq) in by_issue)
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
    """Take ``steps`` in order, all in one transaction (the replay's steps of one day, or the past
    taken in at the start). A refused step writes nothing (``act`` refuses before it writes), so the
    steps after it see what they would have seen had each step committed on its own."""
    if not steps:
        return
    with transaction(engine) as session:
        holders = _holders(session, {s.assignment_id for s in steps if s.actor.kind is ActorKind.AGENCY})
        waited: set[int] = set()  # a step skipped as waiting: the steps that follow it on its work never came
        for step in sorted(steps):
            actor = _holder(step, holders, stats) if step.assignment_id not in waited else None
            if actor is None:
                if step.assignment_id in waited:
                    stats.skipped_waiting += 1
                waited.add(step.assignment_id)
                continue
            try:
                apply_step(
                    session,
                    step.assignment_id,
                    Request(step.action, actor, comment=STEP_COMMENTS.get(step.action)),
                    now=step.at,
                    calendar=calendar,
                    local=local,
                )
            except DomainError:
                if _followed(session, step):
                    stats.skipped_same_work += 1  # the body did this work under the other document
                    continue
                stats.refused += 1
                stats.refused_by["step"] += 1
                continue
            stats.actions[step.action.value] = stats.actions.get(step.action.value, 0) + 1


# what a simulated body writes with a step that needs words (the rule book's Need.COMMENT)
STEP_COMMENTS = {Action.REPORT: "Đã hoàn thành (báo cáo mô phỏng)"}


# the states past a step: a body whose same work moved its assignment there has nothing to do
_PAST = {Action.ACKNOWLEDGE: set(State) - {State.ASSIGNED}, Action.REPORT: {State.REPORTED, State.VERIFIED}}
_PAST[Action.VERIFY] = {State.VERIFIED}


def _followed(session: Session, step: Step) -> bool:
    """Whether a refused step's assignment is already past it because it followed the body's same
    work under another document (engine.services.same_work: the agency reported there): the seeded
    behaviour, drawn before the link moved it, would report it twice."""
    assignment = session.get(Assignment, step.assignment_id)
    if assignment is None or State(assignment.state) not in _PAST.get(step.action, set()):
        return False
    last = session.exec(
        select(Event.action).where(Event.assignment_id == step.assignment_id).order_by(col(Event.id).desc())
    ).first()
    return last in (SAME_WORK, DONE_BY_ISSUE)


def _holders(session: Session, assignment_ids: set[int]) -> dict[int, str | None]:
    """For each assignment an agency's step names: the code of the body that holds it now (its
    successor after a transfer), or None while it waits in "Cần phân công lại". Read once for a
    batch of steps: a step (acknowledge, report, verify) moves neither an assignment's agency nor
    a transfer."""
    if not assignment_ids:
        return {}
    waiting = pending_assignment_ids(session)
    holders: dict[int, str | None] = {i: None for i in assignment_ids & waiting}
    rows = session.exec(
        select(Assignment.id, Agency.code)
        .join(Agency, col(Assignment.agency_id) == col(Agency.id))
        .where(col(Assignment.id).in_(assignment_ids - waiting))
    )
    holders.update({int(i or 0): code for i, code in rows})
    return holders


def _holder(step: Step, holders: dict[int, str | None], stats: ReplayStats) -> Actor | None:
    """Who takes the step: an agency's step is taken by the body that holds the assignment now (its
    successor after a transfer); none while the assignment waits in "Cần phân công lại"."""
    if step.actor.kind is not ActorKind.AGENCY:
        return step.actor
    if step.assignment_id not in holders:
        return step.actor  # no such assignment: act refuses it
    code = holders[step.assignment_id]
    if code is None:
        stats.skipped_waiting += 1
        return None
    return Actor.agency(code)


def _count_sent(stats: ReplayStats, report: Any) -> None:
    """Add a delivery run's notifications sent and the mails they went in to ``stats``."""
    stats.delivered += int(getattr(report, "sent", 0))
    stats.mails += int(getattr(report, "mails", 0))
