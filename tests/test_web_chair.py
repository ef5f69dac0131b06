"""Pages that read well: the leaders' page answers the chair's questions in order, milestones by
their names, overdue rows marked in words, the overdue list ordered by what matters now with the
pre-tracking backlog apart."""

from __future__ import annotations

import html
import io
import re
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path
from time import monotonic

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, update
from sqlmodel import Session, col, select

from dondoc.engine.actors import SECRETARIAT, Actor
from dondoc.engine.clock import LOCAL_TZ
from dondoc.engine.models import (
    OPEN_STATES,
    Agency,
    AgencyGroup,
    AgencyGroupMember,
    AgencyTransfer,
    Assignment,
    Milestone,
    Notification,
    Plan,
    PlanItem,
    TransferStatus,
)
from dondoc.engine.services.assignments import Request, act
from dondoc.engine.services.overdue_lists import (
    overdue_count,
    overdue_now,
    overdue_per_agency,
    pretracking_backlog,
    pretracking_count,
)
from dondoc.engine.services.queries import list_assignments
from dondoc.engine.services.tracking import set_tracking_start
from dondoc.engine.services.web_queries import board_summary, role_holders
from dondoc.engine.status import Category
from dondoc.engine.workcalendar import WorkCalendar
from dondoc.engine.workflow import Action
from dondoc.notifications import deliver
from dondoc.web.charts import board_chart
from dondoc.web.context import COMMITTEE_KEPT
from dondoc.web.pages import board_context
from dondoc.web.routers import agency as agency_router
from tests.factories import assignment_for, load_min_catalog
from tests.support.catalogs import copy_catalog, report_catalog
from tests.support.web import ITEM, WAITING, WebEnv, shown_count
from tests.test_catalog_same_work import OTHER, OTHER_PLAN

SHIPPED_POLICY = Path(__file__).resolve().parents[1] / "tasks_catalog" / "policy.yaml"

CALENDAR = WorkCalendar.default()
JULY = datetime(2022, 7, 20, 9, 0, tzinfo=LOCAL_TZ)


def _ids_in(html: str, section: str) -> list[int]:
    """The assignment ids of the rows of the table with id ``section``, in page order."""
    table = html.split(f'id="{section}"', 1)[1].split("</table>", 1)[0]
    return [int(i) for i in re.findall(r'data-id="(\d+)"', table)]


def test_the_leaders_page_leads_with_overdue_priority_items_then_ranking_then_trend(web: WebEnv) -> None:
    late = web.assignment(ITEM, "so-noi-vu")
    with Session(web.engine) as session:
        act(session, late, Request(Action.ACKNOWLEDGE, Actor.agency("so-noi-vu")), now=web.clock.now())
        done = web.assignment(ITEM, "so-tttt")
        act(session, done, Request(Action.ACKNOWLEDGE, Actor.agency("so-tttt")), now=web.clock.now())
        act(
            session,
            done,
            Request(Action.REPORT, Actor.agency("so-tttt"), comment="Đã hoàn thành."),
            now=web.clock.now(),
        )
        session.commit()
    web.clock.set(JULY)
    page = web.client.get(f"/leaders/{web.link('leader:chair')}")
    assert page.status_code == 200
    html = page.text
    order = [html.index(f'id="{anchor}"') for anchor in ("trong-tam", "xep-hang", "xu-huong", "overdue")]
    assert order == sorted(order), "priority items, ranking, trend, then the full list"
    # II.1 is a priority item (catalog `priority: true`): its four overdue 30/06 milestones lead
    assert late in _ids_in(html, "priority-overdue") and done not in _ids_in(html, "priority-overdue")
    assert "Nhiệm vụ trọng tâm đang quá hạn <small>(4 phần việc)</small>" in html
    # ranking: worst first; so-tttt (done on time, nothing overdue) is last, with a 100 % rate
    ranking = re.findall(r'<tr data-agency="([a-z-]+)"', html.split('id="ranking"', 1)[1].split("</table>")[0])
    assert ranking[-1] == "so-tttt" and ranking.index("so-noi-vu") < ranking.index("so-tttt")
    # 2021 holds none of the work followed: no column of "—" for it
    assert "2021" not in html.split('id="xep-hang"', 1)[1].split('id="xu-huong"', 1)[0]
    # the trend: an SVG with both series, one point per week of 2022 up to now (29 weeks and now)
    svg = html.split('<figure class="chart trend">', 1)[1].split("</figure>", 1)[0]
    assert svg.count('<polyline class="series"') == 2 and svg.count("<circle") == 2 * 30
    assert "Đang quá hạn (tại từng thời điểm, việc của mọi năm): 4" in svg  # now: II.1's four overdue 30/06
    assert "<script" not in html


def _ranking_rows(html: str) -> dict[str, str]:
    """The ranking's rows by agency code, in page order."""
    table = html.split('id="ranking"', 1)[1].split("</table>", 1)[0]
    return dict(re.findall(r'<tr data-agency="([a-z-]+)"[^>]*>(.*?)</tr>', table, flags=re.S))


def _cell(row: str, label: str) -> str:
    """The text of the cell labelled ``label`` in a ranking row, tags taken out."""
    cell = row.split(f'data-label="{label}">', 1)[1].split("</td>", 1)[0]
    return re.sub(r"<[^>]+>", "", cell)


def test_in_january_the_ranking_reads_the_year_before(web: WebEnv) -> None:
    """On 10/01/2023 every "Tỷ lệ đúng hạn năm 2023" read "—" (nothing of the year due yet) and
    the ranking fell back on names: the chair asking who is worst had no rate to read. The year
    before's rate stands beside this year's, and decides between bodies equal on both before it."""
    web.clock.set(datetime(2022, 6, 20, 9, 0, tzinfo=LOCAL_TZ))
    on_time, late = web.assignment(ITEM, "so-noi-vu"), web.assignment(ITEM, "so-tttt")
    with Session(web.engine) as session:
        for assignment, agency in ((on_time, "so-noi-vu"), (late, "so-tttt")):
            act(session, assignment, Request(Action.ACKNOWLEDGE, Actor.agency(agency)), now=web.clock.now())
        act(
            session,
            on_time,
            Request(Action.REPORT, Actor.agency("so-noi-vu"), comment="Đã hoàn thành."),
            now=web.clock.now(),
        )
        session.commit()
        act(
            session, late, Request(Action.REPORT, Actor.agency("so-tttt"), comment="Đã hoàn thành."), now=JULY
        )  # after its 30/06
        session.commit()
        # VP UBND tỉnh's 30/06 given on 10/07, after its date: out of its 2022 rate, and the row says so
        given = datetime(2022, 7, 10, 9, 0, tzinfo=LOCAL_TZ)
        vp = web.assignment(ITEM, "vp-ubnd")
        session.execute(update(Assignment).where(Assignment.id == vp).values(assigned_at=given))
        session.commit()
    web.clock.set(datetime(2023, 1, 10, 9, 0, tzinfo=LOCAL_TZ))
    html = web.client.get(f"/leaders/{web.link('leader:chair')}").text
    rows = _ranking_rows(html)
    previous = rows["vp-ubnd"].split('data-label="Tỷ lệ đúng hạn năm 2022">', 1)[1].split("</td>", 1)[0]
    assert "+1 giao sau thời hạn, không tính tỷ lệ" in previous
    assert "Tỷ lệ đúng hạn năm 2022</th>" in html and "Tỷ lệ đúng hạn năm 2023</th>" in html
    # both owe their 15/11 milestone alone; neither has a 2023 rate; 2022: Sở TT&TT 1 of 3 on time
    # (II.3, done before the plan; II.1's 30/06 reported late), Sở Nội vụ 1 of 2 (its II.3 is a
    # partner's, which the leaders are not told of): Sở TT&TT is the worse, though its name comes after
    for code, before in (("so-tttt", "33,3 % (1/3)"), ("so-noi-vu", "50,0 % (1/2)")):
        assert 'data-label="Đang quá hạn">1<' in rows[code], code
        assert 'data-label="Tỷ lệ đúng hạn năm 2023">—<' in rows[code], code
        assert _cell(rows[code], "Tỷ lệ đúng hạn năm 2022") == before, code
    codes = list(rows)
    assert codes.index("so-tttt") < codes.index("so-noi-vu")
    # kept between views (web/trend_cache.py), read anew when the history changes: the 15/11
    # milestone extended on 10/01/2023 into 2023 is no longer overdue, but it was at 2022's close,
    # and 2022 reads as it stood then (engine.reports.history): still 1 of 2 on time
    with Session(web.engine) as session:
        extended = web.assignment(ITEM, "so-noi-vu", 2)
        act(session, extended, Request(Action.EXTEND, SECRETARIAT, due=date(2023, 1, 31)), now=web.clock.now())
        session.commit()
    rows = _ranking_rows(web.client.get(f"/leaders/{web.link('leader:chair')}").text)
    assert _cell(rows["so-noi-vu"], "Tỷ lệ đúng hạn năm 2022") == "50,0 % (1/2)"
    assert 'data-label="Đang quá hạn">0<' in rows["so-noi-vu"]


def test_the_trend_shows_no_week_before_the_tracking_start_and_says_what_it_counts(web: WebEnv) -> None:
    """The 2022 trend plotted "đang quá hạn 0" for every week of January to May, months dondoc did not
    follow (about 600 parts were past due then), and its caption said its points were the board's
    counts, while they count what the leaders are told of (the ranking's roles)."""
    with Session(web.engine) as session:
        set_tracking_start(session, date(2022, 7, 15))
        session.commit()
    web.clock.set(JULY)  # Wednesday 20/07: the week ended Sunday 17/07, then now
    html = web.client.get(f"/leaders/{web.link('leader:chair')}").text
    svg = html.split('<figure class="chart trend">', 1)[1].split("</figure>", 1)[0]
    assert svg.count('<polyline class="series"') == 2 and svg.count("<circle") == 2 * 2
    assert "17/07/2022: đang quá hạn" in svg and "10/07/2022" not in svg
    caption = svg.split("<figcaption>", 1)[1]
    assert "từ khi bắt đầu theo dõi (15/07/2022; các tuần trước đó không có số liệu)" in caption
    assert "của cơ quan chủ trì, thực hiện (như danh sách và xếp hạng ở trên" in caption
    assert "trên bảng theo dõi" not in caption
    note = html.split('id="ranking-note">', 1)[1].split("</p>", 1)[0]
    assert "đếm mọi phần việc của cơ quan chủ trì, thực hiện đang quá hạn hôm nay" in note
    assert "việc có hạn trước ngày bắt đầu theo dõi (15/07/2022) không tính vào tỷ lệ năm 2022" in note
    # before the tracking start, no point at all, and no "Đang quá hạn: 0" drawn beside none
    web.clock.set(datetime(2022, 7, 14, 9, 0, tzinfo=LOCAL_TZ))
    html = web.client.get(f"/leaders/{web.link('leader:chair')}").text
    assert '<figure class="chart trend">' not in html
    assert "Chưa có số liệu theo tuần của năm 2022: việc theo dõi bắt đầu từ ngày 15/07/2022." in html


