"""Work done on a day no text gives (engine.status.done_day_unknown).

04/KH-BCĐ (issued 10/03/2022) records its II.1 ("Ban hành Quy chế …; Kế hoạch hoạt động năm 2022 …")
and II.2 ("… thành lập Tổ giúp việc") "đã hoàn thành" in "Tháng 02/2022"; the Thông báo's II.3.b had
set the same work "trước ngày 15/02/2022". Sở TT&TT's three Thông báo parts followed 04/KH-BCĐ's done
time, the last instant of February, and read "Hoàn thành quá hạn · Trễ 9 ngày làm việc", three
late parts in its rates: neither text says the work was late, nor that it was on time. They now
say so, stand under the board's "Hoàn thành đúng hạn" as done work with no date does, and count
neither way, nor does their copy under 04/KH-BCĐ's later date count them on time. The third, the
Kế hoạch, is 04/KH-BCĐ itself: done on its issue day, 10/03/2022, known late (tests/test_done_by_issue.py).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlmodel import Session

from dondoc.engine.clock import LOCAL_TZ, LocalDays
from dondoc.engine.reports.counted import done_on_time
from dondoc.engine.reports.rates import agency_rates
from dondoc.engine.reports.trend import weekly_trend
from dondoc.engine.services.queries import get_assignment, list_assignments
from dondoc.engine.services.tracking import set_tracking_start
from dondoc.engine.status import DAY_UNKNOWN_LABEL, Category, category, done_day_unknown
from dondoc.tasks_catalog.loader import default_catalog_dir
from tests.factories import assignment_for, load_min_catalog
from tests.test_board_rate import _held_to_the_rates

LOCAL = LocalDays(LOCAL_TZ)
LEADERS = ("lead", "implementer")
LOADED = datetime(2022, 3, 10, 8, 0, tzinfo=LOCAL_TZ)  # 04/KH-BCĐ's issue day
NOW = datetime(2022, 4, 1, 9, 0, tzinfo=LOCAL_TZ)


def _loaded(session: Session) -> None:
    load_min_catalog(session, LOADED, default_catalog_dir())
    set_tracking_start(session, date(2022, 1, 19))  # the Thông báo's meeting: its dates are tracked
    session.commit()


def test_the_thong_bao_parts_say_the_day_is_not_known(session: Session) -> None:
    """The Quy chế and the Tổ giúp việc; not the Kế hoạch, 04/KH-BCĐ itself, done on its issue day
    (catalog ``done_by_issue_of``: tests/test_done_by_issue.py)."""
    _loaded(session)
    for seq in (1, 2):
        row = assignment_for(session, "/TB-UBND:II.3.b", "so-tttt", seq=seq)
        assert row.done_from == LOCAL.start_of_day(date(2022, 2, 1)), seq
        assert row.reported_at is not None and LOCAL.local_date(row.reported_at) == date(2022, 2, 28), seq
        judged = category(row.state, row.due_at, row.reported_at, None, NOW, done_from=row.done_from)
        assert judged is Category.DONE_ON_TIME, seq  # the board's column: not known late
        view = get_assignment(session, row.id or 0, NOW)
        assert view.category == Category.DONE_ON_TIME.value, seq  # the SQL's rule, the same answer
        assert view.category_label == DAY_UNKNOWN_LABEL, seq
        assert view.lateness == (
            "hoàn thành trong khoảng 01/02/2022 – 28/02/2022 (văn bản không ghi ngày), thời hạn 15/02/2022 "
            "nằm trong khoảng này: không tính vào tỷ lệ đúng hạn"
        ), seq
    # 04/KH-BCĐ's own parts, due at the month's end: done by their date, as the text says
    own = assignment_for(session, "04/KH-BCĐ:II.1", "so-tttt")
    view = get_assignment(session, own.id or 0, NOW)
    assert (view.category_label, view.lateness) == ("Hoàn thành đúng hạn", "")
    listed = list_assignments(session, NOW, agency="so-tttt", plan="/TB-UBND")
    said = [v.category_label for v in listed if v.item_code == "/TB-UBND:II.3.b"]
    assert sorted(said) == sorted([DAY_UNKNOWN_LABEL, DAY_UNKNOWN_LABEL, "Hoàn thành quá hạn"])


def test_no_rate_counts_them_either_way_nor_their_copy_on_time(session: Session) -> None:
    _loaded(session)
    rates = {r.agency_code: r for r in agency_rates(session, start=date(2022, 1, 1), end=date(2022, 3, 31), now=NOW)}
    tttt = rates["so-tttt"]
    assert tttt.tasks_day_unknown == 2
    # nothing else of Sở TT&TT's is done by 01/04 in a bare load: 04/KH-BCĐ II.1 and II.2, on time under
    # their own later date, are the same work and count no better than the Thông báo's parts; the
    # Kế hoạch, issued 10/03 (04/KH-BCĐ), late
    assert (tttt.tasks_on_time, tttt.tasks_late) == (0, 1)
    # the board's rate is the rates' (the same rule in its GROUP BY), today and looked back at
    assert _held_to_the_rates(session, NOW)["so-tttt"][0] == 0
    _held_to_the_rates(session, datetime(2022, 3, 20, 9, 0, tzinfo=LOCAL_TZ))
    # the trend's on-time line: none of the five
    week = LOCAL.end_of_day(date(2022, 3, 20))
    points = {p.at: p.on_time for p in weekly_trend(session, year=2022, now=NOW, local=LOCAL, roles=LEADERS)}
    assert points[week] == done_on_time(session, week, local=LOCAL, roles=LEADERS) == 0


def test_the_report_says_so_under_section_i(session: Session) -> None:
    """The six-month report of 2022: Sở TT&TT's two parts are in no rate of its row, and the note under
    section I says why, in every format; the table's "Hoàn thành đúng hạn" holds them."""
    from dondoc.engine.reports import build_report, render
    from dondoc.engine.reports.labels import period_notes

    _loaded(session)
    half = build_report(session, period_code="2022-H1", now=NOW)
    tttt = next(r for r in half.by_agency if r.code == "so-tttt").rates
    assert (tttt.tasks_day_unknown, tttt.tasks_late) == (2, 1)
    said = (
        "2 phần việc đến hạn trong kỳ được văn bản ghi là đã hoàn thành trong một khoảng thời gian (như «Tháng "
        "02/2022 (đã hoàn thành)») mà không ghi ngày, thời hạn của phần việc lại nằm trong khoảng đó"
    )
    assert [n for n in period_notes(half) if n.startswith(said)], period_notes(half)
    for fmt in ("html", "md"):
        assert said in " ".join(render(half, fmt).decode("utf-8").split()), fmt


