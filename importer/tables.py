"""Task tables: the header row recognised by meaning (any column order), roman-numeral group rows,
rows continued over a page break, merged cells repeated across the columns they span."""

from __future__ import annotations

import re

from dondoc.engine.deadlines import DeadlineKind, DeadlinePhraseError, parse_deadline
from dondoc.importer.agencies import AgencyDirectory
from dondoc.importer.blocks import Row, Table
from dondoc.importer.cleaning import shortened
from dondoc.importer.fields import flags, milestones_off, set_deadline, set_role
from dondoc.importer.model import CERTAIN, GUESSED, NOT_FOUND, Proposal, Trace
from dondoc.importer.targets import FIGURES_READ, find_targets

# A column's meaning from its heading, the first pattern that matches deciding. A heading of time is
# read before the roles ("Thời gian thực hiện", "Dự kiến thời gian thực hiện", "Lộ trình thực hiện"
# say when, not who); a start alone ("Thời gian bắt đầu") is never the deadline, a span ("Thời gian bắt
# đầu - hoàn thành") is; money and products are no role nor date ("Kinh phí thực hiện", "Sản phẩm hoàn
# thành"); a heading of content before the weak "hoàn thành" ("Nhiệm vụ cần hoàn thành").
_COLUMNS = [
    ("tt", re.compile(r"^(s?tt|số thứ tự|stt\.?|số tt)$", re.I)),
    ("start", re.compile(r"^(?!.*(hoàn thành|kết thúc|\bđến\b)).*(bắt đầu|khởi công|khởi động)", re.I)),
    ("deadline", re.compile(r"thời gian|thời hạn|thời điểm|tiến độ|lộ trình|^hạn\b|^mốc\b", re.I)),
    ("other", re.compile(r"kinh phí|nguồn vốn|dự toán|^sản phẩm|^kết quả", re.I)),
    ("lead", re.compile(r"chủ trì|tham mưu", re.I)),
    ("partner", re.compile(r"phối hợp", re.I)),
    ("implementer", re.compile(r"thực hiện$|đơn vị thực hiện|cơ quan thực hiện", re.I)),
    ("note", re.compile(r"ghi chú", re.I)),
    ("content", re.compile(r"nội dung|nhiệm vụ|tên|công việc", re.I)),
    ("deadline", re.compile(r"hoàn thành", re.I)),
]
_PHASE = re.compile(r"^(?:giai đoạn\s+|năm\s+)?\d{4}(?:\s*[-–]\s*\d{4})?$", re.I)  # a column per phase
_GROUP_HEAD = re.compile(r"^(?P<n>[IVX]{1,5}|[A-ZĐ])[.)]\s+\S")  # "I. Nhóm nhiệm vụ …", "A. …": a group
_LETTER = re.compile(r"^[A-HJ-UWYZĐ]\.?$")  # a group lettered "A", "B" (I, V, X are roman), in a TT cell or a heading
_ROMAN = re.compile(r"^[IVX]{1,5}\.?$")
_TT = re.compile(r"^\d{1,3}(?:\.\d{1,3})*\.?$")  # "1", "1.", and a sub-row "1.1" (its own task, its own lead)


def _nested(group: str, heading: str) -> str:
    """The group a heading opens: a roman one inside the lettered one it follows ("A" then "I": "A.I"),
    else the heading itself (a letter, or a roman numeral after another)."""
    letter = group.split(".")[0]
    return f"{letter}.{heading}" if _LETTER.match(letter) and _ROMAN.match(heading) else heading


def _heading_row(cells: list[str]) -> str | None:
    """A row that is one merged cell across the table: the group it opens ("II. Nhóm nhiệm vụ dữ liệu"
    → "II"), "" for a caption with no numeral; None for any other row."""
    written = [c.strip() for c in cells if c.strip()]
    if len(written) < 2 or len(set(written)) != 1:
        return None
    if _ROMAN.match(written[0]) or _LETTER.match(written[0]):  # the numeral alone, merged across ("I")
        return written[0].rstrip(".")
    head = _GROUP_HEAD.match(written[0])
    return head.group("n") if head else ""


