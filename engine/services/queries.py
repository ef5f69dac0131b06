"""The read side: lists, details and roll-ups in the official categories."""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from functools import cache, cached_property
from typing import TYPE_CHECKING, Any, Literal

from sqlalchemy import Integer, Join, bindparam, case, false, func, join, or_
from sqlalchemy import select as core_select
from sqlalchemy.sql.visitors import replacement_traverse
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import Select

from dondoc.engine.actors import Recipient
from dondoc.engine.clock import DEFAULT_DAYS, ensure_aware, local_date
from dondoc.engine.db import plain
from dondoc.engine.errors import InvalidInput, NotFound
from dondoc.engine.models import (
    ITEM_ORDER,
    PLAN_ORDER,
    Agency,
    AgencyTransfer,
    Assignment,
    Milestone,
    Notification,
    NotificationStatus,
    Plan,
    PlanItem,
    State,
)
from dondoc.engine.models.assignments import unconfirmed
from dondoc.engine.models.plans import LEAD_HEADING, PRIORITY
from dondoc.engine.services.asked_of import waiting_transfer_sql
from dondoc.engine.services.assignments import history
from dondoc.engine.services.explanations import answerable, exchanges
from dondoc.engine.services.inferred_parts import (
    INFERRED_GROUP_NAME,
    guessed_for_predecessor_vi,
    guessed_member,
    told_of_roles,
)
from dondoc.engine.services.transfer_origins import (
    held_by_code_sql,
    held_then,
    holder_of,
    holder_sql,
    holders_on,
    names_then,
    passed_after,
    passed_on_after,
)
from dondoc.engine.status import (
    LATE_WORDS,
    NOW,
    TODAY,
    Category,
    category_at_now,
    category_label,
    category_sql,
    days_late,
    given_after_due,
    given_after_due_sql,
    given_by_sql,
    state_at,
    state_then_sql,
)
from dondoc.engine.views import (
    AssignmentDetail,
    AssignmentView,
    CategoryCounts,
    EventView,
    MailView,
    PassedAfter,
    RequestView,
)

if TYPE_CHECKING:  # a report's past rows (engine.reports imports this module: no import at run time)
    from dondoc.engine.reports.history import Then

GroupBy = Literal["agency", "plan", "item"]
AssignmentQuery = Select[*tuple[Any, ...]]  # what select() builds for columns of several tables

# The columns an assignment's view is made of, in the order :func:`to_view` reads them, labelled
# like AssignmentView's fields; then those the rule book reads from a queue's row, which stands
# for the assignment and its milestone there (engine.services.permissions.allowed_for_many); then
# the category and whether the work is given (``VIEW_WIDTH - 2``, ``VIEW_WIDTH - 1``: both judged at
# the statement's instant, engine.status). A statement's own columns (``add_columns``) come after these.
_VIEW_COLUMNS: tuple[Any, ...] = (
    col(Assignment.id),
    col(Assignment.version),
    col(PlanItem.code).label("item_code"),
    col(PlanItem.title).label("item_title"),
    col(Plan.number).label("plan_number"),
    col(Milestone.seq).label("milestone_seq"),
    col(Milestone.label).label("milestone_label"),
    col(Milestone.phrase).label("deadline_phrase"),
    col(Milestone.kind).label("deadline_kind"),
    col(Milestone.condition),
    col(Agency.code).label("agency_code"),
    col(Agency.name).label("agency_name"),
    col(Assignment.role),
    col(Assignment.state),
    col(Assignment.due_at),
    col(Assignment.original_due_at),
    col(Milestone.start_date),
    col(Assignment.assigned_at),
    col(Assignment.acknowledged_at),
    col(Assignment.reported_at),
    col(Assignment.verified_at),
    PRIORITY,  # the milestone's own flag, else the item's
    col(Assignment.progress),
    col(Assignment.agency_id),
    col(Assignment.closed_at),
    col(Assignment.waiting_condition_since),
    LEAD_HEADING,  # the lead's heading in the text, when not "chủ trì"
    col(Milestone.due_date).label("written_due"),  # the text's own date (a day off may have moved the due day)
    # a recurring report's period whose phrase the catalog wrote from the text's rule, not the text's
    # words ("trước ngày 20/03/2022" of "trước ngày 20 tháng cuối quý"; tasks_catalog.loader: a period
    # dated by the conventions keeps the text's own words)
    (col(Milestone.period_code).is_not(None) & col(Milestone.due_by_convention).is_(false())).label("period_phrase"),
    # the plan's issue day: work of a plan issued after its date is late from it (status.issued_after_due)
    col(Plan.issued).label("plan_issued"),
    # done on a day no text gives, within [done_from, reported_at] (status.done_day_unknown reads it)
    col(Assignment.done_from),
)
VIEW_WIDTH = len(_VIEW_COLUMNS) + 2
# The names of those columns in their order, the category and "given" last: where a writer of many
# rows finds a value by position (a row's attribute costs ~1 µs, its index ~0.04 µs).
VIEW_NAMES: tuple[str, ...] = (*(column.key for column in _VIEW_COLUMNS), "category", "given")
# A row of those columns made in Python, named and read by position as the driver's rows are (a list's
# row as it stood at a look-back's instant: engine.services.board_then.row_then).
ViewRow = namedtuple("ViewRow", VIEW_NAMES)  # type: ignore[misc]


