"""Work whose report the secretariat returned: the one reading of it.

A returned report puts the part back in progress (workflow: reported --return--> in_progress), so
late work the body did report, and had sent back to complete, reads like work never reported. Who
tells the leaders of late work (notifications.digests) says so with :func:`returned_reports`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from dondoc.engine.models import Event
from dondoc.engine.workflow import Action


@dataclass(frozen=True)
class Returned:
    """A part's latest report, returned and not sent again since: when it was sent, when returned, why."""

    reported_at: datetime
    returned_at: datetime
    reason: str | None


def returned_reports(session: Session, assignment_ids: list[int]) -> dict[int, Returned]:
    """Assignment id → its last report returned by the secretariat, for those of ``assignment_ids``
    whose latest report or return is a return (one sent again since is not returned any more)."""
    if not assignment_ids:
        return {}
    statement = (
        select(Event)
        .where(
            col(Event.assignment_id).in_(assignment_ids),
            col(Event.action).in_([Action.REPORT.value, Action.RETURN.value]),
        )
        .order_by(col(Event.assignment_id), col(Event.at), col(Event.id))
    )
    last_report: dict[int, datetime] = {}
    found: dict[int, Returned] = {}
    for event in session.exec(statement):
        if event.action == Action.REPORT.value:
            last_report[event.assignment_id] = event.at
            found.pop(event.assignment_id, None)
        elif event.assignment_id in last_report:
            found[event.assignment_id] = Returned(last_report[event.assignment_id], event.at, event.comment or None)
    return found
