"""A lead (cơ quan chủ trì) hears of its partners' missing inputs in one mail per delivery, listing
each partner, not in one mail per partner (a real SMTP server, aiosmtpd on 127.0.0.1).

The 2022 replay mailed Sở Thông tin và Truyền thông 41 times in one hour on 23/09/2022, each mail
"[Đôn đốc] Để biết: Sở Nội vụ (phối hợp) chưa gửi ý kiến: 04/KH-BCĐ:II.4", then Sở KH&ĐT, Sở Tài
chính, … (two items, 16 and 25 partners): a focal point given 41 such mails in a morning reads none.
Each partner's own row stays in the outbox, decided, re-checked and marked sent or failed by itself;
one message carries the lead's rows of a delivery that are still true when it leaves."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from dondoc import jobs
from dondoc.engine.actors import Actor
from dondoc.engine.clock import LOCAL_TZ, FrozenClock
from dondoc.engine.models import Notification, NotificationStatus, PlanItem
from dondoc.engine.settings import Settings
from dondoc.engine.workflow import Action
from dondoc.notifications import deliver
from dondoc.notifications.failed import resend
from tests.factories import assignment_for, load_min_catalog, step
from tests.smtp_server import SmtpServer, delivering_to, free_port
from tests.support.catalogs import shared_task_catalog
from tests.support.lead_lists import assert_sent_in_one_list
from tests.support.sweep import CALENDAR

ITEM = "99/KH-TEST:II.2"
PARTNERS = {"ubnd-ly-son": "UBND huyện Lý Sơn", "ubnd-binh-son": "UBND huyện Bình Sơn", "so-noi-vu": "Sở Nội vụ"}
LEAD = "vp-ubnd@dondoc.example"
RUNG = CALENDAR.add_working_days(date(2022, 7, 29), -5)  # the partners' input 5 working days before the date


@pytest.fixture
def settings(tmp_path: Path, smtp: SmtpServer) -> Settings:
    return delivering_to(smtp, tmp_path / "drop")


@pytest.fixture
def swept(session: Session, engine: Engine, clock: FrozenClock, settings: Settings, tmp_path: Path) -> datetime:
    """II.2 led by Văn phòng UBND tỉnh with three partners, due 29/07/2022; the sweep of the partners'
    rung day has written each partner's mail and the lead's copy of each (nothing delivered yet)."""
    copy = shared_task_catalog(tmp_path, partners=tuple(PARTNERS))
    load_min_catalog(session, clock.now(), copy)
    session.execute(update(PlanItem).values(priority=False))
    session.commit()
    at = datetime.combine(RUNG, datetime.min.time(), LOCAL_TZ).replace(hour=8, minute=5)
    clock.set(at)
    jobs.run_sweep(engine, now=at, settings=settings)
    assert len(_lead_rows(session)) == 3
    return at


def _lead_rows(session: Session) -> list[Notification]:
    session.expire_all()
    return list(
        session.exec(
            select(Notification)
            .where(Notification.kind == "partner_input", Notification.recipient_role == "lead")
            .order_by(col(Notification.id))
        ).all()
    )


def _to_lead(smtp: SmtpServer) -> list[str]:
    """The bodies of the messages about partners' inputs the lead received."""
    return [
        m.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
        for m in smtp.handler.messages()
        if LEAD in str(m["To"]) and "chưa gửi ý kiến" in str(m["Subject"])
    ]


def test_the_lead_gets_one_mail_listing_every_partner_and_each_row_is_sent(
    session: Session, engine: Engine, settings: Settings, smtp: SmtpServer, swept: datetime
) -> None:
    deliver(engine, now=swept, settings=settings)
    (body,) = _to_lead(smtp)  # before: three mails, one per partner
    for name in PARTNERS.values():
        assert f"- {name}: chưa gửi ý kiến, kết quả phối hợp (thời hạn 29/07/2022)" in body, body
    assert f"\n{ITEM} — Việc chờ hướng dẫn\n" in body and "- Nội dung:" not in body, body  # the item once
    assert "Các cơ quan phối hợp dưới đây chưa gửi ý kiến, kết quả phối hợp" in body, body
    subjects = [
        str(m["Subject"]) for m in smtp.handler.messages() if LEAD in str(m["To"]) and "chưa gửi" in str(m["Subject"])
    ]
    assert subjects == [f"[Đôn đốc] Để biết: 3 cơ quan phối hợp chưa gửi ý kiến: {ITEM}"]
    assert_sent_in_one_list(_lead_rows(session))
    # each partner still has its own mail, asking it for its input
    partners = session.exec(
        select(Notification).where(Notification.kind == "partner_input", Notification.recipient_role == "partner")
    ).all()
    assert len(partners) == 3 and {p.status for p in partners} == {NotificationStatus.SENT}


