"""A request between people whose body has no address in the catalog reaches nobody by mail: it is
written as a failed mail ("Thư gửi lỗi"), in words that say so, so the secretariat sees it in its queue
and its digest; once the address is in the catalog, sent again, it reaches the body (a real SMTP server,
aiosmtpd on 127.0.0.1).

The chair asked Sở Nội vụ, whose address was not yet in the catalog, to explain a delay: the request
was recorded ("đã ghi nhận Yêu cầu giải trình"), no mail was written, and nothing anywhere said that
nobody had been told (the 2022 replay, so-tnmt's address removed: its page listed the request
"chưa trả lời" and no mail; "Thư gửi lỗi" was empty)."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from dondoc.engine.actors import SECRETARIAT, Actor
from dondoc.engine.clock import DEFAULT_DAYS, LOCAL_TZ, FrozenClock
from dondoc.engine.models import Agency, Assignment, NotificationStatus
from dondoc.engine.settings import Settings
from dondoc.engine.workflow import Action
from dondoc.notifications import deliver
from dondoc.notifications.digests import build_digests
from dondoc.notifications.failed import resend
from dondoc.notifications.inherited import apply_successions
from tests.factories import assignment_for, load_min_catalog, step
from tests.smtp_server import SmtpServer, delivering_to
from tests.support.catalogs import MIN_CATALOG, edit
from tests.support.desk import failed_mail_rows
from tests.support.successions import ON, at, succession_catalog, successions_yaml
from tests.test_request_mails import _rows

ITEM = "99/KH-TEST:II.1"
CHAIR = Actor.parse("chair")
NO_ADDRESS = "Sở Nội vụ chưa có địa chỉ thư trong danh mục"


@pytest.fixture
def settings(tmp_path: Path, smtp: SmtpServer) -> Settings:
    return delivering_to(smtp, tmp_path / "drop")


def _address(session: Session, code: str, email: str | None) -> None:
    agency = session.exec(select(Agency).where(Agency.code == code)).one()
    agency.email = email
    session.add(agency)
    session.commit()


@pytest.fixture
def overdue(session: Session, clock: FrozenClock) -> Assignment:
    """Sở Nội vụ's part of II.1 (due 30/06/2022), overdue on 15/07/2022, its address not in the catalog."""
    load_min_catalog(session, clock.now(), MIN_CATALOG)
    a = assignment_for(session, ITEM, "so-noi-vu")
    _address(session, "so-noi-vu", None)
    clock.set(datetime(2022, 7, 15, 9, 0, tzinfo=LOCAL_TZ))
    return a


def _failed_queue(session: Session, clock: FrozenClock) -> list[tuple[int, str, str, str]]:
    return [(r.id, r.title, r.agency, r.detail) for r in failed_mail_rows(session, clock.now())]


def test_an_explanation_asked_of_a_body_without_an_address_waits_in_the_failed_mails_then_reaches_it(
    session: Session, engine: Engine, clock: FrozenClock, settings: Settings, smtp: SmtpServer, overdue: Assignment
) -> None:
    step(session, clock, overdue, Action.REQUEST_EXPLANATION, CHAIR, comment="Vì sao chậm phê duyệt cấp độ?")
    (asked,) = _rows(session, "explanation_request")  # before: none, and no word anywhere
    assert (asked.recipient_role, asked.recipient_email, asked.recipient_name, asked.status) == (
        "agency",
        "",
        "Sở Nội vụ",
        NotificationStatus.FAILED,
    )
    assert NO_ADDRESS in (asked.last_error or "") and "chưa đến được ai" in (asked.last_error or "")
    [(mail_id, title, to, detail)] = _failed_queue(session, clock)
    assert mail_id == asked.id and title == "Yêu cầu giải trình"
    assert to == "Sở Nội vụ (chưa có địa chỉ thư)" and NO_ADDRESS in detail
    assert deliver(engine, now=clock.now(), settings=settings).sent == 0  # nothing tried, nothing lost
    (digest,) = [
        d for d in build_digests(session, now=clock.now(), settings=settings) if d.recipient_role == "secretariat"
    ]
    text = " ".join(digest.body_text.split())
    assert "Thư chưa đến được ai vì chưa có địa chỉ thư" in text
    assert f"- Sở Nội vụ: 1 thư (Yêu cầu giải trình: 1), thư #{asked.id}" in text
    session.commit()

    clock.advance(timedelta(hours=2))
    _address(session, "so-noi-vu", "so-noi-vu@dondoc.example")  # the secretariat adds the address
    outcome = resend(session, [asked.id or 0], clock.now(), settings=settings)
    session.commit()
    assert outcome.done == [asked.id] and outcome.readdressed == {asked.id: ("", "so-noi-vu@dondoc.example")}
    assert deliver(engine, now=clock.now(), settings=settings).sent == 1
    assert smtp.handler.wait_for(1)
    [received] = smtp.handler.received
    assert received.rcpt_tos == ["so-noi-vu@dondoc.example"]
    body = received.message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "Vì sao chậm phê duyệt cấp độ?" in body and "Trưởng Ban Chỉ đạo đề nghị quý cơ quan giải trình" in body
    assert _failed_queue(session, clock) == []


