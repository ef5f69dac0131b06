"""What a template sees: facts of the assignment read from the database, and a signed link.

Only mails to an agency carry an agency link (``/a/<token>``); leaders get their read-only
dashboard (``/leaders/<token>``); the secretariat gets the board (``/board``, behind login).
"""

from __future__ import annotations

import unicodedata
from datetime import date, datetime
from types import SimpleNamespace
from typing import Any

from sqlalchemy import Row, bindparam, func
from sqlalchemy import select as core_select
from sqlalchemy.sql.elements import Label
from sqlmodel import Session, col, select

from dondoc.engine.actors import AGENCY_RECIPIENTS, LEADER_RECIPIENTS, RECIPIENT_LABELS_VI, Leader
from dondoc.engine.clock import local_date
from dondoc.engine.deadlines import standing_start, unsaid_condition
from dondoc.engine.escalation.facts import lateness, working_days_overdue
from dondoc.engine.escalation.reminded import heard_since
from dondoc.engine.links import agency_subject, issue_token
from dondoc.engine.models import Agency, Assignment, Event, Installation, Milestone, Plan, PlanItem, Role, State
from dondoc.engine.models.assignments import OPEN_STATE_VALUES, role_label, unconfirmed
from dondoc.engine.models.plans import LEAD_HEADING, PRIORITY
from dondoc.engine.services.ended_names import ended_name_notes
from dondoc.engine.services.inferred_parts import INFERRED_GROUP_NAME, guessed_for_predecessor_vi, guessed_member
from dondoc.engine.services.leads_named import NAMES_LEADS, leads_named
from dondoc.engine.services.partner_dates import lead_name
from dondoc.engine.services.returned import returned_said
from dondoc.engine.services.same_work import counterparts
from dondoc.engine.services.transfer_origins import received_late
from dondoc.engine.settings import Settings
from dondoc.engine.status import (
    Category,
    before_day_kept,
    before_kept_words,
    before_tracking_sql,
    category,
    extended_from,
    given_after_due,
    given_by,
    issued_after_due,
    moved_off_day,
)
from dondoc.engine.vi_format import issued_words, plan_reference, vn_date
from dondoc.engine.views import state_label
from dondoc.engine.workcalendar import default_calendar
from dondoc.engine.workflow import Action
from dondoc.notifications.asked import OPEN_REQUEST, asked_facts
from dondoc.tasks_catalog.conventions import CONVENTION_NOTE


def format_date(instant: datetime | None, settings: Settings) -> str | None:
    """dd/mm/yyyy in the configured time zone, or None (templates test for it)."""
    return vn_date(instant, settings.tz) if instant else None


def link_for(session: Session, role: str, agency_code: str | None, *, now: datetime, settings: Settings) -> str:
    """The link a recipient in ``role`` gets; signed for agencies and leaders."""
    base = settings.links_base()
    if role in AGENCY_RECIPIENTS and agency_code:
        subject = agency_subject(agency_code)
    elif role in LEADER_RECIPIENTS:
        subject = Leader(role).subject
    else:
        return f"{base}/board"
    token = issue_token(session, subject, now=now, secret=settings.signing_key(), days=settings.link_days)
    return f"{base}/a/{token}" if subject.startswith("agency:") else f"{base}/leaders/{token}"


def _lead_codes(data: dict[str, Any]) -> list[str]:
    """The leads a partner's mail names (``cc_leads``, in the sweep's order: by name), or the one
    lead of a mail decided before there could be several (``cc_lead``)."""
    return list(data.get("cc_leads") or ([data["cc_lead"]] if data.get("cc_lead") else []))


def _lead_names(session: Session, data: dict[str, Any]) -> list[str]:
    """The names of the leads of :func:`_lead_codes`, in that order."""
    codes = _lead_codes(data)
    if not codes:
        return []
    names = dict(session.exec(select(Agency.code, Agency.name).where(col(Agency.code).in_(codes))).all())
    return [names[code] for code in codes if code in names]


def _agency_code(
    session: Session, role: str, email: str, data: dict[str, Any], assigned: SimpleNamespace
) -> str | None:
    """Which agency a mail addressed to ``role`` goes to (the lead may be another agency)."""
    if role not in AGENCY_RECIPIENTS:
        return None
    if data.get("recipient_agency"):
        return str(data["recipient_agency"])
    if role == "lead" and email != assigned.email:
        # a mailbox two bodies share: the first recorded, as the desk's queues read it (queues.py)
        found = session.exec(select(Agency.code).where(Agency.email == email).order_by(col(Agency.id))).first()
        return found or next(iter(_lead_codes(data)), None)
    return str(assigned.code)