def held_on(session: Session, now: datetime) -> date | None:
    """The day whose holders a list read at ``now`` selects and names its rows by (:func:`held_view_from`,
    :func:`agency_is`): ``now``'s, when a transfer passed work on after it (a look-back before a
    reorganisation: transfer_origins.passed_after, one seek); else None, and the list runs the
    statements it always ran, over the holder now (every list at today's instant)."""
    day = local_date(now)
    return day if passed_after(session, day) else None


def agency_is(code: str, held: date | None = None) -> tuple[Any, ...]:
    """SQL conditions over :func:`base_query`'s joins: the part's body is ``code``. With ``held`` (a day
    of :func:`held_on`, the statement built with ``held``), the body that held it that day
    (transfer_origins.held_by_code_sql, the one rule: two seeks, not every row's holder), as the board
    of that instant counts it; a list filtered by a body (the command line's, the API's) selects so."""
    if held is None:
        return (col(Agency.code) == code,)
    return col(Agency.code) == code, held_by_code_sql(held, code)


def base_query(now: datetime, held: bool = False) -> AssignmentQuery:
    """Assignments joined to milestone, item, plan and agency: the columns of their views
    (:func:`to_view`), with the category at ``now`` and whether the work is given by then. With
    ``held``, the agency is the one that held the work on the bound TODAY (:func:`held_view_from`)."""
    statement = _joined(category_sql(now), given_by_sql(now), held)
    return statement.params(today=local_date(now)) if held else statement


# A page of rows, as bound parameters: a list's statement is then built once, whole.
LIMIT, OFFSET = bindparam("limit", type_=Integer()), bindparam("offset", type_=Integer())


@cache
def base_query_at_now(held: bool = False) -> AssignmentQuery:
    """:func:`base_query` with the category judged at the bound NOW and TODAY (engine.status):
    built once, executed with ``params=at_now(now)``. Nothing is kept between requests. With
    ``held``, the agency is the one that held the work on TODAY (:func:`held_view_from`)."""
    return _joined(category_at_now(), given_by_sql(NOW), held)


def _view_from(outer: bool) -> Join:
    """Assignments joined to their milestone, item, plan and body: each by a NOT NULL foreign key
    (enforced on both databases), so each row has exactly one of each, inner or outer alike."""
    return (
        join(Assignment, Milestone, col(Assignment.milestone_id) == col(Milestone.id), isouter=outer)
        .join(PlanItem, col(Milestone.item_id) == col(PlanItem.id), isouter=outer)
        .join(Plan, col(PlanItem.plan_id) == col(Plan.id), isouter=outer)
        .join(Agency, col(Assignment.agency_id) == col(Agency.id), isouter=outer)
    )


_VIEW_FROM, _VIEW_FROM_OUTER = _view_from(False), _view_from(True)


