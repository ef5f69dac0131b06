"""Which agency the catalog first gave an assignment that has since passed to a successor."""

from __future__ import annotations

from sqlmodel import Session, col, select

from dondoc.engine.models import AgencyTransfer


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
