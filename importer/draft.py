"""``build_draft``: a read document to a proposed plan (header, items, what could not be read)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from dondoc.engine.as_written import NAMES_NOBODY
from dondoc.engine.deadlines import DeadlinePhraseError, parse_deadline
from dondoc.importer.agencies import AgencyDirectory
from dondoc.importer.blocks import Document, Para
from dondoc.importer.cleaning import shortened
from dondoc.importer.errors import ImportRefused, reader_fault
from dondoc.importer.fields import NOT_NAMED
from dondoc.importer.header import Header, plan_horizon, plan_year, read_header
from dondoc.importer.joined_work import task_clause
from dondoc.importer.model import CERTAIN, GUESSED, NOT_FOUND, Proposal
from dondoc.importer.prose import ProseReader
from dondoc.importer.reporting import ReportDraft, ReportingReader, report_codes
from dondoc.importer.reporting import sentences as report_sentences
from dondoc.importer.sections import build_tree
from dondoc.importer.tables import TableReader

# where the review page lists the reporting duties a publication will create: the notes on a sentence
# read as such a duty point there, in the page's words (they said the draft file's key, "reporting:")
REPORTING_VI = "Nghĩa vụ báo cáo sẽ lập khi công bố"

UNSET = NAMES_NOBODY  # the catalog's phrase for a role the text names no body for (engine.as_written)
_DUTY_DRAFTED = f"câu còn đặt nghĩa vụ báo cáo: đã lập riêng, ở “{REPORTING_VI}”"  # the item's content trace


@dataclass
class Draft:
    header: Header
    source_file: str
    items: list[Proposal]
    unread: list[str] = field(default_factory=list)
    reports: list[tuple[str, str]] = field(default_factory=list)  # (where, sentence): reporting duties seen
    reporting: list[ReportDraft] = field(default_factory=list)  # those drafted as reporting: entries
    year: int = 0  # the year the plan is for (importer.header.plan_year), read once by build_draft

    def code(self, item: Proposal) -> str:
        return f"{self.header.number}:{item.section}"

    def plan_dict(self) -> dict[str, Any]:
        """The draft in the catalog's shape (a dict PlanFile accepts), without the traces."""
        h = self.header
        return {
            "plan": {
                "number": h.number or "?",
                "kind": h.kind or "ke_hoach",
                "issued": h.issued or date(self.year, 1, 1),
                **({"issued_as_written": h.issued_as_written} if h.issued_as_written else {}),
                "issuer": h.issuer or "?",
                "title": h.title or "?",
                "source_file": self.source_file,
                "year": self.year,
            },
            "items": [_item_dict(self.code(i), i) for i in self.items],
            "reporting": self.reporting_entries(),
        }

    def reporting_entries(self) -> list[dict[str, Any]]:
        codes = report_codes(self.header.number or "?", self.reporting)
        return [report.entry(code) for code, report in zip(codes, self.reporting, strict=True)]


def _item_dict(code: str, item: Proposal) -> dict[str, Any]:
    out: dict[str, Any] = {
        "code": code,
        "section": item.section,
        "title": item.title or item.content[:120],
        "content": item.content,
        "source": f"Mục {item.section}, {item.ref}",
        "roles_as_written": dict(item.roles_as_written),
        "lead": item.lead,
        "implementers": item.implementers,
        "partners": item.partners,
    }
    carried = item.lead or item.implementers or any(u["role"] in ("lead", "implementer") for u in item.unnamed)
    if not carried:
        # nobody named to carry it out ("Phối hợp với các cơ quan liên quan …" names a partner only):
        # "chưa xác định cơ quan" (the catalog's unnamed: rule) until the secretariat names one
        out["roles_as_written"] = {**out["roles_as_written"], "lead": UNSET}
        out["unnamed"] = [{"role": "lead", "phrase": UNSET}, *item.unnamed]
    elif item.unnamed:
        out["unnamed"] = item.unnamed
    out["deadline"] = item.deadline
    if item.precondition:
        out["precondition"] = item.precondition
    if item.milestones:
        out["milestones"] = item.milestones
    out["priority"] = item.priority
    out["done_at_issue"] = item.done_at_issue
    out["indicators"] = item.indicators
    if item.notes:
        out["notes"] = " ".join(item.notes)
    return out


