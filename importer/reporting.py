"""Reporting duties ("định kỳ hằng quý … gửi Sở X trước ngày 20 tháng cuối quý", "báo cáo … trước
ngày 30/11/2022") drafted as the catalog's ``reporting:`` entries, each field traced.

Who reports is the sentence's own subject or the heading it stands under; who receives it is the
first body named after "gửi (về)", "báo cáo" or, in the report clause, "về" ("báo cáo hằng quý về UBND
tỉnh"), or the body it passes through ("qua Sở Nội vụ để tổng hợp, báo cáo UBND tỉnh"); the period is
the sentence's words (one entry per period: "6 tháng, 1 năm" gives two); a full date makes a one-off
report. A recurring report whose text gives
no day is drafted ``dates: convention`` (conventions.yaml ``report_days``), as the catalog does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from dondoc.engine.deadlines import DeadlinePhraseError, parse_deadline
from dondoc.importer.agencies import AgencyDirectory
from dondoc.importer.cleaning import free_code, shortened
from dondoc.importer.fields import hint_vi
from dondoc.importer.model import CERTAIN, GUESSED, NOT_FOUND, Trace
from dondoc.importer.prose import agency_prefix
from dondoc.importer.sections import Node

REPORT = re.compile(r"\bbáo cáo\b", re.I)
_PERIODS = [
    ("quarter", re.compile(r"\b(?:hàng|hằng|mỗi|từng)\s+quý\b|\bđịnh kỳ\s+quý\b", re.I)),
    ("half_year", re.compile(r"\b(?:0?6|sáu)\s+tháng\b(?!\s+(?:đầu|cuối)\s+năm\s+\d)", re.I)),
    ("year", re.compile(r"\b(?:hàng|hằng|mỗi)\s+năm\b|\b0?1\s+năm\b|\bbáo cáo năm\b", re.I)),
]
EVERY = r"(?:(?:0?\d|sáu)\s+tháng|0?1\s+năm|(?:hàng|hằng|mỗi)\s+(?:năm|quý))"
WHEN = rf"(?:(?:định kỳ|{EVERY})[\s,]*)*"  # "định kỳ 6 tháng, 1 năm": the period words of a report
_SUFFIX = {"quarter": "quy", "half_year": "6-thang", "year": "nam", "once": "mot-lan"}
_DATE = re.compile(r"(?:trước|chậm nhất(?:\s+vào)?|đến|trong)?\s*(?:ngày\s+)?\d{1,2}/\d{1,2}/\d{4}", re.I)
_DAY_OF_PERIOD = re.compile(
    r"(?P<before>trước|chậm nhất(?:\s+(?:là|vào))?|trong|vào)\s+ngày\s+(?P<day>\d{1,2})\s+(?:của\s+)?tháng\s+"
    r"(?P<which>cuối|đầu|thứ nhất)\s+(?:của\s+)?(?:quý|kỳ|năm|kỳ báo cáo)(?P<next>\s+(?:sau|tiếp theo|kế tiếp))?",
    re.I,
)
_DAY_MONTH = re.compile(
    r"(?P<before>trước|chậm nhất(?:\s+vào)?|vào)\s+(?:ngày\s+)?(?P<day>\d{1,2})/(?P<month>\d{1,2})(?!/?\d)", re.I
)
# "… trước ngày 15/6 và 15/12 hằng năm": the days named, each year (no yearly report of its own)
_DATES_EVERY_YEAR = re.compile(
    r"\d{1,2}/\d{1,2}(?:\s*(?:,|và)\s*(?:ngày\s+)?\d{1,2}/\d{1,2})*\s+(?:hàng|hằng|mỗi)\s+năm", re.I
)
_YEAR_REPORT = _PERIODS[2][1]
_DAY_MONTHS = re.compile(
    r"(?P<before>trước|chậm nhất(?:\s+vào)?|vào)\s+(?:ngày\s+)?"
    r"(?P<dates>\d{1,2}/\d{1,2}(?:\s*(?:,|và)\s*(?:ngày\s+)?\d{1,2}/\d{1,2})+)",
    re.I,
)
_END_MONTHS = {"quarter": (3, 6, 9, 12), "half_year": (6, 12)}


def _ends_of(sentence: str, period: str) -> tuple[bool, int, int] | None:
    """(before, day, month offset) when the sentence names one day of each period ("trước ngày 15/6 và
    15/12" of half-years: the 15th of each one's last month), else None."""
    ends = _END_MONTHS.get(period)
    m = _DAY_MONTHS.search(sentence)
    if ends is None or m is None:
        return None
    named = [tuple(int(x) for x in d.split("/")) for d in re.findall(r"\d{1,2}/\d{1,2}", m.group("dates"))]
    days = {day for day, _ in named}
    for offset in (0, 1, 2):
        if len(days) == 1 and sorted(month for _, month in named) == sorted((e + offset - 1) % 12 + 1 for e in ends):
            return m.group("before").casefold() == "trước", days.pop(), offset
    return None


_NEXT_YEAR_UNTIL = 3  # a yearly report due in January to March is the past year's, due the year after
_CUTOFF = re.compile(r"chốt số liệu.*?từ ngày (?P<start>\d{1,2})\b.*?(?:tới|đến) ngày (?P<end>\d{1,2})\b", re.I)
_PROVINCE = re.compile(r"^(?:chủ tịch\s+)?(?:ubnd|ủy ban nhân dân)\s+tỉnh\b", re.I)
# Where a report goes, read at each marker in the order they come: "gửi (về|đến|tới|lên) X", "báo cáo (về|lên)
# X" and, after the report, "… về|đến|tới X" ("báo cáo hằng quý về UBND tỉnh") and "(thông) qua X" ("… qua Sở Nội vụ để
# tổng hợp, báo cáo UBND tỉnh": Sở Nội vụ receives it and reports up). "về" not followed by a body is what the
# report is about ("báo cáo về tình hình …"), not where it goes.
_TO = re.compile(r"\bgửi(?:\s+(?:về|đến|tới|lên))?\s+|\bbáo cáo(?:\s+(?:về|lên))?\s+", re.I)
_TO_AFTER = re.compile(r"\b(?<!liên quan )(?:về|đến|tới)\s+|\b(?:thông\s+)?qua\s+", re.I)  # not "liên quan đến X"
# "báo cáo UBND tỉnh (qua Sở TT&TT)": the body it passes through, before what the receiver does next ("để …")
_THROUGH = re.compile(r"\b(?:thông\s+)?qua\s+", re.I)
_NEXT = re.compile(r"\s(?:để|nhằm)\s|;", re.I)
# "báo cáo (định kỳ hằng quý) về tình hình …": the report's subject, up to the clause's end; no body named
# there is the recipient
_TOPIC = re.compile(rf"^\s*{WHEN}về\s+[^,;]*", re.I)
_RESULT = re.compile(r"báo cáo kết quả\b", re.I)  # after the task's clause: its deadline, not a duty
_OFFICE = "vp-ubnd"  # agencies.yaml: the default recipient of reports addressed to "UBND tỉnh"


@dataclass
class ReportDraft:
    """One proposed ``reporting:`` entry; ``trace`` holds where each field was read and how surely."""

    section: str
    sentence: str
    ref: str
    period: str
    reporters: list[str] = field(default_factory=list)
    recipient: str | None = None
    days: dict[str, Any] = field(default_factory=dict)  # dates, due_before, due_day, … or deadline
    first_period: str | None = None
    last_period: str | None = None
    trace: dict[str, Trace] = field(default_factory=dict)

    def entry(self, code: str) -> dict[str, Any]:
        """The entry in the catalog's shape (tasks_catalog/SCHEMA.md ``reporting:``)."""
        out: dict[str, Any] = {
            "code": code,
            "title": _title(self.sentence),
            "content": self.sentence,
            "source": f"Mục {self.section}, {self.ref}",
            "reporters": self.reporters,
            "recipient": self.recipient,
            "period": self.period,
        }
        out.update(self.days)
        if self.first_period:
            out["first_period"] = self.first_period
        if self.last_period:
            out["last_period"] = self.last_period
        return out


def _title(sentence: str) -> str:
    return shortened(re.split(r"(?<=[.;:])\s", sentence, maxsplit=1)[0].rstrip(".;: "))


def sentences(text: str) -> list[str]:
    return [s.strip(" -+") for s in re.split(r"(?<=[.;])\s+", text) if s.strip(" -+")]


def _first_period(period: str, issued: date) -> str | None:
    if period == "quarter":
        return f"{issued.year}-Q{(issued.month - 1) // 3 + 1}"
    if period == "half_year":
        return f"{issued.year}-H{1 if issued.month <= 6 else 2}"
    if period == "year":
        return str(issued.year)
    return None


def _last_period(period: str, year: int, paired: bool) -> str | None:
    if period == "quarter":
        return f"{year}-Q4"
    if period == "half_year":
        return f"{year}-H{1 if paired else 2}"
    if period == "year":
        return str(year)
    return None


class ReportingReader:
    def __init__(self, agencies: AgencyDirectory, issued: date, horizon: tuple[int, str] | None = None) -> None:
        """``horizon``: the last year the plan names its work for and the words naming it
        (importer.header.plan_horizon), the last period proposed to its reports."""
        self.agencies = agencies
        self.issued = issued
        self.horizon = horizon

    def read(self, root: Node) -> list[ReportDraft]:
        found: list[ReportDraft] = []
        for node in (n for n in root.walk() if n.level > 0):
            for text, ref in [(node.title, node.ref), *((line.text, line.ref) for line in node.body)]:
                for sentence in sentences(text):
                    found += self._sentence(node, sentence, ref, text)
        # an undated recurring report of agencies that also have a dated, more frequent one is left to the
        # reviewer: the convention days would invent a due date the document does not give (the catalog's
        # choice for 61/KH-UBND VI.7.a); it stays listed among the sentences seen
        order = ["quarter", "half_year", "year"]
        dated = [r for r in found if r.period in order and r.days.get("dates") != "convention"]
        found = [
            r
            for r in found
            if r.days.get("dates") != "convention"
            or not any(
                set(d.reporters) == set(r.reporters) and order.index(d.period) < order.index(r.period) for d in dated
            )
        ]
        cutoffs = [r.days for r in found if "cutoff_start_day" in r.days and r.period == "quarter"]
        for report in found:  # one cut-off rule stated once in the document holds for its other quarterly reports
            if report.period == "quarter" and "cutoff_start_day" not in report.days and len(cutoffs) == 1:
                report.days["cutoff_start_day"] = cutoffs[0]["cutoff_start_day"]
                report.days["cutoff_end_day"] = cutoffs[0]["cutoff_end_day"]
                report.trace["dates"].note += "; thời gian chốt số liệu lấy theo quy định chung của văn bản"
                report.trace["dates"].confidence = GUESSED
        return found

    def _sentence(self, node: Node, sentence: str, ref: str, paragraph: str) -> list[ReportDraft]:
        if not REPORT.search(sentence) or "%" in sentence:
            return []
        periods = [period for period, pattern in _PERIODS if pattern.search(sentence)]
        if (
            len(periods) > 1
            and "year" in periods
            and _DATES_EVERY_YEAR.search(sentence)
            and not _YEAR_REPORT.search(_DATES_EVERY_YEAR.sub(" ", sentence))
        ):
            periods.remove("year")  # "6 tháng … trước ngày 15/6 và 15/12 hằng năm": those days every year
        dated = [m for m in _DATE.finditer(sentence) if m.start() > REPORT.search(sentence).start()]  # type: ignore[union-attr]
        if len(dated) == 1 and not _DAY_OF_PERIOD.search(sentence):
            periods = ["once"]
        if not periods:
            return []  # "định kỳ", "đột xuất": no period, nothing to schedule (listed for the reviewer)
        if periods == ["once"] and _RESULT.match(sentence) and not paragraph.lstrip(" -+").startswith(sentence):
            return []  # "…; báo cáo kết quả … trước ngày X": the task's own result report is its deadline
        reporters, who_trace = self._reporters(node, sentence, ref)
        if not reporters:
            return []
        recipient, to_trace = self._recipient(sentence, ref, reporters)
        if recipient is None:  # "… báo cáo Chủ tịch UBND tỉnh …; báo cáo sơ kết … trước ngày X": the one named before
            before = sentences(paragraph)
            for earlier in reversed(before[: before.index(sentence)] if sentence in before else []):
                found, trace = self._recipient(earlier, ref, reporters)
                if found is not None:
                    recipient, to_trace = found, Trace(ref, GUESSED, "người nhận nêu ở vế trước của câu")
                    break
        out = []
        for period in periods:
            report = ReportDraft(node.path, sentence, ref, period, reporters, recipient)
            report.trace["reporters"] = who_trace
            report.trace["recipient"] = to_trace
            report.trace["period"] = Trace(ref, CERTAIN)
            report.trace["dates"] = self._days(
                report, dated[0].group(0).strip() if period == "once" else None, paragraph
            )
            report.first_period = _first_period(period, self.issued)
            if report.first_period:
                report.trace["first_period"] = Trace(ref, GUESSED, "kỳ đầu: kỳ chứa ngày ban hành")
                self._last(report, "year" in periods, ref)
            out.append(report)
        return out

    def _last(self, report: ReportDraft, paired: bool, ref: str) -> None:
        """The last period of a recurring report: the plan's horizon's last ("định hướng đến 2025": 2025-Q4),
        guessed and said; for the half-year report of a "6 tháng, 1 năm" pair, the horizon's first half
        (its second is the annual report's: 1834/UBND-KGVX's 2022-H2 had been a phantom report due the
        day of the annual one). None without a horizon (listed for the secretariat by build_draft). The
        reports had no last period: 61/KH-UBND's quarters after 2019 were lost without a word."""
        if self.horizon is None or self.horizon[0] < self.issued.year:
            return
        year, words = self.horizon
        report.last_period = _last_period(report.period, year, paired and report.period == "half_year")
        said = f"kỳ cuối: năm {year}, theo thời hạn của kế hoạch (“{words}”)"
        if paired and report.period == "half_year":
            said += "; báo cáo 6 tháng là của 6 tháng đầu năm, 6 tháng cuối năm nằm trong báo cáo năm"
            if year > self.issued.year:
                said += " (các năm trước năm cuối vẫn có kỳ 6 tháng cuối năm: Tổ giúp việc xem lại)"
        report.trace["last_period"] = Trace(ref, GUESSED, said)

    def _reporters(self, node: Node, sentence: str, ref: str) -> tuple[list[str], Trace]:
        if own := agency_prefix(sentence, self.agencies):
            return self.agencies.resolve(own[0]).codes, Trace(ref, CERTAIN, "chủ ngữ của câu")
        for n in [node, *node.ancestors()]:
            title = re.sub(r"^(giao|thủ trưởng)\s+", "", n.title.rstrip(":. "), flags=re.I)
            title = re.split(r"\s+[-–]\s+|\s+(?:chịu|có) trách nhiệm", title)[0]
            if found := agency_prefix(title, self.agencies):
                codes = self.agencies.resolve(found[0]).codes
                return codes, Trace(n.ref, GUESSED, f"cơ quan của mục {n.path}")
        return [], Trace(ref, NOT_FOUND)

    def _recipient(self, sentence: str, ref: str, reporters: list[str]) -> tuple[str | None, Trace]:
        report = REPORT.search(sentence)
        if report is None:  # an earlier clause of the paragraph, asked for the recipient it names
            return None, Trace(ref, NOT_FOUND)
        marks = {m.end(): "" for m in _TO.finditer(sentence)}
        marks.update({m.end(): m.group(0) for m in _TO_AFTER.finditer(sentence, report.end())})
        for end, word in sorted(marks.items()):
            named = self._named(sentence[end:], reporters)
            if named is None:
                continue
            codes, name, after, province = named
            clause = re.sub(r"[()]", " ", _NEXT.split(after, maxsplit=1)[0])
            if _THROUGH.fullmatch(word) and not province:
                via: tuple[list[str], str, str, bool] | None = named
            elif through := _THROUGH.search(clause):  # "báo cáo UBND tỉnh (qua Sở Nội vụ)"
                via = self._named(clause[through.end() :], reporters)
            else:
                via = None
            if via is not None and not via[3]:  # the body a report passes through receives it
                return via[0][0], Trace(ref, CERTAIN, f"“qua {via[1]}”: cơ quan này nhận, tổng hợp, báo cáo tiếp")
            if province:
                return _OFFICE, Trace(ref, GUESSED, "báo cáo UBND tỉnh: Văn phòng UBND tỉnh nhận")
            note = f"văn bản còn ghi: {', '.join(codes[1:])}" if len(codes) > 1 else ""
            return codes[0], Trace(ref, CERTAIN, note)
        after = _TOPIC.sub(" ", sentence[report.end() :], count=1)  # "về tình hình …" names no recipient
        codes = [c for c in self.agencies.resolve(after).codes if c not in reporters and not c.startswith("@")]
        if codes:
            return codes[0], Trace(ref, GUESSED, "cơ quan đầu tiên được nêu sau “báo cáo”")
        return None, Trace(ref, NOT_FOUND)

    def _named(self, text: str, reporters: list[str]) -> tuple[list[str], str, str, bool] | None:
        """The bodies ``text`` opens with, other than the reporters: their codes, the name as written, the words
        after it, and whether it is the province ("UBND tỉnh", "Chủ tịch UBND tỉnh": its Office receives)."""
        if m := _PROVINCE.match(text):
            return [_OFFICE], m.group(0).strip(), text[m.end() :], True
        found = agency_prefix(text, self.agencies)
        if found is None:
            return None
        codes = [c for c in self.agencies.resolve(found[0]).codes if c not in reporters]
        return (codes, found[0].strip(" .,;:"), found[1], False) if codes else None

    def _days(self, report: ReportDraft, dated: str | None, paragraph: str) -> Trace:
        sentence, ref = report.sentence, report.ref
        if dated is not None:
            phrase = re.sub(r"^(?:trong|đến)\s+", "", dated)
            phrase = phrase if re.match(r"(trước|chậm nhất)", phrase) else f"trước ngày {phrase.split()[-1]}"
            report.days = {"deadline": phrase}
            try:
                parse_deadline(phrase, default_year=self.issued.year)
            except DeadlinePhraseError as exc:
                return Trace(ref, GUESSED, f"bộ đọc hạn không hiểu: {hint_vi(exc)}")
            return Trace(ref, CERTAIN)
        days: dict[str, Any] = {}
        guess = ""  # a reading the secretariat should check, said in the trace
        if m := _DAY_OF_PERIOD.search(sentence):
            days["due_before"] = m.group("before").casefold() == "trước"
            days["due_day"] = int(m.group("day"))
            days["due_month_offset"] = 1 if m.group("which").casefold() != "cuối" and m.group("next") else 0
        elif (found := _ends_of(sentence, report.period)) is not None:  # "trước ngày 15/6 và 15/12" of half-years
            days["due_before"], days["due_day"], days["due_month_offset"] = found
            if _YEAR_REPORT.search(_DATES_EVERY_YEAR.sub(" ", sentence)):  # "6 tháng, hằng năm … 15/6 và 15/12"
                guess = "câu nêu cả báo cáo 6 tháng và báo cáo năm với các ngày chung: Tổ giúp việc xem lại"
        elif (m := _DAY_MONTH.search(sentence)) and report.period == "year":
            days["due_before"] = m.group("before").casefold() == "trước"
            day_month = (int(m.group("day")), int(m.group("month")))
            if many := _DAY_MONTHS.search(sentence):  # several days: the year's report, the last of them
                last = re.findall(r"\d{1,2}/\d{1,2}", many.group("dates"))[-1].split("/")
                day_month = (int(last[0]), int(last[1]))
                guess = "câu nêu nhiều ngày: báo cáo năm lấy ngày sau cùng, Tổ giúp việc xem lại"
            days["due_day"], month = day_month
            # counted from December, the year's last month: "15/10 hằng năm" is October of the year
            # reported on (−2), "15/01" the next January (+1). Which year a day early in the year
            # means is the reader's guess: said so, for the secretariat to check
            days["due_month_offset"] = month if month <= _NEXT_YEAR_UNTIL else month - 12
            if month != 12 and not guess:
                which = "năm sau" if month <= _NEXT_YEAR_UNTIL else "chính năm báo cáo"
                guess = f"hạn ngày {day_month[0]}/{month} của {which}"
        if m := _CUTOFF.search(paragraph):  # the data window may follow in the paragraph's next sentence
            days["cutoff_start_day"], days["cutoff_end_day"] = int(m.group("start")), int(m.group("end"))
        if "due_day" in days:
            report.days = {k: v for k, v in days.items() if v is not False}
            return Trace(ref, GUESSED, guess) if guess else Trace(ref, CERTAIN)
        words = re.search(rf"(?:định kỳ\s+)?{EVERY}(?:\s*,\s*{EVERY})*", sentence, re.I)
        report.days = {"dates": "convention", "deadline": (words.group(0) if words else sentence)[:120].strip(" ,")}
        return Trace(ref, GUESSED, "văn bản không ghi ngày: theo quy ước (conventions.yaml report_days)")


def report_codes(number: str, reports: list[ReportDraft]) -> list[str]:
    codes: list[str] = []
    for report in reports:
        codes.append(free_code(f"{number}:{report.section}.bao-cao-{_SUFFIX[report.period]}", codes))
    return codes
