"""The secretariat's queues: what waits for someone at the desk, oldest first, with the working
days it has waited (engine.escalation.facts counts them).

One registry, ``QUEUES``: the board's header counts each queue and ``/board/{slug}`` lists it,
both through the same statement, so a count always equals its page's rows. A later queue (the
extension requests, an agency reorganisation) is one more ``Queue`` appended to the list.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from functools import cache, cached_property, lru_cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy import and_
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from dondoc.engine.actors import AGENCY_RECIPIENTS, RECIPIENT_LABELS_VI, Actor
from dondoc.engine.as_written import NOBODY_WORDS, names_nobody, quoted
from dondoc.engine.clock import LocalDays
from dondoc.engine.db import named, plain
from dondoc.engine.errors import NotFound
from dondoc.engine.escalation.facts import working_days_waiting
from dondoc.engine.escalation.lead_done import LEADS_DONE, is_lead, unwaited_words
from dondoc.engine.mail_labels import mail_kind_label
from dondoc.engine.models import (
    Agency,
    Assignment,
    Event,
    Installation,
    Milestone,
    Notification,
    Plan,
    PlanItem,
    State,
)
from dondoc.engine.models.assignments import ROLE_LABELS_VI, Role, open_partner_sql
from dondoc.engine.models.notifications import NotificationStatus
from dondoc.engine.models.successions import AgencyTransfer, TransferStatus
from dondoc.engine.services.asked_of import asked_of_sql, waiting_transfer_sql
from dondoc.engine.services.assignment_filter import FIELDS, AssignmentFilter, BoundFilter, conditions_of_shape
from dondoc.engine.services.explanations import handed_on_words, open_request_condition, with_open_request
from dondoc.engine.services.history_order import NOW_TOLERANCE
from dondoc.engine.services.inferred_parts import (
    INFERRED_GROUP_NAME,
    PREDECESSOR_COLUMNS,
    awaiting_confirmation,
    guessed_for_predecessor_vi,
    predecessor,
)
from dondoc.engine.services.naming import unnamed_condition
from dondoc.engine.services.permissions import ACTOR_WORDS_VI
from dondoc.engine.services.queries import LIMIT, OFFSET, VIEW_WIDTH, RowCount, base_query_at_now, to_view
from dondoc.engine.status import NOW, at_now, before_tracking_sql, given_by_sql
from dondoc.engine.vi_format import vn_date
from dondoc.engine.views import AssignmentView
from dondoc.engine.workcalendar import WorkCalendar
from dondoc.engine.workflow import CONDITION_REFUSALS_VI, TRANSITIONS, Action, Condition


@dataclass(frozen=True)
class QueueRow:
    """One line of a queue: what it is about, since when it waits, and for how many working days."""

    kind: str  # "assignment", "item" or "notification": what the line links to
    id: int
    code: str
    title: str
    agency: str
    plan: str
    since: date
    days_waiting: int
    detail: str = ""
    view: AssignmentView | None = None  # an assignment's line: its row as the lists show it
    milestone: str | None = None  # the milestone's label: one body's two milestones of an item are two lines


@dataclass(frozen=True)
class Queue:
    """A queue of the desk: its URL slug, Vietnamese title, and one statement for count and rows.

    ``build`` makes the statement, rows oldest first, with the instant it judges at left as the
    bound NOW and TODAY (engine.status.at_now gives their values with each execution): it is
    built once per queue, and a request adds only the conditions its filter asks for. Nothing
    read is kept: every count and row is read from the database when it is asked for."""

    slug: str
    title: str
    since_label: str  # the column heading of the day it waits from
    build: Callable[[], Any]  # the statement of the rows, oldest first (see above)
    row: Callable[[Any, datetime, Callable[[date], int], LocalDays], QueueRow]  # waited(day): working days
    bulk: bool = False  # assignment rows: the list offers the bulk actions
    fields: tuple[str, ...] = ("q", "plan", "agency", "group", "role", "category", "due_from", "due_to", "priority")
    own_page: bool = False  # True: a router of its own serves /board/{slug} (a form per row); counted all the same
    items: bool = False  # its rows are plan items: filtered by the conditions on items alone
    entities: bool = False  # its statement reads entities (the failed mails): through the ORM, not plain columns
    mails: bool = False  # its rows are mails: the page offers to send them again or mark them dealt with
    who_label: str = "Cơ quan"  # the column heading of whom a line is about (a mail: whom it was sent to)
    # assignment rows: its page lists the tracked work and offers the pre-tracking backlog apart
    # (engine.status.before_tracking_sql, never chased), as the board keeps that backlog apart
    apart: bool = False
    # what its rows are, in a sentence read away from the board (the secretariat's digest tells
    # every queue's count: notifications.desk_queues); its title when that says it already
    said: str = ""
    # its rows read as its own page reads them, for its exports (``rows``): a page of its own that says
    # more of a line than ``row`` can from the statement's columns (the extension requests)
    lines: Callable[..., list[QueueRow]] | None = None

    @property
    def told(self) -> str:
        """Its rows in words, for a reader who is not looking at the board."""
        return self.said or self.title

    @property
    def ticks(self) -> bool:
        """Whether its rows have a checkbox: for the bulk actions, or for the mails' two answers."""
        return self.bulk or self.mails

    def narrowed(self, where: AssignmentFilter) -> AssignmentFilter:
        """``where`` with only the fields this queue's rows can be filtered by."""
        return replace(where, **{name: "" for name in FIELDS if name not in self.fields})

    @cached_property
    def every(self) -> Any:
        """The unfiltered statement, built once."""
        return self.build()

    def _bound(self, session: Session, local: LocalDays, where: AssignmentFilter) -> BoundFilter:
        narrowed = self.narrowed(where)
        return narrowed.bound_items(session) if self.items else narrowed.bound(session, local)

    def fetch(
        self,
        session: Session,
        now: datetime,
        local: LocalDays,
        where: AssignmentFilter,
        limit: int | None = None,
        offset: int = 0,
        backlog: bool | None = None,
    ) -> Sequence[Any]:
        """The rows ``where`` selects, oldest first, as the statement returns them: every one, or
        with ``limit`` the page of that many from ``offset`` (a page of its own reads them here).
        ``backlog`` (a queue that keeps it ``apart``): False, the tracked work alone; True, the
        pre-tracking backlog alone; None, both."""
        bound = self._bound(session, local, where)
        every, _, page = _shaped(self, bound.shape, self._part(backlog))
        values = at_now(now) | bound.values
        statement = every if limit is None else page
        if limit is not None:
            values |= {"limit": limit, "offset": offset}
        # plain columns (an assignment's or an item's line) skip the ORM's result machinery; entities need it
        if self.entities:
            found: Sequence[Any] = session.exec(statement, params=values).all()
            return found
        return named(plain(session, statement, values))

    def count(
        self, session: Session, now: datetime, local: LocalDays, where: AssignmentFilter, backlog: bool | None = None
    ) -> int:
        """How many rows ``where`` selects (of the part ``backlog`` names, as :meth:`fetch`)."""
        bound = self._bound(session, local, where)
        count: RowCount = _shaped(self, bound.shape, self._part(backlog))[1]
        return count.of(session, at_now(now) | bound.values)

    def _part(self, backlog: bool | None) -> bool | None:
        if backlog is not None and not self.apart:
            raise ValueError(f"the queue {self.slug} keeps no backlog apart")
        return backlog

    def rows(
        self,
        session: Session,
        now: datetime,
        calendar: WorkCalendar,
        local: LocalDays,
        where: AssignmentFilter,
        limit: int = 100,
        offset: int = 0,
        backlog: bool | None = None,
    ) -> list[QueueRow]:
        if self.lines is not None:
            return self.lines(session, now, calendar, local, where, limit, offset)
        today = local.local_date(now)
        found = self.fetch(session, now, local, where, limit, offset, backlog)

        @cache
        def waited(since: date) -> int:  # rows share their days: count each day once
            return working_days_waiting(since, today, calendar)

        return [self.row(r, now, waited, local) for r in found]


