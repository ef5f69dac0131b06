"""The periodic report: data, rates, XLSX/HTML/MD output, ``dondoc report``, and the mailing job."""

from __future__ import annotations

import email
import io
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from dondoc.engine.actors import SECRETARIAT, Actor
from dondoc.engine.clock import LOCAL_TZ
from dondoc.engine.models import (
    Agency,
    AgencyGroup,
    Assignment,
    CommitteeMember,
    Indicator,
    Milestone,
    Notification,
)
from dondoc.engine.reports import agency_rates, build_report, render
from dondoc.engine.reports.data import ReportData
from dondoc.engine.reports.labels import CATEGORIES, period_notes
from dondoc.engine.reports.rates import due_later
from dondoc.engine.services.assignments import Request, act
from dondoc.engine.services.indicators import JUDGED_BY_TOLERANCE, progress_legend, report_actual
from dondoc.engine.services.tracking import set_tracking_start
from dondoc.engine.settings import Settings
from dondoc.engine.workflow import Action
from dondoc.notifications.message import build_message
from dondoc.report_job import run_periodic_reports
from tests.factories import assignment_for, load_min_catalog
from tests.support.catalogs import QUARTERLY, notice_plan, report_catalog
from tests.support.cli import dondoc, ok

LOADED = datetime(2022, 3, 2, 8, 0, tzinfo=LOCAL_TZ)
AFTER_Q1 = datetime(2022, 4, 10, 9, 0, tzinfo=LOCAL_TZ)


def _do(session: Session, assignment_id: int, action: Action, actor: Actor, at: datetime) -> None:
    act(session, assignment_id, Request(action, actor, comment="Đã hoàn thành."), now=at)
    session.commit()


@pytest.fixture
def quarter(session: Session, tmp_path: Path) -> Session:
    """Q1 2022: Sở Nội vụ reports on time, UBND Bình Sơn late, the others never; two actuals."""
    load_min_catalog(session, LOADED, report_catalog(tmp_path, cutoff=False))
    for agency, day in (("so-noi-vu", 18), ("ubnd-binh-son", 25)):
        target = assignment_for(session, QUARTERLY, agency, seq=1).id or 0
        _do(session, target, Action.ACKNOWLEDGE, Actor.agency(agency), LOADED)
        _do(session, target, Action.REPORT, Actor.agency(agency), datetime(2022, 3, day, 10, 0, tzinfo=LOCAL_TZ))
    indicator = session.exec(select(Indicator).where(Indicator.code == "dvctt")).one()
    for agency, value in (("so-noi-vu", 35.5), ("ubnd-ly-son", 4)):
        report_actual(
            session,
            indicator_id=indicator.id or 0,
            agency_code=agency,
            period_code="2022-Q1",
            value=value,
            note="Quý I",
            actor=Actor.agency(agency),
            now=datetime(2022, 3, 20, tzinfo=LOCAL_TZ),
        )
    session.commit()
    return session


def test_rates_per_agency(quarter: Session) -> None:
    rates = {
        r.agency_code: r
        for r in agency_rates(
            quarter, start=datetime(2022, 1, 1).date(), end=datetime(2022, 3, 31).date(), now=AFTER_Q1
        )
    }
    assert set(rates) == {"so-tttt", "so-noi-vu", "vp-ubnd", "ubnd-binh-son", "ubnd-ly-son"}
    assert (rates["so-noi-vu"].reports_due, rates["so-noi-vu"].report_timeliness_rate) == (1, 1.0)
    assert (rates["ubnd-binh-son"].reports_late, rates["ubnd-binh-son"].report_timeliness_rate) == (1, 0.0)
    assert (rates["ubnd-ly-son"].reports_missing, rates["ubnd-ly-son"].report_timeliness_rate) == (1, 0.0)
    # II.3 was done at issue (Tháng 02/2022): on time for its lead and partners
    assert rates["so-tttt"].tasks_due == 1 and rates["so-tttt"].on_time_rate == 1.0


def test_report_data(quarter: Session) -> None:
    data = build_report(quarter, period_code="2022-Q1", now=AFTER_Q1)
    assert data.period_label == "Quý I/2022" and data.as_of == datetime(2022, 3, 31, 23, 59, 59, tzinfo=LOCAL_TZ)
    assert {(d.agency_code, d.status) for d in data.duties} == {
        ("ubnd-binh-son", "late"),
        ("vp-ubnd", "missing"),  # not so-tttt: the report goes to it (a body does not report to itself)
        ("ubnd-ly-son", "missing"),
    }
    by_agency = {(i.agency_code, i.scope): i for i in data.indicators}
    assert by_agency[("so-noi-vu", "@so-ban-nganh")].actual == 35.5
    assert by_agency[("ubnd-ly-son", "ubnd-ly-son")].target == 10  # its own target
    assert by_agency[("ubnd-binh-son", "ubnd-binh-son")].status == "not_assessable"  # nothing reported
    assert sum(r.total for r in data.by_plan) == data.totals.total


def test_a_report_counts_the_work_given_by_its_day_and_each_total_adds_up(quarter: Session) -> None:
    """The third quarter's report said 4,067 tasks "đã giao đến ngày số liệu": 429 of them were later
    quarters' reports, not yet handed out. And a row's "Tổng" counted cancelled work, which has no
    column of its own: the row did not add up."""
    q1 = build_report(quarter, period_code="2022-Q1", now=AFTER_Q1)
    every = quarter.exec(select(Assignment)).all()
    later = [a for a in every if a.assigned_at > q1.as_of]
    assert later, "the fixture's later quarters' reports"
    assert q1.totals.total == len(every) - len(later)
    dropped = assignment_for(quarter, QUARTERLY, "ubnd-ly-son", seq=1).id or 0
    act(quarter, dropped, Request(Action.CANCEL, SECRETARIAT, comment="Trùng nhiệm vụ"), now=LOADED)
    quarter.commit()
    q1 = build_report(quarter, period_code="2022-Q1", now=AFTER_Q1)
    assert q1.totals.total == len(every) - len(later) - 1
    for row in [q1.totals, *q1.by_plan, *q1.by_agency]:
        assert row.total == sum(row.counts[c.value] for c in CATEGORIES), row
    assert sum(r.total for r in q1.by_agency) == sum(r.total for r in q1.by_plan) == q1.totals.total


def test_a_report_sent_after_the_period_is_not_sent_in_its_report(quarter: Session) -> None:
    """The third quarter's report, asked for in October, said of Sở KH&CN "Chưa báo cáo (quá hạn)",
    16 working days late, sent 12/10/2022: at the quarter's end it had not reported, 8 days late."""
    late = assignment_for(quarter, QUARTERLY, "ubnd-ly-son", seq=1).id or 0
    _do(quarter, late, Action.ACKNOWLEDGE, Actor.agency("ubnd-ly-son"), LOADED)
    _do(quarter, late, Action.REPORT, Actor.agency("ubnd-ly-son"), datetime(2022, 4, 8, 10, 0, tzinfo=LOCAL_TZ))
    q1 = build_report(quarter, period_code="2022-Q1", now=AFTER_Q1)
    row = next(d for d in q1.duties if d.agency_code == "ubnd-ly-son")
    never = next(d for d in q1.duties if d.agency_code == "vp-ubnd")  # the same duty, never sent
    assert (row.status, row.reported_at) == ("missing", None)
    assert row.days_late == never.days_late > 0 and row.due_date == never.due_date
    for fmt in ("md", "html"):
        assert "08/04/2022" not in render(q1, fmt).decode()


def test_a_body_that_ended_before_the_period_is_named_apart(quarter: Session) -> None:
    """UBND Tây Trà (merged into Trà Bồng in 2020) stood in every 2022 report's table by body; it
    is named in a note instead, with the work it still holds (counted in section I)."""
    body = quarter.exec(select(Agency).where(Agency.code == "ubnd-ly-son")).one()
    body.valid_to = date(2022, 2, 15)  # ended within the period: a body of the period, listed
    quarter.commit()
    q1 = build_report(quarter, period_code="2022-Q1", now=AFTER_Q1)
    assert "ubnd-ly-son" in {a.code for a in q1.by_agency} and not q1.ended
    body.valid_to = date(2021, 12, 31)
    quarter.commit()
    q1 = build_report(quarter, period_code="2022-Q1", now=AFTER_Q1)
    assert "ubnd-ly-son" not in {a.code for a in q1.by_agency} and q1.by_agency
    ((name, last, parts, before),) = q1.ended
    held = [
        a for a in quarter.exec(select(Assignment).where(Assignment.agency_id == body.id)) if a.assigned_at <= q1.as_of
    ]
    assert (name, last) == (body.name, date(2021, 12, 31)) and parts == len(
        [a for a in held if a.state != "cancelled"]
    ) > 0
    # every part section I counts of it is said: the table by body and section I then add up
    assert sum(a.total for a in q1.by_agency) + parts == q1.totals.total
    said = f"{body.name} (hoạt động đến hết ngày 31/12/2021): {parts} phần việc"
    for fmt in ("md", "html"):
        assert said in render(q1, fmt).decode()


def test_a_date_moved_past_the_periods_end_is_said_to_be_judged_on_it(quarter: Session) -> None:
    """The 2022 report said "số liệu tính đến 31/12/2022" while its rates judged 140 parts on
    03/01/2023 ("Năm 2022": 31/12 is a Saturday): it says so, with how many and which day."""
    one = quarter.get(Assignment, assignment_for(quarter, QUARTERLY, "so-noi-vu", seq=1).id)
    assert one is not None
    milestone = quarter.get(Milestone, one.milestone_id)
    assert milestone is not None
    milestone.due_date = date(2022, 12, 31)
    moved = datetime(2023, 1, 3, 23, 59, 59, tzinfo=LOCAL_TZ)
    parts = quarter.exec(select(Assignment).where(Assignment.milestone_id == one.milestone_id)).all()
    for part in parts:
        part.due_at = part.original_due_at = moved
    quarter.commit()
    year = build_report(quarter, period_code="2022", now=datetime(2023, 2, 1, 9, 0, tzinfo=LOCAL_TZ))
    assert year.judged_later == [(date(2023, 1, 3), len(parts))]
    said = f"({len(parts)} phần việc, sang ngày 03/01/2023): tỷ lệ hoàn thành đúng hạn của kỳ đánh giá chúng"
    for fmt in ("md", "html"):
        assert said in render(year, fmt).decode()
    assert not build_report(quarter, period_code="2022-Q1", now=AFTER_Q1).judged_later


