"""The steps one transaction wrote, in order, for a caller that asked to know (the bulk summary):
what a step moved besides the assignment asked — a partner's date brought to its lead's
(engine.services.partner_dates), the agency's same work in another document followed
(engine.services.same_work). Nothing is kept unless the caller started the log on its session."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

_KEY = "dondoc.step_log"


@dataclass(frozen=True)
class Written:
    """One event a step wrote: on which assignment, its action, the state it left, its comment."""

    assignment_id: int
    action: str
    to_state: str
    comment: str | None


def start(session: Session) -> list[Written]:
    """Log the steps written on ``session`` from now on; the list fills as they are written."""
    log: list[Written] = []
    session.info[_KEY] = log
    return log


def record(session: Session, assignment_id: int, action: str, to_state: str, comment: str | None) -> None:
    """Note one event written on ``session``, when its caller logs them."""
    log = session.info.get(_KEY)
    if log is not None:
        log.append(Written(assignment_id, action, to_state, comment))