@lru_cache(maxsize=256)
def _shaped(queue: Queue, shape: tuple[Any, ...], backlog: bool | None = None) -> tuple[Any, Any, Any]:
    """A queue's statements for a filter of ``shape`` (and of one part, ``backlog``: Queue.fetch):
    its rows, their count, a page of them (bound LIMIT and OFFSET). Built once per shape; the
    values come with each execution."""
    conditions = list(conditions_of_shape(shape))
    if backlog is not None:  # the one test of the backlog (engine.status), or its negation (never NULL)
        conditions.append(before_tracking_sql() if backlog else ~before_tracking_sql())
    rows = queue.every.where(*conditions) if conditions else queue.every
    return rows, RowCount(rows), rows.limit(LIMIT).offset(OFFSET)


def _assignment_row(
    row: Any,
    now: datetime,
    waited: Callable[[date], int],
    local: LocalDays,
    detail: Callable[[str], str] | None = None,
    waits_from: date | None = None,
) -> QueueRow:
    """A line of an assignment queue: base_query_at_now's row, then the day it waits from, then
    (if the queue reads one) the words of the request; ``detail`` rewrites those words, and the line
    waits from ``waits_from`` if later than its own day (the queues' lines built in one step: a
    dataclasses.replace of each was a tenth of a 100-line page's time)."""
    view = to_view(row, now)
    since = local.local_date(row[VIEW_WIDTH])
    words = row[VIEW_WIDTH + 1] if len(row) > VIEW_WIDTH + 1 else ""
    return QueueRow(
        "assignment",
        view.id or 0,
        view.item_code,
        view.item_title,
        view.agency_name,
        view.plan_number,
        since,
        waited(since if waits_from is None else max(since, waits_from)),
        detail(words or "") if detail is not None else words or "",
        view,
        view.milestone_label,
    )


