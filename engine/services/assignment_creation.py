"""The one way to create assignments: with their creation events, in bulk.

The catalog load (engine.services.catalog_sync) creates thousands at once and the secretariat
naming bodies (engine.services.naming) a handful; both come here. Two Core ``executemany``
INSERTs — the rows (ids back in order: engine.services.bulk_insert), then their events — instead
of the ORM's unit of work row by row. Writes on the session's connection; the caller commits.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Table, insert
from sqlmodel import Session

from dondoc.engine.models import Assignment, Event, Role, State
from dondoc.engine.services.bulk_insert import insert_ids

_ASSIGNMENT: Table = Assignment.__table__  # type: ignore[attr-defined]
_EVENT: Table = Event.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class NewAssignment:
    """One assignment to create: done = the text reports the work done (``import_done``)."""

    milestone_id: int
    agency_id: int
    role: str
    due_at: datetime | None
    assigned_at: datetime
    done: bool
    inferred_group: str | None = None  # the inferred group the part rests on alone (Assignment.inferred_group)
    # done: the first instant of the period the text says it was done in ("Tháng 02/2022 (đã hoàn
    # thành)": 01/02/2022), when it names one (Assignment.done_from); None: no period named
    done_from: datetime | None = None
    # done on a day a text gives (the issue of the plan that is the work, ``done_by_issue_of``): the
    # instant it is recorded done at, and what says so (its creation event's comment)
    done_at: datetime | None = None
    comment: str | None = None


def create_assignments(
    session: Session,
    new: Sequence[NewAssignment],
    *,
    now: datetime,
    actor: str,
    comment: str | None = None,
    data: dict[str, Any] | None = None,
) -> list[int]:
    """Create the assignments and their creation events (``assign``, or ``import_done`` for work
    the text reports done, verified at once); return their ids in the order given."""
    if not new:
        return []
    session.flush()  # anything pending (the milestones these rows point to) goes first
    connection = session.connection()
    ids = insert_ids(connection, _ASSIGNMENT, [_row(n) for n in new])
    connection.execute(
        insert(_EVENT),
        [
            {
                "assignment_id": assignment_id,
                "at": now,
                "actor": actor,
                "actor_account": None,
                "action": "import_done" if n.done else "assign",
                "from_state": None,
                "to_state": (State.VERIFIED if n.done else State.ASSIGNED).value,
                "comment": n.comment or comment,
                "data": data or {},
            }
            for assignment_id, n in zip(ids, new, strict=True)
        ],
    )
    return ids


def _row(new: NewAssignment) -> dict[str, Any]:
    # Done when the plan was issued: the text vouches for it, by its date, so it counts as on time;
    # its report time is the latest the text allows, the period's first instant the earliest
    # (the same work under an earlier date follows both: engine.services.same_work).
    done_at = (min(new.assigned_at, new.due_at) if new.due_at else new.assigned_at) if new.done else None
    done_from = new.done_from if done_at is not None and new.done_from is not None and new.done_from < done_at else None
    if new.done and new.done_at is not None:  # the day the text gives: no window
        done_at, done_from = new.done_at, None
    return {
        "milestone_id": new.milestone_id,
        "agency_id": new.agency_id,
        "role": Role(new.role).value,
        "state": (State.VERIFIED if new.done else State.ASSIGNED).value,
        "version": 1,
        "due_at": new.due_at,
        "original_due_at": new.due_at,
        "assigned_at": new.assigned_at,
        "acknowledged_at": None,
        "reported_at": done_at,
        "verified_at": done_at,
        "done_from": done_from,
        "closed_at": None,
        "progress": 100 if new.done else 0,
        "snoozed_until": None,
        "waiting_condition_since": None,
        "inferred_group": new.inferred_group,
        "membership_confirmed_at": None,
    }