def test_xlsx_reads_back_with_one_row_per_agency(quarter: Session) -> None:
    data = build_report(quarter, period_code="2022-Q1", now=AFTER_Q1)
    workbook = load_workbook(io.BytesIO(render(data, "xlsx")))
    assert workbook.sheetnames == ["Tổng hợp", "Theo cơ quan", "Chỉ tiêu", "Báo cáo định kỳ", "Quá hạn"]
    # the summary's filter spans the plans' rows, not "Tổng cộng" under them (a sort had moved it up)
    summary = workbook["Tổng hợp"]
    plans = [r[0] for r in summary.iter_rows(min_row=2, values_only=True)]
    last = plans.index("Tổng cộng") + 1  # the last plan's row (the header is row 1)
    # two name columns, the nine categories but "Đã hủy" (engine.reports.labels.CATEGORIES), "Tổng": A to L
    assert last >= 2 and summary.auto_filter.ref == f"A1:L{last}" and summary.freeze_panes == "A2"
    # the table's rows, not the note under them (what its rates count: the leaders' page's basis)
    agencies = [r for r in workbook["Theo cơ quan"].iter_rows(values_only=True) if r[1] is not None]
    assert agencies[0][:2] == ("Mã", "Cơ quan, đơn vị") and "Tỷ lệ báo cáo đúng hạn" in agencies[0]
    # its counts are parts (a body × a date), not tasks: Ban Dân tộc's "84" was 84 parts of 50 tasks
    assert "Phần việc đến hạn trong kỳ (tính tỷ lệ)" in agencies[0]
    assert not [h for h in agencies[0] if h and str(h).startswith("Nhiệm vụ đến hạn")]
    names = quarter.exec(select(Agency.code)).all()
    assert sorted(r[0] for r in agencies[1:]) == sorted(names)  # one row per agency
    rate = agencies[0].index("Tỷ lệ báo cáo đúng hạn")
    assert {r[0]: r[rate] for r in agencies[1:]}["so-noi-vu"] == 1.0
    # the rates read as percentages, the counts as counts (fixed column letters had drifted: a count
    # of 2 read "200,0 %" and a rate of 0.5 read 0.5)
    sheet = workbook["Theo cơ quan"]
    for index, header in enumerate(agencies[0]):
        shown = sheet.cell(row=2, column=index + 1).number_format
        assert (shown == "0.0%") == str(header).startswith("Tỷ lệ"), (header, shown)
    sheet_rows = list(workbook["Chỉ tiêu"].iter_rows(values_only=True))
    indicators = [r for r in sheet_rows if r[1] is not None]  # the notes below the table fill the first cell only
    assert len(indicators) == 1 + 5 and any(r[8] == 35.5 for r in indicators[1:])
    # a figure judged by dondoc's tolerance ("Gần đạt", "Chưa đạt") is explained under the table, as in the document
    judged = {r.status for r in data.indicators}
    assert judged & JUDGED_BY_TOLERANCE and sheet_rows[-1][0] == progress_legend()
    assert any(r[2] == "Tỷ lệ hồ sơ trực tuyến" for r in indicators[1:])  # Vietnamese intact
    # the scope as people read it: groups and bodies by name, never the catalog's codes
    scope = indicators[0].index("Phạm vi")
    codes = set(names) | {f"@{code}" for code in quarter.exec(select(AgencyGroup.code)).all()}
    shown = [str(r[scope]) for r in indicators[1:]]
    assert shown and not any(code in text for code in codes for text in shown), shown
    # a late report on section IV's sheet: its plan under "Văn bản", what it is under "Tình trạng", the
    # day it was sent a date cell (it had put "Báo cáo định kỳ" under "Văn bản" and "Báo cáo trễ hạn"
    # under "Vai trò"); the sheet "Quá hạn" lists the work still overdue only, as section V
    reports = list(workbook["Báo cáo định kỳ"].iter_rows(values_only=True))
    header = reports[0]
    late = [
        dict(zip(header, r, strict=True)) for r in reports[1:] if r[header.index("Tình trạng")] == "Báo cáo trễ hạn"
    ]
    assert [r["Cơ quan"] for r in late] == ["UBND huyện Bình Sơn"], reports
    assert late[0]["Văn bản"] == "99/KH-TEST" and late[0]["Ngày gửi"].date() == date(2022, 3, 25)
    overdue = list(workbook["Quá hạn"].iter_rows(values_only=True))
    status = overdue[0].index("Tình trạng")
    assert overdue[1:] and all(r[status] == "Đang quá hạn" for r in overdue[1:])


def _listed(text: str, section: str, fmt: str) -> list[tuple[str, str]]:
    """(item code, body) of each row of section ``section`` ("IV", "V") of the html or md report."""
    if fmt == "md":
        part = text.split(f"## {section}. ", 1)[1].split("\n## ", 1)[0]
        rows = [line.split(" | ") for line in part.splitlines() if line.startswith("| ")][1:]
        if section == "IV":
            return [(r[0].removeprefix("| "), r[2]) for r in rows]
        return [(r[0].removeprefix("| ").split(" — ", 1)[0], r[1]) for r in rows]
    part = text.split(f"<h2>{section}. ", 1)[1].split("<h2>", 1)[0].split("</thead>", 1)[1]
    rows = [[c.split("</td>", 1)[0] for c in r.split("<td")[1:]] for r in part.split("<tr>")[1:]]
    rows = [[c.split(">", 1)[1] for c in r] for r in rows if len(r) > 1]
    if section == "IV":  # the report's title, then its body (its code is the item's)
        return [(r[0], r[2]) for r in rows]
    return [(r[1].split("<strong>", 1)[1].split("</strong>", 1)[0], r[2]) for r in rows]


def test_the_workbook_lists_the_rows_sections_four_and_five_list(quarter: Session) -> None:
    """The 2022 replay's six-month workbook listed on its sheet "Quá hạn" ten rows where section V of
    the same report listed nine: Sở Y tế's report of Quý II, sent late on 24/06/2022, is done, not
    overdue (section IV lists it). Each sheet lists its section's rows, the same in every format."""
    data = build_report(quarter, period_code="2022-Q1", now=AFTER_Q1)
    assert any(d.status == "late" for d in data.duties) and data.overdue  # a report sent late; open work
    workbook = load_workbook(io.BytesIO(render(data, "xlsx")))
    texts = {fmt: render(data, fmt).decode("utf-8") for fmt in ("html", "md")}
    overdue = [(r[1], r[4]) for r in workbook["Quá hạn"].iter_rows(min_row=2, values_only=True)]
    for fmt, text in texts.items():
        assert _listed(text, "V", fmt) == overdue, fmt
    assert len(overdue) == len(data.overdue)
    # the reports sent late or not sent: section IV's rows, on a sheet of their own
    sheet = workbook["Báo cáo định kỳ"]
    duties = [(r[1], r[2], r[4]) for r in sheet.iter_rows(min_row=2, values_only=True) if r[1]]
    assert len(duties) == len(data.duties)
    assert _listed(texts["md"], "IV", "md") == [(code, body) for code, _, body in duties]
    assert _listed(texts["html"], "IV", "html") == [(title, body) for _, title, body in duties]


def test_html_prints_on_a4_and_md(quarter: Session) -> None:
    data = build_report(quarter, period_code="2022-Q1", now=AFTER_Q1)
    html = render(data, "html").decode("utf-8")
    assert "@page { size: A4" in html and '<html lang="vi">' in html
    assert "Quý I/2022" in html and "UBND huyện Bình Sơn" in html and "Báo cáo trễ hạn" in html
    # section II counts parts (a body × a date): its headings say so
    assert "<th>Tổng phần việc (lũy kế)</th><th>Phần việc đến hạn trong kỳ</th>" in html
    markdown = render(data, "md").decode("utf-8")
    assert markdown.startswith("# Báo cáo tình hình thực hiện nhiệm vụ — Quý I/2022") and "| Sở Nội vụ |" in markdown
    # a target set for a group names the group as the document does, not by the catalog's code
    assert "Sở Nội vụ (Các sở, ban, ngành)" in markdown and "@so-ban-nganh" not in markdown + html
    # section I counts every task given, not the period's: said so in each format (the quarter's sheet
    # had read "Hoàn thành đúng hạn: 225" under its title, the count since tracking began)
    assert "không riêng của kỳ" in markdown and "không riêng của kỳ" in html
    # section II in html: the all-time counts say so beside the period's rate, and the work given
    # after its date, which the rate leaves out, has its column as in md and xlsx
    assert "<th>Hoàn thành đúng hạn (lũy kế)</th>" in html and "<th>Hoàn thành đúng hạn trong kỳ</th>" in html
    assert "giao sau thời hạn (không tính tỷ lệ)</th>" in html
    rows = html.split("<h2>II.", 1)[1].split("</table>", 1)[0].split("<tr><td")[1:]
    heads = html.split("<h2>II.", 1)[1].split("</thead>", 1)[0].count("<th>")
    assert rows and all(r.count("<td") + 1 == heads for r in rows)  # one cell per header


def test_dondoc_report_command(quarter: Session, db_url: str, tmp_path: Path) -> None:
    out = tmp_path / "q1.xlsx"
    run = dondoc(db_url, "report", "--period", "2022-Q1", "--format", "xlsx", "--output", str(out), now="2022-04-10")
    by_body = load_workbook(out)["Theo cơ quan"]
    assert "Quý I/2022" in ok(run) and sum(1 for r in by_body.iter_rows(values_only=True) if r[1] is not None) == 6
    bad = dondoc(db_url, "report", "--period", "2022-Q7")
    assert (
        bad.returncode == 1
        and bad.stderr.startswith('dondoc: lỗi: kỳ báo cáo "2022-Q7"')
        and "Traceback" not in bad.stderr
    )