def test_each_trend_line_says_what_it_counts_in_its_legend_tooltips_and_end_value(web: WebEnv) -> None:
    """ "Diễn biến theo tuần năm 2023 … Hoàn thành đúng hạn: 251" read as 2023's on-time work: the
    green line is a running total since the tracking start (01/06/2022), the dashed one a count at
    each instant of work of any year, and only the caption said so. The 2022 chart's spike of 64
    overdue on 31/07 was mostly 117/KH-UBND work given after its date, which the caption left unsaid."""
    with Session(web.engine) as session:
        set_tracking_start(session, date(2022, 6, 1))
        session.commit()
    web.clock.set(JULY)
    html = web.client.get(f"/leaders/{web.link('leader:chair')}").text
    figure = html.split('<figure class="chart trend">', 1)[1].split("</figure>", 1)[0]
    legend = figure.split('<p class="legend">', 1)[1].split("</p>", 1)[0]
    assert "Hoàn thành đúng hạn (cộng dồn từ 01/06/2022): " in legend
    assert "Đang quá hạn (tại từng thời điểm, việc của mọi năm có hạn từ 01/06/2022): " in legend
    tips = re.findall(r"<title>([^<]*)</title>", figure.split("<svg", 1)[1])
    assert "17/07/2022: hoàn thành đúng hạn (cộng dồn từ 01/06/2022): 0" in tips
    assert "17/07/2022: đang quá hạn (tại từng thời điểm, việc của mọi năm có hạn từ 01/06/2022): 5" in tips
    # the end values, a number each, say whose they are when pointed at
    assert "Hoàn thành đúng hạn (cộng dồn từ 01/06/2022): 0" in tips
    caption = figure.split("<figcaption>", 1)[1]
    assert "kể cả việc được giao khi đã quá thời hạn của nó" in caption


def _first_milestones_leader_parts(session: Session) -> int:
    """How many lead's and implementers' parts ITEM's first milestone (due 30/06/2022) has."""
    first = session.exec(select(Milestone.id).join(PlanItem).where(PlanItem.code == ITEM, Milestone.seq == 1)).one()
    return session.exec(
        select(func.count())
        .select_from(Assignment)
        .where(Assignment.milestone_id == first, col(Assignment.role).in_(["lead", "implementer"]))
    ).one()


def test_the_key_tasks_left_open_from_before_the_tracking_start_are_counted_not_left_unsaid(web: WebEnv) -> None:
    """ "Không có nhiệm vụ trọng tâm nào đang quá hạn" while four parts of the chair's own notice, due
    02/2022, were open: work due before tracking began is never called overdue, and the page said
    nothing of it."""
    with Session(web.engine) as session:
        set_tracking_start(session, date(2022, 7, 1))
        session.execute(update(PlanItem).where(col(PlanItem.code) == ITEM).values(priority=True))
        session.commit()
        open_before = _first_milestones_leader_parts(session)
    web.clock.set(JULY)
    html = web.client.get(f"/leaders/{web.link('leader:chair')}").text
    assert 'id="no-priority-overdue"' in html  # due 30/06, before tracking began: not overdue
    note = html.split('id="priority-before-tracking">', 1)[1].split("</p>", 1)[0]
    assert open_before > 0 and note.startswith(
        f"Không kể {open_before} phần việc của nhiệm vụ trọng tâm có hạn trước ngày bắt đầu theo dõi (01/07/2022)"
    ), note


def test_the_ranking_says_it_counts_from_the_tracking_start_not_every_year(web: WebEnv) -> None:
    """The 2022 replay's ranking said "Đang quá hạn" counted "việc của các năm trước" and its columns
    "năm 2022", while tracking began on 01/06/2022: nothing due before it is ever overdue on the board,
    so UBND TP Quảng Ngãi ranked with 0 overdue and five parts of 2020–2021 open, and the year's
    columns held only June to December. The words say from when, and how many open parts they leave out."""
    with Session(web.engine) as session:
        set_tracking_start(session, date(2022, 7, 1))
        session.commit()
        left_out = _first_milestones_leader_parts(session)
    web.clock.set(JULY)
    html = " ".join(web.client.get(f"/leaders/{web.link('leader:chair')}").text.split())
    note = html.split('id="ranking-note">', 1)[1].split("</p>", 1)[0]
    assert "việc của các năm trước" not in note  # tracking began this year: no earlier year's work is counted
    said = f"không kể việc có hạn trước ngày bắt đầu theo dõi, 01/07/2022: {left_out} phần việc như vậy chưa hoàn thành"
    assert left_out > 0 and said in note, note
    head = html.split('<table class="grid stack" id="ranking">', 1)[1].split("</thead>", 1)[0]
    assert "Phần việc đến hạn năm 2022, từ ngày 01/07/2022 (không kể báo cáo định kỳ)" in head
    assert "Tỷ lệ đúng hạn năm 2022, từ ngày 01/07/2022" in head
    unranked = html.split('id="unranked">', 1)[1].split("</th>", 1)[0]
    assert unranked.endswith("(không kể việc có hạn trước ngày bắt đầu theo dõi, 01/07/2022)"), unranked
    # tracking from before the year: the earlier years' tracked work is counted, and said so
    with Session(web.engine) as session:
        set_tracking_start(session, date(2021, 6, 1))
        session.commit()
    html = " ".join(web.client.get(f"/leaders/{web.link('leader:chair')}").text.split())
    note = html.split('id="ranking-note">', 1)[1].split("</p>", 1)[0]
    assert "việc của các năm trước" in note and "không kể việc có hạn trước ngày bắt đầu theo dõi, 01/06/2021" in note
    head = html.split('<table class="grid stack" id="ranking">', 1)[1].split("</thead>", 1)[0]
    assert "Phần việc đến hạn năm 2022 (không kể báo cáo định kỳ)" in head


def test_a_plan_whose_text_gives_no_whole_date_is_dated_as_written(web: WebEnv) -> None:
    """The plans page dated /TB-UBND "19/01/2022", the meeting's day: the notice leaves its day blank."""
    with Session(web.engine) as session:
        session.execute(update(Plan).values(issued_as_written="ngày … tháng 03 năm 2022"))
        session.commit()
        plan_id = session.exec(select(Plan.id)).one()
    web.login()
    said = "ngày … tháng 03 năm 2022 (không ghi rõ ngày; tính từ ngày 01/03/2022)"
    assert said in web.client.get("/board/plans").text
    assert said in web.client.get(f"/board/plans/{plan_id}").text


def test_milestones_by_name_and_overdue_marked_in_words(web: WebEnv) -> None:
    web.clock.set(JULY)
    web.login()
    item_page = web.client.get("/board/plans").text
    plan_link = re.search(r'href="(/board/plans/\d+)"', item_page)
    assert plan_link
    plan = web.client.get(plan_link.group(1)).text
    assert "Phê duyệt cấp độ" in plan and "Triển khai phương án" in plan and "mốc 1" not in plan
    # due 30/06, seen 20/07/2022: 1, 4–8, 11–15, 18–20 July, the working days the mails count
    assert 'class="cat-dang_thuc_hien_qua_han overdue"' in plan and "Quá hạn 14 ngày làm việc" in plan
    token = web.link("agency:so-noi-vu")
    agency = web.client.get(f"/a/{token}").text
    assert '<tr class="cat-dang_thuc_hien_qua_han overdue">' in agency and "Quá hạn 14 ngày làm việc" in agency
    assert 'data-label="Hạn"' in agency  # cells labelled for the stacked layout on phones


def test_lateness_is_said_of_late_work_only_in_the_lists_words(web: WebEnv) -> None:
    """A 2019 report taken in as done at the tracking start read "Đã xác nhận · Trước khi theo dõi ·
    quá hạn 738 ngày làm việc" on its page (every audience's), where the board never counts such
    work as overdue; and work done late read "quá hạn 3 ngày" on its page, "Trễ 3 ngày" in the lists."""
    web.clock.set(datetime(2022, 7, 20, 9, 0, tzinfo=LOCAL_TZ))
    before, done_late, overdue = (
        web.assignment(ITEM, code, seq) for code, seq in (("so-noi-vu", 1), ("so-tttt", 2), ("vp-ubnd", 2))
    )
    with Session(web.engine) as session:
        set_tracking_start(session, date(2022, 7, 15))  # II.1's 30/06 milestone before it
        for assignment, agency in ((before, "so-noi-vu"), (done_late, "so-tttt")):
            act(session, assignment, Request(Action.ACKNOWLEDGE, Actor.agency(agency)), now=web.clock.now())
        act(
            session,
            before,
            Request(Action.REPORT, Actor.agency("so-noi-vu"), comment="Đã hoàn thành."),
            now=web.clock.now(),
        )
        # 15/11 (a Tuesday) reported on Friday 18/11: 16, 17, 18 November
        act(
            session,
            done_late,
            Request(Action.REPORT, Actor.agency("so-tttt"), comment="Đã hoàn thành."),
            now=datetime(2022, 11, 18, 9, 0, tzinfo=LOCAL_TZ),
        )
        session.commit()
    web.clock.set(datetime(2022, 11, 22, 9, 0, tzinfo=LOCAL_TZ))  # vp-ubnd's 15/11: 16–18, 21, 22 November
    web.login()
    said = {}
    for assignment in (before, done_late, overdue):
        page = web.client.get(f"/board/assignments/{assignment}").text
        state = page.split('id="state"', 1)[1].split("</dd>", 1)[0]
        said[assignment] = re.sub(r"<[^>]+>", "", state.split(">", 1)[1])
    assert said[before] == "Đã báo cáo · Trước khi theo dõi"
    assert said[done_late] == "Đã báo cáo · Hoàn thành quá hạn · Trễ 3 ngày làm việc"
    assert said[overdue] == "Đã giao · Đang thực hiện quá hạn · Quá hạn 5 ngày làm việc"
    listed = web.client.get("/board/assignments", params={"q": "99/KH-TEST:II.1"}).text
    for assignment, words in ((done_late, "Trễ 3 ngày làm việc"), (overdue, "Quá hạn 5 ngày làm việc")):
        row = listed.split(f'<tr data-id="{assignment}"', 1)[1].split("</tr>", 1)[0]
        assert words in row, assignment
    # the agency's own page and the plan's say it too (they said nothing of work done late)
    agency = web.client.get(f"/a/{web.link('agency:so-tttt')}").text
    assert '<span class="tag overdue-mark">Trễ 3 ngày làm việc</span>' in agency
    plan_id = int(re.search(r'href="/board/plans/(\d+)"', web.client.get("/board/plans").text).group(1))  # type: ignore[union-attr]
    assert "Trễ 3 ngày làm việc" in web.client.get(f"/board/plans/{plan_id}").text
    shown = web.client.get(f"/api/v1/assignments/{before}", headers=web.api_token("secretariat")).json()
    assert shown["category"] == "truoc_khi_theo_doi" and shown["days_late"] == 0


