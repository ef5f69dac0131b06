"""The overdue lists the board and the leaders' page lead with, ordered by what matters now.

This year's work comes first (due this calendar year, local time, by the day its text gives:
"Năm 2022", due 31/12/2022 and moved by the day-off rule to 03/01/2023, is an earlier year's, as
the reports count it, engine.reports.rates), then earlier years'; within
each, the most working days late first (engine.escalation.facts counts them, as the mails do).
Milestones due before the tracking start of a plan issued before it (the pre-tracking backlog,
"trước khi theo dõi") are never in these lists: :func:`pretracking_backlog` shows them apart.
Each list reads, per span, a range of (state, due_at) for each open state, and the ids of work
reported or cancelled since its instant (engine.status.open_at_arms: none with a live clock).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, or_, union_all
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, select

from dondoc.engine.clock import DEFAULT_DAYS, LocalDays
from dondoc.engine.escalation.facts import working_days_overdue
from dondoc.engine.escalation.policy import Withheld
from dondoc.engine.models import Agency, Assignment, Milestone, PlanItem
from dondoc.engine.models.plans import PRIORITY_SQL
from dondoc.engine.reports.history import Then
from dondoc.engine.reports.rates import ROLL_DAYS, written_before_sql, written_day
from dondoc.engine.services.asked_of import waiting_transfer_sql
from dondoc.engine.services.board_then import board_then, view_then
from dondoc.engine.services.inferred_parts import told_of_roles, withheld_sql
from dondoc.engine.services.queries import base_query, views
from dondoc.engine.services.transfer_origins import Received, held_then, holder_of, received_late
from dondoc.engine.status import (
    Category,
    before_tracking_sql,
    given_after_due,
    given_by_sql,
    open_at_arms,
    open_state_at,
)
from dondoc.engine.views import AssignmentView
from dondoc.engine.workcalendar import WorkCalendar


@dataclass(frozen=True)
class OverdueRow:
    """An overdue assignment with the working days it is late at the list's instant."""

    view: AssignmentView
    working_days_late: int
    this_year: bool
    # work given after its own date (a plan issued after it, a body named after it): the working days
    # since the day it was given, said beside the days since its date (127 since 30/06, 108 since 27/07)
    working_days_since_given: int | None = None
    # work its body received from another (a succession) after its date: from whom and on which day
    # (transfer_origins.received_on), and the working days since, said before those since its date
    received: Received | None = None
    working_days_since_received: int | None = None


def overdue_now(
    session: Session,
    now: datetime,
    calendar: WorkCalendar,
    *,
    limit: int = 50,
    priority_only: bool = False,
    local: LocalDays = DEFAULT_DAYS,
    roles: tuple[str, ...] | None = None,
    snoozed: bool = False,
    then: Then | None = None,
) -> list[OverdueRow]:
    """Open work past due (not before tracking): this year's first, then by working days late;
    with ``roles``, only the assignments of those roles (what the leaders are told of); with
    ``snoozed``, only the work whose reminders are paused at ``now`` (the secretariat's digest). At a
    look-back, the rows rewritten since (``then``: engine.services.board_then, read when not given)
    as they stood then: a report returned since was sent, a date extended since was the old one."""
    if snoozed and not _any_snoozed(session, now):
        return []
    then = board_then(session, now, local) if then is None else then
    today = local.local_date(now)
    new_year = date(today.year, 1, 1)
    year_start, due = local.start_of_day(new_year), col(Assignment.due_at)
    last_year_moved = written_before_sql(new_year)  # last year's by its text, moved into this one
    this_year_span = and_(due >= year_start, ~last_year_moved)
    earlier_span = and_(
        due < local.start_of_day(new_year + timedelta(days=ROLL_DAYS)), or_(due < year_start, last_year_moved)
    )
    narrowed = _narrowed(now, roles, snoozed)
    if narrowed is not None:
        this_year_span, earlier_span = (and_(span, narrowed) for span in (this_year_span, earlier_span))
    replayed = _overdue_then(session, now, then, narrowed, priority_only, local)
    this_year = _overdue(session, now, this_year_span, priority_only, limit, today, then)
    this_year = _merged(this_year, [v for v in replayed if _written_year(v, local) >= today.year], limit)
    earlier = []
    if len(this_year) < limit:
        earlier = _overdue(session, now, earlier_span, priority_only, limit - len(this_year), today, then)
        earlier = _merged(
            earlier, [v for v in replayed if _written_year(v, local) < today.year], limit - len(this_year)
        )
    received = received_late(session, [(v.id, v.due_at) for v in (*this_year, *earlier)], today, local.tz)
    rows = []
    for recent, listed in ((True, this_year), (False, earlier)):
        for v in listed:
            took = received.get(v.id)
            # its state at ``now``: at a look-back its row may say a report or an acknowledgement written since
            stood = open_state_at(v.state, v.acknowledged_at, now)
            rows.append(
                OverdueRow(
                    v if stood == v.state else v.model_copy(update={"state": stood}),
                    working_days_overdue(local.local_date(v.due_at), today, calendar) if v.due_at else 0,
                    recent,
                    working_days_overdue(local.local_date(v.assigned_at), today, calendar)
                    if given_after_due(v.due_at, v.assigned_at, local.tz)
                    else None,
                    took,
                    working_days_overdue(took.on, today, calendar) if took is not None else None,
                )
            )
    return rows


