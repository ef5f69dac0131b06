"""Whether the body that holds work has been reminded of it since a day: the one rule read by what
tells the leaders that the secretariat reminded the bodies ("Tổ giúp việc đã nhắc các cơ quan theo
quy định": the leaders' digest, the escalation mail).

Said of a body that received work from another after its date (a succession, or the secretariat
naming it for work left by a body that ended: engine.status.received_after_due). The ladder keeps its
position across a transfer, so its rungs to the body (the reminders before the date, the overdue
notice on the day after it) came before the body received the work and went to the body that held it
then: the 2025 replay told the chair, of Sở KH&CN's part received on 05/03/2025 and due 25/12/2024,
that the secretariat had reminded the bodies, when every reminder had gone to Sở TT&TT and Sở KH&CN
had only the mail telling it of the work it took over."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy import select as core_select
from sqlmodel import Session, col

from dondoc.engine.clock import LocalDays
from dondoc.engine.escalation.hearing import HEARD_STATUSES
from dondoc.engine.escalation.policy import TRIGGERS, Trigger
from dondoc.engine.models import Agency, Assignment, Notification

# The mails that chase a body about its part (the ladder's rungs to it): not the notice of work given
# (Trigger.ASSIGNED), nor the secretariat's own rung on a report it has not verified; nor the mail
# telling a successor of the work it took over (inherited_work: a notice, no rung of the ladder).
REMINDER_KINDS = frozenset(
    TRIGGERS[trigger].kind for trigger in Trigger if trigger not in (Trigger.ASSIGNED, Trigger.UNVERIFIED)
)


def reminded_since(session: Session, since: Mapping[int, date], tz: ZoneInfo) -> set[int]:
    """Of the assignments of ``since`` (assignment id -> a local day), those whose holder (the body
    that holds it now) has been reminded of it on or after that day: a mail of REMINDER_KINDS about
    it, addressed to that body (the ``recipient_agency`` the sweep writes in its data), sent or
    waiting to be sent (hearing.HEARD_STATUSES: a failed or skipped mail reminded nobody). One
    statement a list (of 500 ids), not one a row."""
    if not since:
        return set()
    local = LocalDays(tz)
    earliest = local.start_of_day(min(since.values()))
    ids = sorted(since)
    found: set[int] = set()
    for start in range(0, len(ids), 500):
        statement = (
            core_select(
                col(Notification.assignment_id), col(Notification.created_at), col(Notification.data), col(Agency.code)
            )
            .join(Assignment, col(Assignment.id) == col(Notification.assignment_id))
            .join(Agency, col(Agency.id) == col(Assignment.agency_id))
            .where(
                col(Notification.assignment_id).in_(ids[start : start + 500]),
                col(Notification.kind).in_(sorted(REMINDER_KINDS)),
                col(Notification.status).in_(sorted(HEARD_STATUSES)),
                col(Notification.created_at) >= earliest,
            )
        )
        for assignment_id, created_at, data, holder in session.execute(statement):
            told = (data or {}).get("recipient_agency")
            if told == holder and local.local_date(created_at) >= since[int(assignment_id)]:
                found.add(int(assignment_id))
    return found
