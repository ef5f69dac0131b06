"""Read-side queries the web pages need beyond engine.services.queries.

They return views (pydantic), or for a list's page plain rows whose columns are named like a
view's fields (never entities), and aggregate in SQL so that the board stays fast at 100k
assignments: one GROUP BY for all counts, one indexed range scan for the overdue list.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime
from functools import cache, lru_cache
from typing import Any, NamedTuple

import sqlalchemy as sa
from pydantic import BaseModel
from sqlalchemy import and_, bindparam, case, exists, func, or_, union
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, select

from dondoc.engine.clock import DEFAULT_DAYS, local_date
from dondoc.engine.db import plain
from dondoc.engine.errors import NotFound
from dondoc.engine.models import (
    ITEM_ORDER,
    OPEN_STATE_VALUES,
    PLAN_ORDER,
    TERMINAL_STATE_VALUES,
    Agency,
    AgencyGroup,
    AgencyTransfer,
    Assignment,
    Attachment,
    Event,
    Milestone,
    Notification,
    Plan,
    PlanItem,
    Role,
    State,
    TransferStatus,
)
from dondoc.engine.models.assignments import ROLE_LABELS_VI
from dondoc.engine.models.plans import PRIORITY
from dondoc.engine.reports.counted import guessed_sql, never_counted_sql, not_copies
from dondoc.engine.reports.history import Then
from dondoc.engine.services.assignment_filter import BoundFilter, conditions_of_shape
from dondoc.engine.services.board_then import board_then, code_then, row_then, state_then, view_then
from dondoc.engine.services.judged_rows import judged_rows
from dondoc.engine.services.queries import (  # one rule for rows → views, shared with the CLI
    CATALOG_ORDER,
    LIMIT,
    OFFSET,
    VIEW_NAMES,
    RowCount,
    base_query,
    base_query_at_now,
    held_on,
    views,
)
from dondoc.engine.services.same_work import Part, links_of
from dondoc.engine.services.tracking import tracking_from
from dondoc.engine.services.transfer_origins import (
    held_by_sql,
    held_then,
    holder_of,
    holders_on,
    holders_on_their_dates,
)
from dondoc.engine.services.waiting_work import not_given_waiting_sql, not_given_waiting_vi, waiting_sql
from dondoc.engine.status import (
    CATEGORY_CODES,
    GIVEN_LATE,
    LATE_CATEGORIES,
    NOT_GIVEN,
    NOW,
    TODAY,
    Category,
    Suffix,
    at_now,
    before_tracking_sql,
    cancelled_by_sql,
    category_code_marked_at_now,
    done_day_unknown,
    done_day_unknown_sql,
    due_before_start,
    finished_since_ids,
    finished_since_sql,
    given_after_due_sql,
    given_by_sql,
    of_milestone,
    state_at,
    state_at_now,
)
from dondoc.engine.vi_format import vn_count
from dondoc.engine.views import AssignmentView


class AgencyRow(BaseModel):
    """One line of the board's per-agency table."""

    code: str
    name: str
    counts: dict[str, int]
    assigned: int  # work given by now and followed (not cancelled, not yet given, nor before tracking)
    done_on_time: int
    done_late: int
    overdue: int
    # the rates' on-time rate (engine.reports.counted, as engine.reports.rates counts it) of the tasks due
    # by the board's instant, every role, the periodic reports apart: rated_on_time / rated_due; not
    # the columns' ratio (a part done with no date, a same-work copy, work due before the tracking
    # start or given after its own date and not done on time are in the columns, in no rate)
    on_time_rate: float | None
    rated_on_time: int = 0
    rated_due: int = 0
    # due by the board's instant and decided, but given through an inferred group the secretariat has
    # not confirmed (engine.reports.counted.Counted.UNCONFIRMED): not in the rate, said beside it
    unconfirmed: int = 0
    # of ``overdue``, the parts given on a guess as ``unconfirmed`` says: counted there, said beside it
    overdue_unconfirmed: int = 0
    # a body that no longer exists (its last day, before the board's day): ranked nowhere, and its
    # work still open (given, neither verified nor cancelled) shown to the secretariat
    ended_on: date | None = None
    open_work: int = 0
    not_given: int = 0  # of "chưa đến hạn", the parts not yet given (a later period's report)


class BoardSummary(BaseModel):
    totals: dict[str, int]
    total: int
    agencies: list[AgencyRow]
    states: dict[str, int] = {}  # assignments per workflow state: the board's lists by state ("Chờ xác nhận")
    # the names of the inferred groups of the parts the rate leaves out on a guess (AgencyRow.unconfirmed)
    unconfirmed_groups: list[str] = []
    # the names of the inferred groups of the overdue parts given on a guess (AgencyRow.overdue_unconfirmed)
    overdue_unconfirmed_groups: list[str] = []


class AttachmentView(BaseModel):
    id: int
    assignment_id: int
    original_name: str
    content_type: str
    size: int
    uploaded_by: str
    uploaded_at: datetime


class NotificationView(BaseModel):
    id: int
    kind: str
    assignment_id: int | None
    recipient_role: str
    recipient_email: str
    subject: str
    status: str
    attempts: int
    created_at: datetime
    sent_at: datetime | None
    last_error: str | None
    carried_by_id: int | None = None  # a held row: the digest that told its recipient


def on_time_rate(on_time: int, due: int) -> float | None:
    """A rate of ``on_time`` of ``due``, as engine.reports.rates gives it; None when nothing is due yet."""
    return on_time / due if due else None


class BoardTallies(BaseModel):
    """The board's totals alone: assignments per category and per workflow state."""

    totals: dict[str, int]
    states: dict[str, int]


@cache
def _summary_statement(one_agency: bool) -> Any:
    """:func:`board_summary`'s statement, built once (its parameters: :func:`at_now`, and
    ``agency_id`` when ``one_agency``): per (agency, state), the categories of its rows strung
    together, one character a row, and a late one given after its own date marked after it
    (``category_code_marked_at_now``: the test is made for the late rows only).

    It reads one index in its order, ``ix_assignment_board``, which holds every column of the
    assignment the category needs, and nothing else: the tests of the milestone (its start date,
    its item) are lists of milestones read once (engine.status.of_milestone), not a join looked up
    a row; so the groups come out one after the other and nothing is sorted; the CASE is evaluated
    once a row. Counting each category with ``count(*) FILTER`` would need the category as a column of a
    subquery, and SQLite then writes all rows out and sorts them by (agency, state): at 100k
    assignments about twice the time (bench/README.md, the desk)."""
    statement = select(
        Assignment.agency_id,
        Assignment.state,
        # a late row given after its own date is marked: its code, then GIVEN_LATE
        func.aggregate_strings(_rated_code(joined=False), "").label("categories"),
    ).group_by(col(Assignment.agency_id), col(Assignment.state))
    return statement.where(col(Assignment.agency_id) == bindparam("agency_id")) if one_agency else statement


_CODED = [(c.value, code) for c, code in CATEGORY_CODES.items()]
# the marked rows (engine.status.category_code_marked_at_now): the late ones given after their own
# date, by category, and (NOT_GIVEN_KEY) the rows not yet given
NOT_GIVEN_KEY = "not_given"
_MARKED = [(c.value, CATEGORY_CODES[c] + GIVEN_LATE) for c in LATE_CATEGORIES] + [
    (NOT_GIVEN_KEY, CATEGORY_CODES[Category.NOT_YET_DUE] + NOT_GIVEN)
]