def overdue_count(
    session: Session,
    now: datetime,
    *,
    priority_only: bool = False,
    local: LocalDays = DEFAULT_DAYS,
    roles: tuple[str, ...] | None = None,
    snoozed: bool = False,
    then: Then | None = None,
) -> int:
    """How many rows :func:`overdue_now` has without its limit: what a list cut at its limit says
    it shows a part of (the board's overdue count, for the priority items alone, for some roles,
    for the snoozed work alone)."""
    per_agency = overdue_per_agency(
        session, now, priority_only=priority_only, local=local, roles=roles, snoozed=snoozed, then=then
    )
    return sum(per_agency.values())


def overdue_per_agency(
    session: Session,
    now: datetime,
    *,
    priority_only: bool = False,
    local: LocalDays = DEFAULT_DAYS,
    roles: tuple[str, ...] | None = None,
    snoozed: bool = False,
    then: Then | None = None,
) -> dict[str, int]:
    """:func:`overdue_now`'s rows counted per agency (code), all of them: the leaders' ranking of
    what each body owes (``roles``), by the same rule as the lists; each under the body that held it
    at ``now`` (transfer_origins.held_then), as the lists name it; at a look-back, the rows rewritten
    since as they stood then (``then``, as :func:`overdue_now`)."""
    if snoozed and not _any_snoozed(session, now):
        return {}
    then = board_then(session, now, local) if then is None else then
    today = local.local_date(now)
    span = _narrowed(now, roles, snoozed)
    counts: dict[str, int] = {}
    held = held_then(today)
    for arm in open_at_arms(now):
        ids = _overdue_ids(arm, now, today, span, priority_only, then).subquery()
        per_agency = (
            select(col(Agency.code), func.count())
            .select_from(Assignment)
            .outerjoin(held, held.c.assignment_id == col(Assignment.id))
            .join(Agency, holder_of(held) == col(Agency.id))
            .where(col(Assignment.id).in_(select(ids.c.id)))
            .group_by(col(Agency.code))
        )
        for code, count in session.exec(per_agency):
            counts[code] = counts.get(code, 0) + int(count)
    for view in _overdue_then(session, now, then, span, priority_only, local):
        counts[view.agency_code] = counts.get(view.agency_code, 0) + 1
    return counts


def withheld_count(
    session: Session,
    now: datetime,
    why: Withheld,
    *,
    priority_only: bool = False,
    local: LocalDays = DEFAULT_DAYS,
    roles: tuple[str, ...] | None = None,
) -> int:
    """How many parts of ``roles`` overdue at ``now`` (of priority items only) the lists of those
    roles leave out for ``why`` (what the leaders are not told of: engine.services.inferred_parts
    .told_of_roles; policy.withheld_why: a body reached only through an inferred group, not confirmed
    by the secretariat; a date the secretariat's convention set): the leaders' page, which does not
    list them, says how many there are, and why."""
    if roles is None:
        return 0
    return _left_out(session, now, and_(col(Assignment.role).in_(roles), withheld_sql(why)), priority_only, local)


