"""Vietnamese working-day calendar.

Public holidays come from ``holidays.country_holidays("VN", language="vi")`` (lunar Tết,
observed "nghỉ bù" days and the Government's day swaps the library knows, together with the
Saturdays worked in exchange). ``tasks_catalog/calendar.yaml`` adds what the library lacks:
extra days off and make-up working days, per year. Lookups are cached per year, lazily.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import date, timedelta
from functools import cache, cached_property
from importlib import metadata, resources
from pathlib import Path
from typing import Any

import holidays
import yaml

from dondoc.engine.parsed_files import ParsedFiles

__all__ = ["WorkCalendar", "CalendarFileError"]

_WEEKEND = {5: "Thứ Bảy", 6: "Chủ nhật"}
_EXTRA_REASON = "Nghỉ bù/ngày nghỉ thêm"
_ONE = timedelta(days=1)
_HOLIDAYS_VERSION = metadata.version("holidays")  # what holidays.__version__ holds (not re-exported for typing)


class _Loader(yaml.SafeLoader):
    """Safe loader that keeps dates as text, so a bad date is reported with its key."""


def _timestamp_as_text(loader: _Loader, node: yaml.ScalarNode) -> str:
    return loader.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_as_text)


class CalendarFileError(ValueError):
    """calendar.yaml holds bad data; the message names the file and the key."""


class WorkCalendar:
    """Vietnamese working days: Mon–Fri, minus public holidays
    (``holidays.country_holidays("VN", language="vi")``), minus extra days off, plus make-up
    working days (Saturdays worked in exchange)."""

    def __init__(
        self,
        *,
        extra_days_off: Iterable[date] = (),
        makeup_working_days: Iterable[date] = (),
        roll_forward: bool = True,
    ) -> None:
        self.extra_days_off = frozenset(extra_days_off)
        self.makeup_working_days = frozenset(makeup_working_days)
        both = self.extra_days_off & self.makeup_working_days
        if both:
            raise ValueError(f"both a day off and a make-up working day: {sorted(both)}")
        self.roll_forward = roll_forward
        # year -> (day off -> reason, make-up working days); a holiday beats a make-up day
        self._years: dict[int, tuple[dict[date, str], frozenset[date]]] = {}
        self._working: dict[date, bool] = {}  # is_working_day, answered once per day
        self._counted: dict[int, list[int]] = {}  # year -> working days from 1 January to each day

    @cached_property
    def version(self) -> str:
        """Changes whenever a day could change from working to off or back (library or file)."""
        basis = repr(
            (_HOLIDAYS_VERSION, sorted(self.extra_days_off), sorted(self.makeup_working_days), self.roll_forward)
        )
        return f"holidays-{_HOLIDAYS_VERSION}@{hashlib.sha256(basis.encode()).hexdigest()[:12]}"

    # ---- construction -------------------------------------------------------------------

    @classmethod
    def from_file(cls, path: Path) -> WorkCalendar:
        """Read a calendar.yaml; raise CalendarFileError naming the file and key on bad data.

        Each version of a file is parsed once per process (engine.parsed_files: keyed by the
        SHA-256 of its bytes, read every call): callers of the same version share one calendar,
        whose lazily filled lookups depend on that content and the holidays library alone."""
        path = Path(path)
        try:
            return _PARSED.get(path)
        except OSError as e:
            raise CalendarFileError(f"{path}: cannot read calendar file: {e}") from None

    @classmethod
    def _from_bytes(cls, path: Path, content: bytes) -> WorkCalendar:
        try:
            data = yaml.load(content.decode("utf-8"), Loader=_Loader)  # noqa: S506
        except (ValueError, yaml.YAMLError) as e:
            raise CalendarFileError(f"{path}: cannot read calendar file: {e}") from None
        if not isinstance(data, dict):
            raise CalendarFileError(f"{path}: top level must be a mapping")
        unknown = set(data) - {"roll_forward_due_on_day_off", "years"}
        if unknown:
            raise CalendarFileError(f"{path}: unknown key(s) {sorted(map(str, unknown))}")
        roll = data.get("roll_forward_due_on_day_off", True)
        if not isinstance(roll, bool):
            raise CalendarFileError(f"{path}: roll_forward_due_on_day_off must be true or false")
        years = data.get("years") or {}
        if not isinstance(years, dict):
            raise CalendarFileError(f"{path}: years must be a mapping of year -> lists")
        off: list[date] = []
        makeup: list[date] = []
        for year, entry in years.items():
            where = f"years.{year}"
            if not isinstance(year, int) or isinstance(year, bool):
                raise CalendarFileError(f"{path}: {where}: the key must be a year like 2022")
            entry = entry or {}
            if not isinstance(entry, dict) or set(entry) - {"extra_days_off", "makeup_working_days"}:
                raise CalendarFileError(f"{path}: {where} may only hold extra_days_off and makeup_working_days")
            off += _dates(path, f"{where}.extra_days_off", entry.get("extra_days_off"), year)
            makeup += _dates(path, f"{where}.makeup_working_days", entry.get("makeup_working_days"), year)
        for d in makeup:
            if d.weekday() < 5:
                raise CalendarFileError(f"{path}: makeup_working_days: {d.isoformat()} is a weekday, already working")
        try:
            return cls(extra_days_off=off, makeup_working_days=makeup, roll_forward=roll)
        except ValueError as e:
            raise CalendarFileError(f"{path}: {e}") from None

    @classmethod
    def default(cls) -> WorkCalendar:
        """The calendar.yaml shipped in the ``tasks_catalog`` package."""
        res = resources.files("dondoc.tasks_catalog").joinpath("calendar.yaml")
        with resources.as_file(res) as p:
            return cls.from_file(p)

    # ---- lookups ------------------------------------------------------------------------

    def _year(self, y: int) -> tuple[dict[date, str], frozenset[date]]:
        cached = self._years.get(y)
        if cached is None:
            off: dict[date, str] = {}
            makeup: set[date] = set()
            if 1 <= y <= 9999:
                vn = holidays.country_holidays("VN", years=y, language="vi")
                off = {d: name for d, name in vn.items() if d.year == y}
                makeup = {d for d in getattr(vn, "weekend_workdays", ()) if d.year == y}
            for d in self.extra_days_off:
                if d.year == y:
                    off.setdefault(d, _EXTRA_REASON)
            makeup |= {d for d in self.makeup_working_days if d.year == y}
            cached = self._years[y] = (off, frozenset(makeup - off.keys()))
        return cached

    def day_off_reason(self, d: date) -> str | None:
        """Why ``d`` is not a working day (holiday name in Vietnamese, "Thứ Bảy", "Chủ nhật",
        "Nghỉ bù/ngày nghỉ thêm"), or None if it is a working day."""
        off, makeup = self._year(d.year)
        if d in off:
            return off[d]
        if d in makeup:
            return None
        return _WEEKEND.get(d.weekday())

    def is_working_day(self, d: date) -> bool:
        """True if ``d`` is a working day."""
        known = self._working.get(d)
        if known is None:
            off, makeup = self._year(d.year)
            known = self._working[d] = d not in off and (d in makeup or d.weekday() < 5)
        return known

    def next_working_day(self, d: date) -> date:
        """``d`` itself if it is a working day, else the first working day after it."""
        while not self.is_working_day(d):
            d += _ONE
        return d

    def add_working_days(self, d: date, n: int) -> date:
        """The n-th working day strictly after ``d`` (n > 0) or before it (n < 0); d if n == 0."""
        step = _ONE if n > 0 else -_ONE
        for _ in range(abs(n)):
            d += step
            while not self.is_working_day(d):
                d += step
        return d

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in (start, end]; minus those in (end, start] if end < start."""
        if end < start:
            return -self.working_days_between(end, start)
        count = self._through(end) - self._through(start)
        for year in range(start.year, end.year):  # whole years between: each one's last day
            count += self._through(date(year, 12, 31))
        return count

    def _through(self, d: date) -> int:
        """Working days from 1 January of ``d``'s year to ``d``, inclusive (a running count per
        year, built once from is_working_day)."""
        counted = self._counted.get(d.year)
        if counted is None:
            counted, running, day = [], 0, date(d.year, 1, 1)
            while day.year == d.year:
                running += self.is_working_day(day)
                counted.append(running)
                if day == date.max:
                    break
                day += _ONE
            self._counted[d.year] = counted
        return counted[d.timetuple().tm_yday - 1]

    def effective_due(self, d: date) -> date:
        """Bộ luật Dân sự 2015, Điều 148 khoản 5: a due day that is a day off moves to the next
        working day (when ``roll_forward``); otherwise ``d``."""
        return self.next_working_day(d) if self.roll_forward else d


def _dates(path: Path, key: str, value: Any, year: int) -> list[date]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise CalendarFileError(f"{path}: {key} must be a list of dates (YYYY-MM-DD)")
    out = []
    for i, item in enumerate(value):
        try:
            d = date.fromisoformat(item) if isinstance(item, str) else item
        except ValueError:
            d = None
        if type(d) is not date:
            raise CalendarFileError(f"{path}: {key}[{i}]: {item!r} is not a date (YYYY-MM-DD)")
        if d.year != year:
            raise CalendarFileError(f"{path}: {key}[{i}]: {d.isoformat()} is not in {year}")
        out.append(d)
    return out


_PARSED = ParsedFiles(lambda path, content, _sha: WorkCalendar._from_bytes(path, content))


@cache
def default_calendar() -> WorkCalendar:
    """The shipped calendar (:meth:`WorkCalendar.default`), loaded once per process: what every
    surface counts working days by unless given another."""
    return WorkCalendar.default()