# after a row's code and marks (_rated_code): a part outside the board's rate whatever its category
# (written after the categories the rate reads only)
NOT_RATED = "~"
_RATED_CATEGORIES = frozenset({Category.DONE_ON_TIME, *LATE_CATEGORIES})  # the ones _rated reads
_ON_TIME, _LATE = CATEGORY_CODES[Category.DONE_ON_TIME], [CATEGORY_CODES[c] for c in LATE_CATEGORIES]


def _rated_code(*, joined: bool = True) -> ColumnElement[str]:
    """A row's code as the board strings it: :func:`category_code_marked_at_now`, then ``NOT_RATED``
    after a row of a category the rate reads (done on time, late) that the board's rate leaves out
    all the same, as engine.reports.rates does of
    the work due by an instant (``due_rows``, ``agency_rates``): by engine.reports.counted's rule
    (no date, due before the tracking start: :func:`never_counted_sql`), and by the rates' scope
    (a periodic report, rated apart; a date still to come). Work cancelled by ``NOW`` is of no
    category the rate reads; cancelled since, it is counted as it stood then, as the rates count it.
    The rest of the rule is the category's: decided (counted.DECIDED), and a late row given after its
    own date marked already (GIVEN_LATE). The test is made once a row, on columns of the board's index
    (the item's kind: a set of report items, read once). ``joined``: the milestone joined by the
    statement, or not (engine.status.of_milestone)."""
    reports = select(col(PlanItem.id)).where(col(PlanItem.kind) == "report")
    apart = or_(
        never_counted_sql(),
        done_day_unknown_sql(),  # done on a day no text gives, its date inside: counted.Counted.DAY_UNKNOWN
        col(Assignment.due_at) > NOW,
        of_milestone(lambda m: col(m.item_id).in_(reports), joined=joined),
    )
    # marked on the rows the rate reads only (_rated: done on time, late); the CASE by kind of state
    return category_code_marked_at_now(Suffix(apart, NOT_RATED, _RATED_CATEGORIES), by_state=True, joined=joined)


def _rated(categories: str, sign: int = 1) -> tuple[int, int]:
    """Of a string of :func:`_rated_code`, what the rate counts: (on time, due). A late row given
    after its own date ("!", marked before NOT_RATED) counts neither way, as one not rated."""
    on_time = categories.count(_ON_TIME) - categories.count(_ON_TIME + NOT_RATED)
    late = sum(
        categories.count(code) - categories.count(code + GIVEN_LATE) - categories.count(code + NOT_RATED)
        for code in _LATE
    )
    return sign * on_time, sign * (on_time + late)


def _counted(categories: str, sign: int = 1) -> tuple[dict[str, int], dict[str, int], tuple[int, int]]:
    """A group's string of codes read: assignments per category, the marked ones, and what the rate
    counts of them (:func:`_rated`) (``sign``: -1 to take them away)."""
    counted = {category: sign * categories.count(code) for category, code in _CODED}
    return counted, {key: sign * categories.count(code) for key, code in _MARKED}, _rated(categories, sign)


@cache
def _moved_statement() -> Any:
    """The work a transfer took from a body after the board's day (its parameters: :func:`at_now`),
    counted as :func:`_summary_statement` counts it, per (body then, body now, state): what the
    board moves back to the body that held it that day (transfer_origins.held_then). With today's
    date, no row: it reads a range of the transfers' index and no assignment."""
    held = held_then(TODAY)
    return (
        select(
            held.c.agency_id,
            Assignment.agency_id,
            Assignment.state,
            func.aggregate_strings(_rated_code(joined=False), "").label("categories"),
        )
        .select_from(held)
        .join(Assignment, col(Assignment.id) == held.c.assignment_id)
        .group_by(held.c.agency_id, col(Assignment.agency_id), col(Assignment.state))
    )


@cache
def _state_read() -> ColumnElement[str]:
    """The state a row is counted in at NOW: its state now, or for work verified or cancelled since
    (engine.status.finished_since_sql), the state it stood in then (state_at_now: open or reported).
    A look-back before the secretariat cancelled the parts of a body that ended, which waited in "Cần
    phân công lại" that day, had left them out of the body's open work; the board of that day counted them."""
    return case((finished_since_sql(NOW), state_at_now()), else_=col(Assignment.state))


@cache
def _finished_since_statement() -> Any:
    """The work verified or cancelled after the board's instant (its parameters: :func:`at_now`),
    counted as :func:`_summary_statement` counts it, per (body then, state now, state then): what the
    board moves back to the state it stood in (:func:`_state_read`), under the body that held it then
    (transfer_origins.held_then). With a live clock, no row."""
    held = held_then(TODAY)
    return (
        select(
            holder_of(held),
            Assignment.state,
            _state_read(),
            func.aggregate_strings(_rated_code(), "").label("categories"),
        )
        .select_from(Assignment)
        .join(Milestone, col(Assignment.milestone_id) == col(Milestone.id))
        .outerjoin(held, held.c.assignment_id == col(Assignment.id))
        .where(finished_since_ids(NOW))
        .group_by(holder_of(held), col(Assignment.state), _state_read())
    )


def _groups(
    session: Session, now: datetime, then: Then, changed: Sequence[Changed], agency_id: int | None = None
) -> Iterator[tuple[int, str, dict[str, int], dict[str, int], tuple[int, int]]]:
    """:func:`_summary_statement`'s groups read: (agency id, state, assignments per category, and
    the marked ones: of the late ones those given after their own date, which count neither way in
    a rate, and the rows not yet given); then, at a day before a succession took effect, the work
    it moved, taken from its holder now and given back to the body that held it that day
    (:func:`_moved_statement`): each body's groups add up to the work it held at ``now``; the work
    verified or cancelled since, moved back to the state it stood in (:func:`_finished_since_statement`).
    At a look-back (``then``: engine.services.board_then), the rows rewritten since (``changed``:
    :func:`changed_rows` of ``then``) taken from where those statements counted them and counted as
    they stood then."""
    params = at_now(now) | ({"agency_id": agency_id} if agency_id is not None else {})
    for agency, in_state, categories in judged_rows(session, _summary_statement(agency_id is not None), params):
        yield agency, in_state, *_counted(categories)
    for body_then, held_now, in_state, categories in session.execute(_moved_statement(), at_now(now)):
        if agency_id is None or held_now == agency_id:
            yield held_now, in_state, *_counted(categories, -1)
        if agency_id is None or body_then == agency_id:
            yield body_then, in_state, *_counted(categories)
    # the work finished since, read only when some event came after the instant (a look-back: Then.later):
    # with a live clock none did, and the statement would read every verified and cancelled row for none
    finished = session.execute(_finished_since_statement(), at_now(now)) if then.later else ()
    for holder, in_state, stood, categories in finished:
        if agency_id is None or holder == agency_id:
            yield holder, in_state, *_counted(categories, -1)
            yield holder, stood, *_counted(categories)
    for row in changed:
        if agency_id is None or row.holder == agency_id:
            yield row.holder, row.state, *_counted(row.counted, -1)
            yield row.holder, row.state_then, *_counted(row.counted_then)