def _heard_since_received(
    session: Session, assignment_id: int | None, received: date | None, settings: Settings
) -> dict[str, Any]:
    """``unreminded`` (its holder heard nothing of the part since it received it on ``received``) and
    ``told_on_receipt`` (the day the mail of its receipt told it, nothing since): both false without
    ``received`` (engine.escalation.reminded.heard_since)."""
    if received is None or assignment_id is None:
        return {"unreminded": False, "told_on_receipt": None}
    heard = heard_since(session, {assignment_id: received}, settings.tz)
    told = heard.told_only(assignment_id)
    return {"unreminded": heard.nothing(assignment_id), "told_on_receipt": vn_date(told) if told is not None else None}


def _returned(session: Session, assignment_id: int | None, state: str, now: datetime, settings: Settings) -> str | None:
    """:func:`returned.returned_words` of a part in progress whose latest report the secretariat returned, else None."""
    if assignment_id is None or state != State.IN_PROGRESS.value:
        return None
    return returned_said(session, [assignment_id], now=now, tz=settings.tz).get(assignment_id)


def _followed_lead(session: Session, assignment_id: int) -> str | None:
    """The name of the lead whose date the latest extension of ``assignment_id`` followed, if it did."""
    latest = session.exec(
        select(Event.data)
        .where(col(Event.assignment_id) == assignment_id, col(Event.action) == Action.EXTEND.value)
        .order_by(col(Event.id).desc())
        .limit(1)
    ).first()
    lead_id = (latest or {}).get("follows_lead")
    return (lead_name(session, int(lead_id)) or None) if lead_id else None