def _explanation_row(row: Any, now: datetime, waited: Callable[[date], int], local: LocalDays) -> QueueRow:
    """A line of "Chờ giải trình": who asked, and the words ("Trưởng Ban Chỉ đạo: «…»"), so the
    secretariat sees whose request is waiting (the chair's, the vice-chair's or its own); asked of
    a body that has since handed the part on, of whom (engine.services.asked_of): the line stands
    under the body that holds the part now, which answers it."""
    actor = Actor.parse(str(row[VIEW_WIDTH + 2]))
    before, waiting = row[VIEW_WIDTH + 4], row[VIEW_WIDTH + 5]
    of = f" (gửi {handed_on_words(before)})" if before else ""
    # its body ended and nobody holds it yet: the body the secretariat names answers it
    nobody = f" ({CONDITION_REFUSALS_VI[Condition.NOT_WAITING_TRANSFER]})" if waiting else ""
    return _assignment_row(
        row, now, waited, local, lambda words: f"{ACTOR_WORDS_VI[actor.kind]}{of}: «{words}»{nobody}"
    )


def _to_verify() -> Any:
    """Reports waiting for the secretariat's verification, the oldest report first."""
    return (
        base_query_at_now()
        .add_columns(col(Assignment.reported_at))
        .where(col(Assignment.state) == State.REPORTED.value)
        .order_by(col(Assignment.reported_at), col(Assignment.id))
    )


def _open_requests(asked: Action, answered_by: Action, *, asked_of: bool = False) -> Callable[..., Any]:
    """The statement of a queue of requests between people: assignments with an open request of
    kind ``asked`` (engine.services.explanations defines it, for the rule book too) in a state the
    rule book lets ``answered_by`` answer it in (engine.workflow.TRANSITIONS: an explanation is
    owed on reported work too, an extension decided on open work only), the longest waiting first.
    Its columns after the assignment's: when it was asked, the words, who asked, the event's data;
    ``asked_of``: then the body it was asked of, if a transfer has since passed the part on, and
    whether the part waits in "Cần phân công lại" (nobody holds it to answer)."""
    answerable = sorted(state.value for state in TRANSITIONS[answered_by].sources)

    def statement() -> Any:
        request = aliased(Event)
        of = (asked_of_sql(request, Assignment.id), waiting_transfer_sql(Assignment.id)) if asked_of else ()
        return (
            base_query_at_now()
            .add_columns(col(request.at), col(request.comment), col(request.actor), col(request.data), *of)
            .join(request, col(request.assignment_id) == col(Assignment.id))
            .where(
                with_open_request(Assignment.id, asked),
                open_request_condition(request, asked),
                col(Assignment.state).in_(answerable),
            )
            .order_by(col(request.at), col(Assignment.id))
        )

    return statement


