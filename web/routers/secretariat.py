"""The secretariat's assignment page and actions, attachment downloads, and the outbox."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from starlette.responses import FileResponse, RedirectResponse, Response

from dondoc.engine.mail_labels import MAIL_STATUS_LABELS_VI
from dondoc.engine.services.web_queries import outbox
from dondoc.web.actions import ActionInput, perform
from dondoc.web.context import WebContext, ctx
from dondoc.web.csrf import check_csrf
from dondoc.web.filters import choice_of
from dondoc.web.inputs import Id, Short, Text
from dondoc.web.pages import assignment_context
from dondoc.web.principal import Principal, secretariat_principal
from dondoc.web.templating import render
from dondoc.web.uploads import locate

router = APIRouter(prefix="/board", tags=["pages: secretariat"], include_in_schema=False)
Context = Annotated[WebContext, Depends(ctx)]
Secretariat = Annotated[Principal, Depends(secretariat_principal)]


@router.get("/assignments/{assignment_id}")
def assignment(request: Request, assignment_id: Id, context: Context, principal: Secretariat) -> Response:
    with context.db() as session:
        page = assignment_context(session, principal, assignment_id, context.clock.now())
    return render(request, "assignment.html", principal=principal, base="/board", **page)


@router.post("/assignments/{assignment_id}/act")
def act_on(
    request: Request,
    assignment_id: Id,
    context: Context,
    principal: Secretariat,
    action: Annotated[Short, Form()],
    csrf: Annotated[Short, Form()] = "",
    comment: Annotated[Text, Form()] = "",
    due: Annotated[Short, Form()] = "",
    version: Annotated[Short, Form()] = "",
    agency: Annotated[Short, Form()] = "",
) -> Response:
    check_csrf(request, csrf)
    data = ActionInput(action, comment, due, None, version, agency=agency)
    with context.db() as session:
        perform(session, context, principal, assignment_id, data)
    return RedirectResponse(f"/board/assignments/{assignment_id}?done={action}", status_code=303)


@router.get("/attachments/{attachment_id}")
def attachment(attachment_id: Id, context: Context, principal: Secretariat) -> Response:
    with context.db() as session:
        row, path = locate(session, context.attachments, attachment_id)
    return FileResponse(path, media_type=row.content_type, filename=row.original_name)


@router.get("/outbox")
def outbox_page(request: Request, context: Context, principal: Secretariat) -> Response:
    """What was (or will be) sent to whom, and what failed and why (``?status=``: of one state)."""
    status = choice_of(request, "status", MAIL_STATUS_LABELS_VI, "Trạng thái thư")
    with context.db() as session:
        counts, rows = outbox(session, status=status)
    return render(request, "outbox.html", principal=principal, counts=counts, rows=rows, status=status)
