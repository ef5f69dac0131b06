"""The report as Markdown (for a chat message, a wiki page, or a quick look in a terminal)."""

from __future__ import annotations

from collections.abc import Sequence

from dondoc.engine.reports import labels
from dondoc.engine.reports.data import OverdueRow, ReportData
from dondoc.engine.status import working_days_words
from dondoc.engine.vi_format import shown_code, vn_count, vn_date, vn_number, vn_percent


def _table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> list[str]:
    def cell(value: object) -> str:
        return str(value).replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    return lines + ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]


def render_markdown(data: ReportData) -> str:
    """The five sections of the report as Markdown tables."""
    out = [
        f"# Báo cáo tình hình thực hiện nhiệm vụ — {data.period_label}",
        "",
        f"{data.window_words}; số liệu tính đến {labels.as_of_words(data.as_of)}.",
        "",
        *([mailed, ""] if (mailed := labels.mailed_words(data)) else []),
        "## I. Tổng hợp chung",
        "",
        f"{labels.SUMMARY_SCOPE}; {labels.PERIOD_FIGURES}.",
        "",
        *[line for note in labels.period_notes(data) for line in (note + ".", "")],
    ]
    rows: list[Sequence[str | None]] = [
        [shown_code(r.key)] + [vn_count(r.counts[c.value]) for c in labels.CATEGORIES] + [vn_count(r.total)]
        for r in data.by_plan
    ]
    totals = data.totals
    rows.append(
        ["**Tổng cộng**"] + [vn_count(totals.counts[c.value]) for c in labels.CATEGORIES] + [vn_count(totals.total)]
    )
    out += _table(["Văn bản"] + labels.CATEGORY_HEADERS + ["Tổng"], rows)
    out += ["", "## II. Theo cơ quan, đơn vị", ""]
    out += _table(
        [
            "Cơ quan",
            "Quá hạn",
            "Tổng",
            "Đến hạn trong kỳ (tính tỷ lệ)",
            # every role's (the workbook's sheet by body states the leaders' page's under the bare words)
            f"Tỷ lệ hoàn thành đúng hạn ({labels.EVERY_ROLE_HEADING})",
            "Giao sau thời hạn (không tính)",
            "Báo cáo đến hạn",
            "Trễ / chưa gửi",
            f"Tỷ lệ báo cáo đúng hạn ({labels.EVERY_ROLE_HEADING})",
        ],
        [
            [
                a.short,
                vn_count(a.counts["dang_thuc_hien_qua_han"]),
                vn_count(a.total),
                vn_count(a.rates.tasks_due),
                vn_percent(a.rates.on_time_rate),
                vn_count(a.rates.tasks_given_late),
                vn_count(a.rates.reports_due),
                f"{vn_count(a.rates.reports_late)} / {vn_count(a.rates.reports_missing)}",
                vn_percent(a.rates.report_timeliness_rate),
            ]
            for a in data.by_agency  # a body with nothing in its columns keeps its rates' row (data._agencies)
        ],
    )
    out += ["", "## III. Chỉ tiêu", ""]
    out += _table(
        # the target's date beside it: a 2025 target "chưa đánh giá được" in 2022 says why
        ["Văn bản", "Chỉ tiêu", "Cơ quan", "Chỉ tiêu giao", "Thời hạn đạt", "Thực hiện", "Kỳ", "Đánh giá"],
        [
            [
                shown_code(i.item_code),
                i.name,
                i.agency_short + (f" ({i.scope_label})" if i.scope.startswith("@") else ""),
                i.target_text,
                i.deadline_text,
                vn_number(i.actual),
                i.actual_period_text,
                i.status_label,
            ]
            for i in data.indicators
        ],
    )
    out += [line for note in data.indicator_notes for line in ("", note + ".")]
    out += ["", "## IV. Báo cáo định kỳ chưa gửi hoặc gửi trễ", ""]
    if scope := labels.duties_scope(data):  # which it lists, under the title as the HTML says it
        out += [scope, ""]
    out += _table(
        ["Báo cáo", "Kỳ", "Cơ quan", "Hạn", "Tình trạng", "Số ngày làm việc trễ"],
        [
            [
                shown_code(d.item_code),
                d.period_text,
                d.agency_words,
                vn_date(d.due_date) + (f" ({d.due_note})" if d.due_note else ""),
                labels.DUTY_STATUS_VI[d.status],
                # received from another body after its date: as section V says it of the part
                working_days_words(d.lateness) + (f" ({d.received_words})" if d.received_words else ""),
            ]
            for d in data.listed_duties
        ],
    )
    # whose reports with none of the window's listed, and those nobody followed (HTML's IV)
    if under := labels.duties_under(data):
        out += ["", under]
    out += ["", "## V. Phần việc đang quá hạn", ""]
    out += _table(
        ["Nhiệm vụ", "Cơ quan chịu trách nhiệm", "Vai trò", "Hạn", "Số ngày làm việc quá hạn"],
        [
            [
                f"{shown_code(o.item_code)} — {o.item_title}"
                + (f" ({o.milestone_words})" if o.milestone_words else ""),
                o.agency_name,
                o.role_words,
                _due(o),
                _late(o),
            ]
            for o in data.overdue
        ],
    )
    for said in labels.overdue_words(data):  # with no row; the work nobody followed, under the table
        if said:
            out += ["", said]
    return "\n".join(out) + "\n"


def _late(row: OverdueRow) -> str:
    """The working days late ("dưới 1": past its date at the close, not yet a whole working day),
    and those since the body was given the work, or received it from another, when that came after
    its date."""
    late = working_days_words(row.lateness)  # the body's: since it was given or received it, when after its date
    said = row.received_words or row.given_words  # as the digests and the pages say it
    return f"{late} ({said})" if said else late


def _due(row: OverdueRow) -> str:
    """The date, why it is not the text's when a day off moved it, and the day the body was given
    the work when that came after it."""
    moved = f" ({row.due_note})" if row.due_note else ""
    # said with its days late instead, when those count from it (OverdueRow.given_words)
    given = f" (giao ngày {vn_date(row.given_date)}, sau thời hạn)" if row.given_date and not row.given_words else ""
    return vn_date(row.due_date) + moved + given