def test_a_partner_that_sent_its_input_before_the_mail_left_is_not_listed(
    session: Session, engine: Engine, clock: FrozenClock, settings: Settings, smtp: SmtpServer, swept: datetime
) -> None:
    partner = assignment_for(session, ITEM, "ubnd-binh-son")
    agency = Actor.agency("ubnd-binh-son")
    step(session, clock, partner, Action.ACKNOWLEDGE, agency)
    step(session, clock, partner, Action.REPORT, agency, comment="Đã gửi ý kiến.")
    deliver(engine, now=clock.now() + timedelta(minutes=1), settings=settings)
    (body,) = _to_lead(smtp)
    assert "UBND huyện Bình Sơn" not in body and "UBND huyện Lý Sơn" in body and "Sở Nội vụ" in body
    rows = {r.assignment_id: r for r in _lead_rows(session)}
    assert rows[partner.id].status == NotificationStatus.SKIPPED and rows[partner.id].last_error
    assert {r.status for i, r in rows.items() if i != partner.id} == {NotificationStatus.SENT}


def test_a_refused_list_fails_every_row_and_sent_again_goes_as_one_mail(
    session: Session, engine: Engine, clock: FrozenClock, settings: Settings, smtp: SmtpServer, swept: datetime
) -> None:
    smtp.handler.refuse_recipient(LEAD)
    deliver(engine, now=swept, settings=settings)
    rows = _lead_rows(session)
    assert {r.status for r in rows} == {NotificationStatus.FAILED}, [(r.status, r.last_error) for r in rows]
    assert all("550" in (r.last_error or "") for r in rows)
    smtp.handler.accept_recipient(LEAD)
    later = swept + timedelta(hours=1)
    resend(session, [r.id for r in rows], later, settings=settings)
    session.commit()
    deliver(engine, now=later, settings=settings)
    (body,) = _to_lead(smtp)
    assert all(name in body for name in PARTNERS.values()), body
    assert {r.status for r in _lead_rows(session)} == {NotificationStatus.SENT}


def test_a_list_the_relay_put_off_is_retried_whole(
    session: Session, engine: Engine, clock: FrozenClock, settings: Settings, smtp: SmtpServer, swept: datetime
) -> None:
    rows = _lead_rows(session)
    smtp.handler.refuse_recipient(LEAD, "451 4.2.1 Mailbox busy, try later")
    deliver(engine, now=swept, settings=settings)
    assert {(r.status, r.attempts) for r in _lead_rows(session)} == {(NotificationStatus.PENDING, 1)}
    smtp.handler.accept_recipient(LEAD)
    deliver(engine, now=swept + timedelta(hours=1), settings=settings)
    (body,) = _to_lead(smtp)
    assert all(name in body for name in PARTNERS.values()), body
    again = _lead_rows(session)
    assert {r.status for r in again} == {NotificationStatus.SENT}
    assert [r.id for r in again] == [r.id for r in rows] and {r.attempts for r in again} == {2}  # each tried twice


