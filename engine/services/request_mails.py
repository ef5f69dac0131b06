"""Requests between people are conversations: each request and each answer mails the person who
must act next, at once.

========================  =============================================================
action                    mail (kind) → recipient
========================  =============================================================
request_explanation       ``explanation_request`` → the assignment's agency
explain                   ``explanation_answer`` → the leader who asked, and the secretariat
request_extension         ``extension_request`` → the secretariat
extend                    ``extension_granted`` → the agency (answers an open request, if any)
refuse_extension          ``extension_refused`` → the agency, with the reason
return                    ``report_returned`` → the agency, with the reason
cancel                    ``assignment_cancelled`` → the agency, with the reason
report (the last partner)  ``partner_input_received`` → the milestone's lead(s): every partner's input is in
extend, return, cancel    of a partner's part: a copy → the milestone's lead(s) still to report (what
                          changes the inputs it puts together; a cancellation says whether the rest are in)
reassign                  ``inherited_work`` → the body the secretariat named (its new work);
                          decided in bulk, one mail per body listing its parts (:func:`gather_reassigned`)
========================  =============================================================

:func:`write_request_mails` is called by ``act`` after the event is written, in the same
transaction: the decision and its mails commit together, so a crash after the commit loses
nothing (the delivery loop sends the rows) and a crash before it leaves neither. Each row's
dedupe key is derived from the event id and the recipient, so however often the rows are
written or delivered, one mail goes out per event and recipient.

The engine decides; it does not render (templates live in ``notifications/``, a layer above):
rows are written with an empty subject and rendered by the delivery worker just before sending,
with the figures of that moment (notifications.claims.prepare).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Select, and_, delete, func, update
from sqlalchemy import select as core_select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection
from sqlalchemy.orm import aliased
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, select

from dondoc.engine.actors import LEADER_RECIPIENTS, RECIPIENT_LABELS_VI, SECRETARIAT, ActorKind, Recipient
from dondoc.engine.clock import DEFAULT_DAYS
from dondoc.engine.errors import DomainError
from dondoc.engine.escalation.hearing import Hearers
from dondoc.engine.escalation.lead_done import still_to_report
from dondoc.engine.escalation.recipients import (
    Directory,
    Person,
    agency_mailbox,
    body_mailbox,
    committee_addresses,
    ended_agencies,
    seat_mailbox,
    unreached_words,
)
from dondoc.engine.history_labels import date_set
from dondoc.engine.models import Agency, Assignment, Event, Milestone, Notification, NotificationStatus, Role, State
from dondoc.engine.services.asked_of import asked_of
from dondoc.engine.services.explanations import ANSWERS, given_other_than_asked, handed_on_words
from dondoc.engine.services.partner_dates import lead_name
from dondoc.engine.services.permissions import check
from dondoc.engine.services.successions import KIND_LABELS_VI, never_given_to
from dondoc.engine.status import before_tracking_sql
from dondoc.engine.workcalendar import WorkCalendar
from dondoc.engine.workflow import Action

REQUEST_MAIL_KINDS: dict[Action, str] = {
    Action.REQUEST_EXPLANATION: "explanation_request",
    Action.EXPLAIN: "explanation_answer",
    Action.REQUEST_EXTENSION: "extension_request",
    Action.EXTEND: "extension_granted",
    Action.REFUSE_EXTENSION: "extension_refused",
    Action.RETURN: "report_returned",
    # A body whose work the secretariat cancels is told why: it would work on, or be puzzled by a
    # task gone from its page (the replay's audit: no word reached the agency).
    Action.CANCEL: "assignment_cancelled",
    # The body the secretariat names for work waiting in "Cần phân công lại" is told what it took
    # over, in the same words as a successor of an automatic transfer (notifications.inherited).
    Action.REASSIGN: "inherited_work",
}
# The mails that ask their reader to answer a request, by the request they ask about: true while it
# is open, skipped at delivery once it is answered (a mail rendered after the secretariat had
# granted the extension asked it to decide: notifications.claims.prepare).
ASKING_MAILS: dict[str, Action] = {
    "explanation_request": Action.REQUEST_EXPLANATION,
    "extension_request": Action.REQUEST_EXTENSION,
}
# The steps a mail asks its reader to take: the answers to the request it asks about (ASKING_MAILS),
# or, for a report sent back, to complete it and send it again ("Bổ sung và gửi lại báo cáo").
ASKED_STEPS: dict[str, frozenset[Action]] = {kind: ANSWERS[asked] for kind, asked in ASKING_MAILS.items()} | {
    REQUEST_MAIL_KINDS[Action.RETURN]: frozenset({Action.REPORT})
}
# A partner's report is its input to the lead ("Gửi kết quả phối hợp cho đơn vị chủ trì"). When the
# last partner's is in, the lead, who must now put them together, is told at once (it had learnt
# only from its page); one mail then, not one per partner (a plan with 30 partners on a milestone
# had made the replay's leads 961 mails in four months, each on the lead's page already).
PARTNER_INPUT_KIND = "partner_input_received"
# The event an action writes, where it is not named after the action (a reassign is a transfer).
EVENT_ACTIONS: dict[Action, str] = {Action.REASSIGN: "agency_transfer"}
KEY_PREFIX = "request"
# The mails that say how many working days the work is late, if it is when they are sent: the
# request to explain it, the answer, a request for more time and its refusal (the date stands: a
# body refused more time on work already late was not told it was), a report sent back.
_TOLD_LATE = frozenset(
    {Action.REQUEST_EXPLANATION, Action.EXPLAIN, Action.REQUEST_EXTENSION, Action.REFUSE_EXTENSION, Action.RETURN}
)


# A partner's steps its milestone's leads still to report hear of (a copy under the role "lead").
_LEAD_TOLD = frozenset({Action.EXTEND, Action.RETURN, Action.CANCEL})

# The secretariat's decisions whose mail only tells the body what was decided (it asks for nothing).
_DECISIONS_TOLD = frozenset({Action.CANCEL, Action.EXTEND, Action.REFUSE_EXTENSION})


def dedupe_key(event_id: int, recipient: str) -> str:
    """One mail per event and recipient."""
    return f"{KEY_PREFIX}:{event_id}:{recipient}"


def told_in_place(action: Action, actor: str) -> bool:
    """Whether the secretariat, in the place of a body that has ended, hears of ``action`` taken by
    ``actor``: not of its own decisions that ask nothing of their reader (:data:`_DECISIONS_TOLD`),
    which would tell it, as "quý cơ quan", what it decided itself."""
    return not (actor == ActorKind.SECRETARIAT.value and action in _DECISIONS_TOLD)


def told_in_place_by_key(session: Session, key: str) -> bool:
    """:func:`told_in_place` for the request mail written under ``key`` (``request:12:agency``, by
    :func:`dedupe_key`): its event's action and actor. True for a key of another kind (the sweep's
    reminders: the secretariat answers for a body that has ended)."""
    event_id, _ = _key_parts(key)
    if event_id is None or not event_id.isdigit():
        return True
    event = session.get(Event, int(event_id))
    if event is None or event.action not in _ACTIONS:
        return True
    return told_in_place(Action(event.action), event.actor)


_ACTIONS = frozenset(a.value for a in Action)


def in_place_refusal(session: Session, kind: str, assignment_id: int | None, now: datetime) -> str | None:
    """Why the secretariat, mailed in the place of a body that has ended, may not take at ``now`` any
    step a mail of ``kind`` asks its reader to take (:data:`ASKED_STEPS`), as the rule book refuses it
    (engine.workflow: ``who``, ``in_place`` and the step's conditions); None when it may, or the mail
    asks for no step. A request for an explanation still queued when its body was reorganised away,
    the part waiting in "Cần phân công lại", left for the Tổ giúp việc: "quý cơ quan giải trình", an
    answer refused it until it names the body that takes the part over (that body is told the request
    is its to answer: engine.services.asked_of.handed_explanation). A report sent back, its mail still
    queued then, asked the Tổ giúp việc to "bổ sung và gửi lại" a report only the body holding the part
    may send (the body it names is told the report was returned: asked_of.handed_return)."""
    steps = ASKED_STEPS.get(kind, frozenset())
    assignment = session.get(Assignment, assignment_id) if steps and assignment_id is not None else None
    if assignment is None:
        return None
    refusals: list[str] = []
    for step in sorted(steps):
        try:
            check(session, assignment, SECRETARIAT, step, now=now)
        except DomainError as refused:
            refusals.append(str(refused))
        else:
            return None
    return refusals[0] if refusals else None


def lead_in_key(key: str) -> str | None:
    """The code of the lead a request mail is for, as its key names it (``request:12:lead-so-noi-vu``,
    written by ``_row``: the row records it nowhere else), or None for another key."""
    event_id, recipient = _key_parts(key)
    lead = recipient.removeprefix(f"{Recipient.LEAD.value}-")
    return lead if event_id is not None and lead != recipient and lead else None


def step_of(key: str) -> str | None:
    """The step (engine.escalation.hearing) of the request mail written under ``key``: its event's
    mails to a body and the seats, ``request:{event}`` (one mailbox hears them once:
    :func:`_agency_recipients`); None for a lead's copy (it asks that lead something else, whoever
    else its event mails) and for a key of another kind."""
    event_id, recipient = _key_parts(key)
    if event_id is None or recipient.startswith(f"{Recipient.LEAD.value}-"):
        return None
    return f"{KEY_PREFIX}:{event_id}"


def _key_parts(key: str) -> tuple[str | None, str]:
    """A request mail's key read back (:func:`dedupe_key`): its event's id and its recipient; None
    for the id of a key of another kind."""
    prefix, _, rest = key.partition(":")
    event_id, _, recipient = rest.partition(":")
    return (event_id if prefix == KEY_PREFIX else None), recipient


def write_request_mails(
    session: Session, assignment: Assignment, action: Action, *, now: datetime, batch: str | None = None
) -> int:
    """Write the outbox rows the latest ``action`` event of ``assignment`` calls for (none for
    an action that is not a request or an answer); how many were new. Flushes, never commits.
    ``batch``: a reassignment decided in bulk, whose mail waits to be gathered (:func:`gather_reassigned`)."""
    partner_input = action is Action.REPORT and assignment.role == Role.PARTNER.value
    if partner_input and (
        _partners_waited_for(session, assignment.milestone_id) or _before_tracking(session, assignment)
    ):
        return 0
    kind = PARTNER_INPUT_KIND if partner_input else REQUEST_MAIL_KINDS.get(action)
    if kind is None:
        return 0
    event = session.exec(
        select(Event)
        .where(Event.assignment_id == assignment.id, Event.action == EVENT_ACTIONS.get(action, action.value))
        .order_by(col(Event.id).desc())
        .limit(1)
    ).one()
    data = _facts(
        session, event, action, lead_of=assignment.milestone_id if assignment.role == Role.LEAD.value else None
    )
    if action is Action.REASSIGN:
        data |= _never_given(session, assignment)
    if action is Action.CANCEL and assignment.role == Role.PARTNER.value:
        # the lead's copy: with this part gone, are the inputs it waited for all in? It is asked to put
        # them together, as "Đã đủ ý kiến phối hợp" would have asked it (no partner's report will);
        # read again when the copy is rendered (notifications.refresh); a body that has ended is told of
        # only for that (_gone_partner), so its copy is dropped if the rest are no longer in when it leaves
        data["partners_all_in"] = inputs_all_in(session, assignment)
        data["gone"] = assignment.agency_id in ended_agencies(session, DEFAULT_DAYS.local_date(now))
    written = 0
    waits = batch is not None and action is Action.REASSIGN
    if waits:
        data["batch"] = batch
    for role, person in _recipients(session, assignment, action, data, now, event.actor):
        row = _row(event, kind, role, person, data, now)
        if waits:  # gathered at the end of its bulk decision; sent alone after a crash before that
            row["next_attempt_at"] = now + GATHER_WAIT
        written += _insert(session, row)
    return written


# How long a reassignment's mail decided in bulk waits to be gathered (:func:`gather_reassigned`): the
# bulk decision (500 parts at most, each its own transaction) ends long before; a crash before it ends
# leaves each part's own mail to go out then, alone: late by this much, never lost.
GATHER_WAIT = timedelta(minutes=10)
# What an ``inherited_work`` mail's opening says of the parts it lists (notifications/templates:
# "Từ ngày …, … không còn (…; căn cứ: …)", and of work never given to the body that ended, from which
# day it is the named body's): parts told in one mail share them.
_OPENING = ("predecessors", "kind_label", "effective_on", "source", "decided_by", "never_given_on", "given_on")


def gather_reassigned(session: Session, batch: str, assignment_ids: list[int], *, now: datetime) -> int:
    """One ``inherited_work`` mail per body, and per opening (:data:`_OPENING`: parts from different
    predecessors or successions are told apart), for the parts ``assignment_ids`` a bulk decision
    ``batch`` reassigned: the secretariat naming one body for 55 waiting parts at once had mailed it 55
    times in one morning (the 2025 replay), where an automatic transfer mails it one list
    (notifications.inherited). Each part's own mail (written with its decision, waiting:
    :data:`GATHER_WAIT`) is folded into the first of its group, which lists them all, in one
    transaction: a part is told once, by the list or by its own mail (one already taken by the delivery
    worker is left alone), however often this runs. A group of one leaves as it was written. The list
    is rendered when sent, its parts re-checked then (notifications.claims). How many mails there are
    now. Flushes, never commits."""
    if not assignment_ids:
        return 0
    table = Notification.__table__  # type: ignore[attr-defined]
    rows = session.execute(
        core_select(
            col(Notification.id),
            col(Notification.assignment_id),
            col(Notification.recipient_email),
            col(Notification.recipient_name),
            col(Notification.created_at),
            col(Notification.data),
            col(Agency.code),
        )
        .join(Assignment, col(Assignment.id) == col(Notification.assignment_id))
        .join(Agency, col(Agency.id) == col(Assignment.agency_id))
        .where(
            col(Notification.assignment_id).in_(assignment_ids),
            col(Notification.kind) == REQUEST_MAIL_KINDS[Action.REASSIGN],
            col(Notification.recipient_role) == Recipient.AGENCY.value,
            col(Notification.status) == NotificationStatus.PENDING.value,
            col(Notification.claimed_by).is_(None),
            col(Notification.dedupe_key).startswith(f"{KEY_PREFIX}:"),
        )
        .order_by(col(Notification.id))
    ).all()
    rows = [row for row in rows if row.data.get("batch") == batch]
    # taken first, in one statement (under the write lock, or the rows' locks): a row the delivery
    # worker claimed since is neither folded nor listed; it goes out alone
    took = _take(session, [row.id for row in rows], now)
    groups: dict[tuple[Any, ...], list[Any]] = {}
    for row in rows:
        opening = tuple(str(row.data.get(name)) for name in _OPENING)
        groups.setdefault((row.recipient_email, row.recipient_name, row.code, opening), []).append(row)
    mails = 0
    for (_, _, code, _), group in groups.items():
        taken = [row for row in group if row.id in took]
        if len(taken) < 2:
            mails += len(group)
            continue
        mails += 1 + len(group) - len(taken)
        first, *others = taken
        data = {k: v for k, v in first.data.items() if k not in ("event_id", "batch")}
        data |= {
            "assignment_ids": [row.assignment_id for row in taken],
            "event_ids": [row.data.get("event_id") for row in taken],
            "recipient_agency": code,
        }
        session.execute(
            update(table)
            .where(table.c.id == first.id)
            .values(
                assignment_id=None,
                data=data,
                subject="",
                body_text="",
                # decided when its last part was: the list is the mail of each part it names
                # (engine.services.successions.told_by_transfer)
                created_at=max(row.created_at for row in taken),
            )
        )
        session.execute(delete(table).where(table.c.id.in_([row.id for row in others])))
    return mails


def _take(session: Session, row_ids: list[int], now: datetime) -> set[int]:
    """Those of the waiting rows ``row_ids`` still nobody's, made due at ``now`` (and held by this
    transaction until it ends: the write lock, or the rows' locks)."""
    if not row_ids:
        return set()
    table = Notification.__table__  # type: ignore[attr-defined]
    statement = (
        update(table)
        .where(
            table.c.id.in_(row_ids),
            table.c.status == NotificationStatus.PENDING.value,
            table.c.claimed_by.is_(None),
        )
        .values(next_attempt_at=now)
        .returning(table.c.id)
    )
    return {int(i) for i in session.connection().execute(statement).scalars()}