def test_the_overdue_list_puts_this_years_work_first_then_by_working_days_late(web: WebEnv) -> None:
    earlier, older, recent = (web.assignment(ITEM, a) for a in ("so-noi-vu", "vp-ubnd", "ubnd-binh-son"))
    due = {
        earlier: datetime(2022, 3, 31, 23, 59, 59, tzinfo=LOCAL_TZ),
        older: datetime(2021, 12, 15, 23, 59, 59, tzinfo=LOCAL_TZ),
        recent: datetime(2022, 6, 30, 23, 59, 59, tzinfo=LOCAL_TZ),
    }
    with Session(web.engine) as session:
        for assignment_id, at in due.items():
            session.execute(update(Assignment).where(Assignment.id == assignment_id).values(due_at=at))
        session.commit()
        rows = overdue_now(session, JULY, CALENDAR)
        ids = [r.view.id for r in rows]
        assert ids.index(earlier) < ids.index(recent) < ids.index(older)  # 2022's first, most late first
        assert [r.this_year for r in rows] == sorted((r.this_year for r in rows), reverse=True)
        late = {r.view.id: r.working_days_late for r in rows}
        assert late[recent] == 14  # 01–20/07/2022: 14 working days (facts.working_days_overdue)
        assert late[earlier] > late[recent]
    web.clock.set(JULY)
    web.login()
    board = web.client.get("/board").text
    assert _ids_in(board, "overdue").index(earlier) < _ids_in(board, "overdue").index(older)
    assert "Nhiệm vụ có hạn từ các năm trước" in board and "Quá hạn 14 ngày làm việc" in board


LATER = datetime(2022, 8, 2, 9, 0, tzinfo=LOCAL_TZ)  # the day three overdue parts were closed


def _reported_cancelled_verified_on_2_august(web: WebEnv) -> tuple[int, int, int]:
    """Three of ITEM's parts, overdue in July 2022, reported, cancelled, and reported then verified on
    02/08/2022 (``LATER``): (reported, cancelled, verified)."""
    reported, cancelled, verified = (web.assignment(ITEM, a) for a in ("so-noi-vu", "vp-ubnd", "ubnd-binh-son"))
    with Session(web.engine) as session:
        for assignment, agency in ((reported, "so-noi-vu"), (verified, "ubnd-binh-son")):
            act(session, assignment, Request(Action.ACKNOWLEDGE, Actor.agency(agency)), now=LATER)
            act(session, assignment, Request(Action.REPORT, Actor.agency(agency), comment="Xong."), now=LATER)
        act(session, verified, Request(Action.VERIFY, SECRETARIAT), now=LATER)
        act(session, cancelled, Request(Action.CANCEL, SECRETARIAT, comment="không còn phù hợp"), now=LATER)
        session.commit()
    return reported, cancelled, verified


def test_the_overdue_lists_judged_at_an_earlier_instant_count_what_was_open_then(web: WebEnv) -> None:
    """Read at 30/12/2022 (a look-back, ``--now``), the lists and the ranking said 49 parts overdue
    and the board's summary 51: two reports sent in January 2023 were judged by today's state.
    Work reported, or cancelled, after the instant was open at it, as the summary counts it."""
    reported, cancelled, verified = _reported_cancelled_verified_on_2_august(web)
    with Session(web.engine) as session:
        listed = {r.view.id for r in overdue_now(session, JULY, CALENDAR, limit=5000)}
        assert {reported, cancelled, verified} <= listed
        summary = board_summary(session, JULY)
        assert len(listed) == overdue_count(session, JULY) == summary.totals["dang_thuc_hien_qua_han"]
        owed = overdue_per_agency(session, JULY)
        assert owed["so-noi-vu"] == {r.code: r for r in summary.agencies}["so-noi-vu"].overdue
        now_listed = {r.view.id for r in overdue_now(session, LATER, CALENDAR, limit=5000)}
        assert not {reported, cancelled, verified} & now_listed  # today: done, or cancelled


def test_work_reported_then_cancelled_was_done_at_an_instant_between(web: WebEnv) -> None:
    """Due 30/06, reported 05/07, cancelled 05/08 (a body's part closed in a reorganisation): read at
    20/07 it was listed "Đang thực hiện quá hạn" while the trend, rebuilt from the history, said done
    late. Reported by the instant, it was done then, whatever happened to it later."""
    target = web.assignment(ITEM, "so-noi-vu")
    reported, cancelled = (datetime(2022, 7, d, 9, 0, tzinfo=LOCAL_TZ) for d in (5, 30))
    with Session(web.engine) as session:
        act(session, target, Request(Action.ACKNOWLEDGE, Actor.agency("so-noi-vu")), now=reported)
        act(session, target, Request(Action.REPORT, Actor.agency("so-noi-vu"), comment="Xong."), now=reported)
        act(session, target, Request(Action.CANCEL, SECRETARIAT, comment="cơ quan đã sáp nhập"), now=cancelled)
        session.commit()
        assert target not in {r.view.id for r in overdue_now(session, JULY, CALENDAR, limit=5000)}
        judged = {v.id: v.category for v in list_assignments(session, JULY)}
        assert judged[target] == Category.DONE_LATE.value
        summary = board_summary(session, JULY)
        assert overdue_count(session, JULY) == summary.totals["dang_thuc_hien_qua_han"]
        later = {v.id: v.category for v in list_assignments(session, cancelled)}
        assert later[target] == Category.CANCELLED.value


def test_who_holds_a_role_is_judged_at_the_pages_instant(web: WebEnv) -> None:
    """A look-back named a body "holding none of those roles" whose lead part was cancelled after the
    instant, and ranked a body for a role it was given only later."""
    lead = web.assignment(WAITING, "vp-ubnd")  # VP UBND's one lead part
    cancelled = datetime(2022, 7, 30, 9, 0, tzinfo=LOCAL_TZ)
    with Session(web.engine) as session:
        act(session, lead, Request(Action.CANCEL, SECRETARIAT, comment="không còn phù hợp"), now=cancelled)
        session.commit()
        assert "vp-ubnd" in role_holders(session, ("lead",), JULY)
        assert "vp-ubnd" not in role_holders(session, ("lead",), cancelled)
        session.execute(update(Assignment).where(col(Assignment.id) == lead).values(assigned_at=JULY))
        session.commit()
        assert "vp-ubnd" not in role_holders(session, ("lead",), JULY - timedelta(days=1))


def test_last_years_work_moved_into_this_year_by_a_day_off_is_last_years(web: WebEnv) -> None:
    """ "Năm 2022" (31/12/2022, a Saturday, due on 03/01/2023) led "Nhiệm vụ có hạn trong năm
    2023", ahead of work 196 days late, while the ranking beside it counted it as 2022's: a date
    belongs to the year its text gives, as the reports count it."""
    moved, fresh, old = (
        web.assignment(ITEM, "so-noi-vu", 2),
        web.assignment(ITEM, "so-noi-vu"),
        web.assignment(ITEM, "vp-ubnd"),
    )
    end = {"hour": 23, "minute": 59, "second": 59, "tzinfo": LOCAL_TZ}
    with Session(web.engine) as session:
        for assignment_id, written, due in (
            (moved, date(2022, 12, 31), datetime(2023, 1, 3, **end)),  # the text's day, and the working day
            (fresh, date(2023, 1, 5), datetime(2023, 1, 5, **end)),
        ):
            milestone_id = session.get_one(Assignment, assignment_id).milestone_id
            session.execute(update(Milestone).where(Milestone.id == milestone_id).values(due_date=written))
            values = {"due_at": due, "original_due_at": None, "state": "in_progress"}
            session.execute(update(Assignment).where(Assignment.id == assignment_id).values(**values))
        session.execute(update(Assignment).where(Assignment.id == old).values(due_at=datetime(2022, 6, 30, **end)))
        session.commit()
        rows = {r.view.id: r for r in overdue_now(session, datetime(2023, 2, 1, 9, 0, tzinfo=LOCAL_TZ), CALENDAR)}
    assert rows[fresh].this_year and not rows[moved].this_year and not rows[old].this_year
    order = list(rows)
    assert order.index(fresh) < order.index(old) < order.index(moved)  # then the most working days late first
    assert rows[moved].working_days_late < rows[old].working_days_late


def test_the_boards_rate_leaves_out_late_work_given_after_its_own_date(web: WebEnv) -> None:
    """Sở NN&PTNT read 80,0 % on the board and 100 % in the report: two parts of 117/KH-UBND,
    issued 27/07 with dates of 30/06, counted against it on the board alone. They are still
    counted in its columns; its rate leaves them out, as every rate does."""
    given_late, normal = web.assignment(ITEM, "so-noi-vu"), web.assignment(ITEM, "vp-ubnd")
    with Session(web.engine) as session:
        given = datetime(2022, 7, 10, 9, 0, tzinfo=LOCAL_TZ)  # after its 30/06 date
        session.execute(update(Assignment).where(Assignment.id == given_late).values(assigned_at=given))
        session.execute(update(Assignment).where(Assignment.id.in_([given_late, normal])).values(state="in_progress"))
        session.commit()
        rows = {row.code: row for row in board_summary(session, JULY).agencies}
    assert rows["so-noi-vu"].overdue == rows["vp-ubnd"].overdue == 1  # both in the column
    for code, apart in (("vp-ubnd", 0), ("so-noi-vu", 1)):
        r = rows[code]
        rated = r.done_on_time + r.done_late + r.overdue - apart
        assert r.on_time_rate == (r.done_on_time / rated if rated else None), code


def test_work_not_yet_given_is_not_said_to_be_given(web: WebEnv) -> None:
    """Sở TT&TT's page listed the reports of Quý II/2023 … Quý IV/2025 as "Đã giao", and their
    history "Giao nhiệm vụ 01/06/2022" (the day the catalog was loaded): they are handed out on their
    quarter's first day. Every page says when, and the history row says the day it takes effect."""
    later, given = web.assignment(ITEM, "so-noi-vu"), web.assignment(ITEM, "vp-ubnd")
    handed_out = datetime(2022, 10, 1, 0, 0, tzinfo=LOCAL_TZ)
    with Session(web.engine) as session:
        session.execute(update(Assignment).where(Assignment.id == later).values(assigned_at=handed_out))
        session.commit()
    web.clock.set(JULY)
    web.login()
    said = "Chưa giao (giao ngày 01/10/2022)"
    detail = web.client.get(f"/board/assignments/{later}").text
    assert f'<span class="state" id="state">{said}</span>' in detail
    assert "→ Đã giao từ ngày 01/10/2022</td>" in detail  # the history row of the catalog's loading
    other = web.client.get(f"/board/assignments/{given}").text
    assert '<span class="state" id="state">Đã giao</span>' in other and "Đã giao từ ngày" not in other
    # loaded after the plan's issue (01/03): the row recorded at loading says the day the text gave it
    assert '<span class="tag given-on">ngày giao theo văn bản: 01/03/2022</span>' in other
    agency = web.client.get(f"/a/{web.link('agency:so-noi-vu')}").text
    row = agency.split(f'/assignments/{later}"', 1)[1].split("</tr>", 1)[0]
    assert said in row and "Đã giao" not in row
    listed = web.client.get("/board/assignments?agency=so-noi-vu").text
    row = listed.split(f'<tr data-id="{later}"', 1)[1].split("</tr>", 1)[0]
    assert f"<td>{said}</td>" in row
    with Session(web.engine) as session:
        item = session.exec(select(Milestone.item_id).join(Assignment).where(Assignment.id == later)).one()
    assert said in web.client.get(f"/board/items/{item}").text