def build_draft(document: Document, agencies: AgencyDirectory | None = None, *, today: date) -> Draft:
    """The draft of ``document`` read on ``today`` (the clock's local day: the year of a document
    that gives no issue date, importer.header.plan_year); refused in one line (ImportRefused) when
    it cannot be read, and when the reader meets a structure it fails on (logged whole: a fault of
    the reader's own, never a traceback or an HTTP 500 for the secretariat)."""
    agencies = agencies or AgencyDirectory.load()
    with reader_fault(document.source_file):
        return _build(document, agencies, today)


def _build(document: Document, agencies: AgencyDirectory, today: date) -> Draft:
    paragraphs = document.paragraphs()
    header = read_header(paragraphs)
    year = plan_year(header, today)
    addressees = read_addressees(paragraphs)
    if addressees:
        agencies = agencies.with_addressees(addressees)
    tree = build_tree(paragraphs)
    prose = ProseReader(agencies, year)
    items = prose.items(tree)
    prose_count = len(items)
    table_reader = TableReader(agencies, year)
    tables = document.tables()
    for n, table in enumerate(tables, start=1):
        prefix = "PL" if len(tables) == 1 else f"PL{n}"
        items += table_reader.items(table, prefix)
    for item in items:  # a date without a year: guessed where the year is a reading
        _guessed_year(item, year, header.issued, "year" in header.trace)
        _before_issue(item, year, header.issued)
    if not items:
        raise ImportRefused(
            f"Không tìm thấy nhiệm vụ nào trong tệp {document.source_file} "
            "(không có dòng “Cơ quan chủ trì”, câu giao việc hay bảng nhiệm vụ)."
        )
    # the first period a duty is drafted from: the issue's, or the plan year's first (a 2027 plan issued
    # on 28/12/2026 owes no report for the fourth quarter of 2026)
    start = max(header.issued, date(year, 1, 1)) if header.issued else date(year, 1, 1)
    reporting = ReportingReader(agencies, start, plan_horizon(header.title or "")).read(tree)
    # a document whose tasks are in a table (61/KH-UBND's appendix) narrates them in its prose without
    # the bodies: its sections are no missed tasks, unless one gives a deadline (a task all the same);
    # a section read as describing roles only is said all the same (the reader's judgment, not the text's)
    unread = list(document.unread) + (prose.unread if len(items) == prose_count else prose.always_unread)
    sentences = {_squash(r.sentence) for r in reporting}
    for item in list(items):  # an item that is nothing but a drafted reporting duty is that duty
        parts = report_sentences(item.content)
        squashed = [_squash(p) for p in parts]
        if not (squashed and all(p in sentences or p.startswith("thờigianchốtsốliệu") for p in squashed)):
            continue
        joined = [work for p in parts if (work := task_clause(p, agencies))]
        trace = item.trace["content"]
        if any(work.known for work in joined):  # "… triển khai Đề án 06, báo cáo hằng quý …": the task, and the duty
            trace.note = _DUTY_DRAFTED
        elif joined:  # "… hướng dẫn …, báo cáo …": a task or the report's own work? kept, for the secretariat to say
            trace.note, trace.confidence = f"{_DUTY_DRAFTED}; chưa rõ phần trước là nhiệm vụ", GUESSED
            unread.append(
                f"Mục {item.section}: chưa rõ “{joined[0].words}” là nhiệm vụ riêng hay việc chuẩn bị báo cáo "
                f"(nghĩa vụ báo cáo đã lập riêng, ở “{REPORTING_VI}”): đã giữ làm nhiệm vụ, "
                f"Tổ giúp việc xem lại ({item.ref})."
            )
        elif len(items) > 1:
            items.remove(item)
            unread.append(
                f"Mục {item.section}: đọc là nghĩa vụ báo cáo, ở “{REPORTING_VI}”, không lập nhiệm vụ ({item.ref})."
            )
    _unique_sections(items)
    drafted = {(r.ref, _squash(r.sentence)) for r in reporting}
    seen = [r for r in reporting_sentences(paragraphs) if not any(_squash(r[1]) in s for _, s in drafted)]
    draft = Draft(header, document.source_file, items, unread, seen, reporting, year)
    for name, trace in header.trace.items():
        if trace.confidence == NOT_FOUND:
            draft.unread.append(f"Không đọc được {_FIELD_VI[name]} của văn bản.")
    if header.issued_as_written:  # a blank day: the day counted from is a reading (importer.header)
        draft.unread.append(f"Ngày ban hành: {header.trace['issued'].note} ({header.trace['issued'].ref}).")
    for report in reporting:
        if report.first_period and not report.last_period:  # the schedule would run on with no end
            draft.unread.append(
                f"Mục {report.section}: báo cáo {_PERIOD_VI[report.period]} — kỳ cuối chưa xác định (tên kế hoạch "
                f"không nêu năm): Tổ giúp việc ghi kỳ cuối ({report.ref})."
            )
    for item in items:
        for name, trace in item.trace.items():
            if trace.confidence == NOT_FOUND and not (name == "deadline" and item.done_at_issue):
                # a task with no deadline is the secretariat's to date, or to confirm as having none (not one
                # done when the plan was issued: nothing is left to date)
                why = f" — {trace.note}" if name == "deadline" and trace.note else ""
                draft.unread.append(
                    f"Mục {item.section}: không tìm thấy {_FIELD_VI.get(name, name)}{why} ({trace.ref})."
                )
            if any(said in trace.note for said in _FOR_THE_SECRETARIAT) or trace.note.startswith(
                "bộ đọc hạn không hiểu"
            ):
                draft.unread.append(f"Mục {item.section}: {trace.note} ({trace.ref}).")
    return draft


