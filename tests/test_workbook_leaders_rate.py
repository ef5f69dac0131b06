"""The periodic report's workbook and the leaders' page go to the same chair under the same words,
"Tỷ lệ hoàn thành đúng hạn" and "Tỷ lệ báo cáo đúng hạn": the sheet by body states the page's figure,
on the page's basis (the roles the leaders' rungs name, no part dated by the secretariat's convention:
engine.reports.rates.leaders_leave_out), and gives what that rate leaves out in columns of its own.

2022 replay, the workbook of 15/12/2022 beside the page of that morning: Sở Ngoại vụ 50,0 % (3/6) on
the sheet, 33,3 % (1/3) on the page; Sở TT&TT's reports 80,0 % (4/5) and 100,0 % (3/3), the sheet
counting its own six-month report, unsent and due on the convention's day."""

from __future__ import annotations

from datetime import datetime
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlmodel import Session

from dondoc.engine.actors import Actor
from dondoc.engine.clock import LOCAL_TZ, FrozenClock
from dondoc.engine.reports import build_report, render
from dondoc.engine.services.assignments import Request, act
from dondoc.engine.workflow import Action
from dondoc.web.pages import leaders_context
from dondoc.web.trend_cache import TrendCache
from tests.factories import assignment_for, load_min_catalog
from tests.support.catalogs import copy_catalog
from tests.support.sweep import CALENDAR, POLICY

BY_CONVENTION = "99/KH-TEST:VI.bao-cao-6-thang"  # "Định kỳ 6 tháng": the day is the convention's
BY_TEXT = "99/KH-TEST:VI.bao-cao-quy"  # "trước ngày 20 tháng cuối quý"
SHARED = "99/KH-TEST:II.8"  # led by Sở Nội vụ, Sở TT&TT a partner

ITEM = """items:
  - code: "99/KH-TEST:II.8"
    section: "II.8"
    title: "Xây dựng quy chế phối hợp"
    content: "Xây dựng quy chế phối hợp trước ngày 15/4/2022."
    source: "Mục II.8"
    lead: [so-noi-vu]
    partners: [so-tttt]
    deadline: "trước ngày 15/4/2022"
"""
REPORTING = """
reporting:
  - code: "99/KH-TEST:VI.bao-cao-6-thang"
    title: "Báo cáo 6 tháng"
    source: "Mục VI"
    reporters: [so-tttt]
    period: half_year
    dates: convention
    deadline: "Định kỳ 6 tháng"
    first_period: "2022-H1"
    last_period: "2022-H1"
  - code: "99/KH-TEST:VI.bao-cao-quy"
    title: "Báo cáo quý"
    source: "Mục VI"
    reporters: [so-tttt]
    period: quarter
    due_day: 20
    first_period: "2022-Q2"
    last_period: "2022-Q2"
"""
CONVENTIONS = """before_date_means: end_of_day
report_days: {due_day: 20, cutoff_start_day: 15, cutoff_end_day: 14, basis: "quy ước thử"}
"""
NOW = datetime(2022, 7, 8, 10, 0, tzinfo=LOCAL_TZ)


def _catalog(tmp_path: Path) -> Path:
    directory = copy_catalog(tmp_path)
    plan = directory / "plans" / "test-plan.yaml"
    text = plan.read_text(encoding="utf-8").replace("items:\n", ITEM, 1)
    plan.write_text(text + REPORTING, encoding="utf-8")
    (directory / "conventions.yaml").write_text(CONVENTIONS, encoding="utf-8")
    return directory


@pytest.fixture
def loaded(session: Session, clock: FrozenClock, tmp_path: Path) -> None:
    """Sở TT&TT on 08/07/2022: its lead part of II.1 (30/06) and its quarter's report (20/06) done on
    time; its partner's part of II.8 (15/04) and its six-month report (the convention's 20/06) not."""
    load_min_catalog(session, clock.now(), _catalog(tmp_path))
    for code in ("99/KH-TEST:II.1", BY_TEXT):
        part = assignment_for(session, code, "so-tttt").id or 0
        for day, action in ((13, Action.ACKNOWLEDGE), (15, Action.REPORT)):
            clock.set(datetime(2022, 6, day, 9, 0, tzinfo=LOCAL_TZ))
            request = Request(action, Actor.agency("so-tttt"), comment="Đã gửi báo cáo.")
            act(session, part, request, now=clock.now(), calendar=CALENDAR)
    assert assignment_for(session, SHARED, "so-tttt").role == "partner"
    clock.set(NOW)


