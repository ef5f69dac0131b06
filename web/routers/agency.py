"""An agency's pages behind the signed link in its emails: /a/{token}/…

Everything is scoped to the link's agency: another agency's assignment, attachment or
calendar entry is refused (403), whatever id is put in the URL.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from starlette.responses import FileResponse, RedirectResponse, Response

from dondoc.engine.errors import PermissionDenied
from dondoc.engine.models import Assignment
from dondoc.engine.models.assignments import OPEN_STATE_VALUES, ROLE_RANK
from dondoc.engine.services.board_then import board_then
from dondoc.engine.services.explanations import open_explanation_requests
from dondoc.engine.services.indicator_views import agency_indicators
from dondoc.engine.services.partner_dates import partners_leads
from dondoc.engine.services.permissions import reads_files_of
from dondoc.engine.services.queries import held_on
from dondoc.engine.services.returned import returned_said
from dondoc.engine.services.transfer_origins import received_late
from dondoc.engine.services.web_queries import (
    agency_assignments,
    agency_rewritten,
    agency_role_counts,
    board_summary,
)
from dondoc.web.actions import ActionInput, perform
from dondoc.web.context import WebContext, ctx
from dondoc.web.csrf import check_csrf
from dondoc.web.errors import reopen_at
from dondoc.web.filters import reads
from dondoc.web.ical import calendar_feed
from dondoc.web.inputs import Id, LinkToken, PageNumber, Short, Text
from dondoc.web.pages import assignment_context
from dondoc.web.principal import AGENCY_PAGES, agency_principal
from dondoc.web.templating import render
from dondoc.web.uploads import locate

router = APIRouter(prefix=AGENCY_PAGES, tags=["pages: agency"], include_in_schema=False)
Context = Annotated[WebContext, Depends(ctx)]
ROLE_ORDER = tuple(ROLE_RANK)  # the lead, the implementers, the partners
PAGE_SIZE = 100


@router.get("", dependencies=[reads("all", "page")])
def my_tasks(request: Request, token: LinkToken, context: Context, all: bool = False, page: PageNumber = 1) -> Response:
    """ "Nhiệm vụ của tôi", soonest due first, split by role; closed ones only on request."""
    page = max(1, page)
    now = context.clock.now()
    with context.db() as session:
        principal = agency_principal(session, context, token)
        # at a look-back, the rows rewritten since as they stood then, in the list as in the summary
        then = board_then(session, now, context.clock)
        # before a transfer, the work it held then, as its summary counts it (a body absorbed since: its parts)
        held = held_on(session, now)
        agency_id = principal.agency_id or 0
        rewritten = agency_rewritten(session, now, agency_id, then, include_closed=all, held=held)
        rows = agency_assignments(
            session,
            now,
            agency_id,
            include_closed=all,
            limit=PAGE_SIZE + 1,
            offset=(page - 1) * PAGE_SIZE,
            rewritten=rewritten,
            held=held,
        )
        summary = board_summary(session, now, agency_id=principal.agency_id, then=then)
        per_role = agency_role_counts(session, agency_id, include_closed=all, rewritten=rewritten, held=held)
        # what it had to answer at ``now`` (a look-back: a question answered since, not one asked since)
        pending = open_explanation_requests(session, [r.id for r in rows], by=now)
        indicators = agency_indicators(session, agency_id=principal.agency_id or 0, now=now)
        # work received from another body after its date: its row says since when the body has had it
        received = received_late(
            session, [(r.id, r.due_at) for r in rows], context.clock.local_date(now), context.clock.tz
        )
        # its report sent back to complete, and still to send again: said beside its state and its progress
        open_ids = [r.id for r in rows if r.state in OPEN_STATE_VALUES]
        returned = returned_said(session, open_ids, now=now, tz=context.clock.tz)
    more, rows = len(rows) > PAGE_SIZE, rows[:PAGE_SIZE]
    by_role = {role: [r for r in rows if r.role == role] for role in ROLE_ORDER}
    return render(
        request,
        "agency_home.html",
        principal=principal,
        token=token,
        by_role=by_role,
        per_role=per_role,
        summary=summary,
        explanations=pending,
        received=received,
        returned=returned,
        show_all=all,
        page=page,
        more=more,
        indicators=indicators,
    )


@router.get("/assignments/{assignment_id}", dependencies=[reads("done")])
def assignment(request: Request, token: LinkToken, assignment_id: Id, context: Context) -> Response:
    with context.db() as session:
        principal = agency_principal(session, context, token)
        page = assignment_context(session, principal, assignment_id, context.clock.now())
    return render(request, "assignment.html", principal=principal, base=f"/a/{token}", **page)


@router.post("/assignments/{assignment_id}/act")
def act_on(
    request: Request,
    token: LinkToken,
    assignment_id: Id,
    context: Context,
    action: Annotated[Short, Form()],
    csrf: Annotated[Short, Form()] = "",
    comment: Annotated[Text, Form()] = "",
    due: Annotated[Short, Form()] = "",
    percent: Annotated[Short, Form()] = "",
    version: Annotated[Short, Form()] = "",
    files: Annotated[list[UploadFile] | None, File()] = None,
) -> Response:
    check_csrf(request, csrf)
    uploads = [(f.filename or "", f.file) for f in files or [] if f.filename]
    data = ActionInput(action, comment, due, percent, version, uploads)
    reopen_at(request, f"/a/{token}/assignments/{assignment_id}")
    with context.db() as session:
        principal = agency_principal(session, context, token)
        perform(session, context, principal, assignment_id, data)
    return RedirectResponse(f"/a/{token}/assignments/{assignment_id}?done={action}", status_code=303)


@router.get("/attachments/{attachment_id}", dependencies=[reads()])
def attachment(token: LinkToken, attachment_id: Id, context: Context) -> Response:
    """The files of this agency's own parts, and, as a lead, its partners' (permissions.reads_files_of)."""
    with context.db() as session:
        principal = agency_principal(session, context, token)
        row, path = locate(session, context.attachments, attachment_id)
        owner = session.get(Assignment, row.assignment_id)
        allowed = owner is not None and reads_files_of(session, principal.agency_id or 0, owner)
    if not allowed:
        raise PermissionDenied(principal.name, f"tải tệp {attachment_id}", "tệp thuộc phần việc của cơ quan khác")
    return FileResponse(path, media_type=row.content_type, filename=row.original_name)


@router.get("/calendar.ics")
def calendar(token: LinkToken, context: Context) -> Response:
    """This agency's due dates, to subscribe to (the link is the credential, as for the pages).

    The one page that takes any query name, on purpose: it reads none, so none can narrow it, and a
    calendar client shows no error page: a subscription whose address a person or a client decorated
    ("?v=2", to have a client fetch it anew) would stop updating without a word."""
    now = context.clock.now()
    with context.db() as session:
        principal = agency_principal(session, context, token)
        held = held_on(session, now)
        rows = agency_assignments(session, now, principal.agency_id or 0, include_closed=True, limit=5000, held=held)
        leads = partners_leads(session, rows)
    base = context.settings.links_base()
    home = f"{base}/a/{token}"
    body = calendar_feed(
        rows,
        name=principal.name,
        base_url=base,
        page_url=home,
        now=now,
        tz=context.clock.tz,
        leads=leads,
        part_url=lambda part: f"{home}/assignments/{part}",
    )
    return Response(
        body,
        media_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="han-nhiem-vu.ics"'},
    )
