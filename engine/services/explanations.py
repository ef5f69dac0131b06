"""Requests between people, read from the history: explanations (yêu cầu giải trình) and
extensions (đề nghị gia hạn), each open until its answer is recorded.

:func:`open_request_condition` is the one definition of an open request, in SQL: the rule book
(engine.services.permissions), the assignment page and the desk's queues (engine.services.queues)
all read it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Select, bindparam, exists
from sqlalchemy.orm import aliased
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, select

from dondoc.engine.clock import local_date
from dondoc.engine.escalation.facts import working_days_waiting
from dondoc.engine.models import Event, State
from dondoc.engine.models.types import AwareDateTime
from dondoc.engine.status import asked_day_off_words
from dondoc.engine.vi_format import vn_date
from dondoc.engine.workcalendar import WorkCalendar
from dondoc.engine.workflow import TRANSITIONS, Action

# What answers each kind of request: the next of these events closes it.
ANSWERS: dict[Action, frozenset[Action]] = {
    Action.REQUEST_EXPLANATION: frozenset({Action.EXPLAIN}),
    Action.REQUEST_EXTENSION: frozenset({Action.EXTEND, Action.REFUSE_EXTENSION}),
}


def answerable(kind: Action, state: str) -> bool:
    """Whether the rule book lets anyone answer a request of ``kind`` on work in ``state``: an
    extension request left open by the report that followed it waits for no decision (neither
    extend nor refuse is taken on reported work) until the report is returned."""
    return any(State(state) in TRANSITIONS[answer].sources for answer in ANSWERS[kind])


@dataclass(frozen=True)
class OpenRequest:
    """The latest request of one kind on an assignment that nothing has answered yet."""

    event_id: int
    assignment_id: int
    at: datetime
    actor: str  # who asked (engine.actors label: an agency code, secretariat, vice-chair, chair)
    comment: str
    requested_due: date | None  # an extension request: the date asked for


def open_request_condition(request: Any, asked: Action, by: Any = None) -> ColumnElement[bool]:
    """``request`` (an alias of ``Event``) is an open request of kind ``asked``: no request of that
    kind nor any of its answers comes after it in its assignment's history (history only moves
    forward, so a later event has a larger id). At most one open request of a kind per assignment.
    ``by`` (an instant, or a bound parameter): open at that instant, asked by then and answered
    after it or not at all (a page read at a past instant says what was waiting then)."""
    later = aliased(Event)
    kinds = [asked.value, *(a.value for a in ANSWERS[asked])]
    after = [
        col(later.assignment_id) == col(request.assignment_id),
        col(later.action).in_(kinds),
        col(later.id) > col(request.id),
    ]
    condition = col(request.action) == asked.value
    if by is not None:
        after.append(col(later.at) <= by)
        condition = condition & (col(request.at) <= by)
    return condition & ~exists().where(*after)


def with_open_request(assignment_id: Any, asked: Action) -> ColumnElement[bool]:
    """``assignment_id`` (a column) is of an assignment with an open request of kind ``asked``: the
    same condition, as a set of assignments a list can be driven from (SQLite then starts from the
    few requests, not from every assignment)."""
    return col(assignment_id).in_(_with_open_request(asked))


@cache
def _with_open_request(asked: Action) -> Any:
    """The assignments with an open request of kind ``asked``, as a subquery; it depends on
    nothing but the schema and ``asked``, so it is built once (SQL expressions are immutable)."""
    request = aliased(Event)
    return select(request.assignment_id).where(open_request_condition(request, asked))


def open_requests(
    session: Session, asked: Action, assignment_ids: list[int] | None, *, by: datetime | None = None
) -> dict[int, OpenRequest]:
    """Assignment id → its open request of kind ``asked`` (every assignment when ``assignment_ids``
    is None), by :func:`open_request_condition`; open at ``by`` when given, else now."""
    if assignment_ids is not None and not assignment_ids:
        return {}
    statement = _open_requests_of(asked, assignment_ids is not None, by is not None)
    values: dict[str, Any] = {} if assignment_ids is None else {"ids": assignment_ids}
    if by is not None:
        values["by"] = by
    pending: dict[int, OpenRequest] = {}
    for event_id, assignment_id, at, actor, comment, data in session.execute(statement, values):
        raw = (data or {}).get("requested_due")
        due = date.fromisoformat(raw) if raw else None
        pending[assignment_id] = OpenRequest(event_id or 0, assignment_id, at, actor, comment or "", due)
    return pending


@cache
def _open_requests_of(asked: Action, some: bool, at_instant: bool = False) -> Select[Any]:
    """The statement of :func:`open_requests`; ``some``: of the assignments bound as ``ids``;
    ``at_instant``: open at the instant bound as ``by``. It depends on nothing but the schema, so
    it is built once per kind."""
    request = aliased(Event)
    statement: Select[Any] = Select(
        col(request.id), col(request.assignment_id), col(request.at), col(request.actor), col(request.comment)
    ).add_columns(col(request.data))
    by = bindparam("by", type_=AwareDateTime()) if at_instant else None
    statement = statement.where(open_request_condition(request, asked, by))
    if some:
        statement = statement.where(col(request.assignment_id).in_(bindparam("ids", expanding=True)))
    return statement


def open_request_ids(session: Session, asked: Action, assignment_ids: list[int]) -> set[int]:
    """Which of ``assignment_ids`` have an open request of kind ``asked`` (the rule book's
    condition, for one assignment or a queue's page at once), by :func:`open_request_condition`."""
    if not assignment_ids:
        return set()
    return set(session.execute(_open_request_ids_of(asked), {"ids": assignment_ids}).scalars())


@cache
def _open_request_ids_of(asked: Action) -> Select[Any]:
    """The statement of :func:`open_request_ids`, built once per kind: :func:`open_requests`'s for
    some assignments, reading their ids alone."""
    requests = _open_requests_of(asked, True)
    return requests.with_only_columns(requests.selected_columns.assignment_id)


def request_still_open(connection: Any, asked: Action, event_id: int) -> bool:
    """Whether the request of kind ``asked`` written as event ``event_id`` is still open (nothing
    has answered it, nor asked again since): a mail asking someone to answer it is true only then."""
    return connection.execute(_still_open_of(asked), {"event_id": event_id}).first() is not None


@cache
def _still_open_of(asked: Action) -> Select[Any]:
    request = aliased(Event)
    return select(col(request.id)).where(
        col(request.id) == bindparam("event_id"), open_request_condition(request, asked)
    )


def open_explanation_requests(
    session: Session, assignment_ids: list[int], *, by: datetime | None = None
) -> dict[int, str]:
    """Assignment id → the comment of its latest request for an explanation not yet answered (by
    ``by``, when given: a list read at a past instant says what waited then)."""
    found = open_requests(session, Action.REQUEST_EXPLANATION, assignment_ids, by=by)
    return {assignment_id: request.comment for assignment_id, request in found.items()}


def open_extension_requests(
    session: Session, assignment_ids: list[int] | None = None, *, by: datetime | None = None
) -> dict[int, OpenRequest]:
    """Assignment id → its extension request not yet extended nor refused (by ``by``, when given)."""
    return open_requests(session, Action.REQUEST_EXTENSION, assignment_ids, by=by)


def extension_waiting(
    asked: OpenRequest, today: date, calendar: WorkCalendar, tz: ZoneInfo, handed_on_by: str | None = None
) -> dict[str, Any]:
    """What a leaders' row says of the body's extension request the secretariat has not decided yet,
    at ``today`` (JSON-able: a leaders' digest stores it, :func:`extension_waiting_words` says it):
    the body asked for more time before the ladder reached the leaders, and it is the secretariat's
    turn, not the body's alone; for how many working days it has been. ``handed_on_by``: asked by the
    body that held the part before a succession passed it on, as :func:`handed_on_words` names it (the
    row stands under the body holding it now, which did not ask)."""
    since = local_date(asked.at, tz)
    return {
        "asked_on": since.isoformat(),
        "asked_by": handed_on_by,
        "requested": asked.requested_due.isoformat() if asked.requested_due else None,
        "working_days_waiting": working_days_waiting(since, today, calendar),
    }


def extension_waiting_words(said: Mapping[str, Any]) -> str:
    """:func:`extension_waiting`'s facts in the one sentence of a waiting request
    (:func:`extension_asked_words`), as the leaders' digest and the leaders' page say them: with the
    working days it has waited; not whose it is (the row is the body's) unless a body that has since
    handed the part on asked (``asked_by``), nor the date in force (the row shows it beside)."""
    requested = date.fromisoformat(said["requested"]) if said["requested"] else None
    asked_on = date.fromisoformat(said["asked_on"])
    whose = said.get("asked_by")  # a digest stored before it was kept names nobody, as it did
    return extension_asked_words(requested, asked_on, None, whose, waited=said["working_days_waiting"])


def extension_asked_words(
    requested: date | None, asked_on: date, due: date | None, whose: str | None = None, *, waited: int | None = None
) -> str:
    """What is said of a body's extension request while it waits for the secretariat's answer: the
    day asked for (``requested``), the day it was sent (``asked_on``, local), and that until it is
    granted the date in force (``due``) stays; ``whose``: "quý cơ quan" to the body that asked, its
    name to anyone else, None where the reader sees whose it is; ``waited``: the working days it has
    waited, where the reader weighs the secretariat's delay (the leaders). A body mailed "quá hạn"
    with no word of the request it sent thought it lost. Every mail about the part while the request
    waits (notifications.asked), the part's page and the leaders' rows say it alike; a day off asked
    for, as the queue says it."""
    off = asked_day_off_words(requested)
    to = f" đến ngày {vn_date(requested)}{f' ({off})' if off else ''}" if requested else ""
    who = f" của {whose}" if whose else ""
    since = f" (đã chờ {waited or 'dưới 1'} ngày làm việc)" if waited is not None else ""
    stays = f"; cho đến khi được chấp thuận, thời hạn vẫn là ngày {vn_date(due)}" if due else ""
    # whose request before the day asked for: after it (and its day-off note) "của quý cơ quan" read as
    # the day's, "đến ngày 18/12/2022 (ngày nghỉ: …, 19/12/2022) của quý cơ quan"
    return f"Đề nghị gia hạn{who}{to}, gửi ngày {vn_date(asked_on)}, đang chờ Tổ giúp việc trả lời{since}{stays}."


def given_other_than_asked(requested: date, given: date, calendar: WorkCalendar) -> bool:
    """Whether an extension to ``given`` (the day the secretariat wrote, before a day off moved it)
    answers a body's request for ``requested`` with another day. A day off asked for becomes the next
    working day (its request mail said so): given that day, it is the day asked. The one test of it:
    the answer's mail (engine.services.request_mails) and the bulk summary (web.routers.bulk) say
    "không theo ngày đề nghị" alike, never "đồng ý" nor a bare new date the body reads as its own."""
    return given not in (requested, calendar.effective_due(requested))


def other_than_asked_words(requested: date) -> str:
    """What a line about an extension adds when :func:`given_other_than_asked`: the request it
    answered, and that the day given is not the one asked for."""
    return f"không theo ngày đề nghị (đề nghị đến ngày {vn_date(requested)})"


def handed_on_words(name: str) -> str:
    """The body that asked for more time and has since handed the part on (a succession passes a
    part with its history: the request stays open, the secretariat answers it, and its answer goes
    to the body that holds the part now), as whatever speaks of the request names it: the mails
    (notifications.asked), the part's page, the secretariat's queue and its answer's mail. Without
    it the successor read its predecessor's request as its own, and the queue listed it under the
    successor's name as though that body had asked."""
    return f"{name} (cơ quan được giao trước đây)"


@dataclass(frozen=True)
class Exchange:
    """One request on an assignment and its answer, if any (the assignment page lists them)."""

    kind: Action  # request_explanation or request_extension
    asked_at: datetime
    asked_by: str
    question: str
    requested_due: date | None
    answer: Action | None  # explain, extend, refuse_extension, or ``kind``: a later request; None while open
    answered_at: datetime | None
    answered_by: str | None
    reply: str | None

    @property
    def is_open(self) -> bool:
        return self.answer is None


def exchanges(events: list[Any]) -> list[Exchange]:
    """Every request in ``events`` (history order: anything with ``action``, ``at``, ``actor``,
    ``comment`` and ``data``) paired with the event that closed it: its answer, or a later request
    of the same kind (as :func:`open_request_condition` has it: only the latest request is open)."""
    found: list[Exchange] = []
    open_now: dict[Action, int] = {}  # request kind → index in ``found`` of the one still open
    answered_by = {answer: asked for asked, answers in ANSWERS.items() for answer in answers}
    for event in events:
        action = Action(event.action) if event.action in Action._value2member_map_ else None
        if action in ANSWERS:
            if action in open_now:  # replaced by this later request before any answer
                found[open_now[action]] = _closed(found[open_now[action]], action, event)
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
            found[index] = _closed(found[index], action, event)
    return found


def _closed(asked: Exchange, action: Action, event: Any) -> Exchange:
    """``asked`` closed by ``event`` (an answer, or a later request of the same kind)."""
    reply = "" if action is asked.kind else event.comment or ""
    return Exchange(
        asked.kind,
        asked.asked_at,
        asked.asked_by,
        asked.question,
        asked.requested_due,
        action,
        event.at,
        event.actor,
        reply,
    )


def latest_explanations(
    session: Session, assignment_ids: list[int], *, by: datetime | None = None
) -> dict[int, Exchange]:
    """Assignment id → its latest request for an explanation, answered or not (the leaders' digest
    tells what was asked and what the agency said); of those asked and answered by ``by``, when given
    (a list read at a past instant: an answer given since had not been given then)."""
    if not assignment_ids:
        return {}
    actions = [Action.REQUEST_EXPLANATION.value, Action.EXPLAIN.value]
    statement = select(Event).where(col(Event.assignment_id).in_(assignment_ids), col(Event.action).in_(actions))
    if by is not None:
        statement = statement.where(col(Event.at) <= by)
    statement = statement.order_by(col(Event.assignment_id), col(Event.at), col(Event.id))
    events: dict[int, list[Event]] = {}
    for event in session.exec(statement):
        events.setdefault(event.assignment_id, []).append(event)
    return {assignment_id: exchanges(found)[-1] for assignment_id, found in events.items() if exchanges(found)}
