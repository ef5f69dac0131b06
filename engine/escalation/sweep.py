"""The sweep: find what is due, turn each finding into a decision with a dedupe key.

Deadlines are rows; this is a periodic pass over them. Each assignment carries
``next_sweep_at``, the moment its ladder next needs a look: the start of its next rung's
day, the end of a snooze, the start of a reporting period (a row waiting for its precondition
has none: ending the wait changes the row). A pass reads only the rows whose
moment has come (one range query on an index), judges every rule of the policy on them,
decides what fires and writes each row's next moment. Any change to a row (state, dates,
role, agency, version) resets its moment through a database trigger, whoever wrote it, so
the row is judged again in the next pass; a change of policy or calendar resets every row.

A pass judges rungs from the previous pass (and at least ``lookback_days``) up to today, so
a pause or a crash loses nothing; decisions already made are known by their dedupe keys, so a
pass run twice, or by two workers at once, decides nothing twice. Decisions, the rows' next
moments and the run record are written in one transaction.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache, partial
from typing import Any

from sqlalchemy import Connection, bindparam, insert, tuple_, update
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import Select

from dondoc.engine.actors import Recipient
from dondoc.engine.clock import DEFAULT_DAYS, LocalDays
from dondoc.engine.db import id_batches
from dondoc.engine.escalation.facts import lateness, working_days_waiting
from dondoc.engine.escalation.hearing import Hearers
from dondoc.engine.escalation.lead_done import LEAD_DONE
from dondoc.engine.escalation.policy import (
    HELD_RECIPIENTS,
    TRIGGERS,
    Policy,
    Rule,
    Trigger,
    Withheld,
    carried,
    snooze_pauses,
    told_while_withheld,
    withheld_why,
)
from dondoc.engine.escalation.recipients import Directory, Person
from dondoc.engine.models import (
    AgencyTransfer,
    Assignment,
    Installation,
    Milestone,
    Notification,
    Plan,
    PlanItem,
    SweepRun,
    TransferStatus,
)
from dondoc.engine.models.assignments import NEVER, RESWEEP
from dondoc.engine.models.plans import PRIORITY
from dondoc.engine.models.types import AwareDateTime
from dondoc.engine.services.returned import RETURNED_AT
from dondoc.engine.services.successions import told_by_transfer
from dondoc.engine.status import before_tracking, given_after_due
from dondoc.engine.workcalendar import WorkCalendar

_PAGE = 2000  # rows judged per query; every page's next moments are written before the next page


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
    candidates: int = 0  # rows whose moment had come, judged in this pass
    already_decided: int = 0
    ladder_reset: bool = False  # the policy or the calendar changed: every row was judged again
    decisions: list[Decision] = field(default_factory=list)


Enqueue = Callable[[Decision], bool]


@dataclass(frozen=True)
class _Pass:
    now: datetime
    today: date
    first_day: date  # rungs on days before this are not judged
    rung_day: Callable[[Trigger, int, date], date]
    local: LocalDays  # the zone whose days the ladder counts
    working_day_after: Callable[[date], date]  # the first working day strictly after a day


# What _verdict finds for a row: the rules that fire (with their anchor day and the recipients they
# fire for now: a snooze pauses some, policy.snooze_pauses), and the row's next moment.
_Verdict = tuple[tuple[tuple[Rule, date, tuple[str, ...]], ...], datetime]


def sweep(
    session: Session,
    now: datetime,
    *,
    policy: Policy,
    calendar: WorkCalendar,
    enqueue: Enqueue,
    page_size: int = _PAGE,
    local: LocalDays = DEFAULT_DAYS,
) -> SweepResult:
    """One pass at ``now``: new decisions go to ``enqueue`` (which writes the outbox row).
    Rung days are days of ``local`` (the configured zone: a clock, or ``LocalDays(settings.tz)``).

    Flushes, never commits: the decisions, the rows' next moments and the run record land
    together. A pass with no row due only reads (on SQLite it never takes the write lock) and
    leaves no run record; the next pass then looks back to the last pass that judged rows.
    """
    connection = session.connection()  # Core statements, built once: a pass with nothing due is three of them
    last = connection.execute(_LAST_RUN).first()
    floor = now - timedelta(days=policy.lookback_days)
    result = SweepResult(now=now, window_start=min(last.now, floor) if last else floor)
    if last is not None and (last.policy_version, last.calendar_version) != (policy.version, calendar.version):
        result.ladder_reset = True  # rung days may have moved: every row's moment is void
        connection.execute(
            update(Assignment).where(col(Assignment.next_sweep_at) > RESWEEP).values(next_sweep_at=RESWEEP)
        )
    judge = _Pass(
        now,
        local.local_date(now),
        local.local_date(result.window_start),
        lru_cache(maxsize=None)(partial(rung_day, calendar=calendar)),
        local,
        partial(calendar.add_working_days, n=1),
    )
    # The rows of one milestone share their facts: judge each distinct set once per pass.
    verdict = lru_cache(maxsize=65536)(partial(_verdict, policy=policy, judge=judge))
    directory: Directory | None = None  # read only when some row is due
    installation: Installation | None = None  # the tracking start, read with the directory
    found: dict[str, _Finding] = {}
    for rows in _due_pages(connection, now, page_size):
        if directory is None:
            directory, installation = (
                Directory(session, judge.today),
                session.exec(select(Installation).limit(1)).first(),
            )
        directory.preload_leads({row.milestone_id for row in rows})
        moments: dict[tuple[datetime, int], list[int]] = defaultdict(list)
        for row in rows:
            if before_tracking(row.due_at, row.issued, row.tracked, installation):
                moment = NEVER  # before the tracking start: never escalated (opting in resets the row)
            else:
                moment = _judge_row(row, verdict, now, directory, found)
            moments[moment, row.version].append(row.id)
        result.candidates += len(rows)
        _write_moments(connection, moments)
    found = _told_by_decision(session, found)
    existing = _existing_keys(session, list(found)) if found else set()
    result.already_decided = len(existing)
    today = judge.today
    for key, finding in found.items():
        if key not in existing:
            decision = finding.decision(today, calendar, policy, local)
            if enqueue(decision):
                result.decisions.append(decision)
    session.flush()
    if result.candidates or result.ladder_reset:  # a pass that found nothing due writes nothing
        connection.execute(
            insert(SweepRun),
            {
                "now": now,
                "policy_version": policy.version,
                "calendar_version": calendar.version,
                "decisions": len(result.decisions),
            },
        )
    return result


# Whether the row waits in "Cần phân công lại" (NULL: it does not) and, if it does, whether it was
# never given (AgencyTransfer.never_given): a pending transfer, on its index (status, assignment_id).
_PENDING = aliased(AgencyTransfer)
WAITING = (
    select(col(_PENDING.never_given))
    .where(col(_PENDING.status) == TransferStatus.PENDING.value, col(_PENDING.assignment_id) == col(Assignment.id))
    .limit(1)
    .scalar_subquery()
    .label("waiting")
)

_COLUMNS = (
    col(Assignment.id),
    col(Assignment.version),
    col(Assignment.next_sweep_at),
    col(Assignment.agency_id),
    col(Assignment.milestone_id),
    col(Assignment.role),
    col(Assignment.state),
    col(Assignment.due_at),
    col(Assignment.assigned_at),
    col(Assignment.reported_at),
    col(Assignment.snoozed_until),
    col(Assignment.waiting_condition_since),
    col(Assignment.inferred_group),
    col(Assignment.membership_confirmed_at),
    col(Milestone.start_date),
    col(Milestone.due_by_convention),
    col(PlanItem.plan_id),
    PRIORITY,  # the milestone's own flag, else the item's: the faster ladder
    col(Plan.issued),
    col(Plan.tracked),
    LEAD_DONE,
    WAITING,
    RETURNED_AT,
)


_LAST_RUN = (
    select(SweepRun.now, SweepRun.policy_version, SweepRun.calendar_version)
    .order_by(col(SweepRun.now).desc(), col(SweepRun.id).desc())
    .limit(1)
)
_ROWS: Select[*tuple[Any, ...]] = Select(*_COLUMNS)  # what select() builds; it types at most four columns
_FIRST_PAGE = (
    _ROWS.join(Milestone, col(Assignment.milestone_id) == col(Milestone.id))
    .join(PlanItem, col(Milestone.item_id) == col(PlanItem.id))
    .join(Plan, col(PlanItem.plan_id) == col(Plan.id))
    .where(col(Assignment.next_sweep_at) <= bindparam("now", type_=AwareDateTime()))
    .order_by(col(Assignment.next_sweep_at), col(Assignment.id))
)
_NEXT_PAGE = _FIRST_PAGE.where(  # a row-value comparison: both backends seek the index to it
    tuple_(col(Assignment.next_sweep_at), col(Assignment.id))
    > tuple_(bindparam("after_moment", type_=AwareDateTime()), bindparam("after_id"))
)


def _due_pages(connection: Connection, now: datetime, size: int) -> Iterator[list[Any]]:
    """Pages of the rows whose moment has come, in (next_sweep_at, id) order: index range scans."""
    first, following = _page_statements(size)
    page = list(connection.execute(first, {"now": now}))
    while page:
        yield page
        if len(page) < size:
            return
        page = list(
            connection.execute(following, {"now": now, "after_moment": page[-1].next_sweep_at, "after_id": page[-1].id})
        )


@lru_cache(maxsize=4)
def _page_statements(size: int) -> tuple[Any, Any]:
    """Built once per size: building a statement (and its cache key) costs more than an idle pass."""
    return _FIRST_PAGE.limit(size), _NEXT_PAGE.limit(size)


def _judge_row(
    row: Any, verdict: Callable[..., _Verdict], now: datetime, directory: Directory, found: dict[str, _Finding]
) -> datetime:
    """Add what fires for ``row`` to ``found``; return the row's next moment."""
    assigned_at: datetime = row.assigned_at
    if assigned_at > now:
        return assigned_at  # not given yet (a plan issued later): nothing until then
    if row.waiting:  # never given (engine.status.held_back_sql): the secretariat's decision changes the row
        return NEVER
    fired, moment = verdict(
        row.priority,
        row.state,
        row.role,
        row.due_at,
        row.assigned_at,
        row.reported_at,
        row.snoozed_until,
        row.start_date,
        row.waiting_condition_since,
        bool(row.lead_done),
        row.waiting is not None,
        # confirmed after an inferred group gave it: the leaders' rungs count from that day at the earliest
        row.membership_confirmed_at if row.inferred_group is not None else None,
        row.returned_at,
    )
    for rule, anchor_day, to in fired:
        for finding in _findings(rule, to, row, anchor_day, directory):
            known = found.setdefault(finding.key, finding)
            if known is not finding:
                known.rows.extend(finding.rows)  # a grouped new-assignment notice
    return moment


