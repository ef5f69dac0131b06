"""The figures the province ranks agencies by, over a chosen period.

- on-time completion rate: of the tasks due in the period (and due by now) and decided at the
  instant judged (done, or past their date), the share reported on or before their due date;
- report timeliness rate: the same over report obligations (kind "report": each agency ×
  period × reporting duty).

What is counted is engine.reports.counted's one rule: work cancelled by the instant judged (cancelled
since, it counts as it stood then), work without a due date and
work due before the tracking start (whatever its plan's issue day), and work given through an inferred
group the secretariat has not confirmed (counted apart, said beside the rates), are left out; the same work in two
documents (``same_work_as``) is counted once for a body when both are counted in the period, by its
copy with the earliest date in force (engine.services.same_work.copies). A rate
is ``None`` when nothing was due. Each part counts for the body that held it on its date
(engine.services.transfer_origins.holders_on_their_dates): a successor is neither credited nor
blamed for work it received after its date, in any period holding that date. A past period's work
is judged as it stood at its close: the rows rewritten since (a report returned, a date extended:
engine.reports.history) from their history.
Callable from the web board: ``agency_rates(session, start=…, end=…, now=…)``.

Two bases, one rule between them (:func:`leaders_leave_out`): the rates of every role (the
secretariat's rates page, the report's HTML and Markdown by body), and the leaders' (``roles``: the
policy's leader roles), which leave out the parts of the other roles (phối hợp) and those due on the
secretariat's convention, counting them apart: their page ranks by these, their mail counts them,
and the report's workbook states them by body under the same words (its sheet "Theo cơ quan"). The
catalog's documents fix no basis by role for ranking the bodies (they ask for the figures, not whose
parts count): the ranking the leaders read is their page's, on this basis.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from enum import StrEnum
from functools import partial
from typing import Any, NamedTuple

import sqlalchemy as sa
from sqlalchemy import and_, or_
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, select

from dondoc.engine.clock import DEFAULT_DAYS, LocalDays
from dondoc.engine.db import id_batches, plain
from dondoc.engine.models import Agency, Assignment, Milestone, Plan, PlanItem, State
from dondoc.engine.reports.counted import WEIGHED, Counted, guessed_sql, how_counted
from dondoc.engine.reports.history import Then, changed_after
from dondoc.engine.services.inferred_parts import DUE_BY_CONVENTION_SQL
from dondoc.engine.services.same_work import Part, links_of
from dondoc.engine.services.same_work import copies as copies_among
from dondoc.engine.services.tracking import tracking_from
from dondoc.engine.services.transfer_origins import holder_sql, holders_on_their_dates
from dondoc.engine.status import Category, category_sql, done_day_unknown, given_after_due, given_by_sql


@dataclass(frozen=True)
class DueRow:
    """One assignment due in the period, with its category when the period closes (rates.closing)."""

    assignment_id: int
    agency_code: str
    kind: str  # "task" | "report"
    category: str
    given_after_due: bool = False  # its date came before it was given (engine.status.given_after_due)
    item_code: str = ""
    milestone_id: int = 0
    # its date, moved by the day-off rule past the period's close, and judged on it (not at the
    # close): the report says so, since its figures are otherwise those of the period's last day
    judged_on: date | None = None
    due_at: datetime | None = None  # its date in force (engine.reports.counted reads it)
    guessed: bool = False  # given through an inferred group, not confirmed (counted.guessed_sql)
    # its last report as it stood when judged: the row's, or for a row changed since a past period's
    # close, the history's (a report returned since had left none)
    reported_at: datetime | None = None
    # its date is the secretariat's convention, no document's (Milestone.due_by_convention): counted
    # by the rates of every role, left out of the leaders' (due_rows with roles), said beside either
    by_convention: bool = False
    # the body that held it on its date, where a succession passed it on after that date
    # (transfer_origins.holders_on_their_dates): the rates count it for that body (:attr:`counted_for`)
    held_on_its_date: str = ""
    # done on a day no text gives, its date inside the window, as judged (engine.status.done_day_unknown)
    day_unknown: bool = False
    role: str = ""  # the body's part in the item (Role): the leaders' rates count some roles only

    @property
    def counted_for(self) -> str:
        """The body whose rates count it: the one that held it on its date (:attr:`held_on_its_date`),
        else the one that held it at the period's end (``agency_code``), the same body."""
        return self.held_on_its_date or self.agency_code


