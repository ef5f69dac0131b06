"""The secretariat's queue "Cần phân công lại": open work of a body a succession ended where the
successor is not obvious (a split by function, a dissolved district, a successor whose own part of
the milestone stands in the way), 100 a page as every queue. engine.services.successions does the work."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from sqlmodel import Session
from starlette.responses import RedirectResponse, Response

from dondoc.engine.errors import NotFound
from dondoc.engine.services.provinces import provinces_of_assignments
from dondoc.engine.services.queries import get_assignment
from dondoc.engine.services.queues import REASSIGN_QUEUE, queue_by_slug
from dondoc.engine.services.successions import beside_vi, existing_agencies, other_parts, waiting_transfers
from dondoc.engine.services.tracking import is_before_tracking
from dondoc.engine.views import AssignmentView
from dondoc.engine.workflow import Action
from dondoc.web.actions import ActionInput, perform
from dondoc.web.context import WebContext, ctx
from dondoc.web.csrf import check_csrf
from dondoc.web.errors import reopen_at
from dondoc.web.filters import BACKLOG, PAGE_SIZE, page_of, queue_filter, queue_page
from dondoc.web.inputs import Id, Short, here, row_number
from dondoc.web.principal import Principal, secretariat_db, secretariat_principal
from dondoc.web.templating import render

router = APIRouter(prefix="/board", tags=["pages: secretariat"], include_in_schema=False)
Context = Annotated[WebContext, Depends(ctx)]
Secretariat = Annotated[Principal, Depends(secretariat_principal)]


@router.get("/can-phan-cong-lai")
def queue(request: Request, context: Context, done: str | None = None) -> Response:
    """The waiting assignments, oldest succession first, each with the bodies its succession names;
    a page at a time as every queue: the count of all of them (the board's, through the same
    statement), the filter form and the filter kept in the URL. The tracked work, and the
    pre-tracking backlog apart at ``?ton-dong=1`` (nobody chases it), each with the other's count."""
    queue = queue_by_slug(REASSIGN_QUEUE)
    # one transaction: the user's check, then the page's reads
    with secretariat_db(request, context) as (principal, session):
        (where, backlog), page = queue_filter(request, queue), page_of(request)
        now, local = context.clock.now(), context.clock
        count = queue.count(session, now, local, where, backlog)
        other = queue.count(session, now, local, where, not backlog)  # the other part, filtered alike
        offset = (page - 1) * PAGE_SIZE
        rows = waiting_transfers(
            session, now, local=local, where=where, limit=PAGE_SIZE, offset=offset, backlog=backlog
        )
        today = local.local_date(now)
        existing = existing_agencies(session, today) if rows else []
        # a row of a plan of another province is offered that province's bodies (engine.provinces)
        theirs = provinces_of_assignments(session, [r.assignment_id for r in rows])
        others = {i: existing_agencies(session, today, p) for i, p in theirs.items()}
        listed = queue_page(session, queue, where, page, count, len(rows), now, local, backlog)
        decided = _decided(session, done, now)
        # how the holder's other parts of the milestone stand now (a partner part ended as it took the lead)
        beside = other_parts(session, decided.id) if decided is not None else []
    return render(
        request,
        "reassignment.html",
        principal=principal,
        rows=rows,
        existing=existing,  # who may take the work: every agency of the committee's province that exists today
        others=others,
        done=decided,
        beside=beside_vi(decided.agency_name, beside) if decided is not None else [],
        back=here(request),  # the bulk summary's way back
        backlog=backlog,
        other=other,
        # the other part's link, with the same filter
        other_query="&".join(p for p in (where.query_string(), "" if backlog else f"{BACKLOG}=1") if p),
        **listed,
    )


def _decided(session: Session, done: str | None, now: datetime) -> AssignmentView | None:
    """The work just given to a body (``?done=ID``), as the notice names it: its item and who holds it
    now ("Đã phân công lại nhiệm vụ 94" named an internal number); nothing for a value that names none."""
    number = row_number(done or "")
    if number is None:
        return None
    try:
        return get_assignment(session, number, now)
    except NotFound:
        return None


@router.post("/can-phan-cong-lai/{assignment_id}")
def decide(
    request: Request,
    assignment_id: Id,
    context: Context,
    principal: Secretariat,
    csrf: Annotated[Short, Form()] = "",
    agency: Annotated[Short, Form()] = "",
    version: Annotated[Short, Form()] = "",
) -> Response:
    check_csrf(request, csrf)
    data = ActionInput(Action.REASSIGN.value, expected_version=version, agency=agency)
    reopen_at(request, "/board/can-phan-cong-lai", "Mở lại danh sách «Cần phân công lại» để xem tình trạng hiện tại")
    with context.db() as session:  # through act: the transition table says who may, and when
        perform(session, context, principal, assignment_id, data)
        # back to the part of the queue it was listed in: the backlog's (?ton-dong=1) or the tracked work's
        part = f"{BACKLOG}=1&" if is_before_tracking(session, assignment_id) else ""
    return RedirectResponse(f"/board/can-phan-cong-lai?{part}done={assignment_id}", status_code=303)
