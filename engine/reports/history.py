"""An assignment's facts as they stood at an instant, replayed from its events (append-only).

Its row says what is true now. What category reads of it (engine.status.category: the state, the
date in force, the report time, the cancellation, the wait for a condition) may have changed since
an earlier instant: a report returned clears ``reported_at``, an extension moves ``due_at``, a
condition met clears the wait. The history says how each stood: the week's trend
(engine.reports.trend) and a past period's report and rates (engine.reports.rates, .data) judge
from it, through :func:`category_then`, the one rule. The milestone's start date, the plan's issue
day and opt-in to tracking and the day the work was given are read as they are now.

A past period reads its rows as they are except those an event that rewrites the row (``REWRITES``: a
return, an extension, a condition met …) touched after its cut-off (:func:`changed_after_sql`):
those are replayed (:func:`changed_after`). So the cost grows with what was rewritten since the
cut-off, and a period still running (its cut-off now) replays none, but at a look-back (a past ``now``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Select, and_, case, null, or_, select
from sqlmodel import Session, col

from dondoc.engine.clock import DEFAULT_DAYS, LocalDays, ensure_aware, local_date
from dondoc.engine.history_labels import EVENT_LABELS_VI
from dondoc.engine.models import AgencyTransfer, Assignment, Event, Installation, Milestone, Plan, PlanItem, State
from dondoc.engine.reports.counted import guessed_sql
from dondoc.engine.services.inferred_parts import told_of_roles
from dondoc.engine.status import Category, before_tracking, category, held_until

# Events that change what the category reads; the others (acknowledge, progress, snooze, …) do not.
CHANGES: tuple[str, ...] = ("assign", "import_done", "report", "verify", "return", "cancel", "extend")
CHANGES += ("catalog_due_changed", "catalog_same_work", "catalog_done_by_issue", "await_condition", "condition_met")
# What creates the row (engine.services.assignment_creation): written when the catalog is loaded, the
# row as the text gives it (given on its issue day, done at issue), whenever that was
_CREATION = ("assign", "import_done")
# Events after which the row no longer says how it stood before them: they clear or move a field
# (the report time, the date in force, the wait) rather than stamp an instant the category compares
# with the one it judges at. A report, a verification, a cancellation or a wait begun after an instant
# leaves the row judging that instant as it stood (engine.status.category: reported, cancelled or
# waiting "by now"); these do not.
REWRITES = ("return", "extend", "catalog_due_changed", "catalog_same_work", "catalog_done_by_issue", "condition_met")
# their data holds dates read here
_WITH_DATA = ("extend", "catalog_due_changed", "catalog_same_work", "catalog_done_by_issue")
NEVER = float("inf")
_BOUND = 5000  # ids bound in one statement at most (PostgreSQL's driver takes at most 65,535 parameters)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

Happened = tuple[datetime, str, str | None, dict[str, Any]]  # an event: at, action, to_state, data


@dataclass
class Facts:
    """An assignment's fields as of some instant (what :func:`category` reads)."""

    state: str
    due_at: datetime | None
    reported_at: datetime | None = None
    closed_at: datetime | None = None
    waiting_since: datetime | None = None
    done_from: datetime | None = None  # done on a day no text gives, within [done_from, reported_at]


@dataclass(frozen=True)
class Static:
    due_at: datetime | None  # as now: the first due date when no event moved it
    reported_at: datetime | None
    start_date: date | None
    plan_issued: date
    plan_tracked: bool
    assigned_at: datetime | None = None  # before it, the work was not given yet: not counted
    agency_id: int = 0  # the body holding it, its item and milestone: the same work in two documents
    item_code: str = ""
    milestone_id: int = 0
    guessed: bool = False  # given through an inferred group, not confirmed (counted.guessed_sql)
    done_from: datetime | None = None  # as now (Assignment.done_from: a done-at-issue row's window)