def _verdict(
    priority: bool,
    state: str,
    role: str,
    due_at: datetime | None,
    assigned_at: datetime,
    reported_at: datetime | None,
    snoozed_until: datetime | None,
    start_date: date | None,
    waiting_since: datetime | None,
    lead_done: bool = False,
    waiting_transfer: bool = False,
    confirmed_at: datetime | None = None,
    returned_at: datetime | None = None,
    *,
    policy: Policy,
    judge: _Pass,
) -> _Verdict:
    """The rules that fire for a row with these facts, and the row's next moment. A row waiting in
    "Cần phân công lại" (``waiting_transfer``) has no rung that needs its holder (TriggerSpec.needs_holder).
    A part the secretariat confirmed at ``confirmed_at`` after an inferred group gave it has the
    leaders' rungs on that day at the earliest (policy.told_while_withheld): history is not
    backdated, and a rung that came before it was not missed but withheld. A part whose report was
    returned at ``returned_at``, after its date, has the rungs of a trigger that says so counted from
    that day (TriggerSpec.from_return).

    A pure function of the facts (and the pass): the rows of one milestone share them, so a
    pass computes it once per distinct set (memoised in sweep())."""
    anchors = {"due_at": due_at, "assigned_at": assigned_at, "reported_at": reported_at}
    days = {name: judge.local.local_date(value) for name, value in anchors.items() if value is not None}
    returned_day = judge.local.local_date(returned_at) if returned_at is not None else None
    # given back after its date: the days its report waited with the secretariat are not the body's
    back_late = returned_day is not None and "due_at" in days and returned_day > days["due_at"]
    # Already overdue when given (a plan issued after its own deadline, a body named after it): a catch-up order.
    late = given_after_due(due_at, assigned_at, judge.local.tz)
    facts = _Facts(due_at, snoozed_until, start_date, waiting_since)
    fired: list[tuple[Rule, date, tuple[str, ...]]] = []
    moment = NEVER
    for rule in policy.rules_for(priority):
        spec = TRIGGERS[rule.trigger]
        if state not in spec.states or spec.anchor not in days:
            continue
        if spec.roles is not None and role not in spec.roles:
            continue
        if spec.needs_holder and waiting_transfer:
            continue  # nobody holds it: the secretariat's decision changes the row, which is judged again
        if rule.roles is not None and role not in rule.roles:
            continue
        anchor = spec.anchor
        if spec.late_at_issue == "only" and not late:
            continue
        if back_late and spec.from_return and returned_day is not None:
            anchor_day = returned_day  # rung 0 too: the first working day after the return
        elif spec.late_at_issue == "from_issue" and late:
            if rule.working_days == 0:
                continue  # the notice on the day of issue was this row's first
            anchor_day = days["assigned_at"]  # the ladder counts from the day of issue
        else:
            anchor_day = days[anchor]
        to, again = _judge_rule(rule, facts, anchor_day, judge)
        if confirmed_at is not None and not all(told_while_withheld(r) for r in rule.to):
            confirmed_on = judge.local.local_date(confirmed_at)
            to, again = _from_confirmation(rule, facts, anchor_day, judge, confirmed_on, to, again)
        if to and spec.while_lead_open and lead_done:
            # held back while the lead has reported; a return of that report reopens it, and the
            # lead's row is not this row: look again on the next working day while the rung stands
            tomorrow = judge.local.start_of_day(judge.working_day_after(judge.today))
            again = tomorrow if again is None else min(again, tomorrow)
        elif to:
            fired.append((rule, anchor_day, to))
        if again is not None and again < moment:
            moment = again
    return _latest_rungs(fired), max(moment, judge.now + timedelta(seconds=1))


