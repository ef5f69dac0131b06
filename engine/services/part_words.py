"""A part (one body's assignment) named in a message a person reads, as the pages name it: the
body and the item's code (engine.vi_format.shown_code), with its milestone when the catalog labels
it: "phần việc của UBND huyện Bình Sơn ở nhiệm vụ 117/KH-UBND:II.6.5 (Quý I/2023)". A refusal had said
"phần việc 3765", a number no page shows."""

from __future__ import annotations

from sqlalchemy.engine import Connection
from sqlmodel import Session, col, select

from dondoc.engine.models import Agency, Assignment, Milestone, PlanItem
from dondoc.engine.vi_format import shown_code


def part_words(session: Session | Connection, assignment_id: int) -> str:
    """The part ``assignment_id`` in words (see the module); its number only if none has it. Read on
    the session's connection, or the connection a writer holds (engine.services.assignment_writes)."""
    connection = session.connection() if isinstance(session, Session) else session
    found = connection.execute(
        select(col(PlanItem.code), col(Milestone.label), col(Agency.name))
        .select_from(Assignment)
        .join(Milestone, col(Milestone.id) == col(Assignment.milestone_id))
        .join(PlanItem, col(PlanItem.id) == col(Milestone.item_id))
        .join(Agency, col(Agency.id) == col(Assignment.agency_id))
        .where(col(Assignment.id) == assignment_id)
    ).first()
    if found is None:
        return f"phần việc {assignment_id}"
    return part_said(found[0], found[1], found[2])


def part_said(item_code: str, milestone_label: str | None, body: str) -> str:
    """A part in words from its item's code, its milestone's label and its body's name (a page's view
    has them: no read)."""
    return (
        f"phần việc của {body} ở nhiệm vụ {shown_code(item_code)}{f' ({milestone_label})' if milestone_label else ''}"
    )