@dataclass
class AgencyRates:
    """One agency's timeliness over a period (counts and rates in 0..1, or None)."""

    agency_code: str
    agency_short: str
    tasks_due: int = 0
    tasks_on_time: int = 0
    tasks_late: int = 0
    tasks_overdue: int = 0  # still open past due
    # due in the period but given after their own date (engine.status.given_after_due) and not done
    # on time all the same: counted apart, neither for nor against the body (not in tasks_due)
    tasks_given_late: int = 0
    reports_given_late: int = 0
    # due in the period before the installation's tracking start (never followed by its date), whatever
    # its plan's issue day (engine.status.due_before_start): apart, not in tasks_due
    tasks_before_tracking: int = 0
    reports_before_tracking: int = 0  # the same, of the periodic reports owed (not in reports_due)
    # due in the period and decided, but given through an inferred group the secretariat has not
    # confirmed (engine.reports.counted.Counted.UNCONFIRMED): apart, not in tasks_due / reports_due
    tasks_unconfirmed: int = 0
    reports_unconfirmed: int = 0
    # due in the period and done on a day no text gives, its date inside the window (the Thông báo's
    # "trước ngày 15/02/2022" for work 04/KH-BCĐ records done in tháng 02/2022: engine.status.
    # done_day_unknown): apart, neither on time nor late, not in tasks_due / reports_due
    tasks_day_unknown: int = 0
    reports_day_unknown: int = 0
    # of tasks_due / reports_due, those due on the secretariat's convention (DueRow.by_convention):
    # in these rates, said beside them; the leaders' ranking does not count them (due_rows with roles)
    tasks_convention: int = 0
    reports_convention: int = 0
    # the leaders' rates only (agency_rates with roles): the parts the rates of every role count that
    # these leave out (:func:`leaders_leave_out`), apart, not in tasks_due / reports_due: of a role no
    # rung to the leaders names (the partners', phối hợp, under the shipped policy), and of the roles
    # read, those due on the secretariat's convention. The workbook's sheet by body gives them in
    # columns of their own beside the leaders' rates it states (engine.reports.xlsx)
    tasks_other_roles: int = 0
    reports_other_roles: int = 0
    tasks_convention_apart: int = 0
    reports_convention_apart: int = 0
    # of those due on the convention, the ones still open past it (a report not sent): the 2022 page's
    # 100,0 % (3/3) for Sở TT&TT, which chases every body's reports, left out its own six-month report,
    # not sent, and said nothing of it where the rate stood
    convention_apart_overdue: int = 0
    reports_due: int = 0
    reports_on_time: int = 0
    reports_late: int = 0
    reports_missing: int = 0
    # of what the body held at the period's end, the parts a succession passed to it after their date:
    # counted in the rates of the body that held each on its date (DueRow.counted_for), not in its own
    received_late: int = 0
    # the same, of those no rate counts (Counted value -> how many: due before the tracking start, given
    # after their date, given on a guess, done on a day no text gives): apart under the body of their
    # date, as any body's such parts are (engine.reports.labels.held_on_their_dates says how many)
    received_late_apart: dict[str, int] = field(default_factory=dict)

    @property
    def on_time_rate(self) -> float | None:
        return self.tasks_on_time / self.tasks_due if self.tasks_due else None

    @property
    def report_timeliness_rate(self) -> float | None:
        return self.reports_on_time / self.reports_due if self.reports_due else None


class LeftOut(StrEnum):
    """Why the leaders' rates leave out a part the rates of every role count (:func:`leaders_leave_out`)."""

    OTHER_ROLE = "other_role"  # a role no rung to the leaders names (engine.escalation.policy.leader_roles)
    CONVENTION = "convention"  # its date is the secretariat's convention (policy.withheld_why)


