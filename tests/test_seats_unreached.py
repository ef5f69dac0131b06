"""A mail to a committee seat (the chair, the vice-chair, the secretariat) that nobody holds with an
address on the day reaches nobody: it is written failed, in the words of the seat's digest
(engine.escalation.recipients.unreached_words), in "Thư gửi lỗi" and the secretariat's digest, and
sent once the roster has the address (a real SMTP server, aiosmtpd on 127.0.0.1).

Two such mails had been dropped without a word: the periodic report to a leader with no address on
the roster (report_job._recipients skipped the seat), and the answer to an explanation the vice-chair
asked for (request_mails._agency_recipients: the body's answer recorded, the leader never told, and
nothing anywhere said so)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from dondoc import jobs
from dondoc.engine.actors import Actor
from dondoc.engine.clock import LOCAL_TZ, FrozenClock
from dondoc.engine.models import Agency, Assignment, CommitteeMember, Notification, NotificationStatus
from dondoc.engine.settings import Settings
from dondoc.engine.workflow import Action
from dondoc.notifications import deliver
from dondoc.notifications.digests import build_digests
from dondoc.notifications.failed import resend
from dondoc.report_job import run_periodic_reports
from tests.factories import assignment_for, load_min_catalog, step
from tests.smtp_server import SmtpServer, delivering_to
from tests.support.catalogs import MIN_CATALOG, report_catalog
from tests.support.desk import failed_mail_rows
from tests.test_request_mails import _rows

VICE_CHAIR = "Phó Trưởng ban Thường trực chưa có địa chỉ thư trong danh sách Ban Chỉ đạo: thư chưa đến được ai"
VICE_CHAIR_EMAIL = "pho-truong-ban@dondoc.example"
SECRETARIAT_NONE = "Tổ giúp việc chưa có địa chỉ thư trong danh sách Ban Chỉ đạo: thư chưa đến được ai"
SECRETARIAT_EMAIL = "to-giup-viec@dondoc.example"


@pytest.fixture
def settings(tmp_path: Path, smtp: SmtpServer) -> Settings:
    return delivering_to(smtp, tmp_path / "drop").model_copy(update={"reports_dir": tmp_path / "reports"})


def _seat_address(session: Session, role: str, email: str | None) -> None:
    member = session.exec(select(CommitteeMember).where(CommitteeMember.role == role)).one()
    member.email = email
    session.add(member)
    session.commit()


def _failed_queue(session: Session, now: datetime) -> list[tuple[int, str, str]]:
    return [(r.id, r.agency, r.detail) for r in failed_mail_rows(session, now)]


def _secretariat_digest(session: Session, now: datetime, settings: Settings) -> str:
    (digest,) = [d for d in build_digests(session, now=now, settings=settings) if d.recipient_role == "secretariat"]
    return " ".join(digest.body_text.split())


def _said_unreached(row: Notification) -> None:
    assert (row.recipient_role, row.recipient_email, row.status) == ("vice-chair", "", NotificationStatus.FAILED)
    assert row.recipient_name == "Phó Trưởng ban Thường trực"
    assert VICE_CHAIR in (row.last_error or "")
    assert "cơ quan" not in (row.last_error or "")  # a seat on the roster, not a body of the catalog


def _resent_reaches_the_vice_chair(
    session: Session, engine: Engine, row: Notification, now: datetime, settings: Settings, smtp: SmtpServer
) -> str:
    """The roster given the vice-chair's address, ``row`` sent again: the one mail that leaves, its text."""
    mailed = _resent_reaches(session, engine, row, now, settings, smtp, ("vice-chair", VICE_CHAIR_EMAIL))
    assert _failed_queue(session, now) == []
    return mailed