# a field's note that asks the secretariat to read the text again: listed under "Chưa đọc được" too
_FOR_THE_SECRETARIAT = ("không nhận ra", NOT_NAMED)

_A_YEAR = re.compile(r"(?:19|20)\d{2}")


def _guessed_year(item: Proposal, year: int, issued: date | None, from_title: bool) -> None:
    """A deadline read certain whose phrase gives no year: the year is a reading, said and guessed —
    the plan's, taken from its title ("năm 2027 theo tên kế hoạch"), or one whose date falls before the
    plan was issued (it would be overdue the day it is given)."""
    trace = item.trace.get("deadline")
    if trace is None or trace.confidence != CERTAIN:
        return
    dates = _due_dates(item, year, yearless=True)  # "Quý I", "Tháng 6": a phrase with no year
    said = ""
    if dates and from_title:
        said = f"năm {year} theo tên kế hoạch"
    elif issued is not None and any(due < issued for due in dates):
        said = f"ngày không ghi năm, tính theo năm {year}: trước ngày ban hành"
    if said:
        item.mark("deadline", trace.ref, GUESSED, f"{trace.note}; {said}".lstrip("; "))


def _before_issue(item: Proposal, year: int, issued: date | None) -> None:
    """A deadline, or a milestone, that falls before the plan was issued, of work the text does not say
    is done: read as written, but marked for the secretariat — the part is overdue the day it is given,
    and its body hears so at once and then the leaders ("Chậm nhất ngày 31/5/2022" in a plan of
    01/6/2022: a slip for another year, work already done, or a catch-up order as 117/KH-UBND's). Whatever
    the reading's confidence, each early milestone named: a guessed one (117/KH-UBND II.1.đ's "vào tháng
    6/2022", read from the content of a plan of 27/07/2022) had gone unsaid."""
    trace = item.trace.get("deadline")
    if issued is None or item.done_at_issue or trace is None:
        return
    early = []
    # the milestones stand for the deadline where there are some (the catalog's loader reads them first)
    parts = [(m.get("deadline"), m.get("label") or m.get("deadline")) for m in item.milestones]
    for phrase, label in parts or [(item.deadline, None)]:
        due = _due_date(phrase, year)
        if due is not None and due < issued:
            early.append(f"mốc “{shortened(label, 60)}” ({phrase}, hạn {due:%d/%m/%Y})" if label else f"{due:%d/%m/%Y}")
    if early:
        what = f"hạn {early[0]} trước ngày ban hành {issued:%d/%m/%Y}: quá hạn ngay khi giao"
        if parts:
            what = f"trước ngày ban hành {issued:%d/%m/%Y}, quá hạn ngay khi giao: {' và '.join(early)}"
        said = f"{what}; Tổ giúp việc xác nhận (năm khác, việc đã hoàn thành, hay giao bù)"
        level = NOT_FOUND if trace.confidence == NOT_FOUND else GUESSED
        item.mark("deadline", trace.ref, level, f"{trace.note}; {said}".lstrip("; "))