def listed_still_held(session: Session, assignment_ids: list[int], agency_code: str) -> list[int]:
    """Of the parts a gathered mail lists (:func:`gather_reassigned`), those its body still holds, in
    order: a part named for another body since (its own mail tells that one) is no longer claimed as
    this body's when the mail leaves."""
    held = set(
        session.exec(
            select(col(Assignment.id))
            .join(Agency, col(Agency.id) == col(Assignment.agency_id))
            .where(col(Assignment.id).in_(assignment_ids), col(Agency.code) == agency_code)
        ).all()
    )
    return [i for i in assignment_ids if i in held]


def _never_given(session: Session, assignment: Assignment) -> dict[str, str]:
    """What ``inherited_work`` states of a part the body that ended was never given (its giving day
    came after that body's end: engine.services.successions.never_given_to): not work "đang thực hiện"
    passed on as it stood, but work given to the body named, from its giving day (the decision's, or a
    later period's first day). Nothing for a part the body that ended held."""
    history = session.exec(
        select(Event).where(Event.assignment_id == assignment.id).order_by(col(Event.at), col(Event.id))
    ).all()
    found = never_given_to(history, assignment.assigned_at)
    if found is None:
        return {}
    given = DEFAULT_DAYS.local_date(assignment.assigned_at)
    return {"never_given_on": f"{found.day:%d/%m/%Y}", "given_on": f"{given:%d/%m/%Y}"}