def statics(
    session: Session, roles: tuple[str, ...] | None = None, among: Select[Any] | None = None
) -> dict[int, Static]:
    """What the replay reads as it is now, per assignment (of ``roles``; of the ids ``among`` selects)."""
    statement = (
        select(
            col(Assignment.id),
            col(Assignment.due_at),
            col(Assignment.reported_at),
            col(Milestone.start_date),
            col(Plan.issued),
            col(Plan.tracked),
            col(Assignment.assigned_at),
            col(Assignment.agency_id),
            col(PlanItem.code),
            col(Assignment.milestone_id),
            guessed_sql(),
            col(Assignment.done_from),
        )
        .join(Milestone, col(Assignment.milestone_id) == col(Milestone.id))
        .join(PlanItem, col(Milestone.item_id) == col(PlanItem.id))
        .join(Plan, col(PlanItem.plan_id) == col(Plan.id))
    )
    if roles is not None:  # what the leaders are told of (a part given on a guess is not)
        statement = statement.where(told_of_roles(roles))
    if among is not None:
        statement = statement.where(col(Assignment.id).in_(among))
    # work never given to the body that ended is given when the secretariat decides (status.held_until)
    never_given = select(
        col(AgencyTransfer.assignment_id), col(AgencyTransfer.status), col(AgencyTransfer.decided_at)
    ).where(col(AgencyTransfer.never_given))
    held = {i: held_until(status, _aware(decided)) for i, status, decided in session.execute(never_given)}
    return {
        i or 0: Static(
            _aware(due),
            _aware(reported),
            start,
            issued,
            bool(tracked),
            max(ensure_aware(assigned), held.get(i, _EPOCH)),
            agency,
            code,
            milestone,
            bool(guessed),
            _aware(done_from),
        )
        for i, due, reported, start, issued, tracked, assigned, agency, code, milestone, guessed, done_from in (
            session.execute(statement)
        )
    }


def events(session: Session, among: Select[Any] | None = None) -> dict[int, list[Happened]]:
    """The category-changing events per assignment (of the ids ``among`` selects), in order."""
    action = col(Event.action)
    data = case((action.in_(_WITH_DATA), col(Event.data)), else_=null())  # decode JSON only where read
    statement = (
        select(col(Event.assignment_id), col(Event.at), action, col(Event.to_state), data)
        .where(action.in_(CHANGES))
        .order_by(col(Event.assignment_id), col(Event.at), col(Event.id))
    )
    if among is not None:
        statement = statement.where(col(Event.assignment_id).in_(among))
    found: dict[int, list[Happened]] = {}
    for assignment_id, at, action, to_state, data in session.execute(statement):
        found.setdefault(assignment_id, []).append((ensure_aware(at), action, to_state, data or {}))
    return found


def stretches(happened: Sequence[Happened], static: Static) -> list[tuple[float, float, Facts]]:
    """[from, to) spans of time (timestamps) in which the assignment's facts stay the same, from its creation."""
    facts = _first(happened, static)
    spans: list[tuple[float, float, Facts]] = []
    for index, (at, action, to_state, data) in enumerate(happened):
        facts = _apply(facts, action, at, to_state, data, static)
        start = at.timestamp()
        end = happened[index + 1][0].timestamp() if index + 1 < len(happened) else NEVER
        if end > start:
            spans.append((start, end, facts))
    return spans


def facts_at(happened: Sequence[Happened], static: Static, instant: datetime) -> Facts:
    """The facts as they stood at ``instant``: every event up to it applied (at it included), and the
    row's creation, written when the catalog was loaded, whenever that was."""
    facts = _first(happened, static)
    for at, action, to_state, data in happened:
        if at > instant and action not in _CREATION:
            break
        facts = _apply(facts, action, at, to_state, data, static)
    return facts


def category_then(facts: Facts, static: Static, at: datetime, installation: Installation | None) -> Category:
    """The category of an assignment whose facts at ``at`` were ``facts`` (engine.status.category)."""
    return category(
        facts.state,
        facts.due_at,
        facts.reported_at,
        static.start_date,
        at,
        facts.closed_at,
        untracked=before_tracking(facts.due_at, static.plan_issued, static.plan_tracked, installation),
        waiting_since=facts.waiting_since,
        assigned_at=static.assigned_at,
        done_from=facts.done_from,
    )


def changed_after_sql(instant: Any) -> Select[Any]:
    """The ids of the assignments an event of ``REWRITES`` touched after ``instant`` (a value or a
    bound parameter): their row may not say how they stood then (a subquery: no list of ids is bound).
    Read by an IN, and so without DISTINCT: with it SQLite's planner read the history in assignment
    order (a scan of ix_event_assignment_at, ~14 ms at 160k events, where no event came after
    ``instant``) instead of a seek per action of ix_event_action_at (~0.1 ms)."""
    return (
        select(col(Event.assignment_id)).where(col(Event.action).in_(REWRITES), col(Event.at) > instant).correlate(None)
    )


