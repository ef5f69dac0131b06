"""What a timeliness figure counts: the one rule every rate (engine.reports.rates: the leaders'
ranking, the rates page, the periodic reports and their mails) and the trend's on-time line
(engine.reports.trend, web.trend_cache) read.

A part counts when it has a date, fell due at or after the tracking start (whatever its plan's
issue day: engine.status.due_before_start), and is decided at the instant judged: done on time,
done late, or still open past its date. Work given after its own date counts only when done on
time all the same (it could not be on time otherwise: engine.status.given_after_due). The same
work in two documents (``same_work_as``) counts once for a body when both are counted, by its
copy with the earliest date in force (engine.services.same_work.copies: a later plan's record of
work "đã hoàn thành" never makes work late under an earlier date on time).

A part given only through an inferred group (a member list the texts do not give, read by the
secretariat: engine.models.assignments.unconfirmed) is not counted for or against its body until the
secretariat confirms it: nothing is counted against a body on a guess. Every figure that leaves such
parts out says how many, and why (:func:`unconfirmed_words`). Once confirmed, the part counts as any
other, judged on its own dates (the confirmation moves none of them), in every period it falls in.

The board's columns are another thing: they place every part in one of the Government Office's
categories, so a part done with no date stands under "Hoàn thành đúng hạn" there (it was not
late), and a copy under each of its documents; no rate and no trend line counts either. The
board's own rate is the rates' (engine.services.web_queries, the same rule read in its GROUP BY:
:func:`never_counted_sql`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col

from dondoc.engine.clock import DEFAULT_DAYS, LocalDays
from dondoc.engine.db import plain
from dondoc.engine.models import AgencyGroup, Assignment, Installation, Milestone, PlanItem, State
from dondoc.engine.models.assignments import unconfirmed_sql
from dondoc.engine.services.inferred_parts import DUE_BY_CONVENTION_SQL, Predecessor, told_of_roles
from dondoc.engine.services.same_work import Part, copies, links_of
from dondoc.engine.services.tracking import tracking_from
from dondoc.engine.status import Category, category_sql, done_day_unknown, due_before_start, given_after_due
from dondoc.engine.vi_format import vn_count

if TYPE_CHECKING:  # engine.reports.history reads this module
    from dondoc.engine.reports.history import Then

# What a rate counts of a part due: its date has come and gone while tracked, done or not (done
# on time is decided whenever it is done).
DECIDED = frozenset({Category.DONE_ON_TIME.value, Category.DONE_LATE.value, Category.OVERDUE.value})


class Counted(Enum):
    COUNTED = "counted"  # in the rate: on time, late, or overdue
    BEFORE_TRACKING = "before_tracking"  # due before the tracking start: apart, said beside the rate
    GIVEN_LATE = "given_late"  # given after its own date and not done on time: apart, said beside
    # would count, but its body holds it through an inferred group the secretariat has not confirmed
    # (engine.models.assignments.unconfirmed): apart, said beside the rate (unconfirmed_words)
    UNCONFIRMED = "unconfirmed"
    UNDECIDED = "undecided"  # no date, not yet given, waiting, on track, cancelled: neither way
    # done on a day no text gives, its date inside the window (engine.status.done_day_unknown):
    # neither way, and it stands for its piece of same work as a counted row would (a copy of it
    # under a later date, on time there, does not count it on time: :func:`not_copies`' callers)
    DAY_UNKNOWN = "day_unknown"


# what stands for its piece of same work among a rate's rows (:func:`not_copies`): a counted row, and a
# row done on a day no text gives (counted neither way, but its copy under a later date is no better)
WEIGHED = frozenset({Counted.COUNTED, Counted.DAY_UNKNOWN})


def how_counted(
    category: str,
    due_at: datetime | None,
    given_late: bool,
    start: datetime | None,
    *,
    guessed: bool,
    day_unknown: bool,
) -> Counted:
    """How a rate counts a part of ``category`` (as judged at the instant), due at ``due_at`` (in
    force then), ``given_late`` (engine.status.given_after_due), the tracking start being ``start``
    (engine.services.tracking.tracking_from), ``guessed`` when its body holds it through an inferred
    group not confirmed (:func:`guessed_sql`, read as the row stands), ``day_unknown`` when it was
    done on a day no text gives around that date (engine.status.done_day_unknown, as it stood).
    Copies apart: :func:`not_copies`."""
    if due_at is None:
        return Counted.UNDECIDED  # done with no date: never "on time" in a rate
    if category == Category.BEFORE_TRACKING.value or due_before_start(due_at, start):
        return Counted.BEFORE_TRACKING
    if category not in DECIDED:
        return Counted.UNDECIDED
    if day_unknown and category == Category.DONE_ON_TIME.value:
        return Counted.DAY_UNKNOWN  # on the board's "đúng hạn" column, known neither way
    if given_late and category != Category.DONE_ON_TIME.value:
        return Counted.GIVEN_LATE
    return Counted.UNCONFIRMED if guessed else Counted.COUNTED


def guessed_sql() -> ColumnElement[bool]:
    """SQL over ``Assignment``: the part rests on an inferred group the secretariat has not confirmed
    (engine.models.assignments.unconfirmed_sql, as the row stands when read: a part confirmed since
    counts in the past periods too). What :func:`how_counted`'s ``guessed`` reads. Never NULL."""
    return unconfirmed_sql()


