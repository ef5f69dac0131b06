"""The one source of time. Nothing else in dondoc reads the system clock.

Services receive ``now`` from a :class:`Clock`; tests and ``--now`` replays use
:class:`FrozenClock` and move it instead of sleeping.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


class Clock(Protocol):
    """Anything that tells the current, timezone-aware time."""

    def now(self) -> datetime: ...


class SystemClock:
    """The wall clock, in the local time zone."""

    def __init__(self, tz: ZoneInfo = LOCAL_TZ) -> None:
        self.tz = tz

    def now(self) -> datetime:
        return datetime.now(self.tz)


class FrozenClock:
    """A clock that only moves when told to (tests, replays, ``--now``)."""

    def __init__(self, at: datetime) -> None:
        self._at = ensure_aware(at)

    def now(self) -> datetime:
        return self._at

    def set(self, at: datetime) -> None:
        self._at = ensure_aware(at)

    def advance(self, delta: timedelta) -> None:
        self._at = self._at + delta


def ensure_aware(value: datetime, tz: ZoneInfo = LOCAL_TZ) -> datetime:
    """Read a naive datetime as local time; keep an aware one as it is."""
    return value.replace(tzinfo=tz) if value.tzinfo is None else value


def parse_instant(text: str) -> datetime:
    """Parse ``--now`` values: an ISO date (start of that day) or datetime, local if naive."""
    try:
        if len(text) == 10:
            return datetime.combine(date.fromisoformat(text), time(0), LOCAL_TZ)
        return ensure_aware(datetime.fromisoformat(text))
    except ValueError:
        raise ValueError(f'"{text}" is not an ISO date or datetime (e.g. 2022-07-01T08:00)') from None


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