@cache
def held_view_from() -> Join:
    """:func:`_view_from`'s joins with the agency that held each assignment on the bound TODAY
    (transfer_origins.held_then, the one rule: its agency now unless a transfer took it after that
    day): what a list read at a look-back selects, orders and names by (its ``agency_id`` column
    stays the holder now, whom an action reaches). At today's date no transfer is later: the same
    rows as :func:`_view_from`'s, which a list runs then (web_queries.held_at)."""
    held = held_then(TODAY)
    return (
        join(Assignment, Milestone, col(Assignment.milestone_id) == col(Milestone.id))
        .join(PlanItem, col(Milestone.item_id) == col(PlanItem.id))
        .join(Plan, col(PlanItem.plan_id) == col(Plan.id))
        .outerjoin(held, held.c.assignment_id == col(Assignment.id))
        .join(Agency, holder_of(held) == col(Agency.id))
    )


def _joined(category: Any, given: Any, held: bool = False) -> AssignmentQuery:
    statement: AssignmentQuery = Select(*_VIEW_COLUMNS, category.label("category"), given.label("given"))
    return statement.select_from(held_view_from() if held else _VIEW_FROM)


class RowCount:
    """The number of a statement's rows (one built on :func:`base_query` or :func:`base_query_at_now`,
    its order dropped), counted as each database counts it quickest: on PostgreSQL with the view's
    joins written as outer joins, the same rows (:func:`_view_from`), which its planner drops where
    nothing reads the joined table (an inner join it keeps): on the bench's desk the 16,507 reports
    waiting were counted in 3.6 ms instead of 11.4, the explanations asked in 8.8 instead of 13.8.
    SQLite keeps an unread outer join, and may no longer start from the joined table: the same
    count of one plan's reports took 8.1 ms so, 4.4 ms with the inner joins it keeps. A list's
    rows keep the inner joins on both (the planner walks an item's order by its index and stops at
    the page). Its callers build it once per shape of filter."""

    def __init__(self, statement: Any) -> None:
        self.rows = statement.order_by(None)
        self.inner = select(func.count()).select_from(self.rows.subquery())

    @cached_property
    def outer(self) -> Any:
        def outer(element: Any, **_: Any) -> Any:
            return _VIEW_FROM_OUTER if element is _VIEW_FROM else None

        rows: Any = replacement_traverse(self.rows, {}, outer)
        return select(func.count()).select_from(rows.subquery())

    def statement(self, session: Session) -> Any:
        """The count's statement for the database ``session`` reads."""
        return self.outer if session.connection().dialect.name == "postgresql" else self.inner

    def of(self, session: Session, params: Mapping[str, Any]) -> int:
        """The count, executed with ``params`` (as ``engine.db.plain`` executes it)."""
        return int(plain(session, self.statement(session), params).scalar_one())


def views(
    session: Session,
    statement: Any,
    now: datetime,
    params: Mapping[str, Any] | None = None,
    *,
    as_held: bool = False,
) -> list[AssignmentView]:
    """The rows of ``statement`` (built on :func:`base_query`, judged at ``now``) as views. With
    ``as_held``, each names the body that held it at ``now``: at an instant before a succession took
    effect, the body it passed from, as it was named (transfer_origins.names_then: one statement over
    the transfers done after that day, of no row at today's date). Only for lists that count under
    that body too (the board's and the leaders' overdue lists, beside their per-body counts): a list
    filtered by a body (an agency's page, the desk's filter, the API, the CLI) selects and names by
    the holder then in its statement (:func:`held_on`, :func:`held_view_from`)."""
    found = [to_view(row, now) for row in plain(session, statement, params).all()]
    then = names_then(session, local_date(now)) if found and as_held else {}
    if not then:
        return found
    return [
        v.model_copy(update={"agency_code": then[v.id][0], "agency_name": then[v.id][1]}) if v.id in then else v
        for v in found
    ]


def _filter_status(statement: AssignmentQuery, status: str, now: datetime) -> AssignmentQuery:
    """``status`` is a state (``reported``) or a category (``dang_thuc_hien_qua_han``)."""
    return statement.where(status_condition(status, now))


