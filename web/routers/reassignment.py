"""The secretariat's queue "Cần phân công lại": open work of a body a succession ended where the
successor is not obvious (a split by function, a dissolved district, a successor that already holds
the task). engine.services.successions does the work."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from starlette.responses import RedirectResponse, Response

from dondoc.engine.services.successions import reassign_choices, waiting_transfers
from dondoc.engine.workflow import Action
from dondoc.web.actions import ActionInput, perform
from dondoc.web.context import WebContext, ctx
from dondoc.web.csrf import check_csrf
from dondoc.web.principal import Principal, secretariat_principal
from dondoc.web.templating import render

router = APIRouter(prefix="/board", tags=["pages: secretariat"], include_in_schema=False)
Context = Annotated[WebContext, Depends(ctx)]
Secretariat = Annotated[Principal, Depends(secretariat_principal)]


@router.get("/can-phan-cong-lai")
def queue(request: Request, context: Context, principal: Secretariat, done: str | None = None) -> Response:
    """The waiting assignments, oldest succession first, each with the bodies its succession names."""
    today = context.clock.local_date(context.clock.now())
    with context.db() as session:
        rows = waiting_transfers(session)
        existing = reassign_choices(session, rows[0].assignment_id, today)[1] if rows else []
    return render(request, "reassignment.html", principal=principal, rows=rows, agencies=existing, done=done)


@router.post("/can-phan-cong-lai/{assignment_id}")
def decide(
    request: Request,
    assignment_id: int,
    context: Context,
    principal: Secretariat,
    csrf: Annotated[str, Form()] = "",
    agency: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(request, csrf)
    with context.db() as session:  # through act: the transition table says who may, and when
        perform(session, context, principal, assignment_id, ActionInput(Action.REASSIGN.value, agency=agency))
    return RedirectResponse(f"/board/can-phan-cong-lai?done={assignment_id}", status_code=303)