def leaders_leave_out(role: str, by_convention: bool, roles: tuple[str, ...] | None) -> LeftOut | None:
    """The one rule of which parts the leaders' rates count (``roles``: the policy's leader roles, as
    their page, their mail and the workbook's sheet by body read them; None: every role, nothing left
    out): a part of another role is not theirs (a partner's input is the lead's and the secretariat's
    to chase), nor a part due on a day no document gives, which is never theirs to hear of
    (policy.withheld_why). The 2022 workbook mailed on 15/12 rated Sở Ngoại vụ 50,0 % (3/6, its partner
    parts and a convention-dated one counted) under the words the leaders' page gave 33,3 % (1/3)."""
    if roles is None:
        return None
    if role not in roles:
        return LeftOut.OTHER_ROLE
    return LeftOut.CONVENTION if by_convention else None


def as_of(end: date, now: datetime, local: LocalDays = DEFAULT_DAYS) -> datetime:
    """The instant a period is judged at: its last second (in ``local``), or now while it still runs."""
    return min(now, local.end_of_day(end))


def closing(end: date, now: datetime, local: LocalDays = DEFAULT_DAYS) -> datetime:
    """The instant a period's work is classed at: a microsecond after :func:`as_of`, so that a date
    that is the period's last instant (23:59:59 of its last day) is past once the period is, and
    work not done by then is late, not "on track". Every figure of a period reads it."""
    return as_of(end, now, local) + timedelta(microseconds=1)


# How far the day-off rule can move a date the text gives (the next working day after Tết's days
# off, a weekend and substitute holidays): a date of the period moved past its end is still found.
ROLL_DAYS = 15


