"""The same work in two documents: a milestone whose ``same_work_as`` names items of other plans
(stored by the catalog load in ``same_work_link``) is the same work as those items, for each
agency named on both: what the agency reports on one it has reported on the other.

The rule, in one place for the catalog load and for every step of ``act`` that reports, verifies or
returns. An agency's unfinished assignment moves as the agency's same work stands elsewhere:

- ahead: on the linked milestone, as the agency's assignments on the items it names stand, when
  there is at least one and all of them are reported or verified (a milestone may name several
  items, or an item of several milestones: it is done when all of them are);
- behind: on an item some milestone names, as the agency's own steps on that milestone stand (any
  one item's: each is the whole of this work; of an item whose milestones name it from two of
  them, both: each is a part of it, as the Thông báo's II.3.b names 04/KH-BCĐ II.1, "Quy chế …;
  Kế hoạch …", from its Quy chế and from its Kế hoạch). Only a state the agency or the secretariat
  gave it counts behind, never one it took by following, so that no report props itself up.

Where it stands:

- verified: it is verified too, at that work's times (never later than that work was done); a
  part the body reported itself keeps its own report instant (history is appended to, never
  rewritten: a report made on 07/02 is not read 28/02, nor earlier), verified no earlier than it;
- reported, not yet verified: it is reported at that work's report time (the agency reported this
  work, under the other document: it is neither reminded nor escalated as not reported), and
  verified when that work is;
- neither, after a report it followed was returned (or that work cancelled): back to work.

Each move is an event ``catalog_same_work`` at the instant it follows, by the catalog at a load and
by the system after a step. An agency absent from the other document's item, or whose work there is
not reported (a cancelled assignment is not done work), is left as it is; so is a report the agency
made itself. The catalog refuses cycles of links (tasks_catalog.loader). A chain of links is followed
ahead from end to end; behind, one link: a report on the last of three documents moves the middle
one, not the first.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from itertools import product
from typing import Any, NamedTuple

from sqlalchemy import Date, Table, and_, bindparam, delete, func, insert, or_
from sqlalchemy import select as core_select
from sqlalchemy.engine import Connection
from sqlmodel import Session, col, select

from dondoc.engine.models import (
    OPEN_STATE_VALUES,
    OPEN_STATES,
    TERMINAL_STATE_VALUES,
    Assignment,
    Event,
    Milestone,
    Plan,
    PlanItem,
    SameWorkLink,
    State,
)
from dondoc.engine.services.assignment_writes import compare_and_set
from dondoc.engine.services.step_log import record
from dondoc.engine.services.successions import close_waiting
from dondoc.engine.services.transfer_origins import held_by_sql
from dondoc.engine.status import NOW, at_now, done_day_unknown, state_at_now
from dondoc.engine.vi_format import shown_code

ACTION = "catalog_same_work"  # the event of a follower's move (web.templating names it)

_LINK: Table = SameWorkLink.__table__  # type: ignore[attr-defined]
_MILESTONE: Table = Milestone.__table__  # type: ignore[attr-defined]
_ITEM: Table = PlanItem.__table__  # type: ignore[attr-defined]
_ASSIGNMENT: Table = Assignment.__table__  # type: ignore[attr-defined]

# the milestones whose links name the item a milestone belongs to, with their items' codes
_FOLLOWER = _MILESTONE.alias("follower")
_FOLLOWER_ITEM = _ITEM.alias("follower_item")
_BEHIND_OF = (
    core_select(_LINK.c.milestone_id, _FOLLOWER_ITEM.c.code)
    .join(_ITEM, _ITEM.c.code == _LINK.c.linked_code)
    .join(_MILESTONE, _MILESTONE.c.item_id == _ITEM.c.id)
    .join(_FOLLOWER, _FOLLOWER.c.id == _LINK.c.milestone_id)
    .join(_FOLLOWER_ITEM, _FOLLOWER_ITEM.c.id == _FOLLOWER.c.item_id)
    .where(_MILESTONE.c.id == bindparam("milestone_id"))
    .order_by(_LINK.c.milestone_id)
)
# the milestones of the items a milestone's links name
_AHEAD_OF = (
    core_select(_MILESTONE.c.id)
    .join(_ITEM, _ITEM.c.id == _MILESTONE.c.item_id)
    .join(_LINK, _LINK.c.linked_code == _ITEM.c.code)
    .where(_LINK.c.milestone_id == bindparam("milestone_id"))
    .order_by(_MILESTONE.c.id)
)
_CODES_OF = (
    select(_LINK.c.linked_code).where(_LINK.c.milestone_id == bindparam("milestone_id")).order_by(_LINK.c.linked_code)
)


def counted_twice(connection: Connection, *, given_by: datetime, issued_by: date) -> int:
    """How many parts on a linked milestone belong to a body that also holds the linked item's work,
    both given by ``given_by`` in plans issued by ``issued_by``: the same work, which a count of
    every part (a report's section I) counts once under each document."""
    ours, theirs = _ASSIGNMENT.alias("ours"), _ASSIGNMENT.alias("theirs")
    our_item, their_item = _ITEM.alias("our_item"), _ITEM.alias("their_item")
    plans: Table = Plan.__table__  # type: ignore[attr-defined]
    our_plan, their_plan = plans.alias("our_plan"), plans.alias("their_plan")
    twice = (
        core_select(func.count(func.distinct(ours.c.id)))
        .select_from(ours)
        .join(_LINK, _LINK.c.milestone_id == ours.c.milestone_id)
        .join(_FOLLOWER, _FOLLOWER.c.id == ours.c.milestone_id)
        .join(our_item, our_item.c.id == _FOLLOWER.c.item_id)
        .join(our_plan, our_plan.c.id == our_item.c.plan_id)
        .join(their_item, their_item.c.code == _LINK.c.linked_code)
        .join(their_plan, their_plan.c.id == their_item.c.plan_id)
        .join(_MILESTONE, _MILESTONE.c.item_id == their_item.c.id)
        .join(theirs, and_(theirs.c.milestone_id == _MILESTONE.c.id, theirs.c.agency_id == ours.c.agency_id))
        .where(
            ours.c.assigned_at <= given_by,
            theirs.c.assigned_at <= given_by,
            our_plan.c.issued <= issued_by,
            their_plan.c.issued <= issued_by,
        )
    )
    return int(connection.execute(twice).scalar_one())


@dataclass(frozen=True)
class Followed:
    """An assignment moved to ``state`` because the agency's same work in ``codes`` stands there."""

    assignment_id: int
    milestone_id: int
    agency_id: int
    codes: tuple[str, ...]
    state: State


def links_of(connection: Connection) -> dict[int, set[str]]:
    """Every milestone's links: milestone id → the item codes of the other documents it names (the
    catalog's few, read whole)."""
    found: dict[int, set[str]] = {}
    for milestone_id, code in connection.execute(core_select(_LINK.c.milestone_id, _LINK.c.linked_code)):
        found.setdefault(milestone_id, set()).add(code)
    return found


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


class Part(NamedTuple):
    """A row of work as :func:`copies` weighs it: which body's work, on which item and milestone,
    and its date in force (``due_at``, with whether it was given after that date: the one test,
    engine.status.given_after_due)."""

    assignment_id: int
    agency: str
    item_code: str
    milestone_id: int
    due_at: datetime | None
    given_after_due: bool = False


def copies(links: dict[int, set[str]], rows: Iterable[Part]) -> dict[int, str]:
    """Among ``rows``, each that is one piece of work the same agency has among ``rows`` under
    another document too, and is not the row it is counted by, with the item code of the row that
    counts it (``links``: :func:`links_of`; one piece of work, followed both ways): a rate counts it
    once (engine.reports.rates), a list says so beside the rows it does not count (web.pages).

    A piece of work is a row no link of the agency's rows leads on from (the work named), with the
    rows whose links lead to it, through a chain too. It is counted by its row with the earliest date
    in force, the strictest an authority gave (the Thông báo's "trước ngày 15/02/2022" over the
    plan's later "Tháng 02/2022"); of equal dates, by the work named, as before. A date given after
    it had passed is no date in force: a plan that records work "đã hoàn thành" before it was issued
    (its report time made up by the catalog, on its date) counts the work only when no other row
    of it is among ``rows``, so that it never makes late work on time. A row the earliest in two
    pieces (a milestone naming an item of two milestones, dated before both) counts them once, as
    one. A rate weighs the rows it counts in a period (engine.reports.rates): the work falls in the
    period of the row that counts it; a period holding one copy alone counts that one."""
    # a row whose milestone names no work and whose item no link names is a piece of its own, counted
    # by itself: only the others are weighed (100,000 rows of a year: a few hundred)
    named_codes = {code for codes in links.values() for code in codes}
    listed = [part for part in rows if part.milestone_id in links or part.item_code in named_codes]
    held: dict[tuple[str, str], list[Part]] = {}
    for part in listed:
        held.setdefault((part.agency, part.item_code), []).append(part)
    behind: dict[int, list[Part]] = {}  # row id → the rows whose links name its work
    named: set[int] = set()  # the rows whose links name work among ``rows``
    for part in listed:
        for code in links.get(part.milestone_id, ()):
            for other in held.get((part.agency, code), ()):
                behind.setdefault(other.assignment_id, []).append(part)
                named.add(part.assignment_id)
    counted_by: dict[int, list[Part]] = {}  # row id → the rows that count the pieces it is part of
    for end in (p for p in listed if p.assignment_id not in named):
        for piece in _pieces(end, behind):
            first = min(piece, key=lambda p: _strictest(p, end))
            for part in piece:
                counted_by.setdefault(part.assignment_id, []).append(first)
    kept = {first.assignment_id for firsts in counted_by.values() for first in firsts}
    return {
        part.assignment_id: min(f.item_code for f in counted_by[part.assignment_id])
        for part in listed
        if part.assignment_id not in kept and part.assignment_id in counted_by  # a cycle (refused): as it is
    }


def _pieces(end: Part, behind: Mapping[int, list[Part]]) -> list[list[Part]]:
    """The pieces of work ``end`` is part of: ``end`` with the rows whose links lead to it, through a
    chain too. Two milestones of one item are two works, never one piece: where milestones of one
    item name the same work (the Thông báo's II.3.b: its Quy chế and its Kế hoạch, each "trước ngày
    15/02/2022", both name 04/KH-BCĐ II.1, "Ban hành Quy chế …; Kế hoạch hoạt động năm 2022"), each
    makes a piece of its own with that work, as an item of two milestones named by one milestone
    makes two (:func:`copies`)."""
    pieces: list[list[Part]] = []
    growing = [([end], {end.assignment_id}, 0)]
    while growing:
        piece, seen, read = growing.pop()
        while read < len(piece):  # grows as it is read: the chain, end to end
            part, read = piece[read], read + 1
            by_item: dict[str, dict[int, list[Part]]] = {}
            for other in behind.get(part.assignment_id, ()):
                if other.assignment_id not in seen:
                    by_item.setdefault(other.item_code, {}).setdefault(other.milestone_id, []).append(other)
            ways = list(product(*(list(milestones.values()) for milestones in by_item.values())))
            if len(ways) > 1:  # one piece for each milestone of an item naming this row
                growing += [
                    (
                        piece + [o for rows in way for o in rows],
                        seen | {o.assignment_id for rows in way for o in rows},
                        read,
                    )
                    for way in ways
                ]
                break
            for other in (o for rows in ways[0] for o in rows):
                seen.add(other.assignment_id)
                piece.append(other)
        else:
            pieces.append(piece)
    return pieces


def _strictest(part: Part, end: Part) -> tuple[bool, float, bool, int]:
    """How :func:`copies` orders a piece's rows: a date in force first, the earliest, then the work
    named (``end``), then the row given first (the lowest id)."""
    in_force = part.due_at is not None and not part.given_after_due
    return (
        not in_force,
        part.due_at.timestamp() if part.due_at is not None else 0.0,
        part.assignment_id != end.assignment_id,
        part.assignment_id,
    )


def settle(session: Session, milestone_ids: Iterable[int], *, now: datetime, actor: str) -> list[Followed]:
    """Every agency's unfinished work on the milestones ``milestone_ids`` moved as its linked work
    stands (the catalog load), repeated until nothing moves, so that a chain of links settles in one call."""
    followers = [m for m in dict.fromkeys(milestone_ids) if _codes(session, m)]
    ahead = [m for f in followers for m in session.connection().execute(_AHEAD_OF, {"milestone_id": f}).scalars()]
    linked = list(dict.fromkeys(followers + ahead))
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


def windows(session: Session, milestone_ids: Iterable[int], *, now: datetime, actor: str) -> list[Followed]:
    """Parts that followed work done on a day no text gives before that work held its window (a
    database written before migration 0037, whose catalog load gave the work its window only now):
    each takes the window, by one event now (its history reads the window from it), the state and
    the times kept. A part whose report the body made itself, or that follows other times, is left."""
    moved: list[Followed] = []
    for milestone_id in dict.fromkeys(milestone_ids):
        codes = _codes(session, milestone_id)
        if not codes:
            continue
        rows = session.exec(
            select(Assignment)
            .where(
                Assignment.milestone_id == milestone_id,
                col(Assignment.state).in_((State.REPORTED.value, State.VERIFIED.value)),
                col(Assignment.done_from).is_(None),
            )
            .order_by(col(Assignment.id))
            .execution_options(populate_existing=True)
        ).all()
        derived = _derived(session, [r.id or 0 for r in rows])
        own = _followed_from_a_report(session, sorted(i for i in derived))
        for row in rows:
            if row.id not in derived or row.id in own:
                continue
            standing = _ahead(_linked_work(session, codes, row.agency_id), codes, now)
            if standing is None or standing.done_from is None or standing.reported_at != row.reported_at:
                continue
            state = State(row.state)
            _move(session, row, state, standing, codes, now, actor)
            moved.append(Followed(row.id or 0, milestone_id, row.agency_id, standing.codes, state))
    return moved


def after_step(session: Session, milestone_id: int, agency_id: int, *, now: datetime, actor: str) -> list[Followed]:
    """The agency's work that follows its work on the item of ``milestone_id``, just reported,
    verified or returned, and what follows that in turn."""
    followed: list[Followed] = []
    frontier, seen = [milestone_id], {milestone_id}
    while frontier:
        stepped = frontier.pop()
        connection = session.connection()
        around = [*connection.execute(_BEHIND_OF, {"milestone_id": stepped}).scalars()]  # its first column
        around += connection.execute(_AHEAD_OF, {"milestone_id": stepped}).scalars()
        for other in dict.fromkeys(around):
            moved = _follow(session, other, agency_id, now, actor)
            followed += moved
            if moved and other not in seen:
                seen.add(other)
                frontier.append(other)
    return followed


@dataclass(frozen=True)
class Counterpart:
    """The same work of an agency under another item, as :func:`counterparts` says it: a report of
    the agency on this work counts there once it has also reported ``needs_there``; a report there
    counts here once it has also reported ``needs_here`` (the rule above, told to people). Each
    need is an item's code, with its milestone's label when it has one."""

    code: str
    milestone: str | None = None  # the milestone of that item the link is on, when it is one of them
    needs_there: tuple[str, ...] = ()
    needs_here: tuple[str, ...] = ()
    parts: int = 1  # the agency's milestones of that item a report there means: all of them
    # a way the rule never takes: the agency's work it waits for includes cancelled work, never done
    counts_there: bool = True
    counts_here: bool = True

    @property
    def said(self) -> str:
        """What the mails and the pages say of it, after "Cùng nội dung với: "."""
        code = shown_code(self.code)  # a blank document number marked: "…/TB-UBND:II.3.b"
        named = f"{code} (mốc: {self.milestone})" if self.milestone else code
        both = self.counts_there and self.counts_here
        if both and not self.needs_there and not self.needs_here and self.parts == 1:
            return f"{named} — báo cáo ở một trong hai nhiệm vụ được ghi nhận cho cả hai"
        there = f" khi đã báo cáo cả {', '.join(self.needs_there)}" if self.needs_there else ""
        whole = f" (đủ {self.parts} mốc)" if self.parts > 1 else ""
        here = f" khi đã báo cáo cả {', '.join(self.needs_here)}" if self.needs_here else ""
        cancelled = " vì có phần việc đã hủy"
        return (
            f"{named} — báo cáo ở nhiệm vụ này "
            + (
                f"được ghi nhận cho {code}{there}"
                if self.counts_there
                else f"không được ghi nhận cho {code}{cancelled}"
            )
            + f"; báo cáo ở {code}{whole} "
            + (
                f"được ghi nhận cho nhiệm vụ này{here}"
                if self.counts_here
                else f"không được ghi nhận cho nhiệm vụ này{cancelled}"
            )
        )


def _state(judged: bool, joined: bool = True) -> Any:
    """A part's state as :func:`counterparts` reads it: its row's; ``judged``, the state it stood in
    at the bound NOW (engine.status.state_at_now, the one rule of the state at an instant: a page read
    at a look-back); ``joined``: ``Milestone`` itself joined, not an alias of it."""
    return state_at_now(joined) if judged else _ASSIGNMENT.c.state


def _work_columns(milestone: Any, judged: bool) -> tuple[Any, ...]:
    """A row of an agency's work as :func:`counterparts` reads it: (assignment, item code, the label
    of ``milestone`` (a table or its alias), open, cancelled); ``judged``: as it stood at NOW."""
    from dondoc.engine.reports.history import changed_after_sql  # it reads engine.reports, which reads this module

    state = _state(judged, milestone is _MILESTONE)
    columns = (
        _ASSIGNMENT.c.id,
        _ITEM.c.code,
        milestone.c.label,
        state.in_(OPEN_STATE_VALUES),
        state == State.CANCELLED.value,
    )
    # judged: whether an event rewrote the row after NOW (its row may not say how it stood then)
    return (*columns, _ASSIGNMENT.c.id.in_(changed_after_sql(NOW))) if judged else columns


class _Reads(NamedTuple):
    """:func:`counterparts`' statements of the agency's work (bound ``agency_id``)."""

    work_on: Any  # its work on the items ``codes``
    sibling_work: Any  # its work on the other milestones of one item whose links name ``code``
    on_milestone: Any  # the milestone's label, when the agency is named on it (work not cancelled)


_SIBLING = _MILESTONE.alias("sibling")


@cache
def _reads(held: bool, judged: bool = False) -> _Reads:
    """:class:`_Reads`, built once; ``held``: of the work the agency held on the bound ``held_day``
    (transfer_origins.held_by_sql, the one rule of the holder then: a look-back's), not its work now;
    ``judged``: each part in the state it stood in at the bound NOW (:func:`_state`)."""
    agency: Any = bindparam("agency_id")
    mine = (
        held_by_sql(bindparam("held_day", type_=Date()), lambda body: body == agency)
        if held
        else _ASSIGNMENT.c.agency_id == agency
    )
    work_on = (
        core_select(*_work_columns(_MILESTONE, judged))
        .join(_MILESTONE, _MILESTONE.c.item_id == _ITEM.c.id)
        .join(_ASSIGNMENT, _ASSIGNMENT.c.milestone_id == _MILESTONE.c.id)
        .where(_ITEM.c.code.in_(bindparam("codes", expanding=True)), mine)
        .order_by(_ITEM.c.code, _MILESTONE.c.seq)
    )
    sibling_work = (
        core_select(*_work_columns(_SIBLING, judged))
        .select_from(_LINK)
        .join(_SIBLING, _SIBLING.c.id == _LINK.c.milestone_id)
        .join(_ITEM, _ITEM.c.id == _SIBLING.c.item_id)
        .join(_ASSIGNMENT, _ASSIGNMENT.c.milestone_id == _SIBLING.c.id)
        .where(
            _LINK.c.linked_code == bindparam("code"),
            _SIBLING.c.item_id
            == core_select(_MILESTONE.c.item_id).where(_MILESTONE.c.id == bindparam("milestone_id")).scalar_subquery(),
            _SIBLING.c.id != bindparam("milestone_id"),
            mine,
        )
        .order_by(_SIBLING.c.seq, _ASSIGNMENT.c.id)
    )
    on_milestone = (
        core_select(_MILESTONE.c.label)
        .join(_ASSIGNMENT, _ASSIGNMENT.c.milestone_id == _MILESTONE.c.id)
        .where(_MILESTONE.c.id == bindparam("milestone_id"), mine, _state(judged) != State.CANCELLED.value)
        .limit(1)
    )
    return _Reads(work_on, sibling_work, on_milestone)


_ITEM_OF = (
    core_select(_ITEM.c.code)
    .join(_MILESTONE, _MILESTONE.c.item_id == _ITEM.c.id)
    .where(_MILESTONE.c.id == bindparam("milestone_id"))
)


def counterparts(
    connection: Connection,
    assignment_id: int,
    milestone_id: int,
    agency_id: int,
    held: date | None = None,
    at: datetime | None = None,
    stood_then: Callable[[int], str] | None = None,
) -> list[Counterpart]:
    """The agency's same work under other items, for the mails about its assignment
    ``assignment_id`` on ``milestone_id``, as it stands now. ``held`` (a look-back's day,
    engine.services.queries.held_on): the work ``agency_id`` held that day (the body that held the
    assignment then: its page names it), not the work it holds now, which a succession since may
    have added to or taken. ``at`` (the instant a page reads at): what was open or cancelled of that
    work then (engine.status.state_at: read at a look-back before a report, the page had said a
    report here counted there already), not now (a mail, sent now); a part an event rewrote since
    (a report returned), in the state ``stood_then`` says it stood in then (its history:
    engine.services.board_then.state_then), asked of such parts alone:

    - each item this milestone names: a report here counts on each of them at once; a report there
      (on each of its ``parts``, the agency's milestones of it) counts here once the agency's work
      on the other items named is reported too (``needs_here``, what is still open of it);
    - each milestone whose links name this one's item: a report there counts here at once; a
      report here counts there once the rest of the agency's work on the items that milestone
      names is reported (``needs_there``).

    1834/UBND-KGVX:2's radio and 117/KH-UBND:II.4.c are one piece of work: one report answers both."""
    reads = _reads(held is not None, at is not None)
    mine: dict[str, Any] = {"agency_id": agency_id} | ({"held_day": held} if held is not None else {})
    mine |= at_now(at) if at is not None else {}

    def then(rows: Iterable[Any]) -> list[Any]:
        """``rows``, a part rewritten since as it stood then (``stood_then``)."""
        if at is None or stood_then is None:
            return list(rows)
        stood = ((r, stood_then(r[0]) if r[5] else None) for r in rows)
        return [r if s is None else (*r[:3], s in OPEN_STATE_VALUES, s == State.CANCELLED.value) for r, s in stood]

    def work_on(codes: Iterable[str]) -> list[Any]:
        wanted = sorted(set(codes))
        if not wanted:
            return []
        return then(connection.execute(reads.work_on, {"codes": wanted, **mine}))

    def needs(rows: Iterable[Any]) -> tuple[str, ...]:
        """The open work among ``rows`` (not this assignment), each named as people read it."""
        return tuple(
            dict.fromkeys(
                shown_code(f"{code} (mốc: {label})" if label else code) for _, code, label, open_, *_ in rows if open_
            )
        )

    def siblings(milestone: int, code: str) -> list[Any]:
        """The agency's work on the other milestones of ``milestone``'s item that name ``code`` too:
        each a part of that work (_behind waits for all of them, cancelled included: never)."""
        return then(connection.execute(reads.sibling_work, {"milestone_id": milestone, "code": code, **mine}))

    every = work_on(connection.execute(_CODES_OF, {"milestone_id": milestone_id}).scalars())
    named = [r for r in every if not r[4]]  # cancelled work is nobody's to report: it only blocks
    blocked = any(r[4] for r in every)  # _ahead waits for all of it, cancelled included: never
    found = []
    for code in dict.fromkeys(r[1] for r in named):
        with_it = siblings(milestone_id, code)
        found.append(
            Counterpart(
                code,
                needs_there=needs(with_it),
                needs_here=needs(r for r in named if r[1] != code),
                parts=sum(r[1] == code for r in named),
                counts_there=not any(r[4] for r in with_it),
                counts_here=not blocked,
            )
        )
    behind = connection.execute(_BEHIND_OF, {"milestone_id": milestone_id}).all()
    if not behind:  # most work: two short reads and no more
        return found
    links = links_of(connection)
    ours = connection.execute(_ITEM_OF, {"milestone_id": milestone_id}).scalar_one()
    for other, code in behind:
        label = connection.execute(reads.on_milestone, {"milestone_id": other, **mine}).first()
        if other == milestone_id or label is None:
            continue  # the agency is not named on that milestone
        rest = [r for r in work_on(links.get(other, ())) if r[0] != assignment_id]
        with_it = siblings(other, ours)
        found.append(
            Counterpart(
                code,
                label[0],
                needs_there=needs(rest),
                needs_here=needs(with_it),
                counts_there=not any(r[4] for r in rest),
                counts_here=not any(r[4] for r in with_it),
            )
        )
    return list(dict.fromkeys(found))


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


@dataclass(frozen=True)
class _Standing:
    """Where the agency's same work elsewhere stands, and what says so."""

    state: State  # REPORTED or VERIFIED
    reported_at: datetime
    verified_at: datetime | None
    # that work done on a day no text gives, within [done_from, reported_at] (Assignment.done_from)
    done_from: datetime | None
    codes: tuple[str, ...]
    assignments: tuple[Assignment, ...]


def _follow(session: Session, milestone_id: int, agency_id: int, now: datetime, actor: str) -> list[Followed]:
    """The agency's unfinished assignments on ``milestone_id`` moved as its same work elsewhere stands."""
    codes = _codes(session, milestone_id)
    behind_of = session.connection().execute(_BEHIND_OF, {"milestone_id": milestone_id}).all()
    if not codes and not behind_of:
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
    standing = _best(
        _ahead(_linked_work(session, codes, agency_id), codes, now) if codes else None,
        _behind(session, behind_of, agency_id, now),
    )
    every_code = tuple(dict.fromkeys([*codes, *(code for _, code in behind_of)]))
    moved = []
    for assignment in unfinished:
        target = _target(session, assignment, standing)
        if target is not None:
            _move(session, assignment, target, standing, every_code, now, actor)
            moved.append(assignment)
    return [
        Followed(
            a.id or 0,
            milestone_id,
            agency_id,
            standing.codes if standing else every_code,
            State(a.state),
        )
        for a in moved
    ]


def _ahead(linked: list[Assignment], codes: tuple[str, ...], now: datetime) -> _Standing | None:
    """All of the agency's work on the items ``codes``: done when every one of them is."""
    states = {State(r.state) for r in linked}
    if not linked or not states <= {State.REPORTED, State.VERIFIED}:
        return None
    verified = states == {State.VERIFIED}
    done_at = max(r.reported_at or r.verified_at or now for r in linked)
    # one of them done on a day no text gives (Assignment.done_from): all of them were done by the
    # last one's end, and not before the latest of their first possible days
    earliest = max(r.done_from or r.reported_at or r.verified_at or now for r in linked)
    return _Standing(
        State.VERIFIED if verified else State.REPORTED,
        done_at,
        max(r.verified_at or r.reported_at or now for r in linked) if verified else None,
        earliest if earliest < done_at and any(r.done_from is not None for r in linked) else None,
        codes,
        tuple(linked),
    )


def _behind(session: Session, behind_of: Sequence[Any], agency_id: int, now: datetime) -> _Standing | None:
    """The agency's own steps on the milestones that name this one's item: the work of any one item
    that names it, when all of the agency's milestones of that item naming it are done (one
    milestone each: any of them, the first; the Thông báo's II.3.b names 04/KH-BCĐ II.1, "Quy chế …;
    Kế hoạch …", from its Quy chế and from its Kế hoạch: a report of the Kế hoạch alone is not it)."""
    if not behind_of:
        return None
    item_codes = {milestone_id: code for milestone_id, code in behind_of}
    rows = session.exec(
        select(Assignment)
        .where(col(Assignment.milestone_id).in_(list(item_codes)), Assignment.agency_id == agency_id)
        .order_by(col(Assignment.id))
        .execution_options(populate_existing=True)
    ).all()
    done = {State.REPORTED.value, State.VERIFIED.value}
    derived = _derived(session, [r.id or 0 for r in rows if r.state in done])
    by_item: dict[str, list[Assignment]] = {}
    for row in rows:
        by_item.setdefault(item_codes[row.milestone_id], []).append(row)
    standings = []
    for code, held in by_item.items():
        own = [r for r in held if r.state in done and r.id not in derived]
        if len({r.milestone_id for r in held}) == 1:  # one milestone: any step of it, the first
            if not own:
                continue
            verified = [r for r in own if r.state == State.VERIFIED.value]
            first = min(verified or own, key=lambda r: r.reported_at or r.verified_at or now)
            whole = [first]
        elif len(own) == len(held):  # several: every one of them, as the last of them was done
            whole = own
        else:
            continue
        standings.append(_ahead(whole, (code,), now))
    return _best(*standings)


def _best(*found: _Standing | None) -> _Standing | None:
    """The furthest standing (verified before reported), the earliest of equals."""
    standings = [f for f in found if f is not None]
    if not standings:
        return None
    return min(standings, key=lambda f: (f.state is not State.VERIFIED, f.reported_at))


def _target(session: Session, assignment: Assignment, standing: _Standing | None) -> State | None:
    """Where ``assignment`` goes as its same work stands, or None to stay."""
    state = State(assignment.state)
    if standing is not None and standing.state is State.VERIFIED:
        return State.VERIFIED
    if standing is not None:
        return State.REPORTED if state in OPEN_STATES else None
    if state is State.REPORTED and assignment.id in _derived(session, [assignment.id or 0]):
        return State.IN_PROGRESS  # the report it followed was returned
    return None


def last_state_actions(session: Session, assignment_ids: list[int]) -> dict[int, str]:
    """The action of each of ``assignment_ids``' last change of state (its creation, or an event whose
    state differs from the one before): a step of a person's, or a move of the catalog's."""
    if not assignment_ids:
        return {}
    last: dict[int, str] = {}
    for assignment_id, action in session.exec(
        select(Event.assignment_id, Event.action)
        .where(col(Event.assignment_id).in_(assignment_ids))
        .where(or_(col(Event.from_state).is_(None), col(Event.from_state) != col(Event.to_state)))
        .order_by(col(Event.id))
    ):
        last[assignment_id] = action
    return last


def _derived(session: Session, assignment_ids: list[int]) -> set[int]:
    """Those of ``assignment_ids`` whose last change of state was a move of this module, not a step."""
    return {i for i, action in last_state_actions(session, assignment_ids).items() if action == ACTION}


def _followed_from_a_report(session: Session, assignment_ids: list[int]) -> set[int]:
    """Those of ``assignment_ids`` that stood reported by the body's own report when they last followed
    their same work: the day dondoc knows is theirs (:func:`_move`'s ``own``), no window."""
    if not assignment_ids:
        return set()
    actions: dict[int, list[str]] = {}
    for assignment_id, action in session.exec(
        select(Event.assignment_id, Event.action)
        .where(col(Event.assignment_id).in_(assignment_ids))
        .where(or_(col(Event.from_state).is_(None), col(Event.from_state) != col(Event.to_state)))
        .order_by(col(Event.id))
    ):
        actions.setdefault(assignment_id, []).append(action)
    found = set()
    for assignment_id, done in actions.items():
        last = max((i for i, action in enumerate(done) if action == ACTION), default=None)
        if last is not None and last > 0 and done[last - 1] == "report":
            found.add(assignment_id)
    return found


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
    standing: _Standing | None,
    every_code: tuple[str, ...],
    now: datetime,
    actor: str,
) -> None:
    """Write the move: the event now, the times that work's (never later than it was done), but a
    report the body made itself on ``assignment``, whose instant stands (the only writer of a report
    time here: :func:`windows` moves no such part, and keeps the times of the others).
    ``every_code``: the items of the same work, named when it goes back to work."""
    changes: dict[str, object] = {"state": target}
    codes = standing.codes if standing else every_code
    data: dict[str, object] = {
        "same_work_as": list(codes),
        "linked_assignments": [r.id for r in standing.assignments] if standing else [],
    }
    if standing is None:  # back to work: the report it followed was returned
        changes["reported_at"] = changes["done_from"] = None
        data["done_at"] = None
    else:
        # a report the body made itself is the day dondoc knows, and its instant is the body's: it
        # stands (neither the other work's later time nor an earlier one), with no window
        own = assignment.state == State.REPORTED.value and assignment.id not in _derived(session, [assignment.id or 0])
        done_at = assignment.reported_at if own and assignment.reported_at is not None else standing.reported_at
        done_from = None if own else standing.done_from
        changes["reported_at"], changes["done_from"] = done_at, done_from
        data |= {
            "done_at": done_at.isoformat(),
            # not known either way when that work was done on a day no text gives, around this date
            "on_time": None
            if done_day_unknown(assignment.due_at, done_at, done_from)
            else assignment.due_at is None or done_at <= assignment.due_at,
        }
        if done_from is not None:
            data["done_from"] = done_from.isoformat()
        if target is State.VERIFIED:  # verified as that work is, never before the report it verifies
            verified_at = max(standing.verified_at or standing.reported_at, done_at)
            changes |= {"verified_at": verified_at, "progress": 100}
    comment = _COMMENTS[target].format(codes=shown_code(", ".join(codes)))  # as people read them
    session.add(
        Event(
            assignment_id=assignment.id or 0,
            at=now,
            actor=actor,
            action=ACTION,
            from_state=assignment.state,
            to_state=target.value,
            comment=comment,
            data=data,
        )
    )
    record(session, assignment.id or 0, ACTION, target.value, comment)
    compare_and_set(session, assignment, changes)
    if target is State.VERIFIED:  # finished work waits for no successor ("Cần phân công lại"), as in act
        close_waiting(session, assignment.id or 0, decided_by=actor, now=now)
