"""The chair's and the standing vice-chair's read-only board, behind their own link.

The one thing they may do is ask an agency to explain a delay (yêu cầu giải trình), which
goes through the engine like any other action (its table says when: an overdue assignment
with no request pending) and lands in the assignment's history.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from starlette.responses import RedirectResponse, Response

from dondoc.web.actions import ActionInput, perform, recorded_step
from dondoc.web.context import WebContext, ctx
from dondoc.web.csrf import check_csrf
from dondoc.web.errors import reopen_at
from dondoc.web.filters import choice_of, reads
from dondoc.web.inputs import Id, LinkToken, Short, Text
from dondoc.web.pages import EVERY_OVERDUE, assignment_context, explanation_refusals, leaders_context
from dondoc.web.principal import LEADER_PAGES, leader_principal
from dondoc.web.templating import render

router = APIRouter(prefix=LEADER_PAGES, tags=["pages: leaders"], include_in_schema=False)
Context = Annotated[WebContext, Depends(ctx)]


@router.get("", dependencies=[reads("qua-han", "done", "id")])
def board(request: Request, token: LinkToken, context: Context) -> Response:
    now = context.clock.now()  # one instant: what the page lists, and what it offers to ask of it
    with context.db() as session:
        principal = leader_principal(session, context, token)
        every = choice_of(request, "qua-han", EVERY_OVERDUE, "Danh sách quá hạn") is not None  # not the first 50
        page = leaders_context(
            session,
            now,
            context.calendar,
            context.clock,
            context.trend,
            context.policy(),
            every_overdue=every,
        )
        done = request.query_params.get("done")
        asked = recorded_step(session, done, request.query_params.get("id", "")) if done else None
        listed = (*page["overdue"], *page["priority_overdue"])
        refused = explanation_refusals(session, listed, principal.actor, now)
    return render(request, "leaders.html", principal=principal, token=token, asked=asked, refused=refused, **page)


@router.get("/assignments/{assignment_id}", dependencies=[reads("done")])
def assignment(request: Request, token: LinkToken, assignment_id: Id, context: Context) -> Response:
    with context.db() as session:
        principal = leader_principal(session, context, token)
        page = assignment_context(session, principal, assignment_id, context.clock.now())
    return render(request, "assignment.html", principal=principal, base=f"/leaders/{token}", **page)


@router.post("/assignments/{assignment_id}/explanation")
def request_explanation(
    request: Request,
    token: LinkToken,
    assignment_id: Id,
    context: Context,
    csrf: Annotated[Short, Form()] = "",
    comment: Annotated[Text, Form()] = "",
    version: Annotated[Short, Form()] = "",
) -> Response:
    check_csrf(request, csrf)
    data = ActionInput("request_explanation", comment, None, None, version)
    reopen_at(request, f"/leaders/{token}/assignments/{assignment_id}")
    with context.db() as session:
        principal = leader_principal(session, context, token)
        perform(session, context, principal, assignment_id, data)
    return RedirectResponse(f"/leaders/{token}?done=request_explanation&id={assignment_id}", status_code=303)
