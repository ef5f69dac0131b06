"""The same work in two documents: a milestone whose ``same_work_as`` names items of other plans
(stored by the catalog load in ``same_work_link``) is reported and done by an agency when the
agency's work on those items is.

The rule, in one place for the catalog load and for every step of ``act`` that reports, verifies or
returns: an agency's unfinished assignment on a linked milestone follows the agency's assignments on
the linked items when there is at least one and all of them are reported or verified:

- all verified: it is verified too, at the linked work's times (never later than that work was
  done);
- all reported, some not yet verified: it is reported at the linked work's report time (the agency
  reported this work, under the other document: it is neither reminded nor escalated as not
  reported), and verified when they all are;
- a report it followed is returned (or the linked work cancelled): it goes back to work.

Each move is an event ``catalog_same_work`` at the instant it follows, by the catalog at a load and
by the system after a step. An agency absent from a linked item, or whose work there is not all
reported (a cancelled assignment is not done work), is left as it is; so is work the agency reported
on the milestone itself. Links go one way, from the follower to the item it follows, and the
catalog refuses cycles (tasks_catalog.loader), so a chain settles in one pass.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Table, bindparam, delete, insert
from sqlalchemy import select as core_select
from sqlalchemy.engine import Connection
from sqlmodel import Session, col, select

from dondoc.engine.models import (
    OPEN_STATES,
    TERMINAL_STATE_VALUES,
    Assignment,
    Event,
    Milestone,
    PlanItem,
    SameWorkLink,
    State,
)
from dondoc.engine.services.assignment_writes import compare_and_set

ACTION = "catalog_same_work"  # the event of a follower's move (web.templating names it)

_LINK: Table = SameWorkLink.__table__  # type: ignore[attr-defined]
_MILESTONE: Table = Milestone.__table__  # type: ignore[attr-defined]
_ITEM: Table = PlanItem.__table__  # type: ignore[attr-defined]

# the milestones that follow the item a milestone belongs to
_FOLLOWERS_OF_ITEM_OF = (
    core_select(_LINK.c.milestone_id)
    .join(_ITEM, _ITEM.c.code == _LINK.c.linked_code)
    .join(_MILESTONE, _MILESTONE.c.item_id == _ITEM.c.id)
    .where(_MILESTONE.c.id == bindparam("milestone_id"))
    .order_by(_LINK.c.milestone_id)
)
_CODES_OF = (
    select(_LINK.c.linked_code).where(_LINK.c.milestone_id == bindparam("milestone_id")).order_by(_LINK.c.linked_code)
)


@dataclass(frozen=True)
class Followed:
    """An assignment moved to ``state`` because the agency's linked work was."""

    assignment_id: int
    milestone_id: int
    agency_id: int
    codes: tuple[str, ...]
    linked_assignments: tuple[int, ...]
    state: State


def store_links(connection: Connection, wanted: Mapping[int, Iterable[str]]) -> tuple[int, int]:
    """Make the links of each milestone ``wanted`` names exactly its codes (none: no link); the
    links of other milestones stay. Returns how many links were added and removed."""
    have: dict[int, set[str]] = {}
    for milestone_id, code in connection.execute(core_select(_LINK.c.milestone_id, _LINK.c.linked_code)):
        have.setdefault(milestone_id, set()).add(code)
    added = [
        {"milestone_id": m, "linked_code": c}
        for m, codes in wanted.items()
        for c in sorted(set(codes) - have.get(m, set()))
    ]
    gone = [(m, c) for m, codes in wanted.items() for c in sorted(have.get(m, set()) - set(codes))]
    for milestone_id, code in gone:
        connection.execute(delete(_LINK).where(_LINK.c.milestone_id == milestone_id, _LINK.c.linked_code == code))
    if added:
        connection.execute(insert(_LINK), added)
    return len(added), len(gone)


def settle(session: Session, milestone_ids: Iterable[int], *, now: datetime, actor: str) -> list[Followed]:
    """Every agency's unfinished work on the milestones ``milestone_ids`` moved as its linked work
    stands (the catalog load), repeated until nothing moves, so that a chain of links settles in one call."""
    linked = [m for m in dict.fromkeys(milestone_ids) if _codes(session, m)]
    followed: list[Followed] = []
    for _ in range(len(linked) + 1):
        moved = [
            f
            for m in linked
            for agency_id in _unfinished_agencies(session, m)
            for f in _follow(session, m, agency_id, now, actor)
        ]
        if not moved:
            break
        followed += moved
    return followed


def after_step(session: Session, milestone_id: int, agency_id: int, *, now: datetime, actor: str) -> list[Followed]:
    """The agency's work that follows its work on the item of ``milestone_id``, just reported,
    verified or returned, and what follows that in turn."""
    followed: list[Followed] = []
    frontier, seen = [milestone_id], {milestone_id}
    while frontier:
        stepped = frontier.pop()
        for (follower,) in session.connection().execute(_FOLLOWERS_OF_ITEM_OF, {"milestone_id": stepped}):
            moved = _follow(session, follower, agency_id, now, actor)
            followed += moved
            if moved and follower not in seen:
                seen.add(follower)
                frontier.append(follower)
    return followed