def assignment_context(
    session: Session,
    assignment_id: int,
    *,
    role: str,
    email: str,
    data: dict[str, Any],
    now: datetime,
    settings: Settings,
    counted_now: bool = False,
    tells_asked: bool = False,
    lead_names: list[str] | None = None,
) -> dict[str, Any]:
    """The template context of a mail about one assignment. ``counted_now``: a part of a mail whose
    data holds no day-dependent facts of its parts (``inherited_work``): its lateness is counted at
    ``now``, when the mail is rendered (:func:`overdue_now`), not read from ``data``. ``tells_asked``:
    a mail that says the body's extension request still waiting (notifications.asked), read now.
    ``lead_names``: the leads of its milestone by name (engine.services.leads_named), read with a
    mail's other parts; else read here."""
    if session.autoflush:
        session.flush()  # what the ORM would do before its query: pending changes are read too
    row = session.connection().execute(_FACTS, {"id": assignment_id}).first()
    if row is None:
        raise ValueError(f"assignment {assignment_id} does not exist")
    assignment, milestone, item, plan, agency, tracking, waiting = _parts(row)
    due_at = datetime.fromisoformat(data["due_at"]) if data.get("due_at") else assignment.due_at
    recipient_code = _agency_code(session, role, email, data, agency)
    extended = extended_from(due_at, assignment.original_due_at, settings.tz)
    date_set = milestone.due_date is None and due_at is not None  # the document gave none: the secretariat set it
    cc_lead_names = _lead_names(session, data)
    counted = (
        overdue_now(assignment, milestone.start_date, tracking.before_tracking, now, settings) if counted_now else data
    )
    # received from another body (a succession) after its date: said by the day received first;
    # not in the successor's own mail of the work it inherited, which opens with whom it came from
    day = local_date(now, settings.tz)
    received = {} if counted_now else received_late(session, [(assignment.id or 0, due_at)], day, settings.tz)
    took = received.get(assignment.id or 0)
    asked = (
        asked_facts(session, assignment, agency, recipient_code, settings=settings)
        if tells_asked and waiting.extension_asked_now is not None
        else {"extension_asked": None, "extension_asked_event": None}
    )
    # given only through a group whose member list is the catalog's reading, not confirmed yet, and
    # not cancelled: the group's name, else None (said to the body itself, and to a lead of its part)
    guessed = (
        assignment.inferred_group_name
        if unconfirmed(assignment.inferred_group_name, assignment.membership_confirmed_at)
        and assignment.state != State.CANCELLED.value
        else None
    )
    return {
        "assignment_id": assignment.id,
        # the part is the recipient's own (not a lead's copy of a partner's): its page is the link's
        # first place, where it is acknowledged and reported; the agency's whole list had been the only one
        "own_part": recipient_code is not None and recipient_code == agency.code,
        "item_code": item.code,
        "item_title": item.title,
        "item_content": item.content,
        # beneath the quoted wording, kept as written: a note on each body it names that has ended
        # by the day the mail is rendered (engine.services.ended_names)
        "ended_notes": ended_name_notes(session, local_date(now, settings.tz), (item.title, item.content), plan.issued),
        "priority": item.priority,
        "plan_number": plan_reference(plan.number, plan.issued_as_written),
        "plan_title": plan.title,
        "plan_issuer": plan.issuer,  # who gives the work: UBND tỉnh for most plans, the committee for its own
        "milestone_label": milestone.label,
        # the subject's name of the item, with its milestone when it has several (milestone_in_subject):
        # one body's mails of two milestones of an item had one subject, read as one mail sent twice
        **subject_code(session, item.code, milestone.item_id, milestone.seq),
        "deadline_phrase": milestone.phrase,
        "condition": unsaid_condition(milestone.condition, milestone.phrase),
        # a standing duty ("kể từ ngày …"): applies from this day, has no due date
        "standing_since": standing_since(milestone.kind, milestone.start_date, due_at),
        "agency_code": agency.code,
        "agency_name": agency.name,
        "agency_short": agency.short,
        "role": assignment.role,  # the body's part: a partner is asked for its part, not the task
        "role_label": role_label(assignment.role, item.lead_heading),
        # whom a partner sends its input to, beside whom an implementer works: named, as its page names
        # them (engine.services.leads_named); the facts had said only "Cơ quan: … (Phối hợp)"
        "lead_names": (
            (leads_named(session.connection(), [assignment_id])[assignment_id] if lead_names is None else lead_names)
            if assignment.role in NAMES_LEADS
            else []
        ),
        # the lead's part in the document's word: "chủ trì", or "tham mưu" (04/KH-BCĐ's "Cơ quan tham mưu")
        "lead_word": role_label("lead", item.lead_heading).lower(),
        # work not yet given (a later period's report a successor inherits) says when it will be, not "Đã giao"
        "state_label": state_label(assignment.state, given_by(assignment.assigned_at, now), assignment.assigned_at),
        # due before the tracking start (engine.status.before_tracking): backlog, never chased; a mail
        # listing it (the work a successor inherits) says so, not that it is to be reported like the rest
        "tracking_start": vn_date(tracking.tracking_start)
        if tracking.before_tracking and assignment.state in OPEN_STATE_VALUES  # done or cancelled: nobody's backlog
        else None,
        # the day the body reported the work, while it stands reported or verified (a request about
        # a delay, read after the report, says the work was reported late, not that it is overdue)
        "reported_date": format_date(assignment.reported_at, settings)
        if assignment.state in (State.REPORTED.value, State.VERIFIED.value) and assignment.reported_at
        else None,
        "due_date": format_date(due_at, settings),
        # back in progress because the secretariat returned its report: when it was sent, when returned
        # and why (engine.services.returned, the leaders' digest's words): an overdue mail does not say
        # of it "chưa báo cáo kết quả", as of work never reported
        "returned": _returned(session, assignment.id, assignment.state, now, settings),
        # a date moved by an extension: the document's words name the first date, not this one
        "first_due_date": format_date(assignment.original_due_at, settings) if extended else None,
        # a date the secretariat set where the document gave none (an extension of undated work):
        # "Thời hạn: chưa xác định (hạn cuối ngày 27/01/2023)" contradicted itself
        "date_set": date_set,
        # the body's extension request waiting for the secretariat's answer, and the date in force
        # meanwhile (notifications.asked): its event id is kept with the row, re-checked as it leaves
        **asked,
        # past its date at the moment the mail is read (not "working days late", which a day off keeps at 0)
        "due_passed": due_at is not None and due_at < now,
        # a partner's date that follows its lead's (engine.services.partner_dates): the lead named
        "follows_lead_name": _followed_lead(session, assignment.id)
        if (extended or date_set) and assignment.role == Role.PARTNER.value
        else None,
        # the text's own day, when the day-off rule moved the date to the next working day
        "day_off": day_off(milestone.due_date, assignment.original_due_at, due_at, settings),
        # "trước ngày X" with X itself the last day (conventions.yaml's reading): said as the
        # secretariat's reading, or "trước ngày 20/9/2022 (hạn cuối ngày 20/09/2022)" reads as a slip
        "before_day_kept": _before_kept(milestone.phrase, plan.issued.year, due_at, settings),
        # a day no document gives (the secretariat's convention, catalog ``dates: convention``): said beside
        # it, or "Thời hạn: Định kỳ 6 tháng, 1 năm (hạn cuối ngày 20/06/2022)" reads as the text's own day
        "due_by_convention": bool(milestone.due_by_convention),
        "issued_date": issued_words(plan.issued, plan.issued_as_written),
        **given_late(due_at, assignment.assigned_at, plan.issued, settings),
        "days_before_due": data.get("days_before_due"),
        "working_days_overdue": counted.get("working_days_overdue"),
        # counted as rendered (``counted_now``) and overdue by the one rule, even by less than a working
        # day: a part passed on by a succession dated on a Saturday, its date the Friday before, had read
        # as in time in the successor's mail (its figure 0) while the board counted it overdue
        "late_now": counted_now and "working_days_overdue" in counted,
        # work given after its own date: the working days since it was given, which its ladder counts from
        "working_days_since_given": counted.get("working_days_since_given"),
        # received from another body after its date (transfer_origins.received_on): whom from, which
        # day, and the working days since (engine.status.given_late_words says them)
        "received_from": took.from_name if took is not None else None,
        "received_date": vn_date(took.on) if took is not None else None,
        "working_days_since_received": working_days_overdue(took.on, local_date(now, settings.tz), default_calendar())
        if took is not None
        else None,
        # and its holder not reminded of it since (engine.escalation.reminded): a leader told of it
        # (an escalation) is not told that the secretariat reminded the body, but whether the mail of
        # its receipt told it (the day it did), or nothing did
        **_heard_since_received(
            session, assignment.id, took.on if took is not None and role in LEADER_RECIPIENTS else None, settings
        ),
        "working_days_waiting": data.get("working_days_waiting"),
        # work given on a day off: the days waited count from the next working day (its notice)
        "counted_from": vn_date(date.fromisoformat(data["counted_from"])) if data.get("counted_from") else None,
        "cc_lead_name": ", ".join(cc_lead_names) or None,
        "cc_leads_several": len(cc_lead_names) > 1,
        # the rung mails the lead too (its policy's ``to``): the partner is told so, never of a copy not sent
        "lead_told": bool(data.get("lead_told", True)),
        "link": link_for(session, role, recipient_code, now=now, settings=settings),
        # a lead told of another body's work is sent to its own part of the item, where it sees theirs
        "lead_assignment_id": _lead_assignment(session, assignment.milestone_id, recipient_code)
        if role == "lead" and recipient_code != agency.code
        else None,
        # a part given only through a group whose member list is the catalog's reading (an inferred
        # group) and not confirmed yet: the body is told so, and whom to tell if it is not a member;
        # only the body itself: a lead told of a partner's part read "Quý cơ quan được giao phần việc
        # này … nếu quý cơ quan không thuộc nhóm này, đề nghị báo Tổ giúp việc" as said to itself;
        # and not of a cancelled part (its cancellation, often for that very reason, asked the body to
        # report what the secretariat had just decided)
        "inferred_group_name": guessed if role in AGENCY_RECIPIENTS and recipient_code == agency.code else None,
        # a part given through the group to a body that has since ended: the guess was about that body,
        # never about its successor (a merged Sở NN&MT was told it was a guessed member of a committee)
        # (and to a lead of it, by the holder's name: it had read "Phần việc của Sở NN&MT được giao vì
        # thuộc nhóm …", the successor called a guessed member)
        "guessed_before": _guessed_before(
            session, assignment.id or 0, guessed, "quý cơ quan" if recipient_code == agency.code else agency.name
        )
        if guessed
        and (
            role in AGENCY_RECIPIENTS
            and recipient_code == agency.code
            or role == "lead"
            and recipient_code != agency.code
        )
        else None,
        # and a lead asked to chase that body's part is told the part rests on the same guess (it had
        # been asked to chase Sở Nội vụ with no word of it, while Sở Nội vụ's own mail said so)
        "guessed_for_lead": guessed if role == "lead" and recipient_code != agency.code else None,
        # the body's same work under another document's item: one report answers both (same_work);
        # not in a mail to a lead about another body's part, where "báo cáo ở nhiệm vụ này" would read
        # as the lead's own report
        "same_work": []
        if role == "lead" and recipient_code != agency.code
        else [
            c.said
            for c in counterparts(session.connection(), assignment.id, assignment.milestone_id, assignment.agency_id)
        ],
    }


