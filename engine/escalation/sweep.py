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
from datetime import date, datetime, timedelta
from functools import lru_cache, partial
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, select

from engine.clock import local_date
from engine.escalation.policy import HELD_RECIPIENTS, Policy, Rule, Trigger
from engine.escalation.recipients import Directory, Person
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
    rung_day = lru_cache(maxsize=None)(partial(_rung_day, calendar=calendar))
    today, first_day = local_date(now), local_date(result.window_start)
    candidates = {anchor: _candidates(session, anchor, policy, result.window_start, now) for anchor in _ANCHORS}
    directory.preload_leads({row.milestone_id for rows in candidates.values() for row in rows})
    found: dict[str, _Finding] = {}
    for anchor, triggers in _ANCHORS.items():
        for row in candidates[anchor]:
            result.candidates += 1
            anchor_day = local_date(getattr(row, anchor))
            for rule in policy.rules_for(row.priority):
                if rule.trigger in triggers and _fires(rule, row, anchor_day, now, today, first_day, rung_day):
                    for finding in _findings(rule, row, anchor_day, directory):
                        known = found.setdefault(finding.key, finding)
                        if known is not finding:
                            known.rows.extend(finding.rows)  # a grouped new-assignment notice
    existing = _existing_keys(session, list(found))
    result.already_decided = len(existing)
    for key, finding in found.items():
        if key not in existing:
            decision = finding.decision(today, calendar, policy)
            if enqueue(decision):
                result.decisions.append(decision)
    session.add(SweepRun(now=now, policy_version=policy.version, decisions=len(result.decisions)))
    session.flush()
    return result


# What each rule counts from, and the column that holds it.
_ANCHORS = {
    "due_at": frozenset({Trigger.BEFORE_DUE, Trigger.PARTNER_INPUT, Trigger.OVERDUE}),
    "assigned_at": frozenset({Trigger.ASSIGNED, Trigger.UNACKNOWLEDGED}),
    "reported_at": frozenset({Trigger.UNVERIFIED}),
}
_COLUMNS = (
    Assignment.id, Assignment.agency_id, Assignment.milestone_id, Assignment.role, Assignment.state,
    Assignment.due_at, Assignment.assigned_at, Assignment.reported_at, Assignment.snoozed_until,
    Milestone.start_date, PlanItem.plan_id, PlanItem.priority,
)  # fmt: skip


def _candidates(session: Session, anchor: str, policy: Policy, start: datetime, now: datetime) -> list[Any]:
    """Rows whose rungs on ``anchor`` may fall in (start, now]: one indexed range query.

    The bounds are loose by a slack of calendar days (working days stretch over weekends and
    Tết); _fires() then decides exactly.
    """
    triggers = _ANCHORS[anchor]
    days = max((r.working_days for r in policy.rules + policy.priority_rules if r.trigger in triggers), default=0)
    slack = timedelta(days=_SLACK_DAYS + 2 * days)
    column = getattr(Assignment, anchor)
    statement = (
        select(*_COLUMNS)
        .join(Milestone, Assignment.milestone_id == Milestone.id)
        .join(PlanItem, Milestone.item_id == PlanItem.id)
        .where(Assignment.assigned_at <= now, column > start - slack - timedelta(days=1))
    )
    if anchor == "due_at":
        statement = statement.where(Assignment.state.in_(_OPEN), column <= now + slack)
    elif anchor == "assigned_at":
        statement = statement.where(Assignment.state == State.ASSIGNED.value)
    else:
        statement = statement.where(Assignment.state == State.REPORTED.value, column <= now)
    return list(session.exec(statement))


def _rung_day(rule_trigger: Trigger, k: int, anchor: date, *, calendar: WorkCalendar) -> date:
    """The local day a rule fires for an assignment anchored on ``anchor`` (due, assigned or reported day)."""
    if rule_trigger in (Trigger.BEFORE_DUE, Trigger.PARTNER_INPUT):
        return calendar.add_working_days(anchor, -k)
    if rule_trigger is Trigger.ASSIGNED:
        return anchor
    if rule_trigger is Trigger.OVERDUE and k == 0:
        return anchor + timedelta(days=1)
    return calendar.add_working_days(anchor, k)


