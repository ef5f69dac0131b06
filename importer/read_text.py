"""Plain text and Markdown: paragraphs by line, pipe tables and tab-separated tables."""

from __future__ import annotations

import re

from dondoc.importer.blocks import Block, Para, Row, Table
from dondoc.importer.cleaning import clean, continues, is_page_number

_PIPE_RULE = re.compile(r"^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?$")


def _cells(line: str) -> list[str] | None:
    stripped = line.strip()
    if stripped.startswith("|") and stripped.count("|") >= 3:
        return [clean(c) for c in stripped.strip("|").split("|")]
    if "\t" in line and line.count("\t") >= 2:
        return [clean(c) for c in line.rstrip("\n").split("\t")]
    return None


def read_text(text: str) -> list[Block]:
    blocks: list[Block] = []
    table: Table | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        ref = f"dòng {number}"
        if _PIPE_RULE.match(raw.strip()) and table is not None:
            continue
        cells = _cells(raw)
        if cells is not None:
            if table is None:
                table = Table(ref=ref)
                blocks.append(table)
            table.rows.append(Row(cells, ref))
            continue
        line = clean(raw)
        if not line:
            continue  # blank lines neither open nor close a table (page breaks inside tables)
        if is_page_number(line):
            continue
        table = None
        previous = blocks[-1] if blocks else None
        if isinstance(previous, Para) and continues(previous.text, line):
            previous.text = f"{previous.text} {line}"
            continue
        blocks.append(Para(line, ref))
    return blocks
