"""The escalation policy file: validated whole, versioned, never half-applied."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, model_validator

from dondoc.engine.actors import LEADER_RECIPIENTS, Recipient, fold
from dondoc.engine.errors import DomainError
from dondoc.engine.models.assignments import OPEN_STATE_VALUES, Role, State, unconfirmed
from dondoc.engine.parsed_files import ParsedFiles
from dondoc.engine.services.request_mails import PARTNER_INPUT_KIND, REQUEST_MAIL_KINDS
from dondoc.engine.workcalendar import WorkCalendar
from dondoc.tasks_catalog.yamlio import YamlError, line_of, read_yaml


class Trigger(StrEnum):
    ASSIGNED = "assigned"
    BEFORE_DUE = "before_due"
    UNACKNOWLEDGED = "unacknowledged"
    OVERDUE = "overdue"
    OVERDUE_AT_ISSUE = "overdue_at_issue"
    UNVERIFIED = "unverified"
    PARTNER_INPUT = "partner_input"


# A rule's recipient as the file writes it; an older spelling of the vice-chair is read as vice-chair.
RecipientName = Annotated[Recipient, BeforeValidator(lambda value: fold(value) if isinstance(value, str) else value)]
HELD_RECIPIENTS = LEADER_RECIPIENTS | {Recipient.SECRETARIAT}  # mailed in their daily digest
ESCALATION_KIND = "escalation"  # what leaders hear, whatever the trigger

Anchor = Literal["assigned_at", "due_at", "reported_at"]
LateAtIssue = Literal["same", "only", "from_issue"]
_OPEN = frozenset(OPEN_STATE_VALUES)
_ASSIGNED = frozenset({State.ASSIGNED.value})


@dataclass(frozen=True)
class TriggerSpec:
    """Everything the ladder knows about one trigger: the sweep and the pre-send re-check read it."""

    states: frozenset[str]  # the states a row must be in for the trigger's rules to fire; a queued mail
    # is still true only while the assignment stays in one of them
    anchor: Anchor  # the Assignment column whose local day the rungs count from
    kind: str  # the kind of mail it makes (the template family in notifications/)
    snoozable: bool  # a snooze holds its rungs to the bodies and the secretariat back, and skips their
    # queued mails while it lasts (never a leader's: snooze_pauses); so does an unmet precondition, for all
    countdown: bool = False  # rungs count working days back from the anchor; stale once the due date passed
    roles: frozenset[str] | None = None  # only rows with one of these roles (None: any role)
    grouped: bool = False  # one mail per agency, plan and day listing every row: never re-checked
    while_lead_open: bool = False  # a partner's row: fires only while the milestone's lead has not
    # reported (its input is for the lead's report: once the lead has reported, or had it verified,
    # nobody waits for it); other roles' rows are not held back
    needs_holder: bool = False  # a notice to the body that holds the work, of work given to it or not yet
    # taken up by it: never for work waiting in "Cần phân công lại" (nobody holds it: nobody is given
    # it, nobody could acknowledge it, until the secretariat names a body)
    told_by_decision: bool = False  # a notice of work given: not of a part a transfer's own mail told its
    # holder of, on or after its giving (the secretariat's decision naming a body for work never given to
    # one that ended; a succession passing on work given that day, or not yet announced): one mail a part
    # (engine.services.successions.told_by_transfer)
    from_notice_day: bool = False  # rungs count from the first working day on or after the anchor's
    # day, and so do the days a mail says were waited: work given, or a report sent, on a Saturday or
    # a holiday is announced (or seen) on the next working day, and whoever must act on it is not
    # counted as waiting before then (work given on Saturday 01/10/2022 had its "3 working days, not
    # acknowledged" on Wednesday: two working days after the Monday notice, against three for Friday's)
    one_rung_a_pass: bool = False  # its rungs say the same thing but their count, which the mail counts
    # when rendered ("còn N ngày", "chưa tiếp nhận sau N ngày"): of those reaching one body in one pass
    # (a pass after a pause, a date extended to days away) only the latest is sent (sweep._latest_rungs)
    from_return: bool = False  # a part whose report the secretariat returned after its date: rungs count
    # from the day of the return, as work given after its date counts from the day given. The days the
    # report waited with the secretariat are not the body's delay, and a rung whose day came then is
    # not the body's to hear of all at once (2022 scenario: reported 20/06, due 30/06, returned 13/07:
    # within the hour the body was told "quá hạn 9 ngày làm việc … chưa báo cáo kết quả" and the chair
    # heard of it the next morning; returned after the look-back, no rung but the chair's ever fired)
    late_at_issue: LateAtIssue = "same"  # a row whose due day came before the day it was assigned
    # (a plan issued after its own deadline, a catch-up order): "same" judges it as any other row;
    # "only" fires for such rows alone, its rungs counting from the day assigned (rung 0: that day);
    # "from_issue" counts their rungs from the day assigned, rung 0 left to the "only" trigger.

    def counted_from(self, anchor: date, calendar: WorkCalendar) -> date:
        """The day this trigger's rungs count from, for a row anchored on ``anchor``."""
        return calendar.next_working_day(anchor) if self.from_notice_day else anchor