_explanations = _open_requests(Action.REQUEST_EXPLANATION, Action.EXPLAIN, asked_of=True)
_extension_requests = _open_requests(Action.REQUEST_EXTENSION, Action.EXTEND)


def _extension_lines(*args: Any) -> list[QueueRow]:
    """The lines of "Đề nghị gia hạn" as its page reads them (engine.services.extension_queue, which
    reads this registry): its exports had read the statement's columns apart from the page, and
    printed a request a body sent before a succession under its successor's name, as though that
    body had asked, and said nothing of a body that has ended or of a day asked for that has passed."""
    from dondoc.engine.services.extension_queue import queue_lines  # it imports this module

    return queue_lines(*args)


def _failed_mails() -> Any:
    """Mails that could not be delivered, the oldest first. A filter reaches a mail through its
    assignment, or, for a mail to an agency about none (the new-work notice that lists several),
    through the agency it was addressed to (its mailbox): filtered by that agency, it was left out.
    Its columns: the mail, the item's code, the plan, the agency whose work it is about, the
    milestone, and the agency whose mailbox it went to (a mail to a seat, the secretariat or a
    leader, has none: an extension request about a body's work is not that body's mail)."""
    mailbox = aliased(Agency)

    def of_mailbox(column: Any) -> Any:  # a mailbox two bodies share: one
        found = sa.select(column).where(col(mailbox.email) == col(Notification.recipient_email))
        return found.order_by(col(mailbox.id)).limit(1).scalar_subquery()

    to_agency = col(Notification.recipient_role).in_([r.value for r in AGENCY_RECIPIENTS])
    about_none = and_(col(Notification.assignment_id).is_(None), to_agency)
    # one id to join on (an OR in the join had the database compare every mail with every agency)
    agency_id = sa.case((about_none, of_mailbox(col(mailbox.id))), else_=col(Assignment.agency_id))
    addressed = sa.case((to_agency, of_mailbox(col(mailbox.short))), else_=None)
    return (
        sa.select(
            Notification, col(PlanItem.code), col(Plan.number), col(Agency.short), col(Milestone.label), addressed
        )
        .outerjoin(Assignment, col(Notification.assignment_id) == col(Assignment.id))
        .outerjoin(Milestone, col(Assignment.milestone_id) == col(Milestone.id))
        .outerjoin(PlanItem, col(Milestone.item_id) == col(PlanItem.id))
        .outerjoin(Plan, col(PlanItem.plan_id) == col(Plan.id))
        .outerjoin(Agency, col(Agency.id) == agency_id)
        .where(col(Notification.status) == NotificationStatus.FAILED.value)
        .order_by(col(Notification.created_at), col(Notification.id))
    )


def _mail_row(row: Any, now: datetime, waited: Callable[[date], int], local: LocalDays) -> QueueRow:
    """The item's code and milestone, else the kind of mail in words ("Bản tổng hợp gửi Lãnh đạo",
    not "digest_leader"); the recipient the mail was addressed to (the agency whose mailbox it is,
    else the seat: "Tổ giúp việc", a leader) and the address; whose work it is about, in the note,
    when that is not the recipient's (a body's extension request went to the secretariat)."""
    mail, code, plan, about, milestone, mailbox = row
    since = local.local_date(mail.created_at)
    addressed = mailbox or RECIPIENT_LABELS_VI.get(mail.recipient_role, mail.recipient_role)
    recipient = f"{addressed} <{mail.recipient_email}>" if mail.recipient_email else unaddressed_words(mail)
    detail = mail.last_error or ""
    if about and about != mailbox:
        detail = f"Phần việc của {about}." + (f" Lỗi: {detail}" if detail else "")
    return QueueRow(
        "notification",
        mail.id or 0,
        code or mail_kind_label(mail.kind),
        mail.subject or mail_kind_label(mail.kind),  # one written failed is rendered when sent again
        recipient,
        plan or "",
        since,
        waited(since),
        detail,
        milestone=milestone,
    )


