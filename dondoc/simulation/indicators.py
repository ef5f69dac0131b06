"""Agencies report indicator actuals in a replay: at the half-year and the year end, seeded.

Each agency that answers for an indicator (engine.services.indicators.answers) reports, for
``YYYY-H1`` on a working day of 20–30 June and for ``YYYY`` on one of 20–31 December, a value
drawn around its target (most near it, some short of it, a few beyond). About one agency in
ten stays silent for a period; about one report in thirty is a slip (a percentage over 100)
that the service refuses, and the agency sends the corrected figure an hour later.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy.engine import Engine
from sqlmodel import col, select

from dondoc.engine.actors import Actor
from dondoc.engine.clock import LocalDays
from dondoc.engine.db import transaction
from dondoc.engine.errors import DomainError
from dondoc.engine.models import Agency, Indicator
from dondoc.engine.services.indicators import Answer, Target, answers_of, report_actual
from dondoc.engine.workcalendar import WorkCalendar

WINDOWS = {6: ("H1", 20, 30), 12: ("", 20, 31)}  # month -> (period suffix, first day, last day)
SILENT_SHARE, SLIP_SHARE = 0.10, 1 / 30


@dataclass
class ActualStats:
    recorded: int = 0
    refused: int = 0


def _period(day: date) -> tuple[str, list[date]] | None:
    """The period reported around ``day`` and its window of days, or None outside the windows."""
    window = WINDOWS.get(day.month)
    if window is None or not window[1] <= day.day <= window[2]:
        return None
    suffix, first, last = window
    code = f"{day.year}-{suffix}" if suffix else str(day.year)
    return code, [date(day.year, day.month, d) for d in range(first, last + 1)]


def _value(rng: random.Random, target: Target, unit: str, half_year: bool) -> float:
    base = (target[0] if isinstance(target, tuple) else target) or 50.0
    share = rng.choice([rng.uniform(0.95, 1.2), rng.uniform(0.95, 1.2), rng.uniform(0.8, 1.0), rng.uniform(0.4, 0.8)])
    value = base * share * (rng.uniform(0.8, 0.95) if half_year else 1.0)
    if unit.strip() == "%":
        value = min(100.0, value)
    return round(value, 1) if unit.strip() == "%" else float(round(value))


def report_day(engine: Engine, day: date, *, seed: int, calendar: WorkCalendar, local: LocalDays) -> ActualStats:
    """Record the actuals the agencies send on ``day`` (nothing outside the two windows)."""
    stats = ActualStats()
    found = _period(day)
    if found is None:
        return stats
    period, window = found
    working = [d for d in window if calendar.is_working_day(d)] or window
    with transaction(engine) as session:
        codes = {a.id: a.code for a in session.exec(select(Agency))}
        indicators = session.exec(select(Indicator).order_by(col(Indicator.id))).all()
        answered = answers_of(session, indicators)
        work = [(i.id, i.name, i.unit, a) for i in indicators for a in answered[i.id or 0]]
    for indicator_id, _name, unit, answer in work:
        rng = random.Random(f"{seed}:actual:{indicator_id}:{answer.agency_id}:{answer.scope}:{period}")
        if rng.random() < SILENT_SHARE or rng.choice(working) != day:
            continue
        at = local.at(day, rng.randint(8, 15), rng.randint(0, 59))
        value = _value(rng, answer.target, unit, period.endswith("H1"))
        if unit.strip() == "%" and rng.random() < SLIP_SHARE:
            _send(engine, stats, answer, codes[answer.agency_id], period, value + 100, at)  # refused
            at += timedelta(hours=1)
        _send(engine, stats, answer, codes[answer.agency_id], period, value, at)
    return stats


def _send(
    engine: Engine, stats: ActualStats, answer: Answer, agency: str, period: str, value: float, at: datetime
) -> None:
    try:
        with transaction(engine) as session:
            report_actual(
                session,
                indicator_id=answer.indicator_id,
                agency_code=agency,
                period_code=period,
                value=value,
                note="Số liệu mô phỏng",
                actor=Actor.agency(agency),
                now=at,
                scope=answer.scope,
            )
        stats.recorded += 1
    except DomainError:
        stats.refused += 1
