"""The periodic report writes its counts as the pages do, 10.001 and not 10001: in the leaders' mail
(subject, text, html) and in the report's html and Markdown; its workbook keeps numbers."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from io import BytesIO
from itertools import count
from typing import Any

from openpyxl import load_workbook

from dondoc.engine.reports.data import AgencyRow, CountsRow, DutyRow, IndicatorRow, OverdueRow, ReportData
from dondoc.engine.reports.labels import CATEGORIES
from dondoc.engine.reports.rates import AgencyRates, ToCome
from dondoc.engine.reports.render import render as render_report
from dondoc.engine.services.indicators import PROGRESS_LABELS_VI, progress_legend
from dondoc.notifications.render import render as render_mail

UNDOTTED = re.compile(r"\d{5,}")  # every count below is 10.001 or more: five digits in a row is one undotted


def _dotted(k: int) -> str:
    """A count of five digits as Vietnamese writes it (10101 → "10.101"), worked out apart from vn_count."""
    return f"{k // 1000}.{k % 1000:03d}"


def _mail_facts(n: count[int]) -> dict[str, Any]:
    """A leader's periodic-report mail with every line shown, each count a different one of ten thousand or more."""
    figures = {key: next(n) for key in ("due", "done_on_time", "done_late", "overdue_in_period", "given_late")}
    summary = {
        **figures,
        "on_time_rate": "50,0 %",
        "overdue": 10_001,
        "roles": ["chủ trì", "thực hiện"],
        "other_roles": ["phối hợp"],
        "overdue_other_roles": next(n),
        "overdue_unconfirmed": next(n),
        "unconfirmed_groups": ["Các sở, ban, ngành"],
        "unconfirmed": next(n),
        "before_tracking": next(n),
        "due_later": next(n),
        "due_later_done": next(n),
        "reports_due_later": 90_000,
        "reports_due_later_sent": 10_003,  # and 79.997 not sent: a count the template works out
        "reports_late": next(n),
        "reports_missing": 10_002,
        "reports_missing_counted": 10_002,
        "indicators": {status: next(n) for status in PROGRESS_LABELS_VI},
        "top_overdue": [{"name": "Sở Tài chính", "overdue": next(n)}],
    }
    earlier = {"label": "Quý II/2022", "sent": "24/06/2022", "on_time_rate": "50,0 %"}
    earlier |= {key: next(n) for key in ("due", "done_on_time", "done_late", "overdue_in_period", "given_late")}
    return {
        "salutation": "Đồng chí Trưởng ban",
        "link": "https://dondoc.example/board",
        "link_days": 30,
        "recipient_role": "chair",
        "period_code": "2022-Q3",
        "period_label": "Quý III/2022",
        "as_of": "30/09/2022",
        "cutoff": None,
        "attachment_name": "bao-cao-quy-iii-2022.xlsx",
        "summary": summary,
        "sent_on": "26/09/2022",
        "tracking_start": "01/01/2022",
        "earlier": earlier,
    }


def test_the_periodic_report_mail_writes_its_counts_with_the_thousands_dot() -> None:
    n = count(10_101)
    mail = render_mail("periodic_report", _mail_facts(n))
    last = next(n)
    assert mail.subject.endswith(": 10.001 phần việc quá hạn, trong đó 10.002 báo cáo của kỳ quá hạn chưa gửi")
    assert "90.000" in mail.text
    for body in (mail.text, mail.html):
        assert "10.001" in body and "10.003" in body and "79.997" in body  # 90.000 due later, of them not sent
        shown = [k for k in range(10_101, last) if _dotted(k) in body]
        assert shown == list(range(10_101, last))  # every count of the mail, each once in each body
        assert UNDOTTED.findall(body) == []
        assert progress_legend() in body  # "gần đạt", "chưa đạt" counted: how near is said, as the report says it


def test_the_periodic_report_mail_says_what_gan_dat_means_only_when_it_counts_one() -> None:
    facts = _mail_facts(count(1))
    for judged, said in ((1, True), (0, False)):
        facts["summary"]["indicators"] |= {"amber": 0, "red": judged}
        mail = render_mail("periodic_report", facts)
        assert (progress_legend() in mail.text, progress_legend() in mail.html) == (said, said)