TRIGGERS: dict[Trigger, TriggerSpec] = {
    Trigger.ASSIGNED: TriggerSpec(
        _ASSIGNED,
        "assigned_at",
        "new_assignment",
        snoozable=False,
        grouped=True,
        needs_holder=True,
        told_by_decision=True,
    ),
    Trigger.BEFORE_DUE: TriggerSpec(
        _OPEN, "due_at", "reminder", snoozable=True, countdown=True, while_lead_open=True, one_rung_a_pass=True
    ),
    Trigger.UNACKNOWLEDGED: TriggerSpec(
        _ASSIGNED,
        "assigned_at",
        "unacknowledged",
        snoozable=True,
        needs_holder=True,
        from_notice_day=True,
        one_rung_a_pass=True,
    ),
    Trigger.OVERDUE: TriggerSpec(
        _OPEN,
        "due_at",
        "overdue",
        snoozable=True,
        late_at_issue="from_issue",
        while_lead_open=True,
        from_return=True,
    ),
    Trigger.OVERDUE_AT_ISSUE: TriggerSpec(
        _OPEN, "assigned_at", "overdue_at_issue", snoozable=True, late_at_issue="only", while_lead_open=True
    ),
    Trigger.UNVERIFIED: TriggerSpec(
        frozenset({State.REPORTED.value}), "reported_at", "report_unverified", snoozable=True, from_notice_day=True
    ),
    Trigger.PARTNER_INPUT: TriggerSpec(
        _OPEN,
        "due_at",
        "partner_input",
        snoozable=True,
        countdown=True,
        roles=frozenset({Role.PARTNER.value}),
        one_rung_a_pass=True,
        while_lead_open=True,
    ),
}


def snooze_pauses(trigger: Trigger, recipient: str) -> bool:
    """Whether a snooze ("tạm dừng nhắc việc") pauses the rungs of ``trigger`` to ``recipient``, and
    skips their queued mails, until its day: the one rule of what a snooze pauses, read by the sweep,
    the pre-send re-check and the digests. It pauses the reminders to the bodies (and the
    secretariat's own rows: the secretariat snoozes), never what the standing vice-chair and the chair
    are told: only a report, a verification, a cancellation or an extension stops overdue work from
    reaching them, and the secretariat cannot take it off their digest by snoozing it (2022 replay:
    117/KH-UBND:II.1.đ of UBND TX Đức Phổ, 26 working days late, left every leader's digest from
    04/08 to 10/08 while the leaders' page listed it)."""
    return TRIGGERS[trigger].snoozable and recipient not in LEADER_RECIPIENTS


class Withheld(StrEnum):
    """Why the leaders are not told of a part's lateness (:func:`withheld_why`)."""

    # its body is reached only through an inferred group (Assignment.inferred_group: the catalog's
    # reading of a member list the texts do not give) and the secretariat has not confirmed it
    UNCONFIRMED = "unconfirmed"
    # its date is the secretariat's convention (Milestone.due_by_convention): no document gives one
    CONVENTION = "convention"


