"""The history only moves forward: no event before an assignment's last one, and the replay mark."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, select

from dondoc.engine.errors import Backdated
from dondoc.engine.models import Event, ReplayMark
from dondoc.engine.vi_format import vn_datetime


def last_event_at(session: Session, assignment_id: int) -> datetime | None:
    """The instant of the assignment's latest event, or None if it has none."""
    return session.exec(select(func.max(Event.at)).where(Event.assignment_id == assignment_id)).one()


def refuse_backdating(session: Session, assignment_id: int, at: datetime) -> None:
    """Backdated if ``at`` is earlier than the assignment's last event; an equal instant is fine."""
    refuse_before(assignment_id, at, last_event_at(session, assignment_id))


def refuse_before(assignment_id: int, at: datetime, last: datetime | None) -> None:
    """Backdated if ``at`` is earlier than ``last``, the assignment's last event as already read."""
    if last is not None and at < last:
        raise Backdated(assignment_id, vn_datetime(at), vn_datetime(last))


def is_replay(session: Session) -> bool:
    """Whether this database is a replay (``dondoc simulate``, ``serve --demo``)."""
    return session.exec(select(ReplayMark.id).limit(1)).first() is not None


def mark_replay(session: Session, *, now: datetime) -> None:
    """Mark this database as a replay: commands may then write at a past ``--now``."""
    if not is_replay(session):
        session.add(ReplayMark(id=1, marked_at=now))
        session.flush()
