"""The one parser from a Vietnamese deadline phrase to its meaning.

A table of compiled regexes is tried in order against the cleaned phrase; each maps to a small
function. Text that no entry matches in full raises DeadlinePhraseError: the parser never
returns a date for text it does not understand. Meanings (see tests/test_deadlines.py):

- "trước ngày 30/6/2022", "ngày 15/02/2022", "chậm nhất ngày 25/12/2022": DATE, due that day. Whether
  "trước ngày X" means by the end of X (the default) or by the end of X−1 is a convention, not the
  text: ``before_date_means`` (BeforeDateMeans; the catalog's conventions.yaml sets it).
- "Tháng 9/2022", "Tháng 3-4/2022", "Quý IV/2022", "Quý I năm 2022", "Năm 2022", "2019-2020",
  "6 tháng đầu năm 2022": PERIOD, start = first day, due = last day ("Hoàn thành trong",
  "đến hết", "giai đoạn" and similar lead-ins do not change the meaning).
- "kể từ ngày 01/6/2022", "từ ngày 01/7/2022", "bắt đầu từ ngày 01/7/2022", "từ năm 2022": FROM_DATE,
  a standing duty that applies from ``start`` on; it has no due date (due None) and is never due on
  its first day. A window "từ ngày … đến ngày …" is a PERIOD: due on the window's last day.
- "Thường xuyên", "hằng năm", "định kỳ 6 tháng", "hằng quý": RECURRING; with a span
  ("hằng năm giai đoạn 2021-2025") start/due are the span's. "Định kỳ 6 tháng, 1 năm" (and
  "định kỳ 06 tháng, hàng năm") is half_yearly (the yearly report is the second half-year one).
  "Năm 2022 và các năm tiếp theo" is RECURRING yearly from 1/1/2022, open-ended (due None).
- "Theo …", "Khi …", "Sau khi …": CONDITION, due None, condition = the phrase.
- "(đã hoàn thành)": DONE, alone or with a date/period ("Tháng 02/2022 (đã hoàn thành)").
- A period with a trailing "(theo …)" note keeps its kind and due; the note goes to condition.
- A date and a condition in one phrase are an error: catalogue the date as the deadline and the
  condition as the item's ``precondition`` (61/KH-UBND PL.I.2: "Quý IV/2019" + "Khi có hướng dẫn …").
- Several dates ("… 30/6/2022; … 15/11/2022") are several milestones: an error, never one
  deadline; so is a day relative to every quarter ("trước ngày 20 (của) tháng cuối quý").
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Any, Required, TypedDict

from dondoc.engine.clock import FIRST_YEAR, LAST_YEAR

__all__ = [
    "BeforeDateMeans",
    "DeadlineKind",
    "Deadline",
    "DeadlinePhraseError",
    "before_date_due",
    "find_deadlines",
    "parse_deadline",
]


class DeadlineKind(StrEnum):
    """What kind of obligation a deadline phrase describes."""

    DATE = "date"
    PERIOD = "period"
    FROM_DATE = "from_date"
    RECURRING = "recurring"
    CONDITION = "condition"
    DONE = "done"


class BeforeDateMeans(StrEnum):
    """What "trước ngày X" means: a policy choice with no statutory answer (one setting, conventions.yaml)."""

    END_OF_DAY = "end_of_day"  # by the end of X (the reading so far)
    PREVIOUS_DAY = "previous_day"  # by the end of X−1


def before_date_due(day: date, means: BeforeDateMeans) -> date:
    """The last day of an obligation the text words "trước ngày ``day``"."""
    return day - timedelta(days=1) if means is BeforeDateMeans.PREVIOUS_DAY else day


def standing_start(kind: str | None, start: date | None, due: object | None) -> date | None:
    """The day a standing duty ("kể từ ngày …", DeadlineKind.FROM_DATE) applies from, when the part
    has no due date: what every surface says in place of a date ("từ 01/7/2022", "không có hạn cuối");
    None for any other obligation, or for one that has a due date (set since, by an extension)."""
    return start if kind == DeadlineKind.FROM_DATE.value and start is not None and due is None else None


@dataclass(frozen=True)
class Deadline:
    """Meaning of one deadline phrase; ``due`` is the last day the obligation may be met.

    A FROM_DATE deadline is a standing duty: ``start`` is the day it applies from, ``due`` is None.
    """

    phrase: str
    kind: DeadlineKind
    due: date | None
    start: date | None = None
    recurrence: str | None = None
    condition: str | None = None
    done: bool = False

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict with ISO dates."""
        return {
            "phrase": self.phrase,
            "kind": self.kind.value,
            "due": self.due.isoformat() if self.due else None,
            "start": self.start.isoformat() if self.start else None,
            "recurrence": self.recurrence,
            "condition": self.condition,
            "done": self.done,
        }


