"""Readings shared by prose and tables: roles from a phrase, a deadline phrase, flags in the wording."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from dondoc.engine.deadlines import Deadline, DeadlineKind, DeadlinePhraseError, find_deadlines, parse_deadline
from dondoc.engine.status import day_off_words
from dondoc.engine.workcalendar import default_calendar
from dondoc.importer.agencies import AgencyDirectory, Resolution
from dondoc.importer.cleaning import shortened
from dondoc.importer.model import CERTAIN, GUESSED, NOT_FOUND, Proposal

ROLE_KEYS = {"lead": "lead", "implementer": "implementers", "partner": "partners"}


def set_role(item: Proposal, role: str, phrase: str, ref: str, agencies: AgencyDirectory, confidence: str = "") -> None:
    """Record ``phrase`` as written under ``role`` and resolve it to codes and unnamed phrases."""
    key = ROLE_KEYS[role]
    phrase = phrase.strip().rstrip(";,")
    if not phrase:
        return
    previous = item.roles_as_written.get(key)
    item.roles_as_written[key] = f"{previous}; {phrase}" if previous else phrase
    found = _narrowed(agencies.resolve(phrase), phrase)
    codes: list[str] = getattr(item, key)
    lead_guessed = item.trace.get("lead") is not None and item.trace["lead"].confidence != CERTAIN
    dropped = []
    for code in found.codes:
        if role != "lead" and code in item.lead:
            dropped.append(code)
            continue  # the lead does not partner with itself ("các cơ quan thường trực Ban Chỉ đạo")
        if code not in codes:
            codes.append(code)
    for unnamed in found.unnamed:
        item.unnamed.append({"role": role, "phrase": unnamed})
    notes = found.notes + [f'không nhận ra: "{u}"' for u in found.unknown]
    level = (
        found.confidence if not confidence or found.confidence == NOT_FOUND else _weaker(found.confidence, confidence)
    )
    if dropped and lead_guessed:
        # the lead itself a guess ("Sở TT&TT tỉnh Kon Tum" read as Quảng Ngãi's Sở TT&TT): the body
        # written here may be the partner after all, never dropped without a word
        notes.append(f"bỏ {', '.join(dropped)}: trùng cơ quan chủ trì đã đoán, Tổ giúp việc xem lại")
        level = _weaker(level, GUESSED)
    item.mark(key, ref, level, "; ".join(notes))


# words that narrow the group before them to some of its bodies ("… có thành viên tham gia Đội ứng cứu sự cố
# …", "… thuộc khối văn xã"): which ones, the text does not say
_NARROWING = re.compile(r"(?:có|thuộc|được|đã|tham gia)\b", re.I)
NOT_NAMED = "văn bản không nêu tên"


def _narrowed(found: Resolution, phrase: str) -> Resolution:
    """``found`` without its groups when the words the directory could not read narrow them ("Các sở, ban
    ngành, UBND các huyện, thị xã, thành phố có thành viên tham gia Đội ứng cứu sự cố …", 04/KH-BCĐ II.7):
    the phrase names nobody, as "các sở, ngành liên quan" does (the catalog's unnamed: rule), and waits for
    the secretariat to name the bodies; the draft had given the task to every body of both groups."""
    narrowing = [u for u in found.unknown if _NARROWING.match(u)]
    groups = [c for c in found.codes if c.startswith("@")]
    if not (narrowing and groups):
        return found
    left = [c for c in found.codes if c not in groups]
    parts = [part for part in phrase.split(";") if narrowing[0] in part] or [phrase]  # "Sở Y tế; các sở … thuộc …"
    said = f"nhóm {', '.join(groups)} bị giới hạn bởi “{narrowing[0]}”: {NOT_NAMED}, Tổ giúp việc xác định"
    return replace(
        found,
        codes=left,
        unnamed=[*found.unnamed, *[part.strip().rstrip(".,") for part in parts]],
        unknown=[u for u in found.unknown if u not in narrowing],
        confidence=GUESSED,
        notes=[*found.notes, said],
    )


# a partner the text describes and does not name ("các doanh nghiệp lớn, có uy tín, được Bộ Thông tin và
# Truyền thông xác định là vai trò dẫn dắt về chuyển đổi số thực hiện …"): the phrase runs to the task's
# verb, or to the clause's end
_DESCRIBED = re.compile(r"^(?:các|những|một số)\s+\w+")
_TASK_VERB = re.compile(
    r"\s(?:thực hiện|triển khai|tổ chức|xây dựng|hoàn thiện|tham mưu|nghiên cứu|đề xuất|rà soát|tư vấn"
    r"|tuyên truyền|đẩy mạnh|bảo đảm|đảm bảo|hướng dẫn)\b|\s*[.;:(]",
    re.I,
)


def set_described(item: Proposal, role: str, rest: str, ref: str) -> bool:
    """The bodies ``rest`` describes under ``role`` where the directory reads none ("Chủ trì phối hợp với
    các doanh nghiệp lớn, có uy tín, … thực hiện hỗ trợ …", /TB-UBND II.3.d): the phrase kept under
    ``unnamed`` ("chưa xác định cơ quan", no assignment), the field guessed and listed for the secretariat
    to name them; they had vanished, with no word. Whether a phrase was read."""
    if not _DESCRIBED.match(rest):
        return False
    end = _TASK_VERB.search(rest, _DESCRIBED.match(rest).end())  # type: ignore[union-attr]
    phrase = (rest[: end.start()] if end else rest).strip().rstrip(",")
    key = ROLE_KEYS[role]
    previous = item.roles_as_written.get(key)
    item.roles_as_written[key] = f"{previous}; {phrase}" if previous else phrase
    item.unnamed.append({"role": role, "phrase": phrase})
    item.mark(key, ref, GUESSED, f"“{phrase}”: {NOT_NAMED}, Tổ giúp việc xác định")
    return True


def _weaker(a: str, b: str) -> str:
    order = [CERTAIN, GUESSED, NOT_FOUND]
    return max(a, b, key=order.index)


def set_deadline(item: Proposal, phrase: str, ref: str, year: int, confidence: str = CERTAIN) -> None:
    phrase = phrase.strip().rstrip(".;,").strip()
    if not phrase:
        return
    item.deadline = phrase
    try:
        reading = parse_deadline(phrase, default_year=year)
    except DeadlinePhraseError as exc:
        parts = _dated_parts(phrase, year)
        starts = [p for p in parts if _is_start(p, year)]
        ends = [p for p in parts if p not in starts]
        if starts and ends:  # "Triển khai từ ngày 01/3/2022; hoàn thành trước ngày 30/9/2022": a start, a deadline
            said = "; ".join(p["deadline"] for p in starts)
            item.notes.append(f"Thời gian bắt đầu: {said} (không phải thời hạn).")
            if len(ends) == 1:
                set_deadline(item, ends[0]["deadline"], ref, year, GUESSED)
                return
            parts = ends
        if parts:  # several deadlines, or several standing duties each from its day: a milestone each
            item.milestones = parts
            item.mark("deadline", ref, GUESSED, f"tách thành {len(item.milestones)} mốc{milestones_off(parts, year)}")
            return
        item.mark("deadline", ref, GUESSED, f"bộ đọc hạn không hiểu: {hint_vi(exc)}")
        return
    if reading.done:
        item.done_at_issue = True
        item.mark("done_at_issue", ref, CERTAIN)
    if reading.kind is DeadlineKind.FROM_DATE and reading.start is not None:
        # a start and no end ("Từ ngày 01/6/2023" under "Thời gian hoàn thành"): a standing duty from that
        # day, or work whose deadline the text does not give; which of the two is the secretariat's to say
        start = reading.start.strftime("%d/%m/%Y")
        item.mark("deadline", ref, GUESSED, f"đọc là bắt đầu từ ngày {start}, không ghi hạn hoàn thành")
        return
    item.mark("deadline", ref, confidence, reading_words(reading))


# What the parser read a phrase as, in the secretariat's words: the review page showed the kind's code
# ("period, hạn 31/12/2022") under the deadline of every item
_READ_AS_VI = {
    DeadlineKind.DATE: "một ngày",
    DeadlineKind.PERIOD: "một kỳ",
    DeadlineKind.FROM_DATE: "bắt đầu từ một ngày",
    DeadlineKind.RECURRING: "việc lặp lại",
    DeadlineKind.CONDITION: "việc theo điều kiện",
    DeadlineKind.DONE: "việc đã hoàn thành",
}


def reading_words(reading: Deadline) -> str:
    """The parser's reading of a deadline as the secretariat reviews it in a draft (the trace beside the
    field, and the hint under it as the phrase is typed): what it read the phrase as and the due date
    ("đọc là một kỳ, hạn 31/12/2022 (ngày cuối kỳ)"), and, for a date that falls on a day off, why the due
    day will be the next working day, in the words the rest of the product uses (engine.status.day_off_words)."""
    last = " (ngày cuối kỳ)" if reading.kind is DeadlineKind.PERIOD else ""
    due = f"hạn {reading.due.strftime('%d/%m/%Y')}{last}" if reading.due else "không có ngày hạn"
    kind = _READ_AS_VI[reading.kind]
    if reading.kind is DeadlineKind.FROM_DATE and reading.start is not None:
        kind = f"bắt đầu từ ngày {reading.start.strftime('%d/%m/%Y')}"  # which day: a start is read by its day
    return f"đọc là {kind}, {due}" + day_off_note([reading.due])


def milestones_off(milestones: list[dict[str, str]], year: int) -> str:
    """:func:`day_off_note` of the milestones' due dates (a phrase the parser refuses has none)."""
    days = []
    for milestone in milestones:
        try:
            days.append(parse_deadline(milestone["deadline"], default_year=year).due)
        except DeadlinePhraseError:
            continue
    return day_off_note(days)


def day_off_note(days: list[date | None]) -> str:
    """ "; ngày … là ngày nghỉ: …" for each of ``days`` the calendar moves to the next working day."""
    calendar = default_calendar()
    moved = [d for d in dict.fromkeys(days) if d is not None and calendar.effective_due(d) != d]
    return "".join(f"; {day_off_words(d)}" for d in moved)


_DATED = re.compile(
    r"(?:trước|đến|chậm nhất|từ|kể từ)?\s*(?:ngày\s+)?\d{1,2}/\d{1,2}/\d{4}"
    r"|(?:trong\s+)?(?:tháng|quý)\s+[\dIVX]+/\d{4}",
    re.I,
)


# The parser's reasons (English, for the catalog's editors) as the secretariat reads them in a draft.
_HINTS_VI = (
    ("it names several dates or periods", "cụm này nêu nhiều ngày hoặc kỳ: tách thành các mốc, mỗi mốc một cụm"),
    ("a recurring obligation can only be bounded", "việc lặp lại chỉ giới hạn bằng một giai đoạn (ví dụ 2021-2025)"),
    ("no year given", "không ghi năm"),
    ("no such date", "ngày không có thật"),
    ("the year", "năm nằm ngoài khoảng dondoc theo dõi"),
    ("the range ends", "khoảng thời gian kết thúc trước khi bắt đầu"),
    ("'từ' must be followed", "sau “từ” cần một ngày hoặc một kỳ"),
    ("it is empty", "cụm thời hạn trống"),
    (
        "a condition together with a deadline",
        "điều kiện kèm thời hạn: ghi ngày làm thời hạn, điều kiện làm điều kiện kèm theo",
    ),
    ("a day in every quarter", "một ngày của mỗi quý: lập báo cáo định kỳ hằng quý, mỗi quý một mốc có ngày"),
)


def hint_vi(exc: DeadlinePhraseError) -> str:
    """Why the deadline parser refused a phrase, in Vietnamese."""
    for start, said in _HINTS_VI:
        if exc.hint.startswith(start):
            return said
    return "không nhận ra cách ghi thời hạn; ghi rõ ngày, tháng, năm (ví dụ: trước ngày 30/6/2022, Quý IV/2022)"


def _dated_parts(phrase: str, year: int) -> list[dict[str, str]]:
    """The dated obligations of one phrase ("A trước ngày 30/6/2022; B trước ngày 15/11/2022", or with
    commas: "Triển khai từ ngày 01/3/2026, hoàn thành trước ngày 30/9/2026"), each with its words and
    its date; none unless every part names one date the parser reads."""
    parts = [p.strip() for p in re.split(r";\s*", phrase) if p.strip()]
    if len(parts) == 1:
        parts = [p.strip() for p in re.split(r",\s*(?=\D)", phrase) if p.strip()]
    found = []
    for part in parts:
        dates = list(_DATED.finditer(part))
        if len(dates) != 1:
            return []
        when = dates[0].group(0).strip()
        try:
            parse_deadline(when, default_year=year)
        except DeadlinePhraseError:
            return []
        label = (part[: dates[0].start()] + part[dates[0].end() :]).strip(" ,.:")
        found.append({"label": shortened(label) or when, "deadline": when})
    return found if len(found) >= 2 else []


def prose_deadline(item: Proposal, text: str, ref: str, year: int) -> None:
    """A single deadline phrase inside the wording (no "Thời hạn:" line): guessed."""
    found = find_deadlines(text, default_year=year)
    starts = [phrase for phrase in found if _starts(phrase, year)]
    if len(found) > 1 and (_apart(text, year) or len(starts) == len(found)):
        # dates in different bullets (1834/UBND-KGVX item 2: "… tiếp nhận tại Bộ phận một cửa cấp tỉnh từ
        # ngày 01/6/2022 …" in one, "… đến tháng 9/2022 …" in another) are obligations of their own: each
        # deadline its bullet's milestone, a start said as a start (it opens a standing duty, it is no
        # deadline) — as a labelled task's content is read. The starts had been offered as milestones
        # to split ("nhiều mốc: từ ngày 01/6/2022; …").
        content_deadline(item, text, ref, year)
        return
    if starts and len(starts) < len(found):
        # "triển khai từ ngày 01/3/2027, hoàn thành trong Quý III/2027": the start and the end of one work
        found = [phrase for phrase in found if phrase not in starts]
        item.notes.append("Thời gian bắt đầu: " + "; ".join(starts) + " (không phải thời hạn).")
    if len(found) == 1:
        set_deadline(item, found[0], ref, year, GUESSED)
    elif len(found) > 1:
        item.notes.append("Nhiều mốc thời gian trong nội dung: " + "; ".join(found) + " (cần tách mốc).")
        item.mark("deadline", ref, NOT_FOUND, "nhiều mốc: " + "; ".join(found))


def _apart(text: str, year: int) -> bool:
    """Whether the dates of ``text`` stand in different bullets of ``text`` ("- … từ ngày 01/6/2022 …"
    and "- … đến tháng 9/2022 …"): obligations of their own, not the start and the end of one work."""
    bullets = [b for b in re.split(r"(?:^|\s)-\s", text) if find_deadlines(b, default_year=year)]
    return len(bullets) > 1


def content_deadline(item: Proposal, text: str, ref: str, year: int) -> None:
    """The dates in the content of a task whose "Thời hạn" line is missing ("… đảm bảo đến tháng 9/2022
    có ít nhất 50% …"): proposed as milestones, guessed, the phrase quoted and read in the trace, the
    deadline left empty — the catalog keeps ``deadline`` for the "Thời hạn" line's words and writes such
    a date as a milestone (117/KH-UBND II.4.c, II.6.5). A start beside a deadline in its clause ("triển
    khai từ ngày …, hoàn thành trước ngày …") is when that work begins: noted. A start alone in its clause
    ("… tiếp nhận tại Bộ phận một cửa cấp tỉnh từ ngày 01/6/2022; … cấp huyện từ ngày 01/12/2022",
    1834/UBND-KGVX item 2) opens a standing duty: a milestone of its own, which the deadline parser reads
    as a start with no due date (``from_date``), as the catalog writes them (the day its level's target
    is judged from); whether it is a standing duty or a deadline the text leaves out is the secretariat's
    to say, so guessed. It had been a note only, and the per-level start lost."""
    found = find_deadlines(text, default_year=year)
    if not found:
        return
    clauses = _dated_clauses(text, year)
    if clauses is None or sorted(clauses.said) != sorted(found):
        what = "nhiều mốc trong nội dung, chưa tách được: " if len(found) > 1 else "nội dung nêu: "
        if len(found) > 1 and all(_starts(p, year) for p in found):  # starts, no deadlines (117/KH-UBND II.1.b)
            what = "nội dung nêu nhiều thời điểm bắt đầu (không phải thời hạn), chưa tách được thành mốc: "
        item.mark("deadline", ref, NOT_FOUND, what + _quoted(found))
        return
    if clauses.starts:
        item.notes.append("Thời gian bắt đầu: " + "; ".join(clauses.starts) + " (không phải thời hạn).")
    dates = [m["deadline"] for m in clauses.milestones]
    item.milestones, undated = _with_undated_bullets(text, clauses.milestones, year)
    item.notes.append(f"Không có dòng Thời hạn; mốc lấy từ Nội dung: {_quoted(dates)}.")
    read = "; ".join(f"“{p}”: {reading_words(parse_deadline(p, default_year=year))}" for p in dates)
    if any(_starts(d, year) for d in dates):
        read += "; mốc bắt đầu: việc thường xuyên kể từ ngày đó, hay văn bản không ghi hạn, Tổ giúp việc xác định"
    read += "".join(f"; {said}" for said in undated)
    item.mark("deadline", ref, GUESSED, f"không có dòng thời hạn; đọc từ nội dung, ghi làm mốc: {read}")


# how an undated bullet says its time, when it does ("Triển khai theo kế hoạch hàng năm …")
_UNDATED_TIME = re.compile(r"theo kế hoạch (?:hàng|hằng) năm|thường xuyên|(?:hàng|hằng) năm", re.I)
STANDING = "Thường xuyên"


def _with_undated_bullets(
    text: str, milestones: list[dict[str, Any]], year: int
) -> tuple[list[dict[str, Any]], list[str]]:
    """``milestones`` with a milestone of its own for each "+ " bullet of ``text`` that gives no date, where
    another bullet gives one (117/KH-UBND II.4.d: "+ Trình ban hành Kế hoạch …: Hoàn thành trong Quý
    IV/2022." then "+ Triển khai theo kế hoạch hàng năm …", the implementers' own work): in the bullets'
    order, labelled by the bullet's first clause, its deadline the bullet's words of time ("Theo kế hoạch
    hàng năm") or, with none, "Thường xuyên" (a standing duty: no date invented), each said for the
    secretariat to confirm. Such a bullet had been dropped, and the dated bullet's date every body's.
    With the trace's words for each."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    bullets = [line for line in lines if line.startswith("+ ")]
    undated = [b for b in bullets if not find_deadlines(b, default_year=year)]
    if len(bullets) < 2 or not undated or len(undated) == len(bullets):
        return milestones, []
    out: list[dict[str, Any]] = []
    said: list[str] = []
    left = list(milestones)
    for line in lines:
        if line in undated:
            words = line[2:].strip()
            label = shortened(re.split(r"[,;:.]\s|[.;]$", words, maxsplit=1)[0].strip())
            when = _UNDATED_TIME.search(words)
            deadline = when.group(0)[0].upper() + when.group(0)[1:] if when else STANDING
            try:
                parse_deadline(deadline, default_year=year)
            except DeadlinePhraseError:
                deadline = STANDING
            out.append({"label": label or deadline, "deadline": deadline})
            why = "theo lời của ý" if when else "văn bản không ghi thời hạn"
            said.append(
                f"ý không ghi thời hạn “{shortened(label, 60)}”: mốc riêng “{deadline}” ({why}), Tổ giúp việc xác định"
            )
            continue
        while left and left[0]["deadline"] in line:
            out.append(left.pop(0))
            line = line.split(out[-1]["deadline"], 1)[1]
    return out + left, said


def _quoted(phrases: list[str]) -> str:
    return "; ".join(f"“{p}”" for p in phrases)


@dataclass
class _Clauses:
    milestones: list[dict[str, Any]] = field(default_factory=list)
    starts: list[str] = field(default_factory=list)  # starts of a clause's work that has its own deadline

    @property
    def said(self) -> list[str]:
        return [m["deadline"] for m in self.milestones] + self.starts


def _dated_clauses(text: str, year: int) -> _Clauses | None:
    """One milestone per clause of ``text`` that names one deadline, or one start and no deadline
    (clauses end at "." or ";", and one naming several deadlines, or several starts, is split at "và"),
    labelled by the clause's other words; a start beside the deadline of its clause kept apart as that
    work's start. A clause that continues a parenthesis opened in the clause before ("… đạt 100% (đối
    với … cấp tỉnh từ ngày 01/6/2022; đối với … cấp huyện từ ngày 01/12/2022)") is labelled with the
    words before the parenthesis, each label with its brackets closed. None when a piece still names
    several dates."""
    out = _Clauses()
    head = ""  # the words before a parenthesis a clause left open
    for clause in re.split(r"(?<=[.;])\s+|(?<=:)\s+(?=-\s)|\n+", text):  # a bullet after "…:" ends the intro
        ends, starts = _ends(clause, year), _start_phrases(clause, year)
        pieces = [clause]
        if len(ends) > 1 or (len(starts) > 1 and not ends):
            pieces = re.split(r"\s+và\s+", clause)
        for piece in pieces:
            ends, starts = _ends(piece, year), _start_phrases(piece, year)
            if len(ends) > 1 or (len(starts) > 1 and not ends):
                return None
            if not (ends or starts):
                continue
            when = ends[0] if ends else starts[0]
            if ends:
                out.starts += starts
            words = re.sub(rf"(?:vào |phấn đấu )?{re.escape(when)}", "", piece, count=1, flags=re.I)
            label = re.sub(r"\s+([,.;:)])", r"\1", re.sub(r"\s+", " ", words))
            label = re.sub(r"([,;:])(?:\s*[,;:])+", r"\1", label).strip(" ,.;:+-")
            label = _closed(label, head)
            out.milestones.append({"label": shortened(label) or when, "deadline": when})
        head = _open_head(clause, head)
    return out


def _open_head(clause: str, head: str) -> str:
    """The words before the parenthesis ``clause`` leaves open (``head`` kept while one stays open)."""
    depth = clause.count("(") - clause.count(")")
    if depth > 0:
        return clause[: clause.rfind("(")].strip(" ,;:+-")
    return head if depth == 0 else ""


def _closed(label: str, head: str) -> str:
    """``label`` with no bracket left unmatched: an open one dropped, a closing one of a parenthesis
    opened before dropped, that clause's ``head`` put before it."""
    if label.count(")") > label.count("(") and head:
        label = f"{head} {label[::-1].replace(')', '', 1)[::-1]}"
    elif label.count(")") > label.count("("):
        label = label[::-1].replace(")", "", 1)[::-1]
    if label.count("(") > label.count(")"):
        i = label.rfind("(")
        label = f"{label[:i].rstrip()} {label[i + 1 :].lstrip()}"
    return re.sub(r"\s+", " ", label).strip(" ,.;:")


def _ends(text: str, year: int) -> list[str]:
    return [phrase for phrase in find_deadlines(text, default_year=year) if not _starts(phrase, year)]


def _start_phrases(text: str, year: int) -> list[str]:
    return [phrase for phrase in find_deadlines(text, default_year=year) if _starts(phrase, year)]


# a part whose words say when work begins ("Bắt đầu: 01/4/2026", "Từ tháng 4/2026", "Triển khai từ …"),
# not one that runs until its date ("Từ nay đến ngày 30/6/2026": an end)
_START_WORDS = re.compile(
    r"^(bắt đầu|khởi công|khởi động|triển khai từ|thực hiện từ|từ(?! nay\b| bây giờ\b)|kể từ)\b", re.I
)
_END_WORDS = re.compile(r"^(đến|trước|chậm nhất|hết|trong)\b", re.I)


def _is_start(part: dict[str, str], year: int) -> bool:
    """Whether a dated part of a phrase says when work begins, not when it must be done."""
    if _END_WORDS.match(part["deadline"]) or re.search(r"\b(đến|hết|trước)\b", part["label"], re.I):
        return False
    return bool(_START_WORDS.match(part["label"])) or _starts(part["deadline"], year)


def _starts(phrase: str, year: int) -> bool:
    """Whether ``phrase`` says when work begins ("từ ngày 01/3/2027"): a start, not a deadline."""
    try:
        return parse_deadline(phrase, default_year=year).kind is DeadlineKind.FROM_DATE
    except DeadlinePhraseError:
        return False


_KEY_TASK = re.compile(r"nhiệm vụ trọng tâm thuộc diện|theo dõi, đôn đốc ưu tiên", re.I)


def flags(item: Proposal, text: str, ref: str, bullets: list[tuple[str, str]] | None = None) -> None:
    """Priority and "(đã hoàn thành)" in the wording. ``bullets``: the "- " lines of ``text`` and where
    each stands, to say which one flags the priority."""
    if _KEY_TASK.search(text):
        _key_task(item, ref, bullets or [])
    if re.search(r"\(\s*đã hoàn thành\s*\)", text, re.I) and not item.done_at_issue:
        item.done_at_issue = True
        item.mark("done_at_issue", ref, CERTAIN)


def _key_task(item: Proposal, ref: str, bullets: list[tuple[str, str]]) -> None:
    """ "nhiệm vụ trọng tâm thuộc diện … theo dõi" in the item's words: the item a priority, guessed —
    unless the words stand in one "- " bullet of several (1834/UBND-KGVX item 2: the radio bullet, line
    38, not the one-stop-shop duties nor the other targets). Priority speeds escalation, so a guess of it
    covers only what the text marks: the milestone drafted from that bullet, or, with none, nothing, the
    note saying which bullet the text marks. The whole item had been marked."""
    flagged = [(text, where) for text, where in bullets if _KEY_TASK.search(text)]
    if len(bullets) < 2 or len(flagged) != 1:
        item.priority = True
        item.mark("priority", ref, GUESSED, "văn bản ghi nhiệm vụ trọng tâm")
        return
    bullet, where = flagged[0]
    part = f"văn bản chỉ ghi nhiệm vụ trọng tâm ở ý “{shortened(bullet, 80)}” ({where}), không phải cả mục"
    others = " ".join(text for text, _ in bullets if text != bullet)
    marked = [m for m in item.milestones if m["deadline"] in bullet and m["deadline"] not in others]
    for milestone in marked:
        milestone["priority"] = True
    if marked:
        item.mark("priority", where, GUESSED, f"{part}: đánh dấu trọng tâm ở mốc của ý đó")
    else:
        item.mark("priority", where, GUESSED, f"{part}: Tổ giúp việc tách ý đó thành mốc và đánh dấu mốc")