def _partners_all_in(session: Session, milestone_id: int) -> bool:
    """Whether ``milestone_id`` has partners and every one's input is in."""
    partners = session.exec(
        select(func.count()).where(
            col(Assignment.milestone_id) == milestone_id,
            col(Assignment.role) == Role.PARTNER.value,
            col(Assignment.state) != State.CANCELLED.value,
        )
    ).one()
    return bool(partners) and not _partners_waited_for(session, milestone_id)


def inputs_all_in(session: Session, partner: Any) -> bool:
    """Whether every partner's input of ``partner``'s milestone is in (its lead to put them together
    now), for work that is chased (not due before the tracking start)."""
    return _partners_all_in(session, partner.milestone_id) and not _before_tracking(session, partner)


def inputs_told_since(session: Session, partner: Any, since: datetime) -> bool:
    """Whether a partner's own "Đã đủ ý kiến phối hợp" (``partner_input_received``) about ``partner``'s
    milestone has been written since ``since``: it asks the lead to compile, no other mail asks again."""
    statement = (
        select(func.count())
        .select_from(Notification)
        .join(Assignment, col(Assignment.id) == col(Notification.assignment_id))
        .where(
            col(Notification.kind) == PARTNER_INPUT_KIND,
            col(Assignment.milestone_id) == partner.milestone_id,
            col(Notification.created_at) >= since,
        )
    )
    return bool(session.exec(statement).one())