def _latest_rungs(
    fired: list[tuple[Rule, date, tuple[str, ...]]],
) -> tuple[tuple[Rule, date, tuple[str, ...]], ...]:
    """``fired`` less each rung of a ladder whose rungs say the same thing (TriggerSpec.one_rung_a_pass:
    the count in the mail is the day's, not the rung's) whose recipient a later rung of the same
    ladder reaches in the same pass. A date extended to two working days away, or a pass after a
    pause, had the body mailed "còn 2 ngày làm việc" once for the 10-day rung and again for the 3-day
    one; a pass after a gap mailed "chưa tiếp nhận … sau 3 ngày làm việc" for the 2-day and the 3-day
    rungs of a priority item. The latest rung (nearest the date, for a countdown; furthest from the
    notice, for one counting up) stands for it. A later pass that judges the row again (a change
    within the look-back) finds the later rung due beside the earlier one whenever the earlier one
    is, so the earlier one is never sent; its day left behind, it is not judged at all. Never a row
    held for a digest (the secretariat's, the leaders'): one line a day each, not a mail, and none of
    them is dropped."""
    latest: dict[tuple[Trigger, date, str], int] = {}

    def said(rule: Rule, recipient: str) -> bool:  # whether the latest rung decides for this recipient
        return TRIGGERS[rule.trigger].one_rung_a_pass and recipient not in HELD_RECIPIENTS

    def order(rule: Rule) -> int:  # later rungs first: a countdown's come with fewer days left
        return -rule.working_days if TRIGGERS[rule.trigger].countdown else rule.working_days

    for rule, anchor_day, to in fired:
        for recipient in to:
            if said(rule, recipient):
                key = (rule.trigger, anchor_day, recipient)
                latest[key] = max(latest.get(key, order(rule)), order(rule))
    kept = []
    for rule, anchor_day, to in fired:
        to = tuple(r for r in to if not said(rule, r) or latest[rule.trigger, anchor_day, r] == order(rule))
        if to:
            kept.append((rule, anchor_day, to))
    return tuple(kept)


