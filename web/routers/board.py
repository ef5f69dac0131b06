"""The secretariat's board: counts, the per-agency table and chart, overdue list, exports, lists."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from dondoc.engine.models import Agency, Plan
from dondoc.engine.services.naming import unnamed_count
from dondoc.engine.services.successions import pending_assignment_ids
from dondoc.engine.services.web_queries import assignments_where, board_summary, overdue_assignments, status_condition
from dondoc.web.context import WebContext, ctx
from dondoc.web.exports import board_csv, board_xlsx
from dondoc.web.pages import board_context
from dondoc.web.principal import Principal, secretariat_principal
from dondoc.web.templating import render

router = APIRouter(prefix="/board", tags=["pages: secretariat"], include_in_schema=False)
Context = Annotated[WebContext, Depends(ctx)]
Secretariat = Annotated[Principal, Depends(secretariat_principal)]


@router.get("")
def board(request: Request, context: Context, principal: Secretariat) -> Response:
    with context.db() as session:
        page = board_context(session, context.clock.now())
        page["unnamed_count"] = unnamed_count(session)
        page["reassign_count"] = len(pending_assignment_ids(session))
    return render(request, "board.html", principal=principal, **page)


def _download(content: bytes, media_type: str, name: str) -> Response:
    return Response(content, media_type=media_type, headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/export.csv")
def export_csv(context: Context, principal: Secretariat) -> Response:
    now = context.clock.now()
    with context.db() as session:
        content = board_csv(board_summary(session, now))
    return _download(content, "text/csv; charset=utf-8", f"bang-theo-doi-{context.clock.local_date(now):%Y%m%d}.csv")


@router.get("/export.xlsx")
def export_xlsx(context: Context, principal: Secretariat) -> Response:
    now = context.clock.now()
    with context.db() as session:
        content = board_xlsx(board_summary(session, now), overdue_assignments(session, now, limit=5000))
    media = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return _download(content, media, f"bang-theo-doi-{context.clock.local_date(now):%Y%m%d}.xlsx")


@router.get("/assignments")
def assignments(
    request: Request,
    context: Context,
    principal: Secretariat,
    status: str | None = None,
    agency: str | None = None,
    plan: str | None = None,
) -> Response:
    """A filtered list, reached from the board's counts (by category, agency or plan)."""
    now = context.clock.now()
    conditions = [status_condition(status, now)] if status else []
    if agency:
        conditions.append(Agency.code == agency)
    if plan:
        conditions.append(Plan.number == plan)
    with context.db() as session:
        rows = assignments_where(session, now, *conditions, limit=500)
    return render(request, "assignments.html", principal=principal, rows=rows, status=status, agency=agency, plan=plan)
