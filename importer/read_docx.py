"""DOCX through python-docx: paragraphs with their automatic numbering, tables with merged cells."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from dondoc.importer.blocks import Block, Para, Row, Table
from dondoc.importer.cleaning import clean, continues, is_page_number
from dondoc.importer.errors import damaged_file

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_ROMAN = [(10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _roman(n: int) -> str:
    out = ""
    for value, symbol in _ROMAN:
        while n >= value:
            out, n = out + symbol, n - value
    return out


def _format(n: int, fmt: str) -> str:
    if fmt == "decimal":
        return str(n)
    if fmt == "lowerLetter":
        return _LETTERS[(n - 1) % 26]
    if fmt == "upperLetter":
        return _LETTERS[(n - 1) % 26].upper()
    if fmt == "upperRoman":
        return _roman(n)
    if fmt == "lowerRoman":
        return _roman(n).lower()
    return ""


class _Numbering:
    """Counters of the automatic numbering (numbering.xml): the label Word shows before a paragraph."""

    def __init__(self, document: Any) -> None:
        self.levels: dict[tuple[str, str], tuple[str, str, int]] = {}
        self.counters: dict[tuple[str, str], int] = {}
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        abstract: dict[str, dict[str, tuple[str, str, int]]] = {}
        for node in root.findall(f"{_W}abstractNum"):
            levels = {}
            for lvl in node.findall(f"{_W}lvl"):
                fmt = lvl.find(f"{_W}numFmt")
                text = lvl.find(f"{_W}lvlText")
                start = lvl.find(f"{_W}start")
                levels[lvl.get(f"{_W}ilvl", "0")] = (
                    fmt.get(f"{_W}val", "decimal") if fmt is not None else "decimal",
                    text.get(f"{_W}val", "") if text is not None else "",
                    int(start.get(f"{_W}val", "1")) if start is not None else 1,
                )
            abstract[node.get(f"{_W}abstractNumId", "")] = levels
        for num in root.findall(f"{_W}num"):
            ref = num.find(f"{_W}abstractNumId")
            if ref is None:
                continue
            for ilvl, level in abstract.get(ref.get(f"{_W}val", ""), {}).items():
                self.levels[(num.get(f"{_W}numId", ""), ilvl)] = level

    def label(self, paragraph: Any) -> str:
        ppr = paragraph._p.pPr
        numpr = ppr.numPr if ppr is not None else None
        style = paragraph.style
        while (numpr is None or numpr.numId is None) and style is not None:  # numbering set by the style
            style_ppr = style.element.pPr
            numpr = style_ppr.numPr if style_ppr is not None else None
            style = style.base_style
        if numpr is None or numpr.numId is None:
            return ""
        num_id = str(numpr.numId.val)
        ilvl = str(numpr.ilvl.val) if numpr.ilvl is not None and numpr.ilvl.val is not None else "0"
        level = self.levels.get((num_id, ilvl))
        if level is None:
            return ""
        fmt, text, start = level
        key = (num_id, ilvl)
        self.counters[key] = self.counters.get(key, start - 1) + 1
        for (other, deeper), _ in list(self.counters.items()):  # a higher level restarts the deeper ones
            if other == num_id and deeper > ilvl:
                del self.counters[(other, deeper)]
        if fmt == "bullet":
            return "-"
        value = _format(self.counters[key], fmt)
        return text.replace(f"%{int(ilvl) + 1}", value) if "%" in text else value


def _row_cells(row: Any) -> list[str]:
    """The cells of a row, one per grid column: a merged cell's text in each column it spans."""
    return [clean(cell.text.replace("\n", " ")) for cell in row.cells]


def read_docx(path: Path, name: str | None = None) -> list[Block]:
    """The blocks of a DOCX file (``name``: the file's name as the person gave it, for the message).

    A damaged file can fail anywhere inside python-docx and lxml (a zip without its parts, a part
    that is not XML, XML without the elements a document has), with errors of many kinds: any of
    them is this file's fault, and is refused in one line, nothing read."""
    with damaged_file("DOCX", name or path.name):
        return _read(path)


def _read(path: Path) -> list[Block]:
    import docx  # python-docx
    from docx.table import Table as DocxTable
    from docx.text.paragraph import Paragraph

    document = docx.Document(str(path))
    numbering = _Numbering(document)
    blocks: list[Block] = []
    paragraph_no = table_no = 0
    for child in document.element.body.iterchildren():
        if child.tag == f"{_W}p":
            paragraph_no += 1
            paragraph = Paragraph(child, document)
            label = numbering.label(paragraph)
            text = clean(paragraph.text)
            if not text or is_page_number(text):
                continue
            if label and label != "-":
                text = f"{label} {text}"
            elif label == "-":
                text = f"- {text}"
            previous = blocks[-1] if blocks else None
            if not label and isinstance(previous, Para) and continues(previous.text, text):
                previous.text = f"{previous.text} {text}"
                continue
            blocks.append(Para(text, f"đoạn {paragraph_no}", label))
        elif child.tag == f"{_W}tbl":
            table_no += 1
            table = DocxTable(child, document)
            out = Table(ref=f"bảng {table_no}")
            for r, row in enumerate(table.rows, start=1):
                out.rows.append(Row(_row_cells(row), f"bảng {table_no}, hàng {r}"))
            blocks.append(out)
    return blocks