def _before_tracking(session: Session, assignment: Any) -> bool:
    """Work due before the tracking start, of a plan issued before it (engine.status): never chased,
    so its lead is not asked to put the inputs together (the 2022 replay's first morning asked seven
    leads to "tổng hợp, báo cáo kết quả" of work due in 2019–2020)."""
    statement = (
        select(before_tracking_sql())
        .select_from(Assignment)
        .join(Milestone, col(Milestone.id) == col(Assignment.milestone_id))
        .where(col(Assignment.id) == assignment.id)
    )
    return bool(session.exec(statement).one())


def _waited_for(partner: Any) -> ColumnElement[bool]:
    """``partner`` (``Assignment`` or an alias) is a partner's part whose input has not been sent (not
    reported nor verified; cancelled work is nobody's to send): the one test of it."""
    sent_or_gone = [State.REPORTED.value, State.VERIFIED.value, State.CANCELLED.value]
    return and_(col(partner.role) == Role.PARTNER.value, col(partner.state).not_in(sent_or_gone))


def _partners_waited_for(session: Session, milestone_id: int) -> int:
    """How many partners of ``milestone_id`` have not sent their input yet."""
    statement = select(func.count()).where(col(Assignment.milestone_id) == milestone_id, _waited_for(Assignment))
    return int(session.exec(statement).one())