# How long a milestone's label may be in a subject before it is cut at a word ("…"): a phone's inbox
# shows some 40 characters of it beside the item's code
SUBJECT_LABEL_CHARS = 40


def _guessed_before(session: Session, assignment_id: int, group: str, holder: str) -> dict[str, str] | None:
    """The body the part was given to through ``group`` before a transfer passed it to its holder (the
    body mailed, or the partner a lead is told of: ``holder``, as the mail names it), and the clause that
    says so (engine.services.inferred_parts), or None when the holder is that body."""
    member = guessed_member(session, assignment_id)
    if member is None:
        return None
    return {"member": member.name, "words": guessed_for_predecessor_vi(group, member, holder)}


def subject_code(session: Session, code: str, item_id: int, seq: int) -> dict[str, str | None]:
    """How a mail's subject names the part: ``subject_milestone``, its milestone when the item has
    several (:func:`milestone_in_subject`), else None; ``subject_code``, the item's code with it,
    "117/KH-UBND:II.2.d (mốc: trước ngày 30/6/2022)", else the code alone."""
    siblings = session.connection().execute(
        core_select(col(Milestone.seq), col(Milestone.label), col(Milestone.phrase)).where(
            col(Milestone.item_id) == item_id
        )
    )
    said = milestone_in_subject(seq, [(int(r[0]), r[1], r[2]) for r in siblings])
    return {"subject_milestone": said, "subject_code": f"{code} (mốc: {said})" if said else code}


