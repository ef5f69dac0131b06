"""Tables in a workbook as spreadsheets understand them: dates as date cells shown dd/mm/yyyy,
numbers as numbers, a bold frozen header row and the filter buttons on (AutoFilter).

Shared by the periodic report's workbook (engine.reports.xlsx) and the web's exports.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from dondoc.engine.clock import local_date

DATE_FORMAT = "dd/mm/yyyy"  # Vietnamese order, whatever the reader's locale
HEADER_FILL = PatternFill("solid", fgColor="DDE4EE")


def cell_value(value: Any, *, escape: bool = False) -> Any:
    """A value as a cell takes it: an instant as its local day (a date cell), text escaped on request."""
    if isinstance(value, datetime):
        return local_date(value)
    if escape and isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value  # neutralise a formula (CSV/XLSX injection)
    return value


def write_table(
    ws: Worksheet,
    headers: Sequence[str],
    rows: Sequence[Sequence[Any]],
    widths: Sequence[int] | None = None,
    *,
    escape: bool = False,
) -> None:
    """Headers and rows from A1; dates formatted dd/mm/yyyy; header frozen; AutoFilter over the table."""
    ws.append(list(headers))
    for cell in ws[1]:
        cell.font, cell.fill = Font(bold=True), HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        ws.append([cell_value(v, escape=escape) for v in row])
    for column in ws.iter_cols(min_row=2, max_row=ws.max_row):
        for cell in column:
            if isinstance(cell.value, date):
                cell.number_format = DATE_FORMAT
    for index, header in enumerate(headers, start=1):
        width = widths[index - 1] if widths and index <= len(widths) else max(10, min(50, len(header) + 4))
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(max(1, len(headers)))}{max(1, len(rows) + 1)}"