def test_the_six_month_report_is_mailed_to_the_leaders_on_its_due_date(
    quarter: Session, engine: Engine, tmp_path: Path
) -> None:
    settings = Settings(_env_file=None, demo=True, maildrop_dir=tmp_path / "maildrop", reports_dir=tmp_path / "reports")  # type: ignore[call-arg]
    on_the_day = datetime(2022, 6, 20, 7, 0, tzinfo=LOCAL_TZ)  # 20/6: the 6-month report of Sở TT&TT is due
    assert run_periodic_reports(engine, now=on_the_day.replace(day=19), settings=settings) == []
    created = run_periodic_reports(engine, now=on_the_day, settings=settings)
    assert created == ["periodic_report:2022-H1:chair", "periodic_report:2022-H1:vice-chair"]
    assert run_periodic_reports(engine, now=on_the_day.replace(hour=9), settings=settings) == []  # never twice
    with Session(engine) as session:
        rows = session.exec(
            select(Notification).where(Notification.kind == "periodic_report").order_by(Notification.id)
        ).all()
        assert [r.recipient_email for r in rows] == ["truong-ban@dondoc.example", "pho-truong-ban@dondoc.example"]
        row = rows[0]
        assert "6 tháng đầu năm 2022" in row.subject and "bao-cao-6-thang-dau-nam-2022.xlsx" in row.body_text
        # the figures' instant in the subject, beside the period: never a bare count of another day's
        assert "6 tháng đầu năm 2022 (số liệu đến 07:00 ngày 20/06/2022): " in row.subject
        assert "chưa gửi" in row.subject
        # counted as the leaders' digest and page count: the roles the policy's rungs to them name
        overdue = (
            "Phần việc đang quá hạn tính đến 07:00 ngày 20/06/2022 (của cơ quan chủ trì, thực hiện), kể cả báo cáo "
            "chưa gửi:"
        )
        assert overdue in row.body_text and "(số liệu đến 07:00 ngày 20/06/2022)" in row.body_text
        # the work done is the half-year's, of those roles, as the workbook's sheet by body counts it
        half = (date(2022, 1, 1), date(2022, 6, 30))
        rates = agency_rates(session, start=half[0], end=half[1], now=on_the_day, roles=("lead", "implementer"))
        due, on_time = sum(r.tasks_due for r in rates), sum(r.tasks_on_time for r in rates)
        said = (
            "Phần việc đến hạn trong kỳ, tính tỷ lệ (không kể báo cáo định kỳ; của cơ quan chủ trì, thực hiện): "
            f"{due}; hoàn thành đúng hạn: {on_time} ("
        )
        assert due and said in row.body_text
        # the period's reports due on the day itself or later: not late yet, and said apart, not "none unsent"
        from dondoc.engine.reports.rates import reports_due_later

        to_come = reports_due_later(session, start=half[0], end=half[1], now=on_the_day)
        line = (
            f"- Báo cáo định kỳ của kỳ có hạn từ ngày 20/06/2022 trở đi, chưa tính ở trên: {to_come.total}"
            f" ({to_come.done} đã gửi, {to_come.total - to_come.done} chưa gửi)"
        )
        assert to_come.total > to_come.done and line in row.body_text
        assert "không có báo cáo của kỳ chưa gửi" not in row.subject
        message = email.message_from_bytes(build_message(row, settings=settings, now=on_the_day).as_bytes())
    attachments = [part for part in message.walk() if part.get_filename()]
    assert [a.get_filename() for a in attachments] == ["bao-cao-6-thang-dau-nam-2022.xlsx"]
    workbook = load_workbook(io.BytesIO(attachments[0].get_payload(decode=True)))
    assert workbook.sheetnames[0] == "Tổng hợp"
    said = [cell for row in workbook["Tổng hợp"].iter_rows(values_only=True) for cell in row if cell]
    assert any("không riêng của kỳ" in str(cell) for cell in said)


def test_the_report_is_owed_by_the_secretariat_of_the_day(quarter: Session, engine: Engine, tmp_path: Path) -> None:
    """The roster is dated: a later standing agency's seat, listed first, does not hide today's."""
    settings = Settings(_env_file=None, demo=True, maildrop_dir=tmp_path / "maildrop", reports_dir=tmp_path / "reports")  # type: ignore[call-arg]
    seat = quarter.exec(select(CommitteeMember).where(CommitteeMember.role == "secretariat")).one()
    today = {name: getattr(seat, name) for name in ("role", "agency_id", "title", "name", "email")}
    later = quarter.exec(select(Agency).where(Agency.code == "so-noi-vu")).one()
    quarter.delete(seat)
    quarter.flush()
    quarter.add(
        CommitteeMember(
            role="secretariat",
            agency_id=later.id,
            title="Cơ quan thường trực mới",
            email="moi@dondoc.example",
            valid_from=date(2025, 3, 1),
        )
    )
    quarter.flush()
    quarter.add(CommitteeMember(**today, valid_to=date(2025, 2, 28)))
    quarter.commit()
    on_the_day = datetime(2022, 6, 20, 7, 0, tzinfo=LOCAL_TZ)
    assert run_periodic_reports(engine, now=on_the_day, settings=settings) == [
        "periodic_report:2022-H1:chair",
        "periodic_report:2022-H1:vice-chair",
    ]


LATER_PLAN = """plan:
  number: "97/KH-TEST"
  kind: ke_hoach
  issued: 2022-05-10
  issuer: "UBND tỉnh"
  title: "Kế hoạch ban hành sau quý I"
  year: 2022
items:
  - code: "97/KH-TEST:1"
    section: "1"
    title: "Việc có hạn trong quý I"
    content: "Hoàn thành trước ngày 15/3/2022."
    source: "Mục 1"
    lead: [so-noi-vu]
    deadline: "trước ngày 15/3/2022"
"""


def test_a_plan_issued_after_the_report_is_neither_listed_nor_due_in_it(session: Session, tmp_path: Path) -> None:
    """The demo loads 117/KH-UBND on 01/06 for its issue on 27/07: June's reports listed its 585 tasks
    as not yet due, and a date of June in it counted as due in June."""
    catalog = report_catalog(tmp_path, cutoff=False)
    (catalog / "plans" / "later-plan.yaml").write_text(LATER_PLAN, encoding="utf-8")
    load_min_catalog(session, LOADED, catalog)
    q1 = build_report(session, period_code="2022-Q1", now=AFTER_Q1)
    assert "97/KH-TEST" not in {row.key for row in q1.by_plan}
    assert q1.totals.total == sum(row.total for row in q1.by_plan)
    interior = next(row for row in q1.by_agency if row.code == "so-noi-vu")
    # its one task due in Q1 is the test plan's, done on time; the later plan's March date is not due in March
    assert (interior.rates.tasks_due, interior.rates.tasks_on_time) == (1, 1)
    after = build_report(session, period_code="2022-Q2", now=datetime(2022, 7, 10, tzinfo=LOCAL_TZ))
    assert "97/KH-TEST" in {row.key for row in after.by_plan}


def test_the_fourth_quarters_report_reads_the_years_figures(quarter: Session) -> None:
    """A figure reported for the year (or the second half-year) tells where things stand at the end
    of the fourth quarter: the Q4 report had every indicator "chưa đánh giá được" beside them."""
    indicator = quarter.exec(select(Indicator).where(Indicator.code == "dvctt")).one()
    report_actual(
        quarter,
        indicator_id=indicator.id or 0,
        agency_code="so-noi-vu",
        period_code="2022",
        value=41.0,
        note="Cả năm",
        actor=Actor.agency("so-noi-vu"),
        now=datetime(2022, 12, 20, tzinfo=LOCAL_TZ),
    )
    quarter.commit()
    q4 = build_report(quarter, period_code="2022-Q4", now=datetime(2023, 1, 5, tzinfo=LOCAL_TZ))
    row = next(r for r in q4.indicators if r.code == "dvctt" and r.agency_code == "so-noi-vu")
    assert (row.actual, row.actual_period) == (41.0, "2022")
    q3 = build_report(quarter, period_code="2022-Q3", now=datetime(2023, 1, 5, tzinfo=LOCAL_TZ))
    # no figure of the third quarter: the first quarter's, the latest by its end, said as such (it had read "—")
    third = next(r for r in q3.indicators if r.code == "dvctt" and r.agency_code == "so-noi-vu")
    assert (third.actual, third.actual_period_text) == (35.5, "Quý I/2022 (chưa có số liệu đến hết quý III/2022)")
    # the report of the year asked on 15/12 (the committee's summary is due then) shows what was
    # known that day: the figure sent on the 20th is not in it (the annual mail's workbook was)
    early = build_report(quarter, period_code="2022", now=datetime(2022, 12, 15, 7, 0, tzinfo=LOCAL_TZ))
    known = next(r for r in early.indicators if r.code == "dvctt" and r.agency_code == "so-noi-vu")
    assert (known.actual, known.actual_period) == (35.5, "2022-Q1")  # the first quarter's, sent on 20/03


def test_work_given_after_its_own_date_counts_neither_for_nor_against_the_on_time_rate(
    session: Session, tmp_path: Path
) -> None:
    """117/KH-UBND (issued 27/07/2022) set 01/07/2022 for II.1.đ: every body's Q3 on-time rate read
    0 of 1 for work it could not have done on time."""
    catalog = report_catalog(tmp_path, cutoff=False)
    catch_up = LATER_PLAN.replace("2022-05-10", "2022-03-10").replace("trước ngày 15/3/2022", "trước ngày 05/3/2022")
    (catalog / "plans" / "later-plan.yaml").write_text(catch_up, encoding="utf-8")
    load_min_catalog(session, LOADED, catalog)
    q1 = build_report(session, period_code="2022-Q1", now=AFTER_Q1)
    assert "97/KH-TEST" in {row.key for row in q1.by_plan}  # issued in the quarter: listed
    interior = next(row for row in q1.by_agency if row.code == "so-noi-vu")
    assert (interior.rates.tasks_due, interior.rates.tasks_on_time, interior.rates.tasks_overdue) == (1, 1, 0)
    assert interior.rates.tasks_given_late == 1  # due in the quarter too: said apart, not "0 due"
    # section I counts them late, as they are, and says why: "late" from the day they were given
    late = {c: n for c, n in q1.given_late.items() if n}
    assert late and sum(late.values()) == sum(
        row.counts[c] for row in q1.by_plan if row.key == "97/KH-TEST" for c in late
    ), (late, q1.by_plan)
    (note,) = [n for n in period_notes(q1) if "được giao sau thời hạn" in n]
    assert note.startswith(f"Trong bảng tổng hợp chung, {sum(late.values())} phần việc “")
    # the rates by body count every role, the partners' too, and say so: the leaders' mail counts the
    # lead's and the implementers' (83 there, 136 summed in its attachment, and no word why)
    assert any(
        n.startswith("Tỷ lệ ở phần theo cơ quan, đơn vị tính phần việc của mọi vai trò") for n in period_notes(q1)
    )