def milestone_in_subject(seq: int, milestones: list[tuple[int, str | None, str | None]]) -> str | None:
    """How a subject names milestone ``seq`` among its item's ``milestones`` (seq, label, deadline
    phrase), or None when the item has only one: its label when short (no more than
    SUBJECT_LABEL_CHARS characters: "Quý II/2022") and no other milestone's; else the text's deadline
    phrase when no other milestone has it ("trước ngày 30/6/2022"); else its label cut at a word near
    SUBJECT_LABEL_CHARS, and on to the word where the others' labels differ ("Ban hành Kế hoạch…");
    "mốc N" when the catalog names it by neither. The convention note of a label (a date no document
    gives) is left to the body, which says it."""
    if len(milestones) < 2:
        return None
    names = {s: _label_words(label) for s, label, _ in milestones}
    phrases = [(phrase or "").strip() for s, _, phrase in milestones if s != seq]
    own = names.get(seq) or []
    others = [words for s, words in names.items() if s != seq]
    whole = " ".join(own)
    phrase = next(((p or "").strip() for s, _, p in milestones if s == seq), "")
    if own and len(whole) <= SUBJECT_LABEL_CHARS and own not in others:
        return whole
    if phrase and phrase not in phrases:
        return phrase
    if not own:
        return f"mốc {seq}"
    cut = _cut(own)
    while cut < len(own) and any(words[:cut] == own[:cut] for words in others):
        cut += 1
    return whole if cut == len(own) else " ".join(own[:cut]).rstrip(",;:.") + "…"


def _label_words(label: str | None) -> list[str]:
    """A milestone's label as words, without the convention note the catalog adds to it."""
    return (label or "").replace(CONVENTION_NOTE, " ").split()


# Words a phrase of a label starts with: a cut before one, or after a comma, ends on a whole phrase
# ("Ban hành Kế hoạch hoạt động…", not "… hoạt động của Ban Chỉ…", a cut inside "Ban Chỉ đạo")
_PHRASE_STARTS = frozenset("của và theo tại cho với trong để về các những được đến từ trên nhằm bằng".split())
_SUBJECT_LABEL_MOST = SUBJECT_LABEL_CHARS + 8  # a label this short is said whole; a cut at a phrase may reach it