def _codes(session: Session, milestone_id: int) -> tuple[str, ...]:
    return tuple(session.connection().execute(_CODES_OF, {"milestone_id": milestone_id}).scalars())


def _unfinished_agencies(session: Session, milestone_id: int) -> list[int]:
    statement = (
        select(Assignment.agency_id)
        .where(Assignment.milestone_id == milestone_id, col(Assignment.state).not_in(TERMINAL_STATE_VALUES))
        .distinct()
        .order_by(col(Assignment.agency_id))
    )
    return list(session.exec(statement))


def _follow(session: Session, milestone_id: int, agency_id: int, now: datetime, actor: str) -> list[Followed]:
    """The agency's unfinished assignments on ``milestone_id`` moved as its linked work stands."""
    codes = _codes(session, milestone_id)
    if not codes:
        return []
    unfinished = session.exec(
        select(Assignment)
        .where(
            Assignment.milestone_id == milestone_id,
            Assignment.agency_id == agency_id,
            col(Assignment.state).not_in(TERMINAL_STATE_VALUES),
        )
        .order_by(col(Assignment.id))
        .execution_options(populate_existing=True)
    ).all()
    if not unfinished:
        return []
    linked = _linked_work(session, codes, agency_id)
    moved = []
    for assignment in unfinished:
        target = _target(session, assignment, linked)
        if target is not None:
            _move(session, assignment, target, codes, linked, now, actor)
            moved.append(assignment)
    return [
        Followed(a.id or 0, milestone_id, agency_id, codes, tuple(r.id or 0 for r in linked), State(a.state))
        for a in moved
    ]


def _target(session: Session, assignment: Assignment, linked: list[Assignment]) -> State | None:
    """Where ``assignment`` goes as the linked work stands, or None to stay."""
    states = {State(r.state) for r in linked}
    state = State(assignment.state)
    if linked and states == {State.VERIFIED}:
        return State.VERIFIED
    if linked and states <= {State.REPORTED, State.VERIFIED}:
        return State.REPORTED if state in OPEN_STATES else None
    if state is State.REPORTED and _reported_by_following(session, assignment):
        return State.IN_PROGRESS  # the report it followed was returned
    return None


def _reported_by_following(session: Session, assignment: Assignment) -> bool:
    """Whether the report is the one it followed (its last event), not the agency's own on it."""
    last = session.exec(
        select(Event.action).where(Event.assignment_id == assignment.id).order_by(col(Event.id).desc()).limit(1)
    ).first()
    return last == ACTION


def _linked_work(session: Session, codes: tuple[str, ...], agency_id: int) -> list[Assignment]:
    """The agency's assignments on the items ``codes`` (those it is named on)."""
    return list(
        session.exec(
            select(Assignment)
            .join(Milestone, col(Assignment.milestone_id) == col(Milestone.id))
            .join(PlanItem, col(Milestone.item_id) == col(PlanItem.id))
            .where(col(PlanItem.code).in_(codes), Assignment.agency_id == agency_id)
            .order_by(col(Assignment.id))
            .execution_options(populate_existing=True)  # as the transaction holds them: a step just wrote one
        ).all()
    )


_COMMENTS = {
    State.VERIFIED: "Cùng một nhiệm vụ với {codes} (đã hoàn thành, đã xác nhận): trạng thái theo nhiệm vụ đó.",
    State.REPORTED: "Cùng một nhiệm vụ với {codes} (cơ quan đã báo cáo, chờ xác nhận): trạng thái theo nhiệm vụ đó.",
    State.IN_PROGRESS: "Báo cáo ở nhiệm vụ cùng nội dung {codes} bị trả lại: nhiệm vụ này trở lại đang thực hiện.",
}


def _move(
    session: Session,
    assignment: Assignment,
    target: State,
    codes: tuple[str, ...],
    linked: list[Assignment],
    now: datetime,
    actor: str,
) -> None:
    """Write the move: the event now, the times the linked work's (never later than it was done)."""
    changes: dict[str, object] = {"state": target}
    data: dict[str, object] = {"same_work_as": list(codes), "linked_assignments": [r.id for r in linked]}
    if target is State.IN_PROGRESS:
        changes["reported_at"] = None
        data["done_at"] = None
    else:
        reported_at = max(r.reported_at or r.verified_at or now for r in linked)
        changes["reported_at"] = reported_at
        data |= {
            "done_at": reported_at.isoformat(),
            "on_time": assignment.due_at is None or reported_at <= assignment.due_at,
        }
        if target is State.VERIFIED:
            changes |= {"verified_at": max(r.verified_at or r.reported_at or now for r in linked), "progress": 100}
    session.add(
        Event(
            assignment_id=assignment.id or 0,
            at=now,
            actor=actor,
            action=ACTION,
            from_state=assignment.state,
            to_state=target.value,
            comment=_COMMENTS[target].format(codes=", ".join(codes)),
            data=data,
        )
    )
    compare_and_set(session, assignment, changes)
