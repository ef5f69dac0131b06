"""The report as an Excel workbook (openpyxl): one sheet per section of the HTML and the Markdown,
each listing that section's rows: Tổng hợp (I), Theo cơ quan (II), Chỉ tiêu (III), Báo cáo định kỳ
(IV: ``ReportData.listed_duties``), Quá hạn (V: ``ReportData.overdue``).

Text stays Unicode (XLSX is UTF-8 XML), so LibreOffice and Excel show Vietnamese intact.
Rates are numbers formatted as percentages and dates are date cells (dd/mm/yyyy), so a reader
can sort, filter and rank (engine.reports.sheets).
"""

from __future__ import annotations

from collections.abc import Sequence
from io import BytesIO
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from dondoc.engine.reports import labels
from dondoc.engine.reports.data import ReportData
from dondoc.engine.reports.sheets import write_table
from dondoc.engine.vi_format import shown_code

STATUS_FILL = {"green": "D9F2D9", "late": "E6F0D0", "late_figure": "E6F0D0", "amber": "FFF0C2", "red": "F9D6D5"}


def _sheet(ws: Worksheet, headers: Sequence[str], rows: Sequence[Sequence[Any]], widths: Sequence[int]) -> None:
    write_table(ws, headers, rows, widths)


def _summary(ws: Worksheet, data: ReportData) -> None:
    ws.title = "Tổng hợp"
    rows: list[Sequence[str | int | None]] = [
        [shown_code(r.key), r.label] + [r.counts[c.value] for c in labels.CATEGORIES] + [r.total] for r in data.by_plan
    ]
    rows.append(["Tổng cộng", ""] + [data.totals.counts[c.value] for c in labels.CATEGORIES] + [data.totals.total])
    headers = ["Văn bản", "Tên văn bản"] + labels.CATEGORY_HEADERS + ["Tổng"]
    _sheet(ws, headers, rows, [18, 50] + [14] * 7)
    # the filter over the plans' rows only: sorted or filtered with them, "Tổng cộng" had moved up among
    # the plans (the largest "Tổng") or gone out of sight
    ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{len(data.by_plan) + 1}"
    ws.append([])
    ws.append(
        [
            f"Báo cáo {data.period_label}",
            f"{data.window_words}; số liệu đến {labels.as_of_words(data.as_of)}",
        ]
    )
    if mailed := labels.mailed_words(data):  # read at another instant than the leaders' mail's
        ws.append([mailed])
    # the counts above are of every task given until that day, not the period's (the quarter's sheet had
    # read "Hoàn thành đúng hạn: 225" under its title): the period's own are the sheet by body's
    ws.append([labels.SUMMARY_SCOPE, labels.PERIOD_FIGURES])
    # the sheet by body rates as the leaders' page does (_agencies): the notes of the other formats' rates
    # of every role say here what its rates count instead; the parts dated by the convention have a
    # column of their own there, not a note saying they are counted
    others = labels.other_roles_words(data.leader_roles)
    basis = labels.leaders_basis_words(data.leader_roles_words, others, "ở trang «Theo cơ quan»")
    instead = {labels.EVERY_ROLE: basis, labels.by_convention(data): ""}
    for note in labels.period_notes(data):
        if said := instead.get(note, note):
            ws.append([said])


