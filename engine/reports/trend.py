"""Overdue and on-time counts week by week, judged from the history as it stood each week.

The board judges an assignment by its row as it is now. A week gone by is judged here from the
events instead: which assignments existed, their state, due date (extensions and catalog moves
included), report time, cancellation and "waiting for a condition" as of that week's last
instant, through the same rule as the board (:func:`engine.status.category`). So a task extended
in June counts as overdue in the weeks of May when it was late by the date then in force, and a
report made in July does not count as done in June. The plan's opt-in to tracking and the
milestone's start date are read as they are now; so is the day the work was given
(``assigned_at``, or for work never given to the body that ended, the secretariat's decision:
engine.status.held_until): before it, it is not counted, even where the catalog was loaded earlier.

The overdue count is the board's. The on-time count is what a rate counts
(engine.reports.counted, the one rule): work with a date, due from the tracking start, done on time
by then (ahead of its date too), the same work in two documents once for a body; a part done with
no date stands under the board's "Hoàn thành đúng hạn" but is no one's on-time record.

The replay is engine.reports.history's, which a past period's report reads too.

Cost: two queries (the assignments, their category-changing events), then per stretch between
two events one category judgement per range of weeks in which nothing can change, so the work
grows with the history, not with assignments × weeks.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlmodel import Session, col

from dondoc.engine.clock import DEFAULT_DAYS, LocalDays
from dondoc.engine.escalation.doubt import done_record
from dondoc.engine.models import AgencyTransfer, Assignment, Event, Installation, Milestone, Plan
from dondoc.engine.reports.counted import WEIGHED, Counted, how_counted, not_copies
from dondoc.engine.reports.history import Facts, Static, category_then, events, statics, stretches
from dondoc.engine.services.asked_of import waiting_transfer_sql
from dondoc.engine.services.same_work import Part, links_of
from dondoc.engine.services.transfer_origins import holders_on_dates
from dondoc.engine.status import Category, done_day_unknown, given_after_due


@dataclass(frozen=True)
class TrendPoint:
    """The counts at ``at``: a week's last instant, or now for the week under way."""

    at: datetime
    overdue: int
    on_time: int
    # of ``overdue``, the parts a record written after ``at`` says were done (or may have been: a window
    # that begins) before it (engine.escalation.doubt.done_record, the one rule): late by the record
    # of then, which the chart counts, and not by what is known now (04/KH-BCĐ, loaded on 10/03/2022,
    # records the Thông báo's Quy chế done "Tháng 02/2022": the weeks of February counted it late)
    done_later: int = 0


def week_ends(year: int, now: datetime, local: LocalDays = DEFAULT_DAYS) -> list[datetime]:
    """The last instant of each week (Monday to Sunday, cut at the year's ends) of ``year`` that
    has ended by ``now``, then ``now`` itself while a week of that year is under way."""
    ends: list[datetime] = []
    day = date(year, 1, 1)
    while day.year == year:
        sunday = min(day + timedelta(days=6 - day.weekday()), date(year, 12, 31))
        end = local.end_of_day(sunday)
        if end > now:
            if local.start_of_day(day) <= now:
                ends.append(now)
            break
        ends.append(end)
        day = sunday + timedelta(days=1)
    return ends