def test_an_items_page_lists_each_milestones_lead_first(web: WebEnv) -> None:
    """04/KH-BCĐ:II.4's page listed its lead (Sở TT&TT, "Tham mưu") 14th of 21, between two partners,
    in the agencies' alphabetical order: the lead, then the implementers, then the partners."""
    partner = web.assignment(ITEM, "so-noi-vu")  # "so-noi-vu" sorts before the lead "so-tttt"
    with Session(web.engine) as session:
        session.execute(update(Assignment).where(Assignment.id == partner).values(role="partner"))
        session.commit()
        item = session.exec(select(Milestone.item_id).join(Assignment).where(Assignment.id == partner)).one()
        roles = dict(
            session.exec(select(Assignment.id, Assignment.role).join(Milestone).where(Milestone.item_id == item)).all()
        )
    web.login()
    page = web.client.get(f"/board/items/{item}").text
    shown = [int(i) for i in re.findall(r'<summary><a href="/board/assignments/(\d+)">', page)]
    assert sorted(shown) == sorted(roles) and roles[partner] == "partner"
    rank = {"lead": 0, "implementer": 1, "partner": 2}
    seqs = {}
    with Session(web.engine) as session:
        for assignment in session.exec(select(Assignment).where(col(Assignment.id).in_(shown))):
            seqs[assignment.id] = session.get(Milestone, assignment.milestone_id).seq  # type: ignore[union-attr]
    assert [(seqs[i], rank[roles[i]]) for i in shown] == sorted((seqs[i], rank[roles[i]]) for i in shown)
    assert roles[shown[0]] == "lead"
    # the plan's page lists the item's parts in the same order
    with Session(web.engine) as session:
        plan = session.exec(select(PlanItem.plan_id).where(PlanItem.id == item)).one()
    listed = web.client.get(f"/board/plans/{plan}").text
    in_plan = [int(i) for i in re.findall(r'href="/board/assignments/(\d+)"', listed) if int(i) in roles]
    assert in_plan == shown


def test_the_boards_given_column_counts_only_work_given_by_now(web: WebEnv) -> None:
    """ "Được giao" had counted a later quarter's report, handed out on its quarter's first day, as
    work the body was given: it is still "Chưa đến hạn", not yet the body's. Once the day comes, it is."""
    later = web.assignment(ITEM, "so-noi-vu")
    handed_out = datetime(2022, 10, 1, 0, 0, tzinfo=LOCAL_TZ)
    with Session(web.engine) as session:
        session.execute(update(Assignment).where(Assignment.id == later).values(assigned_at=handed_out))
        session.commit()
        before = {row.code: row for row in board_summary(session, JULY).agencies}
        after = {row.code: row for row in board_summary(session, handed_out).agencies}
    for rows in (before, after):
        r = rows["vp-ubnd"]
        assert r.assigned == sum(r.counts.values()) - r.counts["da_huy"], "nothing of vp-ubnd's is still to give"
    r = before["so-noi-vu"]
    assert r.counts["chua_den_han"] >= 1, "the report not yet given is still counted as not yet due"
    assert r.assigned == sum(r.counts.values()) - r.counts["da_huy"] - 1
    # the chart above the table draws what the line counts (it had drawn the report not yet given)
    chart = board_chart(list(before.values()), {code: "" for code in before})
    assert {bar.label: bar.total for bar in chart.bars} == {row.name: row.assigned for row in before.values()}
    r = after["so-noi-vu"]
    assert r.assigned == sum(r.counts.values()) - r.counts["da_huy"]
    web.clock.set(JULY)
    web.login()
    board = web.client.get("/board").text
    row = board.split('<tr data-agency="so-noi-vu">', 1)[1].split("</tr>", 1)[0]
    assert shown_count(re.findall(r'<td class="num">([\d.]+)</td>', row)[0]) == before["so-noi-vu"].assigned
    assert 'cột "Được giao" của bảng theo cơ quan chỉ tính phần việc đã giao đến nay' in board


def test_a_body_that_no_longer_exists_is_ranked_nowhere_and_its_open_work_is_shown(web: WebEnv) -> None:
    """UBND Tây Trà, merged into Trà Bồng in 2020, stood 47th in a 2022 ranking: a body that
    ended is not ranked; the leaders are told it still holds work, and the board tells the
    secretariat, who must decide it, how much and how much already waits in "Cần phân công lại"."""
    held = web.assignment(ITEM, "so-noi-vu")
    with Session(web.engine) as session:
        body = session.exec(select(Agency).where(Agency.code == "so-noi-vu")).one()
        body.valid_to = date(2022, 7, 1)
        session.add(
            AgencyTransfer(
                assignment_id=held,
                succession_key="test-split",
                from_agency_id=body.id or 0,
                effective_on=date(2022, 7, 2),
                recorded_at=JULY,
                status=TransferStatus.PENDING,
                reason="tách",
            )
        )
        session.commit()
        unfinished = [
            a
            for a in session.exec(select(Assignment).where(Assignment.agency_id == body.id))
            if a.state in OPEN_STATES | {"reported"}
        ]
        row = {r.code: r for r in board_summary(session, JULY).agencies}["so-noi-vu"]
        alive = {r.code: r for r in board_summary(session, JULY).agencies}["so-tttt"]
    assert row.ended_on == date(2022, 7, 1) and alive.ended_on is None
    assert row.open_work == len(unfinished) >= 2 and row.open_work < row.assigned
    web.clock.set(JULY)
    html = web.client.get(f"/leaders/{web.link('leader:chair')}").text
    ranking = re.findall(r'<tr data-agency="([a-z-]+)"', html.split('id="ranking"', 1)[1].split("</table>")[0])
    assert "so-noi-vu" not in ranking and "so-tttt" in ranking
    note = html.split('id="ended-bodies">', 1)[1].split("</p>", 1)[0]
    assert note.startswith("Không xếp hạng cơ quan đã không còn: ")
    assert f"(hoạt động đến hết ngày 01/07/2022), vẫn đứng tên {row.open_work} phần việc chưa xong" in note
    assert f"trong đó {row.overdue} đang quá hạn" in note and '1 đang chờ ở "Cần phân công lại"' in note
    web.login()
    board = web.client.get("/board").text
    note = board.split('id="ended-bodies">', 1)[1].split("</p>", 1)[0]
    assert f'<a href="/board/assignments?agency=so-noi-vu">{row.open_work} phần việc</a>' in note
    assert "so-tttt" not in note and '<a href="/board/to-chuc-lai">Tổ chức lại</a>' in note
    with Session(web.engine) as session:  # the day it ends, it still exists: nothing said
        assert not {
            r.code for r in board_summary(session, datetime(2022, 7, 1, 16, 0, tzinfo=LOCAL_TZ)).agencies if r.ended_on
        }


def _ended_with_a_partner_part(web: WebEnv, partner: int) -> None:
    """Sở Nội vụ's assignment ``partner`` made a partner part, and the body ended on 01/07/2022."""
    with Session(web.engine) as session:
        session.execute(update(Assignment).where(col(Assignment.id) == partner).values(role="partner"))
        body = session.exec(select(Agency).where(Agency.code == "so-noi-vu")).one()
        body.valid_to = date(2022, 7, 1)
        session.commit()


def test_a_body_that_no_longer_exists_is_said_to_hold_its_open_parts_by_role(web: WebEnv) -> None:
    """ "UBND Tây Trà … vẫn đứng tên 7 phần việc chưa xong" were 3 as lead and 4 as partner, on a page
    that reads the leads' and implementers' work: the note says the parts by role, on the board too."""
    _ended_with_a_partner_part(web, web.assignment(ITEM, "so-noi-vu", 2))
    web.clock.set(JULY)
    html = web.client.get(f"/leaders/{web.link('leader:chair')}").text
    note = html.split('id="ended-bodies">', 1)[1].split("</p>", 1)[0]
    assert "vẫn đứng tên 2 phần việc chưa xong (1 thực hiện, 1 phối hợp)" in note
    web.login()
    board = web.client.get("/board").text.split('id="ended-bodies">', 1)[1].split("</p>", 1)[0]
    assert '<a href="/board/assignments?agency=so-noi-vu">2 phần việc</a> (1 thực hiện, 1 phối hợp)' in board


def test_an_ended_bodys_overdue_parts_are_said_by_role_too(web: WebEnv) -> None:
    """ "2 phần việc chưa xong (1 thực hiện, 1 phối hợp), trong đó 1 đang quá hạn" on the leaders' page
    read as the body's own work late, when the late part was the partner's input: said by role too."""
    _ended_with_a_partner_part(web, web.assignment(ITEM, "so-noi-vu"))  # due 30/06: overdue in July
    web.clock.set(JULY)
    said = "2 phần việc chưa xong (1 thực hiện, 1 phối hợp), trong đó 1 đang quá hạn (1 phối hợp)"
    html = web.client.get(f"/leaders/{web.link('leader:chair')}").text
    assert said in html.split('id="ended-bodies">', 1)[1].split("</p>", 1)[0]
    web.login()
    board = web.client.get("/board").text.split('id="ended-bodies">', 1)[1].split("</p>", 1)[0]
    assert "(1 thực hiện, 1 phối hợp), trong đó 1 đang quá hạn (1 phối hợp)" in board


