"""Render a text document (plain lines, tab- or pipe-separated table rows) to DOCX and PDF, for the
import tests and bench/import_accuracy.py. Tables become real tables (DOCX tables; ruled PDF tables)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from dondoc.importer.cleaning import clean


def _chunks(text: str) -> list[str | list[list[str]]]:
    """Paragraph lines and tables (lists of rows) in order; blank lines dropped."""
    out: list[str | list[list[str]]] = []
    for raw in text.splitlines():
        stripped = raw.strip()
        cells: list[str] | None = None
        if stripped.startswith("|") and stripped.count("|") >= 3:
            if set(stripped) <= set("|-: "):
                continue
            cells = [clean(c) for c in stripped.strip("|").split("|")]
        elif raw.count("\t") >= 2:
            cells = [clean(c) for c in raw.split("\t")]
        if cells is not None:
            if out and isinstance(out[-1], list) and len(out[-1][0]) == len(cells):
                out[-1].append(cells)
            else:
                out.append([cells])
            continue
        line = clean(raw)
        if line:
            out.append(line)
    return out


def to_docx(text: str, path: Path) -> Path:
    import docx

    document = docx.Document()
    for chunk in _chunks(text):
        if isinstance(chunk, str):
            document.add_paragraph(chunk)
            continue
        table = document.add_table(rows=len(chunk), cols=len(chunk[0]))
        for r, row in enumerate(chunk):
            for c, cell in enumerate(row):
                table.cell(r, c).text = cell
    document.save(str(path))
    return path


def font_file() -> str:
    """A TrueType font with Vietnamese glyphs: DONDOC_BENCH_FONT, else what fontconfig finds."""
    if env := os.environ.get("DONDOC_BENCH_FONT"):
        return env
    if shutil.which("fc-match"):
        found = subprocess.run(
            ["fc-match", "-f", "%{file}", "DejaVu Sans"], capture_output=True, text=True, check=False
        )
        if found.stdout.endswith(".ttf"):
            return found.stdout
    raise RuntimeError("no TrueType font found: set DONDOC_BENCH_FONT")


def to_pdf(text: str, path: Path) -> Path:
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.add_font("body", fname=font_file())
    pdf.set_font("body", size=10)
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_page()
    for chunk in _chunks(text):
        if isinstance(chunk, str):
            pdf.multi_cell(0, 5, chunk, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(3)
            continue
        width = len(chunk[0])
        with pdf.table(
            col_widths=tuple([1] * width), text_align="LEFT", line_height=5, first_row_as_headings=False
        ) as table:
            for row in chunk:
                cells = table.row()
                for cell in row:
                    cells.cell(cell)
        pdf.ln(3)
    pdf.output(str(path))
    return path