def test_the_sql_and_the_python_rule_agree_on_windows(session: Session) -> None:
    """engine.status: the CASE and category() give every part the same category, done on a day no text
    gives before its date, around it, after it, or on a known day; and open, whatever its window."""
    from itertools import cycle, product

    from sqlalchemy import update
    from sqlmodel import select

    from dondoc.engine.models import Assignment, Milestone, State
    from tests.support.catalogs import MIN_CATALOG

    load_min_catalog(session, LOADED, MIN_CATALOG)
    due = datetime(2022, 6, 30, 16, 59, 59, tzinfo=LOCAL_TZ)
    days = [due.replace(day=d) for d in (10, 20)] + [due.replace(month=7, day=d) for d in (5, 15)]
    # (report, window's first instant): known days, a window ending before the date, around it, after it
    shapes = [(days[1], None), (days[2], None), (days[1], days[0]), (days[2], days[0]), (days[3], days[2])]
    states = [State.VERIFIED, State.REPORTED, State.IN_PROGRESS]
    rows = session.exec(select(Assignment).order_by(Assignment.id)).all()
    for row, (state, (reported, window)) in zip(rows, cycle(product(states, shapes)), strict=False):
        values = {"state": state.value, "due_at": due, "reported_at": reported, "done_from": window}
        session.execute(update(Assignment).where(Assignment.id == row.id).values(**values))
    session.commit()
    for now in (days[1], days[3] + timedelta(days=1)):
        python = {
            a.id: category(a.state, a.due_at, a.reported_at, m.start_date, now, a.closed_at, done_from=a.done_from)
            for a, m in session.exec(select(Assignment, Milestone).join(Milestone))
        }
        sql = {v.id: Category(v.category) for v in list_assignments(session, now)}
        assert sql == python, now
    assert Category.DONE_ON_TIME in python.values() and Category.DONE_LATE in python.values()
    unknown = [a for a in session.exec(select(Assignment)) if done_day_unknown(a.due_at, a.reported_at, a.done_from)]
    assert unknown and all(python[a.id] is Category.DONE_ON_TIME for a in unknown if a.state != State.IN_PROGRESS)
