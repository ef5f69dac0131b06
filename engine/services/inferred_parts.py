"""Parts given through an inferred group and not confirmed yet: what the desk reads of them.

A catalog group may be inferred (tasks_catalog GroupEntry.inferred: its member list is the
catalog's reading, not the texts'). A body reached only through such a group holds its part
unconfirmed (Assignment.inferred_group, engine.models.assignments.unconfirmed): its own reminders
and the secretariat's go, the leaders are not told of it (engine.escalation.policy
.told_while_withheld) until the secretariat confirms it (the rule book's ``confirm_membership``,
from the queue "Chờ xác nhận giao") or cancels it. The same rule keeps from the leaders the parts
due on a date the secretariat's convention set (Milestone.due_by_convention): :func:`told_of_roles`
reads both, for every count and list of theirs.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any, NamedTuple

import sqlalchemy as sa
from sqlalchemy import and_, exists, func
from sqlalchemy.orm import aliased
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, select

from dondoc.engine.actors import Recipient
from dondoc.engine.clock import DEFAULT_DAYS, LocalDays
from dondoc.engine.db import id_batches
from dondoc.engine.escalation.policy import Withheld, told_while_withheld
from dondoc.engine.models import AgencyGroup, Assignment, Event, Milestone
from dondoc.engine.models.assignments import unconfirmed_sql
from dondoc.engine.services.successions import SUCCESSION_ACTOR, given_after
from dondoc.engine.workflow import TRANSITIONS, Action

# The parts whose milestone is dated by the secretariat's convention (Milestone.due_by_convention: no
# document gives the day): the leaders are not told of their lateness either (policy.withheld_why).
# A subquery over the few such milestones, whether or not the statement joins Milestone.
DUE_BY_CONVENTION_SQL = col(Assignment.milestone_id).in_(
    select(col(Milestone.id)).where(col(Milestone.due_by_convention).is_(True))
)

# The name of the group a part rests on (NULL for a part named surely): a column any statement
# that reads ``Assignment`` may add, over the group's unique code.
INFERRED_GROUP_NAME = (
    select(col(AgencyGroup.name))
    .where(col(AgencyGroup.code) == col(Assignment.inferred_group))
    .scalar_subquery()
    .label("inferred_group_name")
)

# The states whose parts wait for the secretariat's confirmation: those the rule book lets it confirm.
AWAITING_STATES = tuple(sorted(state.value for state in TRANSITIONS[Action.CONFIRM_MEMBERSHIP].sources))


def told_of_roles(roles: tuple[str, ...]) -> ColumnElement[bool]:
    """SQL: what the leaders are told of, the one rule every count and list of theirs reads (their
    page's lists and ranking, its weekly trend, the count beside it): the work of ``roles``, less the
    parts their rule keeps from them (policy.told_while_withheld): a body reached only through an
    inferred group, not confirmed by the secretariat (the secretariat's board lists it, and its queue
    "Chờ xác nhận giao"); a part due on the secretariat's convention (its board lists it)."""
    told: ColumnElement[bool] = col(Assignment.role).in_(roles)
    if not told_while_withheld(Recipient.CHAIR.value):
        told = and_(told, ~unconfirmed_sql(), ~DUE_BY_CONVENTION_SQL)
    return told


def withheld_sql(why: Withheld) -> ColumnElement[bool]:
    """SQL: the parts the leaders are kept from for ``why`` (policy.withheld_why: a part both
    unconfirmed and due by convention is said unconfirmed)."""
    if why is Withheld.UNCONFIRMED:
        return unconfirmed_sql()
    return and_(DUE_BY_CONVENTION_SQL, ~unconfirmed_sql())


def awaiting_confirmation() -> Any:
    """SQL: a part not confirmed yet, in a state it may be confirmed in. Its ids are read by the
    partial index ix_assignment_unconfirmed (a subquery of its own: in the joined statement SQLite
    had driven from the plans and read every assignment, 61 ms at 100k rows, against 0.1 ms)."""
    marked = aliased(Assignment)
    ids = select(col(marked.id)).where(
        col(marked.inferred_group).is_not(None), col(marked.membership_confirmed_at).is_(None)
    )
    return col(Assignment.id).in_(ids) & col(Assignment.state).in_(AWAITING_STATES)


class Predecessor(NamedTuple):
    """The body a part was given to before a transfer passed it on (:func:`guessed_member`), and how
    its holder came to hold it."""

    name: str
    # True when the secretariat chose a body for the part on the way (successions.take_over: a split,
    # a dissolution, a successor already holding the milestone), False when every transfer was the
    # succession's own (a rename, a merge, an absorption): only then is the holder its successor
    decided: bool = False
    # True when that body had ended by the part's giving day (successions.given_after): the part was
    # meant for it by the group's guess, never given to it; the holder was given it, not handed it
    never_given: bool = False


class Guess(NamedTuple):
    """A part not confirmed yet, as a list that shows it one by one marks it (:func:`unconfirmed_of`)."""

    group: str  # the name of the inferred group it rests on
    # the body first given it, when a transfer has since passed it on (:func:`guessed_member`): the body
    # the group's guess was about; None when its holder is that body
    member: Predecessor | None = None

    def about(self, holder: str) -> Predecessor | None:
        """The body the guess was about when it is not ``holder`` (the name a list shows beside the
        part: a past period's list shows the body that held it then, the guessed member itself)."""
        return self.member if self.member and self.member.name != holder else None


def unconfirmed_of(session: Session, ids: Iterable[int]) -> dict[int, Guess]:
    """Of the parts ``ids``, those not confirmed yet, each with the name of the group it rests on and
    the body first given it when another holds it since (:func:`guessed_member`'s rule, its columns
    read in the same statement): what a list that shows them one by one (an export, a report's
    section, the board's overdue list) marks them with. One statement per 5,000 parts."""
    found: dict[int, Guess] = {}
    for batch in id_batches(ids):
        statement = sa.select(
            col(Assignment.id),
            col(Assignment.inferred_group),
            INFERRED_GROUP_NAME,
            col(Assignment.assigned_at),
            *PREDECESSOR_COLUMNS,
        ).where(col(Assignment.id).in_(batch), unconfirmed_sql())
        for i, group, name, assigned_at, holder, decided, ended_on in session.execute(statement):
            found[int(i or 0)] = Guess(str(name or group), predecessor(holder, decided, ended_on, assigned_at))
    return found


def by_convention_of(session: Session, ids: Iterable[int]) -> set[int]:
    """Of the parts ``ids``, those due on a date the secretariat's convention set
    (Milestone.due_by_convention): what a list that shows them one by one flags (a report's section),
    and what the leaders' figures drawn from it leave out (policy.withheld_why)."""
    found: set[int] = set()
    for batch in id_batches(ids):
        statement = select(col(Assignment.id)).where(col(Assignment.id).in_(batch), DUE_BY_CONVENTION_SQL)
        found |= {int(i or 0) for i in session.exec(statement)}
    return found


def _first_transfer(key: str, label: str) -> Any:
    """The value ``key`` of the data of a part's first transfer event (its earliest ``agency_transfer``),
    as a correlated column any statement that reads ``Assignment`` may add: one index probe per row
    (ix_event_assignment_at); NULL for a part no transfer passed on."""
    return (
        select(col(Event.data)[key].as_string())
        .where(col(Event.assignment_id) == col(Assignment.id), col(Event.action) == "agency_transfer")
        .order_by(col(Event.at), col(Event.id))
        .limit(1)
        .correlate(Assignment)
        .scalar_subquery()
        .label(label)
    )


# The name of the body a part was given to before its first transfer (a succession, or the
# secretariat's decision on one): NULL for a part its first holder still holds. The one rule for whom
# an inferred group's guess was about (:func:`guessed_member`).
FIRST_HOLDER_NAME = _first_transfer("from_name", "first_holder_name")
# The date of the succession that ended that body, as its first transfer's event records it (ISO text;
# NULL beside a NULL :data:`FIRST_HOLDER_NAME`): against the part's giving day, whether that body was
# ever given it (:attr:`Predecessor.never_given`).
FIRST_HOLDER_ENDED_ON = _first_transfer("effective_on", "first_holder_ended_on")
# Whether a transfer of the part was the secretariat's decision, not the succession's own (its event's
# ``decided_by``, else for an event written without it its actor: engine.services.successions.SUCCESSION_ACTOR
# for a transfer the succession made by itself, whoever recorded the succession, successions.RecordedBy):
# :attr:`Predecessor.decided`, a column beside :data:`FIRST_HOLDER_NAME`. Never NULL.
PASSED_BY_DECISION = (
    exists()
    .where(
        col(Event.assignment_id) == col(Assignment.id),
        col(Event.action) == "agency_transfer",
        func.coalesce(col(Event.data)["decided_by"].as_string(), col(Event.actor)) != SUCCESSION_ACTOR,
    )
    .correlate(Assignment)
    .label("passed_by_decision")
)


# What a statement adds to read a part's :class:`Predecessor` (with its ``assigned_at``), in the order
# :func:`predecessor` takes them: the guessed members', the lists' marks and the queue's one statement.
PREDECESSOR_COLUMNS = (FIRST_HOLDER_NAME, PASSED_BY_DECISION, FIRST_HOLDER_ENDED_ON)


def predecessor(
    name: str | None, decided: Any, ended_on: str | None, assigned_at: datetime, local: LocalDays = DEFAULT_DAYS
) -> Predecessor | None:
    """A row's :data:`PREDECESSOR_COLUMNS` with its ``assigned_at`` as a :class:`Predecessor` (None: no
    transfer passed the part on). Never
    given to that body: given on or after its end, by the rule of the successions
    (successions.given_after)."""
    if not name:
        return None
    never = bool(ended_on) and given_after(date.fromisoformat(str(ended_on)), assigned_at, local) is not None
    return Predecessor(str(name), bool(decided), never)


def guessed_members(session: Session, ids: Iterable[int]) -> dict[int, Predecessor]:
    """Of the parts ``ids``, those a transfer has passed on since they were first given, each with the
    body first given it and how its holder came to hold it (:func:`guessed_member`)."""
    found: dict[int, Predecessor] = {}
    for batch in id_batches(ids):
        statement = sa.select(col(Assignment.id), col(Assignment.assigned_at), *PREDECESSOR_COLUMNS).where(
            col(Assignment.id).in_(batch)
        )
        for i, assigned_at, name, decided, ended_on in session.execute(statement):
            member = predecessor(name, decided, ended_on, assigned_at)
            if member is not None:
                found[int(i or 0)] = member
    return found


def guessed_member(session: Session, assignment_id: int) -> Predecessor | None:
    """The body a part was given to through its inferred group, when a transfer (a succession, or the
    secretariat's decision on one) has since passed it to another body; None when its holder is that
    body. The group's guess was about the body first given the part, never about the one that took it
    over: a successor is no member by the succession, nor a body the secretariat chose by its choice."""
    return guessed_members(session, [assignment_id]).get(assignment_id)


def guessed_for_predecessor_vi(group: str, member: Predecessor, holder: str) -> str:
    """The one clause on a part given through inferred group ``group`` to ``member``, a body that has
    since ended, now held by ``holder`` ("quý cơ quan" in its own mail, its name on the part's page),
    which takes it by the succession, or by the secretariat's choice, not as a member
    (:func:`guessed_member`). A part ``member`` was never given (it had ended by the giving day) was
    meant for it by the guess, and the secretariat gave it, not gave it again."""
    gave = "giao" if member.never_given else "giao lại"
    how = f"do Tổ giúp việc {gave} sau khi {member.name} không còn" if member.decided else f"do kế nhiệm {member.name}"
    if member.never_given:
        guessed = (
            f"Phần việc này dành cho {member.name} vì thuộc nhóm «{group}» theo danh sách Tổ giúp việc suy đoán, "
            f"văn bản không nêu danh sách, nhưng đến ngày giao thì {member.name} đã không còn"
        )
    else:
        guessed = (
            f"Phần việc này được giao cho {member.name} vì thuộc nhóm «{group}» theo danh sách Tổ giúp việc "
            "suy đoán, văn bản không nêu danh sách"
        )
    return f"{guessed}; {holder} nhận phần việc này {how}, không phải vì thuộc nhóm"
