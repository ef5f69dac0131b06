"""An escalation in doubt: a leader was told that work was late, and the history later recorded
something that says it may not have been.

The vice-chair and the chair hear of late work in their digest (policy.HELD_KINDS). What the
history writes after that may undo what they were told: a document loaded later records the work
done on a day before the telling, or within a window that begins before it (04/KH-BCĐ, loaded on
10/03/2022, records the Thông báo's Quy chế done "Tháng 02/2022", where the chair had been told on
24/02 that it was 7 working days late); or the catalog moves the text's date past the telling
(``catalog_due_changed``). The escalation stays as it was (the history is append-only); the part's
page says beside it, and each leader's next digest once, that it may have been untrue.

One rule (:func:`doubt_of`), judged on the history replayed to the instant asked about
(engine.reports.history), never on a stored copy; read by the part's page and by the digest.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Select, and_, func, select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from dondoc.engine.actors import LEADER_RECIPIENTS
from dondoc.engine.clock import DEFAULT_DAYS, ensure_aware
from dondoc.engine.escalation.policy import HELD_KINDS
from dondoc.engine.models import Assignment, Notification, NotificationStatus, State
from dondoc.engine.reports.history import Facts, Happened, Static, events, statics, stretches
from dondoc.engine.vi_format import vn_date

DONE_STATES = (State.REPORTED.value, State.VERIFIED.value)
LEADER_ROLES = tuple(sorted(role.value for role in LEADER_RECIPIENTS))
LEADER_KINDS = tuple(sorted({kind for role in LEADER_RECIPIENTS for kind in HELD_KINDS[role]}))
# Actions after which what a leader was told may no longer hold (their instant bounds a digest's look).
DOUBTING = ("report", "catalog_same_work", "catalog_done_by_issue", "import_done", "catalog_due_changed")


@dataclass(frozen=True)
class Told:
    """A leader told of a part's lateness: the escalation row, and when the leader read it (the
    first sent digest that carried it, or the row's own sending)."""

    mail_id: int
    assignment_id: int
    role: str
    told_at: datetime


@dataclass(frozen=True)
class Doubt:
    """What the history recorded after a leader was told (``told``), and when (``known_at``): the
    work done at ``done_at`` (within [``done_from``, ``done_at``] when the day is not known), or the
    text's date moved to ``due_at``."""

    told: Told
    known_at: datetime
    done_at: datetime | None = None
    done_from: datetime | None = None
    due_at: datetime | None = None

    @property
    def key(self) -> str:
        """What the doubt is, the same however often it is read: the part, the kind, and when the
        record was written (a digest keeps the keys of what it said: notifications.doubted)."""
        kind = "moved" if self.due_at is not None else "done"
        return f"{self.told.assignment_id}:{kind}:{self.known_at.astimezone(UTC).isoformat()}"


def doubt_of(told: Told, happened: Sequence[Happened], static: Static, now: datetime) -> tuple[Doubt, ...]:
    """How the history as it stood at ``now`` puts ``told`` in doubt, each kind judged on its own: the
    work recorded done at an instant, or within a window that begins, before the leader was told; the
    catalog's date moved after the telling to a day after it. Empty when nothing does."""
    at = ensure_aware(told.told_at)
    found: list[Doubt] = []
    done = _done_record(happened, static, now)
    if done is not None:
        known_at, done_at, done_from = done
        if (done_from or done_at) < at:
            found.append(Doubt(told, known_at, done_at=done_at, done_from=done_from))
    moved = [(when, data) for when, action, _, data in happened if action == "catalog_due_changed" and at < when <= now]
    if moved:
        when, data = moved[-1]  # the text's date as the catalog last set it
        due = data.get("to_due")
        if isinstance(due, str) and ensure_aware(datetime.fromisoformat(due)) > at:
            found.append(Doubt(told, when, due_at=ensure_aware(datetime.fromisoformat(due))))
    return tuple(found)


def _done_record(
    happened: Sequence[Happened], static: Static, now: datetime
) -> tuple[datetime, datetime, datetime | None] | None:
    return done_record(stretches(happened, static), now)


