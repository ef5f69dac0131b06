"""A past period's report and rates say what was true at its cut-off, from the history, whatever
happened since: a report sent within the period and returned after it is still sent in it (it read
"Chưa báo cáo" once the return cleared the row's report time), and work late at the cut-off and
extended afterwards is still late in it (the row's new date had moved it out of the period)."""

from __future__ import annotations

import io
from dataclasses import asdict
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import update
from sqlmodel import Session, col

from dondoc.engine.actors import SECRETARIAT, Actor
from dondoc.engine.clock import LOCAL_TZ
from dondoc.engine.models import Milestone
from dondoc.engine.reports import agency_rates, build_report, history, render
from dondoc.engine.reports.data import ReportData
from dondoc.engine.services.assignments import Request, act
from dondoc.engine.workflow import Action
from tests.factories import assignment_for, load_min_catalog
from tests.support.catalogs import QUARTERLY, report_catalog

LOADED = datetime(2022, 3, 2, 8, 0, tzinfo=LOCAL_TZ)
AFTER_Q1 = datetime(2022, 4, 10, 9, 0, tzinfo=LOCAL_TZ)
TASK = "99/KH-TEST:II.1"


def _at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=LOCAL_TZ)


def _do(session: Session, assignment_id: int, action: Action, actor: Actor, at: datetime, **kw: Any) -> None:
    act(session, assignment_id, Request(action, actor, comment="Nội dung.", **kw), now=at)
    session.commit()


def _report(session: Session, agency: str, day: date) -> int:
    target = assignment_for(session, QUARTERLY, agency, seq=1).id or 0
    _do(session, target, Action.ACKNOWLEDGE, Actor.agency(agency), LOADED)
    _do(session, target, Action.REPORT, Actor.agency(agency), _at(day))
    return target


def _figures(data: ReportData) -> dict[str, Any]:
    """Everything the report judges, but when it was generated."""
    return {
        "totals": data.totals,
        "by_plan": data.by_plan,
        "by_agency": [asdict(row) for row in data.by_agency],
        "overdue": data.overdue,
        "duties": data.duties,
        "given_late": data.given_late,
    }


@pytest.fixture
def quarter(session: Session, tmp_path: Path) -> Session:
    """Q1 2022, its quarterly report due 20/03: Sở Nội vụ reports on 18/03, UBND Bình Sơn on 25/03."""
    load_min_catalog(session, LOADED, report_catalog(tmp_path, cutoff=False))
    _report(session, "so-noi-vu", date(2022, 3, 18))
    _report(session, "ubnd-binh-son", date(2022, 3, 25))
    return session