def waiting_count(
    session: Session,
    now: datetime,
    *,
    priority_only: bool = False,
    local: LocalDays = DEFAULT_DAYS,
    roles: tuple[str, ...] | None = None,
) -> int:
    """How many parts of ``roles`` the leaders are told of (engine.services.inferred_parts
    .told_of_roles), overdue at ``now`` (of priority items only), the lists of those roles leave out
    because they wait in "Cần phân công lại" at ``now`` (asked_of.waiting_transfer_sql, as it stood
    then): their body has ended and nobody holds them until the secretariat names a body, so no body
    is late with them (the leaders' digest does not tell them either: engine.escalation.recheck
    .judge). The leaders' page, which does not list them, says how many there are, and why; once a
    body is named, the part is listed under it (late since it received it)."""
    if roles is None:
        return 0
    span = and_(told_of_roles(roles), waiting_transfer_sql(col(Assignment.id), now))
    return _left_out(session, now, span, priority_only, local)


def _left_out(session: Session, now: datetime, span: ColumnElement[bool], priority_only: bool, local: LocalDays) -> int:
    """How many parts of ``span`` are overdue at ``now`` (:func:`_overdue_ids`'s rule)."""
    today = local.local_date(now)
    counted = 0
    for arm in open_at_arms(now):
        ids = _overdue_ids(arm, now, today, span, priority_only).subquery()
        counted += int(session.exec(select(func.count()).select_from(ids)).one())
    return counted


def pretracking_count(
    session: Session, now: datetime, *, priority_only: bool = False, roles: tuple[str, ...] | None = None
) -> int:
    """How many parts open at ``now`` :func:`pretracking_backlog` holds (of priority items only, of
    ``roles`` only): the leaders' page, which lists none of them, says how many it leaves out."""
    count_query = (
        select(func.count())
        .select_from(Assignment)
        .join(Milestone, col(Assignment.milestone_id) == col(Milestone.id))
        .where(*_pretracking(now))
    )
    if roles is not None:
        count_query = count_query.where(told_of_roles(roles))
    if priority_only:
        count_query = count_query.join(PlanItem, col(Milestone.item_id) == col(PlanItem.id)).where(
            PRIORITY_SQL.is_(True)
        )
    return int(session.exec(count_query).one())


def _pretracking(now: datetime) -> tuple[ColumnElement[bool], ...]:
    """The backlog's rows at ``now``: open then, given by then (a plan loaded before its issue day,
    read at an instant before it, had not given its work yet: the tiles count it "not yet due"),
    due before the tracking start (engine.status: the category's rules)."""
    return or_(*open_at_arms(now)), given_by_sql(now), before_tracking_sql()


def _narrowed(now: datetime, roles: tuple[str, ...] | None, snoozed: bool) -> ColumnElement[bool] | None:
    """What narrows a list to ``roles`` (what the leaders are told of, and not waiting in "Cần phân
    công lại" at ``now``: :func:`waiting_count`) and, with ``snoozed``, to work snoozed at ``now`` (its
    ``snoozed_until`` past ``now``: the sweep's and the pre-send re-check's test); None: nothing."""
    parts = [] if roles is None else [told_of_roles(roles), ~waiting_transfer_sql(col(Assignment.id), now)]
    if snoozed:
        parts.append(col(Assignment.snoozed_until) > now)
    return and_(*parts) if parts else None


def _any_snoozed(session: Session, now: datetime) -> bool:
    """Whether any assignment is snoozed past ``now`` (:func:`_narrowed`'s test of ``snoozed``, which
    every arm of a snoozed list applies, the rows replayed at a look-back too): without one, the
    list is empty and is not read. The secretariat's digest asks for it every day; a replayed year
    spent an eighth of its time reading the overdue lists to find no snoozed row in them."""
    return (
        session.exec(select(col(Assignment.id)).where(col(Assignment.snoozed_until) > now).limit(1)).first() is not None
    )


