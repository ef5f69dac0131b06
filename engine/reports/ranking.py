"""Agencies ranked as the chair asks: the most overdue work first, then the lowest on-time rate
of the plan year, then of the year before, then (a tie-break) the lowest report-timeliness rate of
the plan year, then of the year before.

The on-time and report-timeliness rates are those of engine.reports.rates over the plan year, of
the roles the caller reads (the leaders' page: the roles the leaders are told of, the policy's
leader roles, so they may differ from the secretariat's rates page, which counts every role), and
the rates of the year before beside them: the chair's "is it getting better?", and in the first
weeks of a year, before much of it has fallen due, the only rates there are. The overdue count is
the board's, now (every open task past due, of any year, not before tracking), or of the same
roles (``overdue``).

A rate a body does not have (nothing of it due) is read as nothing late: after every lower rate,
level with 100 % (a body whose work was all on time is never placed worse than one with nothing
due); bodies equal in every figure share a rank, listed by name.

Only a body with something to compare is ranked: overdue work, or a task or report rate of the
year or the year before, in the roles read. The others follow without a rank, by name (a number
after every body with a record had put a body with nothing due "worse" than bodies whose reports
were late); a body that holds no work in the roles read (a partner only, on a page that reads the
leads and implementers) is named apart, neither ranked nor listed as waiting.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from dondoc.engine.reports.rates import AgencyRates
from dondoc.engine.services.web_queries import AgencyRow
from dondoc.engine.status import Category
from dondoc.engine.textfold import vi_sort_key


@dataclass(frozen=True)
class RankedAgency:
    """One body's row: its overdue work now and its rates of the year and the year before, each
    with the counts it rests on (a rate of 0 % or 100 % on a single task broke ties unsaid)."""

    rank: int | None  # None: nothing to compare yet (Ranking.unranked)
    code: str
    name: str
    overdue: int  # open work past due now (the board's count)
    year: AgencyRates  # this year's, due by now (an empty one when nothing is due)
    previous: AgencyRates  # the year before's, judged now

    @property
    def compared(self) -> bool:
        """Whether it has anything to rank it by: overdue work, or a rate of either year."""
        year, before = self.year, self.previous
        rates = (year.on_time_rate, year.report_timeliness_rate, before.on_time_rate, before.report_timeliness_rate)
        return bool(self.overdue) or any(rate is not None for rate in rates)


def _as_rated(rate: float | None) -> float:
    """A rate as the order reads it: none (nothing due) is nothing late, level with 100 %: below
    every lower rate, never below a body whose work was all on time (2022's Sở TT&TT, 2/2 on time,
    had ranked worst of 11 bodies with one overdue report each and no task due)."""
    return 1.0 if rate is None else rate


def standing(r: RankedAgency) -> tuple[float, ...]:
    """What ranks a body, worst first: its overdue work (the most first), then the lowest on-time
    rate of the year, of the year before, then the lowest report-timeliness rate of each. Bodies
    equal in all of these share a rank (the page lists them by name)."""
    year, before = r.year, r.previous
    rates = (year.on_time_rate, before.on_time_rate, year.report_timeliness_rate, before.report_timeliness_rate)
    return (-r.overdue, *(_as_rated(rate) for rate in rates))


@dataclass(frozen=True)
class Ranking:
    ranked: list[RankedAgency]  # worst first, numbered from 1, equals sharing a number
    unranked: list[RankedAgency] = field(default_factory=list)  # work in the roles read, none due: by name
    outside_roles: list[str] = field(default_factory=list)  # names of bodies holding none of the roles read


def agency_ranking(
    rows: list[AgencyRow],
    rates: list[AgencyRates],
    overdue: Mapping[str, int] | None = None,
    previous: list[AgencyRates] | None = None,
    holders: set[str] | None = None,
) -> Ranking:
    """Every agency with work assigned that still exists (a body that ended is ranked nowhere: the
    pages name it apart, web_queries.ended_bodies): those with something to compare worst first
    (:func:`standing`: overdue work, then each year's on-time rate, then each year's report rate, no
    rate read as nothing late), equals sharing a rank, listed by name; the others after, unranked.
    ``overdue`` (by code) counts what each body owes when the leaders are told of some roles only
    (engine.escalation.policy.leader_roles), else the board's count; ``holders``, then, the codes of
    the bodies holding work in those roles."""
    by_code = {r.agency_code: r for r in rates}
    earlier = {r.agency_code: r for r in previous or ()}
    listed = [
        RankedAgency(
            rank=None,
            code=row.code,
            name=row.name,
            overdue=row.overdue if overdue is None else overdue.get(row.code, 0),
            year=by_code.get(row.code) or AgencyRates(row.code, row.name),
            previous=earlier.get(row.code) or AgencyRates(row.code, row.name),
        )
        for row in rows
        # work followed, or only work due before the tracking start (never overdue, in no rate): such a
        # body is named unranked or apart, not left off the page (the 2022 replay's VNPT Quảng Ngãi)
        if (row.assigned or row.counts.get(Category.BEFORE_TRACKING.value)) and row.ended_on is None
    ]

    compared = sorted((r for r in listed if r.compared), key=lambda r: (standing(r), vi_sort_key(r.name)))
    rest = sorted((r for r in listed if not r.compared), key=lambda r: vi_sort_key(r.name))
    ranks: list[int] = []
    for index, r in enumerate(compared):  # equals share a rank: "1, 1, 3"
        tied = index and standing(compared[index - 1]) == standing(r)
        ranks.append(ranks[-1] if tied else index + 1)
    return Ranking(
        ranked=[
            RankedAgency(rank, r.code, r.name, r.overdue, r.year, r.previous)
            for rank, r in zip(ranks, compared, strict=True)
        ],
        unranked=[r for r in rest if holders is None or r.code in holders],
        outside_roles=[r.name for r in rest if holders is not None and r.code not in holders],
    )
