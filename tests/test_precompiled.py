"""engine.services.precompiled: the driver receives from a precompiled statement exactly the SQL
and the parameters ``Connection.execute`` of the same statement sends (formats of the column
types included: SQLite's datetime strings, JSON), on each backend."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import bindparam, event, insert
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from dondoc.engine.clock import LOCAL_TZ, FrozenClock
from dondoc.engine.models import Event
from dondoc.engine.services.assignment_writes import _update_of
from dondoc.engine.services.assignments import _INSERT_EVENT
from dondoc.engine.services.precompiled import Precompiled
from tests.factories import assignment_for, load_min_catalog
from tests.support.catalogs import MIN_CATALOG


def _driver_sees(engine: Engine, run: Any) -> list[tuple[str, Any]]:
    seen: list[tuple[str, Any]] = []

    def listen(_conn, _cursor, statement, parameters, _context, _many) -> None:  # type: ignore[no-untyped-def]
        seen.append((statement, _comparable(parameters)))

    event.listen(engine, "before_cursor_execute", listen)
    try:
        with engine.connect() as connection:
            run(connection)
            connection.rollback()
    finally:
        event.remove(engine, "before_cursor_execute", listen)
    return seen


def _comparable(parameters: Any) -> Any:
    """psycopg's JSON wrapper has no equality: compare what it wraps."""
    wrapped = lambda v: (type(v).__name__, v.obj) if hasattr(v, "obj") else v  # noqa: E731
    if isinstance(parameters, dict):
        return {k: wrapped(v) for k, v in parameters.items()}
    return tuple(wrapped(v) for v in parameters)


EVENT_VALUES: list[dict[str, Any]] = [
    {
        "at": datetime(2022, 3, 2, 8, 0, tzinfo=LOCAL_TZ),  # no microseconds: SQLite's string keeps ".000000"
        "actor": "so-noi-vu",
        "actor_account": None,
        "action": "acknowledge",
        "from_state": "assigned",
        "to_state": "in_progress",
        "comment": None,
        "data": {},
    },
    {
        "at": datetime(2022, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
        "actor": "secretariat",
        "actor_account": "thư ký",
        "action": "extend",
        "from_state": "in_progress",
        "to_state": "in_progress",
        "comment": "Gia hạn theo đề nghị",
        "data": {"from_due": "2022-09-01T23:59:59+07:00", "nested": [1, None, "đ"]},
    },
]


@pytest.mark.parametrize("values", EVENT_VALUES)
def test_the_event_insert_sends_what_execute_sends(
    engine: Engine, session: Session, clock: FrozenClock, values: dict[str, Any]
) -> None:
    load_min_catalog(session, clock.now(), MIN_CATALOG)
    assignment_id = assignment_for(session, "99/KH-TEST:II.1", "so-noi-vu").id
    session.commit()
    values = {"assignment_id": assignment_id, **values}
    core = _driver_sees(engine, lambda c: c.execute(_INSERT_EVENT.statement, values))
    precompiled = _driver_sees(engine, lambda c: _INSERT_EVENT.execute(c, values))
    assert precompiled == core and len(core) == 1


@pytest.mark.parametrize(
    ("names", "values"),
    [
        (
            ("state", "acknowledged_at"),
            {"v_state": "in_progress", "v_acknowledged_at": datetime(2022, 3, 2, tzinfo=UTC)},
        ),
        (("state", "reported_at"), {"v_state": "in_progress", "v_reported_at": None}),
        (("progress",), {"v_progress": 40}),
        (
            ("state", "due_at"),
            {"v_state": "overdue", "v_due_at": datetime(2022, 9, 5, 23, 59, 59, 999999, tzinfo=LOCAL_TZ)},
        ),
    ],
)
def test_the_version_checked_update_sends_what_execute_sends(
    engine: Engine, names: tuple[str, ...], values: dict[str, Any]
) -> None:
    statement = _update_of(names)
    values = {"v_id": 7, "v_seen": 3, **values}
    core = _driver_sees(engine, lambda c: c.execute(statement.statement, values))
    precompiled = _driver_sees(engine, lambda c: statement.execute(c, values))
    assert precompiled == core and len(core) == 1


def test_the_rows_written_read_back_alike(engine: Engine, session: Session, clock: FrozenClock) -> None:
    load_min_catalog(session, clock.now(), MIN_CATALOG)
    assignment_id = assignment_for(session, "99/KH-TEST:II.1", "so-noi-vu").id
    session.commit()
    table = Event.__table__  # type: ignore[attr-defined]
    for n, values in enumerate(EVENT_VALUES):
        at = values["at"] + timedelta(days=n)
        with engine.begin() as connection:
            connection.execute(insert(table), {**values, "assignment_id": assignment_id, "at": at, "actor": "core"})
            _INSERT_EVENT.execute(connection, {**values, "assignment_id": assignment_id, "at": at, "actor": "pre"})
    session.expire_all()
    rows = session.exec(
        select(Event).where(Event.assignment_id == assignment_id, col(Event.actor).in_(["core", "pre"]))
    ).all()
    by_actor = {
        a: [(e.at, e.action, e.actor_account, e.comment, e.data) for e in rows if e.actor == a] for a in ("core", "pre")
    }
    assert by_actor["pre"] == by_actor["core"] and len(by_actor["core"]) == len(EVENT_VALUES)


def test_a_value_bound_by_the_expression_is_refused(engine: Engine) -> None:
    table = Event.__table__  # type: ignore[attr-defined]
    statement = insert(table).values(assignment_id=bindparam("assignment_id"), actor="bound here").inline()
    with pytest.raises(ValueError, match="named parameter"):
        Precompiled(statement).compiled(engine.dialect)
