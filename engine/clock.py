"""The one source of time. Nothing else in dondoc reads the system clock.

Services receive ``now`` from a :class:`Clock`, and the zone whose days count (a clock, or
:class:`LocalDays` built from ``Settings.tz`` at the edge); tests and ``--now`` replays use
:class:`FrozenClock` and move it instead of sleeping.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")  # the default zone (Settings.timezone); code asks a clock or LocalDays


class LocalDays:
    """Where the days of one time zone begin and end. A clock is one; code with no clock at
    hand builds one from the configured zone (``LocalDays(settings.tz)``) at the edge."""

    def __init__(self, tz: ZoneInfo = LOCAL_TZ) -> None:
        self.tz = tz

    def start_of_day(self, day: date) -> datetime:
        """00:00 local time on ``day``."""
        return start_of_day(day, self.tz)

    def end_of_day(self, day: date) -> datetime:
        """A due date ends at 23:59:59 local time."""
        return end_of_day(day, self.tz)

    def local_date(self, instant: datetime) -> date:
        """The calendar day an instant falls on here."""
        return local_date(instant, self.tz)

    def at(self, day: date, hour: int, minute: int = 0) -> datetime:
        """``hour:minute`` local time on ``day``."""
        return datetime.combine(day, time(hour, minute), self.tz)


DEFAULT_DAYS = LocalDays()  # for callers that pass no zone (tests); the edges pass the configured one


class Clock(LocalDays, ABC):
    """Anything that tells the current, timezone-aware time; its days are those of its zone."""

    @abstractmethod
    def now(self) -> datetime: ...


class SystemClock(Clock):
    """The wall clock, in the configured time zone."""

    def now(self) -> datetime:
        return datetime.now(self.tz)


class FrozenClock(Clock):
    """A clock that only moves when told to (tests, replays, ``--now``); a naive time is local."""

    def __init__(self, at: datetime, tz: ZoneInfo = LOCAL_TZ) -> None:
        super().__init__(tz)
        self._at = ensure_aware(at, tz)

    def now(self) -> datetime:
        return self._at

    def set(self, at: datetime) -> None:
        self._at = ensure_aware(at, self.tz)

    def advance(self, delta: timedelta) -> None:
        self._at = self._at + delta


def ensure_aware(value: datetime, tz: ZoneInfo = LOCAL_TZ) -> datetime:
    """Read a naive datetime as local time; keep an aware one as it is."""
    return value.replace(tzinfo=tz) if value.tzinfo is None else value


# The years a plan's dates, its report periods, a succession and ``--now`` may fall in: one rule for
# the catalog, the importer, the forms and the CLI ("31/12/9999" was a slip, and the sweep's day
# arithmetic then overflowed; year 0 or 1 had no day before it).
FIRST_YEAR, LAST_YEAR = 1900, 2100


def parse_instant(text: str, tz: ZoneInfo = LOCAL_TZ) -> datetime:
    """Parse ``--now`` values: an ISO date (start of that day) or datetime, in ``tz`` if naive."""
    try:
        if len(text) == 10:
            instant = start_of_day(date.fromisoformat(text), tz)
        else:
            instant = ensure_aware(datetime.fromisoformat(text), tz)
    except ValueError:
        raise ValueError(f'"{text}" không phải một ngày hoặc thời điểm ISO (ví dụ 2022-07-01T08:00)') from None
    if not FIRST_YEAR <= instant.year <= LAST_YEAR:
        raise ValueError(f'"{text}" nằm ngoài khoảng năm {FIRST_YEAR}–{LAST_YEAR}')
    return instant


def end_of_day(day: date, tz: ZoneInfo = LOCAL_TZ) -> datetime:
    """A due date ends at 23:59:59 local time."""
    return datetime.combine(day, time(23, 59, 59), tz)


def start_of_day(day: date, tz: ZoneInfo = LOCAL_TZ) -> datetime:
    """00:00 local time on ``day``."""
    return datetime.combine(day, time(0, 0), tz)


def local_date(instant: datetime, tz: ZoneInfo = LOCAL_TZ) -> date:
    """The calendar day an instant falls on in the local time zone."""
    return instant.astimezone(tz).date()


def utc(instant: datetime) -> datetime:
    return instant.astimezone(UTC)
