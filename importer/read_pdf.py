"""PDF with a text layer through pdfplumber: text outside tables by paragraph, tables by row.

Running heads and feet (a line repeated at the top or bottom of most pages, page numbers) and
footnote markers (digits set much smaller than the text) are dropped; a table that runs over a
page break is continued, its repeated header row skipped.
"""

from __future__ import annotations

import statistics
from collections import Counter
from pathlib import Path
from typing import Any

from dondoc.importer.blocks import Block, Para, Row, Table
from dondoc.importer.cleaning import clean, continues, is_page_number
from dondoc.importer.errors import ImportRefused, damaged_file


def _inside(obj: dict[str, Any], boxes: list[tuple[float, float, float, float]]) -> bool:
    x = (obj["x0"] + obj["x1"]) / 2
    y = (obj["top"] + obj["bottom"]) / 2
    return any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)


def _lines(page: Any, boxes: list[tuple[float, float, float, float]], body_size: float) -> list[dict[str, Any]]:
    def keep(obj: dict[str, Any]) -> bool:
        if obj.get("object_type") != "char":
            return True
        if _inside(obj, boxes):
            return False
        # a footnote marker: a digit set well below the body size
        return not (obj.get("text", "").isdigit() and obj.get("size", body_size) < 0.75 * body_size)

    return list(page.filter(keep).extract_text_lines(return_chars=False))


def read_pdf(path: Path, name: str | None = None) -> list[Block]:
    """The blocks of a PDF with a text layer (``name``: the file's name as the person gave it).

    pdfminer raises assorted errors on a broken file, at opening or on any page: each is refused
    in one line, nothing read."""
    name = name or path.name
    with damaged_file("PDF", name):
        return _read(path, name)


def _read(path: Path, name: str) -> list[Block]:
    import pdfplumber

    with pdfplumber.open(str(path)) as pdf:
        sizes = [c["size"] for page in pdf.pages for c in page.chars]
        if not sizes:
            raise ImportRefused(
                f"Tệp {name} là PDF không có lớp chữ (bản quét): cần nhận dạng ký tự (OCR) trước khi nhập."
            )
        body_size = statistics.median(sizes)
        pages: list[tuple[int, list[dict[str, Any]], list[Any]]] = []
        for number, page in enumerate(pdf.pages, start=1):
            tables = page.find_tables()
            boxes = [t.bbox for t in tables]
            pages.append((number, _lines(page, boxes, body_size), tables))
        running = _running_lines(pages)
        return _blocks(pages, running)


def _running_lines(pages: list[tuple[int, list[dict[str, Any]], list[Any]]]) -> set[str]:
    """Texts at the top or bottom of at least half the pages (running heads and feet)."""
    if len(pages) < 2:
        return set()
    edge: Counter[str] = Counter()
    for _, lines, _ in pages:
        for line in {clean(x["text"]) for x in lines[:1] + lines[-1:]}:
            edge[line] += 1
    return {text for text, n in edge.items() if n >= max(2, len(pages) // 2)}


def _blocks(pages: list[tuple[int, list[dict[str, Any]], list[Any]]], running: set[str]) -> list[Block]:
    blocks: list[Block] = []
    last_table: Table | None = None
    for number, lines, tables in pages:
        items: list[tuple[float, str, Any]] = [(x["top"], "line", x) for x in lines]
        items += [(t.bbox[1], "table", t) for t in tables]
        items.sort(key=lambda item: item[0])
        previous_bottom: float | None = None
        for line_no, (_, kind, obj) in enumerate(items, start=1):
            if kind == "table":
                rows = [[clean((c or "").replace("\n", " ")) for c in row] for row in obj.extract()]
                last_table = _add_table(blocks, last_table, rows, number)
                previous_bottom = None
                continue
            text = clean(obj["text"])
            if not text or text in running or is_page_number(text):
                continue
            ref = f"trang {number}, dòng {line_no}"
            gap = obj["top"] - previous_bottom if previous_bottom is not None else None
            height = obj["bottom"] - obj["top"]
            previous_bottom = obj["bottom"]
            previous = blocks[-1] if blocks else None
            wrapped = gap is not None and gap < 0.6 * height and isinstance(previous, Para)
            # a sentence broken by a page break or a blank line of the source: joined as the text reader does
            broken = isinstance(previous, Para) and continues(previous.text, text)
            if isinstance(previous, Para) and (wrapped or broken) and not _starts_block(text):
                previous.text = f"{previous.text} {text}"
                continue
            last_table = None
            blocks.append(Para(text, ref))
    return blocks


def _starts_block(text: str) -> bool:
    from dondoc.importer.cleaning import _MARKER

    return bool(_MARKER.match(text))


def _add_table(blocks: list[Block], last: Table | None, rows: list[list[str]], page: int) -> Table:
    if last is not None and blocks and blocks[-1] is last and rows and last.rows:
        width = len(last.rows[0].cells)
        if all(len(r) == width for r in rows):
            header = last.rows[0].cells
            for i, cells in enumerate(rows, start=1):
                if cells == header:
                    continue  # the header row repeated on the new page
                last.rows.append(Row(cells, f"trang {page}, bảng hàng {i}"))
            return last
    table = Table(ref=f"trang {page}, bảng")
    for i, cells in enumerate(rows, start=1):
        table.rows.append(Row(cells, f"trang {page}, bảng hàng {i}"))
    blocks.append(table)
    return table