def done_record(
    spans: Sequence[tuple[float, float, Facts]], now: datetime
) -> tuple[datetime, datetime, datetime | None] | None:
    """The done record in force at ``now`` (reported or verified), of a part whose history is
    ``spans`` (engine.reports.history.stretches): when it was written, the instant done and the
    window's first instant (None: a known instant); None when the work is not done then. The one
    rule of what the history later says of the work's doing: an escalation in doubt reads it, and so
    does the chair's trend (engine.reports.trend: a week counted late by the record of then)."""
    found: tuple[datetime, datetime, datetime | None] | None = None
    for start, _, facts in spans:
        if start > now.timestamp():
            break
        if facts.state not in DONE_STATES or facts.reported_at is None:
            found = None
            continue
        record = (facts.reported_at, facts.done_from)
        if found is None or (found[1], found[2]) != record:
            found = (datetime.fromtimestamp(start, facts.reported_at.tzinfo), *record)
    return found


def doubt_words(doubt: Doubt, tz: ZoneInfo = DEFAULT_DAYS.tz) -> str:
    """The one line a page or a digest says of ``doubt`` (Vietnamese, careful: what the record says
    and what it may mean for what the leader was told)."""
    told = vn_date(doubt.told.told_at, tz)
    if doubt.due_at is not None:
        return (
            f"Thời hạn của việc này được điều chỉnh theo văn bản thành {vn_date(doubt.due_at, tz)}: "
            f"theo thời hạn đó, việc chưa quá hạn khi báo cáo Lãnh đạo ngày {told}."
        )
    assert doubt.done_at is not None
    if doubt.done_from is not None:
        return (
            f"Việc này được ghi nhận hoàn thành trong khoảng {vn_date(doubt.done_from, tz)} – "
            f"{vn_date(doubt.done_at, tz)}: có thể đã xong trước khi báo cáo Lãnh đạo ngày {told}."
        )
    done = vn_date(doubt.done_at, tz)
    if done == told:  # the same day: the record does not say which came first
        return f"Việc này được ghi nhận hoàn thành ngày {done}: có thể đã xong trước khi báo cáo Lãnh đạo."
    return f"Việc này được ghi nhận hoàn thành ngày {done}, trước khi báo cáo Lãnh đạo ngày {told}."


_CARRIER = aliased(Notification)


def told_leaders(
    session: Session,
    *,
    assignment_ids: Iterable[int] | Select[Any] | None = None,
    roles: Iterable[str] = LEADER_ROLES,
) -> list[Told]:
    """The leaders' escalation rows that reached them (carried by a sent digest, or sent), of the
    assignments ``assignment_ids`` (ids, or a statement selecting them; None: all), oldest telling first."""
    told_at = func.coalesce(col(_CARRIER.sent_at), col(Notification.sent_at))
    statement = (
        select(col(Notification.id), col(Notification.assignment_id), col(Notification.recipient_role), told_at)
        .outerjoin(
            _CARRIER,
            and_(
                col(_CARRIER.id) == col(Notification.carried_by_id),
                col(_CARRIER.status) == NotificationStatus.SENT.value,
            ),
        )
        .where(col(Notification.kind).in_(LEADER_KINDS))
        .where(col(Notification.recipient_role).in_(list(roles)))
        .where(col(Notification.assignment_id).is_not(None))
        .where(told_at.is_not(None))
        .order_by(told_at, col(Notification.id))
    )
    if assignment_ids is not None:
        among = assignment_ids if isinstance(assignment_ids, Select) else list(assignment_ids)
        statement = statement.where(col(Notification.assignment_id).in_(among))
    return [Told(i, a, r, ensure_aware(t)) for i, a, r, t in session.execute(statement)]


def doubts(session: Session, told: Sequence[Told], now: datetime) -> dict[int, tuple[Doubt, ...]]:
    """Those of ``told`` in doubt at ``now`` (told by then), by escalation row id, with how (each kind
    once): their parts' histories read once."""
    told = [t for t in told if t.told_at <= now]
    if not told:
        return {}
    ids = sorted({t.assignment_id for t in told})
    among = select(col(Assignment.id)).where(col(Assignment.id).in_(ids))
    static, happened = statics(session, among=among), events(session, among=among)
    found: dict[int, tuple[Doubt, ...]] = {}
    for one in told:
        if one.assignment_id not in static:
            continue
        doubted = doubt_of(one, happened.get(one.assignment_id, []), static[one.assignment_id], now)
        if doubted:
            found[one.mail_id] = doubted
    return found
