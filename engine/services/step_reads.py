"""What one step reads: the assignment row and the facts it is judged on, in one Core statement.

``act`` (engine.services.assignments) runs at every human step, so it reads with SQLAlchemy
Core rather than the ORM's unit of work: the row, the instant of its last event (history only
moves forward), the acting agency's id by its code, the milestone's start date and
condition (conditions ``overdue``, ``has_precondition``), and whether the assignment waits in
"Cần phân công lại" (a pending transfer: condition ``waiting_transfer``, and whether a finished
step must close it) come back as one row. Everything is
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
from dondoc.engine.models.successions import AgencyTransfer, TransferStatus
from dondoc.engine.services.permissions import Known

ASSIGNMENT: Table = Assignment.__table__  # type: ignore[attr-defined]
_EVENT: Table = Event.__table__  # type: ignore[attr-defined]
_AGENCY: Table = Agency.__table__  # type: ignore[attr-defined]
_MILESTONE: Table = Milestone.__table__  # type: ignore[attr-defined]
_TRANSFER: Table = AgencyTransfer.__table__  # type: ignore[attr-defined]
COLUMNS = tuple(column.name for column in ASSIGNMENT.c)

_LOAD = (
    select(
        *ASSIGNMENT.c,
        select(func.max(_EVENT.c.at)).where(_EVENT.c.assignment_id == ASSIGNMENT.c.id).scalar_subquery().label("_last"),
        select(_AGENCY.c.id).where(_AGENCY.c.code == bindparam("code")).scalar_subquery().label("_agency"),
        _MILESTONE.c.start_date.label("_start"),
        _MILESTONE.c.condition.label("_condition"),
        # engine.services.successions.waiting_for_transfer's question, on its index (status, assignment_id)
        select(_TRANSFER.c.id)
        .where(_TRANSFER.c.status == TransferStatus.PENDING.value, _TRANSFER.c.assignment_id == ASSIGNMENT.c.id)
        .exists()
        .label("_waiting"),
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
    *_, last, agency_id, start, condition, waiting = row
    return Loaded(values, last, Known(agency_id, start, condition, bool(waiting), last, last_event_read=True))


def held(session: Session, values: dict[str, Any]) -> Assignment | None:
    """The session's own Assignment for this row, refreshed to ``values`` (as ``populate_existing``
    would), or None if the session holds none."""
    mapper = Assignment.__mapper__  # type: ignore[attr-defined]
    existing = session.identity_map.get(mapper.identity_key_from_primary_key([values["id"]]))
    if existing is None:
        return None
    state, kept = instance_state(existing), instance_dict(existing)
    for name, value in values.items():
        if state.modified or name not in kept or kept[name] != value:
            set_committed_value(existing, name, value)
    return existing  # type: ignore[no-any-return]


def as_object(session: Session, values: dict[str, Any]) -> Assignment:
    """The session's Assignment for this row, holding ``values`` as committed (not changed).

    The object already in the session's identity map is refreshed (:func:`held`); otherwise a
    new one joins the session as a persistent, clean object, the way the ORM's loader makes one.
    """
    existing = held(session, values)
    if existing is not None:
        return existing
    made = as_values(values)
    make_transient_to_detached(made)  # takes the values as committed, and the key from the id
    session.add(made)
    return made


def as_values(values: dict[str, Any]) -> Assignment:
    """An Assignment holding ``values``, in no session: what a step judges the row by when
    nobody asks for the session's object (``engine.services.assignments.apply_step``). It is
    never added to a session (it would be inserted)."""
    mapper = Assignment.__mapper__  # type: ignore[attr-defined]
    if not mapper.configured:
        configure_mappers()  # an object made by hand needs the mappers set up (the ORM does it on first use)
    made = mapper.class_manager.new_instance()
    instance_dict(made).update(values)
    return made  # type: ignore[no-any-return]
