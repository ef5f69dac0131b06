"""The leads of a part's milestone, by name: whom a partner sends its input to, and whom an
implementer carries out the work beside.

One reading for every surface that names them: a partner's page ("Gửi kết quả phối hợp cho cơ quan
chủ trì (Sở Thông tin và Truyền thông)", web.pages) and the facts of every mail about a partner's or an
implementer's part (notifications.context), read in one statement for all the parts of a mail. The
mails had said "Cơ quan: UBND huyện Bình Sơn (Phối hợp)" and "phối hợp với cơ quan chủ trì" without
naming it, while the page and the calendar feed named it.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime
from typing import NamedTuple

from sqlalchemy.engine import Connection
from sqlmodel import col, select

from dondoc.engine.db import id_batches, named_alias
from dondoc.engine.models import Agency, Assignment
from dondoc.engine.models.assignments import Role, State
from dondoc.engine.services.transfer_origins import join_holder

# the parts whose facts name their leads: the lead's own part names nobody
NAMES_LEADS = frozenset({Role.PARTNER.value, Role.IMPLEMENTER.value})


class LeadPart(NamedTuple):
    """A lead part of a milestone: its body's name, its date in force (None: none set), and whether it
    was cancelled."""

    name: str
    due_at: datetime | None
    cancelled: bool


def lead_parts(db: Connection, part_ids: Collection[int], held: date | None = None) -> dict[int, list[LeadPart]]:
    """For each part of ``part_ids``, the lead parts of its milestone (itself left out), by their
    bodies' names (a lead passed on by a reorganisation: its successor's name, as the page says it);
    with ``held`` (engine.services.queries.held_on), of the bodies that held them that day. A part with
    no other lead maps to an empty list. One statement a batch of ids: the one reading of a part's
    leads (:func:`leads_named`, partner_dates.partners_lead_dates)."""
    found: dict[int, list[LeadPart]] = {part: [] for part in part_ids}
    part = named_alias(Assignment, "named_part")
    for chunk in id_batches(set(part_ids)):
        statement = select(
            col(part.id), col(Agency.name), col(Assignment.due_at), col(Assignment.state) == State.CANCELLED.value
        ).select_from(part)
        statement = statement.join(
            Assignment,
            (col(Assignment.milestone_id) == part.milestone_id) & (col(Assignment.role) == Role.LEAD.value),
        )
        statement = join_holder(statement, held).where(col(part.id).in_(chunk), col(Assignment.id) != part.id)
        for part_id, name, due_at, cancelled in db.execute(
            statement.order_by(col(part.id), col(Agency.name), col(Agency.id))
        ):
            found[part_id].append(LeadPart(name, due_at, bool(cancelled)))
    return found


def leads_named(db: Connection, part_ids: Collection[int], held: date | None = None) -> dict[int, list[str]]:
    """For each part of ``part_ids``, the names of the bodies holding the lead parts of its milestone
    (:func:`lead_parts`, cancelled ones included, as the page has always named them). A part with no
    lead, or itself a lead of a milestone with no other, maps to an empty list when asked for."""
    return {part: [lead.name for lead in leads] for part, leads in lead_parts(db, part_ids, held).items()}
