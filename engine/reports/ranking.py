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
    previous_on_time_rate: float | None = None  # the year before's, judged now
    previous_tasks_given_late: int = 0  # the year before's work given after its date: not in its rate
    # the year before's periodic reports sent on time, judged now (a body 100 % on its tasks of that
    # year had not sent that year's annual report: the tasks' rate leaves reports out)
    previous_report_timeliness_rate: float | None = None


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
                previous_on_time_rate=before(row.code),
                previous_tasks_given_late=earlier[row.code].tasks_given_late if row.code in earlier else 0,
                previous_report_timeliness_rate=(
                    earlier[row.code].report_timeliness_rate if row.code in earlier else None
                ),
            )
        )
    return ranked
