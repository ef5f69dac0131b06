"""Is a queued mail still true? Asked by the delivery worker just before sending.

A reminder or escalation decided for an assignment that has since been reported,
verified, cancelled, extended, snoozed or marked as waiting for its precondition must not
go out: it is recorded as skipped. Nor may a partner be asked for its input once the lead it was
for has reported (policy.TriggerSpec.while_lead_open, as the sweep judges it).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from dondoc.engine.escalation.lead_done import LEAD_DONE
from dondoc.engine.escalation.policy import MAIL_KINDS
from dondoc.engine.models import Assignment, Notification


def skip_reason(session: Session, notification: Notification, now: datetime) -> str | None:
    """Why ``notification`` should not be sent now, or None if it still should."""
    known = MAIL_KINDS.get(notification.kind)
    if known is None or known.still_true_in is None or notification.assignment_id is None:
        return None
    assignment = session.get(Assignment, notification.assignment_id, populate_existing=True)
    lead_done = False
    if assignment is not None and known.while_lead_open:
        lead_done = bool(session.exec(select(LEAD_DONE).where(col(Assignment.id) == assignment.id)).one())
    return judge(notification.kind, notification.data, assignment, now, lead_done=lead_done)


def judge(
    kind: str, data: dict[str, Any], assignment: Any | None, now: datetime, *, lead_done: bool = False
) -> str | None:
    """The same question, given the assignment as it is now (anything with ``state``,
    ``due_at``, ``snoozed_until`` and ``waiting_condition_since``; None if it is gone), and
    ``lead_done``: the row is a partner's and its milestone's lead has reported
    (engine.escalation.lead_done.LEAD_DONE, read with the assignment).

    The sweep stores the assignment's ``due_at`` at decision time in ``data["due_at"]``;
    a different due date now means an extension, which restarts the ladder.
    """
    known = MAIL_KINDS.get(kind)  # the facts come from the trigger table (policy.TRIGGERS)
    if known is None or known.still_true_in is None:
        return None
    if assignment is None:
        return "the assignment no longer exists"
    if assignment.state not in known.still_true_in:
        return f"the assignment is now {assignment.state}"
    if "due_at" in data:
        raw = data["due_at"]
        decided_due = datetime.fromisoformat(raw) if raw else None
        if decided_due != assignment.due_at:
            return f"the due date changed from {raw} to {assignment.due_at.isoformat() if assignment.due_at else None}"
    if known.snoozable and assignment.snoozed_until and assignment.snoozed_until > now:
        return f"reminders are snoozed until {assignment.snoozed_until.isoformat()}"
    waiting = assignment.waiting_condition_since
    if known.snoozable and waiting is not None and waiting <= now:
        return f"waiting for its precondition since {waiting.isoformat()}"
    if known.while_lead_open and lead_done:
        return "the lead has reported: nobody waits for this partner's input"
    return None
