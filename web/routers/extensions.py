"""The secretariat's queue "Đề nghị gia hạn": each pending request with a form to extend
(pre-filled with the date asked for) and one to refuse with a reason, 100 a page as every queue.
The buttons are drawn from engine.services.permissions; the decisions go through ``act`` like
any other."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import parse_qsl, urlencode

from fastapi import APIRouter, Depends, Form, Request
from starlette.responses import RedirectResponse, Response

from dondoc.engine.errors import ConditionNotMet, InvalidInput
from dondoc.engine.models import Assignment
from dondoc.engine.services.explanations import open_request_ids
from dondoc.engine.services.extension_queue import DECISIONS, pending_extensions
from dondoc.engine.services.part_words import part_words
from dondoc.engine.services.queues import EXTENSION_QUEUE, queue_by_slug
from dondoc.engine.workflow import ACTION_LABELS_VI, CONDITION_REFUSALS_VI, Action, Condition
from dondoc.web.actions import ActionInput, perform, recorded_step
from dondoc.web.context import WebContext, ctx
from dondoc.web.csrf import check_csrf
from dondoc.web.errors import reopen_at
from dondoc.web.filters import PAGE_SIZE, filter_of, page_of, queue_page
from dondoc.web.inputs import Id, Short, Text, back_to
from dondoc.web.principal import Principal, secretariat_db, secretariat_principal
from dondoc.web.templating import render

router = APIRouter(prefix="/board", tags=["pages: secretariat"], include_in_schema=False)
Context = Annotated[WebContext, Depends(ctx)]
Secretariat = Annotated[Principal, Depends(secretariat_principal)]
QUEUE = "/board/de-nghi-gia-han"


@router.get("/de-nghi-gia-han")
def queue(request: Request, context: Context) -> Response:
    """Pending extension requests, the longest waiting first, a page at a time as every queue: the
    count of all of them (the board's, through the same statement), the filter form and the filter
    kept in the URL."""
    queue = queue_by_slug(EXTENSION_QUEUE)
    # one transaction: the user's check, then the page's reads
    with secretariat_db(request, context) as (principal, session):
        where, page = filter_of(request, queue.fields), page_of(request)
        now = context.clock.now()
        count = queue.count(session, now, context.clock, where)
        rows = pending_extensions(
            session,
            now,
            context.calendar,
            local=context.clock,
            reader=principal.actor,
            where=where,
            limit=PAGE_SIZE,
            offset=(page - 1) * PAGE_SIZE,
        )
        listed = queue_page(session, queue, where, page, count, len(rows), now, context.clock)
        done = request.query_params.get("done")
        decided = recorded_step(session, done, request.query_params.get("id", "")) if done else None
    return render(
        request, "extensions.html", principal=principal, rows=rows, decided=decided, back=_here(request), **listed
    )


# The notice after a decision names its step in the URL; the filter and page are the rest of it.
_NOTICE = ("done", "id")


def _here(request: Request) -> str:
    """The queue as this request shows it, its filter and page, without a previous decision's notice."""
    kept = urlencode([(name, value) for name, value in request.query_params.multi_items() if name not in _NOTICE])
    return f"{QUEUE}?{kept}" if kept else QUEUE


def after_decision(back: str, action: str, assignment_id: int) -> str:
    """The queue again after a decision, as the clerk left it (``back``: the filter and page, checked
    as the bulk form's, and only on this queue), with the notice of the step just recorded."""
    path, _, query = back_to(back, QUEUE).partition("?")
    pairs = parse_qsl(query, keep_blank_values=True) if path == QUEUE else []
    kept = [(name, value) for name, value in pairs if name not in _NOTICE]
    return f"{QUEUE}?{urlencode([*kept, ('done', action), ('id', str(assignment_id))])}"


@router.post("/de-nghi-gia-han/{assignment_id}")
def decide(
    request: Request,
    assignment_id: Id,
    context: Context,
    principal: Secretariat,
    action: Annotated[Short, Form()],
    csrf: Annotated[Short, Form()] = "",
    comment: Annotated[Text, Form()] = "",
    due: Annotated[Short, Form()] = "",
    version: Annotated[Short, Form()] = "",
    back: Annotated[Text, Form()] = "",
) -> Response:
    """Extend or refuse from the queue, then back to it, its filter and page kept: those two only
    (the queue's decisions; any other action, verify or cancel, is the assignment page's)."""
    check_csrf(request, csrf)
    if action not in {decision.value for decision in DECISIONS}:
        offered = ", ".join(f'"{ACTION_LABELS_VI[d]}"' for d in DECISIONS)
        raise InvalidInput(f'Hàng chờ đề nghị gia hạn chỉ nhận {offered}, không nhận "{action}".')
    path, _, query = back_to(back, QUEUE).partition("?")  # the queue as the clerk left it, checked as after_decision's
    shown = f"{QUEUE}?{query}" if path == QUEUE and query else QUEUE
    reopen_at(request, shown, "Mở lại danh sách «Đề nghị gia hạn» để xem tình trạng hiện tại")
    with context.db() as session:
        # a decision on a request: none waiting (decided meanwhile, or a mistyped id), nothing to decide
        # here; a date set without one is the assignment page's (it had extended such work, and mailed it)
        asked = Condition.OPEN_EXTENSION_REQUEST
        if session.get(Assignment, assignment_id) is not None and not open_request_ids(
            session, Action.REQUEST_EXTENSION, [assignment_id]
        ):
            label = ACTION_LABELS_VI[Action(action)]
            part = part_words(session, assignment_id)
            raise ConditionNotMet(assignment_id, action, label, asked.value, CONDITION_REFUSALS_VI[asked], part=part)
        perform(session, context, principal, assignment_id, ActionInput(action, comment, due, None, version))
    return RedirectResponse(after_decision(back, action, assignment_id), status_code=303)