def _facts(session: Session, event: Event, action: Action, *, lead_of: int | None = None) -> dict[str, Any]:
    """What the mail states beyond the assignment: the words, the dates, who asked. ``lead_of``: the
    milestone, when the assignment is a lead's."""
    data: dict[str, Any] = {"event_id": event.id, "action": action.value, "comment": event.comment or ""}
    if action in _TOLD_LATE:  # counted when the mail is rendered, from the date it has then (notifications.refresh)
        # and, of work given after its date, the days since it was given, said first as every mail says
        # it (it read "Số ngày làm việc quá hạn: 85" of work a body had had for 66)
        data |= {"working_days_overdue": 0, "working_days_since_given": None}
    if action is Action.REASSIGN:  # what inherited_work states: who ended, how, on which ground
        day = str(event.data.get("effective_on", ""))[:10]
        data |= {
            "predecessors": [event.data.get("from_name", "")],
            "kind_label": KIND_LABELS_VI.get(str(event.data.get("kind")), str(event.data.get("kind"))),
            "effective_on": f"{day[8:10]}/{day[5:7]}/{day[:4]}",
            "source": event.data.get("source", ""),
            "decided_by": event.data.get("decided_by", ""),
        }
    if action is Action.REQUEST_EXPLANATION:  # the agency is told who asks: the chair's word weighs
        data["asked_by_label"] = RECIPIENT_LABELS_VI.get(event.actor, event.actor)
    for name in ("requested_due", "from_due", "to_due"):
        if event.data.get(name):
            data[name] = event.data[name]
    if action in (Action.EXPLAIN, Action.EXTEND, Action.REFUSE_EXTENSION):
        asked = _answered_request(session, event, action)
        if asked is not None:
            data["asked_by"], data["asked_comment"] = asked.actor, asked.comment or ""
            data["asked_by_label"] = RECIPIENT_LABELS_VI.get(asked.actor, asked.actor)
            data["asked_at"] = asked.at.isoformat()
            if asked.data.get("requested_due"):
                data["requested_due"] = asked.data["requested_due"]
            if action is not Action.EXPLAIN and (before := _handed_on(session, event, asked.actor)) is not None:
                data["asked_by_name"] = before  # its answer's mail names it, not "của quý cơ quan"
            if action is Action.EXPLAIN and (of := asked_of(session, event.assignment_id, asked.at)) is not None:
                data["asked_of_name"] = of  # asked of the body that held the part before a succession
    if action is Action.EXPLAIN and event.actor == ActorKind.SECRETARIAT.value:
        data["in_place"] = True  # the secretariat answered for a body that has ended (engine.workflow)
    # Dates as the mail writes them (dd/mm/yyyy): a due date is stored at the end of its local day.
    for name in ("requested_due", "from_due", "to_due"):
        if data.get(name):
            data[f"{name}_vi"] = _written_day(data[name])
    if action is Action.EXTEND and date_set(event.data):
        data["date_set"] = True  # the part had no date (engine.workflow: the secretariat sets one by extending)
    if action is Action.EXTEND and event.data.get("asked_due"):  # a day off: the civil-code rule moved it
        data["moved_from_vi"] = _written_day(event.data["asked_due"])
    if action is Action.EXTEND and data.get("asked_comment") is not None and data.get("requested_due"):
        chosen = str(event.data.get("asked_due") or event.data.get("to_due", ""))[:10]  # the day the secretariat gave
        asked_day = date.fromisoformat(str(data["requested_due"])[:10])
        # a day off asked for becomes the next working day (its request mail said so): given that day, it
        # is the day asked, and the mail says why the date is not the one the body wrote
        calendar = WorkCalendar.default()
        became = calendar.effective_due(asked_day).isoformat()
        if given_other_than_asked(asked_day, date.fromisoformat(chosen), calendar):  # the mail does not say "đồng ý"
            data["other_than_asked"] = True
        elif chosen == became != asked_day.isoformat() and "moved_from_vi" not in data:
            data["moved_from_vi"] = _written_day(asked_day.isoformat())
    if action is Action.RETURN and lead_of is not None and _partners_all_in(session, lead_of):
        # the inputs may have come in while its report stood (no "Đã đủ ý kiến phối hợp" to a lead that
        # had reported): sent back, it learns here that it has them to put together
        data["partners_all_in"] = True
    if action is Action.EXTEND and lead_of is not None:  # a lead's: the partners that followed it
        data["partners_following"] = _followers(session, event)
    if action is Action.EXTEND and event.data.get("follows_lead"):  # a partner's date follows its lead's
        data["follows_lead_name"] = lead_name(session, int(event.data["follows_lead"])) or ""
    return data