@dataclass(frozen=True)
class _Facts:
    due_at: datetime | None
    snoozed_until: datetime | None
    start_date: date | None
    waiting_since: datetime | None  # the precondition is not met (await_condition): held like a snooze


def _from_confirmation(
    rule: Rule,
    row: _Facts,
    anchor_day: date,
    judge: _Pass,
    confirmed_on: date,
    to: tuple[str, ...],
    again: datetime | None,
) -> tuple[tuple[str, ...], datetime | None]:
    """``rule``'s verdict (``to``, ``again``) with its leaders judged on a rung day no earlier than
    ``confirmed_on`` (policy.told_while_withheld); its other recipients as judged."""
    leaders_to, leaders_again = _judge_rule(rule, row, anchor_day, judge, not_before=confirmed_on)
    told = tuple(r for r in rule.to if (r in leaders_to if not told_while_withheld(r) else r in to))
    moments = [m for m in (again, leaders_again) if m is not None]
    return told, min(moments) if moments else None


def _judge_rule(
    rule: Rule, row: _Facts, anchor_day: date, judge: _Pass, not_before: date | None = None
) -> tuple[tuple[str, ...], datetime | None]:
    """Whom ``rule`` fires for, for ``row``, on a day in [first_day, today] (none: it does not), and
    when it may fire for the others (None: not unless the row changes). ``not_before``: the rung's
    day is that day when it came earlier."""
    trigger, spec = rule.trigger, TRIGGERS[rule.trigger]
    rung = judge.rung_day(trigger, rule.working_days, anchor_day)
    if not_before is not None and rung < not_before:
        rung = not_before
    if rung > judge.today:
        return (), judge.local.start_of_day(rung)
    if rung < judge.first_day:
        return (), None  # judged in earlier passes
    due = row.due_at  # set whenever these triggers are judged: they anchor on it
    if spec.countdown and due is not None and due < judge.now:
        return (), None  # a countdown to a date already passed is stale
    if trigger is Trigger.OVERDUE and due is not None and due >= judge.now:
        return (), due
    if trigger is Trigger.BEFORE_DUE and row.start_date and row.start_date > judge.today:
        return (), judge.local.start_of_day(row.start_date)  # the period has not begun: no countdown yet
    if spec.snoozable and row.waiting_since is not None and row.waiting_since <= judge.now:
        return (), None  # until condition_met, whose write moves the version and so resweeps the row
    if row.snoozed_until and row.snoozed_until > judge.now:
        # the rung goes now to those a snooze does not pause (the leaders), to the others at its end
        to = tuple(r for r in rule.to if not snooze_pauses(trigger, r))
        return to, (row.snoozed_until if len(to) < len(rule.to) else None)
    return rule.to, None