def unaddressed_words(mail: Any) -> str:
    """Whom a mail written with no address was for (a body with none in the catalog:
    engine.services.request_mails), as the lists of mails say it."""
    name = mail.recipient_name or RECIPIENT_LABELS_VI.get(mail.recipient_role, mail.recipient_role)
    return f"{name} (chưa có địa chỉ thư)"


def _tracking_start() -> Any:
    """The installation's tracking start, a column of a queue's rows: what a line waits from at the
    latest (work given before tracking began has waited since tracking began)."""
    return sa.select(col(Installation.tracking_start)).limit(1).scalar_subquery()


def _unnamed() -> Any:
    """Items whose text names nobody for a role and no body named yet (engine.services.naming
    says which), the oldest plan first: the columns its line shows, not the whole rows (an item's
    content and source are long), and the tracking start (an item waits from its plan's issue, or
    from the day the committee began to track its plans with dondoc, whichever came later)."""
    return (
        sa.select(  # sqlmodel's select types at most four columns
            col(PlanItem.id),
            col(PlanItem.code),
            col(PlanItem.title),
            col(PlanItem.unnamed),
            col(Plan.number),
            col(Plan.issued),
            _tracking_start(),
        )
        .join(Plan, col(PlanItem.plan_id) == col(Plan.id))
        .where(unnamed_condition())
        .order_by(col(Plan.issued), col(PlanItem.id))
    )


def _unnamed_words(role: str, phrase: str) -> str:
    """One unnamed phrase in a line's note: as the text wrote it, or, for a role the text names no
    body for, which role that is (engine.as_written)."""
    if names_nobody(phrase):
        return f"{ROLE_LABELS_VI.get(Role(role), role)}: {NOBODY_WORDS}"
    return quoted(phrase)


def _item_row(row: Any, now: datetime, waited: Callable[[date], int], local: LocalDays) -> QueueRow:
    item_id, code, title, unnamed, plan, issued, started = row
    phrases = "; ".join(_unnamed_words(entry["role"], entry["phrase"]) for entry in unnamed)
    since = max(issued, started) if started is not None else issued  # not 995 working days for a 2019 plan
    return QueueRow("item", item_id, code, title, "", plan, since, waited(since), phrases)


def _unconfirmed() -> Any:
    """Parts whose body is reached only through an inferred group, not confirmed by the secretariat
    (engine.services.inferred_parts), the longest given first: the leaders are not told of them until
    it confirms them ("Xác nhận giao") or cancels them. Its columns after the assignment's: the day
    given, the group's name, the tracking start, the body first given it if a transfer passed it on,
    whether a decision of the secretariat did, and the day that body ended (inferred_parts.Predecessor:
    whether it was ever given the part; columns of this statement, no statement per row)."""
    return (
        base_query_at_now()
        .add_columns(
            col(Assignment.assigned_at),
            INFERRED_GROUP_NAME,
            _tracking_start(),
            *PREDECESSOR_COLUMNS,
        )
        .where(awaiting_confirmation())
        .order_by(col(Assignment.assigned_at), col(Assignment.id))
    )


