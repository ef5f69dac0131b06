"""The sweep: find what is due, turn each finding into a decision with a dedupe key.

Deadlines are rows; this is a periodic pass over them. Each rule of the policy is one
indexed range query on (state, due_at | assigned_at | reported_at), so a pass costs the
rows near their rungs, not the table. A pass looks back to the previous pass (and at least
``lookback_days``), so a pause or a crash loses nothing; decisions already made are known by
their dedupe keys, so a pass run twice, or by two workers at once, decides nothing twice.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, select

from engine.clock import LOCAL_TZ, local_date
from engine.escalation.policy import HELD_RECIPIENTS, Policy, Rule, Trigger
from engine.escalation.recipients import Directory
from engine.models import Assignment, Milestone, Notification, PlanItem, Role, State, SweepRun
from engine.workcalendar import WorkCalendar

_OPEN = (State.ASSIGNED.value, State.IN_PROGRESS.value)
_SLACK_DAYS = 21  # calendar days that bound N working days beyond 7N/5 (Tết is the longest break)


@dataclass(frozen=True)
class Decision:
    """One mail to decide: the outbox row it becomes carries every field."""

    dedupe_key: str
    kind: str
    recipient_role: str
    recipient_email: str
    recipient_name: str | None
    assignment_id: int | None
    policy_version: str
    held: bool
    data: dict[str, Any]


@dataclass
class SweepResult:
    now: datetime
    window_start: datetime
    candidates: int = 0
    already_decided: int = 0
    decisions: list[Decision] = field(default_factory=list)


Enqueue = Callable[[Decision], bool]


def sweep(session: Session, now: datetime, *, policy: Policy, calendar: WorkCalendar, enqueue: Enqueue) -> SweepResult:
    """One pass at ``now``: new decisions go to ``enqueue`` (which writes the outbox row).

    Flushes, never commits: the decisions and the run record land together.
    """
    last = session.exec(select(func.max(SweepRun.now))).one()
    floor = now - timedelta(days=policy.lookback_days)
    result = SweepResult(now=now, window_start=min(last, floor) if last else floor)
    directory = Directory(session)
    found: dict[str, Decision] = {}
    for priority in (False, True):
        for rule in policy.rules_for(priority):
            for row in _candidates(session, rule, priority, result.window_start, now):
                result.candidates += 1
                for decision in _decide(rule, row, now, result.window_start, calendar, directory, policy):
                    known = found.setdefault(decision.dedupe_key, decision)
                    if known is not decision and "assignment_ids" in known.data:
                        known.data["assignment_ids"] += decision.data["assignment_ids"]
    existing = _existing_keys(session, list(found))
    result.already_decided = len(existing)
    for key, decision in found.items():
        if key not in existing and enqueue(decision):
            result.decisions.append(decision)
    session.add(SweepRun(now=now, policy_version=policy.version, decisions=len(result.decisions)))
    session.flush()
    return result


def _candidates(session: Session, rule: Rule, priority: bool, start: datetime, now: datetime) -> list[Any]:
    """Rows whose rung may fall in (start, now]; the exact test is _fires()."""
    slack = timedelta(days=_SLACK_DAYS + 2 * rule.working_days)
    statement = (
        select(Assignment, Milestone.start_date, PlanItem.plan_id)
        .join(Milestone, Assignment.milestone_id == Milestone.id)
        .join(PlanItem, Milestone.item_id == PlanItem.id)
        .where(PlanItem.priority == priority, Assignment.assigned_at <= now)
    )
    due, assigned, reported = Assignment.due_at, Assignment.assigned_at, Assignment.reported_at
    match rule.trigger:
        case Trigger.ASSIGNED:
            statement = statement.where(Assignment.state == State.ASSIGNED.value, assigned > start)
        case Trigger.BEFORE_DUE | Trigger.PARTNER_INPUT:
            statement = statement.where(Assignment.state.in_(_OPEN), due >= now, due <= now + slack, due > start)
            if rule.trigger is Trigger.PARTNER_INPUT:
                statement = statement.where(Assignment.role == Role.PARTNER.value)
        case Trigger.UNACKNOWLEDGED:
            statement = statement.where(Assignment.state == State.ASSIGNED.value, assigned > start - slack)
        case Trigger.OVERDUE:
            statement = statement.where(
                Assignment.state.in_(_OPEN), due < now, due > start - slack - timedelta(days=1)
            )
        case Trigger.UNVERIFIED:
            statement = statement.where(Assignment.state == State.REPORTED.value, reported > start - slack)
    return list(session.exec(statement))


def _rung_day(rule: Rule, anchor: date, calendar: WorkCalendar) -> date:
    """The local day a rule fires for an assignment anchored on ``anchor``."""
    k = rule.working_days
    match rule.trigger:
        case Trigger.BEFORE_DUE | Trigger.PARTNER_INPUT:
            return calendar.add_working_days(anchor, -k)
        case Trigger.OVERDUE if k == 0:
            return anchor + timedelta(days=1)
        case Trigger.ASSIGNED:
            return anchor
        case _:
            return calendar.add_working_days(anchor, k)


def _anchor(rule: Rule, assignment: Assignment) -> datetime | None:
    if rule.trigger in (Trigger.ASSIGNED, Trigger.UNACKNOWLEDGED):
        return assignment.assigned_at
    if rule.trigger is Trigger.UNVERIFIED:
        return assignment.reported_at
    return assignment.due_at


def _decide(
    rule: Rule, row: Any, now: datetime, start: datetime, calendar: WorkCalendar, directory: Directory, policy: Policy
) -> list[Decision]:
    assignment, start_date, plan_id = row
    anchor_at = _anchor(rule, assignment)
    if anchor_at is None:
        return []
    if rule.trigger is not Trigger.ASSIGNED and assignment.snoozed_until and assignment.snoozed_until > now:
        return []
    if rule.trigger is Trigger.BEFORE_DUE and start_date and start_date > local_date(now):
        return []  # the period has not begun: no countdown yet
    anchor = local_date(anchor_at)
    fires_on = _rung_day(rule, anchor, calendar)
    today = local_date(now)
    fires_at = datetime.combine(fires_on, time(0), LOCAL_TZ)
    if not (fires_on <= today and fires_at > start - timedelta(days=1)):
        return []
    facts = _facts(rule, assignment, anchor, today, calendar)
    # New assignments are announced once per agency, plan and day, listing them all.
    grouped = rule.trigger is Trigger.ASSIGNED
    subject = f"plan-{plan_id}" if grouped else str(assignment.id)
    if grouped:
        facts = {"rule": rule.name, "plan_id": plan_id, "assignment_ids": [assignment.id], "anchor": anchor.isoformat()}
    decisions = []
    for recipient in rule.to:
        for person in directory.resolve(recipient, assignment.agency_id, assignment.milestone_id):
            decisions.append(Decision(
                dedupe_key=f"{rule.name}:{subject}:{anchor.isoformat()}:{recipient}:{person.key}",
                kind=rule.kind_for(recipient), recipient_role=recipient, recipient_email=person.email,
                recipient_name=person.name, assignment_id=None if grouped else assignment.id,
                policy_version=policy.version, held=recipient in HELD_RECIPIENTS, data=facts,
            ))  # fmt: skip
    return decisions


def _facts(rule: Rule, assignment: Assignment, anchor: date, today: date, calendar: WorkCalendar) -> dict[str, Any]:
    due = assignment.due_at
    facts: dict[str, Any] = {
        "rule": rule.name, "trigger": rule.trigger.value, "working_days": rule.working_days,
        "anchor": anchor.isoformat(), "state": assignment.state,
        "due_at": due.isoformat() if due else None,
    }  # fmt: skip
    if due is not None:
        due_day = local_date(due)
        facts["days_overdue"] = max(0, (today - due_day).days)
        facts["working_days_overdue"] = max(0, calendar.working_days_between(due_day, today))
        facts["working_days_left"] = max(0, calendar.working_days_between(today, due_day))
    return facts


def _existing_keys(session: Session, keys: list[str]) -> set[str]:
    existing: set[str] = set()
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        existing.update(session.exec(select(Notification.dedupe_key).where(Notification.dedupe_key.in_(chunk))))
    return existing
