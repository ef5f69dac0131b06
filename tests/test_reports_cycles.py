"""Report cycles: periods, cut-off windows and due dates; each period a milestone; the ladder for reports."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import Session, select

from dondoc.engine.clock import LOCAL_TZ, FrozenClock
from dondoc.engine.escalation.sweep import sweep
from dondoc.engine.models import Milestone, PlanItem
from dondoc.engine.workcalendar import WorkCalendar
from dondoc.tasks_catalog.cycles import (
    PeriodError,
    parse_period,
    period_span,
    periods,
    periods_within,
    previous_period,
)
from dondoc.tasks_catalog.loader import CatalogInvalid, load_catalog
from dondoc.tasks_catalog.schema import ReportingEntry
from tests.factories import assignment_for, load_min_catalog
from tests.support.catalogs import QUARTERLY, report_catalog
from tests.support.sweep import POLICY, recording_enqueue


def _entry(**kw: object) -> ReportingEntry:
    values = {"code": "X:1", "title": "t", "source": "s", "reporters": ["a"], "period": "quarter"} | kw
    return ReportingEntry.model_validate(values)


def test_61_KH_UBND_cutoff_windows_of_2022() -> None:
    catalog = load_catalog()
    entry = next(r for p in catalog.plans for r in p.reporting if r.code == "61/KH-UBND:VI.bao-cao-quy")
    found = {p.code: p for p in periods(entry, plan_year=2019, until=2019)}
    windows = {
        code: (found[code].cutoff_start, found[code].cutoff_end, found[code].due)
        for code in periods_within("2022")
        if code in found
    }
    assert windows == {
        "2022-Q1": (date(2021, 12, 15), date(2022, 3, 14), date(2022, 3, 20)),  # starts in the previous year
        "2022-Q2": (date(2022, 3, 15), date(2022, 6, 14), date(2022, 6, 20)),
        "2022-Q3": (date(2022, 6, 15), date(2022, 9, 14), date(2022, 9, 20)),
        "2022-Q4": (date(2022, 9, 15), date(2022, 12, 14), date(2022, 12, 20)),
    }
    assert [found[c].label for c in ("2022-Q1", "2022-Q4")] == ["Quý I/2022", "Quý IV/2022"]
    assert (found["2022-Q1"].start, found["2022-Q1"].end) == (date(2022, 1, 1), date(2022, 3, 31))
    assert list(found)[0] == "2019-Q2" and list(found)[-1] == "2025-Q4" and len(found) == 27  # as the text says


def test_half_year_year_offsets_and_bounds() -> None:
    half = periods(
        _entry(period="half_year", due_day=20, cutoff_start_day=15, cutoff_end_day=14), plan_year=2022, until=2022
    )
    assert [(p.code, p.label, p.due, p.cutoff_start, p.cutoff_end) for p in half] == [
        ("2022-H1", "6 tháng đầu năm 2022", date(2022, 6, 20), date(2021, 12, 15), date(2022, 6, 14)),
        ("2022-H2", "6 tháng cuối năm 2022", date(2022, 12, 20), date(2022, 6, 15), date(2022, 12, 14)),
    ]
    (year,) = periods(_entry(period="year"), plan_year=2022, until=2022)
    assert (year.code, year.label, year.due, year.cutoff_start, year.cutoff_end) == (
        "2022",
        "Năm 2022",
        date(2022, 12, 31),
        date(2022, 1, 1),
        date(2022, 12, 31),
    )  # no due day: the last day; no cut-off days: the period itself
    late = periods(
        _entry(due_day=31, due_month_offset=1, first_period="2022-Q4", last_period="2023-Q1"),
        plan_year=2022,
        until=2022,
    )
    assert [p.due for p in late] == [date(2023, 1, 31), date(2023, 4, 30)]  # next month; 31 → 30 in April
    assert len(periods(_entry(), plan_year=2022, until=2023)) == 8  # no bounds: plan year … until
    with pytest.raises(PeriodError, match="not a quarter"):
        periods(_entry(first_period="2022-H1"), plan_year=2022, until=2022)
    with pytest.raises(PeriodError, match="before first_period"):
        periods(_entry(first_period="2022-Q3", last_period="2022-Q1"), plan_year=2022, until=2022)
    with pytest.raises(PeriodError, match="không hợp lệ"):
        parse_period("2022-Q5x")
    assert period_span("2022-H2") == (date(2022, 7, 1), date(2022, 12, 31))


def test_a_recurring_duty_is_one_report_item_with_a_milestone_per_period(tmp_path: Path) -> None:
    catalog = load_catalog(report_catalog(tmp_path))
    items = {i.code: i for i in catalog.plans[0].items}
    quarterly = items[QUARTERLY]
    assert quarterly.kind == "report" and set(quarterly.roles.values()) == {"implementer"}
    assert [(m.seq, m.label, m.period_code, m.deadline.due) for m in quarterly.milestones] == [
        (1, "Quý I/2022", "2022-Q1", date(2022, 3, 20)),
        (2, "Quý II/2022", "2022-Q2", date(2022, 6, 20)),
        (3, "Quý III/2022", "2022-Q3", date(2022, 9, 20)),
        (4, "Quý IV/2022", "2022-Q4", date(2022, 12, 20)),
    ]
    assert quarterly.milestones[0].deadline.start == date(2022, 1, 1)
    assert [m.period_code for m in items["99/KH-TEST:VI.bao-cao-nam"].milestones] == [
        "2022"
    ]  # no last_period: plan year


def test_a_bad_period_bound_is_a_catalog_error_with_a_line(tmp_path: Path) -> None:
    directory = report_catalog(tmp_path)
    plan = directory / "plans" / "test-plan.yaml"
    plan.write_text(
        plan.read_text(encoding="utf-8").replace('first_period: "2022-H1"', 'first_period: "2022-Q1"'), encoding="utf-8"
    )
    with pytest.raises(CatalogInvalid) as caught:
        load_catalog(directory)
    (problem,) = caught.value.problems
    assert (
        problem.code == "99/KH-TEST:VI.bao-cao-6-thang"
        and problem.line > 0
        and "not a half-year period" in problem.message
    )


def test_periods_reach_the_database(session: Session, clock: FrozenClock, tmp_path: Path) -> None:
    load_min_catalog(session, clock.now(), report_catalog(tmp_path))
    rows = session.exec(
        select(Milestone)
        .join(PlanItem, Milestone.item_id == PlanItem.id)
        .where(PlanItem.code == QUARTERLY)
        .order_by(Milestone.seq)
    ).all()
    assert [(m.period_code, m.cutoff_start, m.cutoff_end, m.due_date, m.kind) for m in rows][0] == (
        "2022-Q1",
        date(2021, 12, 15),
        date(2022, 3, 14),
        date(2022, 3, 20),
        "date",
    )
    q3 = assignment_for(session, QUARTERLY, "ubnd-ly-son", seq=3)
    assert q3.assigned_at == datetime(2022, 7, 1, tzinfo=LOCAL_TZ)  # owed from the period's start
    assert q3.due_at is not None and q3.due_at.astimezone(LOCAL_TZ).date() == date(2022, 9, 20)


def test_a_missing_quarterly_report_climbs_the_ladder(session: Session, tmp_path: Path) -> None:
    """Q2 2022 of Sở Nội vụ, never reported: reminders before 20/6, then overdue, vice-chair, chair."""
    clock = FrozenClock(datetime(2022, 6, 1, 8, 0, tzinfo=LOCAL_TZ))
    load_min_catalog(session, datetime(2022, 3, 2, 8, 0, tzinfo=LOCAL_TZ), report_catalog(tmp_path))
    target = assignment_for(session, QUARTERLY, "so-noi-vu", seq=2)
    calendar = WorkCalendar.default()
    ladder: set[tuple[str, str, date]] = set()
    while clock.now().date() <= date(2022, 7, 5):
        result = sweep(
            session, clock.now(), policy=POLICY, calendar=calendar, enqueue=recording_enqueue(session, clock.now())
        )
        session.commit()
        for decision in result.decisions:
            if decision.assignment_id == target.id:
                ladder.add((decision.kind, decision.recipient_role, clock.now().date()))
        clock.advance(timedelta(days=1))
    kinds = {(kind, role) for kind, role, _ in ladder}
    assert ("reminder", "agency") in kinds
    assert {
        ("overdue", "agency"),
        ("overdue", "secretariat"),
        ("escalation", "vice-chair"),
        ("escalation", "chair"),
    } <= kinds
    days = {(kind, role): day for kind, role, day in ladder if kind != "reminder"}
    # 20/6/2022 is a Monday: due at its end; overdue from the 21st, 3 and 7 working days later the leaders
    assert days[("overdue", "agency")] == date(2022, 6, 21)
    assert days[("escalation", "vice-chair")] == date(2022, 6, 23)
    assert days[("escalation", "chair")] == date(2022, 6, 29)


def test_the_previous_period_of_the_same_kind() -> None:
    """The periodic mail tells what its predecessor of the same kind left to come (dondoc.report_job)."""
    assert [previous_period(c) for c in ("2023-Q1", "2022-Q4", "2022-H1", "2022-H2", "2023")] == [
        "2022-Q4",
        "2022-Q3",
        "2021-H2",
        "2022-H1",
        "2022",
    ]
    assert previous_period("1900-Q1") is None and previous_period("1900") is None
