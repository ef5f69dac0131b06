"""The sweep as the engine tests drive it: the shipped policy and calendar, decisions kept as bare outbox rows."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta

from sqlmodel import Session, select

from dondoc.engine.clock import LOCAL_TZ, FrozenClock
from dondoc.engine.escalation.policy import load_policy
from dondoc.engine.escalation.sweep import Decision, sweep
from dondoc.engine.models import Notification, NotificationStatus
from dondoc.engine.workcalendar import WorkCalendar

CALENDAR = WorkCalendar.default()
POLICY = load_policy()


def recording_enqueue(session: Session, now: datetime) -> Callable[[Decision], bool]:
    """Write the decision as a bare outbox row (rendering is notifications/' business)."""

    def enqueue(decision: Decision) -> bool:
        session.add(
            Notification(
                dedupe_key=decision.dedupe_key,
                kind=decision.kind,
                assignment_id=decision.assignment_id,
                recipient_role=decision.recipient_role,
                recipient_email=decision.recipient_email,
                policy_version=decision.policy_version,
                created_at=now,
                next_attempt_at=now,
                status=NotificationStatus.HELD if decision.held else NotificationStatus.PENDING,
                data=decision.data,
            )
        )
        return True

    return enqueue


def run_sweep(session: Session, now: datetime) -> list[Decision]:
    result = sweep(session, now, policy=POLICY, calendar=CALENDAR, enqueue=recording_enqueue(session, now))
    session.commit()
    return result.decisions


def rungs_of(decided: dict[str, date], assignment_id: int) -> set[tuple[str, str, date]]:
    """(rule, recipient, day) of each rung decided for one assignment, from dedupe key → day."""
    rungs = set()
    for key, day in decided.items():
        rule, subject, _anchor, recipient, _who = key.split(":")
        if subject == str(assignment_id):
            rungs.add((rule, recipient, day))
    return rungs


def swept_daily(session: Session, clock: FrozenClock, until: date) -> dict[str, Notification]:
    """Sweep once a day, from the clock's instant, every day up to ``until``; the decisions made, by dedupe key."""
    while clock.now().date() <= until:
        run_sweep(session, clock.now())
        clock.advance(timedelta(days=1))
    return {n.dedupe_key: n for n in session.exec(select(Notification))}


def rungs_mailed(mails: dict[str, Notification], assignment_id: int) -> set[tuple[str, str, date]]:
    """:func:`rungs_of` the outbox rows ``mails`` (by dedupe key), each on the local day it was decided."""
    return rungs_of({key: mail.created_at.astimezone(LOCAL_TZ).date() for key, mail in mails.items()}, assignment_id)
