"""The secretariat's assignment page and actions, attachment downloads, and the outbox."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Request
from starlette.responses import FileResponse, RedirectResponse, Response

from dondoc.engine.escalation.policy import withheld_why
from dondoc.engine.mail_labels import MAIL_STATUS_LABELS_VI
from dondoc.engine.services.inferred_parts import by_convention_of
from dondoc.engine.services.web_queries import outbox
from dondoc.web.actions import ActionInput, perform
from dondoc.web.context import WebContext, ctx
from dondoc.web.csrf import check_csrf
from dondoc.web.errors import reopen_at
from dondoc.web.filters import PAGE_SIZE, choice_of, page_of, pager, reads
from dondoc.web.inputs import Id, Short, Text
from dondoc.web.pages import assignment_context
from dondoc.web.principal import Principal, secretariat_principal
from dondoc.web.templating import render
from dondoc.web.uploads import locate

router = APIRouter(prefix="/board", tags=["pages: secretariat"], include_in_schema=False)
Context = Annotated[WebContext, Depends(ctx)]
Secretariat = Annotated[Principal, Depends(secretariat_principal)]


@router.get("/assignments/{assignment_id}", dependencies=[reads("done")])
def assignment(request: Request, assignment_id: Id, context: Context, principal: Secretariat) -> Response:
    with context.db() as session:
        page = assignment_context(session, principal, assignment_id, context.clock.now())
        # whether a rung to the leaders fires for the part's role: only then does its confirmation form say
        # they are kept from it until confirmed (policy.withheld_why; a partner's part never reaches them)
        leader_bound = context.policy().leader_bound(page["a"].role, page["a"].priority)
        # a date the secretariat's convention set keeps it from them too (read only when it could)
        by_convention = leader_bound and page["a"].id in by_convention_of(session, [page["a"].id])
    # what the snooze form says the leaders hear of the part when it is late (policy.snooze_pauses never
    # pauses them): told, never told (its role), or kept from them (policy.withheld_why)
    withheld = withheld_why(page["a"].unconfirmed_group, None, by_convention, leader_bound=leader_bound)
    leaders_hear = "never" if not leader_bound else (withheld.value if withheld is not None else "told")
    return render(
        request,
        "assignment.html",
        principal=principal,
        base="/board",
        leader_bound=leader_bound,
        leaders_hear=leaders_hear,
        **page,
    )


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
    reopen_at(request, f"/board/assignments/{assignment_id}")
    with context.db() as session:
        perform(session, context, principal, assignment_id, data)
    return RedirectResponse(f"/board/assignments/{assignment_id}?done={action}", status_code=303)


@router.get("/attachments/{attachment_id}", dependencies=[reads()])
def attachment(attachment_id: Id, context: Context, principal: Secretariat) -> Response:
    with context.db() as session:
        row, path = locate(session, context.attachments, attachment_id)
    return FileResponse(path, media_type=row.content_type, filename=row.original_name)


@router.get("/outbox", dependencies=[reads("status", "page")])
def outbox_page(request: Request, context: Context, principal: Secretariat) -> Response:
    """What was (or will be) sent to whom, and what failed and why (``?status=``: of one state), latest
    first, 100 a page (``?page=``): the page had shown the latest 200 beside counts of thousands, and
    said nothing of the rest."""
    status = choice_of(request, "status", MAIL_STATUS_LABELS_VI, "Trạng thái thư")
    page = page_of(request)
    with context.db() as session:
        counts, rows = outbox(session, status=status, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    total = counts.get(status, 0) if status else sum(counts.values())
    pages = pager(page, total, len(rows), urlencode({"status": status}) if status else "")
    return render(
        request, "outbox.html", principal=principal, counts=counts, rows=rows, status=status, total=total, pages=pages
    )