@pytest.mark.parametrize("bound", ["ids", "subquery"])
def test_a_report_returned_after_the_period_is_still_sent_in_it(
    quarter: Session, bound: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if bound == "subquery":  # more rows rewritten since than a statement binds: selected by a subquery
        monkeypatch.setattr(history, "_BOUND", 0)
    # returned within the period and not sent again by its end: not sent, as the period reads it
    # while it runs (its cut-off is now) and once it has ended
    ly_son = _report(quarter, "ubnd-ly-son", date(2022, 3, 21))
    _do(quarter, ly_son, Action.RETURN, SECRETARIAT, _at(date(2022, 3, 27)))
    running = build_report(quarter, period_code="2022-Q1", now=_at(date(2022, 3, 28)))
    assert {d.agency_code: (d.status, d.reported_at) for d in running.duties}["ubnd-ly-son"] == ("missing", None)
    before = build_report(quarter, period_code="2022-Q1", now=AFTER_Q1)
    assert {d.agency_code: d.status for d in before.duties} == {
        "ubnd-binh-son": "late",
        "ubnd-ly-son": "missing",
        "vp-ubnd": "missing",
    }
    # after the quarter: both reports sent in it are returned; Sở Nội vụ sends its own again
    noi_vu = assignment_for(quarter, QUARTERLY, "so-noi-vu", seq=1).id or 0
    binh_son = assignment_for(quarter, QUARTERLY, "ubnd-binh-son", seq=1).id or 0
    for target in (noi_vu, binh_son):
        _do(quarter, target, Action.RETURN, SECRETARIAT, _at(date(2022, 4, 5)))
    _do(quarter, noi_vu, Action.REPORT, Actor.agency("so-noi-vu"), _at(date(2022, 4, 8)))
    after = build_report(quarter, period_code="2022-Q1", now=AFTER_Q1)
    # the quarter reads as it did before: Sở Nội vụ on time, Bình Sơn late (sent 25/03, not "chưa báo cáo")
    assert _figures(after) == _figures(before)
    late = next(d for d in after.duties if d.agency_code == "ubnd-binh-son")
    assert (late.status, late.reported_at) == ("late", _at(date(2022, 3, 25)))
    rates = {
        r.agency_code: r for r in agency_rates(quarter, start=date(2022, 1, 1), end=date(2022, 3, 31), now=AFTER_Q1)
    }
    assert (rates["so-noi-vu"].reports_on_time, rates["so-noi-vu"].reports_missing) == (1, 0)
    assert (rates["ubnd-binh-son"].reports_late, rates["ubnd-binh-son"].reports_missing) == (1, 0)
    markdown = render(after, "md").decode()
    assert markdown == render(before, "md").decode()  # every figure and line as it read before
    duties = markdown.split("## IV.", 1)[1].split("## V.", 1)[0]
    assert "| UBND huyện Bình Sơn |" in duties and "Báo cáo trễ hạn" in duties and "Sở Nội vụ" not in duties
    # the workbook as section IV: Bình Sơn sent late on 25/03; Sở Nội vụ on time, not listed
    reports = list(load_workbook(io.BytesIO(render(after, "xlsx")))["Báo cáo định kỳ"].iter_rows(values_only=True))
    at = {name: reports[0].index(name) for name in ("Cơ quan", "Tình trạng", "Ngày gửi")}
    states = {(r[at["Cơ quan"]], r[at["Tình trạng"]], r[at["Ngày gửi"]]) for r in reports[1:] if r[at["Cơ quan"]]}
    assert ("UBND huyện Bình Sơn", "Báo cáo trễ hạn", datetime(2022, 3, 25)) in states
    assert not any(name == "Sở Nội vụ" for name, *_ in states), states
    # and neither is overdue on the sheet of section V: both had sent theirs by the quarter's end
    overdue = list(load_workbook(io.BytesIO(render(after, "xlsx")))["Quá hạn"].iter_rows(min_row=2, values_only=True))
    assert overdue and not {r[4] for r in overdue} & {"UBND huyện Bình Sơn", "Sở Nội vụ"}, overdue


def test_work_late_at_the_cut_off_and_extended_after_it_is_late_in_the_period(quarter: Session) -> None:
    """VP UBND's part of II.1, due 30/06 and not done, extended on 05/07 to 29/07: the first half's
    report asked in August no longer counted it, nor listed it overdue (its row's date is July's)."""
    part = assignment_for(quarter, TASK, "vp-ubnd", seq=1).id or 0
    august = _at(date(2022, 8, 10))
    before = build_report(quarter, period_code="2022-H1", now=august)
    assert any(o.agency_code == "vp-ubnd" and o.item_code == TASK for o in before.overdue)
    _do(quarter, part, Action.EXTEND, SECRETARIAT, _at(date(2022, 7, 5)), due=date(2022, 7, 29))
    after = build_report(quarter, period_code="2022-H1", now=august)
    assert _figures(after) == _figures(before)
    row = next(o for o in after.overdue if o.agency_code == "vp-ubnd" and o.item_code == TASK)
    assert row.due_date == date(2022, 6, 30)
    half = {r.agency_code: r for r in agency_rates(quarter, start=date(2022, 1, 1), end=date(2022, 6, 30), now=august)}
    assert half["vp-ubnd"].tasks_overdue == next(r for r in before.by_agency if r.code == "vp-ubnd").rates.tasks_overdue
    # while the half-year ran, the date then in force is read as it is now: nothing to replay
    running = build_report(quarter, period_code="2022-H1", now=_at(date(2022, 6, 30), 9))
    assert not any(o.agency_code == "vp-ubnd" and o.item_code == TASK for o in running.overdue)  # due that evening


def test_work_waiting_at_the_cut_off_for_a_condition_met_after_it_waits_in_the_period(quarter: Session) -> None:
    """VP UBND's part of II.1 waits for its precondition from 20/06; the condition is met on 05/07:
    the first half's report asked in August had counted it overdue at 30/06 (its row waits no more)."""
    part = assignment_for(quarter, TASK, "vp-ubnd", seq=1)
    quarter.execute(
        update(Milestone).where(col(Milestone.id) == part.milestone_id).values(condition="Khi có hướng dẫn")
    )
    quarter.commit()
    _do(quarter, part.id or 0, Action.AWAIT_CONDITION, SECRETARIAT, _at(date(2022, 6, 20)))
    august = _at(date(2022, 8, 10))
    before = build_report(quarter, period_code="2022-H1", now=august)
    assert not any(o.agency_code == "vp-ubnd" and o.item_code == TASK for o in before.overdue)
    _do(quarter, part.id or 0, Action.CONDITION_MET, SECRETARIAT, _at(date(2022, 7, 5)))
    after = build_report(quarter, period_code="2022-H1", now=august)
    assert _figures(after) == _figures(before)
