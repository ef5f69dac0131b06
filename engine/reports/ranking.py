"""Agencies ranked as the chair asks: the most overdue work first, then the lowest on-time rate.

The on-time and report-timeliness rates are the province's published figures over the plan year
(engine.reports.rates); the overdue count is the board's, now (every open task past due, of any
year, not before tracking).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from dondoc.engine.reports.rates import AgencyRates
from dondoc.engine.services.web_queries import AgencyRow
from dondoc.engine.textfold import vi_sort_key


@dataclass(frozen=True)
class RankedAgency:
    rank: int
    code: str
    name: str
    overdue: int  # open work past due now (the board's count)
    tasks_due: int  # this year's tasks due by now (the rate's denominator)
    on_time_rate: float | None  # this year's: reported on time / due
    report_timeliness_rate: float | None
    # this year's tasks due by now but given after their own date, not done on time: not in the rate
    # (the page says so beside a rate of 100 % next to work overdue)
    tasks_given_late: int = 0


def agency_ranking(
    rows: list[AgencyRow], rates: list[AgencyRates], overdue: Mapping[str, int] | None = None
) -> list[RankedAgency]:
    """Every agency with work assigned that still exists, worst first: overdue work, then on-time
    rate (none due: last), then name (a body that ended is ranked nowhere: the pages name it apart,
    web_queries.ended_bodies). ``overdue`` (by code) counts what each body owes when the leaders are told
    of some roles only (engine.escalation.policy.leader_roles); else the board's count."""
    by_code = {r.agency_code: r for r in rates}

    def late(row: AgencyRow) -> int:
        return row.overdue if overdue is None else overdue.get(row.code, 0)

    def key(row: AgencyRow) -> tuple[int, float, tuple[tuple[int, ...], tuple[int, ...]]]:
        rate = by_code[row.code].on_time_rate if row.code in by_code else None
        return (-late(row), 2.0 if rate is None else rate, vi_sort_key(row.name))

    ranked = []
    for index, row in enumerate(sorted((r for r in rows if r.assigned and r.ended_on is None), key=key), start=1):
        rate = by_code.get(row.code)
        ranked.append(
            RankedAgency(
                rank=index,
                code=row.code,
                name=row.name,
                overdue=late(row),
                tasks_due=rate.tasks_due if rate else 0,
                on_time_rate=rate.on_time_rate if rate else None,
                report_timeliness_rate=rate.report_timeliness_rate if rate else None,
                tasks_given_late=rate.tasks_given_late if rate else 0,
            )
        )
    return ranked