def _header(row: Row) -> dict[str, list[int]] | None:
    columns: dict[str, list[int]] = {}
    for i, cell in enumerate(row.cells):
        for name, pattern in _COLUMNS:
            if cell and pattern.search(cell):
                if not (columns.get(name) and row.cells[columns[name][-1]] == cell):  # a merged header cell
                    columns.setdefault(name, []).append(i)
                break
    return columns if "content" in columns and ("lead" in columns or "implementer" in columns) else None


class TableReader:
    def __init__(self, agencies: AgencyDirectory, year: int) -> None:
        self.agencies = agencies
        self.year = year

    def items(self, table: Table, prefix: str) -> list[Proposal]:
        rows = table.rows
        start = next((i for i, r in enumerate(rows) if _header(r)), None)
        if start is None:
            return []
        columns = _header(rows[start])
        assert columns is not None
        header_cells = rows[start].cells
        periods: list[tuple[int, str]] = []
        body = rows[start + 1 :]
        if body and self._subheader(body[0], columns):
            # the phases under the time heading only: the cells its heading spans (repeated, or left empty
            # after it), not the next heading's ("Kinh phí" over "Ngân sách tỉnh | huyện" is money, not
            # two more phases); no time heading, no phases
            if "deadline" in columns:
                first = after = columns["deadline"][0]
                while after + 1 < len(header_cells) and header_cells[after + 1] in ("", header_cells[first]):
                    after += 1
                periods = [(i, c) for i, c in enumerate(body[0].cells) if c and first <= i <= after]
            sub = body[0].cells
            body = body[1:]
        else:
            sub = None
        records: list[tuple[str, list[str], list[str]]] = []  # (section, cells, refs)
        group, group_start = "", 0
        for row in body:
            cells = row.cells + [""] * (len(header_cells) - len(row.cells))
            if cells[: len(header_cells)] == header_cells or (sub is not None and cells == sub):
                continue  # a header row repeated on a new page
            in_group = len(records) - group_start
            heading = _heading_row(cells)
            if heading is not None:  # one merged cell across the row: a group ("II. Nhóm …") or a caption
                if heading:
                    group, group_start = _nested(group, heading), len(records)
                continue
            tt = cells[columns["tt"][0]].strip() if "tt" in columns else self._numbered(cells, columns, in_group)
            if _ROMAN.match(tt) or _LETTER.match(tt):
                group, group_start = _nested(group, tt.rstrip(".")), len(records)
                continue
            if _TT.match(tt):
                number = tt.rstrip(".")
                section = f"{prefix}.{group}.{number}" if group else f"{prefix}.{number}"
                records.append((section, list(cells), [row.ref]))
            elif records and any(cells):
                _, previous, refs = records[-1]
                for i, cell in enumerate(cells[: len(previous)]):
                    if cell and cell != previous[i]:  # merged cells repeat: do not add them twice
                        previous[i] = f"{previous[i]} {cell}".strip()
                refs.append(row.ref)
        # a row whose sub-rows (1.1, 1.2) carry the bodies and dates, with none of its own, heads them:
        # it is no task (it would wait in "Cần phân công" for a body the text never meant to name)
        given = [columns[n][0] for n in ("lead", "implementer", "partner", "deadline") if n in columns]
        given += [i for i, _ in periods]

        def bodiless(cells: list[str]) -> bool:  # no body or date of its own
            return not any(i < len(cells) and cells[i].strip() for i in given)

        sections = [section for section, _, _ in records]
        bare = {section for section, cells, _ in records if bodiless(cells)}
        # sub-rows with no body or date of their own, under a row that has them, are its parts: folded
        # into it (a sub-task naming nobody would wait in "Cần phân công"; none is invented for it)
        parts = {
            s
            for s in bare
            if "." in s[len(prefix) + 1 :] and s.rsplit(".", 1)[0] in sections and s.rsplit(".", 1)[0] not in bare
        }
        at = columns["content"][0]
        for section, cells, refs in records:
            if section in parts:
                _, whole, whole_refs = next(r for r in records if r[0] == section.rsplit(".", 1)[0])
                if at < len(cells) and at < len(whole) and cells[at].strip():
                    whole[at] = f"{whole[at].rstrip('. ;')}; {cells[at]}"
                whole_refs.extend(refs)
        records = [r for r in records if r[0] not in parts]
        sections = [section for section, _, _ in records]
        heads = {
            section: cells[columns["content"][0]].strip()
            for section, cells, _ in records
            if bodiless(cells) and any(other.startswith(section + ".") for other in sections)
        }
        records = [(section, cells, refs) for section, cells, refs in records if section not in heads]
        for section, cells, _ in records:  # its sub-rows keep its words: "Tái cấu trúc quy trình: đất đai"
            head = next((heads[h] for h in heads if section.startswith(h + ".")), "")
            if head and at < len(cells):
                cells[at] = f"{head.rstrip(':. ')}: {cells[at]}"
        return [self._item(section, cells, refs, columns, periods) for section, cells, refs in records]

    @staticmethod
    def _numbered(cells: list[str], columns: dict[str, list[int]], before: int) -> str:
        """A table without a "TT" column: a row with its content and a body or a date is the next task,
        numbered in order within its group (``before`` tasks so far); a row "I. …" or "A. …" without a
        body or date heads a group; any other row continues the one before (a cell carried over a page)."""

        def filled(name: str) -> bool:
            return name in columns and columns[name][0] < len(cells) and bool(cells[columns[name][0]].strip())

        content = cells[columns["content"][0]].strip() if columns["content"][0] < len(cells) else ""
        roles = any(filled(name) for name in ("lead", "implementer", "deadline"))
        if (head := _GROUP_HEAD.match(content)) and not roles:
            return head.group("n")  # "I. Nhóm nhiệm vụ về hạ tầng": a group, as a roman row of a TT column
        if filled("content") and roles:
            return str(before + 1)
        return ""

    def _subheader(self, row: Row, columns: dict[str, list[int]]) -> bool:
        content = row.cells[columns["content"][0]] if columns["content"][0] < len(row.cells) else ""
        tt = row.cells[columns["tt"][0]] if "tt" in columns else ""
        return not content and not tt and any(row.cells)

    def _item(
        self,
        section: str,
        cells: list[str],
        refs: list[str],
        columns: dict[str, list[int]],
        periods: list[tuple[int, str]],
    ) -> Proposal:
        ref = ", ".join(refs)

        def cell(name: str) -> str:
            return cells[columns[name][0]].strip() if name in columns and columns[name][0] < len(cells) else ""

        content = cell("content")
        item = Proposal(section=section, title=shortened(content), content=content, ref=ref)
        # a content too long for a title is cut: a guess at the task's name, not the text's
        cut = item.title != content
        item.mark(
            "title", ref, GUESSED if cut else CERTAIN, "rút gọn từ nội dung: Tổ giúp việc đặt tên ngắn" if cut else ""
        )
        item.mark("content", ref, CERTAIN)
        for role in ("lead", "implementer", "partner"):
            if cell(role):
                set_role(item, role, cell(role), ref, self.agencies)
        note = cell("note")
        if periods:
            filled = [(label, cells[i].strip()) for i, label in periods if i < len(cells) and cells[i].strip()]
            if filled:
                set_deadline(item, filled[-1][1], ref, self.year, CERTAIN if len(filled) == 1 else GUESSED)
                if len(filled) > 1 and all(_PHASE.match(label) for label, _ in filled):
                    # one date per phase of the plan ("2019-2020 | 2021-2025"): a milestone each, none lost
                    item.milestones = [{"label": f"Giai đoạn {label}", "deadline": cell} for label, cell in filled]
                    said = f"tách thành {len(filled)} mốc theo các giai đoạn của bảng"
                    item.mark("deadline", ref, GUESSED, said + milestones_off(item.milestones, self.year))
                elif len(filled) > 1:
                    item.notes.append("Nhiều cột thời gian: " + "; ".join(f"{a}: {b}" for a, b in filled) + " (mốc).")
        elif cell("deadline"):
            set_deadline(item, cell("deadline"), ref, self.year)
        if cell("start"):  # when the work begins: kept for the secretariat, never taken as its deadline
            item.notes.append(f"Thời gian bắt đầu: {cell('start')} (không phải thời hạn).")
            if not item.deadline:
                item.mark("deadline", ref, NOT_FOUND, "văn bản chỉ ghi thời điểm bắt đầu")
        if note:
            self._note(item, note, ref)
        for name in ("lead", "deadline"):
            item.trace.setdefault(name, _trace(ref))
        item.indicators = find_targets(content)
        if item.indicators:
            item.mark("indicators", ref, GUESSED, FIGURES_READ)
        flags(item, content + " " + note, ref)
        return item

    def _note(self, item: Proposal, note: str, ref: str) -> None:
        """The "Ghi chú" cell: a recurring phrase is the deadline (guessed); work it says is done
        ("Đã hoàn thành") is done at issue, and a date it gives other than the time column's is
        said beside the deadline, both for the secretariat to confirm. The cell had been kept as a
        note alone: a task "Tháng 4/2022 | … | Đã hoàn thành" in a September plan stayed open with a
        certain date (15 bodies told it was overdue the day the plan was issued), and "Năm 2022 | … |
        Hoàn thành trước ngày 30/11/2022" kept 31/12/2022 as certain."""
        try:
            reading = parse_deadline(note, default_year=self.year)
        except DeadlinePhraseError:
            reading = None
        if reading is not None and reading.kind.value == "recurring":
            set_deadline(item, note, ref, self.year, GUESSED)
            return
        item.notes.append(f"Ghi chú: {note}")
        if reading is not None and reading.kind is DeadlineKind.CONDITION and _WAITS.match(note):
            self._precondition(item, note, ref)
            return
        if _DONE.search(note) and not item.done_at_issue:
            item.done_at_issue = True
            item.mark("done_at_issue", ref, GUESSED, f"Ghi chú ghi “{note}”: đọc là đã hoàn thành khi ban hành")
            return
        if reading is None or reading.due is None or not item.deadline:
            return
        try:
            column = parse_deadline(item.deadline, default_year=self.year).due
        except DeadlinePhraseError:
            return
        if column is not None and column != reading.due:
            trace = item.trace.get("deadline")
            said = (
                f"Ghi chú ghi “{note}” (hạn {reading.due:%d/%m/%Y}), khác cột thời gian "
                f"(hạn {column:%d/%m/%Y}): Tổ giúp việc chọn hạn"
            )
            item.mark("deadline", ref, GUESSED, f"{trace.note}; {said}" if trace and trace.note else said)

    def _precondition(self, item: Proposal, note: str, ref: str) -> None:
        """A "Ghi chú" that waits for an event ("Khi có hướng dẫn của Bộ Thông tin và Truyền thông.", "Sau khi
        Thủ tướng Chính phủ ban hành", 61/KH-UBND PL.I.2, PL.I.4, PL.I.5, PL.II.1): the item's
        ``precondition``, shown with the time column's date, which stays the deadline but is guessed (the
        work may not start by then); with no date in the row, the condition is the deadline (guessed). The
        condition had gone to the notes alone and the date stayed certain."""
        trace = item.trace.get("deadline")
        if not item.deadline:
            set_deadline(item, note, ref, self.year, GUESSED)
            return
        item.precondition = note
        said = (
            f"Ghi chú đặt điều kiện “{note}”: ghi làm điều kiện kèm theo, hạn theo cột thời gian; Tổ giúp việc xác nhận"
        )
        item.mark("deadline", ref, GUESSED, f"{trace.note}; {said}" if trace and trace.note else said)


# a note that waits for an event: a condition of the work ("Khi có …", "Sau khi … ban hành"), not the manner
# of it ("Theo hướng dẫn của Văn phòng Chính phủ", which changes no date)
_WAITS = re.compile(r"^(?:sau khi|khi|chờ)\b", re.I)

# "Đã hoàn thành" in a note, not "chưa hoàn thành" nor "hoàn thành trước ngày …" (a date)
_DONE = re.compile(r"(?<!chưa )\bđã\s+hoàn\s+thành\b", re.I)


def _trace(ref: str) -> Trace:
    return Trace(ref, NOT_FOUND)


__all__ = ["TableReader", "GUESSED"]