def test_the_pre_tracking_backlog_is_shown_apart(web: WebEnv) -> None:
    with Session(web.engine) as session:
        set_tracking_start(session, date(2022, 7, 15))  # the plan (01/03) and its 30/06 milestone before it
        session.commit()
        count, backlog = pretracking_backlog(session, JULY)
        assert count == 5 and {v.category for v in backlog} == {"truoc_khi_theo_doi"}
        # "Được giao" counts the followed work, as the table's other columns do: not the backlog
        rows = board_summary(session, JULY).agencies
        before_total = sum(r.counts["truoc_khi_theo_doi"] for r in rows)
        assert before_total >= 5  # the open ones listed, and those done before it
        for r in rows:
            assert r.assigned == sum(r.counts.values()) - r.counts["da_huy"] - r.counts["truoc_khi_theo_doi"], r
        assert not {r.view.id for r in overdue_now(session, JULY, CALENDAR)} & {v.id for v in backlog}
    web.clock.set(JULY)
    web.login()
    board = web.client.get("/board").text
    assert 'id="backlog"' in board and "Tồn đọng trước khi theo dõi <small>(5 phần việc" in board
    # the tile counts the finished ones too (8 here): the note says so, and where the 5 open ones are
    tile = shown_count(re.findall(r'data-category="truoc_khi_theo_doi">([\d.]+)<', board)[0])
    assert tile == 8 and '(phần chưa xong: 5, ở mục "Tồn đọng trước khi theo dõi" cuối trang)' in html.unescape(board)
    # the tiles count parts (an agency's share of one dated obligation), not tasks: said so
    assert "Tổng số phần việc</span>" in board and "Tổng số nhiệm vụ" not in board and 'id="counts-note"' in board
    assert "Không có nhiệm vụ quá hạn." in board
    plans = web.client.get("/board/plans").text
    row = plans.split("99/KH-TEST</a>", 1)[1].split("</tr>", 1)[0]
    given, _, _, before = (shown_count(n) for n in re.findall(r'<td class="num[^"]*">([\d.]+)</td>', row)[1:])
    with Session(web.engine) as session:
        every = len(session.exec(select(Assignment)).all())
    assert before == before_total and given == every - before_total


def test_the_backlog_at_a_look_back_before_the_issue_day_holds_no_work_not_yet_given(web: WebEnv) -> None:
    """Read before its plan's issue day, work due before the tracking start is nobody's yet: the tiles
    count it "not yet due", and the backlog (its list, its count, the note's "phần chưa xong: 5")
    counted it as work owed, every other count judging it at its instant but this one."""
    with Session(web.engine) as session:
        set_tracking_start(session, date(2022, 7, 15))
        session.commit()
        given = {a.assigned_at for a in session.exec(select(Assignment)).all()}
        before = min(given) - timedelta(days=1)  # the day before the plan's (01/03/2022) work was given
        assert pretracking_backlog(session, JULY)[0] == 5  # given by July: the five open parts
        assert pretracking_backlog(session, before) == (0, [])
        assert pretracking_count(session, before, roles=("lead",)) == 0
        assert board_summary(session, before).totals["truoc_khi_theo_doi"] == 0
    web.clock.set(before)
    web.login()
    board = html.unescape(web.client.get("/board").text)
    assert "phần chưa xong" not in board and 'id="backlog"' not in board


def test_the_backlog_names_each_rows_milestone_as_every_list_does(web: WebEnv) -> None:
    """The backlog showed an item's two milestones (a quarterly report's quarters) as two like lines:
    each row names its milestone, as the overdue list and the queues do."""
    with Session(web.engine) as session:
        set_tracking_start(session, date(2022, 12, 1))  # both milestones (30/06, 15/11) before it
        session.commit()
    web.clock.set(datetime(2022, 12, 5, 9, 0, tzinfo=LOCAL_TZ))
    web.login()
    backlog = web.client.get("/board").text.split('id="backlog"', 1)[1].split("</table>", 1)[0]
    lines = [line for line in backlog.split("<tr") if "Phân loại hệ thống thông tin theo cấp độ" in line]
    assert any('<span class="muted">(Phê duyệt cấp độ)</span>' in line for line in lines), lines
    assert any('<span class="muted">(Triển khai phương án)</span>' in line for line in lines), lines


def test_the_secretariat_extends_and_the_list_follows(web: WebEnv) -> None:
    """An extension takes a row off the overdue list at once (the board reads the row now)."""
    target = web.assignment(ITEM, "so-noi-vu")
    with Session(web.engine) as session:
        assert target in {r.view.id for r in overdue_now(session, JULY, CALENDAR)}
        request = Request(Action.EXTEND, SECRETARIAT, comment="chờ số liệu", due=date(2022, 8, 31))
        act(session, target, request, now=JULY, calendar=CALENDAR)
        session.commit()
        assert target not in {r.view.id for r in overdue_now(session, JULY, CALENDAR)}


def test_the_year_befores_reports_have_a_rate_of_their_own_beside_its_tasks(web: WebEnv, tmp_path: Path) -> None:
    """Sở LĐ-TB&XH read "Tỷ lệ đúng hạn năm 2022: 100,0 %" while its 2022 annual report was 81 working days
    late: the tasks' rate leaves reports out, and the page had a report rate for this year only."""
    with Session(web.engine) as session:
        load_min_catalog(session, web.clock.now(), report_catalog(tmp_path))
        session.commit()
    web.clock.set(datetime(2023, 1, 10, 9, 0, tzinfo=LOCAL_TZ))
    html = web.client.get(f"/leaders/{web.link('leader:chair')}").text
    assert "Tỷ lệ báo cáo đúng hạn năm 2022</th>" in html
    assert "không tính báo cáo định kỳ (báo cáo có tỷ lệ riêng)" in html.split('id="ranking-note">', 1)[1]
    rows = _ranking_rows(html)
    # Sở Nội vụ sent none of its four 2022 quarterly reports
    assert _cell(rows["so-noi-vu"], "Báo cáo đúng hạn năm 2022") == "0,0 % (0/4)"


def test_each_rate_shows_the_counts_it_rests_on(web: WebEnv) -> None:
    """Đài PTTH's "0,0 %" and Cục Thuế's "100,0 %" for the year before each rested on one task
    (0/1 and 1/1), and broke ties in the ranking unsaid: each rate, this year's and the year
    before's, tasks and reports, shows its counts; a rate with nothing due stays "—" alone."""
    on_time, late = web.assignment(ITEM, "so-noi-vu"), web.assignment(ITEM, "so-tttt")
    with Session(web.engine) as session:
        act(session, on_time, Request(Action.ACKNOWLEDGE, Actor.agency("so-noi-vu")), now=web.clock.now())
        act(session, on_time, Request(Action.REPORT, Actor.agency("so-noi-vu"), comment="Xong."), now=web.clock.now())
        session.commit()
    web.clock.set(JULY)
    rows = _ranking_rows(web.client.get(f"/leaders/{web.link('leader:chair')}").text)
    assert _cell(rows["so-noi-vu"], "Tỷ lệ đúng hạn năm 2022") == "100,0 % (1/1)"
    assert _cell(rows["so-tttt"], "Tỷ lệ đúng hạn năm 2022") == "50,0 % (1/2)"  # II.3 done, II.1 late
    assert late and _cell(rows["so-noi-vu"], "Báo cáo đúng hạn năm 2022") == "—"
    web.clock.set(datetime(2023, 1, 10, 9, 0, tzinfo=LOCAL_TZ))
    rows = _ranking_rows(web.client.get(f"/leaders/{web.link('leader:chair')}").text)
    assert _cell(rows["so-noi-vu"], "Tỷ lệ đúng hạn năm 2023") == "—"
    assert _cell(rows["so-noi-vu"], "Tỷ lệ đúng hạn năm 2022") == "50,0 % (1/2)"  # its 15/11 late too


def test_an_explanation_answered_is_there_to_read_on_the_leaders_list(web: WebEnv) -> None:
    """The chair asked Sở Y tế why its report was late, Sở Y tế answered the next day, and the row
    showed the bare "Yêu cầu giải trình" button again, as on a row nobody had asked about."""
    target = web.assignment(ITEM, "so-noi-vu")
    asked, answered = datetime(2022, 7, 11, 9, 0, tzinfo=LOCAL_TZ), datetime(2022, 7, 12, 16, 0, tzinfo=LOCAL_TZ)
    with Session(web.engine) as session:
        act(
            session,
            target,
            Request(Action.REQUEST_EXPLANATION, Actor.parse("chair"), comment="Vì sao chậm?"),
            now=asked,
        )
        session.commit()
    web.clock.set(JULY)
    link = f"/leaders/{web.link('leader:chair')}"
    row = web.client.get(link).text.split(f'data-id="{target}"', 1)[1].split("</tr>", 1)[0]
    assert "Đã yêu cầu, chờ giải trình" in row and "Đã giải trình" not in row
    with Session(web.engine) as session:
        act(session, target, Request(Action.EXPLAIN, Actor.agency("so-noi-vu"), comment="Thiếu nhân sự."), now=answered)
        session.commit()
    row = web.client.get(link).text.split(f'data-id="{target}"', 1)[1].split("</tr>", 1)[0]
    assert f'<a class="tag explained" href="{link}/assignments/{target}">Đã giải trình ngày 12/07/2022</a>' in row
    assert "chờ giải trình" not in row and "Yêu cầu giải trình</button>" in row  # the chair may ask again


def test_the_chairs_mail_of_an_answer_opens_the_part_and_its_answer(web: WebEnv) -> None:
    """The chair's mail of Sở Tài chính's answer (2022 replay, assignment 2851, extended) linked the
    leaders' list only, which no longer listed the part: the chair could not reach what it was about.
    Its link opens the part's leaders' page, which shows the request and the answer."""
    target = web.assignment(ITEM, "so-noi-vu")
    with Session(web.engine) as session:
        ask = Request(Action.REQUEST_EXPLANATION, Actor.parse("chair"), comment="Vì sao chậm?")
        act(session, target, ask, now=datetime(2022, 7, 11, 9, 0, tzinfo=LOCAL_TZ))
        answer = Request(Action.EXPLAIN, Actor.agency("so-noi-vu"), comment="Thiếu nhân sự.")
        act(session, target, answer, now=datetime(2022, 7, 12, 16, 0, tzinfo=LOCAL_TZ))
        session.commit()
    web.clock.set(JULY)
    deliver(web.engine, now=web.clock.now(), settings=web.settings)
    with Session(web.engine) as session:
        to_chair = col(Notification.kind) == "explanation_answer", col(Notification.recipient_role) == "chair"
        mail = session.exec(select(Notification).where(*to_chair)).one()
    found = re.search(rf"http://testserver(/leaders/[^\s/]+/assignments/{target})\n", mail.body_text)
    assert found is not None, mail.body_text
    page = web.client.get(found.group(1))
    assert page.status_code == 200 and "Vì sao chậm?" in page.text and "Thiếu nhân sự." in page.text


def test_a_row_without_the_request_form_says_the_rule_books_reason_at_a_past_instant(web: WebEnv) -> None:
    """The leaders' page read at 30/06/2025 said of ten overdue rows "Cơ quan đã được tổ chức lại:
    phần việc chờ Tổ giúp việc phân công lại" (Sở Tư pháp, VP UBND tỉnh, …), none of them reorganised
    and nothing in that queue: their work was reported, verified or cancelled after the instant, and
    the page said the one reason it knew of every row it drew no form on. A row says the rule book's:
    it had said 'phần việc đang ở trạng thái "Đã xác nhận"' beside "Quá hạn … · Đang thực hiện", the
    state today against the state then in one row; the click is refused because nothing is written
    before a part's last event (history_order.backdated), and the row says so."""
    reported, cancelled, verified = _reported_cancelled_verified_on_2_august(web)
    web.clock.set(JULY)  # before the three steps: the three rows were overdue then
    page = html.unescape(web.client.get(f"/leaders/{web.link('leader:chair')}").text)
    for target in (reported, cancelled, verified):
        row = page.split(f'data-id="{target}"', 1)[1].split("</tr>", 1)[0]
        assert "/explanation" not in row and "tổ chức lại" not in row and "đang ở trạng thái" not in row, row
        said = 'Không thể "Yêu cầu giải trình": nhật ký của phần việc đã có sự kiện lúc 02/08/2022'
        assert said in row and "sau thời điểm đang xem; không ghi lùi thời gian." in row, row
    assert "tổ chức lại" not in page.split('id="overdue"', 1)[1]
    # a row the rule book allows keeps its form
    open_row = web.assignment(ITEM, "ubnd-ly-son")
    row = page.split(f'data-id="{open_row}"', 1)[1].split("</tr>", 1)[0]
    assert f"/assignments/{open_row}/explanation" in row and "Không thể" not in row