def guessed_groups(session: Session) -> list[str]:
    """The names of the inferred groups the parts not confirmed rest on (read over the partial index
    ix_assignment_unconfirmed): what :func:`unconfirmed_words` names."""
    codes = sa.select(col(Assignment.inferred_group)).where(guessed_sql()).distinct()
    statement = sa.select(col(AgencyGroup.name)).where(col(AgencyGroup.code).in_(codes)).order_by(col(AgencyGroup.name))
    return [str(name) for name in session.execute(statement).scalars()]


# of a part another body holds, given through an inferred group to the body first given it: the guess
# was about that body (engine.services.inferred_parts.guessed_member); the holder took the part by the
# succession, or the secretariat chose it (inferred_parts.Predecessor.decided). The short forms of
# inferred_parts.guessed_for_predecessor_vi, for a table's cell (:func:`received_words`)
RECEIVED_BY_SUCCESSION = "cơ quan này nhận do kế nhiệm"
RECEIVED_BY_DECISION = "Tổ giúp việc giao lại cho cơ quan này"
# a part the body first meant for it was never given (inferred_parts.Predecessor.never_given): given, not
# given again
RECEIVED_BY_DECISION_NEVER_GIVEN = "Tổ giúp việc giao cho cơ quan này"


def received_words(member: Predecessor) -> str:
    """How the body listed came to hold a part first given to ``member`` (or meant for it, a part it was
    never given: then the secretariat gave it, not gave it again), in a cell's words."""
    if not member.decided:
        return RECEIVED_BY_SUCCESSION
    return RECEIVED_BY_DECISION_NEVER_GIVEN if member.never_given else RECEIVED_BY_DECISION


def guessed_mark(group: str, member: Predecessor | None = None) -> str:
    """The mark beside one part (or report) a body holds through the inferred group ``group``, not
    confirmed: the report's lists by body and role, and its workbook, write it alike. ``member``: the
    body first given it, when the one listed received it from that body (inferred_parts.Guess.about)."""
    if member is None:
        return f"chưa xác nhận giao (theo cách hiểu của Tổ giúp việc về nhóm «{group}»)"
    if member.never_given:  # meant for it, never given to it: it had ended by the giving day
        return (
            f"chưa xác nhận giao (dành cho {member.name} theo cách hiểu của Tổ giúp việc về nhóm «{group}», "
            f"nhưng đến ngày giao thì {member.name} đã không còn; {received_words(member)})"
        )
    return (
        f"chưa xác nhận giao (giao cho {member.name} theo cách hiểu của Tổ giúp việc về nhóm «{group}»; "
        f"{received_words(member)})"
    )


def guessed_cell(group: str, member: Predecessor | None = None) -> str:
    """:func:`guessed_mark` in a column of its own, whose header says "Chưa xác nhận giao (giao theo
    cách hiểu của Tổ giúp việc về nhóm)" (the board's exports): the group's name, and of a part the body
    listed received, the body the guess was about."""
    if member is None:
        return group
    if member.never_given:
        return f"{group} (dành cho {member.name}, đến ngày giao đã không còn; {received_words(member)})"
    return f"{group} (giao cho {member.name}; {received_words(member)})"