class DeadlinePhraseError(ValueError):
    """A deadline phrase that is not understood; ``phrase`` is the verbatim input."""

    def __init__(self, phrase: str, hint: str = "") -> None:
        self.phrase = phrase
        self.hint = hint
        msg = f'cannot understand deadline phrase "{phrase}"'
        super().__init__(f"{msg}: {hint}" if hint else msg)


class _Fail(Exception):
    """Internal: a hint for parse_deadline, which adds the phrase."""


# A match's groups: the text, or None for a group that took no part (typeshed's `str | Any`).
_Groups = tuple[str | Any, ...]


class _Fields(TypedDict, total=False):
    """What a rule reads from a phrase: the fields of a Deadline but the phrase and done."""

    kind: Required[DeadlineKind]
    start: date
    due: date
    recurrence: str
    condition: str


_Rule = tuple[re.Pattern[str], Callable[[_Groups, int | None], _Fields]]


_F = re.IGNORECASE
# day, month, optional year: 30/6/2022, 01-06-2022, 30.06.2022, "15 tháng 12 năm 2022"
_D = r"([0-9]{1,2}) ?(?:[/.-]| tháng ) ?([0-9]{1,2})(?: ?(?:[/.-]| năm ) ?([0-9]{4}))?"
_DY = r"([0-9]{1,2}) ?[/.-] ?([0-9]{1,2}) ?[/.-] ?([0-9]{4})"
_Y = r"(?:(?: ?[/.-] ?| (?:năm )?)([0-9]{4}))?"  # "/2022", "-2022", " năm 2022", " 2022"
_Q = r"(iv|i{1,3}|[1-4])"
_QUY = r"(?:quý|qúy|quí)"
_LABEL = re.compile(r"(?:thời (?:hạn|gian)(?: thực hiện)?(?:,? h(?:oà|à)n thành)?) ?:? ?", _F)
_LEADIN = re.compile(  # words before the deadline that do not change it; matches "" too
    r"(?:(?:hoàn thành|thực hiện|nhiệm vụ|trong|đến hết|đến cuối|đến|cuối|giai đoạn|dự kiến)"
    r"(?= |$) ?)*",
    _F,
)
_DONE = re.compile(r" ?\(? ?đã hoàn thành ?\)? ?", _F)
_NOTE = re.compile(r"(.+?) ?\(((?:theo|khi|sau khi|căn cứ) [^()]*)\)", _F)
_CONDITION = re.compile(r"(?:sau khi|khi|theo|tùy theo|tuỳ theo|căn cứ|chờ) .+", _F)
_DEADLINE_WORDS = re.compile(
    r"trước ngày|chậm nhất|hạn chót|hoàn thành (?:trong|trước)"
    rf"|(?:tháng|{_QUY}) [0-9iv]+(?: ?- ?[0-9iv]+)? ?(?:/| năm ) ?[0-9]{{4}}",
    _F,
)
_TOKENS = re.compile(  # one date or period each: "30/6/2022", "tháng 3-4/2022", "2019-2020"
    rf"{_DY}|(?:tháng|{_QUY}) [0-9iv]+(?: ?- ?[0-9iv]+)?{_Y}|(?<![0-9])[0-9]{{4}}(?: ?- ?[0-9]{{4}})?", _F
)
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_FROM = r"(?:bắt đầu )?(?:kể )?từ"  # "từ ngày", "kể từ ngày", "bắt đầu từ ngày": a start, never a due date
_RECURRENCES = [  # longest first: "thường xuyên hằng năm" is yearly, not continuous
    (r"định kỳ (?:0?6|sáu) tháng(?:,? (?:0?1|một|hằng|hàng) năm)?|(?:hằng|hàng|mỗi) (?:0?6|sáu) tháng", "half_yearly"),
    (rf"(?:định kỳ )?(?:hằng|hàng|mỗi) {_QUY}|định kỳ {_QUY}", "quarterly"),
    (r"(?:thường xuyên,? )?(?:định kỳ )?(?:hằng|hàng|mỗi) năm|định kỳ năm", "yearly"),
    (r"thường xuyên(?:,? liên tục)?|liên tục", "continuous"),
]
_REC_ALT = "|".join(f"(?:{p})" for p, _ in _RECURRENCES)


