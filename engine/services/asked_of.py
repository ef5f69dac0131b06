"""Whom a request for an explanation was asked of, once a succession has passed the part on.

A request for an explanation names no body: it is asked of whoever held the part when it was
sent (its mail went there). A succession passes the part with its history (engine.services.
successions), the request open, and the body that holds it now must answer. Whatever speaks of
the request says it was addressed to the body that held the part (explanations.handed_on_words):
the successor's mail of the work it took over and its page, the queue "Chờ giải trình" and the
answer's mail. The body it was asked of is the origin of the first transfer recorded after the
request (a succession applied late is recorded when applied: the request went to the body the part
was with at that moment)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, exists, or_
from sqlmodel import Session, col, select

from dondoc.engine.actors import RECIPIENT_LABELS_VI
from dondoc.engine.db import named_alias
from dondoc.engine.models import Agency, AgencyTransfer, Assignment, Event, Role, TransferStatus
from dondoc.engine.role_words import sent_words
from dondoc.engine.services.explanations import OpenRequest, handed_on_words, open_requests
from dondoc.engine.services.transfer_origins import join_holder
from dondoc.engine.vi_format import vn_date
from dondoc.engine.workflow import Action


def _origin(assignment_id: Any, at: Any, held: date | None = None) -> Any:
    """The name of the body the first transfer recorded after ``at`` passed the assignment
    ``assignment_id`` on from (each a value, or a column of the statement it is read in). ``held`` (a
    look-back's day, engine.services.queries.held_on): of the transfers that had passed it on by that
    day; one that passed it later (transfer_origins.held_then: the part was still its origin's that
    day) is not yet."""
    done = [col(AgencyTransfer.status) == TransferStatus.DONE.value, col(AgencyTransfer.recorded_at) > at]
    if held is not None:
        done.append(col(AgencyTransfer.passed_on) <= held)
    return (
        select(col(Agency.name))
        .join(AgencyTransfer, col(AgencyTransfer.from_agency_id) == col(Agency.id))
        .where(col(AgencyTransfer.assignment_id) == assignment_id, *done)
        .order_by(col(AgencyTransfer.recorded_at), col(AgencyTransfer.id))
        .limit(1)
    )


def asked_of_sql(request: Any, assignment_id: Any) -> Any:
    """SQL: the name of the body a request (``request``, an alias of ``Event``) of the assignment
    ``assignment_id`` (a column) was asked of, when a transfer has since passed the part on; NULL
    when it was asked of the body that holds it."""
    return _origin(assignment_id, col(request.at)).scalar_subquery()


def waiting_transfer_sql(assignment_id: Any, at: Any = None) -> Any:
    """SQL: the assignment ``assignment_id`` (a column) waits in "Cần phân công lại": its body has
    ended and nobody holds it to answer a request until the secretariat names a body. With ``at``
    (an instant, or a bind parameter: engine.status.NOW), as it stood then: queued by then (a
    queued transfer has a reason) and not decided by then (still waiting, or decided later: at a
    look-back, what waited that day; a transfer done at once is decided as it is recorded)."""
    # an alias of its own, made once (a fresh one cost ~0.8 ms a call to build: per page, and per week of
    # the trend), correlated to the statement's assignment only
    transfer = named_alias(AgencyTransfer, "transfer_waiting")
    waits = col(transfer.status) == TransferStatus.PENDING.value
    if at is None:
        return exists().where(col(transfer.assignment_id) == assignment_id, waits)
    return exists().where(
        col(transfer.assignment_id) == assignment_id,
        col(transfer.recorded_at) <= at,
        or_(waits, and_(col(transfer.reason).is_not(None), col(transfer.decided_at) > at)),
    )


def asked_of(session: Session, assignment_id: int, at: datetime, held: date | None = None) -> str | None:
    """The body a request of ``assignment_id`` sent at ``at`` was asked of, as the surfaces name it
    (explanations.handed_on_words), when a transfer has since passed the part on (by ``held``, a
    look-back's day: :func:`_origin`); else None: asked of the body that holds it (held it that day)."""
    name = session.exec(_origin(assignment_id, at, held)).first()
    return handed_on_words(name) if name is not None else None


def handed_explanation_words(actor: str, asked_of_name: str, asked_on: date | datetime, question: str) -> str:
    """What a successor is told of a request for an explanation its predecessor left unanswered:
    whose it is, whom it was asked of, that it waits, and that the successor answers it now."""
    who = RECIPIENT_LABELS_VI.get(actor, actor)
    return (
        f"Yêu cầu giải trình của {who} gửi {asked_of_name} ngày {vn_date(asked_on)} đang chờ trả lời: "
        f"«{question}». Quý cơ quan giải trình tại trang nhiệm vụ."
    )


def open_asked_of(
    session: Session, assignment_id: int, by: datetime | None = None, held: date | None = None
) -> tuple[OpenRequest, str | None] | None:
    """The part's open request for an explanation, read now (open at ``by``, when given: a page's
    instant), with the body it was asked of when a transfer has since passed the part on (by
    ``held``, a look-back's day: :func:`asked_of`); None when none is open."""
    request = open_requests(session, Action.REQUEST_EXPLANATION, [assignment_id], by=by).get(assignment_id)
    return (request, asked_of(session, assignment_id, request.at, held)) if request is not None else None


def handed_explanation(session: Session, assignment_id: int) -> str | None:
    """:func:`handed_explanation_words` of the part's open request for an explanation, read now,
    when it was asked of a body that has since handed the part on; None otherwise (a successor's
    mail of the work it took over says it beside the part)."""
    found = open_asked_of(session, assignment_id)
    if found is None:
        return None
    request, name = found
    return handed_explanation_words(request.actor, name, request.at, request.comment) if name else None


def handed_on_askers(session: Session, requests: dict[int, OpenRequest], held: date | None = None) -> dict[int, str]:
    """Assignment id → the body that asked (``requests``: extension requests, asked by a body), as
    the surfaces name it (explanations.handed_on_words), for those asked by a body other than the
    one that holds the part now: a succession has passed the part on with the request open. ``held``
    (a look-back's day): other than the one that held it that day (transfer_origins.held_then), under
    which a list of that instant stands the row."""
    if not requests:
        return {}
    statement = select(Assignment.id, Agency.code).select_from(Assignment)
    statement = join_holder(statement, held).where(col(Assignment.id).in_(sorted(requests)))
    holders = dict(session.exec(statement).all())
    askers = {i: r.actor for i, r in requests.items() if holders.get(i) not in (None, r.actor)}
    if not askers:
        return {}
    names = dict(
        session.exec(select(Agency.code, Agency.name).where(col(Agency.code).in_(sorted(set(askers.values()))))).all()
    )
    return {i: handed_on_words(names.get(code, code)) for i, code in askers.items()}


def handed_return(session: Session, assignment_id: int) -> str | None:
    """What a successor is told of a report its predecessor sent that the secretariat returned to be
    completed, not sent again since (the part is back in progress: the successor must complete and
    send it); None when the part's last report was not returned, or was returned to the body that
    holds it now."""
    statement = (
        select(Event)
        .where(
            col(Event.assignment_id) == assignment_id,
            col(Event.action).in_([Action.REPORT.value, Action.RETURN.value]),
        )
        .order_by(col(Event.id).desc())
        .limit(1)
    )
    last = session.exec(statement).first()
    if last is None or last.action != Action.RETURN.value:
        return None
    name = asked_of(session, assignment_id, last.at)
    if not name:
        return None
    partner = session.exec(select(Assignment.role).where(Assignment.id == assignment_id)).first() == Role.PARTNER.value
    return returned_words(name, last.at, last.comment or "", partner=partner)


def returned_words(name: str, returned_at: date | datetime, reason: str, *, partner: bool = False) -> str:
    """:func:`handed_return`'s sentence: whose report (a partner's: its input to the lead), when it
    was returned, why, and what to do."""
    sent = sent_words(Role.PARTNER.value if partner else Role.IMPLEMENTER.value).capitalize()
    return (
        f"{sent} của {name} đã được Tổ giúp việc trả lại ngày {vn_date(returned_at)} để bổ sung, "
        f"hoàn thiện: «{reason}». Quý cơ quan bổ sung và gửi lại tại trang nhiệm vụ."
    )


def handed_said(session: Session, assignment_ids: list[int]) -> dict[str, list[str | None]]:
    """What a successor's mail of the work it took over says of each part's request or returned
    report its predecessor left (:func:`handed_explanation`, :func:`handed_return`), read now: kept
    with the rendered mail and read again as it leaves (notifications.claims), so a request answered
    meanwhile is not said waiting."""
    found: dict[str, list[str | None]] = {}
    for part in assignment_ids:
        said = [handed_explanation(session, part), handed_return(session, part)]
        if any(said):
            found[str(part)] = said
    return found