def status_condition(status: str, now: datetime) -> Any:
    """A state (``reported``) or a category (``dang_thuc_hien_qua_han``) as a SQL condition: each as it
    stood at ``now`` (engine.status.state_at_sql, category_sql), as each row's view says it."""
    if status in {s.value for s in State}:
        return state_then_sql(status, now)
    if status in {c.value for c in Category}:
        return category_sql(now) == status
    raise unknown_status(status)


def unknown_status(status: str) -> InvalidInput:
    """The error for a status filter that is neither a state nor a category, naming both lists."""
    known = ", ".join([s.value for s in State] + [c.value for c in Category])
    return InvalidInput(f'Không có trạng thái "{status}"; dùng một trạng thái hoặc một nhóm: {known}')


def check_filters(
    session: Session, *, agency: str | None = None, plan: str | None = None, status: str | None = None
) -> None:
    """Refuse a filter word that names nothing (InvalidInput naming it): the command line and
    the API list the same way, so an unknown agency is an error, not an empty list."""
    if agency and session.exec(select(Agency.id).where(Agency.code == agency)).first() is None:
        raise InvalidInput(f'Không có cơ quan "{agency}"')
    if plan and session.exec(select(Plan.id).where(Plan.number == plan)).first() is None:
        raise InvalidInput(f'Không có kế hoạch "{plan}"')
    if status and status not in {s.value for s in State} | {c.value for c in Category}:
        raise unknown_status(status)


# An item's assignments in catalog order: by milestone, body, then role and id (a successor may hold a
# lead and a partner part of one milestone, the 2025 mergers; rows that tie come back in no stated
# order, so a page of 100 could repeat or drop one). After ITEM_ORDER, here and on the desk's list.
WITHIN_ITEM_ORDER = (col(Milestone.seq), col(Agency.code), col(Assignment.role), col(Assignment.id))
# The command line's list: plan by plan (PLAN_ORDER), then each plan's items as the catalog has them.
LIST_ORDER = (*PLAN_ORDER, *ITEM_ORDER, *WITHIN_ITEM_ORDER)
# The pages' lists and the API's (web_queries.assignments_where): ITEM_ORDER alone (the latest plan
# first, each plan's items as its text has them: one column), not PLAN_ORDER's columns first: a page of
# 100 walks the items in that order (ix_plan_item_position) and stops; ordered by the plan's issue date
# first it sorts every matching row. At 100k assignments, the desk's list unfiltered or searched: SQLite
# ~1 ms -> 70-90 ms (an index on plan (issued, number): still 15-65 ms), PostgreSQL 2-3 ms -> 110-130 ms.
CATALOG_ORDER = (*ITEM_ORDER, *WITHIN_ITEM_ORDER)


def list_assignments(
    session: Session,
    now: datetime,
    *,
    agency: str | None = None,
    plan: str | None = None,
    status: str | None = None,
    limit: int | None = None,
    then: Then | None = None,
    order: Sequence[Any] = LIST_ORDER,
) -> list[AssignmentView]:
    """Assignments plan by plan (by issue date, then number: PLAN_ORDER), then in item, milestone
    and agency order (``order``; the API's: CATALOG_ORDER), filtered as asked. ``then``: at a
    look-back (engine.services.board_then), the rows written since left out and those rewritten since
    listed, and filtered, as they stood then (board_then.view_then), as the desk's list does; before a
    transfer, each under the body that held it then, selected by it (:func:`held_on`), as ``dondoc
    status --by agency`` counts it."""
    check_filters(session, agency=agency, plan=plan, status=status)
    held = held_on(session, now)
    statement = base_query(now, held is not None)
    if agency:
        statement = statement.where(*agency_is(agency, held))
    if plan:
        statement = statement.where(Plan.number == plan)
    # a state is the one the row was in at ``now`` (engine.status.state_at_sql), a category the one
    # it was of then: in SQL, the rows a look-back replays from their history apart (filtered below)
    condition = status_condition(status, now) if status else None
    if then:
        statement = statement.where(col(Assignment.id).not_in(list(then.unborn)))
        if condition is not None:  # the rewritten rows are filtered by what they were then, below
            condition = or_(col(Assignment.id).in_(list(then.static)), condition)
    if condition is not None:
        statement = statement.where(condition)
    statement = statement.order_by(*order)
    if not then:
        return views(session, statement.limit(limit), now)
    from dondoc.engine.services.board_then import view_then  # it reads this module's views

    found = [view_then(v, then) if then else v for v in views(session, statement, now)]
    if status:
        found = [v for v in found if status in (v.state, v.category)]
    return found[:limit]