def _fires(
    rule: Rule, row: Any, anchor_day: date, now: datetime, today: date, first_day: date, rung_day: Callable[..., date]
) -> bool:
    """Does ``rule`` fire for ``row`` on a day in [first_day, today]?"""
    trigger = rule.trigger
    if trigger is Trigger.PARTNER_INPUT and row.role != Role.PARTNER.value:
        return False
    if trigger in (Trigger.BEFORE_DUE, Trigger.PARTNER_INPUT) and row.due_at < now:
        return False  # a countdown to a date already passed is stale
    if trigger is Trigger.OVERDUE and row.due_at >= now:
        return False
    if trigger is Trigger.BEFORE_DUE and row.start_date and row.start_date > today:
        return False  # the period has not begun: no countdown yet
    if trigger is not Trigger.ASSIGNED and row.snoozed_until and row.snoozed_until > now:
        return False
    return first_day <= rung_day(trigger, rule.working_days, anchor_day) <= today


@dataclass
class _Finding:
    """A decision found but not yet built: building (facts, calendar) waits until it is new."""

    key: str
    rule: Rule
    recipient: str
    person: Person
    anchor_day: date
    rows: list[Any]
    extra: dict[str, Any] = field(default_factory=dict)

    def decision(self, today: date, calendar: WorkCalendar, policy: Policy) -> Decision:
        row, grouped = self.rows[0], self.rule.trigger is Trigger.ASSIGNED
        if grouped:
            data: dict[str, Any] = {"rule": self.rule.name, "plan_id": row.plan_id, "anchor": self.anchor_day.isoformat(),
                                    "assignment_ids": sorted(r.id for r in self.rows)}  # fmt: skip
        else:
            data = _facts(self.rule, row, self.anchor_day, today, calendar)
        data.update(self.extra)
        if self.recipient in ("agency", "lead", "partner"):
            data["recipient_agency"] = self.person.key  # whose signed link the mail carries
        return Decision(
            dedupe_key=self.key, kind=self.rule.kind_for(self.recipient), recipient_role=self.recipient,
            recipient_email=self.person.email, recipient_name=self.person.name,
            assignment_id=None if grouped else row.id, policy_version=policy.version,
            held=self.recipient in HELD_RECIPIENTS, data=data,
        )  # fmt: skip


def _findings(rule: Rule, row: Any, anchor_day: date, directory: Directory) -> list[_Finding]:
    # New assignments are announced once per agency, plan and day, listing them all.
    subject = f"plan-{row.plan_id}" if rule.trigger is Trigger.ASSIGNED else str(row.id)
    extra: dict[str, Any] = {}
    if rule.trigger is Trigger.PARTNER_INPUT:  # the partner's mail names the lead it owes input to
        leads = directory.resolve("lead", row.agency_id, row.milestone_id)
        extra["cc_lead"] = leads[0].key if leads else None
    return [
        _Finding(f"{rule.name}:{subject}:{anchor_day.isoformat()}:{recipient}:{person.key}",
                 rule, recipient, person, anchor_day, [row], extra)
        for recipient in rule.to
        for person in directory.resolve(recipient, row.agency_id, row.milestone_id)
    ]  # fmt: skip


def _facts(rule: Rule, row: Any, anchor: date, today: date, calendar: WorkCalendar) -> dict[str, Any]:
    due = row.due_at
    facts: dict[str, Any] = {
        "rule": rule.name, "trigger": rule.trigger.value, "working_days": rule.working_days,
        "anchor": anchor.isoformat(), "state": row.state,
        "due_at": due.isoformat() if due else None,
    }  # fmt: skip
    if due is not None:
        due_day = local_date(due)
        facts["days_overdue"] = max(0, (today - due_day).days)
        facts["working_days_overdue"] = max(0, calendar.working_days_between(due_day, today))
        facts["days_before_due"] = max(0, calendar.working_days_between(today, due_day))
    if rule.trigger is Trigger.UNACKNOWLEDGED:
        facts["working_days_waiting"] = max(0, calendar.working_days_between(anchor, today))
    return facts


def _existing_keys(session: Session, keys: list[str]) -> set[str]:
    existing: set[str] = set()
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        existing.update(session.exec(select(Notification.dedupe_key).where(Notification.dedupe_key.in_(chunk))))
    return existing