def withheld_why(
    inferred_group: str | None, confirmed_at: datetime | None, due_by_convention: bool, *, leader_bound: bool
) -> Withheld | None:
    """Why the leaders are not told of a part with these facts (None: they are, as of any part, or
    were never to be): a part given on a guess, not confirmed; a part due on a day no document gives
    (the secretariat's convention, conventions.yaml ``report_days``: the documents say "định kỳ hàng
    năm" and no more). A part that is both is said unconfirmed: confirming it leaves the convention's
    reason. Only a part the policy would otherwise tell them of is kept from them (``leader_bound``,
    :meth:`Policy.leader_bound`): a partner's part never reaches them under the shipped rungs,
    confirmed or not, and nothing is withheld of it (the 2022 replay's secretariat digest of
    14/10/2022 said of four partners of 04/KH-BCĐ:II.4 "không báo cáo Lãnh đạo Ban Chỉ đạo vì …
    chưa được Tổ giúp việc xác nhận giao", as if confirming them would)."""
    if not leader_bound:
        return None
    if unconfirmed(inferred_group, confirmed_at):
        return Withheld.UNCONFIRMED
    return Withheld.CONVENTION if due_by_convention else None


def told_while_withheld(recipient: str) -> bool:
    """Whether ``recipient`` hears of a part the leaders are kept from (:func:`withheld_why`): the
    one rule of it, read by the sweep, the pre-send re-check, the leaders' page and ranking
    (engine.services.inferred_parts.told_of_roles) and the digests. The body's own reminders and
    the secretariat's rungs go (and its board and digest list the part); the standing vice-chair and
    the chair are not told of work the texts may never have given that body, nor that a body is late
    against a date the texts never set (a false escalation to the chair is the worst error; 2022
    replay: Sở Tài chính's annual report under /TB-UBND II.4, "định kỳ hàng năm", reached the chair
    on 29/12 as 7 working days late against the convention's 20/12): the sweep writes the
    secretariat, in a leader's place, why they were not told. Once an unconfirmed part is confirmed,
    a leader's rung fires on its day, or on the day of the confirmation if that came later; a
    convention's date is never the leaders' to hear of (the catalog may give the text's date, which
    clears the flag)."""
    return recipient not in LEADER_RECIPIENTS


# The held rows each digest carries, by kind (notifications.digests lists them, the secretariat's in
# sections in this order): a held row of another kind would be told by no digest, and stay "held" for
# ever. A rule addressed to one of these recipients is refused unless its kind is carried
# (Rule._sensible); the sweep decides no row of another kind for the secretariat in place of a body
# that ended (engine.escalation.sweep: the work is not the secretariat's to do; the body's own work
# waiting for its decision is listed in its digest).
HELD_KINDS: dict[Recipient, tuple[str, ...]] = {
    Recipient.VICE_CHAIR: (ESCALATION_KIND,),
    Recipient.CHAIR: (ESCALATION_KIND,),
    Recipient.SECRETARIAT: tuple(
        TRIGGERS[t].kind
        for t in (Trigger.UNACKNOWLEDGED, Trigger.OVERDUE, Trigger.UNVERIFIED, Trigger.OVERDUE_AT_ISSUE)
    ),
}


def carried(kind: str, recipient: str) -> bool:
    """Whether a held row of ``kind`` for ``recipient`` (a role) is told in its digest."""
    return any(kind in kinds for role, kinds in HELD_KINDS.items() if role.value == recipient)


@dataclass(frozen=True)
class MailKind:
    """What the pre-send re-check asks of a queued mail of one kind."""

    still_true_in: frozenset[str] | None  # skipped once its assignment leaves these states (None: never skipped)
    snoozable: bool  # skipped while its assignment is snoozed (snooze_pauses)
    while_lead_open: bool = False  # a partner's row: skipped once the milestone's lead has reported
    waits: bool = False  # skipped while its assignment waits for its precondition (await_condition)
    # skipped while the leaders are kept from its assignment (withheld_why, told_while_withheld), and
    # while it waits in "Cần phân công lại" (nobody holds it: the secretariat's to decide, no body late)
    needs_told: bool = False
    # a countdown's mail ("còn N ngày làm việc", "sắp đến hạn": TriggerSpec.countdown): skipped once its
    # assignment's date has passed (a failed reminder sent again after it, for a body whose address
    # was added late, would have said "sắp đến hạn" of a date gone)
    before_due: bool = False


