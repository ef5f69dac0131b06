"""Bulk actions on a selection of a list: each assignment through ``act`` (web.actions.perform)
in its own transaction, so one refusal leaves the others applied and nothing is half-applied
within one assignment; a summary page says what was done and what was refused and why."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from sqlmodel import Session, col, select
from starlette.responses import Response

from dondoc.engine.errors import DomainError, InvalidInput, NotFound
from dondoc.engine.models import Assignment, State
from dondoc.engine.models.assignments import STATE_LABELS_VI, Role
from dondoc.engine.services import step_log
from dondoc.engine.services.assignments import check_day, check_given
from dondoc.engine.services.explanations import given_other_than_asked, open_extension_requests, other_than_asked_words
from dondoc.engine.services.queries import get_assignment
from dondoc.engine.services.request_mails import gather_reassigned
from dondoc.engine.services.successions import beside_vi, other_parts, receiving_body
from dondoc.engine.status import day_off_words
from dondoc.engine.vi_format import parse_day, shown_code, vn_date
from dondoc.engine.views import AssignmentDetail, AssignmentView
from dondoc.engine.workflow import ACTION_LABELS_VI, TRANSITIONS, Action, Need
from dondoc.web.actions import ActionInput, perform
from dondoc.web.context import WebContext, ctx
from dondoc.web.csrf import check_csrf
from dondoc.web.errors import refusal_line
from dondoc.web.escaping import milestone_words
from dondoc.web.inputs import Short, Text, back_to, row_number
from dondoc.web.limits import MAX_SELECTION
from dondoc.web.principal import Principal, secretariat_principal
from dondoc.web.templating import render

router = APIRouter(prefix="/board", tags=["pages: secretariat"], include_in_schema=False)
Context = Annotated[WebContext, Depends(ctx)]
Secretariat = Annotated[Principal, Depends(secretariat_principal)]

# The actions a list offers on a selection; whether each applies is the rule book's to say. Cancel
# last: the parts "Chờ xác nhận giao" lists of a body the secretariat finds is no member of the
# group are cancelled, each with the reason its body is told (the rule book asks for one).
BULK_ACTIONS = (
    Action.VERIFY,
    Action.EXTEND,
    Action.SNOOZE,
    Action.REQUEST_EXPLANATION,
    Action.CONFIRM_MEMBERSHIP,
    Action.CANCEL,
)
# and the decision the queue "Cần phân công lại" offers on its own selection (web/routers/reassignment.py)
TAKEN = BULK_ACTIONS + (Action.REASSIGN,)


@dataclass(frozen=True)
class Along:
    """Work another row's step moved in the same transaction: a partner whose date follows its
    lead's, the agency's same work in another document."""

    assignment_id: int
    label: str
    words: str  # what happened to it: the step's own comment, else its new state
    action: str
    to_state: str


@dataclass(frozen=True)
class Outcome:
    assignment_id: int
    label: str  # item code, milestone and agency, as the list showed them
    done: bool
    reason: str = ""  # why it was refused: the engine's own sentence
    note: str = ""  # what was done, where the action decides a value (an extension's due date)
    along: tuple[Along, ...] = ()  # what the step moved with it
    found: bool = True  # an id that names no assignment has no page to link to


@router.post("/bulk")
def bulk(
    request: Request,
    context: Context,
    principal: Secretariat,
    csrf: Annotated[Short, Form()] = "",
    action: Annotated[Short, Form()] = "",
    due: Annotated[Short, Form()] = "",
    comment: Annotated[Text, Form()] = "",
    agency: Annotated[Short, Form()] = "",  # reassign: the body that takes the ticked work over
    back: Annotated[Text, Form()] = "",  # the page with its filter: a search of 50 letters passed 200
    id: Annotated[list[Short] | None, Form()] = None,  # noqa: A002 - the checkboxes' name
) -> Response:
    check_csrf(request, csrf)
    chosen = _chosen_action(action)
    seen = _ticked(id or [])
    ids = list(seen)
    # what is the same for every row is refused once, before any row is tried: a bad, missing, past
    # or too distant date, a missing or unreadable reason, a body missing or not existing today (the
    # step asks each again)
    day = parse_day(due, "Đến ngày") if due.strip() else None
    check_given(chosen, comment.strip() or None, day, agency)
    if day is not None and Need.DUE in TRANSITIONS[chosen].needs:
        check_day(day, context.clock.now(), context.clock, "Đến ngày")
    if Need.AGENCY in TRANSITIONS[chosen].needs:
        with context.db() as session:
            receiving_body(session, agency, context.clock.local_date(context.clock.now()))
    if chosen is Action.EXTEND:
        ids = _partners_first(context, ids)
    outcomes: list[Outcome] = []
    moved: dict[int, tuple[Outcome, Along]] = {}  # work an earlier row's step moved, by id
    # a body named for several parts hears of them in one mail (request_mails.gather_reassigned)
    batch = f"bulk:{principal.username}:{context.clock.now().isoformat()}" if chosen is Action.REASSIGN else None
    for assignment_id in ids:
        data = ActionInput(
            chosen.value,
            comment,
            day,
            expected_version=seen[assignment_id],
            agency=agency,
            version_optional=True,
            batch=batch,
        )
        outcome = _one(context, principal, assignment_id, data)
        outcomes.append(outcome)
        moved |= {along.assignment_id: (outcome, along) for along in outcome.along}
    # a row refused that another row's step moved, before or after it (a partner ticked at a version
    # out of date, refused first, then moved by its lead's extension: it read "bị từ chối … tải lại
    # và thực hiện lại" of work already extended, and its body mailed the new date)
    outcomes = [
        _moved_before(chosen, o, *moved[o.assignment_id]) if not o.done and o.assignment_id in moved else o
        for o in outcomes
    ]
    done = [o for o in outcomes if o.done]
    if batch is not None:
        with context.db() as session:
            gather_reassigned(session, batch, [o.assignment_id for o in done], now=context.clock.now())
    return render(
        request,
        "bulk_result.html",
        principal=principal,
        action_label=ACTION_LABELS_VI[chosen],
        done=done,
        # the work moved that was not ticked itself (a ticked row is counted among the done already)
        along=len({a.assignment_id for o in done for a in o.along} - set(ids)),
        refused=[o for o in outcomes if not o.done],
        back=back_to(back, "/board/assignments"),
    )


def _moved_before(chosen: Action, refused: Outcome, by: Outcome, along: Along) -> Outcome:
    """A row refused that another row's step moved in the same selection: done, if that move is
    what was asked (the same action, or the state it leads to), and said so; else refused, and said why."""
    target = TRANSITIONS[chosen].target
    if along.action == chosen.value or (target is not None and along.to_state == target.value):
        return Outcome(
            refused.assignment_id, refused.label, True, note=f"đã thực hiện cùng lúc với {by.label}: {along.words}"
        )
    said = f"{refused.reason} ({by.label} đã kéo theo phần việc này: {along.words})"
    return Outcome(refused.assignment_id, refused.label, False, said)


def _chosen_action(text: str) -> Action:
    for action in TAKEN:
        if text == action.value:
            return action
    offered = ", ".join(ACTION_LABELS_VI[a] for a in TAKEN)
    raise InvalidInput(f'Thao tác hàng loạt "{text}" không hợp lệ; chọn một trong: {offered}.')


def _ticked(values: list[str]) -> dict[int, int | None]:
    """The ticked rows, in order: each id with the version the list showed it at ("ID:VERSION", as
    web.escaping.bulk_box writes it; a bare id, as a client may send, is acted on as it is now)."""
    found: dict[int, int | None] = {}
    for value in values:
        number_text, shown, version_text = value.partition(":")
        number = row_number(number_text)
        version = row_number(version_text, low=0) if shown else None
        if number is None or (shown and version is None):
            raise InvalidInput(f'Mã phần việc được chọn "{value}" không hợp lệ.')
        if number not in found:
            found[number] = version
    if not found:
        raise InvalidInput("Chưa chọn phần việc nào: đánh dấu các dòng cần thực hiện rồi gửi lại.")
    if len(found) > MAX_SELECTION:
        raise InvalidInput(f"Chọn tối đa {MAX_SELECTION} phần việc mỗi lần (đã chọn {len(found)}).")
    return found


def _partners_first(context: WebContext, ids: list[int]) -> list[int]:
    """``ids`` with the partners first. A lead's extension moves its partners that are behind it
    (engine.services.partner_dates): ticked with their lead, they are extended first, each to the
    day asked, and the lead's extension finds them there, instead of refusing them afterwards as
    already at that day."""
    with context.db() as session:
        partners = set(
            session.exec(
                select(col(Assignment.id)).where(
                    col(Assignment.id).in_(ids), col(Assignment.role) == Role.PARTNER.value
                )
            ).all()
        )
    return sorted(ids, key=lambda assignment_id: assignment_id not in partners)


def _one(context: WebContext, principal: Principal, assignment_id: int, data: ActionInput) -> Outcome:
    """One assignment in its own transaction: applied whole, or refused with nothing written; what
    its step moved with it (engine.services.step_log) is told beside it."""
    label = f"#{assignment_id}"
    try:
        with context.db() as session:
            now = context.clock.now()
            view = get_assignment(session, assignment_id, now)
            label = _label(view)
            # the body's request this step answers, if any (the rule book's one definition of an open one)
            extending = data.action == Action.EXTEND.value
            asked = open_extension_requests(session, [assignment_id]).get(assignment_id) if extending else None
            log = step_log.start(session)
            after = perform(session, context, principal, assignment_id, data)
            along = tuple(_along(session, w, now) for w in log if w.assignment_id != assignment_id)
            # a body named for the work: how its other parts of the milestone stand (ended, or kept beside)
            reassigned = data.action == Action.REASSIGN.value
            beside = beside_vi(after.agency_name, other_parts(session, assignment_id)) if reassigned else []
    except DomainError as exc:
        reason = refusal_line(exc)
        return Outcome(assignment_id, label, False, reason, found=not isinstance(exc, NotFound))
    requested = asked.requested_due if asked is not None else None
    note = _note(data, after, context, first=view.due_at is None, requested=requested)
    note = "; ".join([note, *(line[0].lower() + line[1:] for line in beside)]) if beside else note
    return Outcome(assignment_id, label, True, note=note, along=along)


def _along(session: Session, written: step_log.Written, now: datetime) -> Along:
    view = get_assignment(session, written.assignment_id, now)
    state = STATE_LABELS_VI.get(State(written.to_state), written.to_state)
    words = written.comment or f"chuyển sang «{state}»"
    return Along(written.assignment_id, _label(view), words, written.action, written.to_state)


def _label(view: AssignmentView) -> str:
    """A row as the list showed it: the item's code, its milestone (one body's two milestones of an
    item were two like lines), the agency."""
    return f"{shown_code(view.item_code)}{milestone_words(view.milestone_label)} — {view.agency_name}"


def _note(
    data: ActionInput,
    after: AssignmentDetail,
    context: WebContext,
    *,
    first: bool = False,
    requested: date | None = None,
) -> str:
    """An extension's due date as written, and why it is not the day asked when a day off moved it
    (``first``: the part had no date, the document gave none: the date is set, not moved, as its
    mail says); that it answers the body's request for ``requested`` with another day, as its mail
    says (a bare "hạn mới 20/12/2022" read as the 17/12 asked for being granted otherwise); the day a
    snooze lasts to; the body that took work over."""
    if data.action == Action.SNOOZE.value and isinstance(data.due, date):
        return f"tạm dừng nhắc việc đến hết ngày {vn_date(data.due)}"
    if data.action == Action.REASSIGN.value:
        return f"{after.agency_name} nhận phần việc này ({after.role_label.lower()})"
    due_at = after.due_at
    if data.action != Action.EXTEND.value or due_at is None:
        return ""
    written = context.clock.local_date(due_at)
    asked = data.due if isinstance(data.due, date) else parse_day(data.due or "", "Ngày")
    said = f"đặt thời hạn {vn_date(written)} (trước đây chưa có thời hạn)" if first else f"hạn mới {vn_date(written)}"
    moved = written != asked
    if moved:
        said = f"{said}: {day_off_words(asked)}"
    if requested is not None and given_other_than_asked(requested, asked, context.calendar):
        said = f"{said}{'; ' if moved else ', '}{other_than_asked_words(requested)}"
    return said
