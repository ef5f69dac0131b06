"""What one step reads: the assignment row and the facts it is judged on, in one Core statement.

``act`` (engine.services.assignments) runs at every human step, so it reads with SQLAlchemy
Core rather than the ORM's unit of work: the row, the instant of its last event (history only
moves forward), the acting agency's id by its code, and the milestone's start date and
condition (conditions ``overdue``, ``has_precondition``) come back as one row. Everything is
read inside the step's own transaction, so a renamed agency or a changed milestone is never
judged from a stale copy; nothing is cached across steps.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Table, bindparam, func, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import configure_mappers, make_transient_to_detached
from sqlalchemy.orm.attributes import instance_dict, instance_state, set_committed_value
from sqlmodel import Session

from dondoc.engine.models import Agency, Assignment, Event, Milestone
from dondoc.engine.services.permissions import Known

ASSIGNMENT: Table = Assignment.__table__  # type: ignore[attr-defined]
_EVENT: Table = Event.__table__  # type: ignore[attr-defined]
_AGENCY: Table = Agency.__table__  # type: ignore[attr-defined]
_MILESTONE: Table = Milestone.__table__  # type: ignore[attr-defined]
COLUMNS = tuple(column.name for column in ASSIGNMENT.c)

_LOAD = (
    select(
        *ASSIGNMENT.c,
        select(func.max(_EVENT.c.at)).where(_EVENT.c.assignment_id == ASSIGNMENT.c.id).scalar_subquery().label("_last"),
        select(_AGENCY.c.id).where(_AGENCY.c.code == bindparam("code")).scalar_subquery().label("_agency"),
        _MILESTONE.c.start_date.label("_start"),
        _MILESTONE.c.condition.label("_condition"),
    )
    .select_from(ASSIGNMENT.outerjoin(_MILESTONE, _MILESTONE.c.id == ASSIGNMENT.c.milestone_id))
    .where(ASSIGNMENT.c.id == bindparam("id"))
)


@dataclass(frozen=True)
class Loaded:
    """One assignment as a step reads it."""

    values: dict[str, Any]  # the row's columns by name
    last_event_at: datetime | None
    known: Known


def load(connection: Connection, assignment_id: int, agency_code: str | None) -> Loaded | None:
    """The assignment and its facts, or None if there is no such assignment."""
    row = connection.execute(_LOAD, {"id": assignment_id, "code": agency_code}).first()
    if row is None:
        return None
    values = dict(zip(COLUMNS, row, strict=False))
    *_, last, agency_id, start, condition = row
    return Loaded(values, last, Known(agency_id, start, condition))


def as_object(session: Session, values: dict[str, Any]) -> Assignment:
    """The session's Assignment for this row, holding ``values`` as committed (not changed).

    The object already in the session's identity map is refreshed (as ``populate_existing``
    would); otherwise a new one joins the session as a persistent, clean object, the way the
    ORM's loader makes one (``next_sweep_at``, not among ``values``, loads when first read).
    """
    mapper = Assignment.__mapper__  # type: ignore[attr-defined]
    existing = session.identity_map.get(mapper.identity_key_from_primary_key([values["id"]]))
    if existing is not None:
        state, held = instance_state(existing), instance_dict(existing)
        for name, value in values.items():
            if state.modified or name not in held or held[name] != value:
                set_committed_value(existing, name, value)
        return existing  # type: ignore[no-any-return]
    if not mapper.configured:
        configure_mappers()  # an object made by hand needs the mappers set up (the ORM does it on first use)
    made = mapper.class_manager.new_instance()
    instance_dict(made).update(values)
    make_transient_to_detached(made)  # takes the values as committed, and the key from the id
    session.add(made)
    return made  # type: ignore[no-any-return]