def created_after_sql(instant: Any) -> Select[Any]:
    """The ids of the assignments written after ``instant`` (their creation, ``_CREATION``: the
    catalog loaded a plan issued since, or the secretariat gave the work later): they did not exist
    then (a subquery; one creation event a row, read by ix_event_action_at). ``instant``: a value or a
    bound parameter."""
    return (
        select(col(Event.assignment_id))
        .where(col(Event.action).in_(_CREATION), col(Event.at) > instant)
        .correlate(None)
    )


def plans_then(session: Session, instant: datetime, then: Then | None = None) -> Select[Any] | None:
    """At a look-back before work the catalog or the secretariat wrote since (the history's creation
    events, ``_CREATION``), the ids of the plans that existed at ``instant`` (:func:`plans_then_sql`);
    None at today's instant, after one probe of ix_event_action_at (a seek per action), or none when
    ``then`` (engine.services.board_then, read at ``instant``) says already whether there is any."""
    if then is not None:
        written = bool(then.unborn)
    else:
        probe = select(col(Event.id)).where(col(Event.action).in_(_CREATION), col(Event.at) > instant).limit(1)
        written = session.execute(probe).first() is not None
    return plans_then_sql(instant, local_date(instant)) if written else None


def plans_then_sql(instant: Any, today: Any) -> Select[Any]:
    """The ids of the plans that existed at ``instant`` (a look-back's; ``today``: its day; values or
    bound parameters): those some of whose work existed then (written by then: not
    :func:`created_after_sql`), or, holding no work, issued by then. A plan the catalog loaded since
    did not: the desk's filter menus and its plans page read at 01/03/2022 offered 117/KH-UBND,
    issued on 27/07, and the lead's role said with its headings. Read by those lists at a look-back
    only (:func:`plans_then`)."""
    work = (
        select(col(Assignment.id))
        .join(Milestone, col(Milestone.id) == col(Assignment.milestone_id))
        .join(PlanItem, col(PlanItem.id) == col(Milestone.item_id))
        .where(col(PlanItem.plan_id) == col(Plan.id))
    )
    born = work.where(col(Assignment.id).not_in(created_after_sql(instant)))
    return select(col(Plan.id)).where(or_(born.exists(), and_(~work.exists(), col(Plan.issued) <= today)))


def happened_after(session: Session, instant: datetime) -> bool:
    """Whether any event of the history came after ``instant`` (a look-back; none with a live clock):
    a seek per kind of event of ix_event_action_at (every kind the pages name: EVENT_LABELS_VI)."""
    kinds = sorted(EVENT_LABELS_VI)
    found = select(col(Event.id)).where(col(Event.action).in_(kinds), col(Event.at) > instant).limit(1)
    return session.execute(found).first() is not None


def changed_or_created_after(instant: datetime) -> Select[Any]:
    """Whether any row was rewritten (``REWRITES``) or written (``_CREATION``) after ``instant``: one
    event, no DISTINCT (a seek per action of ix_event_action_at); none at today's instant."""
    actions = (*REWRITES, *_CREATION)
    return select(col(Event.id)).where(col(Event.action).in_(actions), col(Event.at) > instant).limit(1)