def _write_moments(connection: Connection, moments: dict[tuple[datetime, int], list[int]]) -> None:
    """Each row's next moment, unless the row changed since it was read (its version moved):
    then the trigger has already reset it and the next pass judges it again.

    Rows are grouped by (moment, version read): the rows of a milestone share both, so a page
    of 2,000 rows is a handful of ``UPDATE … WHERE id IN (…) AND version = …``."""
    for (moment, version), ids in moments.items():
        for batch in id_batches(ids):
            connection.execute(
                update(Assignment)
                .where(col(Assignment.id).in_(batch), col(Assignment.version) == version)
                .values(next_sweep_at=moment)
            )


def rung_day(rule_trigger: Trigger, k: int, anchor: date, *, calendar: WorkCalendar) -> date:
    """The local day a rule fires for an assignment anchored on ``anchor`` (due, assigned or reported day)."""
    spec = TRIGGERS[rule_trigger]
    if spec.countdown:
        return calendar.add_working_days(anchor, -k)
    if spec.grouped or spec.late_at_issue == "only":
        # announced on the day itself (rung 0), or the next working day when that is a day off: a
        # quarter's reports given on Saturday 01/10/2022 or on New Year's Day were mailed that day
        return calendar.next_working_day(calendar.add_working_days(anchor, k))
    # Every rung counts working days (from the notice day, for a trigger that says so); the first
    # overdue notice (k = 0) goes on the first working day after the due day, never on a Saturday or
    # a holiday.
    return calendar.add_working_days(
        spec.counted_from(anchor, calendar), max(k, 1) if rule_trigger is Trigger.OVERDUE else k
    )


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

    def decision(self, today: date, calendar: WorkCalendar, policy: Policy, local: LocalDays) -> Decision:
        row, grouped = self.rows[0], TRIGGERS[self.rule.trigger].grouped
        if grouped:
            data: dict[str, Any] = {
                "rule": self.rule.name,
                "plan_id": row.plan_id,
                "anchor": self.anchor_day.isoformat(),
                "assignment_ids": sorted(r.id for r in self.rows),
            }
        else:
            data = _facts(self.rule, row, self.anchor_day, today, calendar, local)
        data.update(self.extra)
        if self.recipient in ("agency", "lead", "partner"):
            data["recipient_agency"] = self.person.key  # whose signed link the mail carries
        return Decision(
            dedupe_key=self.key,
            kind=self.rule.kind_for(self.recipient),
            recipient_role=self.recipient,
            recipient_email=self.person.email,
            recipient_name=self.person.name,
            assignment_id=None if grouped else row.id,
            policy_version=policy.version,
            held=self.recipient in HELD_RECIPIENTS,
            data=data,
        )


