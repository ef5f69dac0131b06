"""A list's count (queries.RowCount): on PostgreSQL its view's joins are written as outer joins, so
that the planner drops those nothing reads; on SQLite the inner joins stay. Both must count exactly
the rows the list gives, for every queue, part and filter, on both databases."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy.dialects import postgresql
from sqlmodel import Session, col, select

from dondoc.engine.actors import Actor
from dondoc.engine.clock import LOCAL_TZ, FrozenClock
from dondoc.engine.db import plain
from dondoc.engine.models import Agency, Assignment, State
from dondoc.engine.services.assignment_filter import AssignmentFilter
from dondoc.engine.services.assignments import Request, act
from dondoc.engine.services.catalog_sync import sync_catalog
from dondoc.engine.services.queues import QUEUES, _shaped
from dondoc.engine.services.tracking import set_tracking_start
from dondoc.engine.services.web_queries import filtered_assignments, filtered_count
from dondoc.engine.status import at_now
from dondoc.engine.workcalendar import WorkCalendar
from dondoc.engine.workflow import Action
from dondoc.tasks_catalog.loader import load_catalog

LOADED = datetime(2022, 6, 1, 8, 0, tzinfo=LOCAL_TZ)
NOW = datetime(2022, 9, 15, 9, 0, tzinfo=LOCAL_TZ)

# no filter; a plan; a body; a search (an item's words); a role and a category together
FILTERS = (
    AssignmentFilter(),
    AssignmentFilter(plan="117/KH-UBND"),
    AssignmentFilter(agency="so-tttt"),
    AssignmentFilter(q="an toan he thong"),
    AssignmentFilter(role="lead", category="dang_thuc_hien_qua_han"),
)


@pytest.fixture
def shipped(session: Session) -> Session:
    """The five shipped plans, tracked from 01/06/2022 (the 2019–2021 plans' earlier work is the
    backlog kept apart), a few reports waiting for the secretariat."""
    set_tracking_start(session, date(2022, 6, 1))
    sync_catalog(session, load_catalog(), now=LOADED, calendar=WorkCalendar.default())
    session.commit()
    given = session.exec(
        select(col(Assignment.id), col(Agency.code))
        .join(Agency, col(Agency.id) == col(Assignment.agency_id))
        .where(col(Assignment.state) == State.ASSIGNED.value)
        .order_by(col(Assignment.id))
        .limit(5)
    ).all()
    for assignment_id, code in given:
        for action in (Action.ACKNOWLEDGE, Action.REPORT):
            act(session, assignment_id, Request(action, Actor.agency(code), comment="Đã xong."), now=NOW)
    session.commit()
    return session


def test_every_queues_count_is_its_rows_inner_and_outer(shipped: Session) -> None:
    clock = FrozenClock(NOW)
    counted = 0
    for queue in QUEUES:
        for where in FILTERS:
            narrowed = queue.narrowed(where)
            bound = narrowed.bound_items(shipped) if queue.items else narrowed.bound(shipped, clock)
            for part in (False, True, None) if queue.apart else (None,):
                _, count, _ = _shaped(queue, bound.shape, part)
                rows = queue.fetch(shipped, NOW, clock, where, backlog=part)
                values = at_now(NOW) | bound.values
                inner = plain(shipped, count.inner, values).scalar_one()
                outer = plain(shipped, count.outer, values).scalar_one()
                assert inner == outer == len(rows) == count.of(shipped, values), (queue.slug, where, part)
                counted += len(rows)
    assert counted > 100  # the queues are not all empty: the test would pass on nothing


def test_the_desks_count_is_its_rows_inner_and_outer(shipped: Session) -> None:
    clock = FrozenClock(NOW)
    for where in FILTERS:
        bound = where.bound(shipped, clock)
        rows = filtered_assignments(shipped, NOW, bound, limit=100_000)
        assert filtered_count(shipped, NOW, bound) == len(rows), where
    assert filtered_count(shipped, NOW, FILTERS[0].bound(shipped, clock)) > 1000


def test_only_postgresql_counts_through_outer_joins(shipped: Session) -> None:
    queue = QUEUES[0]
    _, count, _ = _shaped(queue, AssignmentFilter().bound(shipped, FrozenClock(NOW)).shape, None)
    outer = str(count.outer.compile(dialect=postgresql.dialect()))
    assert "LEFT OUTER JOIN milestone" in outer and " JOIN milestone" not in outer.replace("LEFT OUTER JOIN", "")
    assert "LEFT OUTER JOIN" not in str(count.inner.compile(dialect=postgresql.dialect()))
    chosen = count.statement(shipped)
    assert chosen is (count.outer if shipped.connection().dialect.name == "postgresql" else count.inner)