def _report(n: count[int]) -> ReportData:
    """A report with every section and note shown, each count one of ten thousand or more."""

    def counts() -> dict[str, int]:
        return {c.value: next(n) for c in CATEGORIES}

    by_plan = counts()
    rates = AgencyRates("stc", "STC", **{f: next(n) for f in ("tasks_due", "tasks_on_time", "tasks_given_late")})
    rates.tasks_before_tracking, rates.reports_before_tracking, rates.tasks_unconfirmed = next(n), next(n), next(n)
    rates.reports_due, rates.reports_late, rates.reports_missing = next(n), next(n), next(n)
    agency = counts()
    as_of = datetime(2022, 9, 30, 16, 59, tzinfo=UTC)  # 23:59 in Hà Nội
    return ReportData(
        period_code="2022-Q3",
        period_label="Quý III/2022",
        start=date(2022, 7, 1),
        end=date(2022, 9, 30),
        as_of=as_of,
        generated_at=as_of,
        totals=CountsRow(None, None, by_plan, sum(by_plan.values())),
        by_plan=[CountsRow("04/KH-BCĐ", None, by_plan, sum(by_plan.values()))],
        by_agency=[AgencyRow("stc", "STC", "Sở Tài chính", agency, sum(agency.values()), rates, rates)],
        overdue=[
            OverdueRow(
                "04/KH-BCĐ",
                "II.1",
                "Số hóa hồ sơ",
                None,
                "stc",
                "Sở Tài chính",
                "Chủ trì",
                date(2022, 7, 5),
                next(n),
                False,
                "lead",
                date(2022, 7, 20),
                next(n),
            )
        ],  # fmt: skip
        indicators=[
            IndicatorRow(
                "04/KH-BCĐ",
                "II.2",
                "II.2.a",
                "Hồ sơ được số hóa",
                "hồ sơ",
                ">=",
                "stc",
                "STC",
                "",
                1_000_000.0,
                date(2022, 12, 31),
                1_234_567.5,
                "2022-Q3",
                as_of,
                None,
                "amber",
            )
        ],  # fmt: skip
        duties=[
            DutyRow(
                "II.3", "Báo cáo quý", "Quý III/2022", "stc", "Sở Tài chính", date(2022, 7, 5), None, "missing", next(n)
            )
        ],
        due_later=ToCome(next(n), next(n)),
        tracking_start=date(2022, 1, 1),
        ended=[("Sở Bưu chính", date(2021, 12, 31), next(n), next(n))],
        counted_twice=next(n),
        given_late={"hoan_thanh_qua_han": next(n), "dang_thuc_hien_qua_han": next(n)},
        judged_later=[(date(2022, 10, 3), next(n))],
        unconfirmed_groups=["Các sở, ban, ngành"],
    )


def test_the_report_document_writes_its_counts_with_the_thousands_dot_and_its_workbook_keeps_numbers() -> None:
    n = count(10_001)
    data = _report(n)
    for fmt in ("html", "md"):
        text = render_report(data, fmt).decode("utf-8")
        agency, late, overdue = data.by_agency[0], data.duties[0], data.overdue[0]
        counts = (data.totals.total, agency.total, agency.rates.reports_missing, late.days_late, overdue.days_late)
        notes = (data.counted_twice, data.due_later.total, data.ended[0][2], data.ended[0][3])
        assert [k for k in counts + notes if _dotted(k) not in text] == [], fmt
        assert UNDOTTED.findall(text) == [], fmt
        assert "≥ 1.000.000 hồ sơ" in text and "1.234.567,5" in text, fmt  # an indicator's target and figure
    book = load_workbook(BytesIO(render_report(data, "xlsx")))
    cells = {cell for sheet in book for row in sheet.iter_rows(values_only=True) for cell in row}
    assert {data.totals.total, data.by_agency[0].total, 1_234_567.5} <= cells  # numbers, as a spreadsheet sums them


def test_the_periodic_report_mail_lists_the_bodies_most_overdue_one_a_line() -> None:
    """Q3/2022's plain-text mail ran its ranking together on one line ("1. Ban Quản lý …: 2 phần việc
    2. Sở Giáo dục và Đào tạo: 2 phần việc 3. …") and straight into "Xem bảng theo dõi"."""
    facts = _mail_facts(count(10_101))
    facts["summary"]["top_overdue"] = [
        {"name": "Sở Giáo dục và Đào tạo", "overdue": 2},
        {"name": "Sở Tài chính", "overdue": 1},
    ]
    text = render_mail("periodic_report", facts).text
    assert "\n   1. Sở Giáo dục và Đào tạo: 2 phần việc\n   2. Sở Tài chính: 1 phần việc\n" in text, text