def weekly_trend(
    session: Session,
    *,
    year: int,
    now: datetime,
    local: LocalDays = DEFAULT_DAYS,
    roles: tuple[str, ...] | None = None,
    known_at: datetime | None = None,
) -> list[TrendPoint]:
    """Overdue and on-time counts of every assignment (of ``roles`` only, when given: what the
    leaders are told of) at each of :func:`week_ends`: the board's overdue count, and the parts done
    on time by then as a rate counts them (engine.reports.counted.done_on_time at that instant).
    The leaders' (``roles`` given) leaves out, as their lists do (engine.services.overdue_lists
    .waiting_count), the work waiting in "Cần phân công lại" at each instant: no body is late with it.
    Of each instant's overdue count, those done before it by the record in force at ``known_at``
    (default ``now``: the page's instant, later than the last week's end) (:attr:`TrendPoint.done_later`)."""
    instants = week_ends(year, now, local)
    known = known_at or now
    if not instants:
        return []
    stamps = [i.timestamp() for i in instants]  # compared as numbers: aware datetimes compare slowly
    overdue, on_time = [0] * (len(instants) + 1), [0] * (len(instants) + 1)
    done_later = [0] * (len(instants) + 1)
    installation = session.execute(select(Installation)).scalars().first()
    started = installation.tracking_from if installation is not None else None
    facts = statics(session, roles)
    links = links_of(session.connection())
    named = {code for codes in links.values() for code in codes}
    # the rows a same-work copy can be counted against (engine.reports.counted.not_copies): each one's
    # category and date in force, when a rate counts it, at each instant, weighed together once all are judged
    linked: dict[int, list[tuple[str, datetime | None, bool, Counted] | None]] = {}
    waiting = _waiting(session, instants) if roles is not None else {}
    for assignment_id, happened in events(session).items():
        static = facts.get(assignment_id)
        if static is None:
            continue
        if static.milestone_id in links or static.item_code in named:
            linked[assignment_id] = [None] * len(instants)
        spans = stretches(happened, static)
        late: list[tuple[int, int]] = []  # the ranges of instants it is counted overdue at
        for start, end, current in spans:
            given_late = given_after_due(current.due_at, static.assigned_at, local.tz)
            for first, last, cat in _judged(instants, stamps, start, end, current, static, installation, local):
                if cat is Category.OVERDUE and assignment_id in waiting:
                    # not late at the instants it waited for a body
                    late += [(index, index + 1) for index in range(first, last) if index not in waiting[assignment_id]]
                elif cat is Category.OVERDUE:
                    late.append((first, last))
                unknown = done_day_unknown(current.due_at, current.reported_at, current.done_from)
                how = how_counted(
                    cat.value, current.due_at, given_late, started, guessed=static.guessed, day_unknown=unknown
                )
                if how not in WEIGHED:
                    continue
                if assignment_id in linked:  # a day not known stands for its work among the copies
                    linked[assignment_id][first:last] = [(cat.value, current.due_at, given_late, how)] * (last - first)
                elif how is Counted.COUNTED and cat is Category.DONE_ON_TIME:
                    on_time[first] += 1
                    on_time[last] -= 1
        for first, last in late:
            overdue[first] += 1
            overdue[last] -= 1
        record = done_record(spans, known) if late else None
        if record is not None:  # done, by what is known now, before some of the instants it was late at
            done_from = bisect_right(stamps, (record[2] or record[1]).timestamp())
            for first, last in late:
                if max(first, done_from) < last:
                    done_later[max(first, done_from)] += 1
                    done_later[last] -= 1
    # each copy for the body that held it on its date in force then, as the rates count it
    held = holders_on_dates(
        session, {(i, then[1]) for i, judged in linked.items() for then in judged if then}, local.tz
    )
    for index in range(len(instants)):  # the same work in two documents, once for a body
        counted = [(i, facts[i], then) for i, judged in linked.items() if (then := judged[index]) is not None]
        parts = (
            Part(i, str(held.get((i, then[1]), s.agency_id)), s.item_code, s.milestone_id, then[1], then[2])
            for i, s, then in counted
        )
        kept = not_copies(links, parts)
        done = sum(
            1
            for i, _, then in counted
            if i in kept and then[3] is Counted.COUNTED and then[0] == Category.DONE_ON_TIME.value
        )
        on_time[index] += done
        on_time[index + 1] -= done
    points, running_over, running_on_time, running_later = [], 0, 0, 0
    for index, at in enumerate(instants):
        running_over += overdue[index]
        running_on_time += on_time[index]
        running_later += done_later[index]
        points.append(TrendPoint(at, running_over, running_on_time, running_later))
    return points


def _waiting(session: Session, instants: list[datetime]) -> dict[int, set[int]]:
    """assignment id -> the indexes of ``instants`` at which it waited in "Cần phân công lại"
    (asked_of.waiting_transfer_sql as it stood then, the one rule): one statement an instant, over the
    assignments a transfer was ever recorded for (none: no statement)."""
    transferred = select(col(AgencyTransfer.assignment_id))
    waited: dict[int, set[int]] = {}
    if session.execute(transferred.limit(1)).first() is None:
        return waited
    for index, instant in enumerate(instants):
        statement = select(col(Assignment.id)).where(
            col(Assignment.id).in_(transferred), waiting_transfer_sql(col(Assignment.id), instant)
        )
        for assignment_id in session.execute(statement).scalars():
            waited.setdefault(assignment_id, set()).add(index)
    return waited


def _judged(
    instants: list[datetime],
    stamps: list[float],
    start: float,
    end: float,
    facts: Facts,
    static: Static,
    installation: Installation | None,
    local: LocalDays,
) -> list[tuple[int, int, Category]]:
    """(first, last index) ranges of ``instants`` within [start, end), each with its one category."""
    low, high = bisect_left(stamps, start), bisect_left(stamps, end)
    if low >= high:
        return []
    thresholds = [facts.due_at, facts.reported_at, facts.closed_at, facts.waiting_since, static.assigned_at]
    if static.start_date is not None:
        thresholds.append(local.start_of_day(static.start_date))
    cuts = {low, high}
    for moment in thresholds:
        if moment is not None:
            x = moment.timestamp()
            cuts.update(i for i in (bisect_left(stamps, x), bisect_right(stamps, x)) if low < i < high)
    bounds = sorted(cuts)
    ranges = []
    for first, last in zip(bounds, bounds[1:], strict=False):
        cat = category_then(facts, static, instants[first], installation)
        ranges.append((first, last, cat))
    return ranges


def history_fingerprint(session: Session) -> tuple[Any, ...]:
    """What the past weeks' counts are computed from, summed up cheaply: the events (append-only,
    so their count and last id change with every one), the assignments, the milestones' start
    dates, the plans opted in to tracking and the tracking start. Equal fingerprints, equal past."""
    events = session.execute(select(func.count(), func.max(col(Event.id)))).one()
    assignments = session.execute(select(func.count(), func.max(col(Assignment.id)))).one()
    starts = col(Milestone.start_date)
    milestones = session.execute(
        select(func.count(), func.max(col(Milestone.id)), func.min(starts), func.max(starts))
    ).one()
    tracked = session.execute(select(col(Plan.id)).where(col(Plan.tracked)).order_by(col(Plan.id))).scalars().all()
    installation = session.execute(select(col(Installation.tracking_start))).scalars().first()
    return (tuple(events), tuple(assignments), tuple(milestones), tuple(tracked), installation)