def _mkdate(y: int, m: int, d: int) -> date:
    if not FIRST_YEAR <= y <= LAST_YEAR:
        raise _Fail(f"the year {y} is outside {FIRST_YEAR}–{LAST_YEAR}")
    try:
        return date(y, m, d)
    except ValueError:
        raise _Fail(f"no such date {d}/{m}/{y}") from None


def _last(y: int, m: int) -> date:
    return _mkdate(y, m, 1).replace(day=calendar.monthrange(y, m)[1])


def _year(y: str | None, default_year: int | None) -> int:
    if y:
        return int(y)
    if default_year is None:
        raise _Fail("no year given; write the year or pass default_year")
    return default_year


def _ordered(a: date, b: date) -> tuple[date, date]:
    if b < a:
        raise _Fail(f"the range ends ({b:%d/%m/%Y}) before it starts ({a:%d/%m/%Y})")
    return a, b


def _dmy(g: _Groups, dy: int | None, year: str | None = None) -> date:
    return _mkdate(_year(g[2] or year, dy), int(g[1]), int(g[0]))


def _period(start: date, due: date) -> _Fields:
    return {"kind": DeadlineKind.PERIOD, "start": start, "due": due}


def _date(g: _Groups, dy: int | None) -> _Fields:
    return {"kind": DeadlineKind.DATE, "due": _dmy(g, dy)}


def _from(g: _Groups, dy: int | None) -> _Fields:
    return {"kind": DeadlineKind.FROM_DATE, "start": _dmy(g, dy)}  # a start, never a due date


def _date_range(g: _Groups, dy: int | None) -> _Fields:  # the first date may omit the year
    return _period(*_ordered(_dmy(g[:3], dy, g[5]), _dmy(g[3:], dy)))


def _month(g: _Groups, dy: int | None) -> _Fields:
    y, m1 = _year(g[2], dy), int(g[0])
    m2 = int(g[1]) if g[1] else m1
    return _period(*_ordered(_mkdate(y, m1, 1), _last(y, m2)))


def _quarter(g: _Groups, dy: int | None) -> _Fields:
    q1 = _ROMAN.get(g[0].lower()) or int(g[0])
    q2 = (_ROMAN.get(g[1].lower()) or int(g[1])) if g[1] else q1
    y = _year(g[2], dy)
    return _period(*_ordered(_mkdate(y, 3 * q1 - 2, 1), _last(y, 3 * q2)))


def _half(g: _Groups, dy: int | None) -> _Fields:
    y, first = _year(g[1], dy), g[0].lower() == "đầu"
    return _period(_mkdate(y, 1 if first else 7, 1), _last(y, 6 if first else 12))


def _years(g: _Groups, dy: int | None) -> _Fields:
    return _period(*_ordered(_mkdate(int(g[0]), 1, 1), _mkdate(int(g[1] or g[0]), 12, 31)))


def _onward(g: _Groups, dy: int | None) -> _Fields:
    return {"kind": DeadlineKind.RECURRING, "recurrence": "yearly", "start": _mkdate(int(g[0]), 1, 1)}


def _from_period(g: _Groups, dy: int | None) -> _Fields:
    start = _core(g[0], dy, _SPAN_RULES).get("start")
    if start is None:
        raise _Fail("'từ' must be followed by a date or a period")
    return {"kind": DeadlineKind.FROM_DATE, "start": start}


def _recurring(g: _Groups, dy: int | None) -> _Fields:
    rec_text, rest = (g[0], g[1]) if g[0] is not None else (g[3], g[2])
    rec = next(r for p, r in _RECURRENCES if re.fullmatch(p, rec_text, _F))
    out: _Fields = {"kind": DeadlineKind.RECURRING, "recurrence": rec}
    if rest:
        span = _core(rest, dy, _SPAN_RULES)
        if span["kind"] != DeadlineKind.PERIOD:
            raise _Fail("a recurring obligation can only be bounded by a period (e.g. 2021-2025)")
        out.update({"start": span["start"], "due": span["due"]})
    return out