def _followers(session: Session, event: Event) -> list[str]:
    """The bodies whose date followed the extension ``event`` (engine.services.partner_dates): their
    extensions at the same instant name its assignment as the lead they follow."""
    follower = aliased(Event)
    statement = (
        select(col(Agency.name))
        .join(Assignment, col(Assignment.agency_id) == col(Agency.id))
        .join(follower, col(follower.assignment_id) == col(Assignment.id))
        .where(
            col(follower.action) == Action.EXTEND.value,
            col(follower.at) == event.at,
            col(follower.data)["follows_lead"].as_integer() == event.assignment_id,
        )
        .order_by(col(Agency.name))
    )
    return list(session.exec(statement).all())


def _written_day(stored: Any) -> str:
    """A stored ISO day or instant (its local day first) as the mail writes it: dd/mm/yyyy."""
    day = str(stored)[:10]
    return f"{day[8:10]}/{day[5:7]}/{day[:4]}"


def _handed_on(session: Session, event: Event, actor: str) -> str | None:
    """The body that asked (``actor``), when it is not the body holding the part now: it has since
    handed the part on (a succession passes a part with its open request), as the answer's mail to
    the body holding it names it (explanations.handed_on_words); else None."""
    holder = session.exec(
        select(Agency.code)
        .join(Assignment, col(Assignment.agency_id) == col(Agency.id))
        .where(Assignment.id == event.assignment_id)
    ).first()
    if holder is None or holder == actor:
        return None
    name = session.exec(select(Agency.name).where(Agency.code == actor)).first()
    return handed_on_words(name) if name is not None else None


def _answered_request(session: Session, event: Event, action: Action) -> Event | None:
    """The request ``event`` answers: the latest request of its kind before it, if not answered before."""
    asked = Action.REQUEST_EXPLANATION if action is Action.EXPLAIN else Action.REQUEST_EXTENSION
    answers = [Action.EXPLAIN] if action is Action.EXPLAIN else [Action.EXTEND, Action.REFUSE_EXTENSION]
    earlier = session.exec(
        select(Event)
        .where(Event.assignment_id == event.assignment_id, col(Event.id) != event.id)
        .where(col(Event.action).in_([asked.value, *(a.value for a in answers)]))
        .where(col(Event.at) <= event.at)
        .order_by(col(Event.at).desc(), col(Event.id).desc())
        .limit(1)
    ).first()
    return earlier if earlier is not None and earlier.action == asked.value else None


def _recipients(
    session: Session, assignment: Assignment, action: Action, data: dict[str, Any], now: datetime, actor: str
) -> list[tuple[str, Person]]:
    """(recipient role, mailbox) for each mail; a body without an address, and a seat nobody holds with
    one, a mailbox with no address (:func:`_row` writes its mail failed: the secretariat's "Thư gửi lỗi"). The
    committee's seats as held on ``now``'s day (the roster is dated). A mail to an agency that has
    ended goes where the sweep sends it (engine.escalation.recipients.agency_mailbox): to the
    secretariat, under its role; one mailbox hears the event's mails to a body and the seats once
    (engine.escalation.hearing), a lead's copy apart. Not a decision the secretariat took itself
    (``actor``) and that asks nothing of its reader (:data:`_DECISIONS_TOLD`): the secretariat would be
    told, as "quý cơ quan", of its own decision on a body that is no more ("Tổ giúp việc đã hủy phần
    việc … của quý cơ quan", addressed to the Tổ giúp việc); nor a mail asking it for a step the rule
    book refuses it in the body's place (:func:`in_place_refusal`: a report sent back, which only the
    body holding the part may send again). An explanation asked still reaches it: it answers for the
    body that ended."""
    day = DEFAULT_DAYS.local_date(now)
    if action is Action.REPORT:  # a partner's input: its milestone's leads (write_request_mails)
        return _leads(session, assignment, day)
    committee = committee_addresses(session, day)
    found = _agency_recipients(session, assignment, action, data, now, actor, committee)
    if assignment.role == Role.PARTNER.value and action in _LEAD_TOLD and not _gone_partner(action, data):
        # what changes the input a lead puts together: a partner given a date after its lead's, its
        # input sent back, or its part cancelled. The lead hears of it (it was told nothing: the input
        # came late, it compiled one the secretariat had returned, or it waited for one never to come)
        found += _leads(session, assignment, day, before=assignment.due_at if action is Action.EXTEND else None)
    return found