def _resent_reaches(
    session: Session,
    engine: Engine,
    row: Notification,
    now: datetime,
    settings: Settings,
    smtp: SmtpServer,
    seat: tuple[str, str],
) -> str:
    """The roster given ``seat``'s address (role, email), ``row`` sent again: the one mail that leaves, its text."""
    role, address = seat
    _seat_address(session, role, address)
    deliver(engine, now=now, settings=settings)  # the others' mails, already due
    smtp.handler.received.clear()
    outcome = resend(session, [row.id or 0], now, settings=settings)
    session.commit()
    assert outcome.done == [row.id] and outcome.readdressed == {row.id: ("", address)}
    assert deliver(engine, now=now, settings=settings).sent == 1
    assert smtp.handler.wait_for(1)
    [received] = smtp.handler.received
    assert received.rcpt_tos == [address]
    assert row.id not in [mail_id for mail_id, *_ in _failed_queue(session, now)]
    return "\n".join(
        str(part.get_filename() or part.get_content()) for part in received.message.walk() if not part.is_multipart()
    )


def test_the_periodic_report_to_a_leader_with_no_address_is_said_to_the_secretariat_then_sent(
    session: Session, engine: Engine, settings: Settings, smtp: SmtpServer, tmp_path: Path
) -> None:
    """The six-month report of 20/06/2022, the vice-chair's address not on the roster: the chair's mail
    was written, the vice-chair's not at all, and nobody was told the vice-chair had no report."""
    load_min_catalog(session, datetime(2022, 3, 2, 8, 0, tzinfo=LOCAL_TZ), report_catalog(tmp_path, cutoff=False))
    _seat_address(session, "vice-chair", None)
    on_the_day = datetime(2022, 6, 20, 7, 0, tzinfo=LOCAL_TZ)
    created = run_periodic_reports(engine, now=on_the_day, settings=settings)
    assert created == ["periodic_report:2022-H1:chair", "periodic_report:2022-H1:vice-chair"]  # before: the chair's
    chair, seat = _rows(session, "periodic_report")
    assert (chair.recipient_role, chair.status) == ("chair", NotificationStatus.PENDING)
    _said_unreached(seat)
    assert "6 tháng đầu năm 2022" in seat.subject
    [(mail_id, to, detail)] = _failed_queue(session, on_the_day)
    assert mail_id == seat.id and VICE_CHAIR in detail and "chưa có địa chỉ thư" in to
    text = _secretariat_digest(session, on_the_day, settings)
    assert f"- Phó Trưởng ban Thường trực: 1 thư (Báo cáo định kỳ: 1), thư #{seat.id}" in text, text
    session.commit()
    assert run_periodic_reports(engine, now=on_the_day.replace(hour=9), settings=settings) == []  # never twice

    mailed = _resent_reaches_the_vice_chair(session, engine, seat, on_the_day + timedelta(hours=2), settings, smtp)
    assert "bao-cao-6-thang-dau-nam-2022.xlsx" in mailed  # the workbook, attached


@pytest.fixture
def asked(session: Session, clock: FrozenClock) -> Assignment:
    """Sở Nội vụ's part of II.1 (due 30/06/2022), overdue on 15/07/2022; the vice-chair, whose address
    is not on the roster, asks it to explain the delay."""
    load_min_catalog(session, clock.now(), MIN_CATALOG)
    part = assignment_for(session, "99/KH-TEST:II.1", "so-noi-vu")
    session.commit()
    _seat_address(session, "vice-chair", None)
    clock.set(datetime(2022, 7, 15, 9, 0, tzinfo=LOCAL_TZ))
    step(session, clock, part, Action.REQUEST_EXPLANATION, Actor.parse("vice-chair"), comment="Vì sao chậm?")
    return part