def test_an_undecided_extension_request_is_said_on_the_leaders_row_as_their_digest_says_it(web: WebEnv) -> None:
    """The chair's digest of 19/08/2022 said of Sở Ngoại vụ's row that its request to extend to
    31/08/2022, sent on 03/08/2022, had waited 12 working days for the secretariat; the leaders'
    page that day said "Quá hạn 35 ngày làm việc" alone. The row says it in the digest's words
    (explanations.extension_waiting_words), of a request open at the page's instant."""
    target, other = web.assignment(ITEM, "so-noi-vu"), web.assignment(ITEM, "vp-ubnd")  # due 30/06
    ask = Request(Action.REQUEST_EXTENSION, Actor.agency("so-noi-vu"), comment="Chờ kinh phí.", due=date(2022, 8, 15))
    with Session(web.engine) as session:
        act(session, target, ask, now=datetime(2022, 7, 5, 9, 0, tzinfo=LOCAL_TZ))
        session.commit()

    def rows(now: datetime) -> dict[int, str]:
        web.clock.set(now)
        page = html.unescape(web.client.get(f"/leaders/{web.link('leader:chair')}").text)
        return {i: page.split(f'data-id="{i}"', 1)[1].split("</tr>", 1)[0] for i in (target, other)}

    said = (  # 6–8, 11–15, 18–20 July: eleven working days since the request
        "Đề nghị gia hạn đến ngày 15/08/2022, gửi ngày 05/07/2022, "
        "đang chờ Tổ giúp việc trả lời (đã chờ 11 ngày làm việc)."
    )
    seen = rows(JULY)
    assert said in seen[target] and "đề nghị gia hạn" not in seen[other]
    refused = Request(Action.REFUSE_EXTENSION, SECRETARIAT, comment="Không đủ căn cứ.")
    with Session(web.engine) as session:
        act(session, target, refused, now=datetime(2022, 7, 25, 9, 0, tzinfo=LOCAL_TZ))
        session.commit()
    assert "đề nghị gia hạn" not in rows(datetime(2022, 7, 26, 9, 0, tzinfo=LOCAL_TZ))[target]  # decided
    assert said in rows(JULY)[target]  # a look-back into the days it waited says it still
    assert "đề nghị gia hạn" not in rows(datetime(2022, 7, 4, 9, 0, tzinfo=LOCAL_TZ))[target]  # not yet asked


def test_before_a_day_counted_through_it_is_said_on_every_page_as_the_mails_say_it(web: WebEnv) -> None:
    """ "30/06/2022 “trước ngày 30/6/2022”" read a day later than the text: "trước" excludes the day,
    and the installation counts it in (conventions.yaml: before_date_means: end_of_day). The mails
    said whose reading it is ("Tổ giúp việc tính cả ngày 30/06/2022"); the pages and the workbook did
    not. An extended date is the secretariat's own: nothing of the kind is said of it."""
    extended = web.assignment(ITEM, "so-noi-vu")
    with Session(web.engine) as session:
        request = Request(Action.EXTEND, SECRETARIAT, comment="chờ số liệu", due=date(2022, 7, 15))
        act(session, extended, request, now=datetime(2022, 7, 1, 9, 0, tzinfo=LOCAL_TZ), calendar=CALENDAR)
        session.commit()
    target = web.assignment(ITEM, "vp-ubnd")
    web.clock.set(JULY)
    said = (
        '30/06/2022 <span class="muted">“trước ngày 30/6/2022”</span> '
        '<span class="muted date-note">(Tổ giúp việc tính cả ngày 30/06/2022)</span>'
    )

    def row(page: str, key: str) -> str:
        return page.split(key, 1)[1].split("</tr>", 1)[0]

    leaders = web.client.get(f"/leaders/{web.link('leader:chair')}").text
    assert said in row(leaders, f'data-id="{target}"')
    assert "tính cả ngày" not in row(leaders, f'data-id="{extended}"')
    web.login()
    listed = web.client.get("/board/assignments", params={"q": "99/KH-TEST:II.1"}).text
    assert said in row(listed, f'<tr data-id="{target}"')
    assert "tính cả ngày" not in row(listed, f'<tr data-id="{extended}"')
    assert said in row(web.client.get("/board").text, f'data-id="{target}"')  # the overdue list
    assert f"<dt>Thời hạn</dt><dd>{said}" in web.client.get(f"/board/assignments/{target}").text
    own = web.client.get(f"/a/{web.link('agency:vp-ubnd')}").text
    assert said in row(own, f'/assignments/{target}"')
    late = load_workbook(io.BytesIO(web.client.get("/board/export.xlsx").content))["Quá hạn"]
    notes = {(r[1], r[5]): r[9] for r in late.iter_rows(min_row=2, values_only=True)}
    assert notes[(ITEM, "Văn phòng UBND tỉnh")] == "Tổ giúp việc tính cả ngày 30/06/2022", notes
    # the item's page and its plan's say it beside the date too (both with the phrase: a named
    # milestone), and of the extended part only that it was extended
    note = '<span class="muted date-note">(Tổ giúp việc tính cả ngày 30/06/2022)</span>'
    with Session(web.engine) as session:
        part = session.get(Assignment, target)
        assert part is not None
        milestone = session.get(Milestone, part.milestone_id)
        assert milestone is not None
        item = session.get(PlanItem, milestone.item_id)
        assert item is not None
    item_page = web.client.get(f"/board/items/{item.id}").text
    # with the text's phrase, which the milestone's name hides, as on the plan's page
    assert f"hạn {said}" in item_page.split(f'/board/assignments/{target}"', 1)[1].split("</summary>", 1)[0]
    extended_row = item_page.split(f'/board/assignments/{extended}"', 1)[1].split("</summary>", 1)[0]
    assert "đã gia hạn" in extended_row and "tính cả ngày" not in extended_row
    plan_page = web.client.get(f"/board/plans/{item.plan_id}").text
    assert note in row(plan_page, f'/board/assignments/{target}"')
    assert "tính cả ngày" not in str(notes.get((ITEM, "Sở Nội vụ"), ""))


def test_an_extended_date_is_not_shown_beside_the_texts_phrase_as_if_it_were_the_texts(web: WebEnv) -> None:
    """The leaders' overdue list read "10/03/2023 “Năm 2022”": a date the secretariat extended to,
    beside the document's phrase of the first one. The mails said "đã gia hạn"; the lists did not."""
    target = web.assignment(ITEM, "so-noi-vu")
    with Session(web.engine) as session:
        request = Request(Action.EXTEND, SECRETARIAT, comment="chờ số liệu", due=date(2022, 7, 15))
        act(session, target, request, now=datetime(2022, 7, 1, 9, 0, tzinfo=LOCAL_TZ), calendar=CALENDAR)
        session.commit()
    web.clock.set(JULY)  # past the new date too: still overdue
    said = (
        '15/07/2022 <span class="muted extended">(đã gia hạn; thời hạn ban đầu: “trước ngày 30/6/2022”, '
        "hạn cuối ngày 30/06/2022)</span>"
    )
    leaders = web.client.get(f"/leaders/{web.link('leader:chair')}").text
    row = leaders.split(f'data-id="{target}"', 1)[1].split("</tr>", 1)[0]
    assert said in row
    web.login()
    listed = web.client.get("/board/assignments", params={"q": "99/KH-TEST:II.1"}).text
    assert said in listed.split(f'<tr data-id="{target}"', 1)[1].split("</tr>", 1)[0]
    other = web.assignment(ITEM, "vp-ubnd")  # not extended: the text's phrase, as written
    assert "“trước ngày 30/6/2022”" in listed.split(f'<tr data-id="{other}"', 1)[1].split("</tr>", 1)[0]
    # the agency's own list and the assignment's page read "15/07/2022 “trước ngày 30/6/2022”" and
    # "15/07/2022 (“trước ngày 30/6/2022”) hạn ban đầu 30/06/2022": the text's phrase beside a date it never set
    token = web.link("agency:so-noi-vu")
    own = web.client.get(f"/a/{token}").text
    assert said in own.split(f'/assignments/{target}"', 1)[1].split("</tr>", 1)[0]
    page = web.client.get(f"/board/assignments/{target}").text
    assert f"<dt>Thời hạn</dt><dd>{said}" in page


def test_an_overdue_list_cut_at_its_limit_says_how_many_there_are(web: WebEnv, monkeypatch) -> None:
    """The board's and the leaders' overdue lists show their first rows: the page says how many
    overdue tasks there are in all (the board's own count) and links to every one of them."""
    import dondoc.web.pages as pages

    web.clock.set(JULY)
    with Session(web.engine) as session:
        total = len(overdue_now(session, JULY, CALENDAR, limit=1000))
        assert total >= 4
        assert overdue_count(session, JULY) == total == board_summary(session, JULY).totals["dang_thuc_hien_qua_han"]
        priority = len(overdue_now(session, JULY, CALENDAR, priority_only=True))
        assert overdue_count(session, JULY, priority_only=True) == priority > 3
    monkeypatch.setattr(pages, "LEADERS_OVERDUE", (2, 5000))
    monkeypatch.setattr(pages, "PRIORITY_OVERDUE", 3)
    chair = web.link("leader:chair")
    html = web.client.get(f"/leaders/{chair}").text
    assert len(_ids_in(html, "overdue")) == 2
    assert f"Danh sách trên có 2 trong tổng số {total} phần việc đang quá hạn." in html
    assert "?qua-han=tat-ca#qua-han" in html
    # the priority list's heading counts every overdue priority task, not the rows shown
    assert (
        len(_ids_in(html, "priority-overdue")) == 3
        and f"Nhiệm vụ trọng tâm đang quá hạn <small>({priority} phần việc)</small>" in html
    )
    every = web.client.get(f"/leaders/{chair}?qua-han=tat-ca").text
    assert len(_ids_in(every, "overdue")) == total and "Danh sách trên có" not in every.split('id="overdue"')[1]
    # the board: the note, a link to every row in the list's own order ("Xem tất cả" had opened the
    # filterable list, ordered by item code under a heading that promised this year's work first), and
    # one to the filterable list (exportable, bulk actions)
    web.login()
    board_html = web.client.get("/board").text
    assert len(_ids_in(board_html, "overdue")) == 2
    assert (
        f'Danh sách trên có 2 trong tổng số {total} phần việc đang quá hạn. <a href="/board?qua-han=tat-ca#qua-han">'
        in (board_html)
    )
    with Session(web.engine) as session:
        ordered = [r.view.id for r in overdue_now(session, JULY, CALENDAR, limit=1000)]
    assert _ids_in(web.client.get("/board?qua-han=tat-ca").text, "overdue") == ordered
    assert '<a href="/board/assignments?status=dang_thuc_hien_qua_han">' in board_html
    listed = web.client.get("/board/assignments?status=dang_thuc_hien_qua_han")
    assert listed.status_code == 200 and len(set(re.findall(r'data-id="(\d+)"', listed.text))) >= total
    assert web.client.get("/board?qua-han=50").status_code == 422  # only the value its link writes