def _cut(words: list[str]) -> int:
    """How many of ``words`` a subject keeps: all when short enough; else the most that end on a
    whole phrase of at least 20 characters (and at most _SUBJECT_LABEL_MOST), else the most within
    SUBJECT_LABEL_CHARS (at least one)."""
    sizes = [len(" ".join(words[:k])) for k in range(1, len(words) + 1)]
    if sizes[-1] <= _SUBJECT_LABEL_MOST:
        return len(words)
    phrases = [
        k
        for k in range(1, len(words))
        if 20 <= sizes[k - 1] <= _SUBJECT_LABEL_MOST
        and (words[k - 1][-1] in ",;:" or words[k].casefold() in _PHRASE_STARTS)
    ]
    if phrases:
        return max(phrases)
    return max([k for k in range(1, len(words)) if sizes[k - 1] <= SUBJECT_LABEL_CHARS], default=1)


def overdue_now(
    assignment: SimpleNamespace, start_date: date | None, untracked: bool, now: datetime, settings: Settings
) -> dict[str, int]:
    """The lateness facts (engine.escalation.facts.lateness) of an assignment overdue at ``now`` by the
    one rule (engine.status.category: open, given, past its date, not waiting for a condition, not
    before the tracking start), counted at ``now``; nothing for any other. A successor's mail listing
    the work it inherited says of each part already late how late, as a mail about one part does."""
    a = assignment
    judged = category(
        a.state,
        a.due_at,
        a.reported_at,
        start_date,
        now,
        a.closed_at,
        untracked=bool(untracked),
        waiting_since=a.waiting_condition_since,
        assigned_at=a.assigned_at,
    )
    if judged is not Category.OVERDUE or a.due_at is None:
        return {}
    given = local_date(a.assigned_at, settings.tz) if a.assigned_at is not None else None
    return lateness(local_date(a.due_at, settings.tz), local_date(now, settings.tz), default_calendar(), given)


def standing_since(kind: str, start: date | None, due_at: datetime | None) -> str | None:
    """The day a standing duty ("kể từ ngày …") applies from (dd/mm/yyyy): it has no due date by
    design, not one still to be set; None for any other obligation."""
    standing = standing_start(kind, start, due_at)
    return vn_date(standing) if standing else None


def _before_kept(phrase: str | None, year: int, due_at: datetime | None, settings: Settings) -> str | None:
    """What a mail says after a "trước ngày X" due at the end of X (engine.status.before_day_kept)."""
    kept = before_day_kept(phrase, year, due_at, settings.tz)
    return before_kept_words(kept) if kept is not None else None


def before_kept_said(
    phrase: str | None, year: int, due_at: datetime | None, settings: Settings, *, of_period: bool = False
) -> str | None:
    """A digest's row's words beside its date for a "trước ngày X" due at the end of X: the text's
    phrase, which the row does not otherwise show, then whose reading the date is. A period of a
    recurring report (``of_period``) has a phrase the catalog wrote for it, not the text ("trước
    ngày 20/03/2022" for 61/KH-UBND's "trước ngày 20 tháng cuối quý"): said, not quoted as the text's."""
    kept = _before_kept(phrase, year, due_at, settings)
    if kept is None:
        return None
    return f"{phrase}; {kept}" if of_period else f"văn bản ghi “{phrase}”; {kept}"


def day_off(written: date | None, original: datetime | None, due_at: datetime | None, settings: Settings) -> str | None:
    """``written`` (dd/mm/yyyy) when a day off moved the due day away from it (engine.status.moved_off_day)."""
    moved = moved_off_day(written, original, due_at, settings.tz)
    return vn_date(moved) if moved is not None else None


def _lead_assignment(session: Session, milestone_id: int, agency_code: str | None) -> int | None:
    """The lead's own assignment on ``milestone_id`` (the page that lists the other bodies' work)."""
    if agency_code is None:
        return None
    return session.exec(
        select(Assignment.id)
        .join(Agency, col(Assignment.agency_id) == col(Agency.id))
        .where(Assignment.milestone_id == milestone_id, Assignment.role == Role.LEAD.value, Agency.code == agency_code)
    ).first()


