"""The only code that changes an assignment's state: apply one action of the table.

Services write, the caller commits: a transition and its event land together or not at all.
A step is the engine's hottest path, so it runs in SQLAlchemy Core on the session's connection:
one statement reads the row and its facts (engine.services.step_reads), one compare-and-set
writes it (engine.services.assignment_writes), one INSERT records the event (both compiled once:
engine.services.precompiled). :func:`act` returns the session's object of the row;
:func:`apply_step`, for callers that do not use it, makes none.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Table, bindparam, insert
from sqlalchemy.orm.attributes import instance_dict, set_committed_value
from sqlmodel import Session, select

from dondoc.engine.actors import Actor, ActorKind
from dondoc.engine.clock import DEFAULT_DAYS, LocalDays
from dondoc.engine.errors import InvalidInput, NotFound
from dondoc.engine.models import Assignment, Event, State
from dondoc.engine.models.assignments import RESWEEP, TERMINAL_STATES
from dondoc.engine.role_words import action_label, report_needed
from dondoc.engine.services.assignment_writes import set_if_version, stale
from dondoc.engine.services.partner_dates import align_partners, aligns
from dondoc.engine.services.permissions import check
from dondoc.engine.services.precompiled import Precompiled
from dondoc.engine.services.request_mails import write_request_mails
from dondoc.engine.services.same_work import after_step
from dondoc.engine.services.step_log import record
from dondoc.engine.services.step_reads import as_object, as_values, held, load
from dondoc.engine.services.successions import close_waiting, take_over
from dondoc.engine.text_limits import blank, text_problem
from dondoc.engine.workflow import ACTION_LABELS_VI, DUE_LABELS_VI, FILE_ACTIONS, TRANSITIONS, Action, Need, Transition

if TYPE_CHECKING:
    from dondoc.engine.workcalendar import WorkCalendar


_EVENT: Table = Event.__table__  # type: ignore[attr-defined]
# The new event's id is not fetched back (nothing needs it); compiled once (engine.services.precompiled).
_INSERT_EVENT = Precompiled(
    insert(_EVENT).values({c.name: bindparam(c.name, type_=c.type) for c in _EVENT.c if c.name != "id"}).inline()
)


@dataclass(frozen=True)
class Request:
    """What an actor asks for; inputs not needed by the action are ignored."""

    action: Action
    actor: Actor
    comment: str | None = None
    due: date | None = None
    percent: int | None = None
    expected_version: int | None = None
    files: int = 0  # how many attachments come with it (the web stores and records them)
    account: str | None = None  # the account that acts for the role (a clerk's login), recorded on the event
    agency: str | None = None  # reassign: the code of the agency that takes the work over
    follows_lead: int | None = None  # extend: the lead whose date a partner's follows (recorded on the event)
    # False: the step's own mail is not written. A partner named in the same step as it is brought to
    # its lead's date (engine.services.naming) hears of both by its new-assignment mail, rendered when
    # sent with the date then and the document's beside it: an "extended" mail first, "thời hạn
    # trước" the document's date, was about work it had never heard of.
    mailed: bool = True
    # A bulk decision's token (engine.services.request_mails.gather_reassigned): a reassignment's mail
    # waits, a few minutes at most, to be gathered with the same decision's other parts for the same body
    # into one mail listing them; None (a single decision): it leaves at once.
    batch: str | None = None


def parse_action(text: str) -> Action:
    try:
        return Action(text.strip().lower().replace("-", "_"))
    except ValueError:
        known = ", ".join(f"{ACTION_LABELS_VI[a]} ({a.value})" for a in Action)
        raise InvalidInput(f'Không có thao tác "{text}"; các thao tác: {known}') from None


def act(
    session: Session,
    assignment_id: int,
    request: Request,
    *,
    now: datetime,
    calendar: WorkCalendar | None = None,
    local: LocalDays = DEFAULT_DAYS,
) -> Assignment:
    """Apply ``request`` to one assignment, write its event, and return the updated row (the
    session's own object). Dates (a snooze, an extension) end at the end of their day in
    ``local`` (the configured zone).

    Refuses as engine.services.permissions judges (PermissionDenied, TransitionNotAllowed,
    ConditionNotMet), then for missing inputs or files the action does not take (InvalidInput),
    a stale version (Conflict), and an instant earlier than the assignment's last event (Backdated);
    on any of them nothing is written.
    """
    assignment = _step(session, assignment_id, request, now, calendar, local, keep=True)
    assert assignment is not None  # keep=True: the session's object
    return assignment


def apply_step(
    session: Session,
    assignment_id: int,
    request: Request,
    *,
    now: datetime,
    calendar: WorkCalendar | None = None,
    local: LocalDays = DEFAULT_DAYS,
) -> None:
    """:func:`act` for a caller that does not use the updated row (the web, the CLI, the replay):
    the same checks, refusals and writes, without making an ORM object of the row for the
    session. An object of that row the session already holds is refreshed all the same, so the
    session never holds a stale copy."""
    _step(session, assignment_id, request, now, calendar, local, keep=False)


def _step(
    session: Session,
    assignment_id: int,
    request: Request,
    now: datetime,
    calendar: WorkCalendar | None,
    local: LocalDays,
    *,
    keep: bool,
) -> Assignment | None:
    """The step; returns the session's object of the row if it holds one (made if ``keep``)."""
    session.flush()  # anything pending goes first, as it would by autoflush
    connection = session.connection()
    loaded = load(connection, assignment_id, request.actor.agency_code)
    if loaded is None:
        raise NotFound("assignment", assignment_id)
    if keep or request.action is Action.REASSIGN:  # the transfer works on the session's object
        kept: Assignment | None = as_object(session, loaded.values)
    else:
        kept = held(session, loaded.values)
    assignment = kept if kept is not None else as_values(loaded.values)
    # The rule book first: another agency's work, or an action its state or conditions refuse, is
    # refused as such whatever version the form carried; a stale version of an allowed action next.
    check(session, assignment, request.actor, request.action, now=now, known=loaded.known)
    # a stale version names the change since, as made by another or not: who is refused is the request's
    actor, account = request.actor.label, request.account
    if request.expected_version is not None and request.expected_version != assignment.version:
        seen = request.expected_version
        raise stale(connection, assignment_id, seen, assignment.version, actor=actor, account=account, tz=local.tz)
    # a step dated before the part's last event was refused by the rule book (history_order.backdated)
    transition = TRANSITIONS[request.action]
    _check_inputs(request, transition, assignment.role)
    if request.action is Action.REASSIGN:  # the transfer writes its own event: from, to, legal source, who
        agency = request.agency or ""

        def close(part_id: int, reason: str) -> None:  # a part of the named body that ends as it takes the lead
            ends = Request(Action.CANCEL, request.actor, comment=reason, account=request.account)
            _step(session, part_id, ends, now, calendar, local, keep=False)

        taken = take_over(
            session,
            assignment,
            agency,
            decided_by=request.actor.label,
            now=now,
            local=local,
            account=request.account,
            close=close,
        )
        # the named body hears of its new work
        write_request_mails(session, taken, request.action, now=now, batch=request.batch)
        return taken
    state = State(assignment.state)
    target = transition.target_from(state)
    changes, data = _changes(assignment, request, target, now, calendar, local)
    changes["version"] = set_if_version(
        connection, assignment_id, assignment.version, changes, actor=actor, account=account, tz=local.tz
    )
    # The row as written; the version moved, so the trigger of migration 0005 has put it in the
    # sweep's next pass (next_sweep_at = RESWEEP) on both backends.
    written = changes | {"next_sweep_at": RESWEEP}
    if kept is not None:
        for name, value in written.items():
            set_committed_value(kept, name, value)
    else:
        instance_dict(assignment).update(written)  # the stand-in, for what follows the step
    _INSERT_EVENT.execute(
        connection,
        {
            "assignment_id": assignment_id,
            "at": now,
            "actor": request.actor.label,
            "actor_account": request.account,
            "action": request.action.value,
            "from_state": state.value,
            "to_state": target.value,
            "comment": request.comment,
            "data": data,
        },
    )
    record(session, assignment_id, request.action.value, target.value, request.comment)
    # The step is written (row and event); what follows a step goes here.
    # a partner's date follows its lead's (engine.services.partner_dates): after a lead's extension before
    # its mail, which names the partners that followed; after any other step after its mail, whose
    # facts (the request a refusal answers) are read from the history as the step left it
    aligning = aligns(request.action, assignment.role)
    if aligning and request.action is Action.EXTEND:
        bring_partners(session, assignment.milestone_id, request.actor, request.account, now, calendar, local)
    if request.mailed:
        write_request_mails(session, assignment, request.action, now=now)  # same transaction as the event
    if aligning and request.action is not Action.EXTEND:
        bring_partners(session, assignment.milestone_id, request.actor, request.account, now, calendar, local)
    if target in TERMINAL_STATES and loaded.known.transfer_pending:  # finished or cancelled work waits for no successor
        close_waiting(session, assignment_id, decided_by=request.actor.label, now=now)
    if target is not state and State.REPORTED in (state, target):  # reported, verified or returned: so is the
        # agency's same work in other documents (engine.services.same_work)
        after_step(session, assignment.milestone_id, assignment.agency_id, now=now, actor=ActorKind.SYSTEM.value)
    return kept


# What an action's words must say, where "nội dung, lý do" does not say it: a report has no reason,
# and says what it sends by the part's role (engine.role_words.report_needed)
WORDS_NEEDED_VI = {Action.REPORT: report_needed}


def day_needed(action: Action) -> InvalidInput:
    """The refusal of an action that takes a day (Need.DUE) sent without one: the bulk form says it
    once, before any row, in the engine's words."""
    return InvalidInput(f'Thao tác "{ACTION_LABELS_VI[action]}" cần một ngày (dd/mm/yyyy hoặc yyyy-mm-dd).')


def bring_partners(
    session: Session,
    milestone_id: int,
    actor: Actor,
    account: str | None,
    now: datetime,
    calendar: WorkCalendar | None,
    local: LocalDays,
    named: Collection[int] = (),
) -> list[int]:
    """The milestone's open partners behind its leads brought to the earliest open lead's date
    (engine.services.partner_dates), each by an extension step of ``actor`` (the secretariat); the
    ids moved. ``named``: assignments given in this same step, whose extension writes no mail of its
    own (see ``Request.mailed``)."""

    def extend(partner_id: int, day: date, lead_id: int, comment: str) -> None:
        follows = Request(
            Action.EXTEND,
            actor,
            comment=comment,
            due=day,
            account=account,
            follows_lead=lead_id,
            mailed=partner_id not in named,
        )
        _step(session, partner_id, follows, now, calendar, local, keep=False)

    return align_partners(session, milestone_id, now, local, extend)


def _check_inputs(request: Request, transition: Transition, role: str) -> None:
    label = f'"{ACTION_LABELS_VI[request.action]}"'
    check_given(request.action, request.comment, request.due, request.agency, role)
    needs = transition.needs
    if Need.PERCENT in needs:
        if request.percent is None or not 0 <= request.percent <= 100:
            given = "không có" if request.percent is None else str(request.percent)
            raise InvalidInput(f"Thao tác {label} cần tỷ lệ tiến độ từ 0 đến 100 %, nhận được: {given}.")
    if request.files and not transition.files:
        with_files = ", ".join(ACTION_LABELS_VI[a].lower() for a in TRANSITIONS if a in FILE_ACTIONS)
        raise InvalidInput(f"Chỉ gửi kèm tệp khi: {with_files}.")


def check_given(
    action: Action, comment: str | None, due: date | None, agency: str | None = None, role: str | None = None
) -> None:
    """What of a step's inputs is judged the same whatever the assignment: the comment's text, a
    comment, a day or a body the action needs. The bulk form asks it once, before any row (with
    :func:`check_day`, and for a body, engine.services.successions.receiving_body); every step asks
    it again, knowing the part's ``role`` (a partner's empty input is said as its input)."""
    needs, label = TRANSITIONS[action].needs, f'"{action_label(action, role)}"'
    problem = text_problem(comment) if comment else None
    if problem:  # the web's forms refuse it as they read it; the CLI and the bulk forms meet it here
        raise InvalidInput(f"Nội dung của thao tác {label} {problem}.")
    if Need.COMMENT in needs and blank(comment):
        needed = WORDS_NEEDED_VI.get(action)
        raise InvalidInput(needed(role) if needed else f"Thao tác {label} cần ghi rõ nội dung, lý do.")
    if Need.DUE in needs and due is None:
        raise day_needed(action)
    if Need.AGENCY in needs and not (agency or "").strip():
        raise InvalidInput(f"Thao tác {label} cần mã cơ quan nhận nhiệm vụ.")


def _changes(
    assignment: Assignment,
    request: Request,
    target: State,
    now: datetime,
    calendar: WorkCalendar | None,
    local: LocalDays,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Column values to set, and what the event records beyond from/to."""
    changes: dict[str, Any] = {"state": target.value}
    data: dict[str, Any] = {}
    match request.action:
        case Action.ACKNOWLEDGE:
            changes["acknowledged_at"] = now
        case Action.PROGRESS:
            changes["progress"] = data["percent"] = request.percent
        case Action.REPORT:
            changes["reported_at"] = now
            changes["done_from"] = None  # its own report: the day is known
            changes["progress"] = 100
        case Action.VERIFY:
            changes["verified_at"] = now
        case Action.RETURN:
            changes["reported_at"] = changes["done_from"] = None
        case Action.CANCEL:
            changes["closed_at"] = now
        case Action.REQUEST_EXTENSION:
            data["requested_due"] = _checked_new_due(assignment, request.due, now, local, request.action).isoformat()
        case Action.SNOOZE:
            day = _checked_new_due(None, request.due, now, local, request.action)
            changes["snoozed_until"] = local.end_of_day(day)
            data["snoozed_until"] = changes["snoozed_until"].isoformat()
        case Action.REQUEST_EXPLANATION | Action.EXPLAIN:
            pass  # the comment in the event is the request or the answer
        case Action.AWAIT_CONDITION:
            changes["waiting_condition_since"] = now  # the comment in the event says why
        case Action.CONDITION_MET:
            data["waited_since"] = (
                assignment.waiting_condition_since.isoformat() if assignment.waiting_condition_since else None
            )
            changes["waiting_condition_since"] = None
        case Action.CONFIRM_MEMBERSHIP:  # the leaders' rungs count from now on (engine.escalation.sweep)
            changes["membership_confirmed_at"] = now
            data["group"] = assignment.inferred_group
        case Action.EXTEND:
            new_day = _checked_new_due(assignment, request.due, now, local, request.action)
            if calendar is not None:
                new_day = calendar.effective_due(new_day)
            if new_day != request.due:  # a day off: the civil-code rule moved it; the day asked is kept
                data["asked_due"] = request.due.isoformat() if request.due else None
            changes["due_at"] = local.end_of_day(new_day)
            data["from_due"] = assignment.due_at.isoformat() if assignment.due_at else None
            data["to_due"] = changes["due_at"].isoformat()
            if request.follows_lead is not None:
                data["follows_lead"] = request.follows_lead
    return changes, data


# How far ahead a new date may be (an extension, a snooze, a date asked for): the plans run a few
# years; a date decades away hides the work from every reminder, and one past year 9998 stopped the
# sweep for every body (its day arithmetic overflowed).
NEW_DUE_YEARS = 10


def _checked_new_due(
    assignment: Assignment | None, due: date | None, now: datetime, local: LocalDays, action: Action
) -> date:
    assert due is not None  # guaranteed by _check_inputs
    check_day(due, now, local, DUE_LABELS_VI.get(action, "Ngày"))
    if assignment is not None and assignment.due_at is not None and due <= local.local_date(assignment.due_at):
        current = local.local_date(assignment.due_at)
        raise InvalidInput(f"Hạn mới phải sau hạn hiện tại {current:%d/%m/%Y}, nhận được {due:%d/%m/%Y}.")
    return due


def check_day(due: date, now: datetime, local: LocalDays, label: str = "Ngày") -> None:
    """A new date (an extension, a snooze, a date asked for) judged on its own: not past, not too far.
    ``label``: the field as its form names it ("Gia hạn đến ngày: ngày 01/10/2022 đã qua.")."""
    today = local.local_date(now)
    if due < today:
        raise InvalidInput(f"{label}: ngày {due:%d/%m/%Y} đã qua.")
    if due.year > today.year + NEW_DUE_YEARS:
        raise InvalidInput(
            f"{label}: ngày {due:%d/%m/%Y} quá xa: hạn mới không được sau ngày 31/12/{today.year + NEW_DUE_YEARS}."
        )


def history(session: Session, assignment_id: int) -> list[Event]:
    """The assignment's events, oldest first."""
    statement = select(Event).where(Event.assignment_id == assignment_id).order_by(Event.at, Event.id)  # type: ignore[arg-type]
    return list(session.exec(statement))