def _overdue_ids(
    arm: ColumnElement[bool],
    now: datetime,
    today: date,
    span: ColumnElement[bool] | None,
    priority_only: bool,
    then: Then | None = None,
) -> Any:
    """The ids of work open at ``now`` in one state (``arm``: engine.status.open_at_arms) overdue
    at ``now``: the category's rule (engine.status) for open work as an indexed range scan over
    (state, due_at) — given by now, past due, begun, not waiting for a condition, not before tracking;
    at a look-back, not the rows rewritten since (``then``: :func:`_overdue_then` judges them)."""
    ids: Any = (
        select(col(Assignment.id).label("id"))
        .join(Milestone, col(Assignment.milestone_id) == col(Milestone.id))
        .where(
            arm,
            col(Assignment.due_at) < now,
            given_by_sql(now),
            or_(col(Milestone.start_date).is_(None), col(Milestone.start_date) <= today),
            col(Assignment.waiting_condition_since).is_(None) | (col(Assignment.waiting_condition_since) > now),
            ~before_tracking_sql(),
        )
    )
    if span is not None:
        ids = ids.where(span)
    if priority_only:
        ids = ids.join(PlanItem, col(Milestone.item_id) == col(PlanItem.id)).where(PRIORITY_SQL.is_(True))
    if then:
        ids = ids.where(col(Assignment.id).not_in(then.ids))
    return ids


def _overdue_then(
    session: Session,
    now: datetime,
    then: Then,
    narrowed: ColumnElement[bool] | None,
    priority_only: bool,
    local: LocalDays,
) -> list[AssignmentView]:
    """Of the rows rewritten after ``now`` (``then``), those overdue as they stood then (their
    history: engine.services.board_then), shown so, under the body that held them then."""
    if not then:
        return []
    statement = base_query(now).where(col(Assignment.id).in_(then.ids))
    if narrowed is not None:
        statement = statement.where(narrowed)
    if priority_only:
        statement = statement.where(PRIORITY_SQL.is_(True))
    listed = views(session, statement, now, as_held=True)
    judged = (view_then(v, then) for v in listed if v.id not in then.unborn)
    return [v for v in judged if v.category == Category.OVERDUE.value]


def _written_year(view: AssignmentView, local: LocalDays) -> int:
    """The year an overdue row is listed in: its text's own day's while the catalog's date stands
    (engine.reports.rates.written_day), as the lists' spans read it."""
    return written_day(view.due_at, view.original_due_at, view.written_due, local).year if view.due_at else 0


def _merged(listed: list[AssignmentView], replayed: list[AssignmentView], limit: int) -> list[AssignmentView]:
    """``listed`` (in the lists' order: by date, then id) with the ``replayed`` rows among them, cut at ``limit``."""
    if not replayed:
        return listed
    return sorted(listed + replayed, key=lambda v: (v.due_at, v.id))[:limit]


def _overdue(
    session: Session,
    now: datetime,
    span: ColumnElement[bool],
    priority_only: bool,
    limit: int,
    today: date,
    then: Then | None = None,
) -> list[AssignmentView]:
    # The first ``limit`` ids are picked per open state, each an ordered range scan over
    # (state, due_at) that stops at the limit, and merged: with ``state IN (…)`` the database
    # read and sorted every overdue row of the span before the LIMIT. The joined rows are then
    # read for those ids only.
    picked = []
    for arm in open_at_arms(now):
        ids = _overdue_ids(arm, now, today, span, priority_only, then)
        first = ids.order_by(col(Assignment.due_at), col(Assignment.id)).limit(limit).subquery()
        picked.append(select(first.c.id))
    statement = base_query(now).where(col(Assignment.id).in_(union_all(*picked)))
    statement = statement.order_by(col(Assignment.due_at), col(Assignment.id)).limit(limit)
    return views(session, statement, now, as_held=True)


def pretracking_backlog(session: Session, now: datetime, *, limit: int = 50) -> tuple[int, list[AssignmentView]]:
    """Open milestones due before tracking began (of plans issued before it, not opted in): how
    many, and the first ``limit`` by due date. Shown apart, never counted as overdue."""
    total = pretracking_count(session, now)
    statement = (
        base_query(now).where(*_pretracking(now)).order_by(col(Assignment.due_at), col(Assignment.id)).limit(limit)
    )
    return int(total), views(session, statement, now, as_held=True)
