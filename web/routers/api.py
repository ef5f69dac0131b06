"""The JSON API (/api/v1): the same services, roles and scope as the pages, bearer tokens.

Writes take the version the client last saw (``If-Match: "3"`` or ``expected_version``);
a stale write is refused with 409 and changes nothing.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Query, Security
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, ConfigDict, Field
from starlette.responses import FileResponse, Response

from dondoc.engine.actors import AGENCY_RECIPIENTS
from dondoc.engine.db import INT_MAX
from dondoc.engine.errors import PermissionDenied
from dondoc.engine.models import Assignment
from dondoc.engine.services.board_then import board_then
from dondoc.engine.services.partner_dates import partners_leads
from dondoc.engine.services.permissions import reads_files_of
from dondoc.engine.services.queries import CATALOG_ORDER, get_assignment, held_on
from dondoc.engine.services.queries import list_assignments as listed
from dondoc.engine.services.web_queries import (
    BoardSummary,
    agency_assignments,
    agency_by_code,
    board_summary,
)
from dondoc.engine.views import AssignmentDetail, AssignmentView
from dondoc.engine.workflow import Action
from dondoc.web.actions import ActionInput, perform
from dondoc.web.api_query import known_query
from dondoc.web.context import WebContext, ctx
from dondoc.web.errors import API_ERRORS, CONFLICT
from dondoc.web.ical import calendar_feed
from dondoc.web.inputs import IF_MATCH_PATTERN, QUERY_PATTERN, Id, StatusFilter, Text
from dondoc.web.principal import Principal, api_principal
from dondoc.web.uploads import locate

router = APIRouter(prefix="/api/v1", tags=["api"], responses=API_ERRORS, dependencies=[Depends(known_query)])
Context = Annotated[WebContext, Depends(ctx)]


# Declared as the document's security scheme (not a header parameter); a missing or malformed
# header is the API's own 401, in the error shape.
bearer = HTTPBearer(auto_error=False, description="an API token from `dondoc tokens create`")


def principal(
    context: Context, credentials: Annotated[HTTPAuthorizationCredentials | None, Security(bearer)]
) -> Principal:
    authorization = f"{credentials.scheme} {credentials.credentials}" if credentials else None
    if authorization is not None and len(authorization) > 1024:
        authorization = None  # no token is that long: unknown, without a lookup
    with context.db() as session:
        return api_principal(session, authorization)


Caller = Annotated[Principal, Depends(principal)]
AgencyCode = Annotated[str, Query(min_length=1, max_length=64, pattern=QUERY_PATTERN, description="an agency code")]


class ActionBody(BaseModel):
    """One workflow action; fields an action does not need are ignored, a field not declared here is
    refused (a misspelt "expected_verison" had been dropped, and the step taken with no version check)."""

    model_config = ConfigDict(extra="forbid")

    action: Action = Field(examples=["acknowledge", "progress", "report", "verify", "return", "extend"])
    comment: Text | None = None
    due: date | None = None
    percent: int | None = Field(default=None, ge=0, le=100)
    expected_version: int | None = Field(default=None, ge=0, le=INT_MAX, description="or send If-Match")
    agency: str | None = Field(default=None, max_length=64, description="reassign: the agency that takes the work over")


@router.get("/assignments", response_model=list[AssignmentView])
def list_assignments(
    context: Context,
    caller: Caller,
    status: StatusFilter | None = None,
    agency: Annotated[str | None, Query(max_length=64, pattern=QUERY_PATTERN)] = None,
    plan: Annotated[str | None, Query(max_length=128, pattern=QUERY_PATTERN)] = None,
    limit: Annotated[int, Query(ge=1, le=5000)] = 500,
) -> list[AssignmentView]:
    """Assignments the caller may see (an agency: only its own), filtered by state/category, agency, plan.
    Read at a past instant, as the command line's list says them (queries.list_assignments): each under
    the body that held it then, a row rewritten since as it stood then, and filtered so."""
    now = context.clock.now()
    if caller.is_agency:
        agency = caller.actor.agency_code
    with context.db() as session:
        then = board_then(session, now, context.clock)  # at today's instant: one probe, and none
        return listed(
            session,
            now,
            agency=agency,
            plan=plan,
            status=status.value if status else None,
            limit=limit,
            then=then,
            order=CATALOG_ORDER,
        )


@router.get("/assignments/{assignment_id}", response_model=AssignmentDetail)
def show(assignment_id: Id, context: Context, caller: Caller) -> AssignmentDetail:
    with context.db() as session:
        detail = get_assignment(session, assignment_id, context.clock.now())
    caller.check_can_see(detail)
    if caller.is_agency:  # an agency sees the mails addressed to it, not the committee's
        detail.mails = [m for m in detail.mails if m.recipient_role in AGENCY_RECIPIENTS]
    return detail


@router.post("/assignments/{assignment_id}/actions", response_model=AssignmentDetail, responses=CONFLICT)
def act_on(
    assignment_id: Id,
    body: ActionBody,
    context: Context,
    caller: Caller,
    if_match: Annotated[str | None, Header(pattern=IF_MATCH_PATTERN, description='the version, e.g. "3"')] = None,
) -> AssignmentDetail:
    """Apply one action: 403 not yours, 404 unknown, 409 stale version or wrong state, 422 bad input."""
    version = body.expected_version if body.expected_version is not None else if_match
    data = ActionInput(
        body.action.value, body.comment, body.due, body.percent, version, agency=body.agency, version_optional=True
    )
    with context.db() as session:
        return perform(session, context, caller, assignment_id, data)


@router.get("/board", response_model=BoardSummary)
def board(context: Context, caller: Caller) -> BoardSummary:
    """Counts per category, in total and per agency (an agency: its own row only)."""
    with context.db() as session:
        return board_summary(session, context.clock.now(), agency_id=caller.agency_id if caller.is_agency else None)


@router.get("/calendar.ics", response_class=Response, responses={200: {"content": {"text/calendar": {}}}})
def calendar(context: Context, caller: Caller, agency: AgencyCode) -> Response:
    """An agency's due dates as iCalendar for ``agency`` (an agency token always gets its own)."""
    now = context.clock.now()
    with context.db() as session:
        found = agency_by_code(session, caller.actor.agency_code or agency if caller.is_agency else agency)
        held = held_on(session, now)
        rows = agency_assignments(session, now, found.id or 0, include_closed=True, limit=5000, held=held)
        leads = partners_leads(session, rows)
    body = calendar_feed(
        rows,
        name=found.name,
        base_url=context.settings.links_base(),
        page_url=context.settings.links_base(),
        now=now,
        tz=context.clock.tz,
        leads=leads,
    )
    return Response(body, media_type="text/calendar; charset=utf-8")


@router.get("/attachments/{attachment_id}", response_class=FileResponse)
def attachment(attachment_id: Id, context: Context, caller: Caller) -> Response:
    """Download a file: the secretariat, or an agency that reads it (its own part's, or as the lead
    its partners': permissions.reads_files_of, as on the agency's pages)."""
    with context.db() as session:
        row, path = locate(session, context.attachments, attachment_id)
        owner = session.get(Assignment, row.assignment_id)
        allowed = owner is not None and reads_files_of(session, caller.agency_id or 0, owner)
    if caller.is_leader:
        only = "tệp chỉ tải được bằng mã truy cập của Tổ giúp việc hoặc của cơ quan được giao"
        raise PermissionDenied(caller.name, f"tải tệp {attachment_id}", only)
    if caller.is_agency and not allowed:
        raise PermissionDenied(caller.name, f"tải tệp {attachment_id}", "tệp thuộc phần việc của cơ quan khác")
    return FileResponse(path, media_type=row.content_type, filename=row.original_name)
