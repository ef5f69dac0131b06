"""What a timeliness figure counts (engine.reports.counted), one rule for the rates, the periodic
reports and the trend's on-time line: no work due before the tracking start, whatever its plan's
issue day; no work without a date; the same work in two documents once for a body."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

from sqlmodel import Session

from dondoc.engine.actors import Actor
from dondoc.engine.clock import LOCAL_TZ, LocalDays
from dondoc.engine.reports.counted import done_on_time
from dondoc.engine.reports.rates import agency_rates
from dondoc.engine.reports.trend import weekly_trend
from dondoc.engine.services.assignments import Request, act
from dondoc.engine.services.tracking import set_tracking_start
from dondoc.engine.services.web_queries import board_summary
from dondoc.engine.status import Category, category
from dondoc.engine.workflow import Action
from dondoc.report_job import figures
from dondoc.web.trend_cache import TrendCache
from tests.factories import assignment_for, load_min_catalog
from tests.support.catalogs import copy_catalog, edit, notice_plan

LOCAL = LocalDays(LOCAL_TZ)
LEADERS = ("lead", "implementer")
PLAN = "plans/test-plan.yaml"
COPY_PLAN = notice_plan(
    "2022-03-01",
    """  - code: "98/TB-TEST:1"
    section: "1"
    title: "Phân loại hệ thống thông tin"
    content: "Phân loại hệ thống thông tin trước ngày 30/6/2022."
    source: "Mục 1"
    lead: [so-tttt]
    deadline: "trước ngày 30/6/2022"
    same_work_as: ["99/KH-TEST:II.1"]
""",
)


def _report(session: Session, item: str, agency: str, at: datetime, seq: int = 1) -> None:
    target = assignment_for(session, item, agency, seq).id or 0
    for action in (Action.ACKNOWLEDGE, Action.REPORT):
        act(session, target, Request(action, Actor.agency(agency), comment="Đã hoàn thành."), now=at)
        at += timedelta(minutes=5)
    session.commit()


def test_work_due_before_the_tracking_start_is_in_no_rate_whatever_its_plans_issue_day(
    session: Session, tmp_path: Path
) -> None:
    """04/KH-BCĐ, issued 10/03/2022 after the tracking start (01/03), its items due 28/02 and done by
    then: the Q1 mail said "đến hạn trong kỳ, tính tỷ lệ: 2; hoàn thành đúng hạn: 2 (100,0 %)", both
    of them, the line below saying work due before 01/03 is not counted; the leaders' page gave Sở
    TT&TT 80,0 % (4/5) beside the same note, and the trend counted them "cộng dồn từ 01/03/2022"."""
    catalog = copy_catalog(tmp_path)
    edit(catalog, PLAN, "issued: 2022-03-01", "issued: 2022-03-10")  # II.3: "Tháng 02/2022 (đã hoàn thành)"
    load_min_catalog(session, datetime(2022, 3, 10, 8, 0, tzinfo=LOCAL_TZ), catalog)
    set_tracking_start(session, date(2022, 3, 1))
    session.commit()
    done = assignment_for(session, "99/KH-TEST:II.3", "so-tttt")
    now = datetime(2022, 3, 25, 7, 0, tzinfo=LOCAL_TZ)
    assert category(done.state, done.due_at, done.reported_at, None, now) == Category.DONE_ON_TIME
    rates = {r.agency_code: r for r in agency_rates(session, start=date(2022, 1, 1), end=date(2022, 3, 31), now=now)}
    assert (rates["so-tttt"].tasks_due, rates["so-tttt"].tasks_on_time, rates["so-tttt"].on_time_rate) == (0, 0, None)
    assert rates["so-tttt"].tasks_before_tracking == 1 and rates["so-tttt"].tasks_given_late == 0
    # the quarter's mail, of the leaders' roles, reads the same rates
    told = figures(agency_rates(session, start=date(2022, 1, 1), end=date(2022, 3, 31), now=now, roles=LEADERS))
    assert (told["due"], told["done_on_time"], told["before_tracking"]) == (0, 0, 1)
    # the trend's on-time line, "cộng dồn từ 01/03/2022", and its week under way
    points = weekly_trend(session, year=2022, now=now, local=LOCAL, roles=LEADERS)
    assert [p.on_time for p in points if p.at >= LOCAL.start_of_day(date(2022, 3, 1))] == [0] * 4
    assert done_on_time(session, now, local=LOCAL, roles=LEADERS) == 0


def test_the_trends_on_time_line_counts_as_the_rates_do(session: Session, tmp_path: Path) -> None:
    """30/12/2022: the trend ended on "Hoàn thành đúng hạn … 221", the history 217: four parts done
    with no date (1834/UBND-KGVX:4), each the same work as a dated part of 117/KH-UBND counted
    already. A part with no date is no one's on-time record, and one piece of work counts once."""
    catalog = copy_catalog(tmp_path)
    (catalog / "plans" / "copy-plan.yaml").write_text(COPY_PLAN, encoding="utf-8")
    load_min_catalog(session, datetime(2022, 3, 2, 8, 0, tzinfo=LOCAL_TZ), catalog)  # no tracking start
    week = LOCAL.end_of_day(date(2022, 6, 5))
    before = {p.at: p.on_time for p in weekly_trend(session, year=2022, now=week, local=LOCAL, roles=LEADERS)}
    assert before[week] == 1  # so-tttt's II.3, done at the issue
    # vp-ubnd's II.2 has no date ("Theo lộ trình …"): done, it is "hoàn thành đúng hạn" on the board
    _report(session, "99/KH-TEST:II.2", "vp-ubnd", datetime(2022, 6, 1, 9, 0, tzinfo=LOCAL_TZ))
    undated = assignment_for(session, "99/KH-TEST:II.2", "vp-ubnd")
    assert category(undated.state, None, undated.reported_at, None, week) == Category.DONE_ON_TIME
    # so-tttt does II.1 (both milestones), and 98/TB-TEST:1, the same work, follows it
    _report(session, "99/KH-TEST:II.1", "so-tttt", datetime(2022, 6, 1, 10, 0, tzinfo=LOCAL_TZ))
    _report(session, "99/KH-TEST:II.1", "so-tttt", datetime(2022, 6, 2, 10, 0, tzinfo=LOCAL_TZ), seq=2)
    copy = assignment_for(session, "98/TB-TEST:1", "so-tttt")
    assert category(copy.state, copy.due_at, copy.reported_at, None, week) == Category.DONE_ON_TIME
    now = datetime(2022, 7, 20, 9, 0, tzinfo=LOCAL_TZ)
    after = {p.at: p.on_time for p in weekly_trend(session, year=2022, now=now, local=LOCAL, roles=LEADERS)}
    assert after[week] == 3  # and II.1's two milestones: not II.2, not the copy
    assert after[now] == done_on_time(session, now, local=LOCAL, roles=LEADERS) == 3
    # the leaders' page: its week under way as its past weeks (the board's column holds all five)
    shown = TrendCache().points(session, board_summary(session, now), year=2022, now=now, local=LOCAL, roles=LEADERS)
    assert shown[-1].at == now and shown[-1].on_time == 3
    # as so-tttt's rate counts them: the copy once, under the document it names (II.1's second is to come)
    year = agency_rates(session, start=date(2022, 1, 1), end=date(2022, 12, 31), now=now, roles=LEADERS)
    rates = {r.agency_code: r for r in year}
    assert (rates["so-tttt"].tasks_due, rates["so-tttt"].tasks_on_time) == (2, 2)  # II.3, II.1's first
    assert rates["vp-ubnd"].tasks_on_time == 0  # II.2, done with no date, is not in its rate either
