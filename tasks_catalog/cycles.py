"""Report cycles as data: the periods of a recurring reporting duty, with cut-off and due dates.

A period code is ``2022-Q1`` (quarter), ``2022-H1`` (half-year) or ``2022`` (year). For each
period of a ``reporting:`` entry :func:`periods` gives its Vietnamese label, its calendar span,
the data cut-off window and the agencies' due date:

- due: ``due_day`` of the period's last month, ``due_month_offset`` months later (default:
  the last day of that month; a day past the month's end is its last day);
- cut-off window (61/KH-UBND VI.7): from ``cutoff_start_day`` of the PREVIOUS period's last
  month to ``cutoff_end_day`` of THIS period's last month — quý I from 15/12 of the previous
  year to 14/3. Without cut-off days the window is the period itself.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from dondoc.engine.clock import FIRST_YEAR, LAST_YEAR
from dondoc.tasks_catalog.schema import MONTHS_PER_PERIOD, ReportingEntry

__all__ = [
    "ReportPeriod",
    "PeriodError",
    "parse_period",
    "period_in_sentence",
    "period_label",
    "periods",
    "period_span",
    "periods_as_of",
    "periods_within",
    "previous_period",
]


ROMAN = ("I", "II", "III", "IV")
_CODE = re.compile(r"^(?P<year>[0-9]{4})(?:-(?P<kind>[QH])(?P<n>[0-9]))?$")  # ASCII digits: "２０２２" is refused


class PeriodError(ValueError):
    """A period code that is malformed or does not fit the duty's period type."""


@dataclass(frozen=True)
class ReportPeriod:
    """One period of a reporting duty."""

    code: str  # "2022-Q1" | "2022-H1" | "2022"
    label: str  # "Quý I/2022" | "6 tháng đầu năm 2022" | "Năm 2022"
    start: date
    end: date
    cutoff_start: date
    cutoff_end: date
    due: date


def parse_period(code: str) -> tuple[str, int, int]:
    """``"2022-Q3"`` → ``("quarter", 2022, 3)``; ``"2022"`` → ``("year", 2022, 1)``."""
    match = _CODE.match(code.strip())
    if not match:
        raise PeriodError(f'kỳ báo cáo "{code}" không hợp lệ: dùng 2022-Q1…Q4, 2022-H1/H2 hoặc 2022')
    year, kind, n = int(match["year"]), match["kind"], int(match["n"] or 1)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise PeriodError(f'kỳ báo cáo "{code}" ngoài khoảng năm {FIRST_YEAR}–{LAST_YEAR}')
    period = {"Q": "quarter", "H": "half_year", None: "year"}[kind]
    if n < 1 or n > 12 // MONTHS_PER_PERIOD[period]:
        raise PeriodError(f'kỳ báo cáo "{code}" không tồn tại')
    return period, year, n


def _code(period: str, year: int, n: int) -> str:
    return {"quarter": f"{year}-Q{n}", "half_year": f"{year}-H{n}", "year": f"{year}"}[period]


def _label(period: str, year: int, n: int) -> str:
    if period == "quarter":
        return f"Quý {ROMAN[n - 1]}/{year}"
    if period == "half_year":
        return f"6 tháng {'đầu' if n == 1 else 'cuối'} năm {year}"
    return f"Năm {year}"


def _add_months(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + months
    return index // 12, index % 12 + 1


def _day(year: int, month: int, day: int | None) -> date:
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(day, last) if day else last)


def period_label(code: str) -> str:
    """The Vietnamese name of a period: "Quý III/2022", "6 tháng đầu năm 2022", "Năm 2022"."""
    return _label(*parse_period(code))


def period_in_sentence(label: str) -> str:
    """A period's name inside a sentence: "quý III/2022", "năm 2022" ("Báo cáo năm 2022 đã gửi …";
    it had read "Báo cáo Năm 2022"), as the report's own cut-off words write it."""
    return label[:1].lower() + label[1:]


