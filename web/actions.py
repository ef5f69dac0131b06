"""Acting on an assignment from the web: through ``apply_step`` (``act`` without the returned
object; the only way), with its attachments.

What a page may post follows from its principal's actor kind and the transition table, which
``act`` applies (engine.services.permissions): there is no list of actions per page here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, BinaryIO

from sqlalchemy import func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from dondoc.engine.db import INT_MAX
from dondoc.engine.errors import InvalidInput
from dondoc.engine.models import Agency, Assignment, Event, Milestone, PlanItem
from dondoc.engine.numerals import whole
from dondoc.engine.services.assignments import Request, apply_step, parse_action
from dondoc.engine.services.queries import get_assignment
from dondoc.engine.services.request_mails import EVENT_ACTIONS
from dondoc.engine.vi_format import parse_day
from dondoc.engine.views import AssignmentDetail
from dondoc.engine.workflow import DUE_LABELS_VI, Action
from dondoc.web.context import WebContext
from dondoc.web.inputs import row_number
from dondoc.web.principal import Principal
from dondoc.web.uploads import MAX_FILES, Stored, discard, record, store


@dataclass
class ActionInput:
    """An action as a form or JSON body sends it; text fields are parsed here."""

    action: str
    comment: str | None = None
    due: str | date | None = None
    percent: str | int | None = None
    expected_version: str | int | None = None
    files: list[tuple[str, BinaryIO]] = field(default_factory=list)
    agency: str | None = None  # reassign: the code of the agency that takes the work over
    # Every form dondoc draws sends the version its page showed, and a post without one is refused
    # (a decision on a page of unknown age is not taken as fresh). Optional only where a client
    # decides to act on the assignment as it is now: the JSON API (``expected_version`` or
    # ``If-Match``, docs/web.md) and a bulk tick with a bare id (web.routers.bulk).
    version_optional: bool = False
    batch: str | None = None  # a bulk reassignment: its mails gathered, one per body (web.routers.bulk)

    def request(self, principal: Principal) -> Request:
        expected_version = _int(self.expected_version, "Phiên bản")
        if expected_version is None and not self.version_optional:
            raise InvalidInput(MISSING_VERSION)
        return Request(
            action=parse_action(self.action),
            actor=principal.actor,
            comment=(self.comment or "").strip() or None,
            due=_date(self.due, _DUE_LABELS.get(self.action, "Ngày")),
            percent=_int(self.percent, "Tỷ lệ hoàn thành (%)", low=-INT_MAX),  # 0–100: the engine's to say
            expected_version=expected_version,
            files=len(self.files),
            account=principal.username,
            agency=(self.agency or "").strip() or None,
            batch=self.batch,
        )


_DUE_LABELS = {action.value: label for action, label in DUE_LABELS_VI.items()}
MISSING_VERSION = (
    "Biểu mẫu không cho biết trang đã hiển thị phần việc ở phiên bản nào: tải lại trang rồi thực hiện lại"
    " (chưa có gì được ghi nhận)."
)


def _date(value: str | date | None, label: str) -> date | None:
    if value is None or isinstance(value, date):
        return value
    if not value.strip():
        return None
    return parse_day(value, label)


def _int(value: str | int | None, name: str, *, low: int = 0) -> int | None:
    """A whole number a form sent, from ``low`` to what the database's INTEGER holds (a version
    from 0; a percent any, for the engine to judge against its action); None when left empty."""
    if value is None or isinstance(value, int):
        return value
    text = value.strip().strip('"').removeprefix("W/").strip('"')
    if not text:
        return None
    # ASCII digits with a sign only (engine.numerals): int() reads "1_0" as 10 and "٣" as 3
    number = whole(text)
    if number is None:
        raise InvalidInput(f'{name} phải là một số nguyên, nhận được "{value}".')
    if not low <= number <= INT_MAX:
        raise InvalidInput(f"{name} phải nằm trong khoảng {low} đến {INT_MAX}, nhận được {number}.")
    return number


def perform(
    session: Session,
    context: WebContext,
    principal: Principal,
    assignment_id: int,
    data: ActionInput,
) -> AssignmentDetail:
    """Store files, apply the action, record the files; all-or-nothing.

    Who may do what (an agency: only on its own assignments) is the engine's to say, as for
    the CLI. Raises the engine's domain errors (and InvalidInput for refused files); on any
    error the transaction rolls back and the files written are removed.
    """
    now = context.clock.now()
    request = data.request(principal)
    if len(data.files) > MAX_FILES:
        raise InvalidInput(f"Tối đa {MAX_FILES} tệp mỗi lần gửi.")
    stored: list[Stored] = []
    try:
        for name, stream in data.files:
            stored.append(store(context.attachments, name, stream, max_bytes=context.max_upload_bytes))
        apply_step(session, assignment_id, request, now=now, calendar=context.calendar, local=context.clock)
        if stored:
            event_id = session.exec(select(func.max(Event.id)).where(Event.assignment_id == assignment_id)).one()
            record(
                session, stored, assignment_id=assignment_id, event_id=event_id, actor=principal.actor.label, now=now
            )
    except BaseException:
        discard(stored)
        raise
    return get_assignment(session, assignment_id, now)


def names_last_step(done: str, last_action: str | None) -> bool:
    """Whether ``done`` (``?done=ACTION``, the redirect after a form) names the step an assignment's
    last event records: a page says "Đã ghi nhận" only of what the history holds, never of what a
    URL typed or reloaded after a later step says."""
    action = _ACTIONS.get(done)
    return action is not None and last_action == EVENT_ACTIONS.get(action, action.value)


_ACTIONS = {action.value: action for action in Action}


@dataclass(frozen=True)
class RecordedStep:
    """The step a queue's notice names: the action, and whose part of which task; what the step
    wrote (an extension: the due date written, and the day asked when a day off moved it)."""

    action: str
    item_code: str
    agency: str
    data: dict[str, Any] = field(default_factory=dict)
    milestone: str | None = None  # its label: one body's two milestones of an item are two lines of a queue


def recorded_step(session: Session, done: str, assignment_id: str) -> RecordedStep | None:
    """The last step of the assignment ``assignment_id`` (the redirect's ``?id=``), if ``done``
    names it (:func:`names_last_step`); None for anything else, malformed ids included."""
    number = row_number(assignment_id)  # the one rule: "٣" (an Arabic-Indic three) was read as 3
    if number is None:
        return None
    row = session.execute(  # five columns: sqlmodel's select types at most four
        sa_select(col(Event.action), col(PlanItem.code), col(Agency.short), col(Event.data), col(Milestone.label))
        .join(Assignment, col(Assignment.id) == col(Event.assignment_id))
        .join(Milestone, col(Milestone.id) == col(Assignment.milestone_id))
        .join(PlanItem, col(PlanItem.id) == col(Milestone.item_id))
        .join(Agency, col(Agency.id) == col(Assignment.agency_id))
        .where(col(Event.assignment_id) == number)
        .order_by(col(Event.id).desc())
        .limit(1)
    ).first()
    if row is None or not names_last_step(done, row[0]):
        return None
    return RecordedStep(row[0], row[1], row[2], row[3] or {}, row[4])