def test_a_list_made_ready_when_the_relay_went_down_gives_its_rows_back(
    session: Session, engine: Engine, settings: Settings, swept: datetime
) -> None:
    """The relay down at the batch's first mail: the row made ready beside it (a lead's list, which
    took the other copies under its own holder) is given back, and so are the copies it took; they
    had stayed held for the claim's ten minutes, the next run sending the first copy alone and the
    others ten minutes later in a second mail."""
    pending = session.exec(
        select(Notification).where(Notification.status == NotificationStatus.PENDING).order_by(col(Notification.id))
    ).all()
    # the batch starts at the mail just before a lead's first copy, so that the copy is made ready beside it
    start = next(i for i, n in enumerate(pending[:-1]) if pending[i + 1].recipient_role == "lead")
    before = [n.id for n in pending[:start]]
    session.execute(update(Notification).where(col(Notification.id).in_(before)).values(status="skipped"))
    session.commit()
    closed = settings.model_copy(update={"smtp_port": free_port()})  # nothing listens there
    report = deliver(engine, now=swept, settings=closed)
    assert report.sender_down
    session.expire_all()
    rows = session.exec(select(Notification).where(Notification.status == NotificationStatus.PENDING)).all()
    assert any(r.recipient_role == "lead" for r in rows)
    held = [(r.id, r.kind, r.claimed_by) for r in rows if r.claimed_by is not None]
    assert held == [], held


# A lead's list takes the lead's other copies only while nobody else holds them (notifications.claims:
# the guard on claimed_by/claimed_until, read with the rows and again in the UPDATE that takes them).
OTHER = "other-host:4242:abc"  # another machine's worker: never taken for gone (claims.holder_is_gone)


def _hold(engine: Engine, row_id: int, until: datetime) -> None:
    with engine.begin() as connection:
        connection.execute(
            update(Notification).where(col(Notification.id) == row_id).values(claimed_by=OTHER, claimed_until=until)
        )


def _name(session: Session, row: Notification) -> str:
    return next(n for code, n in PARTNERS.items() if code in (row.dedupe_key or "") or n in (row.body_text or ""))


def test_a_copy_another_worker_holds_is_left_to_it_and_one_whose_lease_ran_out_is_carried(
    session: Session,
    engine: Engine,
    settings: Settings,
    smtp: SmtpServer,
    swept: datetime,
) -> None:
    first, running, ran_out = _lead_rows(session)
    _hold(engine, running.id or 0, swept + timedelta(minutes=5))
    _hold(engine, ran_out.id or 0, swept - timedelta(minutes=1))
    deliver(engine, now=swept, settings=settings)
    (body,) = _to_lead(smtp)
    assert _name(session, running) not in body and _name(session, ran_out) in body, body
    rows = {r.id: r for r in _lead_rows(session)}
    assert rows[running.id].status == NotificationStatus.PENDING and rows[running.id].claimed_by == OTHER
    assert rows[ran_out.id].status == NotificationStatus.SENT and rows[ran_out.id].carried_by_id == first.id


def test_a_copy_another_worker_takes_while_the_list_is_made_is_left_to_it(
    session: Session,
    engine: Engine,
    settings: Settings,
    smtp: SmtpServer,
    swept: datetime,
) -> None:
    """Two workers at once: the other claims a copy after the list read the lead's rows and before it
    writes its claim on them. The UPDATE's own guard leaves that copy to the other worker; without it
    the list took and marked a row another worker was sending."""
    _, _, taken = _lead_rows(session)
    fired: list[bool] = []

    def other_worker_claims(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, many: bool) -> None:
        listing = statement.lstrip().upper().startswith("UPDATE NOTIFICATION SET CLAIMED_BY")
        said = _values(parameters)
        if listing and not fired and taken.id in said and any(str(p).endswith("+") for p in said):
            fired.append(True)
            _hold(engine, taken.id or 0, swept + timedelta(minutes=10))

    event.listen(engine, "before_cursor_execute", other_worker_claims)
    try:
        deliver(engine, now=swept, settings=settings)
    finally:
        event.remove(engine, "before_cursor_execute", other_worker_claims)
    assert fired
    (body,) = _to_lead(smtp)
    assert _name(session, taken) not in body, body
    row = next(r for r in _lead_rows(session) if r.id == taken.id)
    assert (row.status, row.claimed_by, row.carried_by_id) == (NotificationStatus.PENDING, OTHER, None)


def _values(parameters: Any) -> list[Any]:
    return list(parameters.values()) if isinstance(parameters, dict) else list(parameters or ())
