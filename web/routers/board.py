"""The secretariat's board: counts, the per-agency table and chart, overdue list, exports, lists."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from sqlmodel import Session
from starlette.responses import Response

from dondoc.engine.escalation.lead_done import unwaited_of
from dondoc.engine.services.board_then import board_then
from dondoc.engine.services.inferred_parts import unconfirmed_of
from dondoc.engine.services.overdue_lists import overdue_now
from dondoc.engine.services.queues import queue_counts
from dondoc.engine.services.web_queries import (
    board_summary,
    filtered_assignments,
    filtered_count,
    filtered_rewritten,
    filtered_views,
    held_at,
)
from dondoc.engine.views import AssignmentView
from dondoc.web.context import WebContext, ctx
from dondoc.web.exports import XLSX, assignments_csv, assignments_xlsx, board_csv, board_xlsx
from dondoc.web.filters import PAGE_SIZE, choice_of, counted_on, filter_of, list_reading, page_of, pager, reads
from dondoc.web.inputs import here
from dondoc.web.pages import EVERY_OVERDUE, board_context, overdue_limit
from dondoc.web.principal import Principal, secretariat_db, secretariat_principal
from dondoc.web.routers.bulk import BULK_ACTIONS
from dondoc.web.templating import render

router = APIRouter(prefix="/board", tags=["pages: secretariat"], include_in_schema=False)
Context = Annotated[WebContext, Depends(ctx)]
Secretariat = Annotated[Principal, Depends(secretariat_principal)]


@router.get("", dependencies=[reads("qua-han")])
def board(request: Request, context: Context, principal: Secretariat) -> Response:
    # ?qua-han=tat-ca: every overdue row in the list's own order (this year's first, then by days late),
    # as the leaders' page has it; the filterable list is ordered by item code
    every = choice_of(request, "qua-han", EVERY_OVERDUE, "Danh sách quá hạn") is not None
    now = context.clock.now()  # one instant: the queues' counts on the header are of the board's moment
    with context.db() as session:
        page = board_context(session, now, context.calendar, overdue_limit=overdue_limit(every))
        queues = queue_counts(session, now, context.clock)
        # at a look-back, the day the database was last written: the queues' counts are of it, not of ``now``
        later = counted_on(session, now, context.clock)
    return render(request, "board.html", principal=principal, queues=queues, counted_on=later, **page)


def download(content: bytes, media_type: str, name: str) -> Response:
    """A file to save (Content-Disposition: attachment), under ``name``."""
    return Response(content, media_type=media_type, headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/export.csv", dependencies=[reads()])
def export_csv(context: Context, principal: Secretariat) -> Response:
    now = context.clock.now()
    with context.db() as session:
        content = board_csv(board_summary(session, now))
    return download(content, "text/csv; charset=utf-8", f"bang-theo-doi-{context.clock.local_date(now):%Y%m%d}.csv")


@router.get("/export.xlsx", dependencies=[reads()])
def export_xlsx(context: Context, principal: Secretariat) -> Response:
    now = context.clock.now()
    with context.db() as session:
        # the board's overdue list whole, in its order (this year's work first, then by days late)
        then = board_then(session, now, context.clock)  # a look-back's rewritten rows, read once
        overdue = overdue_now(session, now, context.calendar, limit=EXPORT_LIMIT, local=context.clock, then=then)
        guessed = unconfirmed_of(session, [r.view.id for r in overdue])
        summary = board_summary(session, now, then=then)
        unwaited = unwaited_of(
            session, [r.view for r in overdue], now, context.clock.local_date(now), context.clock.tz, then
        )
        content = board_xlsx(summary, overdue, context.clock.local_date(now).year, guessed, unwaited)
    return download(content, XLSX, f"bang-theo-doi-{context.clock.local_date(now):%Y%m%d}.xlsx")


EXPORT_LIMIT = 100_000
FILTER_FIELDS = ("q", "plan", "agency", "group", "role", "state", "category", "due_from", "due_to", "priority")


@router.get("/assignments")
def assignments(request: Request, context: Context) -> Response:
    """Every assignment the filter in the query string selects (search box, plan, agency or group,
    role, state, category, due range, priority), with exports of exactly these and bulk actions."""
    # one transaction: the user's check, then the page's reads
    with secretariat_db(request, context) as (principal, session):
        where, page = filter_of(request), page_of(request)
        now = context.clock.now()
        # at a look-back before a transfer, under the body that held each part then, as the board counts it
        bound = held_at(session, now, where.bound(session, context.clock))
        offset = (page - 1) * PAGE_SIZE
        # at a look-back, the rows rewritten since as they stood then, as the board counts them
        reading = list_reading(session, now, context.clock, where, bound)
        rewritten, choices = reading.rewritten, reading.choices
        total = filtered_count(session, now, bound, rewritten)
        rows = filtered_assignments(session, now, bound, limit=PAGE_SIZE, offset=offset, rewritten=rewritten)
    return render(
        request,
        "assignments.html",
        principal=principal,
        rows=rows,
        now=now,
        calendar=context.calendar,
        total=total,
        pages=pager(page, total, len(rows), where.query_string(), PAGE_SIZE),
        f=where,
        fields=FILTER_FIELDS,
        action="/board/assignments",
        back=here(request),
        bulk_actions=BULK_ACTIONS,
        **choices,
    )


@router.get("/assignments.csv")
def assignments_export_csv(request: Request, context: Context, principal: Secretariat) -> Response:
    """The filtered list as CSV: the same filter, every row (up to 100,000)."""
    now = context.clock.now()
    with context.db() as session:
        rows = _filtered(request, context, session, now)
        guessed = unconfirmed_of(session, [v.id for v in rows])
    return download(
        assignments_csv(rows, guessed),
        "text/csv; charset=utf-8",
        f"nhiem-vu-{context.clock.local_date(now):%Y%m%d}.csv",
    )


@router.get("/assignments.xlsx")
def assignments_export_xlsx(request: Request, context: Context, principal: Secretariat) -> Response:
    """The filtered list as XLSX, dates as date cells."""
    now = context.clock.now()
    with context.db() as session:
        rows = _filtered(request, context, session, now)
        guessed = unconfirmed_of(session, [v.id for v in rows])
    return download(assignments_xlsx(rows, guessed), XLSX, f"nhiem-vu-{context.clock.local_date(now):%Y%m%d}.xlsx")


def _filtered(request: Request, context: WebContext, session: Session, now: datetime) -> list[AssignmentView]:
    """Every row the query string's filter selects, for an export (up to EXPORT_LIMIT), as the list
    shows them (at a look-back, the rows rewritten since as they stood then)."""
    where = held_at(session, now, filter_of(request, exported=True).bound(session, context.clock))
    rewritten = filtered_rewritten(session, now, where, board_then(session, now, context.clock))
    return filtered_views(session, now, where, limit=EXPORT_LIMIT, rewritten=rewritten)
