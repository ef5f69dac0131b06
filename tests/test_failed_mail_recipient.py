"""A failed mail sent again ("Thư gửi lỗi", ``dondoc outbox resend``) goes to whoever it is for on the
day it leaves (notifications.addressee), delivered to a real SMTP server (aiosmtpd on 127.0.0.1): the
address the secretariat corrected in the catalog, the secretariat for a body that has ended; a mail
whose recipient can no longer be mailed is refused, and stays failed."""

from __future__ import annotations

import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from dondoc.engine.actors import Actor
from dondoc.engine.clock import FrozenClock
from dondoc.engine.models import Agency, Assignment, CommitteeMember, Notification, NotificationStatus
from dondoc.engine.services.assignments import Request, act
from dondoc.engine.settings import Settings
from dondoc.engine.workflow import Action
from dondoc.notifications import MailSpec, deliver, enqueue
from dondoc.notifications.failed import resend
from tests.factories import assignment_for, load_min_catalog
from tests.smtp_server import SmtpServer, delivering_to
from tests.support.catalogs import MIN_CATALOG

ITEM = "99/KH-TEST:II.1"
WRONG = "so-noi-vu@sai-ten-mien.example"  # the address first typed in the catalog, that bounces
RIGHT = "so-noi-vu@dondoc.example"  # the address the catalog says once corrected
SECRETARIAT = "to-giup-viec@dondoc.example"  # the roster's Tổ giúp việc


@pytest.fixture
def settings(tmp_path: Path, smtp: SmtpServer) -> Settings:
    return delivering_to(smtp, tmp_path / "drop")


def _catalog_with_wrong_address(tmp_path: Path) -> Path:
    """MIN_CATALOG, with Sở Nội vụ's address mistyped."""
    directory = tmp_path / "catalog"
    shutil.copytree(MIN_CATALOG, directory)
    agencies = directory / "agencies.yaml"
    agencies.write_text(agencies.read_text(encoding="utf-8").replace(RIGHT, WRONG), encoding="utf-8")
    return directory


def _failed_reminder(
    session: Session,
    engine: Engine,
    clock: FrozenClock,
    settings: Settings,
    smtp: SmtpServer,
    code: str,
    key: str,
    *,
    address_refused: bool = True,
) -> Notification:
    """A reminder about ``code``'s work, written as the sweep writes it (to the body's mailbox in the
    catalog that day), that the mail server refuses for good: its address (unknown user), or once."""
    assignment = assignment_for(session, ITEM, code)
    agency = session.get_one(Agency, assignment.agency_id)
    assert agency.email is not None
    if address_refused:
        smtp.handler.refuse_recipient(agency.email)
    else:
        smtp.handler.fail_next(1, "554 5.7.1 Service unavailable")
    data = {"due_at": assignment.due_at.isoformat() if assignment.due_at else None, "recipient_agency": code}
    spec = MailSpec(key, "reminder", "agency", agency.email, agency.name, assignment.id, "test-1", False, data)
    row = enqueue(session, spec, now=clock.now(), settings=settings)
    assert row is not None
    session.commit()
    assert deliver(engine, now=clock.now(), settings=settings).failed == 1
    found = session.get_one(Notification, row.id, populate_existing=True)
    assert found.status == NotificationStatus.FAILED
    return found


def test_a_failed_mail_sent_again_goes_to_the_address_corrected_in_the_catalog(
    session: Session, engine: Engine, clock: FrozenClock, settings: Settings, smtp: SmtpServer, tmp_path: Path
) -> None:
    """A reminder bounced off a mistyped address; the secretariat corrected it in the catalog and sent
    the mail again: it went to the mistyped address once more, and failed again (the commonest failure,
    never mended by sending again)."""
    load_min_catalog(session, clock.now(), _catalog_with_wrong_address(tmp_path))
    row = _failed_reminder(session, engine, clock, settings, smtp, "so-noi-vu", "r:wrong")
    assert row.recipient_email == WRONG
    clock.advance(timedelta(hours=3))
    load_min_catalog(session, clock.now(), MIN_CATALOG)  # the address corrected
    assert session.exec(select(Agency.email).where(Agency.code == "so-noi-vu")).one() == RIGHT

    outcome = resend(session, [row.id or 0], clock.now(), settings=settings)
    session.commit()
    report = deliver(engine, now=clock.now(), settings=settings)
    assert (report.sent, report.failed) == (1, 0)  # before: (0, 1), bounced off the mistyped address again
    assert outcome.done == [row.id] and outcome.refused == [] and outcome.readdressed == {row.id: (WRONG, RIGHT)}
    [received] = smtp.handler.received
    assert received.rcpt_tos == [RIGHT] and RIGHT in str(received.message["To"])
    sent = session.get_one(Notification, row.id, populate_existing=True)
    assert sent.status == NotificationStatus.SENT and sent.recipient_email == RIGHT
    assert "Sở Nội vụ" in (sent.body_text or "")