def due_rows(
    session: Session,
    *,
    start: date,
    end: date,
    now: datetime,
    local: LocalDays = DEFAULT_DAYS,
    roles: tuple[str, ...] | None = None,
    to_come: bool = False,
    due_after: datetime | None = None,
    then: Then | None = None,
) -> list[DueRow]:
    """Assignments due between ``start`` and ``end`` (days of ``local``, and by ``now``), not cancelled
    by the instant they are judged at (cancelled since, each counts as it stood then);
    each under the agency that held it at the end of the period (before a later succession), and
    counted for the one that held it on its date (:attr:`DueRow.counted_for`: a successor that
    received it after its date is neither credited nor blamed for it), with its category at
    :func:`closing` (or at its own date, for a date the day-off rule moved past it).
    With ``to_come``, instead: those of the period whose date is still to come at ``now``, given by
    then, of a plan issued by then (:func:`due_later`). With ``due_after``: only those due after
    that instant (a report's, mailed before its period ended), judged at ``now``: what that report
    left to come, as the next one tells it (dondoc.report_job). ``then``: the rows changed since the
    close (engine.reports.history.changed_after at :func:`closing`), when the caller has read them.

    A date is the period's by the day the text gives, not the working day the day-off rule moved
    it to: "Năm 2022" (31/12/2022, a Saturday, due on 03/01/2023) is 2022's work. An extended date
    is the period's by its own day."""
    judged = as_of(end, now, local)
    # while the period runs: what is due by now (with to_come: what the period holds after now)
    last = end if to_come else min(end, local.local_date(judged))
    closed = now + timedelta(microseconds=1) if due_after is not None else closing(end, now, local)
    # a past period: the rows a category-changing event touched after its close are judged from their
    # history (a report returned since had cleared the report time; an extension moved the date)
    if to_come:
        then = None
    elif then is None:
        then = changed_after(session, closed, local)
    base = (
        sa.select(  # sqlmodel's select types at most four columns
            col(Assignment.id),
            col(Agency.code),
            col(PlanItem.kind),
            category_sql(closed),
            col(Assignment.due_at),
            col(Assignment.assigned_at),
            col(Assignment.original_due_at),
            col(Milestone.due_date),
            col(PlanItem.code),
            col(Assignment.milestone_id),
            guessed_sql().label("guessed"),
            col(Assignment.reported_at),
            DUE_BY_CONVENTION_SQL.label("by_convention"),
            col(Assignment.done_from),
            col(Assignment.role),
        )
        .select_from(Assignment)
        .join(Milestone, col(Assignment.milestone_id) == col(Milestone.id))
        .join(PlanItem, col(Milestone.item_id) == col(PlanItem.id))
        .join(Agency, holder_sql(local.local_date(judged)) == col(Agency.id))
        # cancelled by the instant judged: left out; cancelled since (a past period read again
        # later), counted as it stood then, as its category at that instant says (engine.status)
        .where(or_(col(Assignment.state) != State.CANCELLED.value, col(Assignment.closed_at) > closed))
        .order_by(col(Assignment.id))
    )
    statement = base.where(col(Assignment.due_at) >= local.start_of_day(start)).where(
        col(Assignment.due_at) <= local.end_of_day(last + timedelta(days=ROLL_DAYS))
    )
    if due_after is not None:
        statement = statement.where(col(Assignment.due_at) > due_after)
    elif not to_come:
        # due is due by now, to the instant, as ``to_come`` is its complement: while the period runs,
        # and after it for a date the day-off rule moved past its end (to come until that date). The
        # six-month report mailed at 07:00 on 20/06 counted the reports due that evening of the 12
        # bodies that had sent them ("1 due, 100 %"), not of the 22 that had not, and its mail said
        # those 12 were not counted above.
        statement = statement.where(col(Assignment.due_at) <= now)
    if to_come:
        statement = (
            statement.join(Plan, col(PlanItem.plan_id) == col(Plan.id))
            .where(col(Plan.issued) <= local.local_date(now), given_by_sql(now))
            .where(col(Assignment.due_at) > now)
        )
    if then:
        statement = statement.where(~col(Assignment.id).in_(then.ids))
    found = [
        row
        for row in plain(session, statement)  # no entity: the driver's rows, no ORM handling
        if start <= written_day(row.due_at, row.original_due_at, row.due_date, local) <= last
    ]
    moved = {} if to_come else _judged_at_their_date(session, found, closed, now)
    rows = [
        DueRow(
            i or 0,
            code,
            str(kind),
            moved.get(i, str(cat)),
            given_after_due(due, given, local.tz),
            item,
            milestone,
            local.local_date(due) if i in moved else None,
            due,
            bool(guessed),
            reported,
            bool(convention),
            day_unknown=done_day_unknown(due, reported, done),
            role=str(role),
        )
        for i, code, kind, cat, due, given, _, _, item, milestone, guessed, reported, convention, done, role in found
    ]
    if then:
        rows += _as_they_stood(session, base, then, start, last, now, local)
        rows.sort(key=lambda r: r.assignment_id)
    # the leaders' (roles given): the work the bodies owe them, as their rates count it (the parts given
    # on a guess stay, apart: Counted.UNCONFIRMED, said beside the rate)
    rows = [r for r in rows if leaders_leave_out(r.role, r.by_convention, roles) is None]
    return rows if to_come else _held_on_their_dates(session, rows, local)


def _held_on_their_dates(session: Session, rows: list[DueRow], local: LocalDays) -> list[DueRow]:
    """``rows``, each a succession passed on after its date (its date in force, as judged) marked with
    the body that held it on that date (transfer_origins.holders_on_their_dates, the one rule)."""
    held = holders_on_their_dates(session, {r.assignment_id: r.due_at for r in rows}, local.tz)
    if not held:
        return rows
    bodies = sa.select(col(Agency.id), col(Agency.code)).where(col(Agency.id).in_(set(held.values())))
    codes = {int(i): str(code) for i, code in session.execute(bodies)}
    return [replace(r, held_on_its_date=codes[held[r.assignment_id]]) if r.assignment_id in held else r for r in rows]


