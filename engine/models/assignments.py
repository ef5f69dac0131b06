"""Assignments: milestone × agency × role, the unit that has a state and a deadline."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Column, ColumnElement, Index, String, UniqueConstraint, and_, literal_column, text
from sqlmodel import Field, SQLModel, col

from dondoc.engine.models.types import AwareDateTime


class Role(StrEnum):
    """chủ trì / thực hiện / phối hợp."""

    LEAD = "lead"
    IMPLEMENTER = "implementer"
    PARTNER = "partner"


# The order a milestone's bodies are listed in: the lead, the implementers, the partners.
ROLE_RANK: dict[str, int] = {role.value: rank for rank, role in enumerate(Role)}


ROLE_LABELS_VI = {Role.LEAD: "Chủ trì", Role.IMPLEMENTER: "Thực hiện", Role.PARTNER: "Phối hợp"}


def role_label(role: str, lead_heading: str | None = None) -> str:
    """A body's part in an item, in the document's word: the lead of an item whose text heads it
    otherwise (04/KH-BCĐ's "Cơ quan tham mưu": the catalog's ``roles_as_written.lead_heading``) is
    "Tham mưu", not "Chủ trì" (the committee's meeting is the chair's, prepared by Sở TT&TT); the
    rule book and the escalation treat it as the lead all the same."""
    if role == Role.LEAD.value and lead_heading:
        word = lead_heading.strip().removeprefix("Cơ quan").strip()
        return word[:1].upper() + word[1:]
    return ROLE_LABELS_VI[Role(role)]


class State(StrEnum):
    """Where an assignment is in its workflow. "Overdue" is not a state: see engine.status."""

    ASSIGNED = "assigned"
    IN_PROGRESS = "in_progress"
    REPORTED = "reported"
    VERIFIED = "verified"
    CANCELLED = "cancelled"


OPEN_STATES = frozenset({State.ASSIGNED, State.IN_PROGRESS})
COMPLETED_STATES = frozenset({State.REPORTED, State.VERIFIED})
TERMINAL_STATES = frozenset({State.VERIFIED, State.CANCELLED})
# The same sets as plain strings, in workflow order: for SQL ``IN (…)`` and rows read as text.
OPEN_STATE_VALUES: tuple[str, ...] = tuple(s.value for s in State if s in OPEN_STATES)
COMPLETED_STATE_VALUES: tuple[str, ...] = tuple(s.value for s in State if s in COMPLETED_STATES)
TERMINAL_STATE_VALUES: tuple[str, ...] = tuple(s.value for s in State if s in TERMINAL_STATES)

STATE_LABELS_VI = {
    State.ASSIGNED: "Đã giao",
    State.IN_PROGRESS: "Đang thực hiện",
    State.REPORTED: "Đã báo cáo",
    State.VERIFIED: "Đã xác nhận",
    State.CANCELLED: "Đã hủy",
}
# Work not given yet: a later period's report waits in the state "assigned" until its period's
# first day (its ``assigned_at``), when it is handed out; until then it is nobody's, and no page
# says "Đã giao" of it (engine.views.AssignmentView.state_label, web/assignment_rows.py).
NOT_GIVEN_VI = "Chưa giao"


# ``next_sweep_at`` values with a meaning of their own. RESWEEP (also what a database trigger
# writes whenever a row's state, dates, role, agency or version change) puts the row in the
# next sweep with the full look-back; NEVER means no rung of the ladder is left to fire.
RESWEEP = datetime(1970, 1, 1, tzinfo=UTC)
NEVER = datetime(3000, 1, 1, tzinfo=UTC)


# engine.models.assignments.unconfirmed in SQL words, as the partial index reads it (unconfirmed_sql)
UNCONFIRMED_WHERE = "inferred_group IS NOT NULL AND membership_confirmed_at IS NULL"
# A partner's part whose input is not sent yet (OPEN_STATES), in SQL words, as the partial index
# reads it and the queue "Phối hợp không còn được chờ" asks it (with constants, which SQLite needs
# to use a partial index): the few such parts, without reading every open one
OPEN_PARTNER_WHERE = "role = 'partner' AND state IN ('assigned', 'in_progress')"


def open_partner_sql(part: Any) -> ColumnElement[bool]:
    """OPEN_PARTNER_WHERE of ``part`` (``Assignment`` or an alias), its constants written out."""
    states: list[Any] = [literal_column(f"'{state}'") for state in OPEN_STATE_VALUES]
    return and_(col(part.role) == literal_column(f"'{Role.PARTNER.value}'"), col(part.state).in_(states))


# A lead's part, as the partial index of the leads reads it (engine.escalation.lead_done.is_lead): a
# partner's row finds its milestone's leads there, not among the milestone's every part
LEAD_WHERE = "role = 'lead'"


def _ts(**kw: object) -> object:
    return Field(sa_column=Column(AwareDateTime(), **kw))  # type: ignore[arg-type]


class Assignment(SQLModel, table=True):
    """Only engine services change ``state``, ``due_at`` and ``version`` (see engine.services)."""

    __table_args__ = (
        # One part per body, milestone and role: a body that leads a milestone and partnered it
        # before it took over a lead that ended (engine.services.successions) holds both rows.
        UniqueConstraint("milestone_id", "agency_id", "role"),
        Index("ix_assignment_state_due", "state", "due_at"),
        Index("ix_assignment_agency_state", "agency_id", "state"),
        Index("ix_assignment_state_assigned", "state", "assigned_at"),
        Index("ix_assignment_state_reported", "state", "reported_at"),
        # Covers the board's GROUP BY (category per agency, state) without touching the table: on
        # SQLite the groups are read in the index's order; it holds every column the category reads.
        Index(
            "ix_assignment_board",
            "agency_id",
            "state",
            "due_at",
            "reported_at",
            "closed_at",
            "waiting_condition_since",
            "assigned_at",
            "milestone_id",
            "done_from",
        ),
        # The sweep reads only rows whose next check has come (see engine.escalation.sweep).
        Index("ix_assignment_next_sweep", "next_sweep_at", "id"),
        # The queue "Chờ xác nhận giao" (counted on every board's header): the few parts given
        # through an inferred group and not confirmed, in its order, without reading the others.
        Index(
            "ix_assignment_unconfirmed",
            "assigned_at",
            "id",
            sqlite_where=text(UNCONFIRMED_WHERE),
            postgresql_where=text(UNCONFIRMED_WHERE),
        ),
        Index(
            "ix_assignment_open_partner",
            # led by the predicate's own columns: SQLite's planner then searches it by them (role=?
            # AND state=?), where it took the state's index over a scan of this one (25 ms, 1 ms)
            "role",
            "state",
            "milestone_id",
            "id",
            sqlite_where=text(OPEN_PARTNER_WHERE),
            postgresql_where=text(OPEN_PARTNER_WHERE),
        ),
        Index(
            "ix_assignment_lead",
            "milestone_id",
            "state",
            sqlite_where=text(LEAD_WHERE),
            postgresql_where=text(LEAD_WHERE),
        ),
    )
    id: int | None = Field(default=None, primary_key=True)
    milestone_id: int = Field(foreign_key="milestone.id", index=True)
    agency_id: int = Field(foreign_key="agency.id")
    role: Role = Field(sa_type=String(16))
    state: State = Field(default=State.ASSIGNED, sa_type=String(16))
    version: int = 1
    due_at: datetime | None = _ts(nullable=True)  # type: ignore[assignment]
    original_due_at: datetime | None = _ts(nullable=True)  # type: ignore[assignment]
    assigned_at: datetime = _ts(nullable=False)  # type: ignore[assignment]
    acknowledged_at: datetime | None = _ts(nullable=True)  # type: ignore[assignment]
    reported_at: datetime | None = _ts(nullable=True)  # type: ignore[assignment]
    verified_at: datetime | None = _ts(nullable=True)  # type: ignore[assignment]
    # Done on a day no text gives, within [done_from, reported_at]: work a plan records "đã hoàn
    # thành" within a period (its report time is the period's last instant), and the same work
    # elsewhere that follows it (engine.services.same_work). NULL: the day is known. Judged by
    # engine.status.done_day_unknown.
    done_from: datetime | None = _ts(nullable=True)  # type: ignore[assignment]
    closed_at: datetime | None = _ts(nullable=True)  # type: ignore[assignment]
    progress: int = 0
    snoozed_until: datetime | None = _ts(nullable=True)  # type: ignore[assignment]
    # Since when the secretariat says the milestone's precondition is not met (await_condition):
    # the ladder is paused and the row is "chờ điều kiện" until condition_met clears it.
    waiting_condition_since: datetime | None = _ts(nullable=True)  # type: ignore[assignment]
    # The code of the inferred group (tasks_catalog GroupEntry.inferred) this body's part rests on
    # alone: set when the part is created, never cleared (where the work came from). Until the
    # secretariat confirms it (confirm_membership sets membership_confirmed_at), the leaders are not
    # told of its lateness (engine.escalation.policy.told_while_withheld).
    inferred_group: str | None = Field(default=None, max_length=64)
    membership_confirmed_at: datetime | None = _ts(nullable=True)  # type: ignore[assignment]
    # When the sweep must look at this row again: the start of its next rung's day, the end
    # of a snooze, ... Written by the sweep only; reset to RESWEEP by a trigger on any change.
    next_sweep_at: datetime = Field(default=RESWEEP, sa_column=Column(AwareDateTime(), nullable=False, default=RESWEEP))


def unconfirmed(inferred_group: str | None, confirmed_at: datetime | None) -> bool:
    """Whether a part rests on an inferred group alone and the secretariat has not confirmed it."""
    return inferred_group is not None and confirmed_at is None


def unconfirmed_sql() -> ColumnElement[bool]:
    """:func:`unconfirmed` in SQL, on ``Assignment``."""
    return and_(col(Assignment.inferred_group).is_not(None), col(Assignment.membership_confirmed_at).is_(None))
