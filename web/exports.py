"""The board as a table to take away: CSV (UTF-8 with BOM, so Excel reads the diacritics) and XLSX."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from openpyxl import Workbook
from openpyxl.styles import Font

from dondoc.engine.services.web_queries import BoardSummary
from dondoc.engine.status import CATEGORY_LABELS_VI, Category
from dondoc.engine.vi_format import vn_date
from dondoc.engine.views import AssignmentView

HEADERS = ["Mã cơ quan", "Cơ quan", *(CATEGORY_LABELS_VI[c] for c in Category), "Được giao", "Tỷ lệ đúng hạn (%)"]
OVERDUE_HEADERS = ["Mã", "Nhiệm vụ", "Kế hoạch", "Cơ quan", "Hạn", "Số ngày quá hạn", "Trạng thái"]


def _rows(summary: BoardSummary) -> Iterator[list[object]]:
    for row in summary.agencies:
        rate = None if row.on_time_rate is None else round(row.on_time_rate * 100, 1)
        yield [row.code, row.name, *(row.counts[c] for c in Category), row.assigned, rate]
    yield [
        "",
        "Tổng cộng",
        *(summary.totals[c] for c in Category),
        summary.total - summary.totals[Category.CANCELLED],
        None,
    ]


def _safe(value: object) -> object:
    """Neutralise spreadsheet formulas in text cells (CSV/XLSX injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def board_csv(summary: BoardSummary) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADERS)
    for row in _rows(summary):
        writer.writerow(["" if v is None else _safe(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def board_xlsx(summary: BoardSummary, overdue: list[AssignmentView]) -> bytes:
    """Two sheets: the per-agency table and the overdue assignments."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Theo cơ quan"
    _sheet(sheet, HEADERS, list(_rows(summary)))
    late = book.create_sheet("Quá hạn")
    _sheet(
        late,
        OVERDUE_HEADERS,
        [
            [v.item_code, v.item_title, v.plan_number, v.agency_name, vn_date(v.due_at), v.days_late, v.category_label]
            for v in overdue
        ],
    )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _sheet(sheet, headers: list[str], rows: list[list[object]]) -> None:  # type: ignore[no-untyped-def]
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([_safe(v) for v in row])
    sheet.freeze_panes = "A2"
    for column, header in zip(sheet.columns, headers, strict=False):
        sheet.column_dimensions[column[0].column_letter].width = max(10, min(50, len(header) + 4))