def test_a_report_read_on_the_morning_reports_fall_due_counts_none_of_them_yet(quarter: Session) -> None:
    """The six-month report mailed at 07:00 on 20/06 counted the reports due that evening of the 12
    bodies that had sent them ("1 due, 100 %"), not of the 22 that had not, and its mail said the 12
    were not counted above. Due is due by the instant asked: none of them yet, each said to come."""
    from dondoc.engine.reports.rates import reports_due_later

    morning = datetime(2022, 3, 21, 7, 0, tzinfo=LOCAL_TZ)  # Q1's reports: 20/03, a Sunday, so 21/03 23:59
    data = build_report(quarter, period_code="2022-Q1", now=morning)
    # its figures are of 07:00, not of the whole day: said so in every form, in the configured zone
    from zoneinfo import ZoneInfo

    from dondoc.engine.reports.labels import as_of_words

    assert (
        as_of_words(morning, ZoneInfo("UTC")) == "00:00 ngày 21/03/2022"
        and as_of_words(morning) == "07:00 ngày 21/03/2022"
    )
    said = "số liệu tính đến 07:00 ngày 21/03/2022"
    assert said in render(data, "md").decode("utf-8") and said in render(data, "html").decode("utf-8")
    sheet = load_workbook(io.BytesIO(render(data, "xlsx"))).worksheets[0]
    assert any("số liệu đến 07:00 ngày 21/03/2022" in str(cell.value) for row in sheet.iter_rows() for cell in row)
    assert (
        "số liệu tính đến 31/03/2022."
        in render(build_report(quarter, period_code="2022-Q1", now=AFTER_Q1), "md").decode()
    )
    rates = {row.code: row.rates for row in data.by_agency}
    assert rates["so-noi-vu"].reports_due == 0 == rates["ubnd-binh-son"].reports_due  # sent on 18/03; not yet
    to_come = reports_due_later(quarter, start=data.start, end=data.end, now=morning)
    assert to_come.total >= 2 and to_come.done == 1  # Sở Nội vụ's, sent, is among those to come
    evening = build_report(quarter, period_code="2022-Q1", now=datetime(2022, 3, 22, 9, 0, tzinfo=LOCAL_TZ))
    after = {row.code: row.rates for row in evening.by_agency}
    assert after["so-noi-vu"].reports_due == 1 == after["ubnd-binh-son"].reports_due


def test_an_overdue_row_of_a_milestone_without_a_label_says_the_texts_words(quarter: Session) -> None:
    """The first quarter of 2023's report listed 19 parts "Hạn 03/01/2023" with no sign they were the
    year 2022's (“Năm 2022”, moved by the day-off rule): a milestone with no label is named by the
    text's words, as the pages name it."""
    from sqlalchemy import update

    from dondoc.engine.models import Milestone

    late = assignment_for(quarter, QUARTERLY, "ubnd-ly-son", seq=1)
    milestone = quarter.get(Milestone, late.milestone_id)
    assert milestone is not None and milestone.phrase
    quarter.execute(update(Milestone).where(Milestone.id == late.milestone_id).values(label=None))
    quarter.commit()
    data = build_report(quarter, period_code="2022-Q1", now=AFTER_Q1)
    row = next(o for o in data.overdue if o.agency_code == "ubnd-ly-son" and o.item_code == QUARTERLY)
    assert row.milestone_words == milestone.phrase and row.milestone_label is None  # the mail's key unchanged
    assert f"({milestone.phrase})" in render(data, "md").decode("utf-8")


def test_overdue_work_given_after_its_date_says_when_it_was_given(quarter: Session) -> None:
    """The report's overdue list counted days late from the date with no word that the body was
    given the work after it (the digest says so); each form of the report now says since when."""
    from datetime import timedelta

    from sqlalchemy import update

    from dondoc.engine.models import Assignment
    from dondoc.engine.status import days_late

    late = assignment_for(quarter, QUARTERLY, "ubnd-ly-son", seq=1)
    assert late.due_at is not None
    given = (late.due_at + timedelta(days=3)).astimezone(LOCAL_TZ)  # named three days after the date
    quarter.execute(update(Assignment).where(Assignment.id == late.id).values(assigned_at=given))
    quarter.commit()
    data = build_report(quarter, period_code="2022-Q1", now=AFTER_Q1)
    row = next(o for o in data.overdue if o.agency_code == "ubnd-ly-son" and o.item_code == QUARTERLY)
    assert row.given_date == given.date()
    # late from its date, and (fewer) working days since it was given: both said
    assert row.days_late == days_late(late.due_at, None, data.as_of)  # counted to the period's close
    since = days_late(given, None, data.as_of)
    assert row.days_since_given == since and 0 < since < row.days_late
    others = [o for o in data.overdue if o is not row]
    assert others and all(o.given_date is None and o.days_since_given is None for o in others)
    # it leads with the days since it was given, as the board's list and the chair's page do (the 2022
    # report led with 74 from the date for work given 55 working days before); the date's second
    assert row.lateness == since
    said = (
        f"quá hạn {since} ngày làm việc kể từ ngày giao {given:%d/%m/%Y} "
        f"(giao sau thời hạn; {row.days_late} ngày làm việc kể từ thời hạn)"
    )
    md, html = render(data, "md").decode("utf-8"), render(data, "html").decode("utf-8")
    assert f"| {since} ({said}) |" in md and f'<td class="n">{since}<br><span class="note">{said}</span>' in html
    assert md.count("kể từ ngày giao") == 1 and html.count("kể từ ngày giao") == 1
    sheet = load_workbook(io.BytesIO(render(data, "xlsx")))["Quá hạn"]
    header = [c.value for c in sheet[1]]
    lead = header.index("Số ngày làm việc quá hạn") + 1
    assert {
        sheet.cell(r, lead).value
        for r in range(2, sheet.max_row + 1)
        if sheet.cell(r, 5).value == row.agency_name and sheet.cell(r, 2).value == QUARTERLY
    } == {since}
    column = header.index("Ngày giao (sau thời hạn)") + 1
    cells = {
        (sheet.cell(r, 2).value, sheet.cell(r, 5).value): sheet.cell(r, column).value
        for r in range(2, sheet.max_row + 1)
    }
    counted = {
        (sheet.cell(r, 2).value, sheet.cell(r, 5).value): sheet.cell(r, column + 1).value
        for r in range(2, sheet.max_row + 1)
    }
    day = cells.pop((QUARTERLY, row.agency_name))
    assert day is not None and day.date() == given.date()  # a date cell
    assert set(cells.values()) == {None}
    assert counted.pop((QUARTERLY, row.agency_name)) == row.days_late and set(counted.values()) == {None}


def test_a_scope_names_its_group_or_its_bodies() -> None:
    """The chair's workbook read "ubnd-binh-son,ubnd-son-tinh,…" and "so-khdt" in its column Phạm vi."""
    from dondoc.engine.services.indicators import ScopeNames

    names = ScopeNames(
        {"@so-ban-nganh": "Các sở, ban, ngành"}, {"ubnd-binh-son": "UBND Bình Sơn", "so-khdt": "Sở KH&ĐT"}
    )
    assert names.of("@so-ban-nganh") == "Các sở, ban, ngành"
    assert names.of("ubnd-binh-son,so-khdt") == "UBND Bình Sơn, Sở KH&ĐT"
    assert names.of("so-la") == "so-la"  # unknown: as it is, not dropped


# A summary the secretariat owes on the 25th of the quarter's last month (61/KH-UBND VI.3.e), and work
# due either side of the day its mail goes: on 14/9 and on 30/9.
_QUARTER_ITEMS = """  - code: "99/KH-TEST:II.9"
    section: "II.9"
    title: "Việc đến hạn giữa tháng cuối quý"
    content: "Việc đến hạn ngày 14/9."
    source: "Mục II.9"
    lead: [so-noi-vu]
    deadline: "trước ngày 14/9/2022"
  - code: "99/KH-TEST:II.10"
    section: "II.10"
    title: "Việc đến hạn cuối quý"
    content: "Việc đến hạn ngày 30/9."
    source: "Mục II.10"
    lead: [so-noi-vu]
    implementers: [ubnd-binh-son]
    partners: [vp-ubnd]
    deadline: "trước ngày 30/9/2022"
"""
_QUARTER_SUMMARY = """  - code: "99/KH-TEST:VI.bao-cao-quy-tinh"
    title: "Báo cáo hằng quý của UBND tỉnh (Sở TT&TT tham mưu)"
    source: "Mục VI"
    reporters: [so-tttt]
    recipient: vp-ubnd
    period: quarter
    due_day: 25
    first_period: "2022-Q3"
    last_period: "2022-Q4"
"""