def get_assignment(session: Session, assignment_id: int, now: datetime) -> AssignmentDetail:
    """One part as its page, the API's show and ``dondoc assignments show`` say it at ``now``. At a
    look-back before a transfer (:func:`held_on`), named by the body that held it then, as the lists
    of that instant name it (:func:`held_view_from`), with who holds it since (``passed_after``); at
    today's instant, after one probe, the statement it always ran."""
    return assignment_held(session, assignment_id, now, held_on(session, now))


def assignment_held(session: Session, assignment_id: int, now: datetime, held: date | None) -> AssignmentDetail:
    """:func:`get_assignment` with its day of :func:`held_on` read already (``held``): a page that says
    more of the part at that day (web.pages.assignment_context) probes once."""
    statement = base_query(now, held is not None).add_columns(
        col(PlanItem.content),
        col(PlanItem.source),
        col(Assignment.inferred_group),
        col(Assignment.membership_confirmed_at),
        INFERRED_GROUP_NAME,
    )
    found = plain(session, statement.where(col(Assignment.id) == assignment_id)).all()
    if not found:
        raise NotFound("assignment", assignment_id)
    view = to_view(found[0], now)
    content, source, group, confirmed_at, group_name = found[0][VIEW_WIDTH:]
    # at a look-back (``now`` before what the history holds), what had happened by then: a row an event
    # rewrote since as it stood (board_then), the events and the mails up to ``now``; the command line
    # and the part's page had listed at 01/03/2022 a same-work follow of 10/03 and said "Đã xác nhận"
    written = history(session, assignment_id)
    events = [e for e in written if ensure_aware(e.at) <= now]
    said = mails_about(session, assignment_id, held)
    mails = [_mail_then(m, now) for m in said if ensure_aware(m.decided_at) <= now]
    mails = _doubted(session, assignment_id, mails, now)
    passed = passed_on_after(session, assignment_id, held) if held is not None else None
    if len(events) < len(written):
        from dondoc.engine.services.board_then import board_then, view_then  # it reads this module's views

        view = view_then(view, board_then(session, now))
    guessed = (group_name or group) if unconfirmed(group, confirmed_at) else None
    member = guessed_member(session, assignment_id) if guessed else None
    return AssignmentDetail(
        **view.model_dump(),
        content=content,
        source=source,
        unconfirmed_group=guessed,
        guessed_member=member.name if member else None,
        guessed_before=guessed_for_predecessor_vi(guessed, member, view.agency_name) if guessed and member else None,
        history=[EventView.model_validate(e, from_attributes=True) for e in events],
        requests=[
            RequestView.model_validate(x, from_attributes=True).model_copy(
                update={"answerable": answerable(x.kind, view.state)}
            )
            for x in exchanges(events)
        ],
        mails=mails,
        passed_after=PassedAfter(on=passed[0], to_name=passed[1], holder_name=passed[2]) if passed else None,
    )


def _doubted(session: Session, assignment_id: int, mails: list[MailView], now: datetime) -> list[MailView]:
    """``mails`` with what the history recorded since that puts a leader's escalation in doubt, said
    beside it (engine.escalation.doubt, judged at ``now``)."""
    from dondoc.engine.escalation.doubt import doubt_words, doubts, told_leaders  # it reads engine.reports

    found = doubts(session, told_leaders(session, assignment_ids=[assignment_id]), now)
    if not found:
        return mails
    return [
        m.model_copy(update={"doubt": " ".join(doubt_words(d) for d in found[m.id])}) if m.id in found else m
        for m in mails
    ]