def previous_period(code: str) -> str | None:
    """The period of the same kind before ``code`` ("2023-Q1" → "2022-Q4", "2023" → "2022"); None
    before the first year."""
    period, year, n = parse_period(code)
    if n > 1:
        return _code(period, year, n - 1)
    if year <= FIRST_YEAR:
        return None
    return _code(period, year - 1, 12 // MONTHS_PER_PERIOD[period])


def periods_within(code: str) -> list[str]:
    """The period codes that lie inside ``code``, oldest first, ``code`` itself last.

    ``"2022"`` → 2022-Q1, 2022-Q2, 2022-H1, 2022-Q3, 2022-Q4, 2022-H2, 2022 (by end date).
    """
    start, end = period_span(code)
    year = start.year
    candidates = [f"{year}-Q{n}" for n in range(1, 5)] + [f"{year}-H1", f"{year}-H2", f"{year}"]
    inside = [c for c in candidates if start <= period_span(c)[0] and period_span(c)[1] <= end]
    return sorted(inside, key=lambda c: (period_span(c)[1], period_span(c)[1] - period_span(c)[0]))  # shortest first


def periods_as_of(code: str) -> list[str]:
    """The periods whose values tell where things stand at the end of ``code``: those inside it,
    and those of its year that end the same day (a fourth quarter's report reads the second
    half-year's and the year's figures too), ordered as :func:`periods_within`.

    ``"2022-Q4"`` → 2022-Q4, 2022-H2, 2022; ``"2022-Q3"`` → 2022-Q3.
    """
    start, end = period_span(code)
    year = start.year
    candidates = [f"{year}-Q{n}" for n in range(1, 5)] + [f"{year}-H1", f"{year}-H2", f"{year}"]
    found = set(periods_within(code)) | {c for c in candidates if period_span(c)[1] == end}
    return sorted(found, key=lambda c: (period_span(c)[1], period_span(c)[1] - period_span(c)[0]))


def period_span(code: str) -> tuple[date, date]:
    """First and last day of the period ``code``."""
    period, year, n = parse_period(code)
    months = MONTHS_PER_PERIOD[period]
    first_month = (n - 1) * months + 1
    last_month = first_month + months - 1
    return date(year, first_month, 1), _day(year, last_month, None)


def _period(entry: ReportingEntry, year: int, n: int) -> ReportPeriod:
    kind, months = entry.period, MONTHS_PER_PERIOD[entry.period]
    code = _code(kind, year, n)
    start, end = period_span(code)
    due_year, due_month = _add_months(year, end.month, entry.due_month_offset)
    cutoff_start, cutoff_end = start, end
    if entry.cutoff_start_day is not None:
        previous_year, previous_month = _add_months(year, end.month, -months)
        cutoff_start = _day(previous_year, previous_month, entry.cutoff_start_day)
    if entry.cutoff_end_day is not None:
        cutoff_end = _day(year, end.month, entry.cutoff_end_day)
    due = _day(due_year, due_month, entry.due_day)
    return ReportPeriod(code, _label(kind, year, n), start, end, cutoff_start, cutoff_end, due)


def _bound(code: str, expected: str, what: str) -> tuple[int, int]:
    period, year, n = parse_period(code)
    if period != expected:
        raise PeriodError(f'{what} "{code}" is not a {expected.replace("_", "-")} period')
    return year, n


def periods(entry: ReportingEntry, *, plan_year: int, until: int) -> list[ReportPeriod]:
    """Every period of a recurring duty, oldest first.

    ``first_period`` defaults to the first period of ``plan_year``; ``last_period`` to the
    last period of ``until`` (the loader passes the plan year: an open-ended duty is
    scheduled for the plan's own year only, never invented beyond it).
    """
    if entry.period not in MONTHS_PER_PERIOD:
        raise PeriodError(f'period "{entry.period}" is not recurring')
    per_year = 12 // MONTHS_PER_PERIOD[entry.period]
    first = _bound(entry.first_period, entry.period, "first_period") if entry.first_period else (plan_year, 1)
    last = _bound(entry.last_period, entry.period, "last_period") if entry.last_period else (until, per_year)
    if last < first:
        raise PeriodError(
            f"last_period {_code(entry.period, *last)} is before first_period {_code(entry.period, *first)}"
        )
    result = []
    year, n = first
    while (year, n) <= last:
        result.append(_period(entry, year, n))
        year, n = (year, n + 1) if n < per_year else (year + 1, 1)
    return result