def test_a_quarters_mail_sent_before_it_ends_says_what_is_still_to_come(
    session: Session, engine: Engine, tmp_path: Path
) -> None:
    """Quý III/2022's mail goes on 26/9 (the 25th a Sunday). It had said "0 due in the period" and
    nothing of the parts due on 30/9, which the next quarter's mail, counting from 1/10, did not
    count either. It now says how many of the quarter's parts are still to come, of the roles and
    the kind it counts (tasks: reports are counted on their own line), the same work in two
    documents once, and how many of them are done already; the figures it gives still leave them out."""
    catalog = report_catalog(tmp_path, cutoff=False)
    plan = catalog / "plans" / "test-plan.yaml"
    text = plan.read_text(encoding="utf-8").replace("\nreporting:\n", "\n" + _QUARTER_ITEMS + "reporting:\n", 1)
    plan.write_text(text + _QUARTER_SUMMARY, encoding="utf-8")
    (catalog / "plans" / "other-plan.yaml").write_text(_SAME_WORK_PLAN, encoding="utf-8")
    load_min_catalog(session, LOADED, catalog)
    session.commit()
    # the 30/9 work's implementer reports it early, on 20/9
    early = assignment_for(session, "99/KH-TEST:II.10", "ubnd-binh-son", seq=1).id or 0
    _do(session, early, Action.ACKNOWLEDGE, Actor.agency("ubnd-binh-son"), datetime(2022, 9, 1, 9, 0, tzinfo=LOCAL_TZ))
    _do(session, early, Action.REPORT, Actor.agency("ubnd-binh-son"), datetime(2022, 9, 20, 9, 0, tzinfo=LOCAL_TZ))
    settings = Settings(_env_file=None, demo=True, maildrop_dir=tmp_path / "maildrop", reports_dir=tmp_path / "reports")  # type: ignore[call-arg]
    sent = datetime(2022, 9, 26, 8, 0, tzinfo=LOCAL_TZ)
    assert run_periodic_reports(engine, now=sent, settings=settings) == [
        "periodic_report:2022-Q3:chair",
        "periodic_report:2022-Q3:vice-chair",
    ]
    with Session(engine) as s:
        body = s.exec(
            select(Notification.body_text).where(Notification.dedupe_key == "periodic_report:2022-Q3:chair")
        ).one()
    # the 14/9 work is the quarter's, judged: due 1, not done 1
    assert (
        "Phần việc đến hạn trong kỳ, tính tỷ lệ (không kể báo cáo định kỳ; của cơ quan chủ trì, thực hiện): 1; "
        "hoàn thành đúng hạn: 0 (0,0 %)"
    ) in body
    # still to come: the 30/9 work of its lead (once, though the Thông báo restates it for the same
    # body) and of its implementer, done already; not its partner (the leaders are not told of
    # partners), nor the secretariat's own summary due at the end of 26/9 (a report, not a task)
    later = (
        "- Phần việc của kỳ có thời hạn sau thời điểm gửi báo cáo này (ngày 26/09/2022; của cơ quan chủ trì, "
        "thực hiện), chưa tính vào các số liệu trên: 2 (1 trong số đó đã báo cáo hoàn thành)\n"
    )
    assert later in body
    # quý II had no mail (the summary is owed from quý III): this first one tells its work, as it stands
    first = (
        "- Phần việc của Quý II/2022 (kỳ đó không có thư báo cáo; của cơ quan chủ trì, thực hiện), tình hình đến "
        "ngày 26/09/2022: 5 phần việc tính tỷ lệ, hoàn thành đúng hạn 0 (0,0 %), hoàn thành quá hạn 0, "
        "chưa hoàn thành 5\n"
    )
    assert first in body
    roles = ("lead", "implementer")
    quarter = {"start": date(2022, 7, 1), "end": date(2022, 9, 30)}
    with Session(engine) as s:
        after = datetime(2022, 10, 3, 8, 0, tzinfo=LOCAL_TZ)
        # once the quarter is over, nothing of it is still to come (the next quarter's work is not its)
        assert due_later(s, **quarter, now=after, roles=roles) == (0, 0)
        assert due_later(s, **quarter, now=sent, roles=roles) == (2, 1)
        assert due_later(s, **quarter, now=sent) == (3, 1)  # and its partner
        # before the plan was issued (1/3) and loaded, it held nothing yet
        before = datetime(2022, 2, 20, 8, 0, tzinfo=LOCAL_TZ)
        assert due_later(s, start=date(2022, 1, 1), end=date(2022, 6, 30), now=before) == (0, 0)
        assert due_later(s, start=date(2022, 1, 1), end=date(2022, 6, 30), now=LOADED).total > 0
        # the report itself says so, of every role as it counts (the workbook the mail carries, and the
        # report asked while the quarter runs), and says nothing once the quarter is over
        running = render(build_report(s, period_code="2022-Q3", now=sent), "md").decode("utf-8")
        over = render(build_report(s, period_code="2022-Q3", now=after), "md").decode("utf-8")
    said = (
        "3 phần việc của kỳ (mọi vai trò; 1 trong số đó đã báo cáo hoàn thành) có thời hạn sau thời điểm số liệu, "
        "chưa tính vào số phần việc đến hạn trong kỳ và tỷ lệ hoàn thành đúng hạn ở phần theo cơ quan, đơn vị."
    )
    assert said in running and "có thời hạn sau thời điểm số liệu" not in over
    workbook = load_workbook(tmp_path / "reports" / "bao-cao-quy-iii-2022.xlsx")
    assert said.rstrip(".") in [row[0] for row in workbook["Tổng hợp"].iter_rows(values_only=True)]
    # the next quarter's mail tells how they went, as they stand then (the lead reported on 5/10, late):
    # each part is told by one mail of the kind, its own period's or the next one's
    lead = assignment_for(session, "99/KH-TEST:II.10", "so-noi-vu", seq=1).id or 0
    _do(session, lead, Action.ACKNOWLEDGE, Actor.agency("so-noi-vu"), datetime(2022, 10, 5, 9, 0, tzinfo=LOCAL_TZ))
    _do(session, lead, Action.REPORT, Actor.agency("so-noi-vu"), datetime(2022, 10, 5, 10, 0, tzinfo=LOCAL_TZ))
    assert run_periodic_reports(engine, now=datetime(2022, 12, 26, 8, 0, tzinfo=LOCAL_TZ), settings=settings)
    with Session(engine) as s:
        q4, q4_html = s.exec(
            select(Notification.body_text, Notification.body_html).where(
                Notification.dedupe_key == "periodic_report:2022-Q4:chair"
            )
        ).one()
    told = (
        "- Phần việc của Quý III/2022 có thời hạn sau thời điểm gửi báo cáo kỳ đó (ngày 26/09/2022; của cơ quan "
        "chủ trì, thực hiện), tình hình đến ngày 26/12/2022: 2 phần việc tính tỷ lệ, hoàn thành đúng hạn 1 "
        "(50,0 %), hoàn thành quá hạn 1, chưa hoàn thành 0\n"
    )
    assert told in q4 and "Phần việc của Quý II/2022" not in q4  # quý II's were told by quý III's mail
    # the html mail's table says the same: a label, its figures in the number cell
    assert "(ngày 26/09/2022; của cơ quan chủ trì, thực hiện), tình hình đến ngày 26/12/2022</td>" in q4_html
    assert '<td align="right">2: 1 (50,0 %) / 1 / 0</td>' in q4_html


# A Thông báo restating the 30/9 work for its lead (the catalog's same_work_as): one piece of work.
_SAME_WORK_PLAN = notice_plan(
    "2022-03-01",
    """  - code: "98/TB-TEST:1"
    section: "1"
    title: "Việc đến hạn cuối quý (nhắc lại)"
    content: "Việc đến hạn ngày 30/9."
    source: "Mục 1"
    lead: [so-noi-vu]
    deadline: "trước ngày 30/9/2022"
    same_work_as: ["99/KH-TEST:II.10"]
""",
)


def test_a_quarters_report_covers_the_data_cut_off_window_its_text_fixes(
    session: Session, engine: Engine, tmp_path: Path
) -> None:
    """61/KH-UBND VI.7 fixes the quarter's data window ("thời gian chốt số liệu báo cáo … quý III từ
    ngày 15 tháng 6 đến ngày 14 tháng 9"), which governs the province's quarterly report that the
    secretariat drafts from this one. The third quarter's report of 2022 read "Kỳ báo cáo từ
    01/07/2022 đến 30/09/2022; số liệu tính đến 30/09/2022", its mail "số liệu đến 07:00 ngày
    26/09/2022". It now says the window and whose text fixes it, and computes its figures at its end:
    the 14/9 work is the quarter's, the 30/9 work the next window's, none "still to come"."""
    catalog = report_catalog(tmp_path)  # the quarterly duty with the 15th–14th cut-off
    plan = catalog / "plans" / "test-plan.yaml"
    text = plan.read_text(encoding="utf-8").replace("\nreporting:\n", "\n" + _QUARTER_ITEMS + "reporting:\n", 1)
    plan.write_text(text + _QUARTER_SUMMARY, encoding="utf-8")
    load_min_catalog(session, LOADED, catalog)
    session.commit()
    report = build_report(session, period_code="2022-Q3", now=datetime(2022, 10, 5, 9, 0, tzinfo=LOCAL_TZ))
    assert (report.start, report.end) == (date(2022, 6, 15), date(2022, 9, 14))
    assert report.as_of == datetime(2022, 9, 14, 23, 59, 59, tzinfo=LOCAL_TZ)
    md = render(report, "md").decode("utf-8")
    assert (
        "Kỳ báo cáo quý III/2022; thời gian chốt số liệu từ 15/06/2022 đến 14/09/2022 (theo 99/KH-TEST); "
        "số liệu tính đến 14/09/2022."
    ) in md
    # a period whose texts fix no cut-off covers its own days
    half = build_report(session, period_code="2022-H1", now=datetime(2022, 10, 5, 9, 0, tzinfo=LOCAL_TZ))
    assert (half.start, half.end, half.window_words) == (
        date(2022, 1, 1),
        date(2022, 6, 30),
        "Kỳ báo cáo từ 01/01/2022 đến 30/06/2022",
    )
    settings = Settings(_env_file=None, demo=True, maildrop_dir=tmp_path / "maildrop", reports_dir=tmp_path / "reports")  # type: ignore[call-arg]
    sent = datetime(2022, 9, 26, 8, 0, tzinfo=LOCAL_TZ)
    assert run_periodic_reports(engine, now=sent, settings=settings)
    with Session(engine) as s:
        body = s.exec(
            select(Notification.body_text).where(Notification.dedupe_key == "periodic_report:2022-Q3:chair")
        ).one()
    assert "(thời gian chốt số liệu từ 15/06/2022 đến 14/09/2022 (theo 99/KH-TEST); số liệu đến 14/09/2022)" in body
    # the work due from 15/06 to 14/09 (the 14/9 work among it), judged at the end of 14/09
    assert (
        "Phần việc đến hạn trong kỳ, tính tỷ lệ (không kể báo cáo định kỳ; của cơ quan chủ trì, thực hiện): 6; "
        "hoàn thành đúng hạn: 0 (0,0 %)"
    ) in body
    assert "thời hạn sau thời điểm gửi báo cáo này" not in body  # the window closed on 14/9: the 30/9 work is Q4's


def test_a_quarters_mail_says_what_fell_due_before_tracking_began(
    session: Session, engine: Engine, tmp_path: Path
) -> None:
    """The year's mail said "Phần việc đến hạn trong kỳ: 83" of 2022 while 37 more had fallen due
    before tracking began (1/6), unsaid; its subject read "42 phần việc quá hạn, 19 báo cáo của kỳ
    chưa gửi" as if the two were to be added, when the 19 are among the 42."""
    catalog = report_catalog(tmp_path, cutoff=False)
    plan = catalog / "plans" / "test-plan.yaml"
    first = _QUARTER_ITEMS.split('  - code: "99/KH-TEST:II.10"')[0]  # the 14/9 work, again due on 20/9
    late_task = first.replace("II.9", "II.11").replace("14/9", "20/9").replace("giữa tháng", "cuối tháng")
    items = _QUARTER_ITEMS + late_task
    text = plan.read_text(encoding="utf-8").replace("\nreporting:\n", "\n" + items + "reporting:\n", 1)
    plan.write_text(text + _QUARTER_SUMMARY, encoding="utf-8")
    load_min_catalog(session, LOADED, catalog)
    set_tracking_start(session, date(2022, 9, 15))  # the 14/9 work is before it, the 20/9 work after
    session.commit()
    settings = Settings(_env_file=None, demo=True, maildrop_dir=tmp_path / "maildrop", reports_dir=tmp_path / "reports")  # type: ignore[call-arg]
    run_periodic_reports(engine, now=datetime(2022, 9, 26, 8, 0, tzinfo=LOCAL_TZ), settings=settings)
    with Session(engine) as s:
        subject, body = s.exec(
            select(Notification.subject, Notification.body_text).where(
                Notification.dedupe_key == "periodic_report:2022-Q3:chair"
            )
        ).one()
    # overdue: the 20/9 work and the four members' quarterly reports (due 20/9), which are among them
    assert subject.endswith(
        "quý III/2022 (số liệu đến 08:00 ngày 26/09/2022): 5 phần việc quá hạn, "
        "trong đó 4 báo cáo của kỳ quá hạn chưa gửi"
    )
    assert "(không kể báo cáo định kỳ; của cơ quan chủ trì, thực hiện): 1; hoàn thành đúng hạn: 0 (0,0 %);" in body
    before = "- Phần việc đến hạn trong kỳ trước ngày bắt đầu theo dõi (15/09/2022; của cơ quan chủ trì, thực hiện)"
    assert before + ", không tính: 1\n" in body
    # and the workbook it carries, of every role
    workbook = load_workbook(tmp_path / "reports" / "bao-cao-quy-iii-2022.xlsx")
    notes = [str(row[0]) for row in workbook["Tổng hợp"].iter_rows(values_only=True)]
    assert any(
        n.startswith("1 phần việc của kỳ (mọi vai trò) đến hạn trước ngày bắt đầu theo dõi (15/09/2022)") for n in notes
    )