def _agencies(ws: Worksheet, data: ReportData) -> None:
    """Section II by body. The two rates are the leaders' (AgencyRow.leaders: the roles their rungs
    name, no part dated by the secretariat's convention, rates.leaders_leave_out), the figures their
    page gives under the same words; what those leave out is counted in columns of its own, and the
    rates of every role, as the report's other formats give them, are named so in their headings. The
    mailed 2022 workbook had rated Sở TT&TT's reports 80,0 % (4/5) where the page said 100,0 % (3/3)."""
    others = labels.other_roles_words(data.leader_roles)
    every = labels.EVERY_ROLE_HEADING
    headers = (
        ["Mã", "Cơ quan, đơn vị"]
        + labels.CATEGORY_HEADERS
        + [
            "Tổng",
            "Phần việc đến hạn trong kỳ (tính tỷ lệ)",
            "Hoàn thành đúng hạn (trong kỳ)",
            "Tỷ lệ hoàn thành đúng hạn",
            "Đến hạn trong kỳ nhưng giao sau thời hạn (không tính tỷ lệ)",
            "Đến hạn trong kỳ, chưa xác nhận giao (không tính tỷ lệ)",
            f"Phần việc {others} đến hạn trong kỳ (không tính tỷ lệ)",
            "Hạn theo quy ước của Tổ giúp việc (không tính tỷ lệ)",
            "Hạn theo quy ước của Tổ giúp việc: quá hạn, chưa hoàn thành (không tính tỷ lệ)",
            "Báo cáo đến hạn",
            "Báo cáo đúng hạn",
            "Báo cáo trễ",
            "Chưa báo cáo",
            "Tỷ lệ báo cáo đúng hạn",
            f"Tỷ lệ hoàn thành đúng hạn ({every})",
            f"Tỷ lệ báo cáo đúng hạn ({every})",
        ]
    )
    rows = [
        [a.code, a.name]
        + [a.counts[c.value] for c in labels.CATEGORIES]
        + [
            a.total,
            a.leaders.tasks_due,
            a.leaders.tasks_on_time,
            a.leaders.on_time_rate,
            # of every role, as the notes under section I count them: each part of the period is in one
            # column only (those two count no part the rates of every role count; the next two, only such)
            a.rates.tasks_given_late,
            a.rates.tasks_unconfirmed + a.rates.reports_unconfirmed,
            a.leaders.tasks_other_roles + a.leaders.reports_other_roles,
            a.leaders.tasks_convention_apart + a.leaders.reports_convention_apart,
            a.leaders.convention_apart_overdue,
            a.leaders.reports_due,
            a.leaders.reports_on_time,
            a.leaders.reports_late,
            a.leaders.reports_missing,
            a.leaders.report_timeliness_rate,
            a.rates.on_time_rate,
            a.rates.report_timeliness_rate,
        ]
        for a in data.by_agency
    ]
    _sheet(ws, headers, rows, [20, 45] + [12] * 22)
    rates = [h for h in headers if h.startswith(("Tỷ lệ hoàn thành đúng hạn", "Tỷ lệ báo cáo đúng hạn"))]
    for rate in rates:  # the rates, found by name
        for cell in ws[get_column_letter(headers.index(rate) + 1)][1:]:  # (fixed letters drifted onto counts)
            cell.number_format = "0.0%"
    ws.append([])
    ws.append([labels.leaders_basis_words(data.leader_roles_words, others)])


def _indicators(ws: Worksheet, data: ReportData) -> None:
    headers = [
        "Văn bản",
        "Mã chỉ tiêu",
        "Chỉ tiêu",
        "Đơn vị tính",
        "Cơ quan",
        "Phạm vi",
        "Chỉ tiêu giao",
        "Thời hạn đạt",
        "Thực hiện",
        "Kỳ số liệu",
        "Ngày báo cáo",
        "Ghi chú",
        "Đánh giá",
    ]
    rows = [
        [
            shown_code(i.item_code),
            i.code,
            i.name,
            i.unit,
            i.agency_short,
            i.scope_label,
            i.target_text,
            # a standing target: "áp dụng từ ngày 01/06/2022"; one the text dates nowhere says so
            i.deadline_text if i.target_period_end is None or i.date_unsaid else i.target_period_end,
            i.actual,
            i.actual_period_text,
            i.reported_at,
            i.note,
            i.status_label,
        ]
        for i in data.indicators
    ]
    _sheet(ws, headers, rows, [22, 22, 55, 8, 18, 18, 14, 12, 10, 10, 12, 30, 16])
    for index, indicator in enumerate(data.indicators, start=2):
        if indicator.status in STATUS_FILL:
            ws.cell(row=index, column=13).fill = PatternFill("solid", fgColor=STATUS_FILL[indicator.status])
    if data.indicator_notes:  # a measure under several targets or bodies (one figure); what «Gần đạt» means
        ws.append([])
        for note in data.indicator_notes:
            ws.append([note])