def test_a_report_returned_to_a_body_without_an_address_is_in_the_failed_mails(
    session: Session, clock: FrozenClock, overdue: Assignment
) -> None:
    """A report sent back waits in no other queue: the body is asked to complete it, and nobody told it."""
    body = Actor.agency("so-noi-vu")
    step(session, clock, overdue, Action.ACKNOWLEDGE, body)
    step(session, clock, overdue, Action.REPORT, body, comment="Đã xong.")
    step(session, clock, overdue, Action.RETURN, SECRETARIAT, comment="Thiếu quyết định phê duyệt.")
    (returned,) = _rows(session, "report_returned")
    assert returned.status == NotificationStatus.FAILED and NO_ADDRESS in (returned.last_error or "")
    assert [mail_id for mail_id, *_ in _failed_queue(session, clock)] == [returned.id]


def test_a_lead_without_an_address_is_told_by_the_failed_mails_that_its_partners_inputs_are_in(
    session: Session, clock: FrozenClock, overdue: Assignment
) -> None:
    """Sở Nội vụ leads II.1 beside Sở TT&TT, with VP UBND its one partner: the partner's input in, each
    lead is to put it together; Sở Nội vụ, with no address, is told by a mail waiting in "Thư gửi lỗi"."""
    lead = overdue
    partner = assignment_for(session, ITEM, "vp-ubnd")
    lead.role, partner.role = "lead", "partner"
    session.add_all([lead, partner])
    session.commit()
    vp = Actor.agency("vp-ubnd")
    step(session, clock, partner, Action.ACKNOWLEDGE, vp)
    step(session, clock, partner, Action.REPORT, vp, comment="Ý kiến phối hợp.")
    told = {r.dedupe_key.rsplit(":", 1)[1]: r for r in _rows(session, "partner_input_received")}
    assert sorted(told) == ["lead-so-noi-vu", "lead-so-tttt"]  # before: Sở TT&TT's alone
    assert told["lead-so-tttt"].status == NotificationStatus.PENDING
    unreached = told["lead-so-noi-vu"]
    assert (unreached.recipient_role, unreached.recipient_email, unreached.status) == (
        "lead",
        "",
        NotificationStatus.FAILED,
    )
    assert NO_ADDRESS in (unreached.last_error or "")


def test_a_successor_without_an_address_is_told_of_its_inherited_work_by_the_failed_mails(
    session: Session, engine: Engine, clock: FrozenClock, settings: Settings, smtp: SmtpServer, tmp_path: Path
) -> None:
    """UBND Lý Sơn absorbed into Sở KH&CN on 01/08/2022, Sở KH&CN's address not yet in the catalog: the
    work it took over (II.1's second milestone) is its own, chased from now on, and nobody had told it:
    the mail that lists it was not written at all."""
    catalog = succession_catalog(tmp_path, successions_yaml("absorb"))
    edit(catalog, "agencies.yaml", ',\n     email: "so-khcn@dondoc.example"}', "}")
    load_min_catalog(session, clock.now(), catalog)
    assert session.exec(select(Agency.email).where(Agency.code == "so-khcn")).one() is None
    clock.set(at(ON, 0))
    apply_successions(session, now=clock.now(), local=DEFAULT_DAYS, settings=settings)
    session.commit()
    (told,) = _rows(session, "inherited_work")  # before: none
    assert (told.recipient_email, told.recipient_name, told.status) == (
        "",
        "Sở Khoa học và Công nghệ",
        NotificationStatus.FAILED,
    )
    assert "Sở Khoa học và Công nghệ chưa có địa chỉ thư trong danh mục" in (told.last_error or "")
    [(mail_id, _, to, _)] = _failed_queue(session, clock)
    assert mail_id == told.id and to == "Sở Khoa học và Công nghệ (chưa có địa chỉ thư)"

    clock.advance(timedelta(hours=8))
    _address(session, "so-khcn", "so-khcn@dondoc.example")
    assert resend(session, [told.id or 0], clock.now(), settings=settings).done == [told.id]
    session.commit()
    assert deliver(engine, now=clock.now(), settings=settings).sent == 1
    assert smtp.handler.wait_for(1)
    [received] = smtp.handler.received
    assert received.rcpt_tos == ["so-khcn@dondoc.example"]
    assert "UBND huyện Lý Sơn" in received.message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
