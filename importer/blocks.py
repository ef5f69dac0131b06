"""What a reader yields: paragraphs and tables in document order, each with where it stands."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Para:
    text: str
    ref: str  # where, as a reader would say it: "dòng 23", "trang 2, dòng 5", "đoạn 12"
    label: str = ""  # automatic numbering of a DOCX paragraph ("1.", "a)"), prefixed when read


@dataclass
class Row:
    cells: list[str]
    ref: str


@dataclass
class Table:
    rows: list[Row] = field(default_factory=list)
    ref: str = ""


Block = Para | Table


@dataclass
class Document:
    blocks: list[Block]
    source_file: str
    unread: list[str] = field(default_factory=list)  # what the reader could not read, in Vietnamese

    def paragraphs(self) -> list[Para]:
        return [b for b in self.blocks if isinstance(b, Para)]

    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]