def _unconfirmed_row(row: Any, now: datetime, waited: Callable[[date], int], local: LocalDays) -> QueueRow:
    """A line of "Chờ xác nhận giao": the group the body was reached through, in words. It shows the
    day the part was given, and waits from that day or from the tracking start, whichever came later,
    as "Cần phân công" does: a part given on 10/03/2022 had waited 1186 working days on an
    installation that began tracking in November 2026."""
    started = row[VIEW_WIDTH + 2]
    # the page showed "Giao ngày 10/03/2022 | 95" of 95 days counted from 01/06: said which day
    later = started if started is not None and started > local.local_date(row[VIEW_WIDTH]) else None

    # given so to a body that has since ended: the guess was about it, not about its successor, the
    # holder (the line had read "Thuộc nhóm «…»" of a body that took the part over by a merger)
    member = predecessor(row[VIEW_WIDTH + 3], row[VIEW_WIDTH + 4], row[VIEW_WIDTH + 5], row[VIEW_WIDTH], local)

    def through_group(name: str, holder: str = "") -> str:
        said = (
            guessed_for_predecessor_vi(name, member, holder)
            if member and holder
            else f"Thuộc nhóm «{name}» theo danh sách suy đoán"
        )
        return f"{said}; số ngày chờ tính từ ngày bắt đầu theo dõi {vn_date(later)}" if later else said

    line = _assignment_row(row, now, waited, local, through_group, waits_from=started)
    if member and line.view is not None:  # the holder's name is the view's (a few lines: replaced)
        line = replace(line, detail=through_group(row[VIEW_WIDTH + 1] or "", line.view.agency_name))
    # work done or sent in waits to be confirmed too (the rates count it apart until then), but is no
    # open work: the 2022 replay's queue listed 33 verified parts of its 95 as any other line
    done = _DONE_WORDS.get(line.view.state) if line.view is not None else None
    return replace(line, detail=f"{line.detail}; {done}") if done else line


_DONE_WORDS = {
    State.REPORTED.value: "cơ quan đã báo cáo kết quả, chờ Tổ giúp việc xác nhận",
    State.VERIFIED.value: "phần việc đã hoàn thành (Tổ giúp việc đã xác nhận kết quả)",
}


EXPLANATION_QUEUE = "cho-giai-trinh"


def _leads(column: Any) -> Any:
    """The latest ``column`` (a column of Assignment) of the leads' parts of the row's milestone."""
    lead = aliased(Assignment)
    return (
        sa.select(sa.func.max(column(lead)))
        .where(col(lead.milestone_id) == col(Assignment.milestone_id), is_lead(lead))
        .scalar_subquery()
    )


def _partners_unwaited() -> Any:
    """Partners' parts whose input nobody waits for any more: given, not sent (assigned or in
    progress), on a milestone whose every lead has reported, had its report verified, or was
    cancelled (engine.escalation.lead_done: the one test, which stops the partner's reminders and
    its overdue notices too). The board still counts such a part as the body's open work, overdue
    once past its date; whether it is still owed is the secretariat's to decide: cancel it ("Hủy",
    in bulk: the input is no longer needed) or ask the body why ("Yêu cầu giải trình"). The tracked
    work only: the pre-tracking backlog is never chased. The longest waiting first, from the day
    the last lead finished. Its columns after the assignment's: that instant (a lead's report, or
    its cancellation), and the last lead's report (None when every lead was cancelled). The parts
    are read through the partial index of the few open partner parts (OPEN_PARTNER_WHERE)."""
    # ordered by its label: the subquery is run once a row, not again for the order
    finished = _leads(lambda lead: sa.func.coalesce(col(lead.reported_at), col(lead.closed_at))).label("lead_finished")
    return (
        base_query_at_now()
        .add_columns(finished, _leads(lambda lead: col(lead.reported_at)))
        .where(
            open_partner_sql(Assignment),
            LEADS_DONE,
            given_by_sql(NOW),
            ~before_tracking_sql(),
        )
        .order_by(finished, col(Assignment.id))
    )


def _partner_row(row: Any, now: datetime, waited: Callable[[date], int], local: LocalDays) -> QueueRow:
    """A line of "Phối hợp không còn được chờ": what became of the lead's part, as the outbox says of
    a partner's reminder held back (engine.escalation.recheck)."""
    reported = row[VIEW_WIDTH + 1]
    said = unwaited_words(local.local_date(reported) if reported is not None else None)
    return _assignment_row(row, now, waited, local, lambda _: said)