def test_a_failed_mail_to_a_body_that_has_ended_goes_to_the_secretariat(
    session: Session, engine: Engine, clock: FrozenClock, settings: Settings, smtp: SmtpServer
) -> None:
    """A body ended (its validity over) after a mail to it failed: the mail sent again goes where every
    mail to an ended body goes (recipients.agency_mailbox), the secretariat, under the secretariat's role."""
    load_min_catalog(session, clock.now(), MIN_CATALOG)
    row = _failed_reminder(session, engine, clock, settings, smtp, "ubnd-binh-son", "r:ended")
    agency = session.exec(select(Agency).where(Agency.code == "ubnd-binh-son")).one()
    agency.valid_to = date(2022, 3, 2)
    session.add(agency)
    session.commit()
    clock.advance(timedelta(days=1))

    outcome = resend(session, [row.id or 0], clock.now(), settings=settings)
    session.commit()
    assert outcome.done == [row.id] and outcome.readdressed == {row.id: ("ubnd-binh-son@dondoc.example", SECRETARIAT)}
    assert deliver(engine, now=clock.now(), settings=settings).sent == 1
    assert [r.rcpt_tos for r in smtp.handler.received] == [[SECRETARIAT]]
    sent = session.get_one(Notification, row.id, populate_existing=True)
    assert (sent.recipient_role, sent.recipient_email) == ("secretariat", SECRETARIAT)
    assert "recipient_agency" not in sent.data  # the secretariat's link is its desk, not the body's page


def test_a_failed_mail_to_a_body_that_ended_is_refused_while_the_secretariat_has_no_address(
    session: Session, engine: Engine, clock: FrozenClock, settings: Settings, smtp: SmtpServer
) -> None:
    """The body ended after a mail to it failed, and the secretariat's seat, who answers for it, has no
    address on the roster: sending again is refused in one line naming both, the mail stays failed (it
    is never sent to an empty address, nor to the body that ended)."""
    load_min_catalog(session, clock.now(), MIN_CATALOG)
    row = _failed_reminder(session, engine, clock, settings, smtp, "ubnd-binh-son", "r:ended-nowhere")
    agency = session.exec(select(Agency).where(Agency.code == "ubnd-binh-son")).one()
    agency.valid_to = date(2022, 3, 2)
    seat = session.exec(select(CommitteeMember).where(CommitteeMember.role == "secretariat")).one()
    seat.email = None
    session.add_all([agency, seat])
    session.commit()
    clock.advance(timedelta(days=1))

    outcome = resend(session, [row.id or 0], clock.now(), settings=settings)
    session.commit()
    assert outcome.done == [] and outcome.readdressed == {}
    why = "UBND huyện Bình Sơn đã không còn và ngày 03/03/2022 Tổ giúp việc chưa có địa chỉ thư"
    assert outcome.refused == [(row.id, f"thư số {row.id} không gửi lại được: {why}")]
    kept = session.get_one(Notification, row.id, populate_existing=True)
    assert (kept.status, kept.recipient_role, kept.recipient_email) == (
        NotificationStatus.FAILED,
        "agency",
        "ubnd-binh-son@dondoc.example",
    )
    assert deliver(engine, now=clock.now(), settings=settings).sent == 0


def test_a_failed_mail_to_a_seat_nobody_holds_with_an_address_is_refused(
    session: Session, clock: FrozenClock, settings: Settings
) -> None:
    """A mail to the vice-chair written failed (the roster had no address), sent again before the roster
    has one: refused in one line, the mail left in the queue."""
    load_min_catalog(session, clock.now(), MIN_CATALOG)
    seat = session.exec(select(CommitteeMember).where(CommitteeMember.role == "vice-chair")).one()
    seat.email = None
    at = clock.now()
    row = Notification(
        dedupe_key="periodic_report:2022-Q1:vice-chair",
        kind="periodic_report",
        recipient_role="vice-chair",
        recipient_email="",
        recipient_name="Phó Trưởng ban Thường trực",
        subject="[Đôn đốc] Báo cáo định kỳ",
        status=NotificationStatus.FAILED,
        created_at=at,
        next_attempt_at=at,
        data={},
    )
    session.add_all([seat, row])
    session.commit()
    outcome = resend(session, [row.id or 0], clock.now(), settings=settings)
    session.commit()
    assert outcome.done == [] and outcome.readdressed == {}
    why = "ngày 02/03/2022 không có ai giữ vị trí Phó Trưởng ban Thường trực có địa chỉ thư"
    assert outcome.refused == [(row.id, f"thư số {row.id} không gửi lại được: {why}")]
    assert session.get_one(Notification, row.id, populate_existing=True).status == NotificationStatus.FAILED


