"""A body's extension request waiting for the secretariat's answer, said in the mails about its part.

While it waits the ladder goes on (an extension, not a request, moves the date): the body is still
reminded, told it is overdue, and the leaders' escalation is decided. A body that asked for 30/06
and then read "quá hạn" with no word of its request thought the request lost. Every mail of
:data:`ASKED_KINDS` says it (engine.services.explanations.extension_asked_words, beneath the date in
the facts block), as it stands when the mail is rendered; a rendered mail whose words no longer hold
when it leaves (the request answered meanwhile, or sent meanwhile) is rendered again before it is
sent (notifications.claims), as one left past its day is; so is a leaders' digest whose rows say
of a request what no longer holds (:func:`digest_asked_untrue`). Who receives what, and when, is
unchanged.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from dondoc.engine.clock import local_date
from dondoc.engine.models import Agency, Assignment, Event
from dondoc.engine.services.explanations import (
    answerable,
    extension_asked_words,
    handed_on_words,
    open_extension_requests,
    open_request_condition,
)
from dondoc.engine.settings import Settings
from dondoc.engine.workflow import Action

# The mails about a part its body (or its lead, or a leader) may receive while the body's extension
# request waits: the ladder's (a countdown, a notice not acknowledged, overdue, overdue at issue, a
# partner's input, the leaders' escalation) and the requests of people that reach the body meanwhile
# (an explanation asked of it, its report returned, which makes the request answerable again).
ASKED_KINDS = frozenset(
    {
        "reminder",
        "unacknowledged",
        "overdue",
        "overdue_at_issue",
        "partner_input",
        "escalation",
        "explanation_request",
        "report_returned",
        # the work a successor took over (a succession passes a part with its history: a request its
        # predecessor left waiting waits still, for the secretariat to answer the successor)
        "inherited_work",
    }
)
# the outbox row's data: the request event a rendered mail told of (None: none); of a mail listing
# parts (``assignment_ids``), each part's whose request it told of (its id as text → the event)
ASKED_KEY = "extension_asked"
BODY_WORDS = "quý cơ quan"  # the request's body, addressed


def told(event_id: int | None, state: str) -> int | None:
    """The request a mail about a part in ``state`` tells of: its open extension request
    (``event_id``), while the rule book lets the secretariat answer it (explanations.answerable: a
    request left open by a report waits for no decision until the report is returned); else None."""
    return event_id if event_id is not None and answerable(Action.REQUEST_EXTENSION, state) else None


def asked_facts(
    session: Session, assignment: Any, agency: Any, recipient_code: str | None, *, settings: Settings
) -> dict[str, Any]:
    """What the facts block says of the part's waiting request, read now: ``extension_asked``, the
    sentence (None when nothing waits), and ``extension_asked_event``, the request's event id, which
    the row keeps (:data:`ASKED_KEY`) for the check before sending. ``assignment`` has ``id``,
    ``state`` and ``due_at``; ``agency`` (the part's body) ``code`` and ``name``; ``recipient_code``
    is the body the mail goes to (None: a leader, the secretariat)."""
    asked = open_extension_requests(session, [assignment.id]).get(assignment.id)
    event_id = told(asked.event_id if asked is not None else None, assignment.state)
    if asked is None or event_id is None:
        return {"extension_asked": None, "extension_asked_event": None}
    if recipient_code == asked.actor:
        whose = BODY_WORDS
    elif asked.actor == agency.code:
        whose = agency.name
    else:  # asked by a body that has since handed the part on (a succession)
        name = session.exec(select(Agency.name).where(col(Agency.code) == asked.actor)).first()
        whose = handed_on_words(name or asked.actor)
    due = local_date(assignment.due_at, settings.tz) if assignment.due_at is not None else None
    words = extension_asked_words(asked.requested_due, local_date(asked.at, settings.tz), due, whose)
    return {"extension_asked": words, "extension_asked_event": event_id}


def _open_request_column() -> Any:
    """The open extension request of ``Assignment``'s row (its event id, or NULL), as a column: of
    the facts a mail is rendered from (notifications.context, which reads the request whole only when
    there is one) and of the outbox row read before sending (notifications.claims). The one
    condition of an open request the pages and the queues read (explanations.open_request_condition)."""
    request = aliased(Event)
    return (
        select(col(request.id))
        .where(
            col(request.assignment_id) == col(Assignment.id),
            open_request_condition(request, Action.REQUEST_EXTENSION),
        )
        .correlate(Assignment)
        .scalar_subquery()
        .label("extension_asked_now")
    )


OPEN_REQUEST = _open_request_column()


def asked_untrue(row: Any) -> bool:
    """Whether ``row`` (an outbox row read with its assignment, :data:`OPEN_REQUEST` among its
    columns) tells of a waiting request that no longer waits, or of none while one waits now (asked,
    answered, or asked again since it was rendered): rendered again before it leaves."""
    if row.kind not in ASKED_KINDS or row.found is None:
        return False
    return bool(row.data.get(ASKED_KEY) != told(row.extension_asked_now, row.state))


def told_of(context: dict[str, Any]) -> Any:
    """What a rendered mail's row keeps (:data:`ASKED_KEY`) of the requests it told of: the one
    request of a mail about a part, or, of a mail listing parts, each part's told of."""
    if not context["data"].get("assignment_ids"):
        return context["extension_asked_event"]
    return {
        str(part["assignment_id"]): part["extension_asked_event"]
        for part in context["assignments"]
        if part["extension_asked_event"] is not None
    }


_LISTED = select(col(Assignment.id), col(Assignment.state), OPEN_REQUEST).where(
    col(Assignment.id).in_(bindparam("ids", expanding=True))
)


def listed_asked_untrue(connection: Any, row: Any) -> bool:
    """Whether ``row``, a mail listing parts (a successor's ``inherited_work``: no assignment of
    its own), tells of a waiting request that no longer waits, or of none on a part whose request
    waits now: rendered again before it leaves, as a mail about one part is (:func:`asked_untrue`)."""
    ids = row.data.get("assignment_ids") if row.kind in ASKED_KINDS and row.assignment_id is None else None
    if not ids:
        return False
    now = {
        str(part): event
        for part, state, open_id in connection.execute(_LISTED, {"ids": list(ids)})
        if (event := told(open_id, state)) is not None
    }
    return bool((row.data.get(ASKED_KEY) or {}) != now)


def digest_asked_untrue(session: Session, data: dict[str, Any]) -> bool:
    """Whether a leaders' digest (its ``data``: rows by body, each with ``extension`` when its body's
    request waited as it was built) says a request waits that was answered since, or says nothing
    of one sent since: built again before it leaves, as one telling of work reported since is
    (notifications.claims). The digest reads open requests as it is built (notifications.digests)."""
    rows = [row for group in data.get("groups") or () for row in group["rows"]]
    if not rows:
        return False
    said = {row["assignment_id"] for row in rows if row.get("extension")}
    return said != set(open_extension_requests(session, [row["assignment_id"] for row in rows]))
