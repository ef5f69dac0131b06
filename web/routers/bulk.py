"""Bulk actions on a selection of a list: each assignment through ``act`` (web.actions.perform)
in its own transaction, so one refusal leaves the others applied and nothing is half-applied
within one assignment; a summary page says what was done and what was refused and why."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from sqlmodel import col, select
from starlette.responses import Response

from dondoc.engine.db import INT_MAX
from dondoc.engine.errors import DomainError, InvalidInput
from dondoc.engine.models import Assignment
from dondoc.engine.models.assignments import Role
from dondoc.engine.services.assignments import day_needed
from dondoc.engine.services.queries import get_assignment
from dondoc.engine.vi_format import parse_day, vn_date
from dondoc.engine.workflow import ACTION_LABELS_VI, TRANSITIONS, Action, Need
from dondoc.web.actions import ActionInput, perform
from dondoc.web.context import WebContext, ctx
from dondoc.web.csrf import check_csrf
from dondoc.web.errors import classify
from dondoc.web.inputs import Short, Text
from dondoc.web.principal import Principal, secretariat_principal
from dondoc.web.templating import render

router = APIRouter(prefix="/board", tags=["pages: secretariat"], include_in_schema=False)
Context = Annotated[WebContext, Depends(ctx)]
Secretariat = Annotated[Principal, Depends(secretariat_principal)]

# The actions a list offers on a selection; whether each applies is the rule book's to say.
BULK_ACTIONS = (Action.VERIFY, Action.EXTEND, Action.SNOOZE, Action.REQUEST_EXPLANATION)
MAX_SELECTION = 500


@dataclass(frozen=True)
class Outcome:
    assignment_id: int
    label: str  # item code and agency, as the list showed them
    done: bool
    reason: str = ""  # why it was refused: the engine's own sentence
    note: str = ""  # what was done, where the action decides a value (an extension's due date)


@router.post("/bulk")
def bulk(
    request: Request,
    context: Context,
    principal: Secretariat,
    csrf: Annotated[Short, Form()] = "",
    action: Annotated[Short, Form()] = "",
    due: Annotated[Short, Form()] = "",
    comment: Annotated[Text, Form()] = "",
    back: Annotated[Short, Form()] = "",
    id: Annotated[list[Short] | None, Form()] = None,  # noqa: A002 - the checkboxes' name
) -> Response:
    check_csrf(request, csrf)
    chosen = _chosen_action(action)
    ids = _ids(id or [])
    # what is the same for every row is refused once, before any row is tried: a bad or missing date
    day = parse_day(due, "Đến ngày") if due.strip() else None
    if day is None and Need.DUE in TRANSITIONS[chosen].needs:
        raise day_needed(chosen)
    if chosen is Action.EXTEND:
        ids = _partners_first(context, ids)
    outcomes = [
        _one(context, principal, assignment_id, ActionInput(chosen.value, comment, day)) for assignment_id in ids
    ]
    return render(
        request,
        "bulk_result.html",
        principal=principal,
        action_label=ACTION_LABELS_VI[chosen],
        done=[o for o in outcomes if o.done],
        refused=[o for o in outcomes if not o.done],
        back=back if back.startswith("/board") else "/board/assignments",
    )


def _chosen_action(text: str) -> Action:
    for action in BULK_ACTIONS:
        if text == action.value:
            return action
    offered = ", ".join(ACTION_LABELS_VI[a] for a in BULK_ACTIONS)
    raise InvalidInput(f'Thao tác hàng loạt "{text}" không hợp lệ; chọn một trong: {offered}.')


def _ids(values: list[str]) -> list[int]:
    found: list[int] = []
    for value in values:
        if not (value.strip().isascii() and value.strip().isdigit()) or not 1 <= int(value) <= INT_MAX:
            raise InvalidInput(f'Mã nhiệm vụ được chọn "{value}" không hợp lệ.')
        if int(value) not in found:
            found.append(int(value))
    if not found:
        raise InvalidInput("Chưa chọn nhiệm vụ nào: đánh dấu các dòng cần thực hiện rồi gửi lại.")
    if len(found) > MAX_SELECTION:
        raise InvalidInput(f"Chọn tối đa {MAX_SELECTION} nhiệm vụ mỗi lần (đã chọn {len(found)}).")
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
    """One assignment in its own transaction: applied whole, or refused with nothing written."""
    label = f"#{assignment_id}"
    try:
        with context.db() as session:
            view = get_assignment(session, assignment_id, context.clock.now())
            label = f"{view.item_code} — {view.agency_name}"
            after = perform(session, context, principal, assignment_id, data)
    except DomainError as exc:
        title = classify(exc)[1]
        return Outcome(assignment_id, label, False, f"{title}: {exc}")
    return Outcome(assignment_id, label, True, note=_note(data, after.due_at, context))


def _note(data: ActionInput, due_at: datetime | None, context: WebContext) -> str:
    """An extension's due date as written, and why it is not the day asked when a day off moved it."""
    if data.action != Action.EXTEND.value or due_at is None:
        return ""
    written = context.clock.local_date(due_at)
    asked = data.due if isinstance(data.due, date) else parse_day(data.due or "", "Ngày")
    if written == asked:
        return f"hạn mới {vn_date(written)}"
    reason = context.calendar.day_off_reason(asked) or "ngày nghỉ"
    moved = f"ngày {vn_date(asked)} là ngày nghỉ ({reason}), hạn chuyển sang ngày làm việc kế tiếp"
    return f"hạn mới {vn_date(written)}: {moved} (Bộ luật Dân sự 2015, Điều 148)"