def _duties(ws: Worksheet, data: ReportData) -> None:
    """Section IV: the periodic reports sent late or not sent (``data.listed_duties``, as the HTML and the
    Markdown list them), and under them what the section says of those it does not list."""
    headers = [
        "Văn bản",
        "Mã nhiệm vụ",
        "Báo cáo",
        "Kỳ",
        "Cơ quan",
        "Hạn",
        "Ngày gửi",
        "Tình trạng",
        "Số ngày làm việc trễ",
        "Nhận chuyển giao sau thời hạn",  # received from another body after its date (DutyRow.received_words)
        "Ghi chú về thời hạn",
    ]
    rows: list[list[Any]] = [
        [
            shown_code(d.item_code.split(":", 1)[0]),  # the plan's number, as the sheet «Quá hạn» gives it
            shown_code(d.item_code),
            d.item_title,
            d.period_text,
            d.agency_words,  # a report owed on a guess is marked, as section IV marks it
            d.due_date,
            d.reported_at,
            labels.DUTY_STATUS_VI[d.status],
            d.lateness,  # the body's own: since received, its days since the date in the next column's words
            d.received_words,
            d.due_note,
        ]
        for d in data.listed_duties
    ]
    _sheet(ws, headers, rows, [16, 28, 60, 16, 40, 12, 12, 24, 10, 50, 40])
    # which it lists; those nobody followed under them; with none, whose reports it speaks of (HTML's IV)
    for said in (labels.duties_scope(data), labels.duties_under(data, "ở trang này")):
        if not said:
            continue
        ws.append([])
        ws.append([said])


def _overdue(ws: Worksheet, data: ReportData) -> None:
    """Section V: the work overdue at the report's instant (``data.overdue``), the rows the HTML and
    the Markdown list; a report sent late is done, listed on the sheet of section IV only."""
    headers = [
        "Văn bản",
        "Mã nhiệm vụ",
        "Nhiệm vụ",
        "Mốc",
        "Cơ quan chịu trách nhiệm",
        "Vai trò",
        "Hạn",
        "Số ngày làm việc quá hạn",
        "Trọng tâm",
        "Ngày giao (sau thời hạn)",
        # the lead column counts from that day then, as the lists do (OverdueRow.lateness)
        "Số ngày làm việc kể từ thời hạn (việc giao hoặc nhận chuyển giao sau thời hạn)",
        # received from another body after its date: from whom, when (OverdueRow.received_words)
        "Nhận chuyển giao sau thời hạn",
        "Tình trạng",
        "Ghi chú về thời hạn",  # a day off moved the text's date, as the board's workbook says it
    ]
    rows: list[list[Any]] = [
        [
            shown_code(o.plan_number),
            shown_code(o.item_code),
            o.item_title,
            o.milestone_words,
            o.agency_name,
            o.role_words,
            o.due_date,
            o.lateness,
            "x" if o.priority else "",
            o.given_date,
            o.days_late if o.given_words or o.received_words else None,
            o.received_words,
            "Đang quá hạn",
            o.due_note,
        ]
        for o in data.overdue
    ]
    _sheet(ws, headers, rows, [16, 28, 60, 24, 40, 20, 12, 10, 9, 14, 14, 50, 16, 40])
    for said in labels.overdue_words(data, "ở trang này"):  # with no row; the work nobody followed
        if said:
            ws.append([])
            ws.append([said])


def render_xlsx(data: ReportData) -> bytes:
    """The workbook as bytes."""
    workbook = Workbook()
    _summary(workbook.active, data)
    _agencies(workbook.create_sheet("Theo cơ quan"), data)
    _indicators(workbook.create_sheet("Chỉ tiêu"), data)
    _duties(workbook.create_sheet("Báo cáo định kỳ"), data)
    _overdue(workbook.create_sheet("Quá hạn"), data)
    workbook.properties.title = f"Báo cáo tình hình thực hiện nhiệm vụ — {data.period_label}"
    workbook.properties.creator = "dondoc"
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
