"""A partner's date follows its lead's: what the secretariat's extension of a lead does to the partners.

A partner (phối hợp) owes its input to the milestone's lead (chủ trì) before the lead's due date
(DESIGN, the ladder's partner rung). When the secretariat extends a lead, a partner left at the old
date would read "quá hạn" on every page, be counted late in the rates and be reminded for input
that nobody needs yet. So each open partner of the milestone whose date is earlier than every open
lead's date is extended to the earliest of those dates (the first day a lead still needs its input):
by the same action of the rule book, under the same secretariat's name and in the same transaction,
with an event of its own whose comment says why, and the mail that action sends.

Left as they are: a partner already at that date or later; one without a date (recurring, or waiting
for a date); one whose own extension request waits for a decision (an extension would answer it with
a date it did not ask for: the secretariat decides it in the queue); and any move into the past
(another lead still late keeps the earliest date behind today).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from dondoc.engine.clock import LocalDays
from dondoc.engine.models import Agency, Assignment
from dondoc.engine.models.assignments import OPEN_STATE_VALUES, Role
from dondoc.engine.services.explanations import with_open_request
from dondoc.engine.workflow import Action


def comment_for(lead_name: str, lead_day: date, day: date) -> str:
    """What the partner's extension event says (its history and its mail show it): the lead
    extended, to ``lead_day``; ``day``, the partner's new date, when another lead's is earlier."""
    said = f"Theo gia hạn của cơ quan chủ trì {lead_name} đến ngày {lead_day:%d/%m/%Y}"
    if day != lead_day:
        said += f"; thời hạn của cơ quan chủ trì sớm nhất là ngày {day:%d/%m/%Y}"
    return said + ": cơ quan phối hợp gửi ý kiến trước thời hạn của cơ quan chủ trì."


def partners_behind(
    session: Session, milestone_id: int, now: datetime, local: LocalDays
) -> tuple[date, list[int]] | None:
    """The day the milestone's open partners should have (the earliest open lead's due date) and the
    partners that are before it and may be moved (see the module's docstring); None when none is."""
    earliest = session.exec(
        select(func.min(col(Assignment.due_at))).where(
            col(Assignment.milestone_id) == milestone_id,
            col(Assignment.role) == Role.LEAD.value,
            col(Assignment.state).in_(OPEN_STATE_VALUES),
        )
    ).one()
    if earliest is None or local.local_date(earliest) < local.local_date(now):
        return None
    behind = session.exec(
        select(col(Assignment.id))
        .where(
            col(Assignment.milestone_id) == milestone_id,
            col(Assignment.role) == Role.PARTNER.value,
            col(Assignment.state).in_(OPEN_STATE_VALUES),
            col(Assignment.due_at).is_not(None),
            col(Assignment.due_at) < earliest,
            ~with_open_request(Assignment.id, Action.REQUEST_EXTENSION),
        )
        .order_by(col(Assignment.id))
    ).all()
    return (local.local_date(earliest), [int(found) for found in behind if found is not None]) if behind else None


def follow_lead(
    session: Session, lead: Assignment, now: datetime, local: LocalDays, extend: Callable[[int, date, str], Any]
) -> list[int]:
    """After ``lead`` was extended: each partner behind moved by ``extend(partner id, day, comment)``
    (the step, as the secretariat's own); the ids moved."""
    found = partners_behind(session, lead.milestone_id, now, local)
    if found is None:
        return []
    day, partners = found
    lead_name = session.exec(select(col(Agency.name)).where(col(Agency.id) == lead.agency_id)).one()
    assert lead.due_at is not None  # just extended
    comment = comment_for(lead_name, local.local_date(lead.due_at), day)
    for partner in partners:
        extend(partner, day, comment)
    return partners