def board_summary(
    session: Session, now: datetime, *, agency_id: int | None = None, then: Then | None = None
) -> BoardSummary:
    """Category counts in total and per agency, and counts per state, in one GROUP BY over
    assignment ⋈ milestone on (agency, state) (:func:`_summary_statement`). At a look-back, the rows
    rewritten since ``now`` (``then``: engine.services.board_then, read here when not given) are
    counted as they stood then, in every figure."""
    then = board_then(session, now) if then is None else then
    changed = changed_rows(session, now, then)
    per_agency: dict[int, dict[str, int]] = {}
    marked: dict[int, dict[str, int]] = {}
    unfinished: dict[int, int] = {}  # given by now, neither verified nor cancelled
    states = {s.value: 0 for s in State}
    rated: dict[int, list[int]] = {}  # what the rate counts: on time, due
    for agency, in_state, counted, marks, (on_time, due) in _groups(session, now, then, changed, agency_id):
        tally = rated.setdefault(agency, [0, 0])
        tally[0], tally[1] = tally[0] + on_time, tally[1] + due
        if in_state not in TERMINAL_STATE_VALUES:
            unfinished[agency] = unfinished.get(agency, 0) + sum(counted.values()) - marks[NOT_GIVEN_KEY]
        counts = per_agency.setdefault(agency, {c.value: 0 for c in Category})
        for category, count in counted.items():
            counts[category] += count
        apart = marked.setdefault(agency, {key: 0 for key, _ in _MARKED})
        for key, count in marks.items():
            apart[key] += count
        states[in_state] = states.get(in_state, 0) + sum(counted.values())
    # a part a succession passed on after its date counts in the rate of the body that held it then
    # (transfer_origins.holders_on_their_dates), as the rates count it: moved there from its holder now
    counted_for = _held_on_their_dates(session, now, changed)
    for held_now, held_then_, (on_time, due) in counted_for.values():
        for agency, sign in ((held_now, -1), (held_then_, 1)):
            if agency_id is None or agency == agency_id:
                tally = rated.setdefault(agency, [0, 0])
                tally[0], tally[1] = tally[0] + sign * on_time, tally[1] + sign * due
    rated_for = {i: moved[1] for i, moved in counted_for.items()}
    _take_away(rated, _copies_rated(session, now, changed, rated_for))
    guessed = _guessed(session, now, changed, rated_for)
    _take_away(rated, guessed.rated)
    left_out = {agency: due for agency, (_, due) in guessed.rated.items() if agency in rated}  # said beside the rate
    today = local_date(now)
    names = {a.id: a for a in session.exec(select(Agency).where(col(Agency.id).in_(list(per_agency))))}
    totals = {c.value: 0 for c in Category}
    rows = []
    for agency, counts in per_agency.items():
        if not any(counts.values()):
            continue  # all its work was another body's on that day (a successor before its date)
        for key, value in counts.items():
            totals[key] += value
        body = names[agency]
        row = _agency_row(
            body.code,
            body.short,
            counts,
            marked[agency],
            rated[agency],
            left_out.get(agency, 0),
            guessed.overdue.get(agency, 0),
        )
        if body.valid_to is not None and body.valid_to < today:
            row = row.model_copy(update={"ended_on": body.valid_to, "open_work": unfinished.get(agency, 0)})
        rows.append(row)
    rows.sort(key=lambda r: r.code)
    return BoardSummary(
        totals=totals,
        total=sum(totals.values()),
        agencies=rows,
        states=states,
        unconfirmed_groups=guessed.groups,
        overdue_unconfirmed_groups=guessed.overdue_groups,
    )


def _take_away(rated: dict[int, list[int]], left: dict[int, tuple[int, int]]) -> None:
    """``left`` (per body: on time, due) taken out of what ``rated`` counts of the same bodies."""
    for agency, (on_time, due) in left.items():
        if agency in rated:
            rated[agency][0] -= on_time
            rated[agency][1] -= due


def _per_holder(found: Iterable[tuple[int, tuple[int, int]]]) -> dict[int, tuple[int, int]]:
    """(holder, (on time, due)) pairs summed per holder, the rows counting nothing left out."""
    summed: dict[int, tuple[int, int]] = {}
    for holder, (on_time, due) in found:
        if due:
            before = summed.get(holder, (0, 0))
            summed[holder] = (before[0] + on_time, before[1] + due)
    return summed


@cache
def _passed_statement() -> Any:
    """:func:`_held_on_their_dates`' statement, built once (its parameters: :func:`at_now`): the parts
    a transfer passed on, each with the body that held it at the board's instant, its code as the
    board strings it and its date in force. Read from the done transfers (few), each part's row by
    its key: not a subquery a row of the board's statement."""
    held = held_then(TODAY)
    return (
        sa.select(col(Assignment.id), holder_of(held), _rated_code(), col(Assignment.due_at))
        .select_from(AgencyTransfer)
        .join(Assignment, col(Assignment.id) == col(AgencyTransfer.assignment_id))
        .join(Milestone, col(Assignment.milestone_id) == col(Milestone.id))
        .outerjoin(held, held.c.assignment_id == col(Assignment.id))
        .where(col(AgencyTransfer.status) == TransferStatus.DONE.value)
    )


def _held_on_their_dates(
    session: Session, now: datetime, changed: Sequence[Changed] = ()
) -> dict[int, tuple[int, int, tuple[int, int]]]:
    """assignment id -> (the body that held it at ``now``, the body its rate counts it for, what
    :func:`_rated` counts of it), for the parts a succession passed on after their date to another
    than the body holding them at ``now`` (transfer_origins.holders_on_their_dates, the rates' one
    rule): the rate of the body that held each on its date counts it, not its successor's. A row
    rewritten since a look-back's instant (``changed``) is rated and dated as it stood then."""
    then = {row.id: row for row in changed}
    found: dict[int, tuple[int, tuple[int, int], datetime | None]] = {}
    for i, holder, code, due_at in session.execute(_passed_statement(), at_now(now)):
        stood = then.get(int(i))
        found[int(i)] = (
            int(holder),
            _rated(stood.counted_then if stood else str(code)),
            stood.due_then if stood else due_at,
        )
    rated = {i: due for i, (_, (_, counted), due) in found.items() if counted}
    held = holders_on_their_dates(session, rated, DEFAULT_DAYS.tz)
    return {i: (found[i][0], body, found[i][1]) for i, body in held.items() if body != found[i][0]}


