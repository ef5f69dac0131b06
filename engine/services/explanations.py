"""Requests for an explanation (yêu cầu giải trình) and their answers, read from the history."""

from __future__ import annotations

from sqlmodel import Session, select

from dondoc.engine.models import Event
from dondoc.engine.workflow import Action


def open_explanation_requests(session: Session, assignment_ids: list[int]) -> dict[int, str]:
    """Assignment id → the comment of its latest request for an explanation not yet answered."""
    if not assignment_ids:
        return {}
    asked, answered = Action.REQUEST_EXPLANATION.value, Action.EXPLAIN.value
    statement = (
        select(Event.assignment_id, Event.action, Event.comment)
        .where(Event.assignment_id.in_(assignment_ids), Event.action.in_([asked, answered]))  # type: ignore[attr-defined]
        .order_by(Event.at, Event.id)  # type: ignore[arg-type]
    )
    pending: dict[int, str] = {}
    for assignment_id, action, comment in session.exec(statement):
        if action == asked:
            pending[assignment_id] = comment or ""
        else:
            pending.pop(assignment_id, None)
    return pending