def _mail_then(mail: MailView, now: datetime) -> MailView:
    """A mail decided by ``now`` as it stood then: one sent (or told in a digest sent) after it was
    still waiting to be sent."""
    if mail.sent_at is None or ensure_aware(mail.sent_at) <= now:
        return mail
    return mail.model_copy(update={"status": "pending", "sent_at": None, "carried_by_id": None, "delivered": False})


def mails_about(session: Session, assignment_id: int, held: date | None = None) -> list[MailView]:
    """The mails sent or queued about one assignment, oldest decision first: its own, and the
    mails to a body listing it among others (the new-assignment notice of a plan, the work a
    successor inherits: ``data["assignment_ids"]``, no ``assignment_id``), or a page that listed
    none said "Chưa có thư nào" of a part its body had been mailed. ``held``: the part read as it
    was on that day (:func:`held_on`), whose body then is the one its mails of then went to."""
    holders = [
        code
        for (code,) in session.execute(
            core_select(col(Agency.code)).where(
                (
                    col(Agency.id)
                    == core_select(col(Assignment.agency_id))
                    .where(col(Assignment.id) == assignment_id)
                    .scalar_subquery()
                )
                | col(Agency.id).in_(
                    core_select(col(AgencyTransfer.from_agency_id)).where(
                        col(AgencyTransfer.assignment_id) == assignment_id
                    )
                )
            )
        )
    ]
    listing = col(Notification.assignment_id).is_(None) & col(Notification.data)["recipient_agency"].as_string().in_(
        holders
    )
    rows = [
        n
        for n in session.exec(
            select(Notification)
            .where((col(Notification.assignment_id) == assignment_id) | listing)
            .order_by(col(Notification.created_at), col(Notification.id))
        )
        if n.assignment_id == assignment_id or assignment_id in (n.data.get("assignment_ids") or [])
    ]
    held_by = _held_when_decided(session, assignment_id, rows, held)
    return [
        MailView(
            id=n.id or 0,
            kind=n.kind,
            recipient_role=n.recipient_role,
            recipient_email=n.recipient_email,
            decided_at=n.created_at,
            status=str(n.status),
            sent_at=n.sent_at,
            carried_by_id=n.carried_by_id,
            delivered=n.status == NotificationStatus.SENT or n.carried_by_id is not None,
            held_by=held_by.get(n.id or 0),
        )
        for n in rows
    ]


def _held_when_decided(
    session: Session, assignment_id: int, mails: Sequence[Notification], held: date | None = None
) -> dict[int, str]:
    """mail id -> the name of the body that held ``assignment_id`` on the day the mail to its body
    (``Recipient.AGENCY``) was decided, for those a later transfer took the part from (the one rule:
    transfer_origins.held_then). The successor's page listed its predecessor's mails as sent to "cơ
    quan được giao", which it read as itself. ``held`` (a look-back's day, :func:`held_on`): not of
    the mails to the body that held it that day, which the page names as "cơ quan được giao"."""
    to_holder = [n for n in mails if n.recipient_role == Recipient.AGENCY.value]
    moved = session.execute(
        core_select(col(AgencyTransfer.id)).where(col(AgencyTransfer.assignment_id) == assignment_id).limit(1)
    ).first()
    if not to_holder or moved is None:
        return {}
    days = {local_date(n.created_at) for n in to_holder}
    then = {day: holders_on(session, [assignment_id], day).get(assignment_id) for day in days}
    if held is not None:  # the page's body: the holder that day (none taken from it after: the holder now)
        page = holders_on(session, [assignment_id], held).get(assignment_id)
        then = {day: None if body == page else body for day, body in then.items()}
    bodies = sorted({i for i in then.values() if i is not None})
    statement = core_select(col(Agency.id), col(Agency.name)).where(col(Agency.id).in_(bodies))
    names = {int(agency_id): str(name) for agency_id, name in session.execute(statement)}
    return {n.id or 0: names[holder] for n in to_holder if (holder := then[local_date(n.created_at)]) is not None}


