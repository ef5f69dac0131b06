"""The sweep's mails to a body with no address in the catalog: written failed, in words.

A body may have no email in the catalog (tasks_catalog/agencies.yaml allows it). Its new work
("Giao nhiệm vụ"), "chưa tiếp nhận", its reminders, its overdue notices and a lead's copy of them
were decided for nobody: the directory kept only the bodies with an address, so the sweep wrote no
row, and nothing anywhere said that the body had not been told (the 2022 replay with Sở Tài chính's
and UBND huyện Nghĩa Hành's addresses removed: 174 mails of the year decided for nobody, "Thư gửi
lỗi" empty). Each is now a failed mail in "Thư gửi lỗi" and the secretariat's digest, in the words of
the requests between people (tests/test_request_unreached.py), sent to the body once its address is
in (a real SMTP server, aiosmtpd on 127.0.0.1)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from dondoc import jobs
from dondoc.engine.clock import LOCAL_TZ, FrozenClock
from dondoc.engine.models import Agency, CommitteeMember, Notification, NotificationStatus
from dondoc.engine.settings import Settings
from dondoc.notifications import deliver
from dondoc.notifications.digests import build_digests
from dondoc.notifications.failed import resend
from tests.factories import assignment_for, load_min_catalog
from tests.smtp_server import SmtpServer, delivering_to
from tests.support.catalogs import copy_catalog, edit
from tests.support.desk import failed_mail_rows

ITEM = "99/KH-TEST:II.1"  # Sở TT&TT leads, the sở and the districts implement; due 30/06/2022 and 15/11/2022
NO_ADDRESS = "Sở Nội vụ chưa có địa chỉ thư trong danh mục"


@pytest.fixture
def settings(tmp_path: Path, smtp: SmtpServer) -> Settings:
    return delivering_to(smtp, tmp_path / "drop")


def _without_address(tmp_path: Path, *codes: str) -> Path:
    catalog = copy_catalog(tmp_path)
    for code in codes:
        edit(catalog, "agencies.yaml", f', email: "{code}@dondoc.example"}}', "}")
    return catalog


def _address(session: Session, code: str, email: str) -> None:
    agency = session.exec(select(Agency).where(Agency.code == code)).one()
    agency.email = email
    session.add(agency)
    session.commit()


def _at(day: str, hour: int = 7) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=LOCAL_TZ)


def _to(session: Session, name: str) -> list[Notification]:
    statement = select(Notification).where(Notification.recipient_name == name).order_by(Notification.id)  # type: ignore[arg-type]
    return list(session.exec(statement.execution_options(populate_existing=True)))


def _failed_queue(session: Session, now: datetime) -> list[tuple[int, str, str]]:
    return [(r.id, r.title, r.agency) for r in failed_mail_rows(session, now)]


def test_the_sweeps_mails_to_a_body_without_an_address_wait_in_the_failed_mails_then_reach_it(
    session: Session, engine: Engine, clock: FrozenClock, settings: Settings, smtp: SmtpServer, tmp_path: Path
) -> None:
    load_min_catalog(session, clock.now(), _without_address(tmp_path, "so-noi-vu"))
    first = assignment_for(session, ITEM, "so-noi-vu")
    session.commit()
    for day in ("2022-03-02", "2022-03-04", "2022-06-29", "2022-07-01"):
        jobs.run_sweep(engine, now=_at(day), settings=settings)
    told = _to(session, "Sở Nội vụ")  # before: none at all
    assert [(m.kind, m.recipient_role, m.recipient_email, m.status) for m in told] == [
        ("new_assignment", "agency", "", NotificationStatus.FAILED),  # both milestones, one notice
        ("unacknowledged", "agency", "", NotificationStatus.FAILED),
        ("unacknowledged", "agency", "", NotificationStatus.FAILED),
        ("reminder", "agency", "", NotificationStatus.FAILED),
        ("overdue", "agency", "", NotificationStatus.FAILED),
    ]
    for mail in told:
        assert f"{NO_ADDRESS}: thư chưa đến được ai" in (mail.last_error or "")
        assert mail.data["recipient_agency"] == "so-noi-vu"
    queue = _failed_queue(session, _at("2022-07-01", 9))
    assert [mail_id for mail_id, *_ in queue] == [m.id for m in told]
    assert {to for *_, to in queue} == {"Sở Nội vụ (chưa có địa chỉ thư)"}
    assert deliver(engine, now=_at("2022-07-01", 8), settings=settings).sent > 0
    assert "so-noi-vu@dondoc.example" not in {rcpt for m in smtp.handler.received for rcpt in m.rcpt_tos}
    (digest,) = [
        d
        for d in build_digests(session, now=_at("2022-07-01", 9), settings=settings)
        if d.recipient_role == "secretariat"
    ]
    # one line for the body, not one per mail: a body's day may be 30 of them (the replay's 26/12/2022)
    text = " ".join(digest.body_text.split())
    ids = ", ".join(f"#{m.id}" for m in told)
    said = f"- Sở Nội vụ: 5 thư (Giao nhiệm vụ mới: 1; Chưa tiếp nhận: 2; Nhắc hạn: 1; Quá hạn: 1), thư {ids}"
    assert said in text, text
    assert "Thư chưa đến được ai vì chưa có địa chỉ thư" in text and f"Thư #{told[0].id} gửi" not in text
    assert f"#{told[0].id}" in digest.body_html and "Sở Nội vụ" in digest.body_html
    session.commit()
    deliver(engine, now=_at("2022-07-01", 9), settings=settings)  # the digests

    # the secretariat adds the address and sends again the new work and the overdue notice
    smtp.handler.received.clear()
    _address(session, "so-noi-vu", "so-noi-vu@dondoc.example")
    given, overdue = told[0], told[-1]
    outcome = resend(session, [given.id or 0, overdue.id or 0], _at("2022-07-01", 10), settings=settings)
    session.commit()
    assert outcome.done == [given.id, overdue.id]
    assert deliver(engine, now=_at("2022-07-01", 10), settings=settings).sent == 2
    assert smtp.handler.wait_for(2)
    assert [m.rcpt_tos for m in smtp.handler.received] == [["so-noi-vu@dondoc.example"]] * 2
    subjects = sorted(str(m.message["Subject"]) for m in smtp.handler.received)
    assert subjects[0].startswith("[Đôn đốc] Giao nhiệm vụ 99/KH-TEST:II.1"), subjects
    assert subjects[1].startswith("[Đôn đốc] Quá hạn 1 ngày làm việc: 99/KH-TEST:II.1"), subjects
    assert first.id in overdue.data.get("assignment_ids", [overdue.assignment_id])


def test_a_body_and_its_lead_both_without_an_address_are_each_said_unreached(
    session: Session, engine: Engine, clock: FrozenClock, settings: Settings, tmp_path: Path
) -> None:
    """The overdue rung of Sở Nội vụ's part goes to it and to its lead, Sở TT&TT: neither has an
    address. Each is its own mailbox that was not reached, not one mailbox "" told once."""
    load_min_catalog(session, clock.now(), _without_address(tmp_path, "so-noi-vu", "so-tttt"))
    part = assignment_for(session, ITEM, "so-noi-vu")
    session.commit()
    jobs.run_sweep(engine, now=_at("2022-07-01"), settings=settings)
    overdue = session.exec(
        select(Notification).where(Notification.kind == "overdue", Notification.assignment_id == part.id)
    ).all()
    failed = sorted((m.recipient_role, m.recipient_name) for m in overdue if m.status == NotificationStatus.FAILED)
    assert failed == [("agency", "Sở Nội vụ"), ("lead", "Sở Thông tin và Truyền thông")]
    by_role = {m.recipient_role: m for m in overdue}
    assert "Sở Thông tin và Truyền thông chưa có địa chỉ thư trong danh mục" in (by_role["lead"].last_error or "")
    assert by_role["secretariat"].status == NotificationStatus.HELD  # the secretariat's seat has its own address


def test_an_escalation_to_a_seat_nobody_holds_with_an_address_is_said_to_the_secretariat(
    session: Session, engine: Engine, clock: FrozenClock, settings: Settings, smtp: SmtpServer, tmp_path: Path
) -> None:
    """The roster's vice-chair has no address: Sở Nội vụ's part of II.1 (a priority item), late past the
    vice-chair's rung, was escalated to nobody, and the secretariat's digest said nothing of it. Now the
    vice-chair's digest is written failed, in words, and the secretariat's digest of that morning lists it;
    once the address is in, sent again, it reaches the vice-chair."""
    catalog = copy_catalog(tmp_path)
    edit(catalog, "agencies.yaml", ', email: "pho-truong-ban@dondoc.example"}', "}")
    load_min_catalog(session, clock.now(), catalog)
    part = assignment_for(session, ITEM, "so-noi-vu")
    session.commit()
    for day in ("2022-07-01", "2022-07-08"):
        jobs.run_sweep(engine, now=_at(day), settings=settings)
    escalations = session.exec(
        select(Notification).where(Notification.kind == "escalation", Notification.assignment_id == part.id)
    ).all()
    by_seat = {m.recipient_role: m for m in escalations}
    assert by_seat["vice-chair"].recipient_email == "" and by_seat["vice-chair"].status == NotificationStatus.HELD
    made = {d.recipient_role: d for d in build_digests(session, now=_at("2022-07-08", 7), settings=settings)}
    session.commit()
    seat = made["vice-chair"]  # before: no digest for the vice-chair, and no word anywhere
    assert (seat.recipient_email, seat.status) == ("", NotificationStatus.FAILED)
    assert "Phó Trưởng ban Thường trực chưa có địa chỉ thư trong danh sách Ban Chỉ đạo" in (seat.last_error or "")
    assert "UBND huyện" not in (seat.last_error or "") and "cơ quan" not in (seat.last_error or "")
    text = " ".join(made["secretariat"].body_text.split())
    assert f"- Phó Trưởng ban Thường trực: 1 thư (Bản tổng hợp gửi Lãnh đạo: 1), thư #{seat.id}" in text, text
    assert made["chair"].status == NotificationStatus.PENDING  # the chair has its address

    member = session.exec(select(CommitteeMember).where(CommitteeMember.role == "vice-chair")).one()
    member.email = "pho-truong-ban@dondoc.example"
    session.add(member)
    session.commit()
    deliver(engine, now=_at("2022-07-08", 8), settings=settings)  # the chair's and the secretariat's
    smtp.handler.received.clear()
    assert resend(session, [seat.id or 0], _at("2022-07-08", 9), settings=settings).done == [seat.id]
    session.commit()
    assert deliver(engine, now=_at("2022-07-08", 9), settings=settings).sent == 1
    assert smtp.handler.wait_for(1)
    [received] = smtp.handler.received
    assert received.rcpt_tos == ["pho-truong-ban@dondoc.example"]
    assert "Sở Nội vụ" in received.message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
