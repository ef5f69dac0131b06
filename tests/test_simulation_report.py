"""simulation.report.summarise reads the keys of an outbox row's data in SQL: the values data.get gives."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from sqlmodel import Session

from dondoc.engine.clock import FrozenClock
from dondoc.engine.models import Notification
from dondoc.engine.services.successions import apply_due_successions
from dondoc.simulation.report import summarise
from tests.factories import assignment_for, load_min_catalog
from tests.support.successions import ON, at, succession_catalog, successions_yaml
from tests.support.web import ITEM


def _row(clock: FrozenClock, n: int, kind: str, role: str, data: dict, **more: object) -> Notification:
    """The outbox row ``n``, made ``n`` minutes after the clock's instant (``more``: its other columns)."""
    return _made(clock.now() + timedelta(minutes=n), n, kind, role, data, **more)


def _made(when: datetime, n: int, kind: str, role: str, data: dict, **more: object) -> Notification:
    return Notification(
        dedupe_key=f"k{n}",
        kind=kind,
        recipient_role=role,
        recipient_email=f"{role}@example.vn",
        created_at=when,
        next_attempt_at=when,
        data=data,
        **more,
    )


def test_summary_reads_the_data_keys_as_python_would(session: Session, clock: FrozenClock) -> None:
    rung = {"rule": "qua-han-1", "anchor": "2022-02-28", "working_days_overdue": 3, "items": [{"x": 1}] * 50}
    digest = {"day": "2022-03-02", "plan_id": 7, "rows": [{"title": "Nhiệm vụ", "ids": list(range(40))}] * 30}
    session.add_all(
        [
            _row(clock, 1, "escalation", "vice-chair", rung),
            _row(clock, 2, "escalation", "vice-chair", dict(rung)),  # the same decision twice
            _row(clock, 3, "escalation", "chair", {"rule": "qua-han-5", "working_days_overdue": 2.5}),
            _row(clock, 4, "digest_leader", "chair", digest),
            _row(clock, 5, "digest_leader", "chair", {**digest, "day": "2022-03-03"}),
            _row(clock, 6, "periodic_report", "chair", {"period_code": "2022-Q1", "summary": {"overdue": 1}}),
            _row(clock, 7, "periodic_report", "chair", {"period_code": "2022-Q1", "note": None}),  # twice
            _row(clock, 8, "reminder", "agency", {}),
        ]
    )
    session.commit()
    summary = summarise(session, now=clock.now() + timedelta(days=1), maildrop=None)
    assert summary["notifications"]["total"] == 8
    assert summary["notifications"]["by_kind"] == {
        "escalation→vice-chair": 2,
        "escalation→chair": 1,
        "digest_leader→chair": 2,
        "periodic_report→chair": 2,
        "reminder→agency": 1,
    }
    assert [(e["to"], e["rule"], e["working_days_overdue"]) for e in summary["escalations"]] == [
        ("vice-chair", "qua-han-1", 3),
        ("vice-chair", "qua-han-1", 3),
        ("chair", "qua-han-5", 2.5),
    ]
    assert type(summary["escalations"][0]["working_days_overdue"]) is int
    assert summary["duplicates"]["same_decision"] == 2  # the escalation and the periodic report


def test_work_passed_on_is_named_under_the_body_that_held_it_the_day_of_each_mail(
    session: Session, tmp_path: Path
) -> None:
    """Văn phòng UBND tỉnh renamed on 01/08/2022: its reminder and escalation of July name it, not the
    new office the work passed to (the 2024–2025 replay's summary named the successors' codes for the
    escalations of 2024); those of August name the new office."""
    load_min_catalog(session, at("2022-03-02"), succession_catalog(tmp_path, successions_yaml("rename")))
    part = assignment_for(session, ITEM, "vp-ubnd").id
    apply_due_successions(session, now=at(ON, 0))
    session.commit()
    rows = [
        ("reminder", "agency", at("2022-07-26", 8), {"rule": "qua-han"}),
        ("escalation", "chair", at("2022-07-29", 8), {"rule": "qua-han-5"}),
        ("reminder", "agency", at("2022-08-02", 8), {"rule": "qua-han"}),
        ("escalation", "chair", at("2022-08-03", 8), {"rule": "qua-han-10"}),
    ]
    for n, (kind, role, when, data) in enumerate(rows):
        # July's escalation told in a digest, August's not (yet)
        session.add(_made(when, n, kind, role, data, assignment_id=part, carried_by_id=1 if n == 1 else None))
    session.commit()
    summary = summarise(session, now=at("2022-08-04"), maildrop=None)
    assert [(e["date"], e["agency"], e["told"]) for e in summary["escalations"]] == [
        ("2022-07-29", "vp-ubnd", True),
        ("2022-08-03", "vp-ubnd-moi", False),
    ]
    assert summary["reminded"] == {"vp-ubnd": 1, "vp-ubnd-moi": 1}