def to_view(row: Sequence[Any], now: datetime) -> AssignmentView:
    """One row of :func:`base_query` (or of a statement built on it) as what may be shown: its
    first ``VIEW_WIDTH`` columns, by position. The category is the row's: the SQL's rule, judged
    at ``now`` (engine.status: a test holds it to :func:`category` row by row)."""
    (
        id_,
        version,
        item_code,
        item_title,
        plan_number,
        milestone_seq,
        milestone_label,
        deadline_phrase,
        deadline_kind,
        condition,
        agency_code,
        agency_name,
        role,
        state,
        due_at,
        original_due_at,
        start_date,
        assigned_at,
        acknowledged_at,
        reported_at,
        verified_at,
        priority,
        progress,
        _,
        _,
        _,
        lead_heading,
        written_due,
        period_phrase,
        plan_issued,
        done_from,
        judged,
        given,
    ) = row[:VIEW_WIDTH]
    return AssignmentView.model_validate(
        {
            "id": id_,
            "version": version,
            "item_code": item_code,
            "item_title": item_title,
            "plan_number": plan_number,
            "milestone_seq": milestone_seq,
            "milestone_label": milestone_label,
            "deadline_phrase": deadline_phrase,
            "deadline_kind": deadline_kind,
            "condition": condition,
            "agency_code": agency_code,
            "agency_name": agency_name,
            "role": role,
            # as it stood at ``now`` (a look-back: a report or a verification written since is not yet)
            "state": state_at(state, judged, acknowledged_at, reported_at, verified_at, now),
            "category": judged,
            "category_label": category_label(judged, due_at, reported_at, done_from),
            "due_at": due_at,
            "original_due_at": original_due_at,
            "start_date": start_date,
            "assigned_at": assigned_at,
            "acknowledged_at": acknowledged_at,
            "reported_at": reported_at,
            "verified_at": verified_at,
            # said of late work only (engine.status.LATE_WORDS): a 2019 report taken in as done at
            # the tracking start is not "738 working days late"
            "days_late": days_late(due_at, reported_at, now) if judged in LATE_WORDS else 0,
            # late work given after its date: the days since given (to its report, done late), said
            # first (status.lateness)
            "days_since_given": days_late(assigned_at, reported_at if judged == Category.DONE_LATE.value else None, now)
            if judged in LATE_WORDS and given_after_due(due_at, assigned_at, DEFAULT_DAYS.tz)
            else None,
            "priority": priority,
            "progress": progress,
            "lead_heading": lead_heading,
            "written_due": written_due,
            "period_phrase": bool(period_phrase),
            "plan_issued": plan_issued,
            "done_from": done_from,
            "given": bool(given),
            # its giving day has come, and it is not given: never given to the body that ended, it
            # waits for the secretariat (engine.status.held_back_sql)
            "held_back": not given and assigned_at <= now,
        }
    )


