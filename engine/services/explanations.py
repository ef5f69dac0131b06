"""Requests between people, read from the history: explanations (yêu cầu giải trình) and
extensions (đề nghị gia hạn), each open until its answer is recorded."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlmodel import Session, col, select

from dondoc.engine.models import Event
from dondoc.engine.workflow import Action

# What answers each kind of request: the next of these events closes it.
ANSWERS: dict[Action, frozenset[Action]] = {
    Action.REQUEST_EXPLANATION: frozenset({Action.EXPLAIN}),
    Action.REQUEST_EXTENSION: frozenset({Action.EXTEND, Action.REFUSE_EXTENSION}),
}


@dataclass(frozen=True)
class OpenRequest:
    """The latest request of one kind on an assignment that nothing has answered yet."""

    event_id: int
    assignment_id: int
    at: datetime
    actor: str  # who asked (engine.actors label: an agency code, secretariat, vice-chair, chair)
    comment: str
    requested_due: date | None  # an extension request: the date asked for


def open_requests(session: Session, asked: Action, assignment_ids: list[int] | None) -> dict[int, OpenRequest]:
    """Assignment id → its open request of kind ``asked`` (every assignment when ``assignment_ids``
    is None), read from the events in history order."""
    if assignment_ids is not None and not assignment_ids:
        return {}
    answered = ANSWERS[asked]
    statement = (
        select(Event)
        .where(col(Event.action).in_([asked.value, *(a.value for a in answered)]))
        .order_by(col(Event.assignment_id), col(Event.at), col(Event.id))
    )
    if assignment_ids is not None:
        statement = statement.where(col(Event.assignment_id).in_(assignment_ids))
    pending: dict[int, OpenRequest] = {}
    for event in session.exec(statement):
        if event.action == asked.value:
            raw = (event.data or {}).get("requested_due")
            due = date.fromisoformat(raw) if raw else None
            found = OpenRequest(event.id or 0, event.assignment_id, event.at, event.actor, event.comment or "", due)
            pending[event.assignment_id] = found
        else:
            pending.pop(event.assignment_id, None)
    return pending


def open_explanation_requests(session: Session, assignment_ids: list[int]) -> dict[int, str]:
    """Assignment id → the comment of its latest request for an explanation not yet answered."""
    found = open_requests(session, Action.REQUEST_EXPLANATION, assignment_ids)
    return {assignment_id: request.comment for assignment_id, request in found.items()}


def open_extension_requests(session: Session, assignment_ids: list[int] | None = None) -> dict[int, OpenRequest]:
    """Assignment id → its extension request not yet extended nor refused."""
    return open_requests(session, Action.REQUEST_EXTENSION, assignment_ids)


@dataclass(frozen=True)
class Exchange:
    """One request on an assignment and its answer, if any (the assignment page lists them)."""

    kind: Action  # request_explanation or request_extension
    asked_at: datetime
    asked_by: str
    question: str
    requested_due: date | None
    answer: Action | None  # explain, extend or refuse_extension; None while open
    answered_at: datetime | None
    answered_by: str | None
    reply: str | None

    @property
    def is_open(self) -> bool:
        return self.answer is None


def exchanges(events: list[Any]) -> list[Exchange]:
    """Every request in ``events`` (history order: anything with ``action``, ``at``, ``actor``,
    ``comment`` and ``data``) paired with the event that answered it."""
    found: list[Exchange] = []
    open_now: dict[Action, int] = {}  # request kind → index in ``found`` of the one still open
    answered_by = {answer: asked for asked, answers in ANSWERS.items() for answer in answers}
    for event in events:
        action = Action(event.action) if event.action in Action._value2member_map_ else None
        if action in ANSWERS:
            raw = (event.data or {}).get("requested_due")
            open_now[action] = len(found)
            found.append(
                Exchange(
                    action,
                    event.at,
                    event.actor,
                    event.comment or "",
                    date.fromisoformat(raw) if raw else None,
                    None,
                    None,
                    None,
                    None,
                )
            )
        elif action in answered_by and answered_by[action] in open_now:
            index = open_now.pop(answered_by[action])
            asked = found[index]
            found[index] = Exchange(
                asked.kind,
                asked.asked_at,
                asked.asked_by,
                asked.question,
                asked.requested_due,
                action,
                event.at,
                event.actor,
                event.comment or "",
            )
    return found


def latest_explanations(session: Session, assignment_ids: list[int]) -> dict[int, Exchange]:
    """Assignment id → its latest request for an explanation, answered or not (the leaders' digest
    tells what was asked and what the agency said)."""
    if not assignment_ids:
        return {}
    actions = [Action.REQUEST_EXPLANATION.value, Action.EXPLAIN.value]
    statement = (
        select(Event)
        .where(col(Event.assignment_id).in_(assignment_ids), col(Event.action).in_(actions))
        .order_by(col(Event.assignment_id), col(Event.at), col(Event.id))
    )
    events: dict[int, list[Event]] = {}
    for event in session.exec(statement):
        events.setdefault(event.assignment_id, []).append(event)
    return {assignment_id: exchanges(found)[-1] for assignment_id, found in events.items() if exchanges(found)}