def _findings(rule: Rule, to_now: tuple[str, ...], row: Any, anchor_day: date, directory: Directory) -> list[_Finding]:
    """The mails ``rule``'s rung makes for ``row``, to the recipients of ``to_now`` (of ``rule.to``)."""
    # New assignments are announced once per agency, plan and day, listing them all.
    subject = f"plan-{row.plan_id}" if TRIGGERS[rule.trigger].grouped else str(row.id)
    extra: dict[str, Any] = {}
    if rule.trigger is Trigger.PARTNER_INPUT:  # the partner's mail names the leads it owes input to
        leads = directory.resolve("lead", row.agency_id, row.milestone_id)
        extra["cc_leads"] = [lead.key for lead in leads]  # every one, by name (an item may have several)
        extra["lead_told"] = "lead" in rule.to  # the lead has a mail of its own on this rung: said to the partner
    findings: list[_Finding] = []
    hearers = Hearers()  # a rung is a step: one mail per mailbox, the first recipient in the rule's order keeps it
    # read only for a leader among ``to_now``: this rung fired for the row's role, so it is leader-bound
    withheld = withheld_why(row.inferred_group, row.membership_confirmed_at, row.due_by_convention, leader_bound=True)
    for to in to_now:
        if withheld is not None and not told_while_withheld(to):
            # a part given through an inferred group, not confirmed, or due on the secretariat's own
            # convention: the secretariat hears in the leader's place, and its digest says why the
            # leader was not told (policy.told_while_withheld)
            findings += _withheld(rule, to, row, subject, anchor_day, directory, hearers, withheld)
            continue
        for person in directory.resolve(to, row.agency_id, row.milestone_id):
            # an agency a succession ended: the secretariat, who owns the decision, hears in its place,
            # of what its digest tells (policy.HELD_KINDS); of nothing else (a reminder, a new task for
            # a body that no longer exists: nobody there to do it, the work waits for the decision).
            # Judged before the mailbox is counted as told: a row not written tells nobody.
            recipient = Recipient.SECRETARIAT.value if person.key == Recipient.SECRETARIAT.value else to
            if recipient != to and not carried(rule.kind_for(recipient), recipient):
                continue
            if not hearers.first(person.heard_as):
                continue
            key = f"{rule.name}:{subject}:{anchor_day.isoformat()}:{recipient}:{person.key}"  # read by step_of
            findings.append(_Finding(key, rule, recipient, person, anchor_day, [row], extra))
    return findings


