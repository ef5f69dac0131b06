"""What one build of the digests reads once (notifications.digests.Reading) is what a fresh
computation at its instant gives: each row's lateness, each role's own held rows, the roster of
the day (read again by the next build), and the failed mails since the previous digest."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import update
from sqlmodel import Session, col, select

from dondoc.engine.clock import LOCAL_TZ, FrozenClock
from dondoc.engine.models import (
    Agency,
    Assignment,
    CommitteeMember,
    Milestone,
    Notification,
    NotificationStatus,
    PlanItem,
)
from dondoc.engine.settings import Settings
from dondoc.engine.workcalendar import WorkCalendar
from dondoc.notifications import MailSpec, build_digests, enqueue
from dondoc.notifications.digests import working_days_late
from tests.factories import assignment_for, load_min_catalog
from tests.support.catalogs import MIN_CATALOG

ITEM = "99/KH-TEST:II.1"
AFTER_DUE = datetime(2022, 7, 12, 7, 30, tzinfo=LOCAL_TZ)  # a Tuesday; milestone 1 was due 30/6/2022
CODES = ("so-noi-vu", "vp-ubnd", "ubnd-binh-son", "ubnd-ly-son")


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(_env_file=None, demo=True, base_url="http://dondoc.test", maildrop_dir=tmp_path)  # type: ignore[call-arg]


@pytest.fixture
def loaded(session: Session, clock: FrozenClock) -> dict[str, Assignment]:
    load_min_catalog(session, clock.now(), MIN_CATALOG)
    return {code: assignment_for(session, ITEM, code) for code in CODES}


def _hold(session: Session, settings: Settings, a: Assignment, kind: str, role: str, now: datetime) -> Notification:
    facts = {"due_at": a.due_at.isoformat() if a.due_at else None}
    spec = MailSpec(f"{kind}:{role}:{a.id}", kind, role, f"{role}@dondoc.example", None, a.id, "t", True, facts)
    row = enqueue(session, spec, now=now, settings=settings)
    assert row is not None
    return row


def _listed(digest: Notification) -> dict[int, int | None]:
    """assignment id → working days late, as a digest lists its rows."""
    groups = digest.data.get("groups") or digest.data["sections"]
    return {r["assignment_id"]: r["working_days_overdue"] for g in groups for r in g["rows"]}


def test_each_row_is_as_late_as_counted_afresh_and_each_role_reads_its_own_rows(
    session: Session, clock: FrozenClock, loaded: dict[str, Assignment], settings: Settings
) -> None:
    clock.set(AFTER_DUE)
    later = assignment_for(session, ITEM, "so-noi-vu", seq=2)
    session.execute(  # three due dates: 30/6 (two agencies), 1/7 and 5/7
        update(Assignment).where(col(Assignment.id) == loaded["vp-ubnd"].id).values(due_at=loaded["so-noi-vu"].due_at)
    )
    for a, due in ((loaded["ubnd-binh-son"], datetime(2022, 7, 1, 17)), (later, datetime(2022, 7, 5, 17))):
        session.execute(
            update(Assignment).where(col(Assignment.id) == a.id).values(due_at=due.replace(tzinfo=LOCAL_TZ))
        )
    session.commit()
    for a in (loaded["so-noi-vu"], loaded["vp-ubnd"], loaded["ubnd-binh-son"], later):
        session.refresh(a)
    vice = [loaded["so-noi-vu"], loaded["vp-ubnd"], loaded["ubnd-binh-son"], later]
    for a in vice:
        _hold(session, settings, a, "escalation", "vice-chair", AFTER_DUE - timedelta(hours=1))
    _hold(session, settings, loaded["ubnd-ly-son"], "escalation", "chair", AFTER_DUE - timedelta(hours=1))
    _hold(session, settings, loaded["ubnd-ly-son"], "overdue", "vice-chair", AFTER_DUE - timedelta(hours=1))
    _hold(session, settings, loaded["vp-ubnd"], "overdue", "secretariat", AFTER_DUE - timedelta(hours=1))
    _hold(session, settings, loaded["so-noi-vu"], "escalation", "secretariat", AFTER_DUE - timedelta(hours=1))
    session.commit()

    made = {d.recipient_role: d for d in build_digests(session, now=AFTER_DUE, settings=settings)}
    calendar = WorkCalendar.default()
    fresh = {a.id: working_days_late(a.due_at, AFTER_DUE, calendar, settings) for a in (*vice, loaded["ubnd-ly-son"])}
    assert len(set(fresh.values())) == 3  # the same due date twice, two others
    # Each role's digest lists its own kinds of held rows (read in one query for the three), each
    # row as late as counted for it alone at the digest's instant.
    assert _listed(made["vice-chair"]) == {a.id: fresh[a.id] for a in vice}
    assert _listed(made["chair"]) == {loaded["ubnd-ly-son"].id: fresh[loaded["ubnd-ly-son"].id]}
    assert _listed(made["secretariat"]) == {loaded["vp-ubnd"].id: fresh[loaded["vp-ubnd"].id]}


def test_a_body_that_no_longer_exists_is_named_so_with_who_decides_its_work(
    session: Session, clock: FrozenClock, loaded: dict[str, Assignment], settings: Settings
) -> None:
    """After 01/03/2025 the chair's digest listed Sở Ngoại vụ among the bodies that had not reported,
    with no word that it had ended on 28/02/2025: nobody there to chase."""
    clock.set(AFTER_DUE)
    session.execute(update(Agency).where(col(Agency.code) == "ubnd-ly-son").values(valid_to=date(2022, 7, 10)))
    session.commit()
    for code in ("ubnd-ly-son", "ubnd-binh-son"):
        _hold(session, settings, loaded[code], "escalation", "chair", AFTER_DUE - timedelta(hours=1))
    session.commit()
    (digest,) = [d for d in build_digests(session, now=AFTER_DUE, settings=settings) if d.recipient_role == "chair"]
    ended = {g["agency_name"]: g["ended_on"] for g in digest.data["groups"]}
    assert ended == {"UBND huyện Lý Sơn": "10/07/2022", "UBND huyện Bình Sơn": None}
    said = "UBND huyện Lý Sơn (hoạt động đến hết ngày 10/07/2022: phần việc do Tổ giúp việc phân công lại hoặc hủy)"
    assert said in digest.body_text


def test_priority_work_is_marked_and_counted_by_its_milestone_first(
    session: Session, clock: FrozenClock, loaded: dict[str, Assignment], settings: Settings
) -> None:
    """The chair asks which key tasks (nhiệm vụ trọng tâm) are late: a digest marks each row of
    priority work and says how many there are, by the milestone's own flag where the catalog gives
    one (1834/UBND-KGVX item 2 flags its radio bullet only), else the item's."""
    clock.set(AFTER_DUE)
    later = assignment_for(session, ITEM, "so-noi-vu", seq=2)
    session.execute(update(PlanItem).where(col(PlanItem.code) == ITEM).values(priority=True))
    session.execute(
        update(Milestone).where(col(Milestone.id) == loaded["so-noi-vu"].milestone_id).values(priority=False)
    )
    session.execute(update(Milestone).where(col(Milestone.id) == later.milestone_id).values(label="Phát thanh số"))
    session.execute(update(Assignment).where(col(Assignment.id) == later.id).values(due_at=loaded["so-noi-vu"].due_at))
    for a in (loaded["so-noi-vu"], later):
        _hold(session, settings, a, "escalation", "chair", AFTER_DUE - timedelta(hours=1))
        _hold(session, settings, a, "overdue", "secretariat", AFTER_DUE - timedelta(hours=1))
    session.commit()

    made = {d.recipient_role: d for d in build_digests(session, now=AFTER_DUE, settings=settings)}
    chair = made["chair"]
    rows = {r["assignment_id"]: r["priority"] for g in chair.data["groups"] for r in g["rows"]}
    assert rows == {loaded["so-noi-vu"].id: False, later.id: True}
    assert chair.data["priority"] == 1
    assert "Trong 2 phần việc này, 1 phần việc thuộc nhiệm vụ trọng tâm (ghi rõ ở từng dòng)." in chair.body_text
    for digest in (chair, made["secretariat"]):  # said beside the milestone whose flag it is
        assert digest.body_text.count("(nhiệm vụ trọng tâm)") == 1, digest.body_text
        assert "(mốc: Phát thanh số) (nhiệm vụ trọng tâm)" in digest.body_text
        assert digest.body_html is not None and digest.body_html.count("<em>(nhiệm vụ trọng tâm)</em>") == 1


