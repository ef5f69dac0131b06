"""The section tree of a document's prose: I. → 1. → a), with "-" and "+" lines in the body."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from dondoc.importer.blocks import Para

ROMAN = re.compile(r"^(?P<m>[IVX]{1,5})\.\s*(?P<rest>.*)$")
NUMBER = re.compile(r"^(?P<m>\d{1,2})\.\s*(?P<rest>\S.*)$")
LETTER = re.compile(r"^(?P<m>[a-zđ])\)\s*(?P<rest>.*)$")
BULLET = re.compile(r"^[-–•]\s*(?P<rest>.*)$")
PLUS = re.compile(r"^(?:[-–•]\s*)?\+\s*(?P<rest>.*)$")
LABEL = re.compile(
    r"^(?P<label>(?:cơ quan|đơn vị)\s+(?:chủ trì(?:\s+tham mưu)?|tham mưu|thực hiện|phối hợp)"
    r"|chủ trì(?:\s+tham mưu)?|thành phần"
    r"|thời hạn(?:\s+hoàn thành)?|thời gian(?:\s+(?:hoàn thành|hàn thành|thực hiện))?(?:,?\s*hoàn thành)?"
    r"|nội dung|mục tiêu)\s*:\s*(?P<value>.*)$",
    re.I,
)
END = re.compile(r"^nơi nhận\s*:?", re.I)
# an appendix's heading ("PHỤ LỤC", "Phụ lục I", "PHỤ LỤC: DANH MỤC NHIỆM VỤ"): no part of the section before it
APPENDIX = re.compile(r"^phụ lục(?:\s+(?:số\s+)?[ivx\d]+)?\s*(?:[:.]\s*(?P<caption>.*))?$", re.I)
CLOSING = re.compile(r"\./\.\s*$")
_LEVEL = {"roman": 1, "number": 2, "letter": 3}


@dataclass
class Line:
    text: str  # without its bullet marker
    ref: str
    bullet: str = ""  # "-", "+" or ""


@dataclass
class Node:
    path: str
    title: str
    ref: str
    level: int
    body: list[Line] = field(default_factory=list)
    children: list[Node] = field(default_factory=list)
    parent: Node | None = None

    def walk(self) -> list[Node]:
        out: list[Node] = [self]
        for child in self.children:
            out += child.walk()
        return out

    def ancestors(self) -> list[Node]:
        out, node = [], self.parent
        while node is not None and node.level > 0:
            out.append(node)
            node = node.parent
        return out


def _marker(text: str) -> tuple[str, str, str] | None:
    for kind, pattern in (("roman", ROMAN), ("number", NUMBER), ("letter", LETTER)):
        if m := pattern.match(text):
            return kind, m.group("m"), m.group("rest")
    return None


def _fold(node: Node) -> None:
    """A section whose fields sit beside lettered parts ("a) Chỉ tiêu…", "b) Chủ trì tham mưu: …")
    is one item: its lettered parts without fields of their own become its body."""
    for child in node.children:
        _fold(child)
    if any(LABEL.match(x.text) for x in node.body) and node.children:
        if all(not any(LABEL.match(x.text) for x in c.body) and not c.children for c in node.children):
            lines: list[Line] = []
            for child in node.children:
                lines += [Line(f"{child.path.rsplit('.', 1)[-1]}) {child.title}", child.ref), *child.body]
            node.body = lines + node.body
            node.children = []


def build_tree(paragraphs: list[Para]) -> Node:
    """The tree of the body; paragraphs before the first section and after "Nơi nhận" are left out, and
    an appendix's heading and captions ("PHỤ LỤC", "DANH MỤC NHIỆM VỤ") join no section."""
    root = Node("", "", "", 0)
    current = root
    started = False
    for para in paragraphs:
        text = para.text
        if END.match(text):
            break
        if (m := APPENDIX.match(text)) and (not m.group("caption") or m.group("caption").isupper()):
            current = root  # the appendix's captions join no section; its own numbered sections are read
            continue
        marked = _marker(text)
        if marked is None:
            if not started:
                continue
            line = _line(text, para.ref)
            current.body.append(line)
            continue
        kind, mark, rest = marked
        if kind == "letter" and LABEL.match(rest):
            # "b) Chủ trì tham mưu: …": a field of the section above the lettered parts
            owner = current.parent if current.level == 3 and current.parent is not None else current
            owner.body.append(Line(rest, para.ref))
            continue
        started = True
        level = _LEVEL[kind]
        parent = current
        while parent.level >= level:
            assert parent.parent is not None
            parent = parent.parent
        path = f"{parent.path}.{mark}" if parent.path else mark
        node = Node(path, rest.strip(), para.ref, level, parent=parent)
        parent.children.append(node)
        current = node
    # the closing paragraph after the last section ("Trong quá trình thực hiện, … xem xét./."): the
    # document's sign-off, ended by "./.", not part of the last task
    while current.body and not current.body[-1].bullet and CLOSING.search(current.body[-1].text):
        current.body.pop()
    _fold(root)
    return root


def _line(text: str, ref: str) -> Line:
    if m := PLUS.match(text):
        return Line(m.group("rest").strip(), ref, "+")
    if m := BULLET.match(text):
        return Line(m.group("rest").strip(), ref, "-")
    return Line(text, ref)
