"""What the CLI, the API and the pages show: never the table objects themselves."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, Field

from dondoc.engine.clock import DEFAULT_DAYS
from dondoc.engine.deadlines import standing_start
from dondoc.engine.models import Role, State
from dondoc.engine.models.assignments import NOT_GIVEN_VI, STATE_LABELS_VI, role_label
from dondoc.engine.status import Category, day_unknown_words, done_day_unknown, issued_after_due, lateness
from dondoc.engine.vi_format import vn_date

NO_DATE_VI = "văn bản không ghi thời hạn"  # a milestone the text gives no date, label nor phrase


def not_given_label(assigned_at: datetime, held_back: bool = False) -> str:
    """The state of work not yet given, in words (engine.models.assignments.NOT_GIVEN_VI): when it
    will be, or, ``held_back`` (never given to the body that ended: engine.status.held_back_sql),
    that it waits for the secretariat to name a body."""
    if held_back:
        return f"{NOT_GIVEN_VI} (chờ Tổ giúp việc phân công lại)"
    return f"{NOT_GIVEN_VI} (giao ngày {vn_date(assigned_at)})"


def state_label(state: str, given: bool, assigned_at: datetime, held_back: bool = False) -> str:
    """A part's state (at the instant it is read at: engine.status.state_at) in words, as every page,
    list, mail and refusal says it: work not yet given then says when it will be
    (:func:`not_given_label`), not "Đã giao"; work cancelled by then says "Đã hủy", given or not (a
    later period's report cancelled in a reorganisation before its giving day will never be given)."""
    if not given and state != State.CANCELLED.value:
        return not_given_label(assigned_at, held_back)
    return STATE_LABELS_VI[State(state)]


# Fixed sets, declared as enums in the API's OpenAPI document (the values stay plain strings).
_STATES: dict[str, Any] = {"enum": [s.value for s in State]}
_ROLES: dict[str, Any] = {"enum": [r.value for r in Role]}
_CATEGORIES: dict[str, Any] = {"enum": [c.value for c in Category]}


class EventView(BaseModel):
    at: datetime
    actor: str
    actor_account: str | None = None  # the account that acted for the role (a secretariat clerk's login)
    action: str
    from_state: str | None = Field(json_schema_extra={"anyOf": [_STATES, {"type": "null"}]})
    to_state: str | None = Field(json_schema_extra={"anyOf": [_STATES, {"type": "null"}]})
    comment: str | None
    data: dict[str, Any]


class AssignmentView(BaseModel):
    id: int
    version: int
    item_code: str
    item_title: str
    plan_number: str
    milestone_seq: int
    milestone_label: str | None
    deadline_phrase: str | None
    # engine.deadlines.DeadlineKind value ("from_date": a standing duty from start_date, no due date)
    deadline_kind: str | None = None
    condition: str | None = None  # a precondition the text sets next to the date
    agency_code: str
    agency_name: str
    role: str = Field(json_schema_extra=_ROLES)
    state: str = Field(json_schema_extra=_STATES)
    category: str = Field(json_schema_extra=_CATEGORIES)
    category_label: str
    due_at: datetime | None
    original_due_at: datetime | None
    start_date: date | None
    assigned_at: datetime
    acknowledged_at: datetime | None
    reported_at: datetime | None
    verified_at: datetime | None
    days_late: int  # working days past the date, of work overdue or done late; else 0 (engine.status.LATE_WORDS)
    # late work given after its date (engine.status.given_after_due): working days since given, to
    # now (overdue) or to its report (done late); else None
    days_since_given: int | None = None
    priority: bool
    progress: int
    lead_heading: str | None = None  # the text's heading of the lead, when not "chủ trì" ("Cơ quan tham mưu")
    written_due: date | None = None  # the text's own date (a day off may have moved ``due_at`` from it)
    # a recurring report's period whose deadline phrase the catalog wrote from the text's rule ("trước
    # ngày 20/03/2022" of "trước ngày 20 tháng cuối quý"): never quoted as the text's words
    period_phrase: bool = False
    plan_issued: date | None = None  # its plan's issue day (engine.status.issued_after_due reads it)
    given: bool = True  # given by the view's instant (a later period's report: not before its first day)
    # its giving day has come but it is not given: never given to the body that ended, it waits for
    # the secretariat's decision in "Cần phân công lại" (engine.status.held_back_sql)
    held_back: bool = False
    # done on a day no text gives, within [done_from, reported_at] (Assignment.done_from)
    done_from: datetime | None = None

    @property
    def state_label(self) -> str:
        """The state in words (:func:`state_label`): work not yet given says when it will be, or that
        it waits for the secretariat, not "Đã giao"; cancelled work, "Đã hủy"."""
        return state_label(self.state, self.given, self.assigned_at, self.held_back)

    @property
    def category_said(self) -> str | None:
        """The category beside the state, or None where it would say the state again (cancelled work:
        "Đã hủy · Đã hủy")."""
        return None if self.category_label == self.state_label else self.category_label

    @property
    def role_label(self) -> str:
        """The body's part in the document's word ("Chủ trì", "Tham mưu", "Thực hiện", "Phối hợp")."""
        return role_label(self.role, self.lead_heading)

    @property
    def lead_label(self) -> str:
        """The item's lead in the document's word ("Chủ trì", "Tham mưu"): whom a partner's input goes to."""
        return role_label("lead", self.lead_heading)

    @property
    def milestone_name(self) -> str:
        """The milestone as the text names it (its label, else its deadline phrase); for work the
        text gives no date at all, says so ("mốc 1 | —" had named 699 parts of 38 such items);
        "mốc N" only when the catalog gives neither but there is a date."""
        named = self.milestone_label or self.deadline_phrase
        if named:
            return named
        if self.due_at is None and self.start_date is None:
            return NO_DATE_VI
        return f"mốc {self.milestone_seq}"

    @property
    def standing_since(self) -> date | None:
        """A standing duty's first day, shown in place of a due date it does not have
        (engine.deadlines.standing_start); None when the part has a due date."""
        return standing_start(self.deadline_kind, self.start_date, self.due_at)

    @property
    def lateness(self) -> str:
        """ "Quá hạn N ngày làm việc", "Trễ N ngày làm việc", or "" (engine.status.lateness); work
        given after its date, since when it was given first. Done on a day no text gives around its
        date (engine.status.done_day_unknown): the window, and that no rate counts it."""
        if self.category == Category.DONE_ON_TIME.value and self.done_day_unknown:
            assert self.done_from is not None and self.reported_at is not None and self.due_at is not None
            return day_unknown_words(self.done_from, self.reported_at, self.due_at, DEFAULT_DAYS.tz)
        given = None
        if self.days_since_given is not None:
            given = (self.days_since_given, vn_date(self.assigned_at))
        return lateness(self.category, self.days_late, given, plan_after_due=self.plan_after_due)

    @property
    def done_day_unknown(self) -> bool:
        """Done on a day no text gives, its date inside the window (engine.status.done_day_unknown)."""
        return done_day_unknown(self.due_at, self.reported_at, self.done_from)

    @property
    def plan_after_due(self) -> bool:
        """Given after its date because its plan was issued after it, on the plan's issue day
        (engine.status.issued_after_due): said "kể từ ngày ban hành kế hoạch", as the mails say it."""
        return issued_after_due(self.due_at, self.assigned_at, self.plan_issued, DEFAULT_DAYS.tz)

    @property
    def overdue(self) -> bool:
        """Open work past its due date, as judged at the view's instant (its category)."""
        return self.category == Category.OVERDUE.value


class MailView(BaseModel):
    """A mail sent or queued about an assignment, as its history shows it."""

    id: int
    kind: str
    recipient_role: str
    recipient_email: str
    decided_at: datetime  # when the mail was decided (the outbox row's creation)
    status: str  # pending, held, sent, failed, skipped
    sent_at: datetime | None
    carried_by_id: int | None  # a held row: the digest that told its recipient of it
    delivered: bool  # sent, or told in a digest that was sent
    # a mail to the part's body that another body held then (a succession since passed the part on):
    # that body's name, which the page says, not "cơ quan được giao" (the holder now reads it as its own)
    held_by: str | None = None
    # a leader's escalation the history later put in doubt (engine.escalation.doubt), in words, judged
    # at the page's instant
    doubt: str | None = None


class RequestView(BaseModel):
    """A request between people on an assignment (explanation, extension) and its answer."""

    kind: str  # request_explanation or request_extension
    asked_at: datetime
    asked_by: str
    question: str
    requested_due: date | None
    answer: str | None  # explain, extend or refuse_extension; None while the request is open
    answered_at: datetime | None
    answered_by: str | None
    reply: str | None
    # an open request the rule book lets nobody answer in the work's state now (explanations.answerable)
    answerable: bool = True


class PassedAfter(BaseModel):
    """What happened to a part read at a past instant after it: the first transfer that passed it on
    after that day (its day, the body it passed to) and the body that holds it now. A look-back names
    the body that held the part then (engine.services.queries.get_assignment), and says this of today's."""

    on: date
    to_name: str
    holder_name: str

    @property
    def said(self) -> str:
        """The line a part's page and ``dondoc assignments show`` say it by (no full stop)."""
        now = f"; nay do {self.holder_name} đảm nhận" if self.holder_name != self.to_name else ""
        return f"Ngày {vn_date(self.on)}, sau thời điểm đang xem, phần việc được chuyển cho {self.to_name}{now}"


class AssignmentDetail(AssignmentView):
    content: str
    source: str
    # the name of the inferred group its body was reached through alone, while the secretariat has
    # not confirmed it (engine.services.inferred_parts): the leaders are not told of it meanwhile
    unconfirmed_group: str | None = None
    # that group's guess was about a body that has since ended, the holder its successor: the body
    # guessed a member, and the clause that says so (engine.services.inferred_parts.guessed_member)
    guessed_member: str | None = None
    guessed_before: str | None = None
    history: list[EventView]
    requests: list[RequestView] = []
    mails: list[MailView] = []
    # read at an instant before a transfer passed it on: the view names the body that held it then,
    # and this says who holds it since (None at today's instant)
    passed_after: PassedAfter | None = None


class CategoryCounts(BaseModel):
    """Counts per category (keys are engine.status.Category values), plus the total."""

    key: str | None = None
    label: str | None = None
    counts: dict[str, int]
    total: int
    # of "chua_den_han", the parts not yet given at the instant counted (a later period's report, handed
    # out on its period's first day): counted there, as the board's tile counts them, and said apart
    not_given: int = 0