EXTENSION_QUEUE = "de-nghi-gia-han"
UNCONFIRMED_QUEUE = "cho-xac-nhan-giao"
REASSIGN_QUEUE = "can-phan-cong-lai"
PARTNERS_QUEUE = "phoi-hop-khong-con-cho"


# The transfer's columns of a line of "Cần phân công lại", after the assignment's (queries.VIEW_WIDTH
# of them), and their names in that order (engine.services.successions.waiting_transfers reads them).
_TRANSFER_COLUMNS: tuple[Any, ...] = (
    col(AgencyTransfer.recorded_at),
    col(AgencyTransfer.reason),
    col(AgencyTransfer.from_agency_id),
    col(AgencyTransfer.succession_key),
    col(AgencyTransfer.effective_on),
)
TRANSFER_NAMES: tuple[str, ...] = tuple(column.key for column in _TRANSFER_COLUMNS)


def _reassignments() -> Any:
    """Open work of a body that ended, waiting for the secretariat to name its successor
    (engine.services.successions), the earliest succession first. Its columns after the
    assignment's: when the transfer was recorded, why it waits, the body that ended, the
    succession, its date (engine.services.successions.waiting_transfers reads them)."""
    return (
        base_query_at_now()
        .add_columns(*_TRANSFER_COLUMNS)
        .join(AgencyTransfer, col(AgencyTransfer.assignment_id) == col(Assignment.id))
        .where(col(AgencyTransfer.status) == TransferStatus.PENDING.value)
        .order_by(col(AgencyTransfer.effective_on), col(AgencyTransfer.id))
    )


# The queue's rows join a pending transfer (:func:`_reassignments`): one indexed probe says whether any wait.
_ANY_REASSIGNMENT = sa.select(col(AgencyTransfer.id)).where(col(AgencyTransfer.status) == TransferStatus.PENDING.value)


def any_reassignment(session: Session) -> bool:
    """Whether anything waits in "Cần phân công lại" (a transfer not yet decided): without one, its
    count is 0 and its rows none, and neither is read. The secretariat's digest asks every day, and
    on most days nothing waits there: in the 2022 replay on PostgreSQL the queue's two counts cost
    2.3 ms each, four times a day, 6.7 s of the year's 136 s (no body ended that year)."""
    return session.connection().execute(_ANY_REASSIGNMENT.limit(1)).first() is not None


_ITEM_FIELDS = ("q", "plan", "priority")
_ASSIGNMENT_FIELDS = ("q", "plan", "agency", "group", "role", "category", "due_from", "due_to", "priority")

VERIFY_QUEUE = "cho-xac-nhan"