def _copies_rated(
    session: Session, now: datetime, changed: Sequence[Changed] = (), counted_for: Mapping[int, int] | None = None
) -> dict[int, tuple[int, int]]:
    """Per body (that held the work at ``now``, or the one its rate counts it for: ``counted_for``,
    :func:`_held_on_their_dates`), what its rate counted twice: the same work in two
    documents (``same_work_as``), each counted by :func:`_rated`, counts once for a body, by its copy
    with the earliest date in force (engine.reports.counted.not_copies, as the rates count it). Read
    over the linked milestones' and the named items' rows only (the catalog's few links); no statement
    without links. A row rewritten since a look-back's instant (``changed``) is rated as it stood
    then, weighed by its date as it stands now."""
    links = links_of(session.connection())
    if not links:
        return {}
    held = held_then(TODAY)
    named = {code for codes in links.values() for code in codes}
    statement = (
        sa.select(  # sqlmodel's select types at most four columns
            col(Assignment.id),
            holder_of(held),
            col(PlanItem.code),
            col(Assignment.milestone_id),
            _rated_code(),
            col(Assignment.due_at),
            given_after_due_sql(),
            done_day_unknown_sql(),
        )
        .select_from(Assignment)
        .join(Milestone, col(Assignment.milestone_id) == col(Milestone.id))
        .join(PlanItem, col(Milestone.item_id) == col(PlanItem.id))
        .outerjoin(held, held.c.assignment_id == col(Assignment.id))
        .where(or_(col(Assignment.milestone_id).in_(list(links)), col(PlanItem.code).in_(sorted(named))))
        .where(~guessed_sql())  # taken out of the rate apart (_guessed): not a copy counted
    )
    then = {row.id: row for row in changed}
    counted_for = counted_for or {}
    rows = [
        (
            Part(int(i), str(counted_for.get(int(i), holder)), str(code), int(m), due_at, bool(late)),
            _rated(then[int(i)].counted_then if int(i) in then else str(c)),
            then[int(i)].day_unknown_then if int(i) in then else bool(unknown) and str(c).startswith(_ON_TIME),
        )
        for i, holder, code, m, c, due_at, late, unknown in session.execute(statement, at_now(now))
    ]
    # a row done on a day no text gives around its date is in no rate, but stands for its work: its
    # copy under a later date, on time there, is not counted on time (counted.WEIGHED)
    kept = not_copies(links, (part for part, (_, due), unknown in rows if due or unknown))
    return _per_holder((int(part.agency), rated) for part, rated, _ in rows if part.assignment_id not in kept)


class EndedBody(BaseModel):
    """A body that no longer exists and still holds work not finished: nobody is asked for that
    work until the secretariat records what became of the body (its succession) or decides it."""

    code: str
    name: str
    ended_on: date  # its last day
    open_work: int  # given, neither verified nor cancelled
    overdue: int  # of them, those overdue now (the sum of overdue_by_role)
    # the parts waiting in the queue "Cần phân công lại" at the instant (engine.services.waiting_work):
    # those of open_work's rows, and those never given (``waiting_not_given``), as the queue counts them
    waiting: int
    waiting_not_given: int = 0  # of ``waiting``, the parts given to nobody (their giving day after the end)
    by_role: dict[str, int] = {}  # open_work by role (lead, implementer, partner), in that order
    overdue_by_role: dict[str, int] = {}  # overdue by role, in the same order

    @property
    def roles_said(self) -> str:
        """``by_role`` in words, "3 chủ trì, 4 phối hợp": a partner's parts are not the lead's work."""
        return _roles_said(self.by_role)

    @property
    def not_given_said(self) -> str:
        """What ``waiting_not_given`` of ``waiting`` is (engine.services.waiting_work)."""
        return not_given_waiting_vi(self.waiting_not_given)

    @property
    def overdue_said(self) -> str:
        """``overdue_by_role`` in words: "trong đó 5 đang quá hạn" after "(3 chủ trì, 4 phối hợp)" was
        read as the lead's work late, when 4 of the 5 were partner parts."""
        return _roles_said(self.overdue_by_role)


def _roles_said(counts: dict[str, int]) -> str:
    return ", ".join(f"{vn_count(n)} {ROLE_LABELS_VI[Role(role)].lower()}" for role, n in counts.items() if n)


def ended_bodies(session: Session, summary: BoardSummary, now: datetime, then: Then | None = None) -> list[EndedBody]:
    """The bodies of ``summary`` (the board at ``now``) that ended before its day and still hold work
    not finished, by role, with how much of that work waits in "Cần phân công lại" (statements only
    when there is such a body); at a look-back, the rows rewritten since (``then``, as ``summary``
    was read with) as they stood then, as the table counts them."""
    rows = [r for r in summary.agencies if r.ended_on is not None and (r.open_work or r.not_given)]
    if not rows:
        return []
    changed = changed_rows(session, now, then)
    by_role, overdue_by_role, waiting, later = _open_work_by_role(session, now, [r.code for r in rows], changed)
    return [
        EndedBody(
            code=r.code,
            name=r.name,
            ended_on=r.ended_on,
            open_work=r.open_work,
            overdue=sum(overdue_by_role.get(r.code, {}).values()),
            waiting=waiting.get(r.code, 0),
            waiting_not_given=later.get(r.code, 0),
            by_role=by_role.get(r.code, {}),
            overdue_by_role=overdue_by_role.get(r.code, {}),
        )
        for r in rows
        if r.ended_on is not None and (r.open_work or waiting.get(r.code, 0))
    ]


def _waited_at_now() -> ColumnElement[bool]:
    """The assignment's work waited in "Cần phân công lại" at NOW (waiting_work.waiting_sql as it
    stood then: at a look-back the board says what waited that day)."""
    return waiting_sql(NOW)


def _open_work_by_role(
    session: Session, now: datetime, codes: list[str], changed: Sequence[Changed] = ()
) -> tuple[dict[str, dict[str, int]], dict[str, dict[str, int]], dict[str, int], dict[str, int]]:
    """The work not finished (given by ``now``, neither verified nor cancelled) of the bodies ``codes``
    by role, counted as :func:`board_summary` counts its ``open_work`` (the same marked categories,
    under the body that held it then: transfer_origins.held_then); of it, the work overdue at ``now``
    by role; per body, how much work waited in "Cần phân công lại" at ``now``, as the queue counts it
    (engine.services.waiting_work): of these rows, and the parts never given (a later period's report,
    whose giving day comes after the body ended), which wait there too; and per body, how many of the
    waiting parts were never given (the note says so beside its figure: it had said "58 phần việc …,
    58 đang chờ" where the queue counted 61). At a
    look-back, the rows rewritten since (``changed``) taken out as read and counted as they stood then,
    open or not by their state then (a report returned since was "reported" then)."""
    statement = _open_work_statement()
    found: dict[str, dict[str, int]] = {}
    overdue: dict[str, dict[str, int]] = {}
    waiting: dict[str, int] = {}
    later: dict[str, int] = {}
    late_code, not_given = CATEGORY_CODES[Category.OVERDUE], dict(_MARKED)[NOT_GIVEN_KEY]

    def add(code: str, role: str, categories: str, waits: int, never: int, sign: int = 1) -> None:
        rows = sum(categories.count(c) for _, c in _CODED) - categories.count(not_given)
        by_role = found.setdefault(code, {r.value: 0 for r in Role})
        by_role[role] += sign * rows
        late = overdue.setdefault(code, {r.value: 0 for r in Role})
        late[role] += sign * categories.count(late_code)  # a row given late is marked after its code
        waiting[code] = waiting.get(code, 0) + sign * (waits + never)
        later[code] = later.get(code, 0) + sign * never

    for code, role, categories, waits, never in session.execute(statement, at_now(now) | {"codes": codes}):
        add(code, role, categories, int(waits), int(never))
    for row in changed:
        if row.code in codes and row.state not in TERMINAL_STATE_VALUES:
            add(row.code, row.role, row.counted, int(row.waited), int(row.waited_later), -1)
        if row.code in codes and row.counted_then and row.state_then not in TERMINAL_STATE_VALUES:
            add(row.code, row.role, row.counted_then, int(row.waited), int(row.waited_later))
    return found, overdue, waiting, later