def test_work_due_on_the_periods_last_day_is_late_by_less_than_a_working_day(quarter: Session) -> None:
    """Section V listed work due on the quarter's last day (99/KH-TEST II.1's "Phê duyệt cấp độ",
    30/06/2022) as "0" working days late, and the md named no milestone."""
    data = build_report(quarter, period_code="2022-Q2", now=datetime(2022, 7, 10, 9, 0, tzinfo=LOCAL_TZ))
    closing = [o for o in data.overdue if o.due_date == date(2022, 6, 30)]
    assert closing and all(o.days_late == 0 and o.milestone_label == "Phê duyệt cấp độ" for o in closing)
    html, md = (render(data, fmt).decode("utf-8") for fmt in ("html", "md"))
    assert html.count('<td class="n">dưới 1</td>') == len(closing)
    lines = [line for line in md.splitlines() if "(Phê duyệt cấp độ)" in line and "30/06/2022" in line]
    assert len(lines) == len(closing) and all(line.endswith("| dưới 1 |") for line in lines)


def test_periods_are_named_as_people_read_them(quarter: Session) -> None:
    """The indicators' table gave the figure's period as its code ("2022-Q1"), and a period's
    report with no label of its own, or a one-off report, read "—" under "Kỳ"."""
    from dondoc.engine.reports.data import DutyRow
    from dondoc.tasks_catalog.cycles import period_label

    data = build_report(quarter, period_code="2022-Q1", now=AFTER_Q1)
    shown = {i.actual_period_text for i in data.indicators if i.actual is not None}
    assert shown == {period_label("2022-Q1")} and "2022-Q1" not in shown
    for fmt in ("html", "md"):
        written = render(data, fmt).decode("utf-8")
        assert period_label("2022-Q1") in written and ">2022-Q1<" not in written and "| 2022-Q1 |" not in written
    duty = DutyRow("99/KH-TEST:VI.bao-cao-nam", "Báo cáo năm", None, "so-tttt", "Sở TT&TT", None, None, "missing", 0)
    assert duty.period_text == "Một lần"  # a one-off report: no period
    assert replace(duty, period_code="2022").period_text == period_label("2022") == "Năm 2022"
    assert replace(duty, period_label="Quý I/2022", period_code="2022-Q1").period_text == "Quý I/2022"


def test_section_one_says_how_many_parts_its_total_counts_twice(session: Session, tmp_path: Path) -> None:
    """A Thông báo restating a plan's work for the same body: each document's row counts its part,
    and the total counted the one piece of work twice with no word (the 2022 report: 22 parts)."""
    catalog = report_catalog(tmp_path, cutoff=False)
    plan = catalog / "plans" / "test-plan.yaml"
    text = plan.read_text(encoding="utf-8").replace("\nreporting:\n", "\n" + _QUARTER_ITEMS + "reporting:\n", 1)
    plan.write_text(text, encoding="utf-8")
    load_min_catalog(session, LOADED, catalog)
    session.commit()
    before = build_report(session, period_code="2022-Q3", now=datetime(2022, 10, 10, 9, 0, tzinfo=LOCAL_TZ))
    assert before.counted_twice == 0 and not any("cùng một việc" in n for n in period_notes(before))
    (catalog / "plans" / "other-plan.yaml").write_text(_SAME_WORK_PLAN, encoding="utf-8")
    load_min_catalog(session, LOADED, catalog)  # the Thông báo's lead part, Sở Nội vụ's, is II.10's lead part
    session.commit()
    data = build_report(session, period_code="2022-Q3", now=datetime(2022, 10, 10, 9, 0, tzinfo=LOCAL_TZ))
    assert data.counted_twice == 1
    assert data.totals.total == before.totals.total + 1  # counted under each document
    said = "1 phần việc là cùng một việc với phần việc của cùng cơ quan ở văn bản khác"
    for fmt in ("md", "html"):
        assert render(data, fmt).decode("utf-8").count(said) == 1
    # a report of a day before the Thông báo was issued counts it under neither
    early = build_report(session, period_code="2022-Q1", now=datetime(2022, 2, 20, 9, 0, tzinfo=LOCAL_TZ))
    assert early.counted_twice == 0


def test_a_one_off_report_is_named_by_the_period_the_text_gives_it() -> None:
    """04/KH-BCĐ III.2's "báo cáo năm trước ngày 30/11/2022" read "—", then "Một lần", under "Kỳ":
    it is the year 2022's report, which the catalog says (a one-off entry's label)."""
    from pydantic import ValidationError

    from dondoc.tasks_catalog.loader import load_catalog
    from dondoc.tasks_catalog.schema import ReportingEntry

    items = {item.code: item for plan in load_catalog().plans for item in plan.items}
    (milestone,) = items["04/KH-BCĐ:III.2.bao-cao-nam"].milestones
    assert milestone.label == "Năm 2022"
    entry = {"code": "X:VI.1", "title": "Báo cáo", "source": "Mục VI", "reporters": ["so-tttt"], "label": "Năm 2022"}
    with pytest.raises(ValidationError, match="one-off"):
        ReportingEntry.model_validate({**entry, "period": "year", "due_day": 20})
    assert ReportingEntry.model_validate({**entry, "period": "once", "deadline": "trước ngày 30/11/2022"}).label


def test_reports_owed_before_tracking_began_are_said_beside_the_tasks(session: Session, tmp_path: Path) -> None:
    """The year's note read "106 phần việc của kỳ (mọi vai trò) đến hạn trước ngày bắt đầu theo dõi" while
    33 quarterly reports owed before that day were left out of the report rates unsaid."""
    load_min_catalog(session, LOADED, report_catalog(tmp_path, cutoff=False))
    set_tracking_start(session, date(2022, 7, 1))  # after the first quarter's reports (due 20/04)
    session.commit()
    data = build_report(session, period_code="2022-H1", now=datetime(2022, 7, 10, 9, 0, tzinfo=LOCAL_TZ))
    owed = sum(a.rates.reports_before_tracking for a in data.by_agency)
    assert owed > 0 and all(a.rates.reports_due == 0 for a in data.by_agency)  # not counted, and now said
    (note,) = [n for n in period_notes(data) if "trước ngày bắt đầu theo dõi" in n]
    assert f"{owed} lần báo cáo định kỳ của kỳ đến hạn trước ngày" in note


def test_a_date_a_day_off_moved_is_said_beside_it(quarter: Session) -> None:
    """The report listed 61/KH-UBND VI.3.e's third quarter "Hạn 26/09/2022" where the text says "chậm
    nhất vào ngày 25 tháng cuối quý" (25/09/2022, a Sunday), with no word of why: each form now says
    the day off moved it, as the board's lists and workbook do. (The quarter's reports here are due
    on 20/03/2022, a Sunday: 21/03.)"""
    data = build_report(quarter, period_code="2022-Q1", now=AFTER_Q1)
    said = "ngày 20/03/2022 là ngày nghỉ (Chủ nhật): hạn chuyển sang ngày làm việc kế tiếp"
    overdue = next(o for o in data.overdue if o.agency_code == "ubnd-ly-son" and o.item_code == QUARTERLY)
    late = next(d for d in data.duties if d.agency_code == "ubnd-binh-son")
    for row in (overdue, late):
        assert row.due_date == date(2022, 3, 21) and row.moved_from == date(2022, 3, 20)
        assert row.due_note is not None and said in row.due_note
    md, html = render(data, "md").decode("utf-8"), render(data, "html").decode("utf-8")
    assert f"| 21/03/2022 ({said}" in md and f'21/03/2022<br><span class="note">{said}' in html
    workbook = load_workbook(io.BytesIO(render(data, "xlsx")))
    notes = {}
    for name in ("Quá hạn", "Báo cáo định kỳ"):  # sections V and IV
        sheet = workbook[name]
        header = [c.value for c in sheet[1]]
        notes |= {
            (sheet.cell(r, 5).value, sheet.cell(r, header.index("Tình trạng") + 1).value): sheet.cell(
                r, header.index("Ghi chú về thời hạn") + 1
            ).value
            for r in range(2, sheet.max_row + 1)
            if sheet.cell(r, 2).value  # the table's rows, not the note under them
        }
    assert said in notes[("UBND huyện Lý Sơn", "Đang quá hạn")]
    assert said in notes[("UBND huyện Bình Sơn", "Báo cáo trễ hạn")]
    # a date no day off moved says nothing
    others = [o for o in data.overdue if o.item_code != QUARTERLY]
    assert all(o.moved_from is None and o.due_note is None for o in others)


def _all_due_before_tracking(data: ReportData) -> int:
    """How many of the reports due in ``data``'s cut-off window fell due before tracking began: all
    of them (none followed, none listed in section IV)."""
    owed = sum(a.rates.reports_before_tracking for a in data.by_agency)
    assert data.windowed and not data.duties and owed > 0 and data.reports_followed == 0
    return owed