def _as_they_stood(
    session: Session, base: Any, then: Then, start: date, last: date, now: datetime, local: LocalDays
) -> list[DueRow]:
    """:func:`due_rows`' rows among those changed after the period's close (``then``), each judged
    as its history says it stood: due in the period by the date then in force, its category at the
    close (or at its own date, for one the day-off rule moved past it: _judged_at_their_date)."""
    lowest, highest = local.start_of_day(start), local.end_of_day(last + timedelta(days=ROLL_DAYS))
    rows = []
    changed = session.execute(base.where(col(Assignment.id).in_(then.ids)))
    for i, code, kind, _, _, given, original, written, item, milestone, guessed, _, convention, _, role in changed:
        facts = then.facts(i)
        due = facts.due_at
        if due is None or not lowest <= due <= highest or due > now:
            continue
        if not start <= written_day(due, original, written, local) <= last:
            continue
        later = then.instant < due < now  # a date moved past the close, judged once it has passed
        when = min(now, due + timedelta(microseconds=1)) if later else then.instant
        stood = then.facts(i, when)
        rows.append(
            DueRow(
                i,
                code,
                str(kind),
                then.category(i, when).value,
                given_after_due(due, given, local.tz),
                item,
                milestone,
                local.local_date(due) if later else None,
                due,
                bool(guessed),
                stood.reported_at,
                bool(convention),
                day_unknown=done_day_unknown(due, stood.reported_at, stood.done_from),
                role=str(role),
            )
        )
    return rows


def _judged_at_their_date(session: Session, rows: list[Any], closed: datetime, now: datetime) -> dict[int, str]:
    """The category of the rows the day-off rule moved past the period's close, judged once their
    own date has passed (by ``now``): "Năm 2022", due on 03/01/2023 and done on the 5th, is late in
    2022's figures asked in February; asked on 31/12, it is still on track and counts neither way."""
    later: dict[datetime, list[int]] = defaultdict(list)
    for row in rows:
        if row.due_at > closed and row.due_at < now:
            later[row.due_at].append(row.id)
    found: dict[int, str] = {}
    for due_at, ids in later.items():
        instant = min(now, due_at + timedelta(microseconds=1))
        for batch in id_batches(ids):
            statement = (
                sa.select(col(Assignment.id), category_sql(instant))  # over Assignment ⋈ Milestone
                .select_from(Assignment)
                .join(Milestone, col(Assignment.milestone_id) == col(Milestone.id))
                .where(col(Assignment.id).in_(batch))
            )
            found |= {i: str(cat) for i, cat in session.execute(statement)}
    return found


def written_day(due_at: datetime, original_due_at: datetime | None, written: date | None, local: LocalDays) -> date:
    """The day a due date belongs to a period by: the text's own day while the date is the one the
    catalog gave (moved to a working day or not); the day itself once an extension moved it."""
    if written is not None and (original_due_at is None or original_due_at == due_at):
        return written
    return local.local_date(due_at)


def written_before_sql(day: date) -> ColumnElement[bool]:
    """:func:`written_day` before ``day``, over ``Assignment`` ⋈ ``Milestone``: the text's own day
    is before it while the catalog's date stands ("Năm 2022", due 31/12/2022 and moved by the
    day-off rule to 03/01/2023, is before 1/1/2023). Never NULL. Such a row is due at most
    ``ROLL_DAYS`` after ``day``."""
    written, original = col(Milestone.due_date), col(Assignment.original_due_at)
    kept = or_(original.is_(None), original == col(Assignment.due_at))
    return and_(written.is_not(None), written < day, kept)


def _copies(links: dict[int, set[str]], counted: list[DueRow]) -> set[int]:
    """The rows among ``counted`` that are a copy of work the same agency has counted among them
    too, counted by another of its rows (engine.services.same_work.copies: the one with the earliest
    date in force), so that a body's rate does not count one report twice."""
    parts = (
        Part(r.assignment_id, r.counted_for, r.item_code, r.milestone_id, r.due_at, r.given_after_due) for r in counted
    )
    return set(copies_among(links, parts))