def test_a_failed_mail_whose_recipient_has_no_address_any_more_is_refused(
    session: Session, engine: Engine, clock: FrozenClock, settings: Settings, smtp: SmtpServer
) -> None:
    """The body's address removed from the catalog (the old one known dead, the new one not yet known):
    sending again is refused in one line, the mail stays in the queue; the other mail ticked goes."""
    load_min_catalog(session, clock.now(), MIN_CATALOG)
    nowhere = _failed_reminder(session, engine, clock, settings, smtp, "so-noi-vu", "r:nowhere")
    other = _failed_reminder(session, engine, clock, settings, smtp, "vp-ubnd", "r:other", address_refused=False)
    agency = session.exec(select(Agency).where(Agency.code == "so-noi-vu")).one()
    agency.email = None
    session.add(agency)
    session.commit()

    outcome = resend(session, [nowhere.id or 0, other.id or 0], clock.now(), settings=settings)
    session.commit()
    assert outcome.done == [other.id] and outcome.readdressed == {}
    assert outcome.refused == [
        (nowhere.id, f"thư số {nowhere.id} không gửi lại được: Sở Nội vụ chưa có địa chỉ thư trong danh mục")
    ]
    assert session.get_one(Notification, nowhere.id, populate_existing=True).status == NotificationStatus.FAILED
    assert deliver(engine, now=clock.now(), settings=settings).sent == 1
    assert [r.rcpt_tos for r in smtp.handler.received] == [["vp-ubnd@dondoc.example"]]


def test_a_lead_s_copy_is_sent_again_to_the_lead_its_key_names(
    session: Session, engine: Engine, clock: FrozenClock, settings: Settings, smtp: SmtpServer
) -> None:
    """A request mail's copy to a milestone's lead records the lead only in its key
    (``request:{event}:lead-{code}``): the mail sent again goes to that lead's address now, not to the
    assignment's own body (a partner)."""
    load_min_catalog(session, clock.now(), MIN_CATALOG)
    partner = assignment_for(session, ITEM, "vp-ubnd")
    at = clock.now()
    row = Notification(
        dedupe_key="request:4242:lead-so-noi-vu",
        kind="report_returned",
        assignment_id=partner.id,
        recipient_role="lead",
        recipient_email="so-noi-vu@cu.example",
        recipient_name="Sở Nội vụ",
        subject="[Đôn đốc] Trả lại báo cáo",
        status=NotificationStatus.FAILED,
        created_at=at,
        next_attempt_at=at,
        data={"action": "return", "comment": "Bổ sung số liệu."},
    )
    session.add(row)
    session.commit()
    outcome = resend(session, [row.id or 0], clock.now(), settings=settings)
    session.commit()
    assert outcome.readdressed == {row.id: ("so-noi-vu@cu.example", RIGHT)}
    assert deliver(engine, now=clock.now(), settings=settings).sent == 1
    assert [r.rcpt_tos for r in smtp.handler.received] == [[RIGHT]]
    assert (
        session.get_one(Assignment, partner.id).agency_id
        != session.exec(select(Agency.id).where(Agency.code == "so-noi-vu")).one()
    )


def test_the_secretariat_s_own_decision_is_not_sent_again_to_the_secretariat_in_an_ended_body_s_place(
    session: Session, clock: FrozenClock, settings: Settings
) -> None:
    """A cancellation's notice to a body failed, then the body ended: sent again, it would tell the
    secretariat, as "quý cơ quan", what it decided itself. Refused as request mails never write it
    (request_mails.told_in_place), the mail left in the queue; nothing was sent."""
    load_min_catalog(session, clock.now(), MIN_CATALOG)
    assignment = assignment_for(session, ITEM, "so-noi-vu")
    cancel = Request(Action.CANCEL, Actor.parse("secretariat"), comment="Trùng nhiệm vụ")
    act(session, assignment.id or 0, cancel, now=clock.now())
    session.commit()
    notice = session.exec(
        select(Notification).where(Notification.assignment_id == assignment.id, Notification.recipient_role == "agency")
    ).one()
    notice.status = NotificationStatus.FAILED
    agency = session.exec(select(Agency).where(Agency.code == "so-noi-vu")).one()
    agency.valid_to = date(2022, 3, 2)
    session.add_all([notice, agency])
    session.commit()
    clock.advance(timedelta(days=1))

    outcome = resend(session, [notice.id or 0], clock.now(), settings=settings)
    session.commit()
    assert outcome.done == [] and outcome.readdressed == {}
    assert outcome.refused == [
        (
            notice.id,
            f"thư số {notice.id} không gửi lại được: Sở Nội vụ đã không còn; "
            "thư báo quyết định của Tổ giúp việc không gửi lại cho chính Tổ giúp việc",
        )
    ]
    kept = session.get_one(Notification, notice.id, populate_existing=True)
    assert (kept.status, kept.recipient_role) == (NotificationStatus.FAILED, "agency")