def test_section_four_with_no_row_names_whose_reports_and_claims_none_it_did_not_follow(
    session: Session, tmp_path: Path
) -> None:
    """On a quarter's data cut-off window (15/03–14/06 for the second) the reports due are the first
    quarter's (due 20/03, a Sunday: 21/03). The 2024 replay's Quý IV/2024 report, all of whose
    window's reports (Quý III/2024's) fell due before tracking began and were put apart, four never
    sent, said "Các cơ quan đã gửi đầy đủ, đúng hạn báo cáo của kỳ." in its section IV."""
    load_min_catalog(session, LOADED, report_catalog(tmp_path))
    set_tracking_start(session, date(2022, 4, 1))  # after the first quarter's reports
    session.commit()
    data = build_report(session, period_code="2022-Q2", now=datetime(2022, 7, 10, 9, 0, tzinfo=LOCAL_TZ))
    owed = _all_due_before_tracking(data)
    said = (
        "Không có báo cáo định kỳ có hạn trong thời gian chốt số liệu (Quý I/2022) được theo dõi: "
        f"{owed} lần báo cáo định kỳ Quý I/2022 đến hạn trước ngày bắt đầu theo dõi (01/04/2022): "
        "không được theo dõi, không tính ở phần này."
    )
    for fmt in ("html", "md"):
        written = render(data, fmt).decode("utf-8")
        assert said in written and "đầy đủ, đúng hạn" not in written
    # section I's note names them alike: the first quarter's, not "của kỳ"
    (note,) = [n for n in period_notes(data) if "trước ngày bắt đầu theo dõi" in n]
    assert f"{owed} lần báo cáo định kỳ Quý I/2022 đến hạn trước ngày bắt đầu theo dõi (01/04/2022)" in note
    assert "báo cáo định kỳ của kỳ" not in note
    # followed, sent on time, none put apart: "đầy đủ, đúng hạn", of the reports it names
    set_tracking_start(session, date(2022, 3, 1))
    first = _first_quarter_sent_on_time(session)
    data = build_report(session, period_code="2022-Q2", now=datetime(2022, 7, 10, 9, 0, tzinfo=LOCAL_TZ))
    assert first and not data.duties and data.reports_followed == len(first)
    said = "Các cơ quan đã gửi đầy đủ, đúng hạn báo cáo định kỳ có hạn trong thời gian chốt số liệu (Quý I/2022)."
    for fmt in ("html", "md"):
        assert said in render(data, fmt).decode("utf-8")


def _first_quarter_sent_on_time(session: Session) -> list[Any]:
    """Every report of the first quarter of 2022 (due 20/03) acknowledged and sent on 18/03: the parts."""
    first = session.exec(
        select(Assignment, Agency)
        .join(Milestone, col(Assignment.milestone_id) == col(Milestone.id))
        .join(Agency, col(Assignment.agency_id) == col(Agency.id))
        .where(Milestone.period_code == "2022-Q1", col(Milestone.label).is_not(None))
    ).all()
    for a, agency in first:
        _do(session, a.id or 0, Action.ACKNOWLEDGE, Actor.agency(agency.code), LOADED)
        _do(session, a.id or 0, Action.REPORT, Actor.agency(agency.code), datetime(2022, 3, 18, tzinfo=LOCAL_TZ))
    return list(first)


def test_a_quarters_mail_with_no_report_late_names_whose_reports_or_says_none_was_followed(
    session: Session, engine: Engine, tmp_path: Path
) -> None:
    """On a quarter's data cut-off window (15/06–14/09 for the third) the reports due are the second
    quarter's and the first half's (due 20/06). The 2025 replay's Quý IV/2024 mail, all of whose
    window's reports (33 of Quý III/2024) fell due before tracking began, read "Báo cáo định kỳ có hạn
    trong thời gian chốt số liệu: 0 gửi trễ, 0 quá hạn chưa gửi": no period named, and reports nobody
    followed counted as none late. It says what section IV says (labels.no_duties_words)."""
    catalog = report_catalog(tmp_path)  # the quarterly duty with the 15th–14th cut-off
    plan = catalog / "plans" / "test-plan.yaml"
    plan.write_text(plan.read_text(encoding="utf-8") + _QUARTER_SUMMARY, encoding="utf-8")
    load_min_catalog(session, LOADED, catalog)
    set_tracking_start(session, date(2022, 7, 1))  # after the reports due on 20/06
    session.commit()
    settings = Settings(_env_file=None, demo=True, maildrop_dir=tmp_path / "maildrop", reports_dir=tmp_path / "reports")  # type: ignore[call-arg]
    sent = datetime(2022, 9, 26, 8, 0, tzinfo=LOCAL_TZ)
    assert run_periodic_reports(engine, now=sent, settings=settings)
    with Session(engine) as s:
        subject, text, html = s.exec(
            select(Notification.subject, Notification.body_text, Notification.body_html).where(
                Notification.dedupe_key == "periodic_report:2022-Q3:chair"
            )
        ).one()
    data = build_report(session, period_code="2022-Q3", now=sent)
    owed = _all_due_before_tracking(data)
    # the subject too: it had said "không có báo cáo định kỳ quá hạn chưa gửi" of reports nobody followed
    unknown = (
        f"{owed} lần báo cáo định kỳ Quý II/2022, 6 tháng đầu năm 2022 đến hạn trước ngày bắt đầu theo dõi "
        "(01/07/2022): không được theo dõi"
    )
    # (the quarter's own reports, due on 20/09 and judged at the mail's instant, are followed: none sent)
    own = "4 báo cáo định kỳ Quý III/2022 quá hạn chưa gửi (tính đến 08:00 ngày 26/09/2022)"
    assert subject.endswith(f"phần việc quá hạn; {own}; {unknown}") and "không có" not in subject
    said = (
        "Không có báo cáo định kỳ có hạn trong thời gian chốt số liệu (Quý II/2022, 6 tháng đầu năm 2022) được "
        f"theo dõi: {owed} lần báo cáo định kỳ Quý II/2022, 6 tháng đầu năm 2022 đến hạn trước ngày bắt đầu "
        "theo dõi (01/07/2022): không được theo dõi, không tính trong tóm tắt này."
    )
    assert f"- {said}\n" in text and said in " ".join(html.split())
    # no count of reports nobody followed (the quarter's own, due after the window, are counted on their line)
    assert "- Báo cáo định kỳ có hạn trong thời gian chốt số liệu (Quý II/2022, 6 tháng đầu năm 2022): " not in text
    assert "gửi trễ / quá hạn chưa gửi" not in html


def test_section_four_says_full_only_of_the_reports_due_so_far(session: Session, tmp_path: Path) -> None:
    """The six-month report read on the morning of 20/06/2022, its first quarter's reports all sent on
    time and its second quarter's and its own due that evening, none of them sent yet, said in section
    IV "Các cơ quan đã gửi đầy đủ, đúng hạn báo cáo định kỳ của kỳ.": complete, of reports still to come.
    It says "đầy đủ" of those due by the report's instant, and how many are still to come."""
    load_min_catalog(session, LOADED, report_catalog(tmp_path, cutoff=False))
    set_tracking_start(session, date(2022, 3, 1))
    first = _first_quarter_sent_on_time(session)
    morning = datetime(2022, 6, 20, 8, 5, tzinfo=LOCAL_TZ)
    data = build_report(session, period_code="2022-H1", now=morning)
    assert first and not data.duties and data.reports_followed == len(first)
    later = data.reports_due_later.total
    assert later > 0 and data.reports_due_later.done == 0  # the second quarter's and the half year's, that evening
    said = (
        "Các cơ quan đã gửi đầy đủ, đúng hạn báo cáo định kỳ của kỳ đã đến hạn (đến 08:05 ngày 20/06/2022); "
        f"{later} lần báo cáo định kỳ của kỳ có hạn sau thời điểm đó (0 đã gửi), không tính ở phần này."
    )
    for fmt in ("html", "md"):
        written = render(data, fmt).decode("utf-8")
        assert said in written and "đúng hạn báo cáo định kỳ của kỳ." not in written
    # the next morning, all due: none sent, listed, no word of "đầy đủ"
    data = build_report(session, period_code="2022-H1", now=datetime(2022, 6, 21, 8, 5, tzinfo=LOCAL_TZ))
    assert data.reports_due_later.total == 0 and len(data.duties) == later


def test_the_overdue_section_says_the_work_due_before_tracking_began_it_does_not_list(
    session: Session, tmp_path: Path
) -> None:
    """The 2021 report said "Không có nhiệm vụ quá hạn." of a year whose parts were all due before the
    tracking start, many open past their dates: section V now says it lists the followed work only,
    and how many parts it leaves out; its heading counts parts, as its rows are."""
    load_min_catalog(session, LOADED, report_catalog(tmp_path, cutoff=False))
    set_tracking_start(session, date(2022, 7, 1))  # every date of the first half before it
    session.commit()
    data = build_report(session, period_code="2022-H1", now=datetime(2022, 7, 10, 9, 0, tzinfo=LOCAL_TZ))
    before = data.totals.counts["truoc_khi_theo_doi"]
    assert not data.overdue and before > 0
    empty = "Không có phần việc quá hạn trong các phần việc được theo dõi."
    note = f"{before} phần việc có hạn trước ngày bắt đầu theo dõi (01/07/2022), xong hay chưa, không được theo dõi"
    md, html = render(data, "md").decode("utf-8"), render(data, "html").decode("utf-8")
    for text in (md, html):
        assert "V. Phần việc đang quá hạn" in text and empty in text and note in text
        assert "Không có nhiệm vụ quá hạn" not in text
    sheet = load_workbook(io.BytesIO(render(data, "xlsx")))["Quá hạn"]
    cells = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True) if row and row[0]]
    assert cells[0] == empty and cells[1].startswith(note)


def _cells(book: bytes | Path) -> dict[str, list[tuple[object, ...]]]:
    """Every sheet's cells, by sheet name (a workbook's metadata, such as its creation time, apart)."""
    workbook = load_workbook(io.BytesIO(book) if isinstance(book, bytes) else book)
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in workbook}