def _chair_page_with_a_partner(web: WebEnv) -> tuple[int, str]:
    """Sở Nội vụ made a partner of II.1 (overdue 30/06) and the chair's page on 20/07: its id and the page."""
    partner = web.assignment(ITEM, "so-noi-vu")
    with Session(web.engine) as session:
        session.execute(update(Assignment).where(Assignment.id == partner).values(role="partner"))
        session.commit()
    web.clock.set(JULY)
    return partner, web.client.get(f"/leaders/{web.link('leader:chair')}").text


def test_the_leaders_page_shows_and_ranks_what_the_leaders_are_told_of(web: WebEnv) -> None:
    """The policy's rungs to the leaders concern the lead and the implementers (policy.yaml
    `roles:`): a partner's late input is its lead's and the secretariat's to chase. The leaders'
    lists and ranking read that table, as their digest does; the secretariat's board lists all."""
    implementer = web.assignment(ITEM, "vp-ubnd")
    partner, html = _chair_page_with_a_partner(web)
    for section in ("priority-overdue", "overdue"):
        shown = _ids_in(html, section)
        assert implementer in shown and partner not in shown, section
    assert "Nhiệm vụ trọng tâm đang quá hạn <small>(4 phần việc)</small>" in html  # five overdue 30/06, one a partner's
    ranking = html.split('id="ranking"', 1)[1].split("</table>", 1)[0]
    row = ranking.split('data-agency="so-noi-vu"', 1)[1].split("</tr>", 1)[0]
    assert 'data-label="Đang quá hạn">0<' in row  # its only overdue work is a partner's part
    assert "tính phần việc của cơ quan chủ trì, thực hiện; việc của cơ quan phối hợp do cơ quan chủ trì" in html
    # its trend counts the same: now's point is the ranking's total, not every role's five
    svg = html.split('<figure class="chart trend">', 1)[1].split("</figure>", 1)[0]
    ranked = sum(shown_count(n) for n in re.findall(r'data-label="Đang quá hạn">([\d.]+)<', ranking))
    assert ranked == 4 and f"Đang quá hạn (tại từng thời điểm, việc của mọi năm): {ranked}<" in svg  # the legend
    web.login()
    assert partner in _ids_in(web.client.get("/board").text, "overdue")  # the secretariat still sees it


def test_each_heading_and_note_says_what_its_number_counts(web: WebEnv) -> None:
    """ "Tổng hợp: Đang thực hiện quá hạn 81" stood beside the list's "tổng số 68", explained as
    "Bảng tổng hợp tính mọi nhiệm vụ" (it counts every role, not every task); and "Nhiệm vụ đến
    hạn năm 2023", "Nhiệm vụ quá hạn" counted parts (agency × deadline), not tasks."""
    _, html = _chair_page_with_a_partner(web)  # five overdue parts of II.1, one a partner's
    assert "mọi nhiệm vụ" not in html and "Nhiệm vụ đến hạn" not in html
    note = html.split('id="leader-roles">', 1)[1].split("</p>", 1)[0]
    assert "Bảng tổng hợp tính phần việc của mọi vai trò (cả phối hợp)" in note
    assert "Tổng hợp <small>(phần việc của mọi vai trò)</small>" in html
    counts = html.split('id="tong-hop"', 1)[1]
    assert 'data-category="dang_thuc_hien_qua_han">5<' in counts  # every role: the partner's part too
    # tasks only: the periodic reports have a column of their own (a body with reports due read 0)
    assert '<th class="num">Phần việc đến hạn năm 2022 (không kể báo cáo định kỳ)</th>' in html
    assert "Nhiệm vụ trọng tâm đang quá hạn <small>(4 phần việc)</small>" in html  # four parts of one task
    assert '<h2 id="qua-han">Phần việc quá hạn <small>(của cơ quan chủ trì, thực hiện)</small></h2>' in html
    assert "tỷ lệ đúng hạn của mỗi năm chỉ tính phần việc có hạn" in html


def test_with_partners_on_the_leaders_rungs_the_page_counts_them_and_says_nothing_of_leaving_them_out(
    web: WebEnv, tmp_path: Path
) -> None:
    """The sentence "việc của cơ quan phối hợp do cơ quan chủ trì … đôn đốc" is true only when the
    policy's rungs to the leaders leave partners out; a province whose policy tells the chair of late
    partners too has their work listed and ranked, and no such sentence."""
    policy = tmp_path / "policy.yaml"
    policy.write_text(
        SHIPPED_POLICY.read_text(encoding="utf-8").replace(
            "roles: [lead, implementer]", "roles: [lead, implementer, partner]"
        ),
        encoding="utf-8",
    )
    web.settings.policy_file = policy
    partner, html = _chair_page_with_a_partner(web)
    assert partner in _ids_in(html, "overdue")
    assert "tính phần việc của cơ quan chủ trì, thực hiện, phối hợp. Bảng tổng hợp" in html
    assert "việc của cơ quan phối hợp do cơ quan chủ trì" not in html


def test_a_body_with_nothing_due_is_listed_unranked_and_a_partner_only_body_apart(web: WebEnv) -> None:
    """In 2023 ranks 37–47 were bodies with 0 overdue and every rate "—", and BHXH tỉnh, Bộ Nội vụ,
    Cục Cơ yếu and VNPT (partners only) were ranked on a page that reads the leads' and the
    implementers' work: a rank goes to a body with something to compare; the others follow
    without one, under a line saying why, and the partners only are named apart."""
    with Session(web.engine) as session:  # Sở Nội vụ a partner of II.1 too: it holds partners' parts only
        body = session.exec(select(Agency).where(Agency.code == "so-noi-vu")).one()
        name = body.short
        session.execute(update(Assignment).where(col(Assignment.agency_id) == body.id).values(role="partner"))
        session.commit()
    web.clock.set(datetime(2022, 6, 20, 9, 0, tzinfo=LOCAL_TZ))  # II.1 not yet due: II.3 (done) alone is
    html = web.client.get(f"/leaders/{web.link('leader:chair')}").text
    rows = _ranking_rows(html)
    assert "so-noi-vu" not in rows
    assert 'data-label="Hạng">1<' in rows["so-tttt"] and _cell(rows["so-tttt"], "Tỷ lệ đúng hạn năm 2022") != "—"
    table = html.split('id="ranking"', 1)[1].split("</table>", 1)[0]
    unranked = table.split('id="unranked"', 1)[1]
    assert "Chưa xếp hạng: chưa có phần việc của cơ quan chủ trì, thực hiện nào đến hạn trong năm 2022" in unranked
    for code in ("vp-ubnd", "ubnd-binh-son"):
        assert f'data-agency="{code}"' in unranked and 'data-label="Hạng"><' in rows[code], code
    assert 'data-agency="so-tttt"' not in unranked
    note = html.split('id="outside-roles">', 1)[1].split("</p>", 1)[0]
    assert note == f"Không xếp hạng cơ quan không có phần việc nào với vai trò chủ trì, thực hiện: {name}."


def test_a_rate_beside_overdue_work_says_what_it_leaves_out(web: WebEnv) -> None:
    """UBND Sơn Hà read "Đang quá hạn 3 — đến hạn 3 — Tỷ lệ đúng hạn 100,0 %": work given after its
    own date is overdue, yet counts neither for nor against the rate. The row says how many."""
    named_late = web.assignment(ITEM, "vp-ubnd")
    with Session(web.engine) as session:  # named on 05/07, after its date of 30/06 (as the secretariat names a body)
        given = datetime(2022, 7, 5, 9, 0, tzinfo=LOCAL_TZ)
        session.execute(update(Assignment).where(Assignment.id == named_late).values(assigned_at=given))  # type: ignore[arg-type]
        session.commit()
    web.clock.set(JULY)
    html = web.client.get(f"/leaders/{web.link('leader:chair')}").text
    table = html.split('id="ranking"', 1)[1].split("</table>")[0]
    row = table.split('<tr data-agency="vp-ubnd"', 1)[1].split("</tr>", 1)[0]
    assert "+1 giao sau thời hạn, không tính tỷ lệ" in row
    other = table.split('<tr data-agency="so-noi-vu"', 1)[1].split("</tr>", 1)[0]
    assert "giao sau thời hạn" not in other
    assert 'id="ranking-note"' in html


def test_an_agency_pages_role_headings_count_every_page(web: WebEnv, monkeypatch: pytest.MonkeyPatch) -> None:
    """With done work shown, Sở Tài chính's "Chủ trì" heading fell from 14 to 11: it counted the
    rows of its page of 100, not the role's. Each heading counts every page; a page that holds a
    part says how many of them are on it."""
    monkeypatch.setattr(agency_router, "PAGE_SIZE", 1)
    token = web.link("agency:so-noi-vu")
    with Session(web.engine) as session:
        agency_id = session.exec(select(Agency.id).where(Agency.code == "so-noi-vu")).one()
        roles = session.exec(select(Assignment.role).where(Assignment.agency_id == agency_id)).all()
    for shown in ("", "?all=1"):
        html = web.client.get(f"/a/{token}{shown}").text
        counted = [int(n) for n in re.findall(r'<h2 data-role-count="(\d+)">', html)]
        if shown:  # every row of the agency, done ones too
            assert sorted(counted, reverse=True) == sorted(Counter(roles).values(), reverse=True) + [0] * (
                len(counted) - len(Counter(roles))
            )
        assert sum(counted) > 1 and re.search(r"; trang này [01]\)", html)  # one row a page: it holds a part


