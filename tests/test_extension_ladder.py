"""An extension restarts the ladder from the new date: the reminders count down to it once each.

A date extended to two working days away had every countdown rung before it due in the next pass:
Sở Nội vụ was mailed "Nhắc hạn: còn 2 ngày làm việc" twice the next morning (the 10-day and the
3-day rungs of a priority item), identical, and three times "còn 1 ngày" after a pause of the
sweep. The nearest rung stands for the rest (engine.escalation.sweep._latest_rungs)."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Session, col, select

from dondoc import jobs
from dondoc.engine.actors import Actor
from dondoc.engine.clock import LOCAL_TZ
from dondoc.engine.models import Notification
from dondoc.engine.services.assignments import Request, act
from dondoc.engine.workflow import Action
from tests.support.web import ITEM, WebEnv


def _at(day: date, hour: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=LOCAL_TZ)


def _sweep(web: WebEnv, day: date) -> None:
    web.clock.set(_at(day, 7))
    jobs.run_sweep(web.engine, now=web.clock.now(), settings=web.settings)


def _reminders(web: WebEnv, assignment: int) -> list[tuple[date, str]]:
    with Session(web.engine) as session:
        rows = session.exec(
            select(Notification)
            .where(col(Notification.assignment_id) == assignment, col(Notification.kind) == "reminder")
            .order_by(col(Notification.id))
        ).all()
    return [(row.created_at.astimezone(LOCAL_TZ).date(), row.dedupe_key.split(":")[0]) for row in rows]


def _extend(web: WebEnv, target: int, day: date) -> None:
    """The secretariat extends ``target`` to ``day``, at the clock's instant."""
    with Session(web.engine) as session:
        act(session, target, Request(Action.EXTEND, Actor.parse("secretariat"), due=day), now=web.clock.now())
        session.commit()


def test_a_date_extended_to_days_away_is_counted_down_to_once_a_rung_day(web: WebEnv) -> None:
    target = web.assignment(ITEM, "so-noi-vu")  # a priority item: rungs 10, 3 and 1 working days before
    _sweep(web, date(2022, 7, 1))  # the text's date (30/06) has passed: overdue, no countdown
    web.clock.set(_at(date(2022, 7, 27), 10))  # Wednesday: extended to Monday 01/08
    _extend(web, target, date(2022, 8, 1))
    _sweep(web, date(2022, 7, 28))  # the 10- and 3-day rungs are both past: one mail, "còn 2 ngày"
    _sweep(web, date(2022, 7, 29))
    _sweep(web, date(2022, 7, 30))
    assert _reminders(web, target) == [(date(2022, 7, 28), "nhac-truoc-3"), (date(2022, 7, 29), "nhac-truoc-1")]


def test_a_pass_after_a_pause_sends_the_nearest_reminder_only(web: WebEnv) -> None:
    target = web.assignment(ITEM, "so-noi-vu")
    web.clock.set(_at(date(2022, 7, 12), 10))
    _extend(web, target, date(2022, 8, 1))
    _sweep(web, date(2022, 7, 13))
    _sweep(web, date(2022, 7, 29))  # no pass in between: all three rungs came while it was stopped
    _sweep(web, date(2022, 7, 30))
    assert _reminders(web, target) == [(date(2022, 7, 29), "nhac-truoc-1")]