class Changed(NamedTuple):
    """A row rewritten after a look-back's instant: as the board's statements read it at that
    instant (its state now, :func:`_rated_code` of its row) and as it stood then (its history)."""

    id: int
    holder: int  # the body that held it at the instant (transfer_origins.held_then)
    code: str  # that body's code
    role: str
    state: str  # now, as the statements read it (_state_read: work finished since, as it stood then)
    counted: str  # its code as read from its row
    guessed: bool  # given through an inferred group not confirmed (counted.guessed_sql)
    group: str  # that group's name
    waited: bool  # given by the instant and waiting in "Cần phân công lại" then (_waited_at_now)
    state_then: str
    counted_then: str  # its code as it stood then, marked as :func:`_rated_code` marks it; "" if unborn then
    due_then: datetime | None = None  # its date in force then
    day_unknown_then: bool = False  # done by then on a day no text gives, its date inside (status.done_day_unknown)
    waited_later: bool = False  # never given by the instant and waiting then (waiting_work.not_given_waiting_sql)


def changed_rows(session: Session, now: datetime, then: Then | None = None) -> list[Changed]:
    """The rows rewritten after ``now`` (``then``: engine.services.board_then, read when not given),
    each as the board's statements count it at ``now`` and as it stood then: none at today's instant
    (no statement but the probe of ``board_then``)."""
    then = board_then(session, now) if then is None else then
    if not then:
        return []
    held = held_then(TODAY)
    reports = select(col(PlanItem.id)).where(col(PlanItem.kind) == "report")
    statement = (
        sa.select(  # sqlmodel's select types at most four columns
            col(Assignment.id),
            holder_of(held),
            col(Agency.code),
            col(Assignment.role),
            _state_read(),
            _rated_code(),
            guessed_sql(),
            func.coalesce(col(AgencyGroup.name), col(Assignment.inferred_group)),
            and_(given_by_sql(NOW), _waited_at_now()),
            col(Milestone.item_id).in_(reports),
            not_given_waiting_sql(NOW),
        )
        .select_from(Assignment)
        .join(Milestone, col(Assignment.milestone_id) == col(Milestone.id))
        .outerjoin(held, held.c.assignment_id == col(Assignment.id))
        .join(Agency, col(Agency.id) == holder_of(held))
        .outerjoin(AgencyGroup, col(AgencyGroup.code) == col(Assignment.inferred_group))
        .where(col(Assignment.id).in_(then.ids))
    )
    start = tracking_from(session)
    found = []
    for i, holder, code, role, state, counted, guessed, group, waited, report, later in session.execute(
        statement, at_now(now)
    ):
        # as the board's statements read it at the instant (its state now, its row's code)
        read = (int(i), int(holder), str(code), str(role), str(state), str(counted), bool(guessed), str(group or ""))
        if i in then.unborn:  # written after the instant: it did not exist then, counted nowhere
            found.append(Changed(*read, bool(waited), str(state), "", waited_later=bool(later)))
            continue
        judged, counted_then = code_then(then, i)
        facts = then.facts(i)
        due = facts.due_at
        # _rated_code's test, of the row as it stood: no date, due before the tracking start, done on a
        # day no text gives around its date, a date still to come, a periodic report (rated apart)
        unknown = done_day_unknown(due, facts.reported_at, facts.done_from)
        apart = due is None or due_before_start(due, start) or unknown or due > now or bool(report)
        if judged in _RATED_CATEGORIES and apart:
            counted_then += NOT_RATED
        found.append(
            Changed(
                *read,
                bool(waited),
                state_then(then, i),
                counted_then,
                due,
                unknown and judged is Category.DONE_ON_TIME,
                bool(later),
            )
        )
    return found


@cache
def _open_work_statement() -> Any:
    """:func:`_open_work_by_role`'s statement, built once (its parameters: :func:`at_now` and the
    bodies' ``codes``, an expanding list): building it was ~10 ms of every board with an ended body."""
    held, moved = held_then(TODAY), held_then(TODAY)
    codes: Any = bindparam("codes", expanding=True)
    waited = func.count(case((and_(given_by_sql(NOW), _waited_at_now()), 1)))
    never = func.count(case((not_given_waiting_sql(NOW), 1)))  # waiting, never given: the queue counts it
    return (
        sa.select(  # sqlmodel's select types at most four columns
            col(Agency.code),
            col(Assignment.role),
            func.aggregate_strings(category_code_marked_at_now(), "").label("categories"),
            waited.label("waiting"),
            never.label("never_given"),
        )
        .select_from(Assignment)
        .join(Milestone, col(Assignment.milestone_id) == col(Milestone.id))
        .outerjoin(held, held.c.assignment_id == col(Assignment.id))
        .join(Agency, col(Agency.id) == holder_of(held))
        .where(
            col(Agency.code).in_(codes),
            _state_read().not_in(TERMINAL_STATE_VALUES),  # open or reported at NOW
            # the rows these bodies hold now, or that passed from a body after the day: by the indexes
            # (agency_id; the transfers'), not a scan of every assignment for its holder then (31 ms)
            or_(
                col(Assignment.agency_id).in_(select(col(Agency.id)).where(col(Agency.code).in_(codes))),
                col(Assignment.id).in_(select(moved.c.assignment_id)),
            ),
        )
        .group_by(col(Agency.code), col(Assignment.role))
    )


def role_holders(session: Session, roles: tuple[str, ...], now: datetime) -> set[str]:
    """The codes of the bodies holding work in ``roles`` at ``now`` (given by then, not cancelled by
    then: a look-back named a body apart whose lead parts were cancelled later; held by them then:
    transfer_origins.held_then): the leaders' ranking leaves the others (partners only, on a page
    that reads the leads and implementers) unranked."""
    held = held_then(local_date(now))
    counted = (col(Assignment.role).in_(roles), given_by_sql(now), ~cancelled_by_sql(now))
    # Per body, its first such row, by the indexes: one it holds now that no transfer after the day
    # took from another (agency_id's), or one a transfer after the day took from it (the transfers'
    # index). Not the holder then of every assignment (coalesce(holder then, holder now), which no
    # index serves: the statement judged all 100k of the bench's board, and kept ~100 codes). A union,
    # not an OR of the two: PostgreSQL hashes an OR's subqueries, reading every assignment again.
    holds_now = (
        select(col(Assignment.id))
        .where(col(Assignment.agency_id) == col(Agency.id), *counted)
        .where(col(Assignment.id).not_in(select(held.c.assignment_id)))
    )
    held_by_it = (
        select(held.c.assignment_id)
        .join(Assignment, col(Assignment.id) == held.c.assignment_id)
        .where(held.c.agency_id == col(Agency.id), *counted)
    )
    bodies = select(col(Agency.code))
    statement = union(bodies.where(exists(holds_now)), bodies.where(exists(held_by_it)))
    return {str(code) for code in session.execute(statement).scalars()}


def board_tallies(session: Session, now: datetime) -> BoardTallies:
    """:func:`board_summary`'s ``totals`` and ``states`` without its per-agency table: the same
    statement, its groups added up. The secretariat's digest reads its counts here, so the mail
    and the board agree at the same instant (at a look-back too: :func:`changed_rows`)."""
    totals = {c.value: 0 for c in Category}
    states = {s.value: 0 for s in State}
    then = board_then(session, now)
    for _, in_state, counted, _late, _rated_now in _groups(session, now, then, changed_rows(session, now, then)):
        for category, count in counted.items():
            totals[category] += count
        states[in_state] = states.get(in_state, 0) + sum(counted.values())
    return BoardTallies(totals=totals, states=states)


def _unacknowledged_where(*, backlog: bool = False) -> tuple[ColumnElement[bool], ...]:
    """What :func:`unacknowledged` counts (its parameter: ``now``), over Assignment and Milestone;
    ``backlog``: what it leaves out, the same work due before the tracking start."""
    tracked = before_tracking_sql() if backlog else ~before_tracking_sql()
    return (col(Assignment.state) == State.ASSIGNED.value, given_by_sql(NOW), tracked)