def given_late(
    due_at: datetime | None, assigned_at: datetime | None, issued: date | None, settings: Settings
) -> dict[str, Any]:
    """What a mail or digest says of work given after its own date (engine.status.given_after_due):
    ``given_date``, the day it was given (dd/mm/yyyy), else None; ``plan_after_due``, whether
    the plan is the cause (engine.status.issued_after_due, as the pages say it too)."""
    if not given_after_due(due_at, assigned_at, settings.tz):
        return {"given_date": None, "plan_after_due": False}
    assert assigned_at is not None
    given = vn_date(local_date(assigned_at, settings.tz))
    return {"given_date": given, "plan_after_due": issued_after_due(due_at, assigned_at, issued, settings.tz)}


# What a mail about one assignment shows, read in one Core statement (a mail is rendered per
# decision: the ORM's five entities cost more than rendering the mail).
_PARTS: dict[str, tuple[Any, ...]] = {
    "assignment": (
        Assignment.id,
        Assignment.role,
        Assignment.state,
        Assignment.due_at,
        Assignment.reported_at,
        Assignment.assigned_at,
        Assignment.original_due_at,
        Assignment.milestone_id,
        Assignment.agency_id,
        Assignment.membership_confirmed_at,
        Assignment.closed_at,
        Assignment.waiting_condition_since,
        INFERRED_GROUP_NAME,  # NULL for a part named surely
    ),
    "milestone": (
        Milestone.item_id,
        Milestone.seq,
        Milestone.label,
        Milestone.phrase,
        Milestone.condition,
        Milestone.kind,
        Milestone.start_date,
        Milestone.due_date,
        Milestone.due_by_convention,
    ),
    "item": (
        PlanItem.code,
        PlanItem.title,
        PlanItem.content,
        PRIORITY,  # the milestone's own flag, else the item's
        LEAD_HEADING,
    ),
    "plan": (Plan.number, Plan.title, Plan.issued, Plan.issuer, Plan.issued_as_written),
    "agency": (Agency.code, Agency.name, Agency.short, Agency.email),
    # due before the tracking start (engine.status.before_tracking_sql, the one rule), and that start
    "tracking": (
        before_tracking_sql().label("before_tracking"),
        core_select(func.max(col(Installation.tracking_start))).scalar_subquery().label("tracking_start"),
    ),
    # the part's extension request waiting (its event id, or NULL): read whole only when there is one
    "waiting": (OPEN_REQUEST,),
}
_FACTS = (
    core_select(*(c if isinstance(c, Label) else col(c) for part in _PARTS.values() for c in part))
    .join(Milestone, col(Assignment.milestone_id) == col(Milestone.id))
    .join(PlanItem, col(Milestone.item_id) == col(PlanItem.id))
    .join(Plan, col(PlanItem.plan_id) == col(Plan.id))
    .join(Agency, col(Assignment.agency_id) == col(Agency.id))
    .where(col(Assignment.id) == bindparam("id"))
)


_NAMES: list[list[str]] = [[str(c.key) for c in columns] for columns in _PARTS.values()]


def _parts(row: Row[Any]) -> list[SimpleNamespace]:
    """The row split into its parts, each with its columns by name (``item.code``, …)."""
    parts, at = [], 0
    for names in _NAMES:
        parts.append(SimpleNamespace(**dict(zip(names, row[at : at + len(names)], strict=True))))
        at += len(names)
    return parts


def common_context(role: str, name: str | None, *, settings: Settings) -> dict[str, Any]:
    """What every template may use: who it is for and how long links last."""
    return {
        "recipient_role": role,
        "recipient_label": RECIPIENT_LABELS_VI.get(role, role),
        "recipient_name": name,
        "salutation": salutation(role, name),
        "link_days": settings.link_days,
        "board_link": f"{settings.links_base()}/board",
    }


def salutation(role: str, name: str | None) -> str:
    """Whom "Kính gửi:" names: a leader as the administration writes to one, "Đồng chí" and the
    name, then the seat ("Đồng chí Đặng Văn Minh, Trưởng Ban Chỉ đạo"); a body or the secretariat
    by its name. A roster row with no person's name holds the seat's title: said as it is."""
    label = RECIPIENT_LABELS_VI.get(role, role)
    if role in LEADER_RECIPIENTS and name:
        name = unicodedata.normalize("NFC", name)  # a name typed with combining marks compares as one
        person = name[len("Đồng chí ") :] if name.casefold().startswith("đồng chí ") else name  # not said twice
        if not person.casefold().startswith(label.casefold()):  # "Phó Trưởng Ban …" is the seat too
            return f"Đồng chí {person}, {label}"
    return name or label
