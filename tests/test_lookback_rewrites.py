"""A look-back (the board at a past instant, `--now`) says what was true then of the work an event
rewrote afterwards, on both databases: a report sent before the instant and returned after it was
sent then (the return cleared the row's report time, and the board had counted and listed it overdue),
and work late at the instant and extended after it was late then (the row's new date had made it "on
track"). In the board's counts and per-agency table, its overdue list and count, the digest's tallies
and the note on bodies that ended, which all count the rows the list shows."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session

from dondoc.engine.actors import SECRETARIAT, Actor
from dondoc.engine.clock import LOCAL_TZ
from dondoc.engine.reports.rates import agency_rates
from dondoc.engine.services.assignments import Request, act
from dondoc.engine.services.overdue_lists import overdue_count, overdue_now, overdue_per_agency
from dondoc.engine.services.web_queries import board_tallies
from dondoc.engine.status import Category
from dondoc.engine.workcalendar import default_calendar
from dondoc.engine.workflow import Action
from dondoc.web.pages import board_context
from tests.factories import assignment_for, load_min_catalog
from tests.support.catalogs import QUARTERLY, report_catalog
from tests.support.successions import apply, at, load, succession_catalog, successions_yaml

LOADED = datetime(2022, 3, 2, 8, 0, tzinfo=LOCAL_TZ)
TASK = "99/KH-TEST:II.1"
ROLES = ("lead", "implementer")


def _at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=LOCAL_TZ)


def _do(session: Session, assignment_id: int, action: Action, actor: Actor, when: datetime, **kw: Any) -> None:
    act(session, assignment_id, Request(action, actor, comment="Nội dung.", **kw), now=when)
    session.commit()


def _seen(session: Session, now: datetime) -> dict[str, Any]:
    """What the board says at ``now``: every figure, the overdue list's rows as shown, the note."""
    page = board_context(session, now, default_calendar(), overdue_limit=1000)
    summary = page["summary"]
    listed = [
        (r.view.id, r.view.agency_code, r.view.state, r.view.category, r.view.due_at, r.view.days_late)
        + (r.working_days_late,)
        for r in page["overdue"]
    ]
    per_agency = overdue_per_agency(session, now)
    # the counts equal the rows listed: the tile, the list, the per-body counts, the count
    overdue = summary.totals[Category.OVERDUE.value]
    assert overdue == len(listed) == sum(per_agency.values()) == overdue_count(session, now)
    assert sum(r.overdue for r in summary.agencies) == overdue
    # each line's rate is the rates' at that instant (tests/test_board_rate.py), which replay the same rows
    rates = {r.agency_code: r for r in agency_rates(session, start=date(1990, 1, 1), end=now.date(), now=now)}
    for row in summary.agencies:
        assert (row.rated_on_time, row.rated_due) == (rates[row.code].tasks_on_time, rates[row.code].tasks_due)
    leaders = overdue_now(session, now, default_calendar(), limit=1000, roles=ROLES)
    assert len(leaders) == sum(overdue_per_agency(session, now, roles=ROLES).values())
    return {
        "summary": summary.model_dump(),
        "tallies": board_tallies(session, now).model_dump(),
        "overdue": listed,
        "per_agency": per_agency,
        "leaders": sorted(r.view.id for r in leaders),
        "ended": [e.model_dump() for e in page["ended"]],
    }


def _row(seen: dict[str, Any], assignment_id: int) -> tuple[Any, ...] | None:
    return next((r for r in seen["overdue"] if r[0] == assignment_id), None)


def test_a_report_returned_after_the_instant_was_sent_then(session: Session, tmp_path: Path) -> None:
    """Sở Nội vụ's first-quarter report (due 20/03) sent on 18/03 and returned on 05/04: the board
    of 28/03 had counted and listed it overdue since (the return cleared its report time)."""
    load_min_catalog(session, LOADED, report_catalog(tmp_path, cutoff=False))
    part = assignment_for(session, QUARTERLY, "so-noi-vu", seq=1).id or 0
    _do(session, part, Action.ACKNOWLEDGE, Actor.agency("so-noi-vu"), LOADED)
    _do(session, part, Action.REPORT, Actor.agency("so-noi-vu"), _at(date(2022, 3, 18)))
    past = _at(date(2022, 3, 28))
    before = _seen(session, past)
    assert _row(before, part) is None
    _do(session, part, Action.RETURN, SECRETARIAT, _at(date(2022, 4, 5)))
    assert _seen(session, past) == before
    # today it is overdue again, as its row says
    today = _seen(session, _at(date(2022, 4, 6)))
    assert _row(today, part) is not None


def test_work_late_at_the_instant_and_extended_after_it_was_late_then(session: Session, tmp_path: Path) -> None:
    """VP UBND's part of II.1, due 30/06 and not done, extended on 05/07 to 29/07: the board of 04/07
    had counted it "on track" and left it out of its overdue list since (its row's date is July's)."""
    load_min_catalog(session, LOADED, report_catalog(tmp_path, cutoff=False))
    part = assignment_for(session, TASK, "vp-ubnd", seq=1).id or 0
    past = _at(date(2022, 7, 4))
    before = _seen(session, past)
    late = _row(before, part)
    assert late is not None and late[4] == datetime(2022, 6, 30, 23, 59, 59, tzinfo=LOCAL_TZ)
    _do(session, part, Action.EXTEND, SECRETARIAT, _at(date(2022, 7, 5)), due=date(2022, 7, 29))
    assert _seen(session, past) == before
    # today it is on track, by the date in force
    assert _row(_seen(session, _at(date(2022, 7, 6))), part) is None


@pytest.mark.parametrize("rewrite", ["returned", "extended"])
def test_an_ended_bodys_note_says_what_its_open_work_was_then(session: Session, tmp_path: Path, rewrite: str) -> None:
    """Sở TT&TT, split on 01/08/2022: its part of II.1 due 30/06 waits in "Cần phân công lại" until
    the secretariat names Sở KH&CN on 20/08, which is then returned (it was reported on 20/06) or
    extended (it was late) on 25/08. The note of 10/08 on bodies that ended (its open work, how much
    of it overdue, by role) had counted the returned part overdue and the extended one on track."""
    old, chosen = "so-tttt", "so-khcn"
    load(session, succession_catalog(tmp_path, successions_yaml("split")), at("2022-03-02"))
    part = assignment_for(session, TASK, old, seq=1).id or 0
    if rewrite == "returned":
        _do(session, part, Action.ACKNOWLEDGE, Actor.agency(old), at("2022-03-02"))
        _do(session, part, Action.REPORT, Actor.agency(old), _at(date(2022, 6, 20)))
    queued = {assignment_id for assignment_id, code, _ in apply(session, at("2022-08-01")).queued if code == old}
    assert part in queued, "the case needs the part waiting"
    past = _at(date(2022, 8, 10), 17)
    before = _seen(session, past)
    (ended,) = before["ended"]
    assert ended["code"] == old and ended["open_work"] == len(queued) == sum(ended["by_role"].values())
    assert ended["overdue"] == (0 if rewrite == "returned" else 1)
    assert (_row(before, part) is None) == (rewrite == "returned")
    for assignment_id in sorted(queued):
        _do(session, assignment_id, Action.REASSIGN, SECRETARIAT, _at(date(2022, 8, 20), 9), agency=chosen)
    if rewrite == "returned":
        _do(session, part, Action.RETURN, SECRETARIAT, _at(date(2022, 8, 25)))
    else:
        _do(session, part, Action.EXTEND, SECRETARIAT, _at(date(2022, 8, 25)), due=date(2022, 9, 30))
    assert _seen(session, past) == before
