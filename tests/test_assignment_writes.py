"""Every writer of an assignment row compares and sets its version: a stale writer loses nothing."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from dondoc.engine.actors import Actor
from dondoc.engine.clock import FrozenClock, end_of_day
from dondoc.engine.errors import Conflict
from dondoc.engine.models import Assignment, Event
from dondoc.engine.models.assignments import RESWEEP
from dondoc.engine.services.assignment_writes import compare_and_set
from dondoc.engine.services.assignments import Request, act
from dondoc.engine.workflow import Action
from tests.factories import assignment_for, load_min_catalog
from tests.support.catalogs import MIN_CATALOG, edited_catalog

ITEM, AGENCY = "99/KH-TEST:II.1", "so-noi-vu"


def _row(engine: Engine, assignment_id: int) -> Assignment:
    with Session(engine) as session:
        found = session.get(Assignment, assignment_id)
        assert found is not None
        return found


def test_compare_and_set_writes_bumps_the_version_and_the_sweep_looks_again(
    engine: Engine, session: Session, clock: FrozenClock
) -> None:
    load_min_catalog(session, clock.now(), MIN_CATALOG)
    row = assignment_for(session, ITEM, AGENCY)
    session.execute(Assignment.__table__.update().values(next_sweep_at=end_of_day(date(2022, 6, 1))))  # type: ignore[attr-defined]
    session.commit()
    seen = row.version
    new_due = end_of_day(date(2022, 8, 31))
    written = compare_and_set(session, row, {"due_at": new_due})
    assert written is row and (row.version, row.due_at) == (seen + 1, new_due)
    assert row not in session.dirty  # the object holds what was written; nothing left to flush
    session.commit()
    stored = _row(engine, row.id or 0)
    assert (stored.version, stored.due_at, stored.next_sweep_at) == (seen + 1, new_due, RESWEEP)
    assert row.next_sweep_at == RESWEEP  # read again after the statement, trigger included


def test_a_stale_writer_changes_nothing_and_is_told(engine: Engine, session: Session, clock: FrozenClock) -> None:
    load_min_catalog(session, clock.now(), MIN_CATALOG)
    stale = assignment_for(session, ITEM, AGENCY)  # read at version 1
    with Session(engine) as other:
        act(other, stale.id or 0, Request(Action.ACKNOWLEDGE, Actor.agency(AGENCY)), now=clock.now())
        other.commit()
    with pytest.raises(Conflict, match=r"sau phiên bản 1 đã đọc \(nay là phiên bản 2\): Tiếp nhận, do Sở Nội vụ lúc"):
        compare_and_set(session, stale, {"role": "lead"})
    session.rollback()
    stored = _row(engine, stale.id or 0)
    assert (stored.version, stored.role, stored.state) == (2, "implementer", "in_progress")


def test_catalog_sync_does_not_overwrite_a_change_made_since_it_read(
    engine: Engine, session: Session, clock: FrozenClock, tmp_path: Path
) -> None:
    """The load moves milestone 2's due date; a row it holds changed meanwhile: the load is refused whole."""
    load_min_catalog(session, clock.now(), MIN_CATALOG)
    held = assignment_for(session, ITEM, AGENCY, seq=2)  # the load's session holds this row at version 1
    with Session(engine) as other:
        act(other, held.id or 0, Request(Action.ACKNOWLEDGE, Actor.agency(AGENCY)), now=clock.now())
        other.commit()
    events = len(session.exec(select(Event)).all())
    with pytest.raises(
        Conflict,
        match=r"Phần việc của Sở Nội vụ ở nhiệm vụ 99/KH-TEST:II\.1 \(Triển khai phương án\) đã thay đổi sau "
        "phiên bản 1",
    ):
        load_min_catalog(session, clock.now(), edited_catalog(tmp_path))
    session.rollback()
    stored = _row(engine, held.id or 0)
    assert (stored.version, stored.state) == (2, "in_progress")
    assert len(session.exec(select(Event)).all()) == events
    # Read afresh, the same load goes through and moves the date with a version of its own.
    session.expire_all()
    load_min_catalog(session, clock.now(), edited_catalog(tmp_path / "again"))
    stored = _row(engine, held.id or 0)
    assert (stored.version, stored.state, stored.due_at) == (3, "in_progress", end_of_day(date(2022, 11, 30)))
