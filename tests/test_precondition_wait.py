"""A precondition the secretariat marks as not met: the row waits ("Chờ điều kiện"), the ladder
pauses and queued mails are skipped until the condition is met; and a standing duty ("kể từ
ngày …") is its own category, never overdue. On both databases."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import update
from sqlmodel import Session, select

from dondoc.engine.actors import Actor
from dondoc.engine.clock import LOCAL_TZ, FrozenClock
from dondoc.engine.errors import ConditionNotMet
from dondoc.engine.escalation.recheck import skip_reason
from dondoc.engine.models import Assignment, Event, Milestone, Notification, PlanItem
from dondoc.engine.services.assignments import Request, act
from dondoc.engine.services.queries import category_counts, get_assignment, list_assignments
from dondoc.engine.status import Category
from dondoc.engine.workflow import Action
from tests.factories import assignment_for, load_min_catalog
from tests.support.catalogs import MIN_CATALOG, STANDING_ITEM, with_items
from tests.support.sweep import run_sweep

SECRETARIAT = Actor.parse("secretariat")
CONDITION = "Khi có hướng dẫn của Bộ Thông tin và Truyền thông"
ITEM, AGENCY = "99/KH-TEST:II.1", "so-noi-vu"  # due Thu 30/06/2022


@pytest.fixture
def loaded(session: Session, clock: FrozenClock) -> int:
    load_min_catalog(session, clock.now(), MIN_CATALOG)
    session.execute(update(PlanItem).values(priority=False))  # the normal ladder
    session.commit()
    assignment_id = assignment_for(session, ITEM, AGENCY).id
    assert assignment_id is not None
    return assignment_id


def _give_precondition(session: Session, assignment_id: int) -> None:
    assignment = session.get(Assignment, assignment_id)
    assert assignment is not None
    session.execute(update(Milestone).where(Milestone.id == assignment.milestone_id).values(condition=CONDITION))
    session.commit()


def _do(session: Session, assignment_id: int, action: Action, now: datetime, comment: str | None = None) -> None:
    act(session, assignment_id, Request(action, SECRETARIAT, comment=comment), now=now)
    session.commit()


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 8, 0, tzinfo=LOCAL_TZ)


def test_marking_and_unmarking_a_precondition(session: Session, clock: FrozenClock, loaded: int) -> None:
    _give_precondition(session, loaded)
    now = _at(date(2022, 7, 5))  # overdue since 01/07
    assert get_assignment(session, loaded, now).category == Category.OVERDUE.value
    _do(session, loaded, Action.AWAIT_CONDITION, now, comment="Bộ TT&TT chưa ban hành hướng dẫn")
    detail = get_assignment(session, loaded, now)
    assert (detail.category, detail.category_label) == (Category.WAITING.value, "Chờ điều kiện hoặc chưa có thời hạn")
    assert len(list_assignments(session, now, status=Category.WAITING.value)) == 2  # with II.2, waiting by text
    assert [e.comment for e in detail.history if e.action == "await_condition"] == ["Bộ TT&TT chưa ban hành hướng dẫn"]
    with pytest.raises(ConditionNotMet, match="đang chờ điều kiện"):  # not twice
        act(session, loaded, Request(Action.AWAIT_CONDITION, SECRETARIAT, comment="lại"), now=now)
    session.rollback()
    later = now + timedelta(days=10)
    _do(session, loaded, Action.CONDITION_MET, later)
    assert get_assignment(session, loaded, later).category == Category.OVERDUE.value  # the date stands: still late
    met = session.exec(select(Event).where(Event.assignment_id == loaded, Event.action == "condition_met")).one()
    assert datetime.fromisoformat(met.data["waited_since"]) == now
    with pytest.raises(ConditionNotMet, match="không ở trạng thái chờ điều kiện"):
        act(session, loaded, Request(Action.CONDITION_MET, SECRETARIAT), now=later)


def test_a_milestone_without_a_precondition_cannot_wait(session: Session, clock: FrozenClock, loaded: int) -> None:
    with pytest.raises(ConditionNotMet, match="không kèm điều kiện") as refused:
        act(session, loaded, Request(Action.AWAIT_CONDITION, SECRETARIAT, comment="?"), now=_at(date(2022, 7, 5)))
    assert refused.value.condition == "has_precondition"


def _decided_days(session: Session, assignment_id: int) -> dict[str, date]:
    rows = session.exec(select(Notification).where(Notification.assignment_id == assignment_id)).all()
    return {n.dedupe_key: n.created_at.astimezone(LOCAL_TZ).date() for n in rows}


def test_the_sweep_decides_nothing_while_waiting_and_resumes_after(
    session: Session, clock: FrozenClock, loaded: int
) -> None:
    _give_precondition(session, loaded)
    marked, met = date(2022, 6, 20), date(2022, 7, 15)
    day = date(2022, 6, 1)
    while day <= date(2022, 7, 20):
        if day == marked:
            _do(session, loaded, Action.AWAIT_CONDITION, _at(day) - timedelta(minutes=1), comment="chưa có hướng dẫn")
        if day == met:
            _do(session, loaded, Action.CONDITION_MET, _at(day) - timedelta(minutes=1))
        run_sweep(session, _at(day))
        day += timedelta(days=1)
    days = _decided_days(session, loaded)
    assert not [key for key, d in days.items() if marked <= d < met], "nothing decided while waiting"
    resumed = {key.split(":")[0] for key, d in days.items() if d == met}
    assert "qua-han" in resumed  # the ladder resumes the day the wait ends (snooze's catch-up window)
    # Another agency's row of the same milestone, never marked, kept its ladder throughout.
    other = assignment_for(session, ITEM, "ubnd-ly-son").id
    assert other is not None
    assert any(marked <= d < met for d in _decided_days(session, other).values())


def test_a_queued_mail_is_skipped_while_waiting(session: Session, clock: FrozenClock, loaded: int) -> None:
    _give_precondition(session, loaded)
    decided_at = _at(date(2022, 7, 1))  # the first overdue notices
    run_sweep(session, decided_at)
    queued = session.exec(select(Notification).where(Notification.assignment_id == loaded)).all()
    assert queued and all(skip_reason(session, n, decided_at) is None for n in queued)
    _do(session, loaded, Action.AWAIT_CONDITION, decided_at + timedelta(minutes=5), comment="chưa có hướng dẫn")
    sending = decided_at + timedelta(minutes=10)
    reasons = {skip_reason(session, n, sending) for n in queued}
    assert len(reasons) == 1 and "chờ điều kiện" in str(next(iter(reasons)))
    _do(session, loaded, Action.CONDITION_MET, sending + timedelta(minutes=5))
    assert all(skip_reason(session, n, sending + timedelta(minutes=10)) is None for n in queued)


def test_a_standing_duty_is_its_own_category(session: Session, clock: FrozenClock, tmp_path: Path) -> None:
    directory = with_items(tmp_path, STANDING_ITEM)
    load_min_catalog(session, clock.now(), directory)
    row = assignment_for(session, "99/KH-TEST:II.9", "so-tttt")
    assert row.due_at is None and row.id is not None
    before = get_assignment(session, row.id, _at(date(2022, 6, 30)))  # not begun: not standing yet, never "not yet due"
    said = "Nhiệm vụ thường xuyên chưa đến ngày áp dụng"
    assert (before.category, before.category_label) == (Category.STANDING_NOT_BEGUN.value, said)
    for now in (_at(date(2022, 7, 1)), _at(date(2023, 6, 30))):  # on its start, long after
        detail = get_assignment(session, row.id, now)
        assert (detail.category, detail.category_label) == (Category.STANDING.value, "Nhiệm vụ thường xuyên")
        (total,) = category_counts(session, now)
        assert total.counts[Category.STANDING.value] == 1
        assert total.counts[Category.WAITING.value] == 1  # II.2's due date waits on a condition: still waiting
    day = date(2022, 6, 1)
    while day <= date(2022, 12, 31):  # never reminded, never escalated (only the notice of a new task)
        run_sweep(session, _at(day))
        day += timedelta(days=7)
    assert {key.split(":")[0] for key in _decided_days(session, row.id)} <= {
        "giao-moi",
        "chua-tiep-nhan-3",
        "chua-tiep-nhan-5",
    }
    act(session, row.id, Request(Action.ACKNOWLEDGE, Actor.agency("so-tttt")), now=_at(date(2022, 7, 2)))
    act(
        session,
        row.id,
        Request(Action.REPORT, Actor.agency("so-tttt"), comment="Đã hoàn thành."),
        now=_at(date(2022, 7, 3)),
    )
    session.commit()
    assert get_assignment(session, row.id, _at(date(2022, 7, 4))).category == Category.DONE_ON_TIME.value
