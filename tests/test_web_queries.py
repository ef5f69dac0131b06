"""The web's aggregate queries agree with the engine's roll-ups."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlmodel import Session, select

from dondoc.engine.actors import SECRETARIAT, Actor
from dondoc.engine.clock import DEFAULT_DAYS, LOCAL_TZ, local_date
from dondoc.engine.models import Assignment, Milestone
from dondoc.engine.services.assignment_filter import AssignmentFilter
from dondoc.engine.services.assignments import Request, act
from dondoc.engine.services.overdue_lists import overdue_now
from dondoc.engine.services.queries import base_query, category_counts, to_view, views
from dondoc.engine.services.queues import QUEUES
from dondoc.engine.services.tracking import set_tracking_start
from dondoc.engine.services.web_queries import (
    assignments_where,
    board_summary,
    board_tallies,
    filtered_assignments,
    on_time_rate,
)
from dondoc.engine.status import Category, at_now, category_at_now, category_sql
from dondoc.engine.views import AssignmentView
from dondoc.engine.workcalendar import WorkCalendar, default_calendar
from dondoc.engine.workflow import Action
from dondoc.web.templating import templates
from tests.support.web import ITEM, WebEnv
from tests.test_assignment_rows import TEMPLATE_LOOP


@pytest.mark.parametrize("when", [datetime(2022, 3, 2, 8, 0), datetime(2022, 7, 5, 9, 0), datetime(2022, 12, 1, 9, 0)])
def test_board_summary_matches_category_counts(web: WebEnv, when: datetime) -> None:
    with Session(web.engine) as session:
        start = web.clock.now()
        target = web.assignment(ITEM, "so-noi-vu")
        act(session, target, Request(Action.ACKNOWLEDGE, Actor.agency("so-noi-vu")), now=start)
        act(session, target, Request(Action.REPORT, Actor.agency("so-noi-vu"), comment="Đã hoàn thành."), now=start)
        late = web.assignment(ITEM, "vp-ubnd")
        act(session, late, Request(Action.CANCEL, SECRETARIAT, comment="không còn phù hợp"), now=start)
        session.commit()
        now = when.replace(tzinfo=LOCAL_TZ)
        summary = board_summary(session, now)
        expected = {row.key: row.counts for row in category_counts(session, now, by="agency")}
        assert {row.code: row.counts for row in summary.agencies} == expected
        total = category_counts(session, now)[0]
        assert summary.totals == total.counts and summary.total == total.total
        tallies = board_tallies(session, now)  # the secretariat digest's counts: the board's totals
        assert tallies.totals == summary.totals and tallies.states == summary.states
        assert sum(tallies.states.values()) == summary.total
        overdue = _overdue(session, now)
        assert len(overdue) == total.counts["dang_thuc_hien_qua_han"]
        # one year's work here: the most working days late first (overdue_now puts this year's first)
        assert {local_date(v.due_at).year for v in overdue if v.due_at} <= {now.year}
        assert [v.days_late for v in overdue] == sorted((v.days_late for v in overdue), reverse=True)


def test_board_summary_reads_the_milestones_start_without_joining_it(web: WebEnv) -> None:
    """The board's summary reads its milestone tests as lists of milestones, not by a join
    (engine.status.of_milestone): work of a period not begun yet is "Chưa đến hạn" there too, as
    the one-row rule judges it."""
    now = datetime(2022, 7, 5, 9, 0, tzinfo=LOCAL_TZ)
    later = web.assignment(ITEM, "so-noi-vu")
    with Session(web.engine) as session:
        before = board_summary(session, now)
        session.get_one(Milestone, session.get_one(Assignment, later).milestone_id).start_date = date(2022, 8, 1)
        session.commit()
        judged = {v.id: v.category for v in views(session, base_query(now), now)}
        assert judged[later] == Category.NOT_YET_DUE
        summary = board_summary(session, now)
        expected = {row.key: row.counts for row in category_counts(session, now, by="agency")}
        assert {row.code: row.counts for row in summary.agencies} == expected
        assert summary.totals[Category.NOT_YET_DUE] > before.totals[Category.NOT_YET_DUE]


def _overdue(session: Session, now: datetime) -> list[AssignmentView]:
    """The board's overdue list whole (its workbook's "Quá hạn" sheet)."""
    return [r.view for r in overdue_now(session, now, default_calendar(), limit=5000)]


def test_the_overdue_sheet_lists_overdue_work_only(web: WebEnv) -> None:
    """The board's workbook listed, on its "Quá hạn" sheet, open work past its date that was waiting
    for its condition or not yet given (14 working days late, then 0): neither is overdue."""
    july = datetime(2022, 7, 20, 9, 0, tzinfo=LOCAL_TZ)
    waiting, later, late = (web.assignment(ITEM, code) for code in ("vp-ubnd", "so-noi-vu", "so-tttt"))
    with Session(web.engine) as session:
        session.get_one(Assignment, waiting).waiting_condition_since = datetime(2022, 6, 1, tzinfo=LOCAL_TZ)
        session.get_one(Assignment, later).assigned_at = datetime(2022, 8, 1, tzinfo=LOCAL_TZ)
        session.commit()
        listed = {v.id: v for v in _overdue(session, july)}
        judged = {v.id: v.category for v in views(session, base_query(july), july)}
    assert judged[waiting] != Category.OVERDUE.value and judged[later] != Category.OVERDUE.value
    assert waiting not in listed and later not in listed
    assert late in listed and listed[late].days_late == 14  # 1, 4–8, 11–15, 18–20 July
    assert {i for i, category in judged.items() if category == Category.OVERDUE.value} == set(listed)


def test_on_time_rate() -> None:
    assert on_time_rate(0, 0) is None
    assert on_time_rate(3, 4) == 0.75
    assert on_time_rate(1, 4) == 0.25


def test_statements_kept_per_filter_shape_read_what_fresh_ones_read(web: WebEnv) -> None:
    """The list statements built once (the category at the bound NOW/TODAY, each queue's, one per
    shape of filter, their rows read as columns) hold no value of their own: run one after another
    with other values, at other instants, with and without a tracking start, each reads what a
    statement built for that request with its values reads, and the rows show as the entities do."""
    with Session(web.engine) as session:
        start = web.clock.now()
        act(
            session,
            web.assignment(ITEM, "so-noi-vu"),
            Request(Action.ACKNOWLEDGE, Actor.agency("so-noi-vu")),
            now=start,
        )
        session.commit()
        for tracking in (None, date(2022, 8, 1)):
            if tracking is not None:  # the rows' installation column is read too
                set_tracking_start(session, tracking)
                session.commit()
                untracked = AssignmentFilter(category=Category.BEFORE_TRACKING).bound(session, DEFAULT_DAYS)
                assert filtered_assignments(session, start, untracked, limit=10)
            for now in (datetime(2022, 12, 1, 9, 0, tzinfo=LOCAL_TZ), start):  # the kept statements, at two instants
                _same_as_fresh(session, now, queues=tracking is None)


def test_the_list_writes_its_rows_as_it_writes_their_views(web: WebEnv) -> None:
    """The desk's list writes the rows it reads (filtered_assignments: plain rows, read by
    position) exactly as the template's loop wrote the views made of them, labels included."""
    env = templates.env
    with Session(web.engine) as session:
        now = web.clock.now()
        rows = filtered_assignments(session, now, AssignmentFilter().bound(session, DEFAULT_DAYS), limit=1000)
        assert len(rows) > 5
        viewed = [to_view(row, now) for row in rows]
        assert len({v.category for v in viewed}) > 1  # more than one label written
        written = env.from_string("{{ rows|assignment_rows(now, calendar) }}").render(
            rows=rows, now=now, calendar=WorkCalendar.default()
        )
        late = {"dang_thuc_hien_qua_han": "Quá hạn", "hoan_thanh_qua_han": "Trễ"}
        assert written == env.from_string(TEMPLATE_LOOP).render(rows=viewed, LATE=late)