def agency_rates(
    session: Session,
    *,
    start: date,
    end: date,
    now: datetime,
    local: LocalDays = DEFAULT_DAYS,
    roles: tuple[str, ...] | None = None,
    due_after: datetime | None = None,
    then: Then | None = None,
) -> list[AgencyRates]:
    """Per agency (every agency, by code): what was due in [start, end] and how it went (of
    ``roles`` only, when given: the leaders' rates, what they leave out of the rates of every role
    counted apart, :func:`leaders_leave_out`; with ``due_after``, of what fell due after it, judged
    now: :func:`due_rows`)."""
    rows: dict[str, AgencyRates] = {
        code: AgencyRates(code, short)
        for code, short in session.exec(select(Agency.code, Agency.short).order_by(Agency.code))
    }
    tally: dict[tuple[str, str, str], int] = defaultdict(int)
    given_late: dict[tuple[str, str], int] = defaultdict(int)
    counted: list[DueRow] = []
    before: list[DueRow] = []
    guessed: list[DueRow] = []
    apart_rows: list[DueRow] = []  # of ``left_out``
    unknown: set[int] = set()  # of ``counted``, those done on a day no text gives (Counted.DAY_UNKNOWN)
    left_out: dict[int, LeftOut] = {}  # the parts the rates of every role count, these (the leaders') not
    started = tracking_from(session)
    rows_due = partial(due_rows, session, start=start, end=end, now=now, local=local)
    for row in rows_due(due_after=due_after, then=then):
        # the one rule of what a rate counts (engine.reports.counted): due before the tracking start,
        # whatever the plan, and given after its date and not done on time, apart (the report says how
        # many of each, beside what it counts); not decided at the instant judged (not yet given,
        # waiting, a date the day-off rule moved past the period's end still on track), neither way
        how = how_counted(
            row.category, row.due_at, row.given_after_due, started, guessed=row.guessed, day_unknown=row.day_unknown
        )
        if (left := leaders_leave_out(row.role, row.by_convention, roles)) is not None:
            if how is Counted.COUNTED:  # what the rates of every role weigh: said apart, with why
                left_out[row.assignment_id] = left
                apart_rows.append(row)
            continue
        if how is Counted.BEFORE_TRACKING:
            before.append(row)
        elif how is Counted.GIVEN_LATE:
            given_late[(row.counted_for, row.kind)] += 1
            _apart_received(rows, row, how)
        elif how is Counted.UNCONFIRMED:
            guessed.append(row)  # not against its body on a guess: said beside the rate
        elif how in WEIGHED:
            counted.append(row)  # a day not known stands for its work among the copies, then apart
            unknown.update([row.assignment_id] if how is Counted.DAY_UNKNOWN else [])
    links = links_of(session.connection())  # read once for both sets below
    copies = _copies(links, counted)
    for row in counted:
        if row.assignment_id in copies:
            continue
        if row.assignment_id in unknown:  # neither way: said beside the rate
            prefix = "reports" if row.kind == "report" else "tasks"
            kept = rows[row.counted_for]
            setattr(kept, f"{prefix}_day_unknown", getattr(kept, f"{prefix}_day_unknown") + 1)
            _apart_received(rows, row, Counted.DAY_UNKNOWN)
        else:
            tally[(row.counted_for, row.kind, row.category)] += 1
            if row.counted_for != row.agency_code:  # said under the table: in its columns, not its rate
                rows[row.agency_code].received_late += 1
            if row.by_convention:
                named = "reports_convention" if row.kind == "report" else "tasks_convention"
                setattr(rows[row.counted_for], named, getattr(rows[row.counted_for], named) + 1)
    for apart, how in ((before, Counted.BEFORE_TRACKING), (guessed, Counted.UNCONFIRMED)):
        twice = _copies(links, apart)
        for row in apart:
            if row.assignment_id not in twice:
                named = f"{'reports' if row.kind == 'report' else 'tasks'}_{how.value}"
                kept = rows[row.counted_for]
                setattr(kept, named, getattr(kept, named) + 1)
                _apart_received(rows, row, how)
    twice = _copies(links, apart_rows)  # the same work in two documents, once here too
    for row in apart_rows:
        if row.assignment_id not in twice:
            why = "other_roles" if left_out[row.assignment_id] is LeftOut.OTHER_ROLE else "convention_apart"
            named = f"{'reports' if row.kind == 'report' else 'tasks'}_{why}"
            kept = rows[row.counted_for]
            setattr(kept, named, getattr(kept, named) + 1)
            if why == "convention_apart" and row.category == Category.OVERDUE.value:
                kept.convention_apart_overdue += 1
    for (code, kind), n in given_late.items():
        prefix = "reports" if kind == "report" else "tasks"
        setattr(rows[code], f"{prefix}_given_late", n)
    for (code, kind, cat), n in tally.items():
        rates = rows[code]
        prefix = "reports" if kind == "report" else "tasks"
        setattr(rates, f"{prefix}_due", getattr(rates, f"{prefix}_due") + n)
        if cat == Category.DONE_ON_TIME.value:
            setattr(rates, f"{prefix}_on_time", getattr(rates, f"{prefix}_on_time") + n)
        elif cat == Category.DONE_LATE.value:
            setattr(rates, f"{prefix}_late", getattr(rates, f"{prefix}_late") + n)
        elif cat == Category.OVERDUE.value:
            named = "reports_missing" if kind == "report" else "tasks_overdue"
            setattr(rates, named, getattr(rates, named) + n)
    return list(rows.values())


