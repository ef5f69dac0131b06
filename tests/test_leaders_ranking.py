"""The leaders' ranking (engine/reports/ranking.py): only a body with something to compare has a
rank, report timeliness breaks ties after the task rates, and a body holding none of the roles read
is named apart."""

from __future__ import annotations

from dondoc.engine.reports.ranking import agency_ranking
from dondoc.engine.reports.rates import AgencyRates
from dondoc.engine.services.web_queries import AgencyRow
from dondoc.engine.status import Category


def _row(code: str, overdue: int = 0) -> AgencyRow:
    return AgencyRow(
        code=code,
        name=code.upper(),
        counts={},
        assigned=3,
        done_on_time=0,
        done_late=0,
        overdue=overdue,
        on_time_rate=None,
    )


def _rates(code: str, tasks: tuple[int, int] = (0, 0), reports: tuple[int, int] = (0, 0)) -> AgencyRates:
    return AgencyRates(
        code,
        code.upper(),
        tasks_on_time=tasks[0],
        tasks_due=tasks[1],
        reports_on_time=reports[0],
        reports_due=reports[1],
    )


def test_only_bodies_with_something_to_compare_are_ranked_and_reports_break_ties() -> None:
    """2025: ranks 6–40 were in name order, so "Báo Quảng Ngãi" (nothing due) ranked 6th, "worse"
    than Sở NN&MT (21st), whose 2025 reports were late (0,0 %); and BHXH tỉnh, a partner only, was
    ranked on a page that reads the leads' and implementers' work."""
    rows = [_row(code) for code in ("a-late-reports", "b-good", "c-nothing-due", "d-partner", "e-last-year", "f-late")]
    this_year = [_rates("a-late-reports", (1, 2), (0, 1)), _rates("b-good", (1, 2), (1, 1))]
    last_year = [_rates("e-last-year", reports=(0, 2))]
    holders = {"a-late-reports", "b-good", "c-nothing-due", "e-last-year", "f-late"}
    ranking = agency_ranking(rows, this_year, {"f-late": 2}, last_year, holders)
    assert [(r.rank, r.code) for r in ranking.ranked] == [
        (1, "f-late"),  # overdue work first
        (2, "a-late-reports"),  # equal tasks' rates: its reports were late
        (3, "b-good"),
        (4, "e-last-year"),  # no rate this year, the year before's reports late
    ]
    assert [(r.rank, r.code) for r in ranking.unranked] == [(None, "c-nothing-due")]
    assert ranking.outside_roles == ["D-PARTNER"]
    # every role read (no holders given): a body with nothing to compare is listed, unranked, not apart
    every = agency_ranking(rows, this_year, {"f-late": 2}, last_year)
    assert [r.code for r in every.unranked] == ["c-nothing-due", "d-partner"] and not every.outside_roles


def test_a_body_with_all_its_work_on_time_is_never_placed_worse_than_one_with_nothing_due() -> None:
    """30/03/2022: eleven bodies, one overdue report each (0,0 % (0/1)); Sở TT&TT ranked 1st, the
    worst, only for its 100 % (2/2) on its tasks: no rate sorted after every rate. No rate is
    nothing late: after a lower rate, level with 100 %; bodies equal in every figure share a rank."""
    codes = ("a-none", "b-half", "c-none", "s-all-on-time", "z-none")
    rows = [_row(code, overdue=1) for code in codes]
    this_year = [_rates(code, reports=(0, 1)) for code in codes]
    this_year[1] = _rates("b-half", (1, 2), (0, 1))
    this_year[3] = _rates("s-all-on-time", (2, 2), (0, 1))
    ranking = agency_ranking(rows, this_year)
    assert [(r.rank, r.code) for r in ranking.ranked] == [
        (1, "b-half"),  # the only lower rate
        (2, "a-none"),  # the others equal: one rank, by name
        (2, "c-none"),
        (2, "s-all-on-time"),
        (2, "z-none"),
    ]
    # a body's late reports still weigh where its tasks' rates are level
    this_year[0] = _rates("a-none", reports=(1, 1))
    ranked = agency_ranking(rows, this_year).ranked
    assert [(r.rank, r.code) for r in ranked][-1] == (5, "a-none")


def test_a_body_whose_only_work_is_due_before_the_tracking_start_is_named_not_dropped() -> None:
    """The 2022 replay's page named VNPT Quảng Ngãi and Cục THH nowhere: their only parts were a
    partner's, due before tracking began (01/06/2022), so the board's "Được giao" counted none and the
    ranking dropped them. Such a body is named apart (a partner only) or unranked (a lead part of
    2019, never overdue here); a body with no work at all is still left off."""
    backlog_lead, backlog_partner, nothing = (_row(code) for code in ("cuc-thue", "vnpt-qn", "none"))
    for row in (backlog_lead, backlog_partner, nothing):
        row.assigned = 0
    backlog_lead.counts = backlog_partner.counts = {Category.BEFORE_TRACKING.value: 2}
    ranking = agency_ranking([backlog_lead, backlog_partner, nothing], [], None, [], {"cuc-thue"})
    assert [r.code for r in ranking.unranked] == ["cuc-thue"] and ranking.outside_roles == ["VNPT-QN"]
    assert not ranking.ranked