def _sheet_by_body(session: Session) -> dict[str, dict[str, Any]]:
    """The workbook's sheet «Theo cơ quan», each body's row by its headings."""
    data = build_report(session, period_code="2022", now=NOW)  # the shipped policy, as the page's POLICY
    sheet = load_workbook(BytesIO(render(data, "xlsx")))["Theo cơ quan"]
    rows = list(sheet.iter_rows(values_only=True))
    headers = [str(h) for h in rows[0]]
    return {str(row[0]): dict(zip(headers, row, strict=False)) for row in rows[1:] if row[0]}


def test_the_workbook_states_the_leaders_pages_rates_under_the_same_words(
    session: Session, clock: FrozenClock, loaded: None
) -> None:
    page = leaders_context(session, NOW, CALENDAR, clock, TrendCache(), POLICY)
    ranked = {r.code: r.year for r in page["ranking"].ranked}
    sheet = _sheet_by_body(session)
    body = sheet["so-tttt"]
    # the page: the lead's part (1/1) and the report the text dates (1/1)
    assert (ranked["so-tttt"].on_time_rate, ranked["so-tttt"].report_timeliness_rate) == (1.0, 1.0)
    assert body["Tỷ lệ hoàn thành đúng hạn"] == ranked["so-tttt"].on_time_rate
    assert body["Tỷ lệ báo cáo đúng hạn"] == ranked["so-tttt"].report_timeliness_rate
    for code, rates in ranked.items():  # every body the page ranks, the same figure
        assert sheet[code]["Tỷ lệ hoàn thành đúng hạn"] == rates.on_time_rate, code
        assert sheet[code]["Tỷ lệ báo cáo đúng hạn"] == rates.report_timeliness_rate, code


def test_the_workbook_counts_apart_what_the_leaders_rate_leaves_out(
    session: Session, clock: FrozenClock, loaded: None
) -> None:
    body = _sheet_by_body(session)["so-tttt"]
    assert (body["Phần việc đến hạn trong kỳ (tính tỷ lệ)"], body["Hoàn thành đúng hạn (trong kỳ)"]) == (2, 2)
    assert (body["Báo cáo đến hạn"], body["Báo cáo đúng hạn"], body["Chưa báo cáo"]) == (1, 1, 0)
    # the partner's part, overdue, and the six-month report, not sent: each in a column of its own
    assert body["Phần việc phối hợp đến hạn trong kỳ (không tính tỷ lệ)"] == 1
    assert body["Hạn theo quy ước của Tổ giúp việc (không tính tỷ lệ)"] == 1
    assert body["Hạn theo quy ước của Tổ giúp việc: quá hạn, chưa hoàn thành (không tính tỷ lệ)"] == 1
    # the rates of every role, kept for the secretariat, say so in their headings: 2/3 and 1/2
    every = "mọi vai trò, kể cả phối hợp và hạn theo quy ước"
    assert body[f"Tỷ lệ hoàn thành đúng hạn ({every})"] == pytest.approx(2 / 3)
    assert body[f"Tỷ lệ báo cáo đúng hạn ({every})"] == pytest.approx(1 / 2)


def test_the_reports_other_formats_head_their_rates_of_every_role_so(
    session: Session, clock: FrozenClock, loaded: None
) -> None:
    """The HTML and the Markdown's section II rate every role: their headings say so, never the bare
    words the leaders' page and the workbook's sheet use for the leaders' figures."""
    data = build_report(session, period_code="2022", now=NOW)
    every = "mọi vai trò, kể cả phối hợp và hạn theo quy ước"
    md, html = render(data, "md").decode("utf-8"), render(data, "html").decode("utf-8")
    for rate in ("Tỷ lệ hoàn thành đúng hạn", "Tỷ lệ báo cáo đúng hạn"):
        assert f"| {rate} ({every}) |" in md and f"| {rate} |" not in md
        assert f"<th>{rate} ({every})</th>" in html and f"<th>{rate}</th>" not in html