def _apart_received(rows: dict[str, AgencyRates], row: DueRow, how: Counted) -> None:
    """``row``, set apart from the rates (``how``), counted among the parts its holder at the period's
    end received after their date (AgencyRates.received_late_apart), when a succession passed it on so."""
    if row.counted_for != row.agency_code:
        apart = rows[row.agency_code].received_late_apart
        apart[how.value] = apart.get(how.value, 0) + 1


class ToCome(NamedTuple):
    """A period's tasks still to come at an instant (:func:`due_later`), and how many of them are
    already reported done."""

    total: int = 0
    done: int = 0


def due_later(
    session: Session,
    *,
    start: date,
    end: date,
    now: datetime,
    local: LocalDays = DEFAULT_DAYS,
    roles: tuple[str, ...] | None = None,
) -> ToCome:
    """The period's tasks (of ``roles``; report obligations apart, as the rates count them) whose
    date is still to come at ``now``, and how many of them are done already: a report mailed before
    its period ends cannot judge them, and its figures of the period leave them out. Counted as the
    rates count: by the day the text gives, the same work in two documents once for a body
    (:func:`due_rows`, ``to_come``). Quý III/2022's mail, sent on 26/9, had said "0 due in the
    period" and nothing of the 51 parts due on 30/9, which the next quarter's mail, counting from
    1/10, did not count either."""
    rows = [
        r
        for r in due_rows(session, start=start, end=end, now=now, local=local, roles=roles, to_come=True)
        if r.kind != "report"
    ]
    return counted_to_come(session, rows)


def reports_due_later(
    session: Session, *, start: date, end: date, now: datetime, local: LocalDays = DEFAULT_DAYS
) -> ToCome:
    """The period's report obligations whose date is still to come at ``now`` (every role, as the
    report's list of reports late or not sent counts them), and how many are sent already. The
    six-month mail, sent at 08:05 on 20/06/2022, the day 21 of the period's reports were due, said
    "không có báo cáo của kỳ chưa gửi": none was late yet, and none of them was sent."""
    rows = [
        r for r in due_rows(session, start=start, end=end, now=now, local=local, to_come=True) if r.kind == "report"
    ]
    return counted_to_come(session, rows)


def counted_to_come(session: Session, rows: list[DueRow]) -> ToCome:
    """``rows`` counted as the rates count them (the same work in two documents once), and the done."""
    copies = _copies(links_of(session.connection()), rows)
    counted = [r for r in rows if r.assignment_id not in copies]
    done = {Category.DONE_ON_TIME.value, Category.DONE_LATE.value}
    return ToCome(len(counted), sum(1 for r in counted if r.category in done))
