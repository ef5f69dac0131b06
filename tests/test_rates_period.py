"""Which work a period's rates count (engine.reports.rates): a date belongs to the period the text
gives it, not to the working day the day-off rule moves it to; and only work decided at the
instant judged (done, or late) counts, so a date that is the period's last instant does not."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

from sqlmodel import Session

from dondoc.engine.actors import Actor
from dondoc.engine.clock import LOCAL_TZ, FrozenClock, LocalDays
from dondoc.engine.reports.rates import agency_rates, due_rows
from dondoc.engine.services.assignments import Request, act
from dondoc.engine.workflow import Action
from tests.factories import assignment_for, load_min_catalog
from tests.support.catalogs import copy_catalog, edit

ITEM, PLAN = "99/KH-TEST:II.1", "plans/test-plan.yaml"
LOCAL = LocalDays(LOCAL_TZ)
YEAR = (date(2022, 1, 1), date(2022, 12, 31))


def _loaded(session: Session, clock: FrozenClock, tmp_path: Path) -> None:
    """The second milestone dated 31/12/2022, a Saturday: due on the next working day, 03/01/2023."""
    catalog = copy_catalog(tmp_path)
    edit(catalog, PLAN, '"trước ngày 15/11/2022"', '"trước ngày 31/12/2022"')
    load_min_catalog(session, clock.now(), catalog)


def _done(session: Session, agency: str, seq: int, at: datetime) -> int:
    target = assignment_for(session, ITEM, agency, seq).id or 0
    for action in (Action.ACKNOWLEDGE, Action.REPORT):
        act(session, target, Request(action, Actor.agency(agency), comment="Đã hoàn thành."), now=at)
        at += timedelta(minutes=5)
    session.commit()
    return target


def _rates(session: Session, period: tuple[date, date], now: datetime) -> dict[str, tuple[int, int]]:
    found = agency_rates(session, start=period[0], end=period[1], now=now, local=LOCAL)
    return {r.agency_code: (r.tasks_due, r.tasks_on_time) for r in found if r.tasks_due}


def test_a_date_the_day_off_rule_moved_past_the_year_is_the_years_work(
    session: Session, clock: FrozenClock, tmp_path: Path
) -> None:
    _loaded(session, clock, tmp_path)
    moved = assignment_for(session, ITEM, "so-noi-vu", 2)
    assert LOCAL.local_date(moved.due_at) == date(2023, 1, 3)  # the catalog moved it; the text says 31/12/2022
    done = _done(session, "so-noi-vu", 2, datetime(2022, 12, 20, 9, 0, tzinfo=LOCAL_TZ))
    year_end = LOCAL.end_of_day(date(2022, 12, 31))
    # asked on 31/12, its date is still to come: not due yet, done or not (the year's figures say it is
    # to come, with how many of those are done), as every part due later than the instant asked
    in_2022 = {r.assignment_id for r in due_rows(session, start=YEAR[0], end=YEAR[1], now=year_end, local=LOCAL)}
    assert done not in in_2022
    to_come = due_rows(session, start=YEAR[0], end=YEAR[1], now=year_end, local=LOCAL, to_come=True)
    assert done in {r.assignment_id for r in to_come}
    later = datetime(2023, 2, 1, 9, 0, tzinfo=LOCAL_TZ)
    in_2022_later = {r.assignment_id for r in due_rows(session, start=YEAR[0], end=YEAR[1], now=later, local=LOCAL)}
    assert done in in_2022_later  # left out before: its due_at is in 2023
    in_2023 = due_rows(session, start=date(2023, 1, 1), end=date(2023, 12, 31), now=later, local=LOCAL)
    assert done not in {r.assignment_id for r in in_2023}  # nor counted twice, in the year it was moved into
    # done on time, it counts for the body that did it: so-noi-vu holds the same items as vp-ubnd
    # (II.1 as implementers, II.3 as partners), and differs by that one milestone, done; vp-ubnd's,
    # open at the year's end, is not late (it has until 03/01/2023): neither for nor against it
    rates = _rates(session, YEAR, year_end)
    due, on_time = rates["vp-ubnd"]
    assert rates["so-noi-vu"] == (due, on_time)  # on 31/12, neither's moved milestone is due yet
    # nor on 02/01, the year over but the moved date to come: counted neither in the rate nor twice
    second = datetime(2023, 1, 2, 9, 0, tzinfo=LOCAL_TZ)
    assert _rates(session, YEAR, second)["so-noi-vu"] == (due, on_time)
    assert done in {
        r.assignment_id for r in due_rows(session, start=YEAR[0], end=YEAR[1], now=second, local=LOCAL, to_come=True)
    }
    assert _rates(session, YEAR, year_end - timedelta(days=1))["vp-ubnd"] == (due, on_time)
    # once its own date has passed, it is decided: so-noi-vu's on time; vp-ubnd reports on
    # 05/01/2023, late, and 2022's figures asked in February count it as the year's late work
    # (it is never 2023's)
    _done(session, "vp-ubnd", 2, datetime(2023, 1, 5, 9, 0, tzinfo=LOCAL_TZ))
    february = datetime(2023, 2, 1, 9, 0, tzinfo=LOCAL_TZ)
    assert _rates(session, YEAR, february)["so-noi-vu"] == (due + 1, on_time + 1)
    assert _rates(session, YEAR, february)["vp-ubnd"] == (due + 1, on_time)
    assert _rates(session, YEAR, year_end)["vp-ubnd"] == (due, on_time)  # asked on 31/12, still neither
    assert "vp-ubnd" not in _rates(session, (date(2023, 1, 1), date(2023, 12, 31)), february)


def test_a_date_that_is_the_periods_last_instant_is_past_once_the_period_is(
    session: Session, clock: FrozenClock, tmp_path: Path
) -> None:
    """Work due 30/06 23:59:59 and not done by the half-year's end is late in the half-year's
    rates: neither "on track" (it was judged at that very instant) nor left out."""
    load_min_catalog(session, clock.now(), copy_catalog(tmp_path))
    first_half = (date(2022, 1, 1), date(2022, 6, 30))
    judged = LOCAL.end_of_day(date(2022, 6, 30))  # the first milestone's date is this very instant
    _done(session, "so-noi-vu", 1, datetime(2022, 6, 20, 9, 0, tzinfo=LOCAL_TZ))
    rates = {r.agency_code: r for r in agency_rates(session, start=first_half[0], end=first_half[1], now=judged)}
    assert (rates["so-noi-vu"].tasks_on_time, rates["so-noi-vu"].tasks_overdue) == (2, 0)  # II.1's, and II.3's
    assert (rates["vp-ubnd"].tasks_on_time, rates["vp-ubnd"].tasks_overdue) == (1, 1)  # II.3's; II.1's open
    assert (rates["ubnd-binh-son"].tasks_due, rates["ubnd-binh-son"].tasks_overdue) == (1, 1)
    later = agency_rates(session, start=first_half[0], end=first_half[1], now=judged + timedelta(days=30))
    assert {r.agency_code: r.tasks_due for r in later} == {c: r.tasks_due for c, r in rates.items()}


def test_the_report_counts_as_the_rates_do(session: Session, clock: FrozenClock, tmp_path: Path) -> None:
    """Every figure of a report classes work at the same instant as its rates: the half-year's count
    table said "trong hạn" of a part due 30/06 that its rates counted late; and the year's report
    asked in February left out a date the day-off rule moved into January (its rates did not)."""
    from dondoc.engine.reports import build_report

    _loaded(session, clock, tmp_path)
    august = datetime(2022, 8, 1, 9, 0, tzinfo=LOCAL_TZ)
    half = build_report(session, period_code="2022-H1", now=august, local=LOCAL)
    vp = next(r for r in half.by_agency if r.code == "vp-ubnd")
    assert vp.counts["dang_thuc_hien_qua_han"] == vp.rates.tasks_overdue == 1
    listed = [o for o in half.overdue if o.agency_code == "vp-ubnd" and o.item_code == ITEM]
    assert [o.days_late for o in listed] == [0]  # its date was the half-year's last day: no day past it yet
    _done(session, "vp-ubnd", 2, datetime(2023, 1, 5, 9, 0, tzinfo=LOCAL_TZ))
    february = datetime(2023, 2, 1, 9, 0, tzinfo=LOCAL_TZ)
    year = build_report(session, period_code="2022", now=february, local=LOCAL)
    reported = next(r for r in year.by_agency if r.code == "vp-ubnd").rates
    direct = {r.agency_code: r for r in agency_rates(session, start=YEAR[0], end=YEAR[1], now=february, local=LOCAL)}
    fields = ("tasks_due", "tasks_on_time", "tasks_late", "tasks_overdue")
    assert [getattr(reported, f) for f in fields] == [getattr(direct["vp-ubnd"], f) for f in fields]
    # II.3 done at issue, 30/06's part late, and 31/12's, judged at its own date (03/01/2023): not yet reported
    assert (reported.tasks_due, reported.tasks_on_time, reported.tasks_overdue) == (3, 1, 2)


def test_work_cancelled_after_the_period_counts_as_it_stood_then(
    session: Session, clock: FrozenClock, tmp_path: Path
) -> None:
    """A past period's figures, asked again after the secretariat cancelled a part that was late at
    the period's end, are the figures of that end: the part was late then (its report, mailed then,
    counted it); cancelled by the end, it is left out as before. The report's count table and its
    rates, read at one instant, agree either way."""
    from dondoc.engine.reports import build_report

    load_min_catalog(session, clock.now(), copy_catalog(tmp_path))
    first_half = (date(2022, 1, 1), date(2022, 6, 30))
    july = datetime(2022, 7, 5, 9, 0, tzinfo=LOCAL_TZ)
    fields = ("tasks_due", "tasks_on_time", "tasks_late", "tasks_overdue")

    def figures(now: datetime) -> tuple[dict[str, list[int]], int]:
        rates = agency_rates(session, start=first_half[0], end=first_half[1], now=now, local=LOCAL)
        report = build_report(session, period_code="2022-H1", now=now, local=LOCAL)
        vp = next(r for r in report.by_agency if r.code == "vp-ubnd")
        return {r.agency_code: [getattr(r, f) for f in fields] for r in rates}, vp.counts["dang_thuc_hien_qua_han"]

    before, overdue_before = figures(july)
    assert before["vp-ubnd"][3] == overdue_before == 1  # II.1's first milestone, open past 30/06
    late = assignment_for(session, ITEM, "vp-ubnd", 1).id or 0
    secretariat = Actor.parse("secretariat")
    act(session, late, Request(Action.CANCEL, secretariat, comment="Kế hoạch điều chỉnh."), now=july)
    session.commit()
    assert figures(july + timedelta(days=10)) == (before, overdue_before)
    # asked at the period's end itself, before the cancellation: the same
    assert figures(LOCAL.end_of_day(first_half[1]))[0] == before
    # cancelled before the period's end, a part is left out of its figures
    binh_son = assignment_for(session, ITEM, "ubnd-binh-son", 1).id or 0
    act(session, binh_son, Request(Action.CANCEL, secretariat, comment="Trùng nhiệm vụ."), now=clock.now())
    session.commit()
    after, _ = figures(july + timedelta(days=10))
    assert after.get("ubnd-binh-son", [0])[0] == before["ubnd-binh-son"][0] - 1