def convention_words(n: int, what: str = "phần việc", why: str = "", verb: str = "Không tính") -> str:
    """Why a figure of what the leaders are told leaves ``n`` parts out, their date being the
    secretariat's convention (engine.escalation.policy.withheld_why): "Không tính 2 phần việc có thời
    hạn do Tổ giúp việc quy ước (văn bản không ấn định ngày), vào tỷ lệ năm 2022." (``what``, ``why``,
    ``verb``: as :func:`unconfirmed_words`); "" when none is."""
    if not n:
        return ""
    return f"{verb} {vn_count(n)} {what} có thời hạn do Tổ giúp việc quy ước (văn bản không ấn định ngày){why}."


# why the overdue parts due by convention are not named to the leaders (:func:`convention_words`'s
# ``why``): their page's lists and the periodic report's mail say it alike
CONVENTION_CHASED = ": Tổ giúp việc đôn đốc các phần việc này, không báo cáo Lãnh đạo"


def waiting_words(n: int, what: str = "phần việc", why: str = "", verb: str = "Không tính") -> str:
    """Why a figure of what the leaders are told leaves ``n`` parts out, their body having ended and
    the secretariat not having named another yet (they wait in "Cần phân công lại": no body is late
    with them, engine.escalation.recheck.judge): "Không nêu 2 phần việc quá hạn của cơ quan đã không
    còn, đang chờ Tổ giúp việc phân công lại (mục «Cần phân công lại»)." (``what``, ``why``,
    ``verb``: as :func:`unconfirmed_words`); "" when none is."""
    if not n:
        return ""
    return (
        f"{verb} {vn_count(n)} {what} của cơ quan đã không còn, đang chờ Tổ giúp việc phân công lại "
        f"(mục «Cần phân công lại»){why}."
    )


# why the overdue parts waiting for a body are not named to the leaders (:func:`waiting_words`'s ``why``)
WAITING_NAMED = (
    ": chưa cơ quan nào chịu trách nhiệm các phần việc này nên không tính vào xếp hạng; "
    "khi Tổ giúp việc giao cho cơ quan khác, phần việc được nêu dưới tên cơ quan đó"
)


def convention_due(
    session: Session,
    now: datetime,
    start: datetime,
    end: datetime,
    roles: tuple[str, ...],
    kind: str | None = None,
) -> int:
    """How many parts of ``roles`` due by the secretariat's convention fell due in [start, end] by
    ``now`` and are not cancelled (of items of ``kind`` only, when given: the periodic report's task
    rate): what the leaders' rates leave out (engine.reports.rates), said beside them."""
    statement = sa.select(sa.func.count()).where(
        col(Assignment.role).in_(roles),
        DUE_BY_CONVENTION_SQL,
        col(Assignment.state) != State.CANCELLED.value,
        col(Assignment.due_at) >= start,
        col(Assignment.due_at) <= min(end, now),
    )
    if kind is not None:
        of_kind = (
            sa.select(col(Milestone.id))
            .join(PlanItem, col(Milestone.item_id) == col(PlanItem.id))
            .where(col(PlanItem.kind) == kind)
        )
        statement = statement.where(col(Assignment.milestone_id).in_(of_kind))
    return int(session.execute(statement).scalar_one())


def unconfirmed_words(
    n: int, groups: Iterable[str], what: str = "phần việc", why: str = "", verb: str = "Không tính"
) -> str:
    """Why a figure leaves ``n`` parts out, in the words every page and report says it: "Không tính
    12 phần việc giao theo cách hiểu của Tổ giúp việc về nhóm «Thành viên Ban Chỉ đạo», chưa xác
    nhận giao." (``what``: what is counted; ``why``: said after it, before the full stop; ``verb``:
    "Không nêu" for a list); "" when none is."""
    if not n:
        return ""
    names = [f"«{name}»" for name in groups]
    about = f"nhóm {names[0]}" if len(names) == 1 else f"các nhóm {', '.join(names)}" if names else "nhóm cơ quan"
    return f"{verb} {vn_count(n)} {what} giao theo cách hiểu của Tổ giúp việc về {about}, chưa xác nhận giao{why}."


