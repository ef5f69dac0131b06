"""One entry point for the three formats of the report."""

from __future__ import annotations

from dondoc.engine.reports.data import ReportData

FORMATS = ("html", "xlsx", "md")
# each format as the reports page offers it (Vietnamese)
FORMAT_LABELS_VI = {"html": "Trang web (.html)", "xlsx": "Bảng tính Excel (.xlsx)", "md": "Văn bản Markdown (.md)"}
assert set(FORMAT_LABELS_VI) == set(FORMATS), "a label for every format"


def render(data: ReportData, fmt: str) -> bytes:
    """The report as bytes: ``html`` (A4, UTF-8), ``xlsx`` (openpyxl) or ``md`` (UTF-8)."""
    if fmt == "html":
        from dondoc.engine.reports.html import render_html

        return render_html(data).encode("utf-8")
    if fmt == "xlsx":
        from dondoc.engine.reports.xlsx import render_xlsx

        return render_xlsx(data)
    if fmt == "md":
        from dondoc.engine.reports.markdown import render_markdown

        return render_markdown(data).encode("utf-8")
    raise ValueError(f'unknown format "{fmt}": use {", ".join(FORMATS)}')
