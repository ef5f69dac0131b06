"""The chair's trend, and the year before's rates, without recounting the whole history on every page view.

A week gone by keeps its counts while the history does not change: events are append-only and a
live database never takes one dated in the past, so the past weeks are kept per history
fingerprint (engine.reports.trend.history_fingerprint) and recomputed when it changes — and at
least every ``max_age`` of clock time, for what the fingerprint sums up only roughly (a catalog
moving a start date). The point for the week under way is the board's own overdue count now, and
the work done on time as a rate counts it (engine.reports.counted.done_on_time). The year
before's on-time rates (the ranking's "is it getting better?") are kept the same way, per
fingerprint and day.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlmodel import Session

from dondoc.engine.clock import LocalDays
from dondoc.engine.reports.counted import done_on_time
from dondoc.engine.reports.history import Then
from dondoc.engine.reports.rates import AgencyRates, agency_rates
from dondoc.engine.reports.trend import TrendPoint, history_fingerprint, week_ends, weekly_trend
from dondoc.engine.services.queries import category_counts
from dondoc.engine.services.tracking import tracking_start
from dondoc.engine.services.web_queries import BoardSummary
from dondoc.engine.status import Category


@dataclass
class TrendCache:
    max_age: timedelta = timedelta(minutes=15)
    # each kept as (key, computed at, value), replaced whole (:meth:`_kept`): the past weeks …
    _weeks: tuple[tuple[Any, ...], datetime, list[TrendPoint]] | None = None
    # … and the year before's rates
    _rates: tuple[tuple[Any, ...], datetime, list[AgencyRates]] | None = None

    def points(
        self,
        session: Session,
        summary: BoardSummary,
        *,
        year: int,
        now: datetime,
        local: LocalDays,
        roles: tuple[str, ...] | None = None,
        then: Then | None = None,
    ) -> list[TrendPoint]:
        """The weeks of ``year`` ended by ``now``, then now itself (``summary``: the board at now),
        of the assignments of ``roles`` only, when given (the leaders' page counts what they are
        told of: its ranking's figures). None ends before the tracking start: a week nothing was
        followed in has no count to show (its "0 overdue" would be a figure nobody observed)."""
        ends = week_ends(year, now, local)
        past = [at for at in ends if at < now]
        # what the weeks' "done later" reads is the record known now: the same for every ``now`` of one
        # fingerprint, but at a look-back with events after it, that instant's (``then.later``)
        known = now if then is not None and then.later else None
        key = (year, roles, tuple(past), history_fingerprint(session), known)

        def count() -> list[TrendPoint]:
            if not past:
                return []
            return weekly_trend(session, year=year, now=past[-1], local=local, roles=roles, known_at=now)

        weeks: list[TrendPoint] = self._kept("_weeks", key, now, count)
        started = tracking_start(session)
        first = local.start_of_day(started) if started is not None else None
        followed = [point for point in weeks if first is None or point.at >= first]
        if not ends or ends[-1] != now or (first is not None and now < first):
            return followed
        # at a look-back, the rows rewritten since as they stood (``then``: the page's, the summary's)
        totals = summary.totals if roles is None else category_counts(session, now, roles=roles, then=then)[0].counts
        on_time = done_on_time(session, now, local=local, roles=roles, then=then)  # as a rate counts it, as past weeks
        return [*followed, TrendPoint(now, totals[Category.OVERDUE.value], on_time)]

    def year_rates(
        self, session: Session, *, year: int, now: datetime, local: LocalDays, roles: tuple[str, ...] | None = None
    ) -> list[AgencyRates]:
        """Every agency's rates over ``year`` (engine.reports.rates.agency_rates, judged at ``now``),
        for a year gone by: its work changes only with the history (a late report, an extension)
        and with the day (a date the day-off rule moved into this year passing), so they are kept
        per fingerprint and day, and recomputed when either changes or after ``max_age``."""
        key = (year, roles, local.local_date(now), history_fingerprint(session))

        def rate() -> list[AgencyRates]:
            return agency_rates(
                session, start=date(year, 1, 1), end=date(year, 12, 31), now=now, local=local, roles=roles
            )

        rates: list[AgencyRates] = self._kept("_rates", key, now, rate)
        return rates

    def _kept(self, slot: str, key: tuple[Any, ...], now: datetime, compute: Callable[[], Any]) -> Any:
        """The value kept in ``slot`` for ``key`` while under ``max_age``, else ``compute()`` kept
        there: one tuple (key, computed at, value) replaced whole, as the worker threads share it."""
        kept = getattr(self, slot)
        if kept is not None and kept[0] == key and abs(now - kept[1]) < self.max_age:
            return kept[2]
        value = compute()
        setattr(self, slot, (key, now, value))
        return value