def _mail_kinds() -> dict[str, MailKind]:
    kinds: dict[str, MailKind] = {}
    for trigger, spec in TRIGGERS.items():
        held = spec.snoozable and not spec.grouped
        states = None if spec.grouped else spec.states
        # the trigger's own kind goes to the bodies and the secretariat (a leader's is an escalation)
        kinds[spec.kind] = MailKind(
            states,
            held and snooze_pauses(trigger, Recipient.AGENCY),
            spec.while_lead_open,
            held,
            before_due=spec.countdown,
        )
    # Leaders hear of an overdue assignment (the rung the ladder escalates) as an escalation: the
    # overdue facts, but no snooze pauses it (snooze_pauses: a leader's); work waiting for its
    # precondition is not overdue, for the leaders as for anyone.
    overdue = kinds[TRIGGERS[Trigger.OVERDUE].kind]
    kinds[ESCALATION_KIND] = replace(
        overdue,
        snoozable=snooze_pauses(Trigger.OVERDUE, Recipient.CHAIR),
        needs_told=not told_while_withheld(Recipient.CHAIR),
    )
    # Mails no trigger makes: about a day or a period, not one assignment. Never skipped.
    # inherited_work: a successor told of the open work it took over (engine.services.successions).
    for kind in ("digest_leader", "digest_secretariat", "periodic_report", "inherited_work"):
        kinds[kind] = MailKind(None, snoozable=False)
    # Requests between people and their answers (engine.services.request_mails): what was asked
    # or decided stays true whatever happens next (an explanation request answered before its
    # mail left is still the leader's words on record; the agency's page shows it answered), so
    # such a mail is skipped only when its assignment is cancelled or gone. Never snoozed: a snooze
    # quiets the ladder's reminders, not people talking to each other.
    for kind in (*REQUEST_MAIL_KINDS.values(), PARTNER_INPUT_KIND):
        kinds[kind] = MailKind(frozenset(s.value for s in State if s is not State.CANCELLED), snoozable=False)
    # the cancellation's own mail: about cancelled work, and true whatever comes after
    kinds["assignment_cancelled"] = MailKind(None, snoozable=False)
    return kinds


MAIL_KINDS: dict[str, MailKind] = _mail_kinds()


class Rule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    trigger: Trigger
    working_days: int = Field(ge=0, le=60)
    to: tuple[RecipientName, ...] = Field(min_length=1)
    # the roles of the assignments it fires for (None: every role). The leaders hear of the bodies
    # that owe the result (chủ trì, thực hiện); a partner's missing input is its lead's to chase
    roles: tuple[Role, ...] | None = Field(default=None, min_length=1)

    @model_validator(mode="after")
    def _sensible(self) -> Rule:
        if "partner" in self.to and self.trigger is not Trigger.PARTNER_INPUT:
            raise ValueError('"partner" is a recipient only for trigger partner_input')
        if self.trigger is Trigger.ASSIGNED and self.working_days:
            raise ValueError("trigger assigned takes working_days: 0")
        for recipient in self.to:
            kind = self.kind_for(recipient)
            if recipient in HELD_RECIPIENTS and not carried(kind, recipient.value):
                raise ValueError(
                    f'no digest of "{recipient.value}" tells of {kind} mails: trigger {self.trigger.value} '
                    f"cannot go to {recipient.value}"
                )
        return self

    def kind_for(self, recipient: str) -> str:
        """Leaders' rows on an overdue assignment are escalations; the rest keep the trigger's kind."""
        return ESCALATION_KIND if recipient in LEADER_RECIPIENTS else TRIGGERS[self.trigger].kind


class PolicyFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: str = Field(min_length=1, max_length=32)
    lookback_days: int = Field(default=30, ge=1, le=366)
    rules: list[Rule] = Field(min_length=1)
    priority_rules: list[Rule] | None = None

    @model_validator(mode="after")
    def _unique_names(self) -> PolicyFile:
        for key in ("rules", "priority_rules"):
            names = [rule.name for rule in getattr(self, key) or []]
            duplicates = sorted({n for n in names if names.count(n) > 1})
            if duplicates:
                raise ValueError(f"{key}: duplicate rule name(s) {', '.join(duplicates)}")
        return self


