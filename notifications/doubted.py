"""A leader's digest's section on what it told before that the history has since put in doubt.

Each leader who was told a part was late (engine.escalation.doubt.told_leaders) hears once, in its
next digest, that the history later recorded the work done before the telling, or its date moved
past it (engine.escalation.doubt.doubt_of, the one rule, which the part's page reads too): the
digest lists what was recorded since the role's previous digest that was sent (one that failed or
never left told nobody), up to the instant it is built, but for what a sent digest of the role said
already: a digest built again as it leaves (notifications.claims) reads the history up to then, past
the instant it was first built, and keeps the keys of what it said (``Doubt.key``). A leader told of
the part more than once (two rungs) hears of it once, of its first telling, and of the body that held
the part that day (not one a succession passed it to after).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from sqlalchemy import bindparam, func, select
from sqlmodel import Session, col

from dondoc.engine.clock import ensure_aware, local_date
from dondoc.engine.escalation.doubt import DOUBTING, Doubt, doubt_words, doubts, told_leaders
from dondoc.engine.models import Agency, Assignment, Event, Milestone, Notification, NotificationStatus, PlanItem
from dondoc.engine.services.transfer_origins import holder_sql
from dondoc.engine.settings import Settings
from dondoc.engine.vi_format import vn_date

# When the previous digest to a leader was made: the latest of its role but today's that was sent.
_PREVIOUS = select(func.max(col(Notification.created_at))).where(
    col(Notification.kind) == "digest_leader",
    col(Notification.recipient_role) == bindparam("role"),
    col(Notification.dedupe_key) != bindparam("today_key"),
    col(Notification.status) == NotificationStatus.SENT.value,
    col(Notification.created_at) <= bindparam("now"),
)
# What the sent digests of a role said of doubts (their keys), sent after an instant.
_SAID = select(col(Notification.data)).where(
    col(Notification.kind) == "digest_leader",
    col(Notification.recipient_role) == bindparam("role"),
    col(Notification.status) == NotificationStatus.SENT.value,
    col(Notification.sent_at) <= bindparam("now"),
)


def _names(day: date) -> Any:
    """The parts named as the digest's rows name them, under the body that held each on ``day``."""
    return (
        select(col(Assignment.id), col(PlanItem.code), col(PlanItem.title), col(Milestone.label), col(Agency.name))
        .join(Milestone, col(Assignment.milestone_id) == col(Milestone.id))
        .join(PlanItem, col(Milestone.item_id) == col(PlanItem.id))
        .join(Agency, col(Agency.id) == holder_sql(day))
    )


def previous_sent(session: Session, role: str, today_key: str, now: datetime) -> datetime | None:
    """When the previous digest to ``role`` that was sent was built, by ``now`` (None: none was)."""
    found = session.execute(_PREVIOUS, {"role": role, "today_key": today_key, "now": now}).scalar_one()
    return None if found is None else ensure_aware(found)


def said_before(session: Session, role: str, since: datetime | None, now: datetime) -> set[str]:
    """The keys of the doubts the digests of ``role`` sent after ``since`` (None: ever) and by ``now``
    said: a digest says only what was recorded by the instant it was (re)built, before it was sent."""
    statement = _SAID if since is None else _SAID.where(col(Notification.sent_at) > since)
    said: set[str] = set()
    for (data,) in session.execute(statement, {"role": role, "now": now}):
        said.update(key for row in (data or {}).get("doubts") or () for key in row.get("keys") or ())
    return said


def doubted_since(session: Session, role: str, today_key: str, now: datetime) -> list[Doubt]:
    """What the history recorded since ``role``'s previous sent digest, up to ``now``, that puts an
    escalation it was told of in doubt, but for what a sent digest said already: one of each record
    per part (its first telling), the earliest recorded first."""
    since = previous_sent(session, role, today_key, now)
    touched = select(col(Event.assignment_id)).where(col(Event.action).in_(DOUBTING), col(Event.at) <= now)
    if since is not None:
        touched = touched.where(col(Event.at) > since)
    # the escalations it was told of whose part the history touched since (a subquery: a catalog load
    # may touch thousands of parts, of which few were escalated)
    found = doubts(session, told_leaders(session, assignment_ids=touched, roles=[role]), now)
    if not found:
        return []
    said = said_before(session, role, since, now)
    first: dict[str, Doubt] = {}
    for doubt in sorted(_flat(found.values()), key=lambda d: (d.told.told_at, d.told.mail_id)):
        if (since is None or doubt.known_at > since) and doubt.key not in said:
            first.setdefault(doubt.key, doubt)
    return sorted(first.values(), key=lambda d: (d.known_at, d.told.assignment_id))


def _flat(found: Iterable[tuple[Doubt, ...]]) -> list[Doubt]:
    return [doubt for doubted in found for doubt in doubted]


def doubt_rows(session: Session, found: list[Doubt], settings: Settings) -> list[dict[str, Any]]:
    """A digest's rows of ``found``, one per part (its records in the order given): the part named as
    the digest's rows name it, under the body that held it when the leader was told, the lines, and
    the keys of what they say (``keys``: :func:`said_before`)."""
    parts: dict[int, list[Doubt]] = {}
    for doubt in found:
        parts.setdefault(doubt.told.assignment_id, []).append(doubt)
    names = _named(session, parts, settings)
    rows = []
    for part, doubted in parts.items():
        code, title, milestone, agency = names[part]
        first, *more = doubted
        said = " ".join(
            [doubt_words(first, settings.tz)]
            + [
                f"Thông tin cập nhật ngày {vn_date(d.known_at, settings.tz)}: {doubt_words(d, settings.tz)}"
                for d in more
            ]
        )
        rows.append(
            {
                "assignment_id": part,
                "item_code": code,
                "item_title": title,
                "milestone_label": milestone,
                "agency_name": agency,
                "recorded_date": vn_date(first.known_at, settings.tz),
                "said": said,
                "keys": [d.key for d in doubted],
            }
        )
    return rows


def _named(session: Session, parts: dict[int, list[Doubt]], settings: Settings) -> dict[int, tuple[Any, ...]]:
    """part -> (code, title, milestone, body that held it on the day the leader was first told of it)."""
    days: dict[date, list[int]] = {}
    for part, doubted in parts.items():
        told = min(d.told.told_at for d in doubted)
        days.setdefault(local_date(told, settings.tz), []).append(part)
    names: dict[int, tuple[Any, ...]] = {}
    for day, ids in days.items():
        names.update(
            (row[0], tuple(row[1:])) for row in session.execute(_names(day).where(col(Assignment.id).in_(ids)))
        )
    return names
