"""simulation.report.summarise reads the keys of an outbox row's data in SQL: the values data.get gives."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session

from dondoc.engine.clock import FrozenClock
from dondoc.engine.models import Notification
from dondoc.simulation.report import summarise


def _row(clock: FrozenClock, n: int, kind: str, role: str, data: dict) -> Notification:
    at = clock.now() + timedelta(minutes=n)
    return Notification(
        dedupe_key=f"k{n}",
        kind=kind,
        recipient_role=role,
        recipient_email=f"{role}@example.vn",
        created_at=at,
        next_attempt_at=at,
        data=data,
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