def _due_date(phrase: str | None, year: int) -> date | None:
    if not phrase:
        return None
    try:
        return parse_deadline(phrase, default_year=year).due
    except DeadlinePhraseError:
        return None


def _due_dates(item: Proposal, year: int, *, yearless: bool = False) -> list[date]:
    """The due dates of the item's deadline phrases (its milestones' too) read in ``year``; with
    ``yearless``, of those phrases only that give no year."""
    phrases = [item.deadline or "", *(m.get("deadline", "") for m in item.milestones)]
    dues = [_due_date(p, year) for p in phrases if not (yearless and _A_YEAR.search(p))]
    return [due for due in dues if due is not None]


_KINH_GUI = re.compile(r"^kính gửi\s*:?\s*(?P<rest>.*)$", re.I)
_LIST_ITEM = re.compile(r"^[-–•+]\s*(?P<rest>.+)$")


def read_addressees(paragraphs: list[Para]) -> list[str]:
    """The "Kính gửi:" list of the header (inline or one "- …" line each), what "nêu trên" refers to."""
    for i, para in enumerate(paragraphs[:40]):
        m = _KINH_GUI.match(para.text.strip())
        if m is None:
            continue
        found = [p.strip(" ;.,") for p in m.group("rest").split(";") if p.strip(" ;.,")]
        for following in paragraphs[i + 1 : i + 20]:
            item = _LIST_ITEM.match(following.text.strip())
            if item is None:
                break
            found.append(item.group("rest").strip(" ;.,"))
        return found
    return []


_REPORT = re.compile(r"\bbáo cáo\b", re.I)
_PERIODIC = re.compile(r"định kỳ|hàng quý|hằng quý|6 tháng|06 tháng|hàng năm|hằng năm|trước ngày \d", re.I)


def reporting_sentences(paragraphs: list[Para]) -> list[tuple[str, str]]:
    """Sentences that set a reporting duty (a report and a period or a date), for the reviewer."""
    found = []
    for para in paragraphs:
        if re.match(r"^nơi nhận", para.text, re.I):
            break
        for sentence in re.split(r"(?<=[.;])\s+", para.text):
            if _REPORT.search(sentence) and _PERIODIC.search(sentence) and "%" not in sentence:
                found.append((para.ref, sentence.strip(" -")))
    return found


def _squash(text: str) -> str:
    return re.sub(r"^[a-zđ]\)\s*|[\s.;:,\-+]+", "", text.casefold())


def _unique_sections(items: list[Proposal]) -> None:
    seen: dict[str, int] = {}
    for item in items:
        if item.section in seen:
            seen[item.section] += 1
            item.section = f"{item.section}-{seen[item.section]}"
        else:
            seen[item.section] = 1


_PERIOD_VI = {"quarter": "hằng quý", "half_year": "6 tháng", "year": "hằng năm"}

_FIELD_VI = {
    "number": "số văn bản",
    "issued": "ngày ban hành",
    "issuer": "cơ quan ban hành",
    "kind": "loại văn bản",
    "title": "trích yếu",
    "lead": "cơ quan chủ trì",
    "implementers": "cơ quan thực hiện",
    "partners": "cơ quan phối hợp",
    "deadline": "thời hạn",
}
