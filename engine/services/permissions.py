"""Who may do what to an assignment now: the transition table applied to one actor at one moment.

:func:`verdicts` answers for every action at once (the pages draw their buttons from it);
:func:`check` refuses one action with the very error ``act`` raises, so the JSON API, the
pages and the CLI give one verdict. The checks run in this order: who may act (PermissionDenied),
from which state (TransitionNotAllowed), then the transition's named conditions (ConditionNotMet).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property

from sqlmodel import Session, select

from dondoc.engine.actors import LEADERS, Actor, ActorKind
from dondoc.engine.clock import DEFAULT_DAYS
from dondoc.engine.errors import ConditionNotMet, DomainError, NotFound, PermissionDenied, TransitionNotAllowed
from dondoc.engine.escalation.recipients import ended_agencies
from dondoc.engine.models import Agency, Assignment, Milestone, Role, State
from dondoc.engine.models.assignments import unconfirmed
from dondoc.engine.role_words import action_label
from dondoc.engine.services.explanations import open_request_ids
from dondoc.engine.services.history_order import backdated, last_event_at, last_events_at
from dondoc.engine.services.part_words import part_words
from dondoc.engine.services.successions import pending_assignment_ids, waiting_for_transfer
from dondoc.engine.status import CATEGORY_LABELS_VI, Category, category
from dondoc.engine.vi_format import vn_date
from dondoc.engine.views import state_label
from dondoc.engine.workflow import (
    CONDITION_REFUSALS_VI,
    TRANSITIONS,
    Action,
    Condition,
)

# Who a transition allows, as a refusal names them (shown to users: Vietnamese).
ACTOR_WORDS_VI = {  # each kind of actor in words (a refusal names them so; the queue "Chờ giải trình" its asker)
    ActorKind.AGENCY: "cơ quan được giao",
    ActorKind.SECRETARIAT: "Tổ giúp việc",
    ActorKind.VICE_CHAIR: "Phó Trưởng ban Thường trực",
    ActorKind.CHAIR: "Trưởng Ban Chỉ đạo",
    ActorKind.SYSTEM: "hệ thống",
}


# Each transition's conditions in the enum's order (the order they are checked and refused in).
_CONDITIONS_IN_ORDER = {
    action: tuple(c for c in Condition if c in transition.conditions) for action, transition in TRANSITIONS.items()
}


@dataclass(frozen=True)
class Verdict:
    """One action for one actor now: allowed, or the domain error that refuses it."""

    action: Action
    refusal: DomainError | None = None

    @property
    def allowed(self) -> bool:
        return self.refusal is None


@dataclass(frozen=True)
class Known:
    """Facts read in the same statement as the assignment (engine.services.step_reads), read in
    that transaction: the checks then ask the database nothing more for them."""

    actor_agency_id: int | None  # the acting agency's id; None if no agency has that code
    milestone_start: date | None
    milestone_condition: str | None
    # the assignment waits in "Cần phân công lại" (a pending transfer); None: not read with it
    # (a queue's page: Pending reads it for all its rows if a check asks)
    transfer_pending: bool | None
    # the instant of the assignment's latest event, read with it (a step's own read: step_reads); not
    # read unless ``last_event_read`` (a page's rows: Pending reads them for all its rows if asked)
    last_event_at: datetime | None = None
    last_event_read: bool = False


class Pending:
    """The open requests and waiting transfers of a set of assignments (a queue's page), each
    read once for all of them when a check first asks for it, by the same readers the checks use
    one assignment at a time: a page that judges only some actions reads only what they need."""

    def __init__(self, session: Session, assignment_ids: list[int]) -> None:
        self.session, self.assignment_ids = session, assignment_ids
        self._ended: dict[date, frozenset[int]] = {}
        self._after: dict[datetime, dict[int, datetime]] = {}

    @classmethod
    def read(cls, session: Session, assignment_ids: list[int]) -> Pending:
        return cls(session, assignment_ids)

    @cached_property
    def explanations(self) -> frozenset[int]:
        return frozenset(open_request_ids(self.session, Action.REQUEST_EXPLANATION, self.assignment_ids))

    @cached_property
    def extensions(self) -> frozenset[int]:
        return frozenset(open_request_ids(self.session, Action.REQUEST_EXTENSION, self.assignment_ids))

    def ended_on(self, day: date) -> frozenset[int]:
        """The agencies ended by ``day`` (read once for the page)."""
        if day not in self._ended:
            self._ended[day] = frozenset(ended_agencies(self.session, day))
        return self._ended[day]

    @cached_property
    def transfers(self) -> frozenset[int]:
        return frozenset(pending_assignment_ids(self.session) & set(self.assignment_ids))

    def events_after(self, now: datetime) -> dict[int, datetime]:
        """Of these assignments, those with an event after ``now``, each with its latest (a page read
        at an earlier instant; none at today's)."""
        if now not in self._after:
            self._after[now] = last_events_at(self.session, self.assignment_ids, after=now)
        return self._after[now]


class _Facts:
    """What the checks look at, each read from the database when first needed (most need none)."""

    def __init__(
        self,
        session: Session,
        assignment: Assignment,
        actor: Actor,
        now: datetime,
        known: Known | None = None,
        pending: Pending | None = None,
        agency_name: str | None = None,
        named: bool = False,
    ) -> None:
        self.session, self.assignment, self.actor, self.now, self.known = session, assignment, actor, now, known
        # ``named``: a refusal raised to the person who tried (:func:`check`) names the part in words
        # (one more read); a page's judged rows say only the reason beside each row
        self.pending, self._agency_name, self.named = pending, agency_name, named

    @cached_property
    def who(self) -> str:
        """Who tried, as a refusal names them (read only when a refusal needs it)."""
        return actor_words(self.session, self.actor, self._agency_name)

    @cached_property
    def part(self) -> str:
        """The part as a refusal names it: in words (part_words) to the person who tried, else its number."""
        assignment_id = self.assignment.id or 0
        return part_words(self.session, assignment_id) if self.named else f"phần việc {assignment_id}"

    @cached_property
    def actor_agency_id(self) -> int | None:
        code = self.actor.agency_code
        if self.known is not None:
            agency_id = self.known.actor_agency_id
        else:
            agency_id = self.session.exec(select(Agency.id).where(Agency.code == code)).first()
        if agency_id is None:
            raise NotFound("agency", code)
        return agency_id

    @cached_property
    def _milestone(self) -> tuple[date | None, str | None]:
        """The milestone's start date and condition."""
        if self.known is not None:
            return self.known.milestone_start, self.known.milestone_condition
        milestone = self.session.get(Milestone, self.assignment.milestone_id)
        return (milestone.start_date, milestone.condition) if milestone else (None, None)

    @cached_property
    def category(self) -> Category:
        a = self.assignment
        start = self._milestone[0]
        return category(
            a.state,
            a.due_at,
            a.reported_at,
            start,
            self.now,
            a.closed_at,
            waiting_since=a.waiting_condition_since,
            assigned_at=a.assigned_at,
            done_from=a.done_from,
        )

    @cached_property
    def last_event_at(self) -> datetime | None:
        """The instant of the assignment's latest event: a step dated before it is refused (the
        history only moves forward: history_order.backdated)."""
        assignment_id = self.assignment.id or 0
        if self.known is not None and self.known.last_event_read:
            return self.known.last_event_at
        if self.pending is not None:  # None: no event after now (the only latest the rule reads)
            return self.pending.events_after(self.now).get(assignment_id)
        return last_event_at(self.session, assignment_id)

    @cached_property
    def precondition(self) -> str | None:
        return (self._milestone[1] or "").strip() or None

    @cached_property
    def explanation_pending(self) -> bool:
        assignment_id = self.assignment.id or 0
        if self.pending is not None:
            return assignment_id in self.pending.explanations
        return assignment_id in open_request_ids(self.session, Action.REQUEST_EXPLANATION, [assignment_id])

    @cached_property
    def holder_ended(self) -> bool:
        """The part's body has ended: someone the rule book names (``in_place``) acts for it."""
        day = DEFAULT_DAYS.local_date(self.now)
        if self.pending is not None:
            return self.assignment.agency_id in self.pending.ended_on(day)
        return self.assignment.agency_id in ended_agencies(self.session, day)

    @cached_property
    def transfer_pending(self) -> bool:
        if self.known is not None and self.known.transfer_pending is not None:
            return self.known.transfer_pending
        if self.pending is not None:  # allowed_for_many: read for all its rows, when first asked
            return (self.assignment.id or 0) in self.pending.transfers
        return waiting_for_transfer(self.session, self.assignment.id or 0)

    @cached_property
    def extension_pending(self) -> bool:
        assignment_id = self.assignment.id or 0
        if self.pending is not None:
            return assignment_id in self.pending.extensions
        return assignment_id in open_request_ids(self.session, Action.REQUEST_EXTENSION, [assignment_id])

    def holds(self, condition: Condition) -> bool:
        match condition:
            case Condition.OVERDUE:
                return self.category is Category.OVERDUE
            case Condition.OPEN_EXPLANATION_REQUEST:
                return self.explanation_pending
            case Condition.NO_OPEN_EXPLANATION_REQUEST:
                return not self.explanation_pending
            case Condition.OPEN_EXTENSION_REQUEST:
                return self.extension_pending
            case Condition.NO_OPEN_EXTENSION_REQUEST:
                return not self.extension_pending
            case Condition.HAS_PRECONDITION:
                return self.precondition is not None
            case Condition.WAITING_CONDITION:
                return self.assignment.waiting_condition_since is not None
            case Condition.NOT_WAITING_CONDITION:
                return self.assignment.waiting_condition_since is None
            case Condition.WAITING_TRANSFER:
                return self.transfer_pending
            case Condition.NOT_WAITING_TRANSFER:
                return not self.transfer_pending
            case Condition.HAS_DUE_DATE:
                return self.assignment.due_at is not None
            case Condition.MEMBERSHIP_UNCONFIRMED:
                return unconfirmed(self.assignment.inferred_group, self.assignment.membership_confirmed_at)
            case Condition.GIVEN:  # as engine.status.category reads "not yet given"
                given_at = self.assignment.assigned_at
                return given_at is None or given_at <= self.now

    def reason(self, condition: Condition) -> str:
        reason = CONDITION_REFUSALS_VI[condition]
        if condition is Condition.OVERDUE:
            reason += f" (hiện: {CATEGORY_LABELS_VI[self.category].lower()})"
        if condition is Condition.GIVEN and self.assignment.assigned_at is not None:
            reason += f" (giao ngày {vn_date(self.assignment.assigned_at)})"
        return reason


def reads_files_of(session: Session, agency_id: int, owner: Assignment) -> bool:
    """Whether an agency may read the files of the part ``owner``: its own, and, as the lead of that
    milestone, its partners' (their input, sent for it to put together: a partner's file reached no
    one, the lead's download refused as "tệp thuộc phần việc của cơ quan khác")."""
    if owner.agency_id == agency_id:
        return True
    if owner.role != Role.PARTNER.value:
        return False
    leads = select(Assignment.id).where(
        Assignment.milestone_id == owner.milestone_id,
        Assignment.agency_id == agency_id,
        Assignment.role == Role.LEAD.value,
    )
    return session.exec(leads.limit(1)).first() is not None


def actor_words(session: Session, actor: Actor, agency_name: str | None = None) -> str:
    """An actor as a refusal names them: the role in words, an agency by its name."""
    if actor.kind is not ActorKind.AGENCY:
        return ACTOR_WORDS_VI[actor.kind]
    code = actor.agency_code
    name = agency_name or session.exec(select(Agency.name).where(Agency.code == code)).first()
    return name or f"Cơ quan {code}"


def _refusal(facts: _Facts, action: Action) -> DomainError | None:
    # An allowed action builds no words: a queue's page judges two actions on each of 100 rows.
    transition, actor, assignment = TRANSITIONS[action], facts.actor, facts.assignment
    if actor.kind not in transition.who and not (actor.kind in transition.in_place and facts.holder_ended):
        doing = f'thực hiện "{action_label(action, assignment.role)}"'
        if actor.kind in LEADERS:
            return PermissionDenied(facts.who, doing, "Lãnh đạo Ban Chỉ đạo chỉ xem, không thao tác")
        names = sorted(ACTOR_WORDS_VI[k] for k in transition.who)
        return PermissionDenied(facts.who, doing, f"chỉ {' hoặc '.join(names)} được thực hiện thao tác này")
    if actor.kind is ActorKind.AGENCY and facts.actor_agency_id != assignment.agency_id:
        doing = f'thực hiện "{action_label(action, assignment.role)}"'
        return PermissionDenied(facts.who, doing, f"{facts.part} thuộc cơ quan khác")
    # read at an instant before the part's last event (a page of the past): no step may be written there
    refused = backdated(assignment.id or 0, facts.now, facts.last_event_at)
    if refused is not None and facts.named:  # to the person who tried: the part in words
        refused = backdated(assignment.id or 0, facts.now, facts.last_event_at, facts.part)
    if refused is not None:
        return refused
    if assignment.state not in transition.sources:  # a state's value is the State itself (StrEnum)
        state = State(assignment.state)
        # what this actor may do now, by name (not the table's codes, nor others' actions, nor an
        # action of this state whose condition does not hold: an answer to a request nobody made)
        open_to = [
            action_label(a, assignment.role)
            for a, t in TRANSITIONS.items()
            if state in t.sources and actor.kind in t.who and all(facts.holds(c) for c in _CONDITIONS_IN_ORDER[a])
        ]
        # not "Đã giao" of work given on a later day (cancelled: "Đã hủy"), as its pages say it
        said = state_label(state.value, facts.holds(Condition.GIVEN), assignment.assigned_at)
        # a second "Tiếp nhận": the day it was acknowledged, not "không thể" alone
        acknowledged = assignment.acknowledged_at if action is Action.ACKNOWLEDGE and facts.named else None
        return TransitionNotAllowed(
            assignment.id or 0,
            state.value,
            action.value,
            open_to,
            said,
            action_label(action, assignment.role),
            part=facts.part if facts.named else None,
            acknowledged_on=f"{DEFAULT_DAYS.local_date(acknowledged):%d/%m/%Y}" if acknowledged else None,
        )
    for condition in _CONDITIONS_IN_ORDER[action]:
        if not facts.holds(condition):
            label = action_label(action, assignment.role)
            part = facts.part if facts.named else None
            return ConditionNotMet(
                assignment.id or 0, action.value, label, condition.value, facts.reason(condition), part=part
            )
    return None


def verdicts(session: Session, assignment: Assignment, actor: Actor, *, now: datetime) -> dict[Action, Verdict]:
    """Every action of the table, in table order, judged for ``actor`` on ``assignment`` at ``now``.

    Raises NotFound only when the actor is an agency that does not exist.
    """
    facts = _Facts(session, assignment, actor, now)
    return {action: Verdict(action, _refusal(facts, action)) for action in TRANSITIONS}


def verdicts_for_many(
    session: Session,
    rows: list[tuple[Assignment, Milestone]],
    actor: Actor,
    *,
    now: datetime,
    actions: Collection[Action] | None = None,
) -> dict[int, list[Verdict]]:
    """:func:`verdicts` for many assignments at once, each given with its milestone (a queue's
    page, whose statement read both): the same checks, with the open requests and waiting transfers
    read for all of them (Pending: up to three statements, only those the checks ask for) instead
    of up to three per assignment. ``actions``: judge only these (the ones a page offers), still in
    table order; every action if None. A page that offers no form on a row says the refusal's reason."""
    if not rows:
        return {}
    judged = [action for action in TRANSITIONS if actions is None or action in actions]
    pending = Pending.read(session, [a.id or 0 for a, _ in rows])
    agency_id, agency_name = None, None
    if actor.kind is ActorKind.AGENCY:
        agency = session.exec(select(Agency.id, Agency.name).where(Agency.code == actor.agency_code)).first()
        agency_id, agency_name = agency if agency is not None else (None, None)
    found: dict[int, list[Verdict]] = {}
    for assignment, milestone in rows:
        known = Known(agency_id, milestone.start_date, milestone.condition, None)
        facts = _Facts(session, assignment, actor, now, known, pending, agency_name)
        found[assignment.id or 0] = [Verdict(a, _refusal(facts, a)) for a in judged]
    return found


def allowed_for_many(
    session: Session,
    rows: list[tuple[Assignment, Milestone]],
    actor: Actor,
    *,
    now: datetime,
    actions: Collection[Action] | None = None,
) -> dict[int, list[Action]]:
    """:func:`allowed_now` for many assignments at once (:func:`verdicts_for_many`): the actions
    allowed on each, in table order."""
    found = verdicts_for_many(session, rows, actor, now=now, actions=actions)
    return {i: [v.action for v in judged if v.allowed] for i, judged in found.items()}


def check(
    session: Session, assignment: Assignment, actor: Actor, action: Action, *, now: datetime, known: Known | None = None
) -> None:
    """Raise the error that refuses ``action`` (see the module docstring), or return if it is allowed.
    ``known``: facts already read with the assignment, in this transaction."""
    refusal = _refusal(_Facts(session, assignment, actor, now, known, named=True), action)
    if refusal is not None:
        raise refusal


def allowed_now(session: Session, assignment_id: int, actor: Actor, *, now: datetime) -> list[Action]:
    """The actions ``actor`` may take on the assignment at ``now``, in table order."""
    assignment = session.get(Assignment, assignment_id)
    if assignment is None:
        raise NotFound("assignment", assignment_id)
    return [action for action, verdict in verdicts(session, assignment, actor, now=now).items() if verdict.allowed]