@dataclass(frozen=True)
class Policy:
    version: str  # "<version>@<sha256 of the file, 12 hex>"
    lookback_days: int
    rules: tuple[Rule, ...]
    priority_rules: tuple[Rule, ...]

    def rules_for(self, priority: bool) -> tuple[Rule, ...]:
        return self.priority_rules if priority else self.rules

    def first_rung(self, trigger: Trigger, recipient: str, priority: bool) -> int | None:
        """The working days of the first rung of ``trigger`` that reaches ``recipient``, for a row
        of priority or not (None: no rung reaches it): the secretariat's digest says of the work it
        counts but does not list yet that this rung has not come."""
        days = [
            rule.working_days for rule in self.rules_for(priority) if rule.trigger is trigger and recipient in rule.to
        ]
        return min(days) if days else None

    def leader_thresholds(self, recipient: str) -> tuple[int, int | None] | None:
        """How late overdue work is when it first reaches ``recipient`` (a leader), in working days:
        of the other rules and of the priority rules (None: no priority rule reaches it, nor any
        priority row). None when a rule of another kind reaches it, or no rule of the others does:
        its digest then states no figure rather than one some rows do not meet. (The chair and the
        vice-chair had read the same "… cần báo cáo Lãnh đạo" with two totals the same day.)"""
        found: list[int | None] = []
        for priority in (False, True):
            rules = [rule for rule in self.rules_for(priority) if recipient in rule.to]
            if any(rule.trigger is not Trigger.OVERDUE for rule in rules):
                return None
            # an overdue rung fires on the first working day after the date at the earliest
            found.append(max(1, min(rule.working_days for rule in rules)) if rules else None)
        ordinary, priority_days = found
        return None if ordinary is None else (ordinary, priority_days)

    def leader_bound(self, role: str, priority: bool) -> bool:
        """Whether some rung to the vice-chair or the chair fires for a part of ``role`` (of a priority
        row, or not): only such a part's lateness is ever theirs to hear of, so only of such a part is
        anything kept from them (:func:`withheld_why`)."""
        leaders = {recipient.value for recipient in LEADER_RECIPIENTS}
        return any(
            rule.roles is None or role in {r.value for r in rule.roles}
            for rule in self.rules_for(priority)
            if leaders & set(rule.to)
        )

    def leader_roles(self) -> tuple[str, ...] | None:
        """The roles whose lateness reaches the leaders: those of the rules addressed to the
        vice-chair or the chair (None: every role, also when no rule is). The leaders' page shows and ranks what the
        leaders are told of, by this table, as their digest does."""
        leaders = {recipient.value for recipient in LEADER_RECIPIENTS}
        found: set[str] = set()
        for rule in (*self.rules, *self.priority_rules):
            if not leaders & set(rule.to):
                continue
            if rule.roles is None:
                return None
            found |= {role.value for role in rule.roles}
        # a policy with no rung to the leaders tells them of nothing: their page and mails count every
        # role then, rather than none (an empty tuple would count no overdue work at all)
        return tuple(role.value for role in Role if role.value in found) or None  # chủ trì, thực hiện, phối hợp


class PolicyInvalid(DomainError):
    code = "policy_invalid"

    def __init__(self, path: Path, problems: list[str]) -> None:
        super().__init__(f"chính sách nhắc việc {path.name} bị từ chối: " + "; ".join(problems))
        self.problems = problems


def default_policy_path() -> Path:
    from dondoc.tasks_catalog.loader import default_catalog_dir

    return default_catalog_dir() / "policy.yaml"


def load_policy(path: Path | None = None) -> Policy:
    """Read and validate the whole file; PolicyInvalid lists every problem with line and key.

    Each version of a file is parsed once per process (engine.parsed_files: the bytes are read
    and hashed every call, a changed file is parsed again at once).
    """
    path = path or default_policy_path()
    try:
        return _PARSED.get(path)
    except OSError as exc:
        raise PolicyInvalid(path, [str(exc)]) from None


def _parse(path: Path, content: bytes, sha: str) -> Policy:
    try:
        raw = read_yaml(path, content)
    except (YamlError, OSError) as exc:
        raise PolicyInvalid(path, [str(exc)]) from None
    try:
        parsed = PolicyFile.model_validate(raw)
    except ValidationError as exc:
        problems = [
            f"line {max(1, line_of(raw, tuple(e['loc'])))}, {'.'.join(map(str, e['loc'])) or '(top)'}: {e['msg']}"
            for e in exc.errors()
        ]
        raise PolicyInvalid(path, problems) from None
    rules = tuple(parsed.rules)
    return Policy(f"{parsed.version}@{sha[:12]}", parsed.lookback_days, rules, tuple(parsed.priority_rules or rules))


_PARSED = ParsedFiles(_parse)  # (file, sha256 of its bytes) -> the policy it parsed to