def _withheld(
    rule: Rule,
    leader: str,
    row: Any,
    subject: str,
    anchor_day: date,
    directory: Directory,
    hearers: Hearers,
    why: Withheld,
) -> list[_Finding]:
    """The secretariat's mail in place of ``leader``'s on a part the leaders are kept from (``why``:
    not confirmed yet, or due by convention): of the kind its digest tells (policy.HELD_KINDS), saying
    whom the rung would have reached and why (through which group, for a part not confirmed)."""
    secretariat = Recipient.SECRETARIAT.value
    if not carried(rule.kind_for(secretariat), secretariat):
        return []
    extra: dict[str, Any] = {"withheld_from": leader, "withheld_why": why.value}
    if why is Withheld.UNCONFIRMED:
        extra["inferred_group"] = row.inferred_group
    found = []
    for person in directory.resolve(secretariat, row.agency_id, row.milestone_id):
        if hearers.first(person.heard_as):
            key = f"{rule.name}:{subject}:{anchor_day.isoformat()}:{secretariat}:{person.key}"
            found.append(_Finding(key, rule, secretariat, person, anchor_day, [row], extra))
    return found


def step_of(key: str) -> str | None:
    """The step (engine.escalation.hearing) of the mail the sweep wrote under ``key``: its rung,
    ``rule:subject:anchor`` (the key less its recipient and mailbox, as :func:`_findings` writes it);
    None for a key of another kind. Rule names and agency codes hold no colon (policy, catalog)."""
    parts = key.split(":")
    if len(parts) != 5:
        return None
    try:
        date.fromisoformat(parts[2])
    except ValueError:
        return None
    return ":".join(parts[:3])


def _facts(rule: Rule, row: Any, anchor: date, today: date, calendar: WorkCalendar, local: LocalDays) -> dict[str, Any]:
    due = row.due_at
    facts: dict[str, Any] = {
        "rule": rule.name,
        "trigger": rule.trigger.value,
        "working_days": rule.working_days,
        "anchor": anchor.isoformat(),
        "state": row.state,
        "due_at": due.isoformat() if due else None,
    }
    if due is not None:
        facts.update(lateness(local.local_date(due), today, calendar, local.local_date(row.assigned_at)))
    if rule.trigger is Trigger.UNACKNOWLEDGED:
        counted_from = TRIGGERS[rule.trigger].counted_from(anchor, calendar)
        if counted_from != anchor:  # given on a day off: the days waited count from the notice day
            facts["counted_from"] = counted_from.isoformat()
        facts["working_days_waiting"] = working_days_waiting(counted_from, today, calendar)
    if TRIGGERS[rule.trigger].late_at_issue == "only":
        facts["issued"] = anchor.isoformat()  # the day the catch-up order was given
    return facts


def _told_by_decision(session: Session, found: dict[str, _Finding]) -> dict[str, _Finding]:
    """``found`` less the parts whose notice a transfer's own mail gave (TriggerSpec.told_by_decision):
    one query, when such a notice was found (a pass that gives no work reads nothing)."""
    ids = sorted({r.id for f in found.values() if TRIGGERS[f.rule.trigger].told_by_decision for r in f.rows})
    told = told_by_transfer(session, ids) if ids else set()
    if not told:
        return found
    kept: dict[str, _Finding] = {}
    for key, finding in found.items():
        if TRIGGERS[finding.rule.trigger].told_by_decision:
            finding.rows = [r for r in finding.rows if r.id not in told]
        if finding.rows:
            kept[key] = finding
    return kept


def _existing_keys(session: Session, keys: list[str]) -> set[str]:
    existing: set[str] = set()
    for chunk in id_batches(keys):
        existing.update(session.exec(select(Notification.dedupe_key).where(col(Notification.dedupe_key).in_(chunk))))
    return existing