def is_partner_cancelled_copy(kind: str, recipient_role: str) -> bool:
    """Whether an outbox row is a lead's copy of a partner's part cancelled (re-checked at delivery,
    its "đủ ý kiến" re-read at rendering: notifications.claims, notifications.refresh)."""
    return kind == REQUEST_MAIL_KINDS[Action.CANCEL] and recipient_role == Recipient.LEAD.value


def _gone_partner(action: Action, data: dict[str, Any]) -> bool:
    """A cancelled part of a body that has ended (work left waiting in "Cần phân công lại", most often a
    duplicate a merger left beside its successor's own part) whose cancellation asks the lead nothing:
    the 2025 replay's reorganisation had mailed 256 leads "Để biết" of such parts in one morning. Where
    it was the last input awaited, the lead is still asked to put the others together: nothing else
    would ask it."""
    return action is Action.CANCEL and bool(data.get("gone")) and not data.get("partners_all_in")


def _leads(
    session: Session, partner: Assignment, day: date, *, before: datetime | None = None
) -> list[tuple[str, Person]]:
    """(the lead role, mailbox) of each lead of ``partner``'s milestone still to report (whose date
    comes before ``before``, if given), as the directory of ``day`` mails it."""
    # a lead with no address in the catalog resolved all the same, with none (Directory.resolve): written failed
    leads = Directory(session, day).resolve(Recipient.LEAD.value, partner.agency_id, partner.milestone_id)
    told = _leads_still_to_report(session, partner.milestone_id, before=before)
    return [(Recipient.LEAD.value, person) for person in leads if person.key in told]


def _agency_recipients(
    session: Session,
    assignment: Assignment,
    action: Action,
    data: dict[str, Any],
    now: datetime,
    actor: str,
    committee: dict[Recipient, Person],
) -> list[tuple[str, Person]]:
    """The body the mail is about, and the committee's seats the action names."""
    day = DEFAULT_DAYS.local_date(now)
    if action is Action.REQUEST_EXTENSION:
        roles: list[Recipient] = [Recipient.SECRETARIAT]
    elif action is Action.EXPLAIN:
        asker = data.get("asked_by")
        roles = [Recipient(asker)] if asker in LEADER_RECIPIENTS else []
        if actor != ActorKind.SECRETARIAT.value:  # not told of its own answer, given in a body's place
            roles.append(Recipient.SECRETARIAT)
    else:
        roles = [Recipient.AGENCY]
    found: list[tuple[str, Person]] = []
    hearers = Hearers()  # the event's mails to a body and the seats are one step (engine.escalation.hearing)
    for role in roles:
        if role is Recipient.AGENCY:
            agency = session.get(Agency, assignment.agency_id)
            if agency is None:
                continue
            # no address (the body's in the catalog, or, for a body that has ended, the secretariat's
            # on the roster): its mail to nobody, said so (_row)
            body = body_mailbox(agency.code, agency.email, agency.name)
            person = agency_mailbox(body, assignment.agency_id, ended_agencies(session, day), committee)
            if person.key == Recipient.SECRETARIAT.value:
                kind = REQUEST_MAIL_KINDS.get(action, "")
                if not told_in_place(action, actor) or in_place_refusal(session, kind, assignment.id, now) is not None:
                    continue
                role = Recipient.SECRETARIAT
        else:  # a seat nobody holds with an address that day: its mail to nobody, said so (_row)
            person = seat_mailbox(committee, role)
        if hearers.first(person.heard_as):
            found.append((role.value, person))
    return found


# A lead whose own part is still open: the one asked to put its partners' inputs together.
_OPEN_LEAD = (still_to_report(Assignment),)


def _leads_still_to_report(session: Session, milestone_id: int, *, before: datetime | None = None) -> set[str]:
    """The codes of the milestone's leads whose own work is open (due before ``before``, if given):
    the mail asks them to put the inputs together and report. A lead that has reported (or been
    verified, or whose work was cancelled) is asked nothing: 33 of the replay's 40 such mails asked a
    lead verified weeks before to "tổng hợp, báo cáo kết quả"."""
    statement = (
        select(col(Agency.code))
        .join(Assignment, col(Assignment.agency_id) == col(Agency.id))
        .where(col(Assignment.milestone_id) == milestone_id, *_OPEN_LEAD)
    )
    if before is not None:
        statement = statement.where(col(Assignment.due_at) < before)
    return set(session.exec(statement).all())


