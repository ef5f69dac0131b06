"""A partner's date follows its lead's: which partners a step of the secretariat moves, and to which day.

A partner (phối hợp) owes its input to the milestone's lead (chủ trì) before the lead's due date
(DESIGN, the ladder's partner rung). When the secretariat extends a lead, a partner left at the old
date would read "quá hạn" on every page, be counted late in the rates and be reminded for input
that nobody needs yet. So each open partner of the milestone whose date is earlier than every open
lead's date (or that has none) is extended to the earliest of those dates (the first day a lead
still needs its input): by the same action of the rule book, under the same secretariat's name and
in the same transaction, with an event of its own that names the lead it follows
(``data.follows_lead``) and the mail that action sends.

When (:data:`ALIGNING`): a lead's extension; a lead's cancellation, or the verification of its
report (of several leads, a late one kept the earliest date behind today: the others' dates count
now); a partner's report sent back, or
its own extension request refused (it was left at its date while the request waited, or while its
input was in); and a partner named by the secretariat after its lead was extended
(engine.services.naming). Each is the secretariat's decision, and so is the extension that follows it, in its
name: an agency's own step (a lead's report) moves no one's date, since the rule book lets no
agency extend (checked below when the module loads).

Left as they are: a partner already at that date or later; one whose own extension request waits
for a decision (an extension would answer it with a date it did not ask for: the secretariat decides
it in the queue); one whose history already holds a later instant (a step is never written before
the last); and any move into the past (another lead still late keeps the earliest date behind today).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import or_
from sqlmodel import Session, col, select

from dondoc.engine.clock import LocalDays
from dondoc.engine.models import Agency, Assignment, Event, Milestone, PlanItem
from dondoc.engine.models.assignments import OPEN_STATE_VALUES, Role, role_label
from dondoc.engine.models.plans import LEAD_HEADING
from dondoc.engine.services.explanations import with_open_request
from dondoc.engine.services.leads_named import lead_parts
from dondoc.engine.views import AssignmentView
from dondoc.engine.workflow import TRANSITIONS, Action

# (action, role of the assignment it was taken on): the steps after which a milestone's partners
# are brought to their leads' date.
ALIGNING = frozenset(
    {
        (Action.EXTEND, Role.LEAD.value),
        # a lead still late held its partners back: cancelled, or its report (an agency's step, which
        # moves no date) verified, the others' dates count
        (Action.CANCEL, Role.LEAD.value),
        (Action.VERIFY, Role.LEAD.value),
        (Action.RETURN, Role.PARTNER.value),
        (Action.REFUSE_EXTENSION, Role.PARTNER.value),
    }
)


if any(TRANSITIONS[action].who != TRANSITIONS[Action.EXTEND].who for action, _ in ALIGNING):
    raise AssertionError("a partner's date follows only a step of those who may extend it")


def aligns(action: Action, role: str) -> bool:
    return (action, str(role)) in ALIGNING


def lead_name(session: Session, lead_id: int) -> str | None:
    """The name of the body holding the lead assignment ``lead_id`` (an event's ``follows_lead``): the
    extension's mail and every later mail's facts say whose date a partner's follows."""
    statement = select(col(Agency.name)).join(Assignment, col(Assignment.agency_id) == col(Agency.id))
    return session.exec(statement.where(col(Assignment.id) == lead_id)).first()


@dataclass(frozen=True)
class LeadDate:
    """A lead (chủ trì) of a partner's milestone: its body's name and its date in force (None: none set)."""

    name: str
    due_at: datetime | None


def partners_lead_dates(session: Session, partner_ids: Iterable[int]) -> dict[int, list[LeadDate]]:
    """For each partner's part of ``partner_ids``, the leads of its milestone by name (the cancelled
    left out), each with its date in force: whom its input goes to, and by when (read by
    engine.services.leads_named.lead_parts, the one reading of a part's leads). A part whose every
    lead was cancelled, or that has none, is left out."""
    found = {
        part: [LeadDate(lead.name, lead.due_at) for lead in leads if not lead.cancelled]
        for part, leads in lead_parts(session.connection(), list(partner_ids)).items()
    }
    return {part: leads for part, leads in found.items() if leads}


def partners_leads(session: Session, views: Iterable[AssignmentView]) -> dict[int, list[str]]:
    """For each partner's part among ``views``, the bodies that lead its milestone, by name (the
    cancelled left out): whom its input goes to, which a partner's calendar event names as its mails do."""
    partner_ids = [view.id for view in views if view.role == Role.PARTNER.value]
    found = partners_lead_dates(session, partner_ids)
    return {part: [lead.name for lead in leads] for part, leads in found.items()}


def lead_dates_words(leads: Sequence[LeadDate], lead_word: str, local: LocalDays) -> str:
    """A partner's part said with its leads' dates in force, in the role words of its text: "Phối hợp —
    thời hạn của cơ quan chủ trì (Sở Thông tin và Truyền thông): 03/01/2023"; several leads, each
    ("…: 03/01/2023; (UBND huyện Bình Sơn): 10/01/2023")."""
    dates = "; ".join(f"({lead.name}): {_day(lead, local)}" for lead in leads)
    return f"{role_label(Role.PARTNER.value)} — thời hạn của cơ quan {lead_word} {dates}"


def after_leads_words(asked: date | None, leads: Sequence[LeadDate], lead_word: str, local: LocalDays) -> str | None:
    """A partner's day asked for that comes after a lead's date in force, said so (the secretariat
    decides: a warning, never a refusal): "Ngày đề nghị 15/02/2023 sau thời hạn của cơ quan chủ trì Sở
    Thông tin và Truyền thông (03/01/2023)"; None when it is not."""
    if asked is None:
        return None
    before = [lead for lead in leads if lead.due_at is not None and local.local_date(lead.due_at) < asked]
    if not before:
        return None
    named = ", ".join(f"{lead.name} ({_day(lead, local)})" for lead in before)
    return f"Ngày đề nghị {asked:%d/%m/%Y} sau thời hạn của cơ quan {lead_word} {named}"


def _day(lead: LeadDate, local: LocalDays) -> str:
    return f"{local.local_date(lead.due_at):%d/%m/%Y}" if lead.due_at is not None else "chưa có thời hạn"


def _earliest_lead(session: Session, milestone_id: int) -> tuple[int, datetime, int] | None:
    """The open lead with the earliest date: its id, date and agency."""
    found = session.exec(
        select(col(Assignment.id), col(Assignment.due_at), col(Assignment.agency_id))
        .where(
            col(Assignment.milestone_id) == milestone_id,
            col(Assignment.role) == Role.LEAD.value,
            col(Assignment.state).in_(OPEN_STATE_VALUES),
            col(Assignment.due_at).is_not(None),
        )
        .order_by(col(Assignment.due_at), col(Assignment.id))
        .limit(1)
    ).first()
    if found is None or found[0] is None or found[1] is None:
        return None
    return int(found[0]), found[1], int(found[2])


def partners_behind(
    session: Session, milestone_id: int, now: datetime, local: LocalDays
) -> tuple[tuple[int, datetime, int], list[int]] | None:
    """The earliest open lead (id, date, agency) and the milestone's open partners to bring to its
    date (see the module); None when there are none."""
    lead = _earliest_lead(session, milestone_id)
    if lead is None or local.local_date(lead[1]) < local.local_date(now):
        return None
    later = select(col(Event.id)).where(col(Event.assignment_id) == col(Assignment.id), col(Event.at) > now)
    behind = session.exec(
        select(col(Assignment.id))
        .where(
            col(Assignment.milestone_id) == milestone_id,
            col(Assignment.role) == Role.PARTNER.value,
            col(Assignment.state).in_(OPEN_STATE_VALUES),
            or_(col(Assignment.due_at).is_(None), col(Assignment.due_at) < lead[1]),
            ~with_open_request(Assignment.id, Action.REQUEST_EXTENSION),
            ~later.exists(),
        )
        .order_by(col(Assignment.id))
    ).all()
    partners = [int(found) for found in behind if found is not None]
    return (lead, partners) if partners else None


def align_partners(
    session: Session,
    milestone_id: int,
    now: datetime,
    local: LocalDays,
    extend: Callable[[int, date, int, str], Any],
) -> list[int]:
    """Each partner behind brought to the earliest open lead's date by ``extend(partner id, day,
    lead id, comment)`` (the step, as the secretariat's own); the ids moved."""
    found = partners_behind(session, milestone_id, now, local)
    if found is None:
        return []
    (lead_id, due_at, agency_id), partners = found
    name = session.exec(select(col(Agency.name)).where(col(Agency.id) == agency_id)).one()
    heading = session.exec(
        select(LEAD_HEADING)
        .join(Milestone, col(Milestone.item_id) == col(PlanItem.id))
        .where(col(Milestone.id) == milestone_id)
    ).one()
    day = local.local_date(due_at)
    comment = (
        f"Theo thời hạn của cơ quan {role_label(Role.LEAD.value, heading).lower()} {name}, nay là ngày {day:%d/%m/%Y}."
    )
    for partner in partners:
        extend(partner, day, lead_id, comment)
    return partners