@cache
def _unacknowledged_statement(backlog: bool = False) -> Any:
    """:func:`unacknowledged`'s count, built once (its parameter: ``now``); ``backlog``:
    :func:`unacknowledged_backlog`'s."""
    return (
        select(func.count())
        .select_from(Assignment)
        .join(Milestone, col(Assignment.milestone_id) == col(Milestone.id))
        .where(*_unacknowledged_where(backlog=backlog))
    )


@cache
def _unacknowledged_parts_statement() -> Any:
    """:func:`unacknowledged_parts`'s rows, built once (its parameter: ``now``)."""
    return (
        sa.select(
            col(Assignment.id),
            col(Assignment.assigned_at),
            col(Assignment.snoozed_until),
            col(Assignment.waiting_condition_since),
            PRIORITY,
            _waited_at_now().label("waiting_transfer"),
        )
        .select_from(Assignment)
        .join(Milestone, col(Assignment.milestone_id) == col(Milestone.id))
        .join(PlanItem, col(Milestone.item_id) == col(PlanItem.id))
        .where(*_unacknowledged_where())
    )


def unacknowledged_parts(session: Session, now: datetime) -> list[Any]:
    """The parts :func:`unacknowledged` counts, each with what tells whether its reminders have
    reached the secretariat yet: ``id``, ``assigned_at``, ``snoozed_until``,
    ``waiting_condition_since``, ``priority`` (its ladder: policy.rules_for) and ``waiting_transfer``
    (it waits in "Cần phân công lại" at ``now``: nobody is chased for it until the secretariat decides)."""
    return list(session.execute(_unacknowledged_parts_statement(), {"now": now}).all())


def unacknowledged(session: Session, now: datetime) -> int:
    """Work given by ``now`` and not yet acknowledged, of what is followed: what the reminders
    "chưa tiếp nhận" chase. Not the state's whole count: a quarter's report is handed out on its
    quarter's first day (its assignment waits in the state, not yet given), and work due before the
    tracking start is never chased (the secretariat's digest had said 544 of 108 on a replay)."""
    return int(session.execute(_unacknowledged_statement(), {"now": now}).scalar_one())


def unacknowledged_backlog(session: Session, now: datetime) -> int:
    """Work given by ``now`` and not yet acknowledged that :func:`unacknowledged` leaves out: due
    before the tracking start, never chased. Said beside that figure: the secretariat's digest of
    07/01/2022 on a replay gave 51 with no word of 66 more such parts of 61/KH-UBND."""
    return int(session.execute(_unacknowledged_statement(True), {"now": now}).scalar_one())


@cache
def _guessed_statement() -> Any:
    """:func:`_guessed`'s statement, built once (its parameters: :func:`at_now`)."""
    held = held_then(TODAY)
    return (
        sa.select(
            col(Assignment.id), holder_of(held), _rated_code(), col(Assignment.inferred_group), col(AgencyGroup.name)
        )
        .select_from(Assignment)
        .join(Milestone, col(Assignment.milestone_id) == col(Milestone.id))
        .outerjoin(held, held.c.assignment_id == col(Assignment.id))
        .outerjoin(AgencyGroup, col(AgencyGroup.code) == col(Assignment.inferred_group))
        .where(guessed_sql())
    )


class Guessed(NamedTuple):
    """What the board counts of the parts given through an inferred group the secretariat has not
    confirmed (engine.reports.counted.guessed_sql), per body that held them at the board's instant."""

    rated: dict[int, tuple[int, int]]  # what _rated counted of them: taken out of the rate, said beside it
    groups: list[str]  # the names of the groups those rest on, as the rate's note names them
    overdue: dict[int, int]  # of them, those overdue: in the column "Đang quá hạn", said there
    overdue_groups: list[str]  # the names of the groups the overdue ones rest on


def _guessed(
    session: Session, now: datetime, changed: Sequence[Changed] = (), counted_for: Mapping[int, int] | None = None
) -> Guessed:
    """The parts given on a guess (:class:`Guessed`), read over their rows only (the partial index
    ix_assignment_unconfirmed), so the board's GROUP BY stays on its covering index. A rate leaves
    them out (engine.reports.counted.Counted.UNCONFIRMED); the category columns count them where
    their category puts them, and say how many of the overdue ones are such parts. A row rewritten
    since a look-back's instant (``changed``) is taken out as read and counted as it stood then. What
    the rate leaves out is said beside the rate of the body it counts a part for (``counted_for``:
    :func:`_held_on_their_dates`), its overdue parts under the body holding them."""
    overdue_code = CATEGORY_CODES[Category.OVERDUE]
    counted_for = counted_for or {}
    rows = [
        (int(i), int(holder), _rated(str(code)), int(str(code).startswith(overdue_code)), str(name or group))
        for i, holder, code, group, name in session.connection().execute(_guessed_statement(), at_now(now))
    ]
    for row in changed:
        if row.guessed:
            rows.append((row.id, row.holder, _rated(row.counted, -1), -int(row.counted[0] == overdue_code), row.group))
            rows.append(
                (row.id, row.holder, _rated(row.counted_then), int(row.counted_then[:1] == overdue_code), row.group)
            )
    overdue: dict[int, int] = {}
    due_in: dict[str, int] = {}  # per group: the rated and the overdue parts that rest on it
    late_in: dict[str, int] = {}
    for _, holder, (_, due), late, group in rows:
        overdue[holder] = overdue.get(holder, 0) + late
        due_in[group], late_in[group] = due_in.get(group, 0) + due, late_in.get(group, 0) + late
    return Guessed(
        rated=_per_holder((counted_for.get(i, holder), rated) for i, holder, rated, _, _ in rows),
        groups=sorted(group for group, n in due_in.items() if n),
        overdue={holder: n for holder, n in overdue.items() if n},
        overdue_groups=sorted(group for group, n in late_in.items() if n),
    )


def _agency_row(
    code: str,
    name: str,
    counts: dict[str, int],
    marked: dict[str, int],
    rated: list[int],
    guessed: int = 0,
    guessed_overdue: int = 0,
) -> AgencyRow:
    """The agency's line. "Được giao" counts the work it has been given by now and that is
    followed, as its other columns are: not the cancelled, nor a later period's report not yet
    handed out, nor the work due before the tracking start (counted apart, on a tile of its own).
    Its rate is the rates' (``rated``: on time, due; :func:`_rated_code`), not a ratio of its columns;
    ``guessed``: the parts the rate leaves out, given on a guess (:func:`_guessed`); ``guessed_overdue``:
    of its overdue parts, those given on a guess."""
    on_time, late, overdue = (counts[c] for c in (Category.DONE_ON_TIME, Category.DONE_LATE, Category.OVERDUE))
    return AgencyRow(
        code=code,
        name=name,
        counts=counts,
        assigned=sum(counts.values())
        - counts[Category.CANCELLED]
        - counts[Category.BEFORE_TRACKING]
        - marked[NOT_GIVEN_KEY],
        done_on_time=on_time,
        done_late=late,
        overdue=overdue,
        on_time_rate=on_time_rate(rated[0], rated[1]),
        rated_on_time=rated[0],
        rated_due=rated[1],
        unconfirmed=guessed,
        overdue_unconfirmed=guessed_overdue,
        not_given=marked[NOT_GIVEN_KEY],
    )