def _open_lead_mailed(partner: Any, partner_assignment_id: int, email: str) -> Select[Any]:
    """How many open parts of the lead mailed at ``email`` ``partner``'s milestone has (``partner``: an
    alias of ``Assignment``, bound to the part ``partner_assignment_id``), by :data:`_OPEN_LEAD`."""
    return (
        select(func.count())
        .select_from(Assignment)
        .join(Agency, col(Assignment.agency_id) == col(Agency.id))
        .join(partner, col(partner.milestone_id) == col(Assignment.milestone_id))
        .where(col(partner.id) == partner_assignment_id, col(Agency.email) == email, *_OPEN_LEAD)
    )


_LEAD_REPORTED = "Cơ quan chủ trì đã báo cáo trước khi thư đi."


def inputs_in_unsent_reason(
    connection: Connection, partner_assignment_id: int, email: str, *, all_in: bool = True
) -> str | None:
    """Why "every partner's input is in" (about the input of ``partner_assignment_id``, to the lead
    mailed at ``email``) is no longer true when the mail leaves, or None (the delivery worker asks):
    the lead has reported in the meantime, and has nothing left to put together
    (:func:`_leads_still_to_report`'s rule); or (``all_in``: the mail says so) a partner's input is
    no longer in, a report sent back (the mail would ask the lead to put together what it does not
    have)."""
    partner, waiting = aliased(Assignment), aliased(Assignment)
    if not connection.execute(_open_lead_mailed(partner, partner_assignment_id, email)).scalar_one():
        return _LEAD_REPORTED
    if not all_in:
        return None
    missing = (
        select(func.count())
        .select_from(partner)
        .join(waiting, col(waiting.milestone_id) == col(partner.milestone_id))
        .where(col(partner.id) == partner_assignment_id, _waited_for(waiting))
    )
    if connection.execute(missing).scalar_one():
        return "Ý kiến của một cơ quan phối hợp không còn đủ trước khi thư đi (báo cáo bị trả lại)."
    return None


def after_lead_unsent_reason(connection: Connection, partner_assignment_id: int, email: str) -> str | None:
    """Why a lead's copy of its partner's extension ("… được gia hạn đến …, sau thời hạn của quý cơ
    quan", to the lead mailed at ``email``) is no longer true when it leaves, or None (the delivery
    worker asks), by the rule that decided it (:func:`_leads_still_to_report` with ``before``): the lead
    has reported in the meantime; or its own date is no longer before the partner's, extended as long or
    longer since (a bulk extension of a lead and its partner to one day extends the partner first:
    web.routers.bulk), and its own mail says its new date."""
    partner = aliased(Assignment)
    lead = _open_lead_mailed(partner, partner_assignment_id, email)
    if not connection.execute(lead).scalar_one():
        return _LEAD_REPORTED
    if not connection.execute(lead.where(col(Assignment.due_at) < col(partner.due_at))).scalar_one():
        return (
            "Thời hạn của cơ quan chủ trì đã được gia hạn trước khi thư đi, "
            "không còn trước thời hạn mới của cơ quan phối hợp."
        )
    return None


def _row(event: Event, kind: str, role: str, person: Person, data: dict[str, Any], now: datetime) -> dict[str, Any]:
    # one mail per role, but leads are several bodies in one role (a milestone may have two)
    recipient = f"lead-{person.key}" if role == Recipient.LEAD.value else role
    # a body with no address in the catalog, or a seat nobody holds with one on the roster: the mail
    # reaches nobody, and is written failed, in words, where the secretariat sees it ("Thư gửi lỗi", its
    # digest) and sends it again once the address is in (notifications.failed); it had been written
    # nowhere, the request recorded as though the body (or the leader who asked) knew
    unreached = not person.email
    return {
        "dedupe_key": dedupe_key(event.id or 0, recipient),
        "kind": kind,
        "assignment_id": event.assignment_id,
        "recipient_role": role,
        "recipient_email": person.email,
        "recipient_name": person.name,
        "policy_version": None,
        "status": (NotificationStatus.FAILED if unreached else NotificationStatus.PENDING).value,
        "attempts": 0,
        "created_at": now,
        "next_attempt_at": now,
        "subject": "",  # rendered by the delivery worker just before sending
        "body_text": "",
        "data": data,
        "last_error": unreached_words(role, person.name or person.key) if unreached else None,
    }


def _insert(session: Session, values: dict[str, Any]) -> int:
    """``INSERT … ON CONFLICT (dedupe_key) DO NOTHING``: 1 if the row is new."""
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    statement = (
        insert(Notification)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["dedupe_key"])
        .returning(col(Notification.id))
    )
    return 0 if session.execute(statement).scalar_one_or_none() is None else 1