def test_an_explanation_answered_to_a_leader_with_no_address_is_said_to_the_secretariat_then_sent(
    session: Session, engine: Engine, clock: FrozenClock, settings: Settings, smtp: SmtpServer, asked: Assignment
) -> None:
    """Sở Nội vụ answers: the secretariat was mailed the answer, the vice-chair who asked for it nothing,
    and nothing said so."""
    step(session, clock, asked, Action.EXPLAIN, Actor.agency("so-noi-vu"), comment="Chờ hướng dẫn của Bộ.")
    by_role = {r.recipient_role: r for r in _rows(session, "explanation_answer")}
    assert sorted(by_role) == ["secretariat", "vice-chair"]  # before: the secretariat's alone
    assert by_role["secretariat"].status == NotificationStatus.PENDING
    seat = by_role["vice-chair"]
    _said_unreached(seat)
    [(mail_id, to, detail)] = _failed_queue(session, clock.now())
    assert mail_id == seat.id and VICE_CHAIR in detail and "chưa có địa chỉ thư" in to
    text = _secretariat_digest(session, clock.now(), settings)
    assert f"- Phó Trưởng ban Thường trực: 1 thư (Nội dung giải trình: 1), thư #{seat.id}" in text, text
    session.commit()

    mailed = _resent_reaches_the_vice_chair(session, engine, seat, clock.now() + timedelta(hours=1), settings, smtp)
    assert "Chờ hướng dẫn của Bộ." in mailed


def test_a_request_for_more_time_to_a_secretariat_with_no_address_is_in_the_failed_mails(
    session: Session, clock: FrozenClock
) -> None:
    """The neighbour: the extension request goes to the secretariat's seat alone; with no address on
    the roster it was written nowhere, the body's request recorded as though somebody knew of it."""
    load_min_catalog(session, clock.now(), MIN_CATALOG)
    part = assignment_for(session, "99/KH-TEST:II.1", "so-noi-vu")
    session.commit()
    _seat_address(session, "secretariat", None)
    body = Actor.agency("so-noi-vu")
    step(session, clock, part, Action.ACKNOWLEDGE, body)
    step(session, clock, part, Action.REQUEST_EXTENSION, body, comment="Xin thêm thời gian.", due=date(2022, 9, 30))
    (row,) = _rows(session, "extension_request")  # before: none
    assert (row.recipient_role, row.recipient_email, row.status) == ("secretariat", "", NotificationStatus.FAILED)
    assert SECRETARIAT_NONE in (row.last_error or "")


def test_the_secretariat_s_digest_with_no_address_and_nothing_held_is_in_the_failed_mails_then_sent(
    session: Session, engine: Engine, clock: FrozenClock, settings: Settings, smtp: SmtpServer
) -> None:
    """The secretariat's seat with no address on the roster, nothing held for it that morning (no rung
    has reached it yet), but a body's request for more time waiting and its mail failed: the digest has
    both to tell. It was not written at all (digests._recipient found no mailbox and the digest was
    dropped), where a day with a held row wrote it failed; now it is written failed in the seat's words,
    listed in "Thư gửi lỗi", and sent once the roster has the address."""
    load_min_catalog(session, clock.now(), MIN_CATALOG)
    part = assignment_for(session, "99/KH-TEST:II.1", "so-noi-vu")
    session.commit()
    _seat_address(session, "secretariat", None)
    body = Actor.agency("so-noi-vu")
    step(session, clock, part, Action.ACKNOWLEDGE, body)
    step(session, clock, part, Action.REQUEST_EXTENSION, body, comment="Xin thêm thời gian.", due=date(2022, 9, 30))
    (request,) = _rows(session, "extension_request")
    morning = datetime(2022, 3, 3, 7, 30, tzinfo=LOCAL_TZ)
    made = {d.recipient_role: d for d in build_digests(session, now=morning, settings=settings)}
    session.commit()
    digest = made["secretariat"]  # before: no digest at all
    assert (digest.recipient_email, digest.status) == ("", NotificationStatus.FAILED)
    assert digest.recipient_name == "Tổ giúp việc"
    assert SECRETARIAT_NONE in (digest.last_error or "")
    assert "cơ quan" not in (digest.last_error or "")  # a seat on the roster, not a body of the catalog
    text = " ".join(digest.body_text.split())
    assert f"- Tổ giúp việc: 1 thư (Đề nghị gia hạn: 1), thư #{request.id}" in text, text
    queue = _failed_queue(session, morning)
    assert [mail_id for mail_id, *_ in queue] == [request.id, digest.id]
    assert SECRETARIAT_NONE in queue[-1][2]

    later = morning + timedelta(hours=1)
    mailed = _resent_reaches(session, engine, digest, later, settings, smtp, _SECRETARIAT)
    assert "Sở Nội vụ; đề nghị ngày 02/03/2022" in mailed, mailed  # the request it tells
    assert [mail_id for mail_id, *_ in _failed_queue(session, later)] == [request.id]  # sent again on its own


