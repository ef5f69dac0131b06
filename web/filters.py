"""The filter of a list page as the query string carries it, and the choices its form offers."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from sqlmodel import Session, col, select

from dondoc.engine.models import Agency, AgencyGroup, Plan
from dondoc.engine.services.assignment_filter import AssignmentFilter


def filter_of(request: Request) -> AssignmentFilter:
    """The filter in the request's query string (a bookmark, a shared link)."""
    return AssignmentFilter.from_query(dict(request.query_params))


def filter_choices(session: Session) -> dict[str, Any]:
    """Plans, agencies and agency groups for the filter form's lists."""
    return {
        "plans": list(session.exec(select(Plan.number, Plan.title).order_by(col(Plan.year), Plan.number))),
        "agencies": list(session.exec(select(Agency.code, Agency.short).order_by(Agency.short))),
        "groups": list(session.exec(select(AgencyGroup.code, AgencyGroup.name).order_by(AgencyGroup.name))),
    }