QUEUES: list[Queue] = [
    Queue(
        VERIFY_QUEUE,
        "Chờ xác nhận",
        "Báo cáo ngày",
        _to_verify,
        _assignment_row,
        True,
        _ASSIGNMENT_FIELDS,
        said="Báo cáo chờ xác nhận",
    ),
    Queue(
        "can-phan-cong",
        "Cần phân công",
        "Chờ từ ngày",  # the plan's issue, or the tracking start if later
        _unnamed,
        _item_row,
        False,
        ("q", "plan", "priority"),
        items=True,
        said="Nhiệm vụ mà văn bản không nêu tên cơ quan cho một vai trò, chờ Tổ giúp việc chỉ định cơ quan",
    ),
    Queue(
        EXPLANATION_QUEUE,
        "Chờ giải trình",
        "Yêu cầu ngày",
        _explanations,
        _explanation_row,
        True,
        _ASSIGNMENT_FIELDS,
        said="Yêu cầu giải trình chưa được trả lời",
    ),
    # Its page (web/routers/extensions.py) has a decision form per row; counted here all the same.
    Queue(
        EXTENSION_QUEUE,
        "Đề nghị gia hạn",
        "Đề nghị ngày",
        _extension_requests,
        _assignment_row,
        False,
        _ASSIGNMENT_FIELDS,
        own_page=True,
        lines=_extension_lines,
        said="Đề nghị gia hạn chờ Tổ giúp việc quyết định",
    ),
    # Its page (web/routers/reassignment.py) offers the successors to choose from.
    Queue(
        REASSIGN_QUEUE,
        "Cần phân công lại",
        "Ghi nhận ngày",
        _reassignments,
        _assignment_row,
        False,
        _ASSIGNMENT_FIELDS,
        own_page=True,
        apart=True,  # 1,626 of the README start's 2,181 rows were 2019–2022 work nobody chases
        said="Phần việc chờ phân công lại",
    ),
    Queue(
        UNCONFIRMED_QUEUE,
        "Chờ xác nhận giao",
        "Giao ngày",
        _unconfirmed,
        _unconfirmed_row,
        True,
        _ASSIGNMENT_FIELDS,
        # not "… or cancel it": a part already verified cannot be cancelled (the 2022 replay: 33 of its 95)
        said="Phần việc giao cho cơ quan theo danh sách nhóm suy đoán, chưa được Tổ giúp việc xác nhận giao",
    ),
    Queue(
        PARTNERS_QUEUE,
        "Phối hợp không còn được chờ",
        "Chủ trì xong ngày",
        _partners_unwaited,
        _partner_row,
        True,
        _ASSIGNMENT_FIELDS,
        said=(
            "Phần việc phối hợp chưa gửi ý kiến khi phần việc chủ trì đã báo cáo hoặc đã hủy, chờ Tổ giúp việc"
            " quyết định (hủy hoặc yêu cầu giải trình), không kể việc tồn đọng trước ngày bắt đầu theo dõi"
        ),
    ),
    Queue(
        "thu-loi",
        "Thư gửi lỗi",
        "Tạo ngày",
        _failed_mails,
        _mail_row,
        False,
        ("q", "plan", "agency", "group", "role"),
        entities=True,
        mails=True,
        who_label="Gửi đến",
        said="Thư gửi lỗi chưa xử lý (gửi lại hoặc đánh dấu đã xử lý)",
    ),
]


def queue_by_slug(slug: str) -> Queue:
    for queue in QUEUES:
        if queue.slug == slug:
            return queue
    raise NotFound("queue", slug)


def _last(column: Any, key: Any) -> Any:
    """``column`` of the last row written to its table (the highest ``key``: one seek of its primary key)."""
    return sa.select(column).order_by(key.desc()).limit(1).scalar_subquery()


# the history's last event and the outbox's last mail, in one statement (each a seek of its primary
# key): every queue's page and the board read it, and a statement's round trip through SQLAlchemy costs
# more than the two seeks
_LAST_WRITES = sa.select(_last(col(Event.at), col(Event.id)), _last(col(Notification.created_at), col(Notification.id)))


def counted_later(session: Session, now: datetime) -> datetime | None:
    """At a past instant (a look-back: the web clock set before what the database holds), the instant
    the database was last written (the history's last event, the outbox's last mail), else None. The
    queues count each row as it is now, not as it stood at ``now`` (a report verified since has left
    "Chờ xác nhận"): the 2022 replay's board read at 01/03/2022 said "Chờ xác nhận: 20" under "tính
    đến 01/03/2022" where a replay stopped on 01/03 says 7. The board beside the counts, and every queue's
    page at its top, say so (web.filters.counted_on)."""
    found = session.connection().execute(_LAST_WRITES).one()
    written = max((w for w in found if w is not None), default=None)
    # an instant this close is "now" (a write that came while the board was read is no look-back)
    return written if written is not None and written > now + NOW_TOLERANCE else None


def queue_counts(session: Session, now: datetime, local: LocalDays) -> list[tuple[Queue, int, int | None]]:
    """Every queue with its count, unfiltered, of what its page lists by default, and for a queue that
    keeps the pre-tracking backlog apart the backlog's count beside it (None for the others): the
    board's header. Each row is counted as it is now, whatever ``now`` (at a look-back the board says
    so: :func:`counted_later`)."""
    every = AssignmentFilter()
    return [
        (queue, queue.count(session, now, local, every, False), queue.count(session, now, local, every, True))
        if queue.apart
        else (queue, queue.count(session, now, local, every), None)
        for queue in QUEUES
    ]