_AGENCY_LISTED = (*OPEN_STATE_VALUES, State.REPORTED.value)  # an agency's list without its closed work


def _agency_list(agency_id: int, include_closed: bool, held: date | None = None) -> tuple[Any, ...]:
    """The conditions of an agency's list: its open and reported work; every row with closed ones.
    With ``held`` (queries.held_on: a look-back before a transfer), the work it held that day
    (transfer_origins.held_by_sql), as its summary of that instant counts it, not the work it holds now."""
    of_agency = (
        col(Assignment.agency_id) == agency_id if held is None else held_by_sql(held, lambda body: body == agency_id)
    )
    if include_closed:
        return (of_agency,)
    return of_agency, col(Assignment.state).in_([*_AGENCY_LISTED])


class Rewritten(NamedTuple):
    """At a look-back, the rows rewritten after its instant (``then``: engine.services.board_then),
    which a list's statements leave out, and of them those the list shows as they stood then, each
    as it stood (``listed``, by id: a plain row or a view, as the list reads its rows)."""

    then: Then
    listed: dict[int, Any]


def agency_rewritten(
    session: Session,
    now: datetime,
    agency_id: int,
    then: Then,
    *,
    include_closed: bool = False,
    held: date | None = None,
) -> Rewritten | None:
    """Of the rows rewritten after ``now`` (``then``), the agency's that its list (:func:`agency_assignments`)
    shows as they stood then (a part verified as the same work since was open then): None at today's
    instant, and no statement. ``held``: as :func:`agency_assignments`'."""
    if not then:
        return None
    of_agency = _agency_list(agency_id, True, held)
    statement = base_query(now, held is not None).where(*of_agency, col(Assignment.id).in_(then.ids))
    stood = (view_then(v, then) for v in views(session, statement, now) if v.id not in then.unborn)
    return Rewritten(then, {v.id: v for v in stood if include_closed or v.state in _AGENCY_LISTED})


def agency_role_counts(
    session: Session,
    agency_id: int,
    *,
    include_closed: bool = False,
    rewritten: Rewritten | None = None,
    held: date | None = None,
) -> dict[str, int]:
    """How many rows :func:`agency_assignments` has per role, every page of it: what each role's
    heading counts (a page of 100 rows holds only a part of them); at a look-back, the rows rewritten
    since as they stood then (``rewritten``: :func:`agency_rewritten`), and ``held`` as the list's."""
    statement = (
        select(col(Assignment.role), func.count())
        .where(*_agency_list(agency_id, include_closed, held))
        .group_by(col(Assignment.role))
    )
    if rewritten is None:
        return {str(role): int(count) for role, count in session.exec(statement)}
    counts = Counter(v.role for v in rewritten.listed.values())
    for role, count in session.exec(statement.where(col(Assignment.id).not_in(rewritten.then.ids))):
        counts[str(role)] += int(count)
    return dict(counts)


def agency_assignments(
    session: Session,
    now: datetime,
    agency_id: int,
    *,
    include_closed: bool = False,
    limit: int = 300,
    offset: int = 0,
    rewritten: Rewritten | None = None,
    held: date | None = None,
) -> list[AssignmentView]:
    """One agency's assignments, soonest due first (no due date last); closed ones on request. At a
    look-back, the rows rewritten since (``rewritten``: :func:`agency_rewritten`) as they stood then,
    in their place by their date then: the rows read from ``offset - k`` (k of them) are enough to
    place each one that falls on the page. ``held`` (queries.held_on, of ``now``): a look-back before
    a transfer, the work the agency held that day (a body absorbed since, its parts; its successor,
    without them), as its summary of that instant counts it."""
    statement = base_query(now, held is not None).where(*_agency_list(agency_id, include_closed, held))
    statement = statement.order_by(col(Assignment.due_at).is_(None), col(Assignment.due_at), col(Assignment.id))
    if rewritten is None:
        return views(session, statement.limit(limit).offset(offset), now)
    start = max(0, offset - len(rewritten.listed))
    statement = statement.where(col(Assignment.id).not_in(rewritten.then.ids))
    read = views(session, statement.limit(offset + limit - start).offset(start), now)
    if not read and start:
        return []  # the page is past the last row
    merged = sorted([*read, *rewritten.listed.values()], key=_soonest)
    return merged[offset - start : offset - start + limit]


def _soonest(view: AssignmentView) -> tuple[bool, float, int]:
    """An agency's list's order (:func:`agency_assignments`' ORDER BY), of a view."""
    return view.due_at is None, view.due_at.timestamp() if view.due_at else 0.0, view.id


def assignments_where(
    session: Session, now: datetime, *conditions: Any, limit: int = 500, offset: int = 0, held: bool = False
) -> list[AssignmentView]:
    """Assignments matching SQL ``conditions`` over the joined tables, in catalog order (``held``:
    each under the body that held it at ``now``, queries.held_view_from)."""
    statement = assignments_statement(now, *conditions, held=held).limit(limit).offset(offset)
    return views(session, statement, now)


def assignments_statement(now: datetime, *conditions: Any, held: bool = False) -> Any:
    """The statement of :func:`assignments_where` (catalog order), without limit."""
    return base_query(now, held).where(*conditions).order_by(*CATALOG_ORDER)


def held_at(session: Session, now: datetime, where: BoundFilter) -> BoundFilter:
    """The desk's filter ``where`` as its list reads it at ``now``: at a look-back before a transfer
    (transfer_origins.passed_after), over the body that held each part then (BoundFilter.as_held), as
    the board's table of that instant counts it and links to it, its menu offering those bodies
    (web.filters.filter_choices ``held``); at today's instant, as it always was."""
    return where.as_held() if not where.held and held_on(session, now) is not None else where


def filtered_rewritten(session: Session, now: datetime, where: BoundFilter, then: Then) -> Rewritten | None:
    """Of the rows rewritten after ``now`` (``then``: engine.services.board_then), those the filter
    ``where`` selects as they stood then (its conditions on the state, the category and the date in
    force read of their history: BoundFilter.admits; the others in SQL), as plain rows of
    :func:`filtered_assignments` (board_then.row_then): None at today's instant, and no statement."""
    if not then:
        return None
    steady = where.steady()
    statement = base_query_at_now(where.held).where(*steady.conditions, col(Assignment.id).in_(then.ids))
    read = plain(session, statement, at_now(now) | where.values)
    stood = (row_then(row, then) for row in read if row[0] not in then.unborn)
    return Rewritten(then, {row[0]: row for row in stood if where.admits(_as_said(row, now))})


def _as_said(row: Sequence[Any], now: datetime) -> dict[str, Any]:
    """A list's row by the view's field names, its state the one its line says at ``now``
    (engine.status.state_at, as web/assignment_rows.py writes it; its history reads no
    acknowledgement): what a filter by state selects it by."""
    named = dict(zip(VIEW_NAMES, row, strict=True))
    stamps = (named["acknowledged_at"], named["reported_at"], named["verified_at"])
    return named | {"state": state_at(named["state"], named["category"], *stamps, now)}


def _selected(conditions: Sequence[Any], rewritten: Rewritten) -> ColumnElement[bool]:
    """``conditions`` of the rows not rewritten since a look-back's instant, or one of the rewritten
    rows the list shows as they stood then: the statement orders and pages them all."""
    kept = and_(*conditions, col(Assignment.id).not_in(rewritten.then.ids))
    return or_(kept, col(Assignment.id).in_(list(rewritten.listed))) if rewritten.listed else kept


