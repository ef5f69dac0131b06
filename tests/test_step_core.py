"""act() on its Core path: the object it returns, facts read afresh at each step, and the bulk
creation of assignments (engine.services.assignment_creation)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import update
from sqlmodel import Session, col, select

from dondoc.engine.actors import SECRETARIAT, SYSTEM, Actor
from dondoc.engine.clock import FrozenClock
from dondoc.engine.errors import NotFound, PermissionDenied
from dondoc.engine.models import Agency, Assignment, Event, Milestone
from dondoc.engine.models.assignments import RESWEEP
from dondoc.engine.services.assignment_creation import NewAssignment, create_assignments
from dondoc.engine.services.assignments import Request, act, apply_step
from dondoc.engine.workflow import Action
from tests.factories import assignment_for, load_min_catalog
from tests.support.catalogs import MIN_CATALOG

ITEM, AGENCY = "99/KH-TEST:II.1", "so-noi-vu"


@pytest.fixture
def loaded(session: Session, clock: FrozenClock) -> Assignment:
    load_min_catalog(session, clock.now(), MIN_CATALOG)
    return assignment_for(session, ITEM, AGENCY)


def test_act_refreshes_the_object_the_session_holds(session: Session, clock: FrozenClock, loaded: Assignment) -> None:
    result = act(session, loaded.id or 0, Request(Action.ACKNOWLEDGE, Actor.agency(AGENCY)), now=clock.now())
    assert result is loaded
    assert (loaded.state, loaded.version, loaded.acknowledged_at) == ("in_progress", 2, clock.now())
    assert loaded not in session.dirty
    session.commit()
    session.expire_all()
    assert loaded.next_sweep_at == RESWEEP  # read again from the row: the trigger reset it


def test_act_returns_a_persistent_object_when_the_session_holds_none(
    engine, clock: FrozenClock, loaded: Assignment
) -> None:  # type: ignore[no-untyped-def]
    with Session(engine) as fresh:
        result = act(fresh, loaded.id or 0, Request(Action.ACKNOWLEDGE, Actor.agency(AGENCY)), now=clock.now())
        assert result is fresh.get(Assignment, loaded.id)  # the session's own object, no second read
        assert (result.state, result.version, result.role) == ("in_progress", 2, "implementer")
        result.progress = 40  # an ordinary persistent object: a change is flushed as usual
        fresh.commit()
        assert result.next_sweep_at == RESWEEP
    with Session(engine) as check:
        stored = check.get(Assignment, loaded.id)
        assert stored is not None and (stored.state, stored.progress) == ("in_progress", 40)
        assert stored.next_sweep_at == RESWEEP  # what act's object said: the trigger reset it


def test_apply_step_makes_no_object_but_refreshes_one_the_session_holds(
    engine, clock: FrozenClock, loaded: Assignment
) -> None:  # type: ignore[no-untyped-def]
    assignment_id = loaded.id or 0
    with Session(engine) as fresh:
        apply_step(fresh, assignment_id, Request(Action.ACKNOWLEDGE, Actor.agency(AGENCY)), now=clock.now())
        assert not list(fresh.identity_map.values())  # nothing made for the caller that does not ask
        fresh.commit()
    with Session(engine) as holding:
        held = holding.get(Assignment, assignment_id)
        assert held is not None and held.state == "in_progress"
        apply_step(
            holding,
            assignment_id,
            Request(Action.REPORT, Actor.agency(AGENCY), comment="Đã hoàn thành."),
            now=clock.now(),
        )
        # the session's own copy is the row as written, never a stale one
        assert (held.state, held.version, held.reported_at, held.progress) == ("reported", 3, clock.now(), 100)
        assert held not in holding.dirty
        holding.commit()
    with Session(engine) as check:
        stored = check.get(Assignment, assignment_id)
        assert stored is not None and (stored.state, stored.version, stored.next_sweep_at) == ("reported", 3, RESWEEP)
        events = check.exec(select(Event.action).where(Event.assignment_id == assignment_id)).all()
        assert events.count("acknowledge") == 1 and events.count("report") == 1


def test_apply_step_refuses_as_act_does(engine, clock: FrozenClock, loaded: Assignment) -> None:  # type: ignore[no-untyped-def]
    with Session(engine) as fresh:
        with pytest.raises(PermissionDenied, match="thuộc cơ quan khác"):
            apply_step(fresh, loaded.id or 0, Request(Action.ACKNOWLEDGE, Actor.agency("vp-ubnd")), now=clock.now())
        with pytest.raises(NotFound):
            apply_step(fresh, 10_000, Request(Action.ACKNOWLEDGE, Actor.agency(AGENCY)), now=clock.now())
        assert not fresh.exec(
            select(Event).where(Event.assignment_id == loaded.id, Event.action == "acknowledge")
        ).all()


def test_each_step_judges_the_agency_as_it_is_now(session: Session, clock: FrozenClock, loaded: Assignment) -> None:
    """No fact outlives its step: a renamed agency acts under its new code only, at once."""
    act(session, loaded.id or 0, Request(Action.ACKNOWLEDGE, Actor.agency(AGENCY)), now=clock.now())
    session.commit()
    session.execute(update(Agency).where(col(Agency.code) == AGENCY).values(code="so-noi-vu-moi"))
    with pytest.raises(NotFound, match="so-noi-vu"):
        act(
            session,
            loaded.id or 0,
            Request(Action.REPORT, Actor.agency(AGENCY), comment="Đã hoàn thành."),
            now=clock.now(),
        )
    other = assignment_for(session, ITEM, "vp-ubnd")
    with pytest.raises(
        PermissionDenied,
        match=r'không được thực hiện "Tiếp nhận": phần việc của Văn phòng UBND tỉnh ở nhiệm vụ 99/KH-TEST:II\.1 '
        r"\(Phê duyệt cấp độ\) thuộc cơ quan khác",
    ):
        act(session, other.id or 0, Request(Action.ACKNOWLEDGE, Actor.agency("so-noi-vu-moi")), now=clock.now())
    with pytest.raises(PermissionDenied, match='^Hệ thống không được thực hiện "Tiếp nhận"'):  # a sentence's capital
        act(session, other.id or 0, Request(Action.ACKNOWLEDGE, SYSTEM), now=clock.now())
    act(
        session,
        loaded.id or 0,
        Request(Action.REPORT, Actor.agency("so-noi-vu-moi"), comment="Đã hoàn thành."),
        now=clock.now(),
    )
    assert loaded.state == "reported"


def test_bulk_creation_writes_rows_and_events_in_order(session: Session, clock: FrozenClock) -> None:
    load_min_catalog(session, clock.now(), MIN_CATALOG)
    milestone = session.exec(select(Milestone).order_by(col(Milestone.id))).first()
    assert milestone is not None and milestone.id is not None
    added = [Agency(code=f"moi-{n}", name=f"Cơ quan mới {n}", short=f"CQ {n}", kind="so") for n in range(3)]
    session.add_all(added)
    session.flush()
    free = [a.id or 0 for a in added]
    due, now = clock.now() + timedelta(days=30), clock.now() + timedelta(hours=1)
    new = [
        NewAssignment(milestone.id, free[0], "lead", due, now, False),
        NewAssignment(milestone.id, free[1], "partner", due, now, True),
        NewAssignment(milestone.id, free[2], "implementer", None, now, False),
    ]
    ids = create_assignments(session, new, now=now, actor="secretariat", comment="c", data={"user": "tgv"})
    session.commit()
    rows = [session.get(Assignment, i) for i in ids]
    assert [(r.agency_id, r.role, r.state) for r in rows if r] == [
        (free[0], "lead", "assigned"),
        (free[1], "partner", "verified"),
        (free[2], "implementer", "assigned"),
    ]
    done = rows[1]
    assert done is not None and (done.reported_at, done.verified_at, done.progress) == (now, now, 100)
    assert rows[2] is not None and rows[2].due_at is None and rows[2].next_sweep_at == RESWEEP
    events = session.exec(select(Event).where(col(Event.assignment_id).in_(ids)).order_by(col(Event.id))).all()
    assert [(e.assignment_id, e.action, e.to_state, e.actor, e.comment, e.data) for e in events] == [
        (ids[0], "assign", "assigned", "secretariat", "c", {"user": "tgv"}),
        (ids[1], "import_done", "verified", "secretariat", "c", {"user": "tgv"}),
        (ids[2], "assign", "assigned", "secretariat", "c", {"user": "tgv"}),
    ]
    assert create_assignments(session, [], now=now, actor="secretariat") == []


def test_a_refused_step_writes_nothing(session: Session, clock: FrozenClock, loaded: Assignment) -> None:
    events = len(session.exec(select(Event).where(Event.assignment_id == loaded.id)).all())
    with pytest.raises(PermissionDenied):
        act(session, loaded.id or 0, Request(Action.VERIFY, Actor.agency(AGENCY)), now=clock.now())
    with pytest.raises(PermissionDenied):
        act(session, loaded.id or 0, Request(Action.ACKNOWLEDGE, SECRETARIAT), now=clock.now())
    session.rollback()
    stored = session.get(Assignment, loaded.id, populate_existing=True)
    assert stored is not None and (stored.state, stored.version) == ("assigned", 1)
    assert len(session.exec(select(Event).where(Event.assignment_id == loaded.id)).all()) == events