def test_the_roster_is_read_by_each_build(
    session: Session, clock: FrozenClock, loaded: dict[str, Assignment], settings: Settings
) -> None:
    clock.set(AFTER_DUE)
    _hold(session, settings, loaded["so-noi-vu"], "escalation", "vice-chair", AFTER_DUE - timedelta(hours=1))
    _hold(session, settings, loaded["vp-ubnd"], "overdue", "secretariat", AFTER_DUE - timedelta(hours=1))
    session.commit()
    seats = {m.role: m.email for m in session.exec(select(CommitteeMember))}
    first = {d.recipient_role: d.recipient_email for d in build_digests(session, now=AFTER_DUE, settings=settings)}
    assert first == {"vice-chair": seats["vice-chair"], "secretariat": seats["secretariat"]}
    session.commit()
    session.execute(
        update(CommitteeMember).where(col(CommitteeMember.role) == "vice-chair").values(email="pho-moi@dondoc.example")
    )
    session.commit()
    tomorrow = AFTER_DUE + timedelta(days=1)
    second = {d.recipient_role: d.recipient_email for d in build_digests(session, now=tomorrow, settings=settings)}
    assert second == {"vice-chair": "pho-moi@dondoc.example", "secretariat": seats["secretariat"]}


def test_failed_mails_are_counted_since_the_previous_secretariat_digest(
    session: Session, clock: FrozenClock, loaded: dict[str, Assignment], settings: Settings
) -> None:
    clock.set(AFTER_DUE)
    _hold(session, settings, loaded["vp-ubnd"], "overdue", "secretariat", AFTER_DUE - timedelta(hours=1))
    session.commit()
    (first,) = build_digests(session, now=AFTER_DUE, settings=settings)
    assert first.data["counts"]["failed"] == 0 and first.data["failed"] == []  # none failed, ever
    session.commit()
    facts = {"due_at": loaded["vp-ubnd"].due_at.isoformat() if loaded["vp-ubnd"].due_at else None}
    spec = MailSpec(
        "overdue:agency:1", "overdue", "agency", "vp@dondoc.example", None, loaded["vp-ubnd"].id, "t", False, facts
    )
    agency_mail = enqueue(session, spec, now=AFTER_DUE, settings=settings)
    assert agency_mail is not None
    failed_at = AFTER_DUE + timedelta(hours=3)
    session.execute(
        update(Notification)
        .where(col(Notification.id) == agency_mail.id)
        .values(status=NotificationStatus.FAILED.value, next_attempt_at=failed_at, attempts=8, last_error="550")
    )
    session.commit()
    (second,) = build_digests(session, now=AFTER_DUE + timedelta(days=1), settings=settings)
    assert second.data["counts"]["failed"] == 1 and [m["id"] for m in second.data["failed"]] == [agency_mail.id]
    assert second.data["failed"][0] == {
        "id": agency_mail.id,
        "kind": "overdue",
        "recipient_email": "vp@dondoc.example",
        "recipient_name": None,
        "subject": agency_mail.subject,
        "attempts": 8,
        "last_error": "550",
    }
    # the mail named as the outbox names its kind, in Vietnamese, not by the code it is stored under
    said = f"Thư #{agency_mail.id} gửi vp@dondoc.example (Quá hạn), 8 lần thử"
    assert said in second.body_text and "(overdue)" not in second.body_text, second.body_text
    assert f"#{agency_mail.id} (Quá hạn)" in second.body_html
    session.commit()
    # still to be sent when the next is made (the relay down for a day): not the previous one, its
    # mails listed again, not passed on to a digest that may never leave
    unsent = build_digests(session, now=AFTER_DUE + timedelta(days=2), settings=settings)
    assert [[m["id"] for m in d.data["failed"]] for d in unsent] == [[agency_mail.id]]
    session.rollback()
    session.execute(update(Notification).where(col(Notification.id) == second.id).values(status="sent"))
    session.commit()
    third = build_digests(session, now=AFTER_DUE + timedelta(days=2), settings=settings)
    assert [d.data["counts"]["failed"] for d in third] == [0]  # it failed before the previous digest, sent


