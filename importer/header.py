"""The document's header: number, date ("ngày … tháng … năm …"), issuer, kind and title."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from dondoc.importer.blocks import Para
from dondoc.importer.model import CERTAIN, GUESSED, NOT_FOUND, Trace

_NUMBER = re.compile(r"^Số\s*:?\s*(?P<n>\d*)\s*/\s*(?P<s>[A-ZĐ][A-ZĐa-z0-9&\-]*)")
_DATE = re.compile(r"ngày\s*(?P<d>\d{1,2})?\s*tháng\s*(?P<m>\d{1,2})\s*năm\s*(?P<y>\d{4})", re.I)
_KINDS = [
    (re.compile(r"^KẾ HOẠCH$"), "ke_hoach"),
    (re.compile(r"^THÔNG BÁO$"), "thong_bao"),
    (re.compile(r"^(CÔNG VĂN|V/v\b)"), "cong_van"),
]
_ISSUERS = {"BCĐ": "Ban Chỉ đạo chuyển đổi số tỉnh Quảng Ngãi", "UBND": "UBND tỉnh Quảng Ngãi"}


@dataclass
class Header:
    number: str = ""
    issued: date | None = None
    issuer: str = ""
    kind: str = ""
    title: str = ""
    # the date as the text writes it when it gives no whole day ("ngày … tháng 01 năm 2022"), the
    # catalog's plan.issued_as_written; ``issued`` is then the earliest day the text allows
    issued_as_written: str = ""
    trace: dict[str, Trace] = field(default_factory=dict)


def read_header(paragraphs: list[Para]) -> Header:
    header = Header()
    head = paragraphs[:40]
    for i, para in enumerate(head):
        text = para.text
        if not header.number and (m := _NUMBER.match(text)):
            header.number = f"{m.group('n')}/{m.group('s')}"
            confidence = CERTAIN if m.group("n") else GUESSED
            header.trace["number"] = Trace(para.ref, confidence, "" if m.group("n") else "thiếu số văn bản")
            if text.find("V/v") > 0:
                _kind(header, "cong_van", text[text.find("V/v") :], para.ref, head[i + 1 :])
        if header.issued is None and (m := _DATE.search(text)):
            year, month = int(m.group("y")), int(m.group("m"))
            if m.group("d"):
                header.issued = date(year, month, int(m.group("d")))
                header.trace["issued"] = Trace(para.ref, CERTAIN)
            else:
                _blank_day(header, m.group(0), month, year, para.ref, paragraphs[i + 1 : 40])
        if not header.kind:
            for pattern, kind in _KINDS:
                if pattern.match(text):
                    at = i if kind == "cong_van" else i + 1  # "V/v …" is its own title; a heading's is below it
                    title = head[at].text if at < len(head) else ""
                    _kind(header, kind, title, head[min(at, len(head) - 1)].ref, head[at + 1 :])
                    break
    suffix = header.number.split("/")[-1] if header.number else ""
    for key, issuer in _ISSUERS.items():
        if key in suffix:
            header.issuer = issuer
            header.trace["issuer"] = Trace(header.trace["number"].ref, GUESSED, f"suy từ ký hiệu {suffix}")
            break
    for name in ("number", "issued", "issuer", "kind", "title"):
        header.trace.setdefault(name, Trace("", NOT_FOUND))
    return header


# "… năm 2027" in the title: the one year the plan is for ("giai đoạn 2021-2025" names none, nor does
# a horizon: "đến (hết) năm 2030", "định hướng đến năm 2030", "tầm nhìn năm 2045")
_PLAN_YEAR = re.compile(r"(?<!đến )(?<!tới )(?<!nhìn )(?<!hết )\bnăm\s+(?P<y>(?:19|20)\d{2})\b(?!\s*[-–]\s*\d)", re.I)


def plan_year(header: Header, today: date) -> int:
    """The year the plan is for, which dates without a year ("Quý I", "Tháng 6") fall in: the one
    year its title names ("Kế hoạch … năm 2027", issued 28/12/2026), if it is the issue year or the
    next; else the issue year (today's, with no issue date). A year other than the issue year is
    traced on ``year``, for the secretariat to see why "Quý I" is 31/03/2027."""
    issued = header.issued.year if header.issued else today.year
    named = {int(m.group("y")) for m in _PLAN_YEAR.finditer(header.title)}
    if len(named) == 1 and (year := named.pop()) == issued + 1:
        said = f"năm của kế hoạch theo tên văn bản; ngày không ghi năm tính theo năm {year}"
        header.trace["year"] = Trace(header.trace["title"].ref if "title" in header.trace else "", GUESSED, said)
        return year
    return issued


# the last year a title names the plan's work for: a phase's end ("giai đoạn 2019 - 2020"), a horizon
# ("định hướng đến 2025", "đến hết năm 2030"), or the one year of a yearly plan ("… năm 2022"); not a vision
# ("tầm nhìn (đến) năm 2045": no plan's reports run that far)
_VISION = re.compile(r"tầm nhìn\s+(?:đến\s+)?(?:năm\s+)?(?:19|20)\d{2}", re.I)
_HORIZON = re.compile(
    r"(?:giai đoạn|từ năm|năm)\s+(?:19|20)\d{2}\s*[-–]\s*(?P<end>(?:19|20)\d{2})\b"
    r"|(?:đến|tới)\s+(?:hết\s+)?(?:năm\s+)?(?P<until>(?:19|20)\d{2})\b"
    r"|\bnăm\s+(?P<year>(?:19|20)\d{2})\b(?!\s*[-–]\s*\d)",
    re.I,
)


def plan_horizon(title: str) -> tuple[int, str] | None:
    """The last year the plan's title names its work for, and the words that name it ("định hướng đến 2025"
    in 61/KH-UBND's title, "năm 2022" in 1834/UBND-KGVX's): how far its periodic reports run, a reading
    for the secretariat to confirm. None when the title names no year."""
    found = [
        (int(m.group("end") or m.group("until") or m.group("year")), m.group(0))
        for m in _HORIZON.finditer(_VISION.sub(" ", title))
    ]
    return max(found) if found else None


# a whole date the preamble gives ("Ngày 19/01/2022, Chủ tịch UBND tỉnh chủ trì cuộc họp …", "Căn cứ
# Quyết định số 1742/QĐ-UBND ngày 08/11/2021 …"): an event the document reports, so it is not older
_WHOLE_DATE = re.compile(r"(?<!\d)(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4})(?!\d)")
_FIRST_SECTION = re.compile(r"^(?:[IVX]{1,5}|\d{1,2})\.\s*\S")


def _blank_day(header: Header, written: str, month: int, year: int, ref: str, after: list[Para]) -> None:
    """The issue date of a text whose day is blank ("ngày tháng 01 năm 2022": stamped on the paper, lost
    to the scan): the earliest day the text allows — the latest day of that month its preamble reports
    (a Thông báo kết luận's meeting: the notice is not issued before it), else the month's first —
    marked guessed and said, the date kept as written. It had been the 1st, "thiếu ngày", for a notice
    of a meeting held on the 19th."""
    first = date(year, month, 1)
    earliest, where = first, ""
    for para in after:
        if _FIRST_SECTION.match(para.text):
            break
        for m in _WHOLE_DATE.finditer(para.text):
            try:
                day = date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
            except ValueError:
                continue
            if earliest < day and (day.year, day.month) == (year, month):
                earliest, where = day, para.ref
    written = re.sub(r"\s+", " ", written.strip())
    header.issued = earliest
    header.issued_as_written = re.sub(r"^ngày\s*", "ngày … ", written, flags=re.I)
    said = f"thiếu ngày: văn bản ghi “{written}”; "
    if where:
        said += f"lấy ngày sớm nhất văn bản cho phép, {earliest:%d/%m/%Y} (ngày nêu ở {where})"
    else:
        said += f"lấy ngày sớm nhất có thể, ngày đầu tháng {earliest:%d/%m/%Y}"
    header.trace["issued"] = Trace(ref, GUESSED, said + "; Tổ giúp việc ghi ngày ban hành")


def _kind(header: Header, kind: str, title: str, ref: str, after: list[Para]) -> None:
    header.kind = kind
    header.trace["kind"] = Trace(ref, CERTAIN)
    if not title:
        header.trace["title"] = Trace(ref, NOT_FOUND)
        return
    header.title, confidence, note = _whole_title(title.strip(), after)
    header.trace["title"] = Trace(ref, confidence, note)


# what ends a title block: the place and date ("Quảng Ngãi, ngày 22 tháng 4 năm 2022"), the addressees,
# a section, the number line, a rule under the title ("––––––"), and a sentence of the preamble ("Căn cứ
# …, như sau:", "Ngày 19/01/2022, …")
_AFTER_TITLE = re.compile(r"^(Kính gửi|(?:[IVX]{1,5}|\d{1,2})\.\s|[a-zđ]\)\s|[-–+•]\s)", re.I)


def _after_title(text: str) -> bool:
    return bool(
        _DATE.search(text)
        or _AFTER_TITLE.match(text)
        or _NUMBER.match(text)
        or not any(ch.isalpha() for ch in text)
        or text.endswith((".", ":", ";"))
        or len(text) > _TITLE_LINE
    )


_TITLE_LINE = 120  # the longest line a wrapped title is taken to continue on; a longer one is prose
_TITLE_LINES = 4  # and at most so many of them


def _whole_title(first: str, after: list[Para]) -> tuple[str, str, str]:
    """The title that starts with ``first``, with the lines its author wrapped it on joined (the trích
    yếu of a công văn is set in a narrow column: "V/v triển khai thực hiện kế / hoạch hoạt động của Ủy ban
    / Quốc gia về chuyển đổi số / năm 2022"; a reader joins only the lines that start in lower case), and
    how sure that is: certain when the block ends on what cannot be the title (the date line, "Kính gửi",
    a sentence of the preamble), guessed when the line after it might still be part of it. The title
    had been cut at "… của Ủy ban" and marked certain."""
    parts = [first]
    refs: list[str] = []  # where the lines joined to the first stand
    for para in after[: _TITLE_LINES + 1]:
        text = para.text
        if _after_title(text):
            break
        if len(refs) == _TITLE_LINES or first.endswith((".", ":", ";")) or text.isupper():
            said = f"không chắc đã đủ trích yếu: dòng sau (“{text[:60]}”, {para.ref}) có thể là phần tiếp theo"
            return " ".join(parts), GUESSED, said
        parts.append(text)
        refs.append(para.ref)
    note = f"trích yếu xuống dòng trong văn bản: đã nối tiếp {', '.join(refs)}" if refs else ""
    return " ".join(parts), CERTAIN, note