_RULES: list[_Rule] = [
    (re.compile(rf"{_FROM} (?:ngày )?{_D} (?:đến|tới) (?:hết )?(?:ngày )?{_D}", _F), _date_range),
    (re.compile(rf"{_FROM} (?:ngày )?{_D}", _F), _from),
    (re.compile(rf"(?:(?:trước|chậm nhất|hạn chót|hạn)(?: là)?(?: vào)? )?ngày {_D}", _F), _date),
    (re.compile(rf"(?:trước|chậm nhất|hạn chót|hạn)(?: là)?(?: vào)? {_D}", _F), _date),
    (re.compile(_DY, _F), _date),
    (re.compile(rf"tháng ([0-9]{{1,2}})(?: ?- ?([0-9]{{1,2}}))?{_Y}", _F), _month),
    (re.compile(rf"{_QUY} {_Q}(?: ?- ?{_Q})?{_Y}", _F), _quarter),
    (re.compile(r"(?:6|sáu) tháng (đầu|cuối) năm(?: ([0-9]{4}))?", _F), _half),
    (re.compile(r"(?:từ )?(?:năm )?([0-9]{4}) ?(?:-|đến|tới) ?(?:năm )?([0-9]{4})", _F), _years),
    (re.compile(r"(?:từ )?(?:năm )?([0-9]{4}) và (?:các|những) năm (?:tiếp theo|sau)", _F), _onward),
    (re.compile(rf"{_FROM} ((?:năm|tháng|{_QUY}) .+)", _F), _from_period),
    (re.compile(r"(?:năm )?([0-9]{4})()", _F), _years),
    (re.compile(rf"({_REC_ALT})(?:[ ,;]+(.+))?|(.+?)[ ,;]+({_REC_ALT})", _F), _recurring),
]
# a span inside another phrase ("hằng năm giai đoạn 2021-2025") is a plain date or period
_SPAN_RULES = [(rx, fn) for rx, fn in _RULES if fn not in (_from_period, _recurring)]


def _core(s: str, dy: int | None, rules: list[_Rule] | None = None) -> _Fields:
    """Meaning of a cleaned phrase without label, done marker or note; raises _Fail."""
    s = _LEADIN.sub("", s, count=1)
    for rx, fn in rules or _RULES:
        if m := rx.fullmatch(s):
            return fn(m.groups(), dy)
    if re.search(r"ngày [0-9]{1,2} (?:của )?tháng cuối quý", s, _F):
        raise _Fail(
            "a day in every quarter: catalogue it as recurring 'hằng quý' and list one "
            "dated milestone per quarter (e.g. 'trước ngày 20/3/2022')"
        )
    if len(_TOKENS.findall(s)) >= 2:
        raise _Fail("it names several dates or periods: split into milestones, one phrase each")
    raise _Fail(
        "no rule matches; write e.g. 'trước ngày 30/6/2022', 'Tháng 9/2022', "
        "'Quý IV/2022', 'Thường xuyên' or 'Theo hướng dẫn của …'"
    )


def _clean(phrase: str) -> str:
    s = unicodedata.normalize("NFC", phrase).replace("*", " ")
    s = re.sub(r"[\u2010-\u2015\u2212]", "-", s)
    s = re.sub(r"\s+", " ", s)
    s = re.sub(r"\( ?", "(", re.sub(r" ?\)", ")", s))
    s = s.strip(" .;,:-+•")
    if m := _LABEL.match(s):
        s = s[m.end() :].strip(" .;,:-+•")
    return s


_BEFORE = re.compile(r"trước (?:ngày )?[0-9]", _F)


def before_day_named(phrase: str | None, default_year: int | None = None) -> date | None:
    """The day X a "trước ngày X" phrase names (the text's own day, whichever way conventions.yaml
    reads the phrase); None for any other phrase, or one not understood."""
    if not phrase:
        return None
    try:
        deadline = parse_deadline(phrase, default_year=default_year, before_date_means=BeforeDateMeans.END_OF_DAY)
    except DeadlinePhraseError:
        return None
    if deadline.kind is not DeadlineKind.DATE or not _BEFORE.match(_LEADIN.sub("", _clean(phrase), count=1)):
        return None
    return deadline.due