def test_a_digest_that_reached_nobody_is_not_the_previous_one(
    session: Session, clock: FrozenClock, loaded: dict[str, Assignment], settings: Settings
) -> None:
    """The failed mails a digest lists are those since the previous digest that reached the secretariat
    (sent): one that failed (its seat with no address, its mailbox refusing it) told nobody of
    them, so the next lists them again. It had counted from the failed digest: the mails it alone
    listed were in no digest anyone read, only in the queue's count."""
    clock.set(AFTER_DUE)
    _hold(session, settings, loaded["vp-ubnd"], "overdue", "secretariat", AFTER_DUE - timedelta(hours=1))
    session.commit()
    (first,) = build_digests(session, now=AFTER_DUE, settings=settings)
    session.execute(update(Notification).where(col(Notification.id) == first.id).values(status="sent"))
    session.commit()
    facts = {"due_at": loaded["vp-ubnd"].due_at.isoformat() if loaded["vp-ubnd"].due_at else None}
    spec = MailSpec(
        "overdue:agency:1", "overdue", "agency", "vp@dondoc.example", None, loaded["vp-ubnd"].id, "t", False, facts
    )
    agency_mail = enqueue(session, spec, now=AFTER_DUE, settings=settings)
    assert agency_mail is not None
    session.execute(
        update(Notification)
        .where(col(Notification.id) == agency_mail.id)
        .values(status=NotificationStatus.FAILED.value, next_attempt_at=AFTER_DUE + timedelta(hours=3), attempts=8)
    )
    session.commit()
    (second,) = build_digests(session, now=AFTER_DUE + timedelta(days=1), settings=settings)
    assert [m["id"] for m in second.data["failed"]] == [agency_mail.id]
    refused = AFTER_DUE + timedelta(days=1, hours=2)
    session.execute(
        update(Notification)
        .where(col(Notification.id) == second.id)
        .values(status=NotificationStatus.FAILED.value, next_attempt_at=refused, attempts=8, last_error="550")
    )
    session.commit()
    (third,) = build_digests(session, now=AFTER_DUE + timedelta(days=2), settings=settings)
    # the mail the failed digest alone told of, and that digest itself
    assert [m["id"] for m in third.data["failed"]] == [agency_mail.id, second.id], third.data["failed"]
    assert third.data["counts"]["failed"] == 2
    session.execute(update(Notification).where(col(Notification.id) == third.id).values(status="sent"))
    session.commit()
    (fourth,) = build_digests(session, now=AFTER_DUE + timedelta(days=3), settings=settings)
    assert fourth.data["counts"]["failed"] == 0  # the third reached the secretariat