def filtered_assignments(
    session: Session,
    now: datetime,
    where: BoundFilter,
    *,
    limit: int,
    offset: int = 0,
    rewritten: Rewritten | None = None,
) -> Sequence[Sequence[Any]]:
    """:func:`assignments_where`'s rows for a list's filter (AssignmentFilter.bound), by a statement
    built once per shape of filter, executed with the filter's values and ``now``: as the driver
    gives them (``engine.db.plain``), not made into views. Their columns are named like the view's
    fields (``queries.to_view`` makes one of a row, category included): the desk's list writes
    its 100 rows from them (web/assignment_rows.py), and a view of each cost ~0.5 ms a page. At a
    look-back, the rows rewritten since (``rewritten``: :func:`filtered_rewritten`) as they stood then,
    in their place."""
    values = at_now(now) | where.values | {"limit": limit, "offset": offset}
    if rewritten is None:
        return plain(session, _filtered_page(where.shape, where.held), values).all()
    found = plain(session, _page_of(_selected(where.conditions, rewritten), held=where.held), values).all()
    return [rewritten.listed.get(row[0], row) for row in found]


def filtered_count(session: Session, now: datetime, where: BoundFilter, rewritten: Rewritten | None = None) -> int:
    """How many assignments :func:`filtered_assignments` lists in all for the filter: the list's
    total and its last page (a page number alone says nothing of how many there are)."""
    count = (
        _filtered_count(where.shape, where.held)
        if rewritten is None
        else _count_of(_selected(where.conditions, rewritten), held=where.held)
    )
    return count.of(session, at_now(now) | where.values)


def filtered_views(
    session: Session,
    now: datetime,
    where: BoundFilter,
    *also: Any,
    limit: int,
    rewritten: Rewritten | None = None,
) -> list[AssignmentView]:
    """:func:`filtered_assignments`' rows as views, every page (a list's export), and of ``also``
    (conditions its filter has no field for: a plan's page, its plan by id): by
    :func:`assignments_where`; at a look-back, the rows rewritten since as they stood then, filtered
    as they stood (``rewritten``: :func:`filtered_rewritten`)."""
    conditions = [*also, *where.applied(now)]
    if rewritten is None:
        return assignments_where(session, now, *conditions, limit=limit, held=where.held)
    found = assignments_where(session, now, _selected(conditions, rewritten), limit=limit, held=where.held)
    return [view_then(v, rewritten.then) if v.id in rewritten.listed else v for v in found]


@lru_cache(maxsize=256)
def _filtered_count(shape: tuple[Any, ...], held: bool = False) -> RowCount:
    return _count_of(*conditions_of_shape(shape, held), held=held)


@lru_cache(maxsize=256)
def _filtered_page(shape: tuple[Any, ...], held: bool = False) -> Any:
    return _page_of(*conditions_of_shape(shape, held), held=held)


def _count_of(*conditions: Any, held: bool = False) -> RowCount:
    return RowCount(base_query_at_now(held).where(*conditions))


def _page_of(*conditions: Any, held: bool = False) -> Any:
    statement = base_query_at_now(held).where(*conditions)
    return statement.order_by(*CATALOG_ORDER).limit(LIMIT).offset(OFFSET)


def fellow_assignments(session: Session, now: datetime, assignment_id: int, held: date | None) -> list[AssignmentView]:
    """The other bodies' assignments on the same milestone as ``assignment_id``, partners and
    implementers (what a lead sees: the bodies it coordinates, and is told of when they are late);
    not the holder's own other parts (a successor that took a lead over may hold its old partner part).
    At a look-back before a transfer (queries.held_on), each under the body that held it then, and
    the holder's own parts those of the body that held ``assignment_id`` then (transfer_origins.held_by_sql),
    as the part's page names it (``held``: queries.held_on of ``now``, read by the page once)."""
    found = session.exec(
        select(Assignment.milestone_id, Assignment.agency_id).where(Assignment.id == assignment_id)
    ).first()
    if found is None:
        raise NotFound("assignment", assignment_id)
    milestone_id, agency_id = found
    if held is None:
        others = col(Assignment.agency_id) != agency_id
    else:
        then = holders_on(session, [assignment_id], held).get(assignment_id, agency_id)
        others = held_by_sql(held, lambda body: body != then)
    return assignments_where(
        session,
        now,
        Assignment.milestone_id == milestone_id,
        col(Assignment.role).in_(("partner", "implementer")),
        others,
        held=held is not None,
    )


def agency_by_code(session: Session, code: str) -> Agency:
    agency = session.exec(select(Agency).where(Agency.code == code)).first()
    if agency is None:
        raise NotFound("agency", code)
    return agency


def attachments_of(session: Session, assignment_ids: list[int]) -> dict[int, list[AttachmentView]]:
    """Attachments per assignment, oldest first."""
    found: dict[int, list[AttachmentView]] = {}
    if not assignment_ids:
        return found
    statement = select(Attachment).where(col(Attachment.assignment_id).in_(assignment_ids)).order_by(col(Attachment.id))
    for row in session.exec(statement):
        found.setdefault(row.assignment_id, []).append(AttachmentView.model_validate(row, from_attributes=True))
    return found


def outbox(
    session: Session, *, status: str | None = None, limit: int = 100, offset: int = 0
) -> tuple[dict[str, int], list[NotificationView]]:
    """Counts per delivery status, and one page of the notifications, latest first (optionally of one status)."""
    counts = dict(session.exec(select(Notification.status, func.count()).group_by(col(Notification.status))).all())
    statement = (
        select(Notification)
        .order_by(col(Notification.created_at).desc(), col(Notification.id).desc())
        .limit(limit)
        .offset(offset)
    )
    if status:
        statement = statement.where(Notification.status == status)
    return counts, [NotificationView.model_validate(n, from_attributes=True) for n in session.exec(statement)]


def plans_with_items(session: Session, existed: Any = None) -> list[tuple[Plan, list[PlanItem]]]:
    """Every plan with its items, plans by issue date then number (PLAN_ORDER), items as their text
    has them (ITEM_ORDER) (the secretariat's catalog view); ``existed``: the ids of the plans listed
    (a look-back's, the plans that existed then: engine.reports.history.plans_then)."""
    plans_read, items_read = select(Plan).order_by(*PLAN_ORDER), select(PlanItem).order_by(*ITEM_ORDER)
    if existed is not None:
        plans_read = plans_read.where(col(Plan.id).in_(existed))
        items_read = items_read.where(col(PlanItem.plan_id).in_(existed))
    plans = list(session.exec(plans_read))
    items = list(session.exec(items_read))
    by_plan: dict[int, list[PlanItem]] = {}
    for item in items:
        by_plan.setdefault(item.plan_id, []).append(item)
    return [(plan, by_plan.get(plan.id or 0, [])) for plan in plans]


def histories(session: Session, assignment_ids: list[int]) -> dict[int, list[Event]]:
    """Events per assignment, oldest first, in one query (for item pages)."""
    found: dict[int, list[Event]] = {}
    if assignment_ids:
        statement = (
            select(Event).where(col(Event.assignment_id).in_(assignment_ids)).order_by(col(Event.at), col(Event.id))
        )
        for event in session.exec(statement):
            found.setdefault(event.assignment_id, []).append(event)
    return found