_SECRETARIAT = ("secretariat", SECRETARIAT_EMAIL)


def test_a_mail_to_a_body_that_ended_while_the_secretariat_has_no_address_is_in_the_failed_mails_then_sent(
    session: Session, engine: Engine, clock: FrozenClock, settings: Settings, smtp: SmtpServer
) -> None:
    """UBND huyện Bình Sơn ended on 14/07/2022 (its validity over); on 15/07 the vice-chair asks it to
    explain the delay on II.1. A mail to a body that has ended goes to the secretariat, who answers for
    it (recipients.agency_mailbox); the secretariat's seat had no address on the roster, so the mail was
    written nowhere: the request recorded, nobody told, and nothing said so. Now it is written failed in
    the seat's words, under the secretariat's role, and sent to the secretariat once the roster has the
    address."""
    load_min_catalog(session, clock.now(), MIN_CATALOG)
    part = assignment_for(session, "99/KH-TEST:II.1", "ubnd-binh-son")
    ended = session.exec(select(Agency).where(Agency.code == "ubnd-binh-son")).one()
    ended.valid_to = date(2022, 7, 14)
    session.add(ended)
    session.commit()
    _seat_address(session, "secretariat", None)
    clock.set(datetime(2022, 7, 15, 9, 0, tzinfo=LOCAL_TZ))
    step(session, clock, part, Action.REQUEST_EXPLANATION, Actor.parse("vice-chair"), comment="Vì sao chậm?")
    (row,) = _rows(session, "explanation_request")  # before: none
    assert (row.recipient_role, row.recipient_email, row.status) == ("secretariat", "", NotificationStatus.FAILED)
    assert SECRETARIAT_NONE in (row.last_error or "")
    [(mail_id, to, detail)] = _failed_queue(session, clock.now())
    assert mail_id == row.id and SECRETARIAT_NONE in detail and to == "Tổ giúp việc (chưa có địa chỉ thư)"
    session.commit()

    mailed = _resent_reaches(session, engine, row, clock.now() + timedelta(hours=1), settings, smtp, _SECRETARIAT)
    assert "Vì sao chậm?" in mailed


def test_a_leader_s_digest_goes_to_the_seat_s_holder_on_the_day_not_to_the_address_its_rows_carry(
    session: Session, engine: Engine, clock: FrozenClock, settings: Settings, tmp_path: Path
) -> None:
    """Escalations held for the vice-chair while the roster had an address; the address is then taken off
    (a dead mailbox, the holder gone). The digest went to the address the held rows carried, a mailbox
    the roster no longer gives anyone; it is written failed in the seat's words, as the digest of a seat
    nobody ever held with an address is (recipients.seat_mailbox)."""
    load_min_catalog(session, clock.now(), MIN_CATALOG)
    assignment_for(session, "99/KH-TEST:II.1", "so-noi-vu")
    session.commit()
    for day in ("2022-07-01", "2022-07-08"):
        jobs.run_sweep(engine, now=datetime.fromisoformat(day).replace(hour=7, tzinfo=LOCAL_TZ), settings=settings)
    held = session.exec(select(Notification).where(Notification.recipient_role == "vice-chair")).all()
    assert held and {(r.status, r.recipient_email) for r in held} == {(NotificationStatus.HELD, VICE_CHAIR_EMAIL)}
    _seat_address(session, "vice-chair", None)
    made = {
        d.recipient_role: d
        for d in build_digests(session, now=datetime(2022, 7, 8, 7, 30, tzinfo=LOCAL_TZ), settings=settings)
    }
    seat = made["vice-chair"]
    assert (seat.recipient_email, seat.status) == ("", NotificationStatus.FAILED)  # before: the old address, pending
    assert VICE_CHAIR in (seat.last_error or "")
