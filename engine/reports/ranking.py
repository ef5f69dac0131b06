"""Agencies ranked as the chair asks: the most overdue work first, then the lowest on-time rate
of the plan year, then of the year before.

The on-time and report-timeliness rates are those of engine.reports.rates over the plan year, of
the roles the caller reads (the leaders' page: the roles the leaders are told of, the policy's
leader roles, so they may differ from the secretariat's rates page, which counts every role), and
the on-time rate of the year before beside them: the chair's "is it getting better?", and in the
first weeks of a year, before much of it has fallen due, the only rate there is. The overdue count
is the board's, now (every open task past due, of any year, not before tracking), or of the same
roles (``overdue``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from dondoc.engine.reports.rates import AgencyRates
from dondoc.engine.services.web_queries import AgencyRow
from dondoc.engine.textfold import vi_sort_key


@dataclass(frozen=True)
class RankedAgency:
    """One body's row: its overdue work now and its rates of the year and the year before, each
    with the counts it rests on (a rate of 0 % or 100 % on a single task broke ties unsaid)."""

    rank: int
    code: str
    name: str
    overdue: int  # open work past due now (the board's count)
    year: AgencyRates  # this year's, due by now (an empty one when nothing is due)
    previous: AgencyRates  # the year before's, judged now


def agency_ranking(
    rows: list[AgencyRow],
    rates: list[AgencyRates],
    overdue: Mapping[str, int] | None = None,
    previous: list[AgencyRates] | None = None,
) -> list[RankedAgency]:
    """Every agency with work assigned that still exists, worst first: overdue work, then on-time
    rate (none due: after those with one), then the year before's (``previous``; none: after
    those with one), then name (a body that ended is ranked nowhere: the pages name it apart,
    web_queries.ended_bodies). ``overdue`` (by code) counts what each body owes when the leaders are told
    of some roles only (engine.escalation.policy.leader_roles); else the board's count."""
    by_code = {r.agency_code: r for r in rates}
    earlier = {r.agency_code: r for r in previous or ()}

    def before(code: str) -> float | None:
        return earlier[code].on_time_rate if code in earlier else None

    def late(row: AgencyRow) -> int:
        return row.overdue if overdue is None else overdue.get(row.code, 0)

    def key(row: AgencyRow) -> tuple[int, float, float, tuple[tuple[int, ...], tuple[int, ...]]]:
        rate = by_code[row.code].on_time_rate if row.code in by_code else None
        last = before(row.code)
        return (-late(row), 2.0 if rate is None else rate, 2.0 if last is None else last, vi_sort_key(row.name))

    ranked = []
    for index, row in enumerate(sorted((r for r in rows if r.assigned and r.ended_on is None), key=key), start=1):
        ranked.append(
            RankedAgency(
                rank=index,
                code=row.code,
                name=row.name,
                overdue=late(row),
                year=by_code.get(row.code) or AgencyRates(row.code, row.name),
                previous=earlier.get(row.code) or AgencyRates(row.code, row.name),
            )
        )
    return ranked