@dataclass(frozen=True)
class Then:
    """The assignments changed after ``instant`` (:func:`changed_after_sql`), with their history; and,
    read at a look-back (engine.services.board_then), those written after it (``unborn``:
    :func:`created_after_sql`), which did not exist then: taken out of the statements by id as the
    changed ones are (``ids``), and put back nowhere."""

    instant: datetime
    static: dict[int, Static]
    happened: dict[int, list[Happened]]
    installation: Installation | None
    tz: ZoneInfo  # the zone days are read in (engine.status.given_after_due): the clock's
    unborn: frozenset[int] = frozenset()
    # whether any event came after ``instant`` (:func:`happened_after`): work verified or cancelled since
    # is counted as it stood then (engine.services.web_queries); False only when it was probed and none did
    later: bool = True
    _read: dict[tuple[int, datetime], Facts] = field(default_factory=dict, compare=False, repr=False)

    @property
    def ids(self) -> list[int] | Select[Any]:
        """What an IN over ``Assignment.id`` selects them by (the changed and the unborn): their ids,
        few as rewrites after a cut-off are; the subqueries when they are more than a statement binds
        at ease."""
        if len(self.static) + len(self.unborn) <= _BOUND:
            return sorted({*self.static, *self.unborn})
        if not self.unborn:
            return changed_after_sql(self.instant)
        return select(changed_after_sql(self.instant).union(created_after_sql(self.instant)).subquery().c[0])

    def __contains__(self, assignment_id: object) -> bool:
        """Replayed from its history (changed after the instant; an unborn row is not)."""
        return assignment_id in self.static

    def __bool__(self) -> bool:
        return bool(self.static) or bool(self.unborn)

    def facts(self, assignment_id: int, at: datetime | None = None) -> Facts:
        """Its facts at ``at`` (by default the instant it is read at): replayed once, read by each figure."""
        key = (assignment_id, at or self.instant)
        if key not in self._read:
            self._read[key] = facts_at(self.happened.get(assignment_id, []), self.static[assignment_id], key[1])
        return self._read[key]

    def category(self, assignment_id: int, at: datetime | None = None) -> Category:
        """Its category at ``at`` (by default the instant it is read at), from the history."""
        when = at or self.instant
        return category_then(self.facts(assignment_id, when), self.static[assignment_id], when, self.installation)


def changed_after(session: Session, instant: datetime, local: LocalDays = DEFAULT_DAYS) -> Then:
    """The assignments whose row may not say how they stood at ``instant`` (a past cut-off, or the
    instant a look-back reads at), with what replays them; none when no event rewrote a row after
    ``instant``, as for a period still running read at today's instant (a probe of the index
    ix_event_action_at). Read at a past instant (a look-back, ``--now``), a period still running then
    replays the rows rewritten since too, as the board of that instant does (engine.services.board_then)."""
    # whether any: one event, no DISTINCT (SQLite's planner then read the history by assignment, a
    # skip-scan of ix_event_assignment_at: ~12 ms at 200k events; this is a seek per action of
    # ix_event_action_at, ~0.1 ms)
    probe = select(col(Event.id)).where(col(Event.action).in_(REWRITES), col(Event.at) > instant).limit(1)
    if session.execute(probe).first() is None:
        return Then(instant, {}, {}, None, local.tz)
    installation = session.execute(select(Installation)).scalars().first()
    among = changed_after_sql(instant)
    return Then(instant, statics(session, among=among), events(session, among=among), installation, local.tz)


def _first(happened: Sequence[Happened], static: Static) -> Facts:
    """The facts at creation: the first date is the one the first move of it moved from."""
    first_due = next((_instant(d["from_due"]) for _, _, _, d in happened if "from_due" in d), static.due_at)
    return Facts(state=State.ASSIGNED.value, due_at=first_due)


def _apply(
    facts: Facts, action: str, at: datetime, to_state: str | None, data: dict[str, Any], static: Static
) -> Facts:
    new = Facts(**vars(facts))
    if to_state:
        new.state = to_state
    if "to_due" in data:
        new.due_at = _instant(data["to_due"])
    match action:
        case "report":
            new.reported_at, new.done_from = at, None
        case "return":
            new.reported_at, new.done_from = None, None
        case "cancel":
            new.closed_at = at
        case "import_done":
            new.reported_at, new.done_from = static.reported_at, static.done_from
        case "catalog_same_work":  # reported or verified as the linked work, or back to work with it
            returned = to_state == State.IN_PROGRESS.value
            new.reported_at = None if returned else _instant(data.get("done_at")) or static.reported_at
            new.done_from = None if returned else _instant(data.get("done_from"))
        case "catalog_done_by_issue":  # done on the issue day of the plan that is the work: a known day
            new.reported_at, new.done_from = _instant(data.get("done_at")) or static.reported_at, None
        case "await_condition":
            new.waiting_since = at
        case "condition_met":
            new.waiting_since = None
    return new


def _aware(value: datetime | None) -> datetime | None:
    return ensure_aware(value) if value is not None else None


def _instant(text: Any) -> datetime | None:
    return ensure_aware(datetime.fromisoformat(text)) if isinstance(text, str) else None