def _same_as_fresh(session: Session, now: datetime, *, queues: bool) -> None:
    literal = select(Assignment.id, category_sql(now)).join(Milestone).order_by(Assignment.id)
    bound = select(Assignment.id, category_at_now()).join(Milestone).order_by(Assignment.id)
    assert session.exec(bound, params=at_now(now)).all() == session.exec(literal).all()
    filters = [AssignmentFilter(category=c) for c in (Category.OVERDUE, Category.NOT_YET_DUE, Category.BEFORE_TRACKING)]
    filters += [AssignmentFilter(), AssignmentFilter(agency="so-noi-vu")]
    filters += [AssignmentFilter(q="noi vu", role="lead"), AssignmentFilter(due_to="2022-06-30", state="assigned")]
    for where in filters:
        fresh = assignments_where(session, now, *where.conditions(session, now, DEFAULT_DAYS), limit=1000)
        kept = filtered_assignments(session, now, where.bound(session, DEFAULT_DAYS), limit=1000)
        assert [to_view(row, now) for row in kept] == fresh, where
        for queue in QUEUES if queues else []:
            narrowed = queue.narrowed(where)
            if queue.items:
                conditions = narrowed.item_conditions(session)
            else:
                conditions = narrowed.conditions(session, now, DEFAULT_DAYS)
            built = queue.build().where(*conditions)
            fresh_count = len(session.exec(built, params=at_now(now)).all())
            assert queue.count(session, now, DEFAULT_DAYS, where) == fresh_count, (queue.slug, where)