def category_counts(
    session: Session,
    now: datetime,
    *,
    by: GroupBy | None = None,
    holders_on: date | None = None,
    issued_by: date | None = None,
    roles: tuple[str, ...] | None = None,
    given_only: bool = False,
    given_late_only: bool = False,
    then: Then | None = None,
) -> list[CategoryCounts]:
    """Counts per category: one total row, or one row per agency, plan or item. By agency, each
    assignment under the agency that held it on ``holders_on`` (a past period's report: its day),
    else on ``now``'s day, as the board's rows at that instant count it (transfer_origins.held_then):
    ``dondoc status --by agency --now`` a day before a succession had counted its work under the
    body of today, where the board and the report of that day named the body that held it then.
    ``issued_by``: only the plans issued by that day (a past period's report lists no later plan).
    ``roles``: only the assignments of those roles (what the leaders are told of). ``given_only``:
    only the work given by ``now`` (a later period's report, handed out on its period's first day,
    is nobody's yet: a report of the third quarter counted 429 of them as given). ``given_late_only``:
    only the work given after its own date (engine.status.given_after_due: late from the day it was
    given, whoever holds it). ``then``: the rows changed since ``now`` (a past period's close), each
    counted as its history says it stood then (engine.reports.history), not as its row says."""
    cat = category_sql(now).label("category")
    if by == "agency" and holders_on is None:
        holders_on = local_date(now)  # the board's TODAY (engine.status.at_now)
    key_columns: dict[str, tuple[Any, Any]] = {
        "agency": (Agency.code, Agency.short),
        "plan": (Plan.number, Plan.title),
        "item": (PlanItem.code, PlanItem.title),
    }
    # plans' rows as plans are listed (PLAN_ORDER: 1834/UBND-KGVX of April before 117/KH-UBND of July,
    # which their numbers as text put after it): the issue date read along, one per plan
    ordered = PLAN_ORDER[:1] if by == "plan" else ()
    columns = [*key_columns[by], *ordered] if by else []

    def chosen(statement: Any) -> Any:
        statement = (
            statement.select_from(Assignment)
            .join(Milestone, col(Assignment.milestone_id) == col(Milestone.id))
            .join(PlanItem, col(Milestone.item_id) == col(PlanItem.id))
            .join(Plan, col(PlanItem.plan_id) == col(Plan.id))
            .join(Agency, (holder_sql(holders_on) if holders_on else col(Assignment.agency_id)) == col(Agency.id))
        )
        if issued_by is not None:
            statement = statement.where(col(Plan.issued) <= issued_by)
        if roles is not None:  # what the leaders are told of (a part given on a guess is not), and not
            # waiting in "Cần phân công lại" then (no body is late with it: overdue_lists.waiting_count)
            statement = statement.where(told_of_roles(roles), ~waiting_transfer_sql(col(Assignment.id), now))
        if given_only:
            statement = statement.where(given_by_sql(now))
        return statement

    not_yet_given = func.sum(case((~given_by_sql(now), 1), else_=0))
    counted: Select[*tuple[Any, ...]] = Select(*columns, cat, func.count(), not_yet_given)  # what select() builds
    statement = chosen(counted).group_by(*columns, cat)
    if given_late_only:
        statement = statement.where(given_after_due_sql())
    if then:
        statement = statement.where(~col(Assignment.id).in_(then.ids))
    grouped: dict[tuple[str | None, str | None], dict[str, int]] = {}
    rank: dict[tuple[str | None, str | None], tuple[Any, ...]] = {}  # the group's place: its ordered columns
    not_given: dict[tuple[str | None, str | None], int] = {}  # of "chưa đến hạn", not yet given at ``now``
    for row in session.exec(statement):
        key, label = (row[0], row[1]) if by else (None, None)
        grouped.setdefault((key, label), {c.value: 0 for c in Category})[row[-3]] = row[-2]
        if row[-3] == Category.NOT_YET_DUE.value:  # work cancelled before its giving day is cancelled
            not_given[(key, label)] = not_given.get((key, label), 0) + (row[-1] or 0)
        rank[(key, label)] = tuple(row[2 : 2 + len(ordered)])
    if then:
        apart = chosen(Select(*columns, col(Assignment.id), col(Assignment.assigned_at), given_by_sql(now)))
        for row in session.exec(apart.where(col(Assignment.id).in_(then.ids))):
            assignment_id, assigned_at, given = row[-3], row[-2], row[-1]
            if assignment_id in then.unborn:  # written after ``now``: it did not exist then
                continue
            if given_late_only and not given_after_due(then.facts(assignment_id).due_at, assigned_at, then.tz):
                continue
            key, label = (row[0], row[1]) if by else (None, None)
            rank[(key, label)] = tuple(row[2 : 2 + len(ordered)])
            counts = grouped.setdefault((key, label), {c.value: 0 for c in Category})
            judged = then.category(assignment_id)
            counts[judged.value] += 1
            if judged is Category.NOT_YET_DUE:
                not_given[(key, label)] = not_given.get((key, label), 0) + (0 if given else 1)
    if not by and not grouped:
        grouped[(None, None)] = {c.value: 0 for c in Category}
    return [
        CategoryCounts(
            key=key, label=label, counts=counts, total=sum(counts.values()), not_given=not_given.get((key, label), 0)
        )
        for (key, label), counts in sorted(grouped.items(), key=lambda kv: (rank.get(kv[0], ()), kv[0][0] or ""))
    ]
