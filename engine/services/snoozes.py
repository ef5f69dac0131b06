"""Snoozes ("tạm dừng nhắc việc") as the leaders and the secretariat are told of them.

What a snooze pauses is the escalation policy's rule (engine.escalation.policy.snooze_pauses); this
module holds what is *said* of one: the words every digest and page use (:func:`snoozed_words`),
and which listed rows were snoozed at a page's instant (:func:`snoozed_at`).
"""

from __future__ import annotations

from datetime import datetime
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Select, bindparam
from sqlmodel import Session, col, select

from dondoc.engine.models import Event
from dondoc.engine.models.types import AwareDateTime
from dondoc.engine.vi_format import vn_date
from dondoc.engine.workflow import Action


def snoozed_words(day: str) -> str:
    """What a row says of work whose body's reminders the secretariat paused until ``day``
    (dd/mm/yyyy, the snooze's last day): the leaders' digest, the secretariat's digest and the
    leaders' page say it alike."""
    return f"Tổ giúp việc đã tạm dừng nhắc việc đến hết ngày {day}"


def snooze_note(until: datetime, due_at: datetime | None, tz: ZoneInfo) -> str:
    """What the part's page says to the secretariat and the leaders of the snooze in force (until the
    end of ``until``'s day): :func:`snoozed_words`, and, when it lasts past the date in force (a date
    the secretariat set or extended to since), that the body gets no reminder of that date meanwhile,
    its overdue notice included (engine.escalation.policy.snooze_pauses; the extension's own mail
    still tells it the date)."""
    said = snoozed_words(vn_date(until, tz))
    if due_at is not None and until.astimezone(tz).date() > due_at.astimezone(tz).date():
        said += (
            f", quá thời hạn hiện nay ({vn_date(due_at, tz)}): đến hết ngày đó cơ quan không nhận thư "
            "nhắc hạn, kể cả thư báo quá hạn"
        )
    return said + "."


def snoozed_at(session: Session, assignment_ids: list[int], now: datetime) -> dict[int, datetime]:
    """Assignment id → the end of the snooze in force at ``now``, for those of ``assignment_ids``
    snoozed then: each one's latest snooze written by ``now`` (history is never backdated), if it
    lasts past ``now``. At the clock's instant it is the assignment's ``snoozed_until`` (a snooze is
    the only thing that sets it); at a past instant, the snooze of that instant: one that had ended
    by then, or that was written after it, is not in force (a look-back must not show it)."""
    if not assignment_ids:
        return {}
    latest: dict[int, datetime] = {}
    for assignment_id, data in session.execute(_snoozes(), {"ids": assignment_ids, "now": now}):
        until = (data or {}).get("snoozed_until")
        if until:
            latest[assignment_id] = datetime.fromisoformat(until)  # ordered by id: the last one wins
    return {i: until for i, until in latest.items() if until > now}


@cache
def _snoozes() -> Select[Any]:
    """The snoozes of the assignments bound as ``ids`` written by the instant bound as ``now``, in
    the order they were written (ix_event_action); built once."""
    return (
        select(col(Event.assignment_id), col(Event.data))
        .where(
            col(Event.action) == Action.SNOOZE.value,
            col(Event.assignment_id).in_(bindparam("ids", expanding=True)),
            col(Event.at) <= bindparam("now", type_=AwareDateTime()),
        )
        .order_by(col(Event.assignment_id), col(Event.id))
    )