def test_the_report_mailed_to_the_leaders_is_read_as_mailed_and_a_later_reading_says_it_differs(
    quarter: Session, engine: Engine, tmp_path: Path
) -> None:
    """The 2022 demo mailed the six-month report on 20/06, its figures of 07:00 that day, "0 phần việc
    quá hạn"; read in July, the same title counted to 30/06 (9 overdue) with no word of the other, and
    the secretariat could not read what the chair had. The reports page lists what was mailed, each
    rebuilt as mailed (the workbook the chair received, cell for cell), and a later reading says it
    counts to another instant than the mailed one."""
    from fastapi.testclient import TestClient

    from dondoc.engine.clock import FrozenClock
    from dondoc.engine.reports.labels import mailed_words
    from dondoc.engine.reports.sent import mailed_at
    from dondoc.engine.services.accounts import add_user
    from dondoc.web.app import create_app
    from tests.support.web import PASSWORD, SECRET, USER, csrf_of

    reports = tmp_path / "reports"
    settings = Settings(_env_file=None, demo=True, maildrop_dir=tmp_path / "maildrop", reports_dir=reports)  # type: ignore[call-arg]
    on_the_day = datetime(2022, 6, 20, 7, 0, tzinfo=LOCAL_TZ)
    assert run_periodic_reports(engine, now=on_the_day, settings=settings)
    # after the mail, within the half-year: a report comes in, another falls due unsent
    part = assignment_for(quarter, QUARTERLY, "so-noi-vu", seq=2).id or 0
    _do(quarter, part, Action.ACKNOWLEDGE, Actor.agency("so-noi-vu"), datetime(2022, 6, 21, 9, 0, tzinfo=LOCAL_TZ))
    _do(quarter, part, Action.REPORT, Actor.agency("so-noi-vu"), datetime(2022, 6, 22, 9, 0, tzinfo=LOCAL_TZ))
    july = datetime(2022, 7, 10, 9, 0, tzinfo=LOCAL_TZ)
    with Session(engine) as session:
        sent = mailed_at(session, "2022-H1")
        assert sent == on_the_day
        as_mailed = build_report(session, period_code="2022-H1", now=sent)
        read_later = build_report(session, period_code="2022-H1", now=july)
    attached = reports / "bao-cao-6-thang-dau-nam-2022.xlsx"
    assert _cells(render(as_mailed, "xlsx")) == _cells(attached)  # rebuilt, it is the chair's workbook
    assert mailed_words(as_mailed) is None
    said = (
        "Báo cáo 6 tháng đầu năm 2022 đã gửi Lãnh đạo ngày 20/06/2022 với số liệu đến 07:00 ngày 20/06/2022; "
        "bản này tính số liệu đến 30/06/2022, nên số liệu có thể khác bản đã gửi"
    )
    assert _cells(render(read_later, "xlsx")) != _cells(attached)
    for fmt in ("html", "md"):
        assert said in render(read_later, fmt).decode("utf-8")
    assert said in str(_cells(render(read_later, "xlsx"))["Tổng hợp"])

    with Session(engine) as session:
        add_user(session, USER, PASSWORD, now=july, display_name="Tổ giúp việc")
        session.commit()
    web = Settings(secret_key=SECRET, base_url="http://testserver", database_url=str(engine.url))
    app = create_app(settings=web, engine=engine, clock=FrozenClock(july), attachments=tmp_path / "files")
    with TestClient(app, follow_redirects=False) as client:
        token = csrf_of(client.get("/login").text)
        client.post("/login", data={"username": USER, "password": PASSWORD, "csrf": token})
        page = client.get("/board/reports").text
        mailed = page.split('id="mailed"', 1)[1].split("</table>", 1)[0]
        assert "6 tháng đầu năm 2022" in mailed and "07:00 ngày 20/06/2022" in mailed
        link = "/board/reports/download?period=2022-H1&format=xlsx&mailed=true"
        assert link.replace("&", "&amp;") in mailed
        assert _cells(client.get(link).content) == _cells(attached)
        never = client.get("/board/reports/download?period=2022-Q3&format=xlsx&mailed=true")
        assert never.status_code == 404 and "Không tìm thấy bản gửi Lãnh đạo của báo cáo Quý III/2022." in never.text


def _send_reports(session: Session, before: datetime, *, unless: dict[str, datetime | None]) -> None:
    """Every periodic report due before ``before`` sent at 09:00 on its due day (on time), but those of
    ``unless`` ("2022-Q1:ubnd-ly-son" -> the instant it is sent, None: never)."""
    owed = session.exec(
        select(Assignment, Agency, Milestone)
        .join(Milestone, col(Assignment.milestone_id) == col(Milestone.id))
        .join(Agency, col(Assignment.agency_id) == col(Agency.id))
        .where(col(Assignment.due_at) < before, col(Milestone.period_code).is_not(None))
        .order_by(col(Assignment.due_at))
    ).all()
    for a, agency, milestone in owed:
        on_time = (a.due_at or before).astimezone(LOCAL_TZ).replace(hour=9, minute=0)
        day = unless.get(f"{milestone.period_code}:{agency.code}", on_time)
        if day is not None:
            _do(session, a.id or 0, Action.ACKNOWLEDGE, Actor.agency(agency.code), day)
            _do(session, a.id or 0, Action.REPORT, Actor.agency(agency.code), day)


def test_a_quarters_report_lists_its_own_reports_and_the_earlier_ones_not_sent(
    session: Session, engine: Engine, tmp_path: Path
) -> None:
    """61/KH-UBND's quarter is judged on its data cut-off window (15/06–14/09 for the third), in which
    the reports due are the second quarter's. The 2022 replay's Quý III/2022 report, mailed on 26/09,
    listed those and said nothing of the nine agencies whose own Quý III report, due on 20/09, had
    not come, though the province's Quý III report is built from them; and its subject read "26 phần
    việc quá hạn, trong đó 4 báo cáo định kỳ Quý II/2022" where 8 of the 26 were reports, four of Quý I
    (never sent, listed in section V only). The quarter's own reports are now judged at the reading
    (one due after it is not late yet), the earlier ones listed in section IV too, and the mail says
    how many of the overdue parts are reports, of which periods."""
    catalog = report_catalog(tmp_path)  # the members' quarterly reports, due on the 20th, cut off on the 14th
    plan = catalog / "plans" / "test-plan.yaml"
    plan.write_text(plan.read_text(encoding="utf-8") + _QUARTER_SUMMARY, encoding="utf-8")
    load_min_catalog(session, LOADED, catalog)
    session.commit()
    read = datetime(2022, 9, 26, 8, 0, tzinfo=LOCAL_TZ)
    late = datetime(2022, 9, 23, 10, 0, tzinfo=LOCAL_TZ)
    skipped = {"2022-Q1:ubnd-ly-son": None, "2022-Q2:so-noi-vu": None, "2022-Q3:ubnd-binh-son": None}
    _send_reports(session, read, unless=skipped | {"2022-Q3:vp-ubnd": late})
    # read on 19/09, before the quarter's own reports are due: none of them is late yet
    early = build_report(session, period_code="2022-Q3", now=datetime(2022, 9, 19, 10, 0, tzinfo=LOCAL_TZ))
    assert early.own_duties == [] and early.own_due == 0 and early.own_due_later.total >= 4
    data = build_report(session, period_code="2022-Q3", now=read)
    assert [(d.agency_code, d.period_text, d.status) for d in data.duties if d.item_code == QUARTERLY] == [
        ("so-noi-vu", "Quý II/2022", "missing")
    ]
    assert [(d.agency_code, d.period_text, d.status) for d in data.earlier_duties] == [
        ("ubnd-ly-son", "Quý I/2022", "missing")
    ]
    own = [(d.agency_code, d.period_text, d.status) for d in data.own_duties if d.item_code == QUARTERLY]
    assert own == [("ubnd-binh-son", "Quý III/2022", "missing"), ("vp-ubnd", "Quý III/2022", "late")]
    assert data.own_as_of == read
    scope = (
        "Phần này liệt kê báo cáo định kỳ có hạn trong thời gian chốt số liệu (Quý II/2022, 6 tháng đầu năm 2022) "
        "gửi trễ hoặc chưa gửi, tính đến 14/09/2022; báo cáo định kỳ của các kỳ trước (Quý I/2022) vẫn chưa gửi, "
        "tính đến 14/09/2022 (cũng ở phần V); báo cáo định kỳ Quý III/2022 của các cơ quan (có hạn sau thời gian "
        "chốt số liệu) gửi trễ hoặc chưa gửi, tính đến 08:00 ngày 26/09/2022"
    )
    md, html = render(data, "md").decode("utf-8"), render(data, "html").decode("utf-8")
    for written in (md, " ".join(html.split())):
        assert scope in written
        for agency, period in (("UBND huyện Lý Sơn", "Quý I/2022"), ("UBND huyện Bình Sơn", "Quý III/2022")):
            assert f"<td>{period}</td><td>{agency}</td>" in written or f"| {period} | {agency} |" in written
    sheet = load_workbook(io.BytesIO(render(data, "xlsx")))["Báo cáo định kỳ"]
    rows = [row for row in sheet.iter_rows(values_only=True)]
    listed = {(r[3], r[4], r[7]) for r in rows[1:] if len(r) > 7 and r[1]}
    assert {
        ("Quý I/2022", "UBND huyện Lý Sơn", "Chưa báo cáo (quá hạn)"),
        ("Quý II/2022", "Sở Nội vụ", "Chưa báo cáo (quá hạn)"),
        ("Quý III/2022", "UBND huyện Bình Sơn", "Chưa báo cáo (quá hạn)"),
        ("Quý III/2022", "Văn phòng UBND tỉnh", "Báo cáo trễ hạn"),
    } <= listed
    assert any(r[0] and str(r[0]).startswith(scope) for r in rows)
    # the mail: how many of the overdue parts are reports, of which periods; the quarter's own beside
    settings = Settings(_env_file=None, demo=True, maildrop_dir=tmp_path / "maildrop", reports_dir=tmp_path / "reports")  # type: ignore[call-arg]
    assert run_periodic_reports(engine, now=read, settings=settings)
    with Session(engine) as s:
        subject, text, html_mail = s.exec(
            select(Notification.subject, Notification.body_text, Notification.body_html).where(
                Notification.dedupe_key == "periodic_report:2022-Q3:chair"
            )
        ).one()
    among = (
        "trong đó 2 báo cáo định kỳ quá hạn chưa gửi (1 có hạn trong thời gian chốt số liệu: Quý II/2022; "
        "1 của các kỳ trước: Quý I/2022)"
    )
    own_missing = "1 báo cáo định kỳ Quý III/2022 quá hạn chưa gửi (tính đến 08:00 ngày 26/09/2022)"
    assert subject.endswith(f"phần việc quá hạn, {among}; {own_missing}")
    own_line = (
        "- Báo cáo định kỳ Quý III/2022 của các cơ quan (có hạn sau thời gian chốt số liệu), tình hình đến "
        "08:00 ngày 26/09/2022: 1 gửi trễ, 1 quá hạn chưa gửi; 1 lần báo cáo có hạn sau thời điểm đó, "
        "chưa quá hạn (0 đã gửi)\n"
    )  # the province's own report, due on 26/09 (25/09 a Sunday), is not late at 08:00
    assert own_line in text and own_line[2:-1] in " ".join(html_mail.split())
    earlier = "- Báo cáo định kỳ của các kỳ trước (Quý I/2022) vẫn quá hạn chưa gửi tính đến 14/09/2022: 1\n"
    assert earlier in text and f", {among}\n" in text
