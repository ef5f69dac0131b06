"""Derived status in the Government Office's categories. "Overdue" is never stored.

One rule, written twice on purpose: :func:`category` for one assignment in Python, and
:func:`category_sql` as a SQL ``CASE`` so roll-ups are a single ``GROUP BY``. A test
holds the two to the same answers. So is the one test of "before tracking" (a milestone due
before the installation's tracking start, of a plan issued before it and not opted in):
:func:`before_tracking` and :func:`before_tracking_sql`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from enum import StrEnum
from functools import cache
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from sqlalchemy import (
    Date,
    String,
    and_,
    bindparam,
    case,
    false,
    func,
    literal,
    literal_column,
    or_,
    select,
    true,
    union_all,
)
from sqlalchemy.orm import aliased
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import col

from dondoc.engine.clock import local_date
from dondoc.engine.db import named_alias
from dondoc.engine.deadlines import before_day_named
from dondoc.engine.escalation.facts import working_days_overdue
from dondoc.engine.models import (
    COMPLETED_STATE_VALUES,
    OPEN_STATE_VALUES,
    AgencyTransfer,
    Assignment,
    Installation,
    Milestone,
    Plan,
    PlanItem,
    State,
    TransferStatus,
)
from dondoc.engine.models.assignments import NEVER
from dondoc.engine.models.types import AwareDateTime
from dondoc.engine.vi_format import vn_count, vn_date
from dondoc.engine.workcalendar import WorkCalendar, default_calendar


def given_after_due(due_at: datetime | None, assigned_at: datetime | None, tz: ZoneInfo) -> bool:
    """Whether work was given after its own date: its due day (in ``tz``) came before the day it
    was given. A plan issued after one of its deadlines (117/KH-UBND's 30/06/2022, issued 27/07),
    a body the secretariat names after the date: neither could be done on time (a succession's or
    a reassignment's successor keeps the day its predecessor was given the work). The one test of
    it, read by the sweep (a catch-up order: one notice on the day it was given, the ladder counted
    from that day), by the timeliness rates (counted neither for nor against the body, unless done
    on time all the same) and by the mails, digests and pages that say so. Days, not instants: work
    given on its due day can still be done that day."""
    if due_at is None or assigned_at is None or assigned_at <= due_at:
        return False  # given by its date: its day is no later than the due day (no conversion needed)
    return local_date(due_at, tz) < local_date(assigned_at, tz)


def done_day_unknown(due_at: datetime | None, reported_at: datetime | None, done_from: datetime | None) -> bool:
    """Whether work done on a day no text gives (``Assignment.done_from``: somewhere in [done_from,
    reported_at], a plan's "Tháng 02/2022 (đã hoàn thành)", and the same work that follows it) may
    have been done either side of its date in force: whether it was done by that date is not known.
    The Thông báo's "trước ngày 15/02/2022" for work 04/KH-BCĐ records done in tháng 02/2022. Such a
    part stands under "Hoàn thành đúng hạn" on the board, as done work with no date does (nothing
    shows it late), says so on its rows, and counts neither way in a rate (engine.reports.counted).
    A window ending by the date is on time; one beginning after it is late."""
    return (
        done_from is not None and due_at is not None and reported_at is not None and done_from <= due_at < reported_at
    )


# a part done on a day no text gives, its date inside the window (:func:`done_day_unknown`): what its
# rows say in place of "Hoàn thành đúng hạn", the column the board counts it in
DAY_UNKNOWN_LABEL = "Hoàn thành, chưa rõ đúng hạn hay quá hạn"


def category_label(
    category: str, due_at: datetime | None, reported_at: datetime | None, done_from: datetime | None
) -> str:
    """A part's category in words on its rows: :data:`CATEGORY_LABELS_VI`, but :data:`DAY_UNKNOWN_LABEL`
    for one done on a day no text gives around its date (:func:`done_day_unknown`)."""
    if category == Category.DONE_ON_TIME.value and done_day_unknown(due_at, reported_at, done_from):
        return DAY_UNKNOWN_LABEL
    return CATEGORY_LABELS_VI[Category(category)]


def day_unknown_words(done_from: datetime, reported_at: datetime, due_at: datetime, tz: ZoneInfo) -> str:
    """Why a part is :data:`DAY_UNKNOWN_LABEL`, beside it on its page: "hoàn thành trong khoảng
    01/02/2022 – 28/02/2022 (văn bản không ghi ngày), thời hạn 15/02/2022 nằm trong khoảng này:
    không tính vào tỷ lệ đúng hạn"."""
    first, last, due = (vn_date(t, tz) for t in (done_from, reported_at, due_at))
    return (
        f"hoàn thành trong khoảng {first} – {last} (văn bản không ghi ngày), thời hạn {due} nằm trong "
        "khoảng này: không tính vào tỷ lệ đúng hạn"
    )


def done_day_unknown_sql() -> ColumnElement[bool]:
    """:func:`done_day_unknown` over ``Assignment``. Never NULL."""
    due, reported, since = col(Assignment.due_at), col(Assignment.reported_at), col(Assignment.done_from)
    return func.coalesce(and_(since.is_not(None), since <= due, due < reported), false())


def issued_after_due(due_at: datetime | None, assigned_at: datetime | None, issued: date | None, tz: ZoneInfo) -> bool:
    """Whether work given after its own date (:func:`given_after_due`) was so because the plan itself
    was issued after that date, the work given on (or before) its issue day: 117/KH-UBND, issued
    27/07/2022, its II.1.đ due 30/06/2022. Nobody gave that work late, and what says how late it is
    counts from the plan's issue (:func:`given_late_words` with ``plan_after_due``). Work given
    after the plan's issue (a body the secretariat named after the date, even of a plan itself
    late) is told by the day it was given. The one test of it, read by the mails, the digests, the
    pages, the command line and the reports."""
    if issued is None or not given_after_due(due_at, assigned_at, tz):
        return False
    assert assigned_at is not None
    return local_date(assigned_at, tz) <= issued


def received_after_due(due_at: datetime | None, received_on: date | None, tz: ZoneInfo) -> bool:
    """Whether the body holding work received it from another (a succession, or the secretariat
    naming it for work left by a body that ended: engine.services.transfer_origins.received_on)
    after its own due day: it could not have done it on time, and whatever says how late it is says
    since when it has had it (:func:`given_late_words` with ``received_from``). Days, as
    :func:`given_after_due`: work received on its due day can still be done that day."""
    if due_at is None or received_on is None:
        return False
    return local_date(due_at, tz) < received_on


def given_late_words(
    since_given: int | None,
    given_on: str,
    since_due: int | None,
    *,
    plan_after_due: bool,
    received_from: str | None = None,
) -> str:
    """How late work given after its own date (:func:`given_after_due`) is, as every mail, digest
    and page says it: the working days since it was given and the day given first (what the body
    has had the work for), the working days since the text's date second. ``given_on`` is the day
    given (dd/mm/yyyy); ``plan_after_due``: the plan itself was issued after the date (the work
    given on its issue day). The chair read "hạn 30/06/2022; quá hạn 26 ngày làm việc" of a plan
    issued on 27/07, 7 working days before, and the 7 only after it.

    ``received_from``: the work was received from that body (a succession) after its date
    (:func:`received_after_due`); ``given_on`` is then the day received, ``since_given`` the working
    days since. The chair read "quá hạn 174 ngày làm việc" of a body two days old."""
    if received_from is not None:
        why = f"nhận chuyển giao từ {received_from}"
    elif plan_after_due:
        why = "thời hạn ghi trong kế hoạch đã qua trước ngày ban hành"
    else:
        why = "giao sau thời hạn"
    day = f"{_given_day(plan_after_due=plan_after_due, received=received_from is not None)} {given_on}"
    lead = _late_since(since_given, day)
    if since_due is None:
        return f"{lead} ({why})"
    return f"{lead} ({why}; {working_days_words(since_due)} ngày làm việc kể từ thời hạn)"


def lateness_in_subject(
    since_due: int | None,
    since_given: int | None = None,
    *,
    given: bool = False,
    plan_after_due: bool = False,
    received: bool = False,
) -> str:
    """How late a part is, in a mail's subject: the figure the body's own lateness starts with, as
    :func:`given_late_words` says it first. Work received from another body after its date (a
    succession: ``received``), or given after it (``given``), counts from the day received or given
    (``since_given``), never from the date: the successor's overdue notice read "Quá hạn 9 ngày làm
    việc" in its subject on the very day it received the work, its body "quá hạn ngay từ ngày nhận
    chuyển giao". Empty when there is no figure to give (past the date by less than a working day)."""
    if received or given:
        return _late_since(since_given or 0, _given_day(plan_after_due=plan_after_due, received=received))
    return f"quá hạn {vn_count(since_due)} ngày làm việc" if since_due else ""


def _given_day(*, plan_after_due: bool, received: bool) -> str:
    """The day late work given after its date counts from, in words: "nhận chuyển giao", not "tiếp
    nhận" (the product's "tiếp nhận" is a body acknowledging its work)."""
    return "ngày nhận chuyển giao" if received else "ngày ban hành kế hoạch" if plan_after_due else "ngày giao"


def _late_since(since_given: int | None, day: str) -> str:
    """ "quá hạn N ngày làm việc kể từ <day>"; on the day given (less than a working day since):
    overdue from that very day, not "quá hạn dưới 1 ngày làm việc kể từ ngày ban hành kế hoạch",
    which read as a body late by a few hours."""
    if since_given == 0:
        return f"quá hạn ngay từ {day}"
    return f"quá hạn {working_days_words(since_given)} ngày làm việc kể từ {day}"


def working_days_words(count: int | None) -> str:
    """Whole working days as the words write them, with the thousands' dot; "dưới 1" for none yet
    (past a date by less than a working day)."""
    return vn_count(count) if count else "dưới 1"


def extended_from(due_at: datetime | None, original_due_at: datetime | None, tz: ZoneInfo) -> date | None:
    """The day work was first due, when an extension (or the catalog) has moved its date to another
    day since; else None. The one test of it, read by the mails ("đã gia hạn; thời hạn ban đầu …")
    and the lists beside the date they show: "10/03/2023 “Năm 2022”" read as the text's own date."""
    if due_at is None or original_due_at is None:
        return None
    first = local_date(original_due_at, tz)
    return first if first != local_date(due_at, tz) else None


def extension_note(
    deadline_phrase: str | None, due_at: datetime | None, original_due_at: datetime | None, tz: ZoneInfo
) -> str | None:
    """What is said beside a date an extension moved (:func:`extended_from`), as plain text: that it
    was extended, and the first date in the text's words ("đã gia hạn; thời hạn ban đầu: “tháng
    6/2022”, hạn cuối ngày 30/06/2022"); None when it was not. The lists and the leaders' page, the
    board's workbook and the digests say it alike: a digest row "hạn 10/08/2022; quá hạn 7 ngày làm
    việc" of work the text gave "tháng 6/2022" read as a date the body had missed all along."""
    first = extended_from(due_at, original_due_at, tz)
    if first is None:
        return None
    said = f"“{deadline_phrase}”, " if deadline_phrase else ""
    return f"đã gia hạn; thời hạn ban đầu: {said}hạn cuối ngày {vn_date(first)}"


def moved_off_day(
    written: date | None, original_due_at: datetime | None, due_at: datetime | None, tz: ZoneInfo
) -> date | None:
    """The text's own date, when the catalog's date stands (no extension) and the due day is not it
    because it fell on a day off (engine.deadlines moves it to the next working day; the calendar
    says which days are off); else None. The one test of it, read by the mails and the assignment's
    page: "Trong năm 2022 (hạn cuối ngày 03/01/2023)" said nothing of why the day is not 31/12/2022."""
    if written is None or due_at is None or (original_due_at is not None and original_due_at != due_at):
        return None
    calendar = default_calendar()
    if calendar.is_working_day(written) or local_date(due_at, tz) != calendar.effective_due(written):
        return None  # a day of work, or a due day the rule did not give (another row's date, a date set by hand)
    return written


def before_day_kept(phrase: str | None, year: int | None, due_at: datetime | None, tz: ZoneInfo) -> date | None:
    """X, when ``phrase`` is "trước ngày X" and the work is due at the end of X itself: the day the
    text excludes, counted in (conventions.yaml's ``before_date_means: end_of_day``), which is the
    secretariat's reading and is said beside the date wherever it is shown (:func:`before_kept_words`):
    a careful reader of "15/11/2022 “trước ngày 15/11/2022”" sees a date one day later than the
    text's. Also X when X is a day off and the work is due at the end of the working day the civil-code
    rule moves X to (:func:`moved_off_day` says that move): "trước ngày 20" of a quarter whose 20th is
    a Saturday is due Monday the 22nd, two days of which are the secretariat's reading and one the
    rule's; said with the move alone, the page credited the law with all three (the text's last day,
    Friday the 19th, is a working day). None for any other phrase, or a date not the text's (extended,
    set by hand). ``year``: the one a phrase without its own year is read in (the plan's issue year)."""
    named = before_day_named(phrase, year)
    if named is None or due_at is None:
        return None
    due = local_date(due_at, tz)
    if due == named:
        return named
    calendar = default_calendar()
    return named if not calendar.is_working_day(named) and calendar.effective_due(named) == due else None


def before_kept_words(day: date) -> str:
    """Whose reading a "trước ngày X" due at the end of X is (:func:`before_day_kept`), as the mails
    and pages say it."""
    return f"Tổ giúp việc tính cả ngày {vn_date(day)}"


def day_off_words(day: date) -> str:
    """Why a due day is not the day written (:func:`moved_off_day`, or an extension granted to a day
    off), as plain text: which day off, and the civil-code rule. The lists, the board's workbook,
    the periodic report and the desk's bulk extension say it alike."""
    reason = default_calendar().day_off_reason(day) or "ngày nghỉ"
    return (
        f"ngày {vn_date(day)} là ngày nghỉ ({reason}): hạn chuyển sang ngày làm việc kế tiếp"
        " (Bộ luật Dân sự 2015, Điều 148)"
    )


def asked_day_off_words(asked: date | str | None) -> str | None:
    """What is said beside a day a body asks to be given (an extension request) when that day is a
    day off, as plain text; None on a working day. The mail to the secretariat, its queue and the
    request on the assignment's pages say it alike: "đến ngày 31/07/2022" read as the date that
    would apply, and the civil-code rule makes it the next working day (``asked``: a date, or its
    ISO text as an event stores it)."""
    if not asked:
        return None
    day = date.fromisoformat(asked[:10]) if isinstance(asked, str) else asked
    calendar = default_calendar()
    effective = calendar.effective_due(day)
    if effective == day:
        return None
    reason = calendar.day_off_reason(day) or "ngày nghỉ"
    return f"ngày nghỉ: {reason}; nếu đồng ý, hạn là ngày làm việc kế tiếp, {vn_date(effective)}"


def given_after_due_sql() -> ColumnElement[bool]:
    """:func:`given_after_due` over ``Assignment``: given after the instant it was due. The same
    test, since a due date is always the end of its local day (``hạn cuối ngày``: 23:59:59 local),
    so any later instant is on a later day. Never NULL."""
    due, given = col(Assignment.due_at), col(Assignment.assigned_at)
    return and_(due.is_not(None), given.is_not(None), given > due)


class Category(StrEnum):
    NOT_YET_DUE = "chua_den_han"
    ON_TRACK = "dang_thuc_hien_trong_han"
    OVERDUE = "dang_thuc_hien_qua_han"
    DONE_ON_TIME = "hoan_thanh_dung_han"
    DONE_LATE = "hoan_thanh_qua_han"
    WAITING = "cho_dieu_kien"
    STANDING = "thuong_xuyen"  # a standing duty: a start and no due date (kể từ ngày …)
    # a standing duty whose start is still to come: no due date to be "not yet due" for, nor in force yet
    STANDING_NOT_BEGUN = "thuong_xuyen_chua_ap_dung"
    CANCELLED = "da_huy"
    BEFORE_TRACKING = "truoc_khi_theo_doi"  # not one of the Government Office's: counted apart


CATEGORY_LABELS_VI = {
    Category.NOT_YET_DUE: "Chưa đến hạn",
    Category.ON_TRACK: "Đang thực hiện trong hạn",
    Category.OVERDUE: "Đang thực hiện quá hạn",
    Category.DONE_ON_TIME: "Hoàn thành đúng hạn",
    Category.DONE_LATE: "Hoàn thành quá hạn",
    # open, with no date to judge it by: waiting for a condition (the text's, or one the secretariat
    # marked as not met), or a task the text gives no date at all ("Không có thời hạn")
    Category.WAITING: "Chờ điều kiện hoặc chưa có thời hạn",
    Category.STANDING: "Nhiệm vụ thường xuyên",
    # as the pages and mails say its start: "Nhiệm vụ thường xuyên, áp dụng từ ngày … (không có hạn cuối)"
    Category.STANDING_NOT_BEGUN: "Nhiệm vụ thường xuyên chưa đến ngày áp dụng",
    Category.CANCELLED: "Đã hủy",
    Category.BEFORE_TRACKING: "Trước khi theo dõi",
}


def due_before_start(due_at: datetime | None, tracking_from: datetime | None) -> bool:
    """Due before the installation's tracking start (``tracking_from``: its first instant; None, no
    installation row: nothing is). The one test of what no rate counts, whatever its plan: the rates
    (engine.reports.rates.how_counted), hence the ranking and the periodic reports, and the trend's
    on-time line leave such work out, as their notes say ("việc có hạn trước ngày bắt đầu theo dõi
    không tính"). A plan issued after the start with an earlier date (04/KH-BCĐ, issued 10/03/2022,
    its items due 28/02 done by then) is chased all the same (:func:`before_tracking` is narrower):
    its work was never followed by its date, so it is no record of timeliness either way."""
    return due_at is not None and tracking_from is not None and due_at < tracking_from


def before_tracking(
    due_at: datetime | None, plan_issued: date, plan_tracked: bool, installation: Installation | None
) -> bool:
    """Due before the tracking start (:func:`due_before_start`), of a plan issued before it and not
    opted in: never escalated, outside every overdue list and count. No installation row:
    everything is tracked."""
    if installation is None or plan_tracked:
        return False
    return due_before_start(due_at, installation.tracking_from) and plan_issued < installation.tracking_start


def of_milestone(test: Callable[[Any], ColumnElement[bool]], *, joined: bool = True) -> ColumnElement[bool]:
    """``test`` (given the milestone's entity) of an assignment's milestone: over ``Milestone`` joined
    to ``Assignment`` by the statement; or, ``joined=False``, as the assignment's ``milestone_id`` in
    the list of the milestones that pass it (over an alias: never correlated with a statement's own
    milestone), which the database reads once a statement: the same answer, and a statement that
    reads nothing else of the milestone needs no join. The board's summary judges every assignment:
    its join, a lookup by key a row, was a fifth of its time at 100k rows (bench/README.md). IN of a
    non-null key against a list of keys is never NULL, so a negation is safe too."""
    if joined:
        return test(Milestone)
    milestone = aliased(Milestone, name="milestone_of")
    return col(Assignment.milestone_id).in_(select(col(milestone.id)).where(test(milestone)))


@cache
def before_tracking_sql(*, joined: bool = True) -> ColumnElement[bool]:
    """The same test as :func:`before_tracking`, over ``Assignment`` joined to ``Milestone`` (or not:
    :func:`of_milestone`'s ``joined``).

    Subqueries over aliases, so a query that also joins the plan or the installation row keeps
    its own; EXISTS and IN are never NULL, so the negation is safe too. It depends on nothing
    but the schema, so it is built once: SQL expressions are immutable, and building this one
    was a good part of every list page's fixed cost."""
    installation, item, plan = aliased(Installation), aliased(PlanItem), aliased(Plan)
    items_before = (
        select(col(item.id))
        .join(plan, col(plan.id) == col(item.plan_id))
        .join(installation, col(plan.issued) < col(installation.tracking_start))
        .where(col(plan.tracked) == false())
    )
    due = col(Assignment.due_at)
    # One comparison with the latest tracking start (a scalar subquery the database reads once),
    # not a correlated EXISTS per row; coalesce and IN are never NULL, so ~ is safe.
    tracking_from = select(func.max(col(installation.tracking_from))).scalar_subquery()
    due_before = func.coalesce(due < tracking_from, false())
    return and_(due.is_not(None), due_before, of_milestone(lambda m: col(m.item_id).in_(items_before), joined=joined))


def open_at_arms(now: Any) -> list[ColumnElement[bool]]:
    """Where an assignment open at ``now`` stands today, as :func:`category` reads it: each arm one
    state, read as a range of one index. Open now (a range of (state, due_at) in a list); or
    reported (or verified) since ``now``, or cancelled since, each the ids a range of its own index
    gives (an IN of them: written as conditions beside the list's, SQLite read "reported since" through
    (state, due_at) or (state, assigned_at), every verified row past due, 45 ms of the board's 160).
    With a live clock the last ones are empty; at an earlier instant (a replay, ``--now``, a past
    week of the trend) they hold the work that was still open then, which the lists and counts must
    show as the board's summary does."""
    since = named_alias(Assignment, "since")
    state = col(since.state)
    arms: list[ColumnElement[bool]] = [col(Assignment.state) == value for value in OPEN_STATE_VALUES]
    later = [and_(state == value, col(since.reported_at) > now) for value in COMPLETED_STATE_VALUES]
    # cancelled since, and not reported by then (reported by then, it was done: category)
    reported = col(since.reported_at)
    later.append(
        and_(state == State.CANCELLED.value, col(since.closed_at) > now, or_(reported.is_(None), reported > now))
    )
    arms += [col(Assignment.id).in_(select(col(since.id)).where(condition).correlate(None)) for condition in later]
    return arms


def open_state_at(state: str, acknowledged_at: datetime | None, now: datetime) -> str:
    """The state of work open at ``now`` (listed overdue then), as it stood then: in progress once its
    body had acknowledged it by then (or back at work with no acknowledgement of its own: the catalog
    reopened it with the same work in another document), else assigned. At a past instant (a
    look-back, ``--now``) its row may say what came after: a report, a verification or an
    acknowledgement written later; the overdue list of 01/03/2022 read from the year's database said
    "Đã xác nhận" of work reported on 09/03, and a row replayed from its history (which reads no
    acknowledgement) "Đã giao" of work acknowledged on 24/01."""
    if acknowledged_at is not None and acknowledged_at <= now:
        return State.IN_PROGRESS.value
    if acknowledged_at is None and state == State.IN_PROGRESS.value:
        return state
    return State.ASSIGNED.value


def state_at(
    state: str,
    category_then: str,
    acknowledged_at: datetime | None,
    reported_at: datetime | None,
    verified_at: datetime | None,
    now: datetime,
) -> str:
    """The workflow state of a row at ``now``, from what its row stamps (``category_then``: its
    category judged at ``now``, which says whether a cancellation came by then): verified, reported
    or cancelled only by then, else open as :func:`open_state_at` says. At today's instant, the row's
    state. At a past instant (a look-back, ``--now``), ``dondoc assignments list`` and the part's page
    had said "Đã xác nhận" on 01/03/2022 of work reported on 21/03 and verified on 23/03. A row an event
    rewrote since (a report returned clears its time) is read from its history instead
    (engine.services.board_then.view_then)."""
    if state == State.CANCELLED.value and category_then == Category.CANCELLED.value:
        return state
    if state == State.VERIFIED.value and (verified_at is None or verified_at <= now):
        return state
    if state in COMPLETED_STATE_VALUES + (State.CANCELLED.value,) and reported_at is not None and reported_at <= now:
        return State.REPORTED.value
    return open_state_at(state, acknowledged_at, now)


# The states a row may be in now that stood in each state at an earlier instant (:func:`state_at`):
# cancelled or verified then, the same now; reported then, reported, verified or cancelled since; open
# then, any (an acknowledgement by then says in progress whatever came after). What a filter by the
# state then narrows the rows by first, on the index of the state (``ix_assignment_state_due``).
STATES_SINCE: dict[str, tuple[str, ...]] = {
    State.ASSIGNED.value: tuple(s.value for s in State),
    State.IN_PROGRESS.value: tuple(s.value for s in State),
    State.REPORTED.value: (*COMPLETED_STATE_VALUES, State.CANCELLED.value),
    State.VERIFIED.value: (State.VERIFIED.value,),
    State.CANCELLED.value: (State.CANCELLED.value,),
}


def _state_case(now: Any, judged: ColumnElement[str]) -> ColumnElement[str]:
    """The CASE of :func:`state_at` over ``Assignment``: ``judged`` is the row's category at ``now``
    (the CASE of :func:`category`), ``now`` a value or a bound parameter."""
    state = col(Assignment.state)
    acknowledged, reported, verified = (
        col(Assignment.acknowledged_at),
        col(Assignment.reported_at),
        col(Assignment.verified_at),
    )
    done_or_cancelled = [literal(v) for v in (*COMPLETED_STATE_VALUES, State.CANCELLED.value)]
    return case(
        (and_(state == State.CANCELLED.value, judged == Category.CANCELLED.value), _constant(State.CANCELLED.value)),
        (
            and_(state == State.VERIFIED.value, or_(verified.is_(None), verified <= now)),
            _constant(State.VERIFIED.value),
        ),
        (
            and_(state.in_(done_or_cancelled), reported.is_not(None), reported <= now),
            _constant(State.REPORTED.value),
        ),
        # open then (open_state_at): in progress once acknowledged by then, or back at work with no
        # acknowledgement of its own; else given
        (and_(acknowledged.is_not(None), acknowledged <= now), _constant(State.IN_PROGRESS.value)),
        (and_(acknowledged.is_(None), state == State.IN_PROGRESS.value), _constant(State.IN_PROGRESS.value)),
        else_=_constant(State.ASSIGNED.value),
    )


def finished_since_sql(now: Any) -> ColumnElement[bool]:
    """Verified or cancelled now, and not yet at ``now``: work :func:`state_at` reads as open or
    reported then (a look-back before the secretariat cancelled a part waiting in "Cần phân công lại",
    or verified its report). With a live clock, no row."""
    state = col(Assignment.state)
    return or_(
        and_(state == State.CANCELLED.value, col(Assignment.closed_at) > now),
        and_(state == State.VERIFIED.value, col(Assignment.verified_at) > now),
    )


def finished_since_ids(now: Any) -> Any:
    """:func:`finished_since_sql`'s rows as an IN over ``Assignment.id``: each state a range of its
    index (a statement that reads them first, not every assignment of every milestone)."""
    since = named_alias(Assignment, "finished_since")
    state = col(since.state)
    arms = [
        and_(state == State.CANCELLED.value, col(since.closed_at) > now),
        and_(state == State.VERIFIED.value, col(since.verified_at) > now),
    ]
    return col(Assignment.id).in_(union_all(*(select(col(since.id)).where(arm).correlate(None) for arm in arms)))


def state_at_sql(now: datetime) -> ColumnElement[str]:
    """The same rule as :func:`state_at`, over ``Assignment`` joined to ``Milestone``: what a filter
    by state selects by (``dondoc assignments list --status``, the API), as each line says it."""
    return _state_case(now, category_sql(now))


@cache
def state_at_now(joined: bool = True) -> ColumnElement[str]:
    """:func:`state_at_sql` at the bound NOW and TODAY (the desk's filter: a statement built once).
    ``joined``: the milestone's columns read from a join, or not (:func:`of_milestone`: a statement
    that joins an alias of the milestone, engine.services.same_work)."""
    return _state_case(NOW, category_at_now() if joined else _category_case(NOW, TODAY, joined=False))


def state_then_sql(state: str, now: Any = None, value: Any = None) -> ColumnElement[bool]:
    """The rows in ``state`` at ``now`` (:func:`state_at`, the state each line says), by default at the
    bound NOW: first those whose state now may follow it (``STATES_SINCE``: a range of the state's
    index for a verified, cancelled or reported one), then the CASE. ``value``: what the CASE is
    compared with, ``state`` itself by default (a statement built once binds it)."""
    judged = state_at_now() if now is None else state_at_sql(now)
    compared = judged == (state if value is None else value)
    since = STATES_SINCE[state]
    if len(since) == len(State):
        return compared
    return and_(col(Assignment.state).in_([literal(v) for v in since]), compared)


def given_by(assigned_at: datetime, now: datetime) -> bool:
    """Its giving day has come by ``now`` (for one assignment read already): :func:`given_by_sql`
    without its second test, work held back in "Cần phân công lại" (:func:`held_back_sql`), which a
    mail's facts need not make (the sweep writes no mail about such work)."""
    return assigned_at <= now


def given_by_sql(now: Any) -> ColumnElement[bool]:
    """Given by ``now``, as :func:`category` judges it: work given later (a later period's report,
    handed out on its period's first day; a plan loaded before the day it was issued) is nobody's
    yet at ``now``, in no count or list but "not yet due" (or "cancelled", cancelled by then:
    :func:`category`); so is work held back then
    (:func:`held_back_sql`: never given to the body that ended, waiting for the secretariat). Never
    NULL (``assigned_at`` never is, nor an assignment's id)."""
    given: ColumnElement[bool] = and_(col(Assignment.assigned_at) <= now, ~held_back_sql(now))  # a value or NOW
    return given


def held_back_sql(now: Any) -> ColumnElement[bool]:
    """Work never given at ``now`` although its giving day has come: a succession queued it in "Cần
    phân công lại" when its giving day was on or after the succession's date (the reports of a
    quarter that began on the day the district level was dissolved), and the secretariat had not
    decided by ``now`` (still waiting, or decided later: at a look-back, what waited then). The body
    that ended was never given it, nor anybody else before the decision: named, the body is given it
    that day (engine.services.successions.take_over moves ``assigned_at`` to it). One uncorrelated
    subquery of the few such transfers, read once a statement (an IN of them, as open_at_arms)."""
    transfer = named_alias(AgencyTransfer, "held_transfer")
    decided = col(transfer.decided_at)
    held = select(col(transfer.assignment_id)).where(
        col(transfer.never_given) == true(),
        or_(col(transfer.status) == TransferStatus.PENDING.value, and_(decided.is_not(None), decided > now)),
    )
    return col(Assignment.id).in_(held.correlate(None))


def held_until(status: str, decided_at: datetime | None) -> datetime:
    """:func:`held_back_sql` in Python, for the work of one never-given transfer: held back until the
    secretariat's decision (``NEVER`` while it waits). Given at the later of it and ``assigned_at``:
    what :func:`category` reads as ``assigned_at`` for such work."""
    if status == TransferStatus.PENDING.value or decided_at is None:
        return NEVER
    return decided_at


def cancelled_by_sql(now: Any) -> ColumnElement[bool]:
    """Cancelled by ``now``, as :func:`category` judges it (a cancellation with no date: always)."""
    closed = col(Assignment.closed_at)
    return and_(col(Assignment.state) == State.CANCELLED.value, or_(closed.is_(None), closed <= now))


def category(
    state: str,
    due_at: datetime | None,
    reported_at: datetime | None,
    start_date: date | None,
    now: datetime,
    closed_at: datetime | None = None,
    *,
    untracked: bool = False,
    waiting_since: datetime | None = None,
    assigned_at: datetime | None = None,
    done_from: datetime | None = None,
) -> Category:
    """The category of one assignment as it stood at ``now``.

    Work cancelled by ``now`` is cancelled, given or not. Work not yet given at ``now`` (``assigned_at``
    later: a plan loaded before the day it was issued, or a report asked of a past instant; for work
    held back, :func:`held_until` if later) is otherwise not yet due: never overdue, nor done, before
    it exists. A later period's report cancelled in a reorganisation before its giving day (the part
    of a body that ended, or of a successor that took the lead over) had read "Chưa đến hạn" on the
    board and "Đã giao" in the desk's filter by state until that day, and never "Đã hủy" before it.

    Done means reported (or verified) by ``now``, judged by the last report against the due
    date in force (an extension moves it; done on a day no text gives, its date inside the window,
    ``done_from``, is not known late: :func:`done_day_unknown`); cancelled means cancelled by ``now``. So a report
    of a past period, or a replay with ``--now``, does not count later work as done. Open
    work the secretariat marked as waiting for its precondition (``waiting_since``, from
    ``Assignment.waiting_condition_since``) waits for a condition; open work whose period has not
    begun is not yet due; a standing duty not begun ("kể từ ngày 01/6/2023" read in 2022) is neither
    that (it has no due date) nor a standing duty in force: its own category; open work with neither
    a due date nor a start waits for a condition; open work with a start and no due date is a
    standing duty (never overdue). Anything else
    ``untracked`` (see :func:`before_tracking`) is before tracking, whatever its state: it is
    counted apart, neither done nor late.
    """
    if state == State.CANCELLED and (closed_at is None or closed_at <= now):
        return Category.CANCELLED  # given or not: work cancelled before its giving day will never be given
    if assigned_at is not None and assigned_at > now:
        return Category.NOT_YET_DUE
    if untracked:
        return Category.BEFORE_TRACKING
    reported_by_now = reported_at is not None and reported_at <= now
    # done: reported (or verified) by now; or reported by now and cancelled since (a report of a body
    # that ended, cancelled in the reorganisation, was done at an instant before it)
    if (state in COMPLETED_STATE_VALUES and (reported_at is None or reported_by_now)) or (
        state == State.CANCELLED and reported_by_now
    ):
        if due_at is None or reported_at is None or reported_at <= due_at:
            return Category.DONE_ON_TIME
        if done_day_unknown(due_at, reported_at, done_from):
            return Category.DONE_ON_TIME  # not known late: under "đúng hạn", counted neither way
        return Category.DONE_LATE
    if waiting_since is not None and waiting_since <= now:
        return Category.WAITING
    if start_date is not None and start_date > local_date(now):
        # a period not begun yet; a standing duty not begun, which has no due date to be "not yet due" for
        return Category.NOT_YET_DUE if due_at is not None else Category.STANDING_NOT_BEGUN
    if due_at is None:
        return Category.WAITING if start_date is None else Category.STANDING
    return Category.OVERDUE if due_at < now else Category.ON_TRACK


def category_sql(now: datetime) -> ColumnElement[str]:
    """The same rule as :func:`category`, over ``Assignment`` joined to ``Milestone``."""
    return _category_case(now, local_date(now))


# The instant a statement judges at, as bound parameters: a statement built once around them
# (category_at_now) takes their values with each execution (``params=at_now(now)``), so it is
# never judged at another instant than the one it is run for. Building the CASE and the
# statements around it was most of a list page's fixed cost; SQLAlchemy then finds the compiled
# form in its cache by the statement's structure alone (the values are not part of the key).
NOW = bindparam("now", type_=AwareDateTime())
TODAY = bindparam("today", type_=Date())


def at_now(now: datetime) -> dict[str, Any]:
    """The values of NOW and TODAY for a statement judged at ``now``."""
    return {"now": now, "today": local_date(now)}


@cache
def category_at_now() -> ColumnElement[str]:
    """:func:`category_sql` with ``now`` and today's date left as NOW and TODAY: built once."""
    return _category_case(NOW, TODAY)


# Each category as one character: what a count over many rows strings together per group
# (category_code_at_now), to be counted per character once the group's string is read.
CATEGORY_CODES = {c: "0123456789abcdefghijklmnopqrstuvwxyz"[i] for i, c in enumerate(Category)}
assert len(set(CATEGORY_CODES.values())) == len(Category), "one distinct character per category"


@cache
def category_code_at_now() -> ColumnElement[str]:
    """:func:`category_at_now`, each category written as its one character (``CATEGORY_CODES``)."""
    return _category_case(NOW, TODAY, CATEGORY_CODES)


GIVEN_LATE = "!"  # after a late row's code (category_code_marked_at_now): work given after its own date
LATE_CATEGORIES = (Category.DONE_LATE, Category.OVERDUE)
# after a "not yet due" row's code (category_code_marked_at_now): work not yet given (a later
# period's report, handed out on its period's first day), which no body has been given yet
NOT_GIVEN = "?"


class Suffix(NamedTuple):
    """A mark written after the code of a row of ``categories`` when ``when`` holds (the test is made
    for the rows of those categories only)."""

    when: ColumnElement[bool]
    mark: str
    categories: frozenset[Category]


def category_code_marked_at_now(
    suffix: Suffix | None = None, *, by_state: bool = False, joined: bool = True
) -> ColumnElement[str]:
    """:func:`category_code_at_now`, with two marks after a row's code: ``GIVEN_LATE`` after a late
    row (done late, overdue) given after its own date (the board counts it in its category and
    leaves it out of the body's rate, as every rate does: :func:`given_after_due`), ``NOT_GIVEN``
    after a row not yet given (counted "not yet due", and not as work the body was given); with
    ``suffix``, its mark after those. ``by_state``: the CASE written once per kind of state (open,
    completed, any other), each without the tests its state already answers (:func:`_category_case`'s
    ``states``): the same answers, fewer tests a row, for a statement that judges every row of a
    table (the board's summary, bench/README.md). ``joined``: :func:`of_milestone`'s, for a statement
    over the assignment alone."""

    def written(states: frozenset[str] | None) -> ColumnElement[str]:
        return _category_case(
            NOW,
            TODAY,
            CATEGORY_CODES,
            {c: CATEGORY_CODES[c] + GIVEN_LATE for c in LATE_CATEGORIES},
            not_given=CATEGORY_CODES[Category.NOT_YET_DUE] + NOT_GIVEN,
            suffix=suffix,
            states=states,
            joined=joined,
        )

    if not by_state:
        return written(None)
    state = col(Assignment.state)
    kinds = (OPEN_STATE_VALUES, COMPLETED_STATE_VALUES)
    return case(
        *((state.in_([literal(v) for v in values]), written(frozenset(values))) for values in kinds),
        else_=written(None),
    )


def _category_case(
    now: Any,
    today: Any,
    written: dict[Category, str] | None = None,
    marked: dict[Category, str] | None = None,
    *,
    not_given: str | None = None,
    suffix: Suffix | None = None,
    states: frozenset[str] | None = None,
    joined: bool = True,
) -> ColumnElement[str]:
    """The CASE of :func:`category`; ``now`` and ``today`` are values or bound parameters; each
    category written as its value, or as ``written`` gives it; with ``marked``, a row of one of its
    categories given after its own date (:func:`given_after_due_sql`) is written as ``marked`` gives
    it (the test is made for the rows of those categories only); with ``not_given``, a row not yet
    given and not cancelled (its own branch, after the cancelled one: no test added) is written so;
    with ``suffix``, its mark after a row of its categories that meets its test. ``states``: the rows
    judged are known to be in one of these states (the caller tests it), so a test of the state is
    answered here and a branch it rules out is left out (an open row is neither cancelled nor done).
    ``joined``: the milestone's columns read from a join, or not (:func:`of_milestone`)."""

    def out(c: Category) -> Any:
        def said(text: str) -> Any:
            if suffix is not None and c in suffix.categories:
                return case((suffix.when, _constant(text + suffix.mark)), else_=_constant(text))
            return _constant(text)

        plain = said(written[c] if written else c.value)
        return case((given_after_due_sql(), said(marked[c])), else_=plain) if marked and c in marked else plain

    def may_be(values: tuple[str, ...]) -> bool:
        return states is None or bool(states & set(values))

    state, due = col(Assignment.state), col(Assignment.due_at)
    reported = col(Assignment.reported_at)
    since = col(Assignment.done_from)  # NULL (the day known) makes its test NULL: not true
    # the milestone's start: a period, or a standing duty, not begun yet; none at all
    not_begun = of_milestone(lambda m: and_(col(m.start_date).is_not(None), col(m.start_date) > today), joined=joined)
    no_start = of_milestone(lambda m: col(m.start_date).is_(None), joined=joined)
    waiting = col(Assignment.waiting_condition_since)
    cancelled = (State.CANCELLED.value,)
    done: list[ColumnElement[bool]] = []  # done by now: any of these
    if may_be(COMPLETED_STATE_VALUES):
        reported_by_now = or_(reported.is_(None), reported <= now)
        if states is not None and states <= set(COMPLETED_STATE_VALUES):
            done.append(reported_by_now)
        else:
            # The completed states as plain bound values, not an expanding list: the statement's SQL
            # is then not rendered again at each execution (every list and count judges the category).
            done.append(and_(state.in_([literal(value) for value in COMPLETED_STATE_VALUES]), reported_by_now))
    if may_be(cancelled):
        # reported by now and cancelled since (the cancelled branch above took those cancelled by now)
        done.append(and_(state == State.CANCELLED.value, reported.is_not(None), reported <= now))
    branches: list[tuple[ColumnElement[bool], Any]] = []
    if may_be(cancelled):  # cancelled by now, given or not (category)
        branches.append((cancelled_by_sql(now), out(Category.CANCELLED)))
    branches.append((~given_by_sql(now), out(Category.NOT_YET_DUE) if not_given is None else _constant(not_given)))
    branches.append((before_tracking_sql(joined=joined), out(Category.BEFORE_TRACKING)))
    if done:
        done_by_now = or_(*done)
        branches += [
            # done on a day no text gives, its date inside the window (done_day_unknown): not known late
            (
                and_(done_by_now, or_(due.is_(None), reported.is_(None), reported <= due, since <= due)),
                out(Category.DONE_ON_TIME),
            ),
            (done_by_now, out(Category.DONE_LATE)),
        ]
    return case(
        *branches,
        (and_(waiting.is_not(None), waiting <= now), out(Category.WAITING)),
        (and_(not_begun, due.is_(None)), out(Category.STANDING_NOT_BEGUN)),
        (not_begun, out(Category.NOT_YET_DUE)),
        (and_(due.is_(None), no_start), out(Category.WAITING)),
        (due.is_(None), out(Category.STANDING)),
        (due < now, out(Category.OVERDUE)),
        else_=out(Category.ON_TRACK),
    )


def _constant(text: str) -> ColumnElement[str]:
    """A category's text (a value, a code, a mark: the module's own constants, never input) written
    into the statement, not bound: a CASE whose results are bound parameters copies the value into
    every row it judges, ~15 % of the board's summary over 100k rows on SQLite (bench/README.md)."""
    assert "'" not in text and "\\" not in text, text
    return literal_column(f"'{text}'", String())


# The categories a lateness in working days is said of, with its word: work still open past its date
# ("Quá hạn"), work done after it ("Trễ"). Of no other work is one said: not of work done on time or
# not yet due, nor of cancelled work, nor of work due before the tracking start (never followed
# here: when it was done is not known, and the board never counts it as overdue).
LATE_WORDS: dict[str, str] = {Category.OVERDUE.value: "Quá hạn", Category.DONE_LATE.value: "Trễ"}


def done_given_late_words(since_given: int, given_on: str, since_due: int) -> str:
    """How late work given after its own date (:func:`given_after_due`) and reported since is, as the
    pages say it: the working days from its giving to its report first (what the body took), those
    from its date second. Sở LĐ-TB&XH reported 117/KH-UBND:II.2.d on 27/07/2022, the day it was
    given: "Trễ 19 ngày làm việc · giao ngày 27/07/2022, sau thời hạn" read as a body 19 days slow."""
    return f"Báo cáo {reported_given_late_words(since_given, given_on, since_due)}"


def reported_given_late_words(since_given: int, given_on: str, since_due: int | None) -> str:
    """:func:`done_given_late_words` after its "Báo cáo": "3 ngày làm việc sau ngày giao 27/07/2022 (giao
    sau thời hạn; trễ 22 ngày làm việc so với thời hạn)", the words a digest's report waiting to be
    verified says after its day (it had said "sau hạn 22 ngày làm việc" of work given 3 days before)."""
    days = working_days_words(since_given)
    took = "ngay trong ngày giao" if since_given == 0 else f"{days} ngày làm việc sau ngày giao"
    return f"{took} {given_on} (giao sau thời hạn; trễ {working_days_words(since_due)} ngày làm việc so với thời hạn)"


def lateness(category: str, days: int, given: tuple[int, str] | None = None, *, plan_after_due: bool = False) -> str:
    """The lateness a page says beside work of ``category``, ``days`` working days past its date
    ("Quá hạn 14 ngày làm việc", "Trễ 3 ngày làm việc"; past it by less than a working day, a
    Saturday after Friday's date: "dưới 1"); "" for work no lateness is said of (LATE_WORDS).
    ``given``: work given after its own date (:func:`given_after_due`), open or done late, the working
    days since it was given (to its report, done: :func:`done_given_late_words`) and that day
    (dd/mm/yyyy): said first, as the mails say it (:func:`given_late_words`; ``plan_after_due``, the
    plan issued after the date: :func:`issued_after_due`): the page had read "Quá hạn 74 ngày làm
    việc" of a part its body had had for 55, which the mail of the same day counted from the plan's
    issue; then "kể từ ngày giao" of it, where the mail said "kể từ ngày ban hành kế hoạch"."""
    word = LATE_WORDS.get(category)
    if given is not None and category == Category.DONE_LATE.value:
        return done_given_late_words(given[0], given[1], days)
    if given is not None and category == Category.OVERDUE.value:
        words = given_late_words(given[0], given[1], days, plan_after_due=plan_after_due)
        return words[:1].upper() + words[1:]
    return f"{word} {days or 'dưới 1'} ngày làm việc" if word else ""


def days_late(
    due_at: datetime | None, reported_at: datetime | None, now: datetime, calendar: WorkCalendar | None = None
) -> int:
    """Working days past due (at the report, or at ``now`` while not reported by then), counted as the sweep and
    the mails count them (engine.escalation.facts.working_days_overdue): a page, an export or a
    report never says "14 days" of a task a mail calls 10 working days late. 0 when not late.
    ``calendar``: the shipped one (engine.workcalendar.default_calendar) unless given."""
    if due_at is None:
        return 0
    # reported after ``now`` (read at a past instant: a look-back, ``--now``): still open then, late to
    # ``now`` (the command line's list of 01/03/2022 said "Quá hạn 7 ngày làm việc" of work due
    # 28/02 and reported on 09/03, one working day late then)
    end = reported_at if reported_at is not None and reported_at <= now else now
    return working_days_overdue(local_date(due_at), local_date(end), calendar or default_calendar())
