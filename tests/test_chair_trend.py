"""The chair's weekly trend is the board as it stood each week: a history is lived through act()
with a moving clock, the board's own counts are taken at every week's end as it goes, and the
trend computed afterwards from the events must give the same numbers for every past week."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import update
from sqlmodel import Session, col, select

from dondoc.engine.actors import SECRETARIAT, Actor
from dondoc.engine.clock import LOCAL_TZ, LocalDays
from dondoc.engine.errors import DomainError
from dondoc.engine.models import Agency, Assignment
from dondoc.engine.reports.counted import done_on_time
from dondoc.engine.reports.trend import TrendPoint, week_ends, weekly_trend
from dondoc.engine.services.assignments import Request, act
from dondoc.engine.services.queries import category_counts
from dondoc.engine.services.web_queries import board_summary
from dondoc.engine.status import Category
from dondoc.engine.workcalendar import WorkCalendar
from dondoc.engine.workflow import Action
from dondoc.web.trend_cache import TrendCache
from tests.factories import assignment_for, load_min_catalog
from tests.support.catalogs import MIN_CATALOG

LOCAL = LocalDays(LOCAL_TZ)
CALENDAR = WorkCalendar.default()
AGENCY_MOVES = (Action.ACKNOWLEDGE, Action.REPORT, Action.REQUEST_EXTENSION)
SECRETARIAT_MOVES = (Action.VERIFY, Action.RETURN, Action.EXTEND, Action.CANCEL)
ITEM, AGENCIES = "99/KH-TEST:II.1", ("so-tttt", "so-noi-vu", "vp-ubnd", "ubnd-binh-son", "ubnd-ly-son")


def _board_counts(session: Session, at: datetime, roles: tuple[str, ...] | None = None) -> tuple[int, int]:
    """The board's overdue count at ``at``, and the work done on time by then as a rate counts it
    (engine.reports.counted.done_on_time), both judged from the rows as they are at ``at``; of
    ``roles`` only (the leaders' page), by the statements that count them."""
    totals = board_summary(session, at).totals if roles is None else category_counts(session, at, roles=roles)[0].counts
    return totals[Category.OVERDUE.value], done_on_time(session, at, local=LOCAL, roles=roles)


# Milestone 1 of II.1 (due 30/06/2022) lives a known story per agency; the rest moves at random.
SCRIPT: dict[date, list[tuple[str, Action, date | None]]] = {
    date(2022, 3, 10): [(agency, Action.ACKNOWLEDGE, None) for agency in AGENCIES],
    date(2022, 6, 15): [("so-tttt", Action.REPORT, None)],
    date(2022, 6, 17): [("so-tttt", Action.VERIFY, None)],
    date(2022, 6, 20): [("vp-ubnd", Action.REPORT, None)],
    date(2022, 6, 24): [("vp-ubnd", Action.RETURN, None)],
    date(2022, 7, 5): [("vp-ubnd", Action.REPORT, None)],  # late now
    date(2022, 7, 10): [("ubnd-ly-son", Action.CANCEL, None)],  # while overdue
    date(2022, 7, 20): [("so-noi-vu", Action.EXTEND, date(2022, 8, 15))],  # overdue in July, then on track
    date(2022, 8, 10): [("so-noi-vu", Action.REPORT, None)],  # on time by the extended date
    date(2022, 9, 1): [("ubnd-binh-son", Action.REPORT, None)],
}
SECRETARIAT_ACTIONS = {Action.VERIFY, Action.RETURN, Action.EXTEND, Action.CANCEL}


def _act(session: Session, assignment_id: int, agency: str, action: Action, due: date | None, now: datetime) -> bool:
    actor = SECRETARIAT if action in SECRETARIAT_ACTIONS else Actor.agency(agency)
    try:
        act(session, assignment_id, Request(action, actor, comment="lý do thử", due=due), now=now, calendar=CALENDAR)
    except DomainError:  # refused (wrong state, condition not met): nothing written
        session.rollback()
        return False
    session.commit()
    return True


def _random_move(session: Session, rng: random.Random, rows: list[tuple[int, str]], now: datetime) -> bool:
    assignment_id, agency = rng.choice(rows)
    action = rng.choice(AGENCY_MOVES) if rng.random() < 0.6 else rng.choice(SECRETARIAT_MOVES)
    return _act(session, assignment_id, agency, action, LOCAL.local_date(now) + timedelta(rng.randint(3, 200)), now)


@pytest.mark.parametrize("roles", [None, ("lead", "implementer")], ids=["every role", "the leaders' roles"])
def test_the_trend_of_a_past_week_is_the_board_judged_then(session: Session, roles: tuple[str, ...] | None) -> None:
    start = datetime(2022, 3, 2, 8, 0, tzinfo=LOCAL_TZ)
    load_min_catalog(session, start, MIN_CATALOG)
    scripted = {agency: assignment_for(session, ITEM, agency).id or 0 for agency in AGENCIES}
    rows = [
        (i or 0, code)
        for i, code in session.exec(
            select(Assignment.id, Agency.code).join(Agency, col(Assignment.agency_id) == col(Agency.id))
        )
        if i not in scripted.values()
    ]
    # a third of the other rows made partners' parts: the leaders' trend leaves them out
    partners = [i for i, _ in rows[::3]]
    session.execute(update(Assignment).where(col(Assignment.id).in_(partners)).values(role="partner"))
    session.commit()
    rng = random.Random(16)
    seen: dict[datetime, tuple[int, int]] = {}
    every: dict[datetime, tuple[int, int]] = {}  # of every role
    applied, day = 0, date(2022, 3, 2)
    while day <= date(2022, 11, 30):
        for agency, action, due in SCRIPT.get(day, []):
            assert _act(session, scripted[agency], agency, action, due, LOCAL.at(day, 10)), (day, agency, action)
        for hour in (9, 15):
            applied += _random_move(session, rng, rows, LOCAL.at(day, hour, rng.randint(0, 59)))
        if day.weekday() == 6:  # Sunday: the board at the week's last instant, as it stood then
            seen[LOCAL.end_of_day(day)] = _board_counts(session, LOCAL.end_of_day(day), roles)
            every[LOCAL.end_of_day(day)] = _board_counts(session, LOCAL.end_of_day(day))
        day += timedelta(days=1)
    assert applied > 10, "the random part of the history should hold actions too"
    now = LOCAL.at(date(2022, 12, 1), 10)
    points = weekly_trend(session, year=2022, now=now, local=LOCAL, roles=roles)
    trend = {p.at: (p.overdue, p.on_time) for p in points}
    for at, counts in seen.items():
        assert trend[at] == counts, f"week ending {at:%d/%m/%Y}"
    assert trend[now] == _board_counts(session, now, roles)
    if roles is not None:  # the partners' parts weighed: the leaders' trend is not every role's
        assert any(every[at] != counts for at, counts in seen.items())
    # The history mattered: judging today's rows at a past week's end (today's due dates and
    # states: the category's statement, no replay) gives other numbers than the board did then;
    # the board read again at that instant (a look-back) replays the rows rewritten since and says
    # what it said then (engine.services.board_then).
    overdue = Category.OVERDUE.value
    assert any(category_counts(session, at, roles=roles)[0].counts[overdue] != n for at, (n, _) in seen.items())
    if roles is None:
        assert {at: _board_counts(session, at)[0] for at in seen} == {at: n for at, (n, _) in seen.items()}
    # Before the catalog was loaded nothing existed: nothing overdue, nothing done.
    assert all(trend[at] == (0, 0) for at in trend if at < start)
    # The story of milestone 1: 4 overdue at the first July week's end (all but so-tttt's, done on
    # time: vp-ubnd's report was returned), then so-noi-vu's extension takes it out of the count.
    assert seen[LOCAL.end_of_day(date(2022, 7, 3))][0] >= 4


def test_week_ends_cover_the_year_up_to_now() -> None:
    now = datetime(2022, 1, 12, 10, 0, tzinfo=LOCAL_TZ)
    ends = week_ends(2022, now, LOCAL)
    # 01–02/01 (Sat–Sun), 03–09/01, then the week under way judged now
    assert ends == [LOCAL.end_of_day(date(2022, 1, 2)), LOCAL.end_of_day(date(2022, 1, 9)), now]
    full = week_ends(2022, datetime(2023, 3, 1, tzinfo=LOCAL_TZ), LOCAL)
    assert len(full) == 53 and full[-1] == LOCAL.end_of_day(date(2022, 12, 31))
    assert week_ends(2023, datetime(2022, 12, 1, tzinfo=LOCAL_TZ), LOCAL) == []


def test_the_leaders_page_cache_recounts_when_the_history_changes(session: Session) -> None:
    """The web keeps past weeks per history fingerprint; any new event, even one dated in a past
    week (a replay database allows it), makes it count again; the week under way is the board's."""
    load_min_catalog(session, datetime(2022, 3, 2, 8, 0, tzinfo=LOCAL_TZ), MIN_CATALOG)
    cache, now = TrendCache(), LOCAL.at(date(2022, 7, 20), 9)

    def both() -> tuple[list[TrendPoint], list[TrendPoint]]:
        cached = cache.points(session, board_summary(session, now), year=2022, now=now, local=LOCAL)
        return cached, weekly_trend(session, year=2022, now=now, local=LOCAL)

    june = LOCAL.end_of_day(date(2022, 6, 5))
    cached, computed = both()
    assert cached == computed and cached[-1].overdue == 5
    done_in_june = next(p.on_time for p in cached if p.at == june)
    target = assignment_for(session, ITEM, "so-noi-vu").id or 0
    assert _act(session, target, "so-noi-vu", Action.ACKNOWLEDGE, None, LOCAL.at(date(2022, 6, 1), 9))
    assert _act(session, target, "so-noi-vu", Action.REPORT, None, LOCAL.at(date(2022, 6, 2), 9))
    cached, computed = both()
    assert cached == computed and cached[-1].overdue == 4
    assert next(p.on_time for p in cached if p.at == june) == done_in_june + 1  # a past week changed


def test_work_loaded_before_its_issue_day_counts_from_that_day(session: Session) -> None:
    """A plan loaded on 02/03 but issued on 27/07 (its assignments given then): its milestone due
    30/06 was not overdue in the weeks before the issue, on the trend as on the board judged then."""
    load_min_catalog(session, datetime(2022, 3, 2, 8, 0, tzinfo=LOCAL_TZ), MIN_CATALOG)
    session.execute(update(Assignment).values(assigned_at=LOCAL.start_of_day(date(2022, 7, 27))))
    session.commit()
    now = LOCAL.at(date(2022, 9, 1), 10)
    trend = {p.at: (p.overdue, p.on_time) for p in weekly_trend(session, year=2022, now=now, local=LOCAL)}
    before, after = LOCAL.end_of_day(date(2022, 7, 24)), LOCAL.end_of_day(date(2022, 7, 31))
    assert trend[before] == (0, 0) == _board_counts(session, before)
    assert trend[after][0] >= len(AGENCIES), trend[after]  # II.1's first milestone, due 30/06
    assert trend[after] == _board_counts(session, after)
