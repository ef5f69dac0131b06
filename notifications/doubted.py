"""A leader's digest's section on what it told before that the history has since put in doubt.

Each leader who was told a part was late (engine.escalation.doubt.told_leaders) hears once, in its
next digest, that the history later recorded the work done before the telling, or its date moved
past it (engine.escalation.doubt.doubt_of, the one rule, which the part's page reads too): the
digest lists what was recorded since the role's previous digest that was sent (one that failed or
never left told nobody), up to the instant it is built. A leader told of the part more than once
(two rungs) hears of it once, of its first telling.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, func, select
from sqlmodel import Session, col

from dondoc.engine.clock import ensure_aware
from dondoc.engine.escalation.doubt import DOUBTING, Doubt, doubt_words, doubts, told_leaders
from dondoc.engine.models import Agency, Assignment, Event, Milestone, Notification, NotificationStatus, PlanItem
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
_NAMES = (
    select(
        col(Assignment.id),
        col(PlanItem.code),
        col(PlanItem.title),
        col(Milestone.label),
        col(Agency.name),
    )
    .join(Milestone, col(Assignment.milestone_id) == col(Milestone.id))
    .join(PlanItem, col(Milestone.item_id) == col(PlanItem.id))
    .join(Agency, col(Assignment.agency_id) == col(Agency.id))
)


def previous_sent(session: Session, role: str, today_key: str, now: datetime) -> datetime | None:
    """When the previous digest to ``role`` that was sent was built, by ``now`` (None: none was)."""
    found = session.execute(_PREVIOUS, {"role": role, "today_key": today_key, "now": now}).scalar_one()
    return None if found is None else ensure_aware(found)


def doubted_since(session: Session, role: str, today_key: str, now: datetime) -> list[Doubt]:
    """What the history recorded since ``role``'s previous sent digest, up to ``now``, that puts an
    escalation it was told of in doubt: one per part (its first telling), the earliest recorded first."""
    since = previous_sent(session, role, today_key, now)
    touched = select(col(Event.assignment_id)).where(col(Event.action).in_(DOUBTING), col(Event.at) <= now)
    if since is not None:
        touched = touched.where(col(Event.at) > since)
    # the escalations it was told of whose part the history touched since (a subquery: a catalog load
    # may touch thousands of parts, of which few were escalated)
    found = doubts(session, told_leaders(session, assignment_ids=touched, roles=[role]), now)
    first: dict[int, Doubt] = {}
    for doubt in sorted(found.values(), key=lambda d: (d.told.told_at, d.told.mail_id)):
        if since is None or doubt.known_at > since:
            first.setdefault(doubt.told.assignment_id, doubt)
    return sorted(first.values(), key=lambda d: (d.known_at, d.told.assignment_id))


def doubt_rows(session: Session, found: list[Doubt], settings: Settings) -> list[dict[str, Any]]:
    """A digest's rows of ``found``: the part named as the digest's rows name it, and the line."""
    if not found:
        return []
    names = {
        row[0]: row[1:]
        for row in session.execute(_NAMES.where(col(Assignment.id).in_([d.told.assignment_id for d in found])))
    }
    rows = []
    for doubt in found:
        code, title, milestone, agency = names[doubt.told.assignment_id]
        rows.append(
            {
                "assignment_id": doubt.told.assignment_id,
                "item_code": code,
                "item_title": title,
                "milestone_label": milestone,
                "agency_name": agency,
                "recorded_date": vn_date(doubt.known_at, settings.tz),
                "said": doubt_words(doubt, settings.tz),
            }
        )
    return rows