def test_one_piece_of_work_under_two_documents_is_said_to_be_one_in_the_overdue_lists(
    web: WebEnv, tmp_path: Path
) -> None:
    """1834/UBND-KGVX item 2 and 117/KH-UBND II.4.c are one piece of work (same_work_as): the
    chair's list of late priority items named Sở TT&TT twice for it, with nothing said. The note is
    beside the row the rates do not count: the copy with the later date (the work is counted by its
    earliest, 98/TB-TEST's 15/04 before 99/KH-TEST's 30/06)."""
    catalog = copy_catalog(tmp_path)
    (catalog / OTHER).write_text(OTHER_PLAN.replace("15/02/2022", "15/04/2022"), encoding="utf-8")
    with Session(web.engine) as session:
        load_min_catalog(session, web.clock.now(), catalog)
        session.commit()
        copy = assignment_for(session, "98/TB-TEST:2", "so-tttt", seq=2).id
        named = assignment_for(session, "99/KH-TEST:II.1", "so-tttt").id
        web.clock.set(datetime(2022, 7, 15, 9, 0, tzinfo=LOCAL_TZ))
        page = board_context(session, web.clock.now(), WorkCalendar.default())
    assert {copy, named} <= {r.view.id for r in page["overdue"]}
    assert page["copies"] == {named: "98/TB-TEST:2"}
    web.login()
    board = web.client.get("/board").text
    row = board.split(f'data-id="{named}"', 1)[1].split("</tr>", 1)[0]
    assert "cùng một việc với 98/TB-TEST:2 của cơ quan này, cũng trong danh sách" in row
    other = board.split(f'data-id="{copy}"', 1)[1].split("</tr>", 1)[0]
    assert "cùng một việc" not in other  # said once, beside the row not counted


def test_the_banner_names_the_committee_of_the_pages_day(web: WebEnv) -> None:
    """After 01/03/2025 the banner still read "Ban Chỉ đạo chuyển đổi số", a committee that ended
    on 28/02/2025 when it merged into the BCĐ KH,CN,ĐMST,CĐS & Đề án 06 (bcd-khcn-cds)."""
    old, new = "Ban Chỉ đạo chuyển đổi số tỉnh Quảng Ngãi", "Ban Chỉ đạo về phát triển khoa học, công nghệ (thử)"
    with Session(web.engine) as session:
        for code, name, start, end in (
            ("bcd-cqdt", "Ban Chỉ đạo xây dựng Chính quyền điện tử", None, None),  # undated: never the banner's
            ("to-giup-viec-bcd", "Tổ giúp việc Ban Chỉ đạo", None, None),
            ("bcd-cds", old, date(2021, 11, 8), date(2025, 2, 28)),
            ("bcd-khcn-cds", new, date(2025, 3, 1), None),
        ):
            session.add(Agency(code=code, name=name, short=code, kind="bcd", valid_from=start, valid_to=end))
        session.commit()
    link = web.link("leader:chair", days=2000)

    def banner() -> str:
        html = web.client.get(f"/leaders/{link}").text
        return html.split('id="committee">', 1)[1].split("</div>", 1)[0]

    web.clock.set(datetime(2021, 11, 1, 9, 0, tzinfo=LOCAL_TZ))
    assert banner() == "Ban Chỉ đạo — Theo dõi, đôn đốc nhiệm vụ"  # before any committee the catalog dates
    web.clock.set(datetime(2025, 2, 28, 16, 0, tzinfo=LOCAL_TZ))
    assert banner() == f"{old} — Theo dõi, đôn đốc nhiệm vụ"
    web.clock.set(datetime(2025, 3, 1, 8, 0, tzinfo=LOCAL_TZ))
    assert banner() == f"{new} — Theo dõi, đôn đốc nhiệm vụ"
    assert "đôn đốc nhiệm vụ" in web.client.get("/login").text.split('id="committee">', 1)[1]  # every page
    # a catalog load renames it (another process): the name is kept a minute, not the rest of the day
    with Session(web.engine) as session:
        session.exec(update(Agency).where(col(Agency.code) == "bcd-khcn-cds").values(name="Ban Chỉ đạo mới"))
        session.commit()
    assert banner() == f"{new} — Theo dõi, đôn đốc nhiệm vụ"
    context = web.app.state.ctx
    day, name, _ = context._committee
    context._committee = (day, name, monotonic() - COMMITTEE_KEPT)  # a minute later
    assert banner() == "Ban Chỉ đạo mới — Theo dõi, đôn đốc nhiệm vụ"


def test_the_banner_keeps_the_generic_name_a_minute_before_the_catalog_names_the_committee(web: WebEnv) -> None:
    """On a fresh install the first page, before `catalog load`, said "Ban Chỉ đạo", and kept saying it
    for the rest of the day (under the demo's stopped clock, for ever); now for a minute."""
    web.clock.set(datetime(2025, 3, 1, 8, 0, tzinfo=LOCAL_TZ))
    assert "Ban Chỉ đạo — Theo dõi" in web.client.get("/login").text
    with Session(web.engine) as session:
        session.add(Agency(code="bcd-x", name="Ban Chỉ đạo X", short="BCĐ", kind="bcd", valid_from=date(2025, 3, 1)))
        session.commit()
    context = web.app.state.ctx
    day, name, _ = context._committee
    context._committee = (day, name, monotonic() - COMMITTEE_KEPT)  # a minute later
    assert "Ban Chỉ đạo X — Theo dõi" in web.client.get("/login").text


def test_an_items_page_quotes_the_bodies_its_text_names_in_each_role(web: WebEnv) -> None:
    """61/KH-UBND PL.II.25's partners, "Các Trung tâm Y tế, Bệnh viện liên quan", are reached through
    Sở Y tế, its lead: no partner row, and the page said nothing of them. It now quotes each role as
    the text writes it, under the lead's own heading where the text has one ("Tham mưu")."""
    with Session(web.engine) as session:
        item = session.exec(select(PlanItem).where(PlanItem.code == ITEM)).one()
        web.login()
        page = web.client.get(f"/board/items/{item.id}").text
        said = "Văn bản ghi: Chủ trì: «Sở TT&amp;TT.»; Thực hiện: «Các sở, ban, ngành, UBND các huyện.»."
        assert said in page, page[:3000]
        item.roles_as_written = {"lead": "Sở TT&TT", "lead_heading": "Cơ quan tham mưu", "partners": "Các cơ quan"}
        session.add(item)
        session.commit()
        page = web.client.get(f"/board/items/{item.id}").text
        assert "Văn bản ghi: Tham mưu: «Sở TT&amp;TT»; Phối hợp: «Các cơ quan»." in page


def test_work_reported_on_the_day_it_was_given_after_its_date_says_so_first(web: WebEnv) -> None:
    """Sở LĐ-TB&XH reported 117/KH-UBND:II.2.d on 27/07/2022, the day it was given: the pages read
    "Trễ 19 ngày làm việc · giao ngày 27/07/2022, sau thời hạn", as if the body had been 19 days slow.
    They now say what it took first, the days from the date second, as open work's lateness does."""
    target = web.assignment(ITEM, "vp-ubnd")  # due 30/06/2022
    given = datetime(2022, 7, 4, 9, 0, tzinfo=LOCAL_TZ)
    with Session(web.engine) as session:
        session.execute(update(Assignment).where(col(Assignment.id) == target).values(assigned_at=given))
        session.commit()
        for action, at in ((Action.ACKNOWLEDGE, given), (Action.REPORT, given + timedelta(hours=1))):
            act(session, target, Request(action, Actor.agency("vp-ubnd"), comment="Đã hoàn thành."), now=at)
        session.commit()
    web.clock.set(JULY)
    said = "Báo cáo ngay trong ngày giao 04/07/2022 (giao sau thời hạn; trễ 2 ngày làm việc so với thời hạn)"

    def row(page: str, key: str) -> str:
        return page.split(key, 1)[1].split("</tr>", 1)[0]

    web.login()
    listed = row(web.client.get("/board/assignments", params={"q": ITEM}).text, f'<tr data-id="{target}"')
    assert said in listed and "sau thời hạn</span>" not in listed, listed
    own = row(web.client.get(f"/a/{web.link('agency:vp-ubnd')}").text, f'/assignments/{target}"')
    assert said in own and "giao ngày 04/07/2022, sau thời hạn" not in own, own
    with Session(web.engine) as session:
        part = session.get(Assignment, target)
        assert part is not None
        milestone = session.get(Milestone, part.milestone_id)
        assert milestone is not None
    item_page = web.client.get(f"/board/items/{milestone.item_id}").text
    assert said in item_page.split(f'/board/assignments/{target}"', 1)[1].split("</summary>", 1)[0]
    # the list's workbook keeps the days from the date, and the days since given for open work only
    book = load_workbook(io.BytesIO(web.client.get("/board/assignments.xlsx", params={"q": ITEM}).content))
    sheet = book["Nhiệm vụ"]
    header = [c.value for c in sheet[1]]
    line = next(r for r in sheet.iter_rows(min_row=2, values_only=True) if r[4] == "Văn phòng UBND tỉnh" and r[13])
    assert line[header.index("Số ngày làm việc quá hạn")] == 2
    assert line[header.index("Số ngày làm việc kể từ ngày giao")] is None


def test_an_items_page_says_why_a_role_the_text_names_has_no_part(web: WebEnv) -> None:
    """61/KH-UBND PL.II.25's partners are read as a group reached through Sở Y tế, which leads the
    item: the page quoted them above a list with no partner in it. It says why; a group that reaches
    a body holding no part of the item is not said to be reached through anybody."""
    with Session(web.engine) as session:
        item = session.exec(select(PlanItem).where(PlanItem.code == ITEM)).one()
        session.add(Agency(code="so-y-te", name="Sở Y tế", short="Sở Y tế", kind="so"))
        session.flush()
        codes = {a.code: a.id for a in session.exec(select(Agency))}
        for code, name, member in (
            ("co-so-y-te", "Các cơ sở y tế (Trung tâm Y tế, Bệnh viện)", "so-tttt"),
            ("benh-vien", "Các bệnh viện", "so-y-te"),  # Sở Y tế holds no part of the item
        ):
            group = AgencyGroup(code=code, name=name, aliases=[f"{name} liên quan"])
            session.add(group)
            session.flush()
            session.add(AgencyGroupMember(group_id=group.id or 0, agency_id=codes[member]))
        partners = "Các cơ sở y tế (Trung tâm Y tế, Bệnh viện) liên quan"
        item.roles_as_written = {**item.roles_as_written, "partners": partners}
        session.add(item)
        session.commit()
        web.login()
        page = web.client.get(f"/board/items/{item.id}").text
        said = (
            "Phối hợp: «Các cơ sở y tế (Trung tâm Y tế, Bệnh viện) liên quan» (không có phần việc phối hợp riêng: "
            "«Các cơ sở y tế (Trung tâm Y tế, Bệnh viện)» liên hệ qua Sở Thông tin và Truyền thông, cơ quan chủ trì)"
        )
        assert said in page, page.split('id="as-written"', 1)[1][:600]
        item.roles_as_written = {**item.roles_as_written, "partners": "Các bệnh viện liên quan"}
        session.add(item)
        session.commit()
        page = web.client.get(f"/board/items/{item.id}").text
        shown = page.split('id="as-written"', 1)[1].split("</p>", 1)[0]
        assert "Phối hợp: «Các bệnh viện liên quan»" in shown and "liên hệ qua" not in shown, shown