def never_counted_sql() -> ColumnElement[bool]:
    """:func:`how_counted`'s first two tests over ``Assignment``, whatever the category: no date, or
    due before the tracking start (its latest ``tracking_from``, a scalar subquery read once), whatever
    the plan. The rest of the rule reads the category and its marks (engine.status: decided, given
    after its own date). Never NULL."""
    due = col(Assignment.due_at)
    start = sa.select(sa.func.max(col(Installation.tracking_from))).scalar_subquery()
    return sa.or_(due.is_(None), sa.func.coalesce(due < start, sa.false()))


def not_copies(links: dict[int, set[str]], rows: Iterable[Part]) -> set[int]:
    """The ids among ``rows``, all counted together, that are not a copy of work the same body has
    among them counted by another of its rows (engine.services.same_work.copies): what a rate counts."""
    listed = list(rows)
    copied = copies(links, listed)
    return {part.assignment_id for part in listed if part.assignment_id not in copied}


def done_on_time(
    session: Session,
    now: datetime,
    *,
    local: LocalDays = DEFAULT_DAYS,
    roles: tuple[str, ...] | None = None,
    then: Then | None = None,
) -> int:
    """The parts (of ``roles``, when given: what the leaders are told of, ``told_of_roles``, as the
    trend's past weeks count) done on time by ``now``, of any year, as a rate counts
    them (:func:`how_counted`): the trend's on-time line at ``now``, and what its past weeks, judged
    from the history, are held to. Work done ahead of its date is counted once done, as the board's
    "Hoàn thành đúng hạn" counts it; a body is the one that holds the part (its copies are its own).
    ``then``: the rows rewritten since ``now`` (a look-back: engine.services.board_then), each
    judged as its history says it stood then, as the board of that instant counts it."""
    statement: Any = (
        sa.select(
            col(Assignment.id),
            col(Assignment.agency_id),
            col(PlanItem.code),
            col(Assignment.milestone_id),
            category_sql(now),
            col(Assignment.due_at),
            col(Assignment.assigned_at),
            guessed_sql().label("guessed"),
            col(Assignment.reported_at),
            col(Assignment.done_from),
        )
        .select_from(Assignment)
        .join(Milestone, col(Assignment.milestone_id) == col(Milestone.id))
        .join(PlanItem, col(Milestone.item_id) == col(PlanItem.id))
        .where(col(Assignment.due_at).is_not(None))
    )
    if roles is not None:  # what the leaders are told of: as the trend's past weeks (history.statics) count it
        statement = statement.where(told_of_roles(roles))
    # only a row done on time adds to the count, and only a row same work links (same_work.copies: its
    # milestone names other work, or other work names its item) can be a copy or make one: the rest are
    # left to SQL (100,000 rows: ~60 % fewer weighed in Python)
    links = links_of(session.connection())
    named = sorted({code for codes in links.values() for code in codes})
    statement = statement.where(
        sa.or_(
            category_sql(now) == Category.DONE_ON_TIME.value,
            col(Assignment.milestone_id).in_(sorted(links)),
            col(PlanItem.code).in_(named),
            *([col(Assignment.id).in_(then.ids)] if then else []),
        )
    )
    start = tracking_from(session)
    judged = []  # (row, category, date in force, given after it, how a rate counts it)
    for row in plain(session, statement):  # no entity: the driver's rows, no ORM handling
        category, due_at, reported_at, done_from = str(row[4]), row.due_at, row.reported_at, row.done_from
        if then and row[0] in then:  # rewritten since: as it stood then
            facts = then.facts(row[0])
            category, due_at = then.category(row[0]).value, facts.due_at
            reported_at, done_from = facts.reported_at, facts.done_from
        late = given_after_due(due_at, row.assigned_at, local.tz)
        unknown = done_day_unknown(due_at, reported_at, done_from)
        how = how_counted(category, due_at, late, start, guessed=bool(row.guessed), day_unknown=unknown)
        judged.append((row, category, due_at, late, how))
    weighed = [(row, category, due_at, late, how) for row, category, due_at, late, how in judged if how in WEIGHED]
    parts = (Part(r[0], str(r[1]), r[2], r[3], due_at, late) for r, _, due_at, late, _ in weighed)
    kept = not_copies(links, parts)
    return sum(
        1
        for r, category, _, _, how in weighed
        if r[0] in kept and how is Counted.COUNTED and category == Category.DONE_ON_TIME.value
    )