def parse_deadline(
    phrase: str, *, default_year: int | None = None, before_date_means: BeforeDateMeans = BeforeDateMeans.END_OF_DAY
) -> Deadline:
    """Parse a Vietnamese deadline phrase; raise DeadlinePhraseError if it is not understood.

    ``default_year`` fills a missing year ("Tháng 9", "trước ngày 20/3"); without it such a
    phrase is an error. ``before_date_means`` reads "trước ngày X" (see BeforeDateMeans).
    """
    if not isinstance(phrase, str):
        raise DeadlinePhraseError(repr(phrase), "a deadline phrase must be text")
    try:
        s = _clean(phrase)
        done = bool(_DONE.search(s))
        s = _DONE.sub(" ", s).strip(" .;,:-+•") if done else s
        fields: _Fields
        if done and not s:
            fields = {"kind": DeadlineKind.DONE}
        elif _CONDITION.fullmatch(_LEADIN.sub("", s, count=1)):
            if _DEADLINE_WORDS.search(s):
                raise _Fail(
                    "a condition together with a deadline: write the date as the deadline and the "
                    "condition as the item's precondition"
                )
            fields = {"kind": DeadlineKind.CONDITION, "condition": s}
        elif not s:
            raise _Fail("it is empty")
        else:
            note = None
            if m := _NOTE.fullmatch(s):
                s, note = m.group(1), m.group(2)
            fields = _core(s, default_year)
            if fields["kind"] is DeadlineKind.DATE and _BEFORE.match(_LEADIN.sub("", s, count=1)):
                fields["due"] = before_date_due(fields["due"], BeforeDateMeans(before_date_means))
            if note:
                fields["condition"] = note
        if done:
            fields["kind"] = DeadlineKind.DONE
        return Deadline(
            phrase=phrase,
            kind=fields["kind"],
            due=fields.get("due"),
            start=fields.get("start"),
            recurrence=fields.get("recurrence"),
            condition=fields.get("condition"),
            done=done,
        )
    except _Fail as e:
        raise DeadlinePhraseError(phrase, str(e)) from None


# deadline phrases inside a sentence of prose: each alternative needs a word that makes it a deadline
# ("trước ngày …", "đến hết năm …", "trong tháng …", "thời gian thực hiện: …"), a bare date is not one
_FULL = r"[0-9]{1,2}/[0-9]{1,2}/[0-9]{4}"
_IN_PROSE = re.compile(
    rf"thời (?:gian|hạn)(?: thực hiện| hoàn thành)? ?: ?(?P<label>[^;.]+)"
    rf"|(?:hoàn thành (?:các nhiệm vụ này )?)?(?:trước|chậm nhất(?: là| vào)?) ngày {_FULL}"
    rf"|(?:phấn đấu )?(?:đến|tới) (?:hết )?ngày {_FULL}"
    rf"|(?:ngay )?(?:kể )?từ ngày {_FULL}"
    rf"|hoàn thành (?:trong |trước )?(?:tháng|{_QUY}|năm) [^;.,()]+?[0-9]{{4}}"
    rf"|(?:phấn đấu )?(?:trong|đến hết|đến cuối|trước|đến|vào) (?:tháng|{_QUY}) [0-9iv]+(?: ?- ?[0-9iv]+)?/[0-9]{{4}}"
    rf"|(?:phấn đấu )?(?:đến hết|đến cuối) năm [0-9]{{4}}"
    # "trong năm 2022" bounds the work, "trong năm 2022 và các năm tiếp theo" names when it is a priority
    rf"|(?:phấn đấu )?trong năm [0-9]{{4}}(?![0-9]| và (?:các|những) năm)",
    _F,
)
_PROSE_NOISE = re.compile(r"^(?:phấn đấu|ngay|hoàn thành các nhiệm vụ này|vào) ", _F)
# words just before a phrase that make it the day work begins ("bắt đầu trong tháng 10/2022"), not its end
_BEGINS = re.compile(r"\b(?:bắt đầu|khởi công|khởi động)\s*$", _F)


def find_deadlines(text: str, *, default_year: int | None = None) -> list[str]:
    """The deadline phrases written inside a sentence ("…, phấn đấu đến ngày 30/6/2023 đạt …", "đảm bảo
    đến tháng 9/2022 có …", "100% … vào tháng 6/2022"), in order, each one ``parse_deadline`` reads (the
    words that only say "aim for" or "in" dropped); none that says when work begins ("bắt đầu …")."""
    found = []
    text = unicodedata.normalize("NFC", text)
    for m in _IN_PROSE.finditer(text):
        if _BEGINS.search(text[: m.start()]):
            continue
        phrase = (m.group("label") or m.group(0)).strip(" ,")
        phrase = _PROSE_NOISE.sub("", phrase)
        try:
            parse_deadline(phrase, default_year=default_year)
        except DeadlinePhraseError:
            continue
        found.append(phrase)
    return found


def unsaid_condition(condition: str | None, phrase: str | None) -> str | None:
    """A milestone's condition, unless its deadline phrase, which is shown with it, already says it:
    a CONDITION phrase is its own condition ("Theo kế hoạch hàng năm"), and a period's trailing
    "(theo …)" note is in the phrase. A mail or page that printed both said it twice."""
    if condition and phrase and condition.casefold() in phrase.casefold():
        return None
    return condition
