"""Who held an assignment before it passed to a successor: the catalog's first holder, and the holder
on a given day (a report of a past period shows the body as it was then)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from dondoc.engine.models import AgencyTransfer, Assignment, TransferStatus


def holder_sql(day: date) -> Any:
    """SQL: the agency id that held the assignment on ``day`` (the body a later transfer took it
    from; with none, its agency now)."""
    earliest_later = (
        select(AgencyTransfer.from_agency_id)
        .where(AgencyTransfer.assignment_id == Assignment.id)
        .where(AgencyTransfer.status == TransferStatus.DONE.value)
        .where(AgencyTransfer.effective_on > day)
        .order_by(col(AgencyTransfer.effective_on), col(AgencyTransfer.id))
        .limit(1)
        .correlate(Assignment)
        .scalar_subquery()
    )
    return func.coalesce(earliest_later, col(Assignment.agency_id))


def transfer_origins(session: Session, assignment_ids: list[int]) -> dict[int, int]:
    """assignment id -> the agency it was with before its first transfer (only transferred ones)."""
    if not assignment_ids:
        return {}
    rows = session.exec(
        select(AgencyTransfer.assignment_id, AgencyTransfer.from_agency_id)
        .where(col(AgencyTransfer.assignment_id).in_(assignment_ids))
        .order_by(col(AgencyTransfer.id))
    )
    origins: dict[int, int] = {}
    for assignment_id, agency_id in rows:
        origins.setdefault(assignment_id, agency_id)
    return origins
