"""The secretariat's queue "Đề nghị gia hạn": extension requests waiting for a decision, oldest first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, col

from dondoc.engine.clock import DEFAULT_DAYS, LocalDays
from dondoc.engine.models import Assignment
from dondoc.engine.models.assignments import OPEN_STATE_VALUES
from dondoc.engine.services.explanations import open_extension_requests
from dondoc.engine.services.queries import base_query, to_view
from dondoc.engine.views import AssignmentView


@dataclass(frozen=True)
class PendingExtension:
    """One open extension request with its assignment as the board shows it."""

    assignment: AssignmentView
    asked_at: datetime
    asked_by: str
    reason: str
    requested_due: date | None
    days_waiting: int  # calendar days since it was asked, at the moment the queue is read


def pending_extensions(session: Session, now: datetime, *, local: LocalDays = DEFAULT_DAYS) -> list[PendingExtension]:
    """Open extension requests on open assignments (a cancelled or finished one has nothing to
    extend), the longest waiting first."""
    requests = open_extension_requests(session, None)
    if not requests:
        return []
    statement = base_query(now).where(
        col(Assignment.id).in_(list(requests)), col(Assignment.state).in_(OPEN_STATE_VALUES)
    )
    today = local.local_date(now)
    found = []
    for row in session.exec(statement):
        request = requests[row[0].id or 0]
        waited = max(0, (today - local.local_date(request.at)).days)
        found.append(
            PendingExtension(
                to_view(row, now), request.at, request.actor, request.comment, request.requested_due, waited
            )
        )
    return sorted(found, key=lambda p: (p.asked_at, p.assignment.id))


def pending_extension_count(session: Session, now: datetime) -> int:
    """How many requests the queue lists (the board header shows it)."""
    return len(pending_extensions(session, now))
