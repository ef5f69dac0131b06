"""The history only moves forward: no event before an assignment's last one, and the replay mark."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, func
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError, ProgrammingError
from sqlmodel import Session, col, select

from dondoc.engine.db import id_batches, transaction
from dondoc.engine.errors import Backdated, ShiftedNowRefused
from dondoc.engine.models import Event, ReplayMark
from dondoc.engine.vi_format import vn_datetime


def last_event_at(session: Session, assignment_id: int) -> datetime | None:
    """The instant of the assignment's latest event, or None if it has none (:func:`last_events_at`)."""
    return last_events_at(session, [assignment_id]).get(assignment_id)


def refuse_backdating(session: Session, assignment_id: int, at: datetime) -> None:
    """Backdated if ``at`` is earlier than the assignment's last event; an equal instant is fine."""
    refuse_before(assignment_id, at, last_event_at(session, assignment_id))


def refuse_before(assignment_id: int, at: datetime, last: datetime | None) -> None:
    """Backdated if ``at`` is earlier than ``last``, the assignment's last event as already read."""
    refused = backdated(assignment_id, at, last)
    if refused is not None:
        raise refused


def backdated(assignment_id: int, at: datetime, last: datetime | None, part: str | None = None) -> Backdated | None:
    """The refusal of a step at ``at`` on an assignment whose last event is ``last``: the history
    only moves forward (an equal instant is fine). The rule book reads it too
    (engine.services.permissions), so that a page read at an instant before a part's last event
    offers no form its click would have refused, and says why. ``part``: the part in words
    (engine.services.part_words), else its number."""
    if last is not None and at < last:
        return Backdated(assignment_id, vn_datetime(at), vn_datetime(last), part=part)
    return None


# per assignment of a bound list, its latest event; with the bound instant, of those after it only
_LAST = select(Event.assignment_id, func.max(Event.at)).where(
    col(Event.assignment_id).in_(bindparam("ids", expanding=True))
)
_LAST_BY = _LAST.group_by(col(Event.assignment_id))
_LAST_AFTER = _LAST.where(col(Event.at) > bindparam("after")).group_by(col(Event.assignment_id))


def last_events_at(session: Session, ids: list[int], after: datetime | None = None) -> dict[int, datetime]:
    """Per assignment of ``ids``, the instant of its latest event (bounded IN lists); with ``after``,
    only of those with an event after it (:func:`backdated`'s question for a page's rows: at today's
    instant a range of ix_event_assignment_at per row, and no row read). Statements built once."""
    last: dict[int, datetime] = {}
    statement, params = (_LAST_BY, {}) if after is None else (_LAST_AFTER, {"after": after})
    for batch in id_batches(ids):
        found = session.execute(statement, {"ids": batch, **params})
        last.update((assignment_id, at) for assignment_id, at in found)
    return last


def is_replay(session: Session) -> bool:
    """Whether this database is a replay (``dondoc simulate``, ``serve --demo``)."""
    return session.exec(select(ReplayMark.id).limit(1)).first() is not None


NOW_TOLERANCE = timedelta(minutes=5)  # an instant this close to the real clock is "now"
REPLAY_QUIET = timedelta(days=7)  # a replay's last step this long before the instant read: days it never lived


def replay_lived_note(session: Session, now: datetime, tz: ZoneInfo) -> str | None:
    """On a replay read at an instant well after its last step (``dondoc report`` without ``--now``
    on a year replayed to 31/12/2022, read in 2026), one line saying so: its figures count every day
    after that step as a day nobody acted, which the replay never lived (the 2022 report judged 140
    parts due 03/01/2023 on days no body was simulated). None on a live database, or when the
    replay lived up to about the instant read."""
    if not is_replay(session):
        return None
    last = session.exec(select(func.max(Event.at))).one()
    if last is None or now - last <= REPLAY_QUIET:
        return None
    return (
        f"Lưu ý: đây là cơ sở dữ liệu mô phỏng, có hoạt động đến {vn_datetime(last, tz)}; số liệu tính "
        f"đến {vn_datetime(now, tz)} coi như sau đó không cơ quan nào làm gì, những ngày bản mô phỏng "
        "chưa diễn lại (xem tại một thời điểm của bản mô phỏng: --now)."
    )


def refuse_shifted_now(engine: Engine, now: datetime, real: datetime, tz: ZoneInfo) -> None:
    """ShiftedNowRefused if ``now`` is set away from the ``real`` clock, in the past or the future, and
    this database is not a replay: the one rule for every writer given an instant (the CLI's ``--now``,
    a flow's ``now``). A past instant would bend the history; a future one would remind and escalate
    work that is not yet late, and stamp events that every real step after them would be refused
    against (history_order.refuse_before)."""
    if abs(now - real) <= NOW_TOLERANCE:
        return
    try:
        with transaction(engine) as session:
            replay = is_replay(session)
    except (OperationalError, ProgrammingError):  # no schema yet, or one older than the mark
        replay = False
    if not replay:
        where = "ở quá khứ" if now < real else "ở tương lai"
        raise ShiftedNowRefused(
            f"--now {vn_datetime(now, tz)} {where}: chỉ cơ sở dữ liệu mô phỏng "
            "(dondoc simulate, serve --demo) cho phép ghi với thời điểm khác giờ thực; "
            "cơ sở dữ liệu này chỉ cho xem lại (status, assignments list/show, report)."
        )


def mark_replay(session: Session, *, now: datetime) -> None:
    """Mark this database as a replay: commands may then write at a past ``--now``."""
    if not is_replay(session):
        session.add(ReplayMark(id=1, marked_at=now))
        session.flush()
