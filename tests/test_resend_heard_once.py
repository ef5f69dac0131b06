"""A failed mail sent again ("Thư gửi lỗi", ``dondoc outbox resend``) is not sent to a mailbox that has
had, or is to have, the same step's mail about the same work (engine.escalation.hearing: one mailbox
hears a step once, as the sweep decides): it is marked answered by that mail, which the result names.
Real sweep, real outbox, real SMTP server (aiosmtpd on 127.0.0.1), real databases."""

from __future__ import annotations

import shutil
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from dondoc.engine.clock import LOCAL_TZ, FrozenClock
from dondoc.engine.escalation.policy import carried
from dondoc.engine.models import Agency, Notification, NotificationStatus
from dondoc.engine.services.request_mails import dedupe_key
from dondoc.engine.settings import Settings
from dondoc.jobs import run_delivery, run_digests, run_sweep
from dondoc.notifications.failed import dismiss, resend
from dondoc.notifications.heard import step_of
from tests.factories import assignment_for, load_min_catalog
from tests.smtp_server import SmtpServer, delivering_to
from tests.support.catalogs import MIN_CATALOG
from tests.support.heard import heard_step

ITEM = "99/KH-TEST:II.1"  # due 30/06/2022: the overdue rung fires on Friday 01/07/2022
OVERDUE_DAY = datetime(2022, 7, 1, 8, 0, tzinfo=LOCAL_TZ)
NEXT_WEEK = datetime(2022, 7, 4, 9, 0, tzinfo=LOCAL_TZ)  # Monday: the body has ended since
BINH_SON = "ubnd-binh-son@dondoc.example"
SECRETARIAT = "to-giup-viec@dondoc.example"
SO_TTTT = "so-tttt@dondoc.example"  # the lead of ITEM


@pytest.fixture
def settings(tmp_path: Path, smtp: SmtpServer) -> Settings:
    return delivering_to(smtp, tmp_path / "drop")


def _step_row(session: Session, assignment_id: int, recipient: str, who: str) -> Notification:
    """The outbox row of the overdue rung of 01/07/2022 (anchored on the due day) about ``assignment_id``."""
    key = f"qua-han:{assignment_id}:2022-06-30:{recipient}:{who}"
    return session.exec(select(Notification).where(Notification.dedupe_key == key)).one()


def _end(session: Session, code: str, day: date) -> None:
    """The body's validity ends on ``day`` (as UBND Tây Trà's did): from the next day it is no more."""
    agency = session.exec(select(Agency).where(Agency.code == code)).one()
    agency.valid_to = day
    session.add(agency)
    session.commit()


def _to(smtp: SmtpServer, since: int) -> list[list[str]]:
    return [r.rcpt_tos for r in smtp.handler.received[since:]]


def _text_to(smtp: SmtpServer, since: int, address: str) -> str:
    """The plain text of the one mail ``address`` received since the ``since``-th."""
    [mail] = [r.message for r in smtp.handler.received[since:] if r.rcpt_tos == [address]]
    return str(mail.get_body(("plain",)).get_content())


def test_the_mail_of_a_body_that_ended_is_not_sent_again_to_the_secretariat_that_heard_its_step(
    session: Session, engine: Engine, clock: FrozenClock, settings: Settings, smtp: SmtpServer
) -> None:
    """The overdue rung mailed UBND Bình Sơn and told the secretariat in its digest; the body's mail
    bounced, then the body ended. Sent again, the mail went to the secretariat, who owns an ended body's
    work, and told it a second time what its digest had told it. Now it is not sent: it is marked
    answered by the secretariat's own mail of that step, which its digests go on listing."""
    load_min_catalog(session, clock.now(), MIN_CATALOG)
    binh_son = assignment_for(session, ITEM, "ubnd-binh-son").id or 0
    smtp.handler.refuse_recipient(BINH_SON)
    run_sweep(engine, now=OVERDUE_DAY, settings=settings)
    assert run_delivery(engine, now=OVERDUE_DAY, settings=settings).failed == 1
    failed = _step_row(session, binh_son, "agency", "ubnd-binh-son")
    told = _step_row(session, binh_son, "secretariat", "secretariat")
    assert (failed.status, told.status) == (NotificationStatus.FAILED, NotificationStatus.HELD)
    run_digests(engine, now=OVERDUE_DAY, settings=settings)
    run_delivery(engine, now=OVERDUE_DAY, settings=settings)
    assert session.get_one(Notification, told.id, populate_existing=True).carried_by_id is not None
    _end(session, "ubnd-binh-son", date(2022, 7, 1))

    before = len(smtp.handler.received)
    outcome = resend(session, [failed.id or 0], NEXT_WEEK, settings=settings)
    session.commit()
    run_delivery(engine, now=NEXT_WEEK, settings=settings)
    assert _to(smtp, before) == []  # before: [[SECRETARIAT]], the overdue notice told it a second time
    assert outcome.done == [] and outcome.refused == [] and outcome.readdressed == {}
    why = (
        f"hộp thư {SECRETARIAT} đã có thư số {told.id} cùng đợt về cùng việc (báo trong bản tổng hợp hằng ngày),"
        " không gửi hai lần"
    )
    assert outcome.answered == [(failed.id, f"thư số {failed.id} không gửi lại: {why}")]
    row = session.get_one(Notification, failed.id, populate_existing=True)
    assert row.status == NotificationStatus.SKIPPED and row.recipient_email == BINH_SON  # as it was
    assert row.last_error == f"Không gửi lại ngày 04/07/2022: {why}."
    # nothing is lost: the secretariat's next digest tells it of the ended body's overdue work
    before = len(smtp.handler.received)
    run_digests(engine, now=datetime(2022, 7, 5, 7, 30, tzinfo=LOCAL_TZ), settings=settings)
    run_delivery(engine, now=datetime(2022, 7, 5, 7, 30, tzinfo=LOCAL_TZ), settings=settings)
    assert "UBND huyện Bình Sơn (hoạt động đến hết ngày 01/07/2022" in _text_to(smtp, before, SECRETARIAT)


def _sharing_catalog(tmp_path: Path) -> Path:
    """MIN_CATALOG with the Tổ giúp việc reached at its Sở's own mailbox (Sở TT&TT, the item's lead)."""
    directory = tmp_path / "catalog"
    shutil.copytree(MIN_CATALOG, directory)
    agencies = directory / "agencies.yaml"
    agencies.write_text(agencies.read_text(encoding="utf-8").replace(SECRETARIAT, SO_TTTT), encoding="utf-8")
    return directory


def _two_failed_for_one_mailbox(
    session: Session, engine: Engine, clock: FrozenClock, settings: Settings, smtp: SmtpServer, tmp_path: Path
) -> tuple[Notification, Notification]:
    """The overdue rung about UBND Bình Sơn's work mailed the body and its lead, Sở TT&TT, whose mailbox is
    also the Tổ giúp việc's (the sweep mailed it once, as the lead); both mails failed (an unknown user, a
    mailbox full that day). The body then ended: its mail now goes to the secretariat, that same mailbox."""
    load_min_catalog(session, clock.now(), _sharing_catalog(tmp_path))
    binh_son = assignment_for(session, ITEM, "ubnd-binh-son").id or 0
    smtp.handler.refuse_recipient(BINH_SON)
    smtp.handler.refuse_recipient(SO_TTTT, "552 5.2.2 Mailbox full")
    run_sweep(engine, now=OVERDUE_DAY, settings=settings)
    run_delivery(engine, now=OVERDUE_DAY, settings=settings)
    body, lead = (
        _step_row(session, binh_son, "agency", "ubnd-binh-son"),
        _step_row(session, binh_son, "lead", "so-tttt"),
    )
    step = f"qua-han:{binh_son}:2022-06-30:%"
    assert sorted(
        session.exec(select(Notification.recipient_role).where(col(Notification.dedupe_key).like(step))).all()
    ) == ["agency", "lead"]  # not the secretariat as well: one mailbox hears a step once
    assert (body.status, lead.status) == (NotificationStatus.FAILED, NotificationStatus.FAILED)
    smtp.handler.accept_recipient(SO_TTTT)
    _end(session, "ubnd-binh-son", date(2022, 7, 1))
    return body, lead


def test_two_failed_mails_of_one_step_sent_again_together_reach_their_one_mailbox_once(
    session: Session, engine: Engine, clock: FrozenClock, settings: Settings, smtp: SmtpServer, tmp_path: Path
) -> None:
    """Both ticked and sent again: both went to the one mailbox. Now the first in the rung's order (the
    body's, now the secretariat's) goes, and the other is marked answered by it."""
    body, lead = _two_failed_for_one_mailbox(session, engine, clock, settings, smtp, tmp_path)
    before = len(smtp.handler.received)
    outcome = resend(session, [lead.id or 0, body.id or 0], NEXT_WEEK, settings=settings)
    session.commit()
    run_delivery(engine, now=NEXT_WEEK, settings=settings)
    assert _to(smtp, before) == [[SO_TTTT]]  # before: [[SO_TTTT], [SO_TTTT]]
    assert outcome.done == [body.id] and outcome.readdressed == {body.id: (BINH_SON, SO_TTTT)}
    why = f"hộp thư {SO_TTTT} đã có thư số {body.id} cùng đợt về cùng việc (gửi lại cùng lúc), không gửi hai lần"
    assert outcome.answered == [(lead.id, f"thư số {lead.id} không gửi lại: {why}")] and outcome.refused == []
    statuses = session.exec(
        select(Notification.id, Notification.status).where(col(Notification.id).in_([body.id, lead.id]))
    ).all()
    assert dict(statuses) == {body.id: NotificationStatus.SENT, lead.id: NotificationStatus.SKIPPED}


def test_a_mail_of_the_step_that_reached_nobody_does_not_stop_the_other_and_is_answered_by_it_later(
    session: Session, engine: Engine, clock: FrozenClock, settings: Settings, smtp: SmtpServer, tmp_path: Path
) -> None:
    """Only the lead's mail sent again: it goes (the body's, to the same mailbox now, failed: it reached
    nobody). The body's sent again the next day is answered by the lead's, delivered the day before."""
    body, lead = _two_failed_for_one_mailbox(session, engine, clock, settings, smtp, tmp_path)
    before = len(smtp.handler.received)
    first = resend(session, [lead.id or 0], NEXT_WEEK, settings=settings)
    session.commit()
    run_delivery(engine, now=NEXT_WEEK, settings=settings)
    assert first.done == [lead.id] and _to(smtp, before) == [[SO_TTTT]]

    later = datetime(2022, 7, 5, 9, 0, tzinfo=LOCAL_TZ)
    second = resend(session, [body.id or 0], later, settings=settings)
    session.commit()
    run_delivery(engine, now=later, settings=settings)
    assert _to(smtp, before) == [[SO_TTTT]]  # before: [[SO_TTTT], [SO_TTTT]]
    why = f"hộp thư {SO_TTTT} đã có thư số {lead.id} cùng đợt về cùng việc (đã gửi ngày 04/07/2022), không gửi hai lần"
    assert second.done == [] and second.answered == [(body.id, f"thư số {body.id} không gửi lại: {why}")]
    assert session.get_one(Notification, body.id, populate_existing=True).status == NotificationStatus.SKIPPED


@pytest.mark.postgres
def test_a_mail_answered_by_one_ticked_with_it_stays_failed_if_that_one_does_not_go(
    pg_engine: Engine, clock: FrozenClock, settings: Settings, smtp: SmtpServer, tmp_path: Path
) -> None:
    """Another clerk marks the body's mail dealt with while the lead's and the body's are being sent
    again: the lead's, which the body's was to answer for, is not lost. It stays failed, refused with why."""
    with Session(pg_engine, expire_on_commit=False) as session:
        body, lead = _two_failed_for_one_mailbox(session, pg_engine, clock, settings, smtp, tmp_path)
        other_clerk = {"done": False}

        @event.listens_for(pg_engine, "before_cursor_execute")
        def dismiss_first(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
            if statement.startswith("UPDATE notification SET") and not other_clerk["done"]:
                other_clerk["done"] = True
                with Session(pg_engine) as theirs:
                    dismiss(theirs, [body.id or 0], NEXT_WEEK, by="khác", reason="đã gọi điện báo")
                    theirs.commit()

        try:
            outcome = resend(session, [body.id or 0, lead.id or 0], NEXT_WEEK, settings=settings)
            session.commit()
        finally:
            event.remove(pg_engine, "before_cursor_execute", dismiss_first)
        why = f"thư số {body.id} cùng đợt, tới cùng hộp thư, vừa được người khác xử lý; thư vẫn chờ trong danh sách"
        assert outcome.done == [] and outcome.answered == []
        assert outcome.refused == [
            (body.id, f"thư số {body.id} không còn gửi lỗi (vừa được người khác xử lý)"),
            (lead.id, f"thư số {lead.id} chưa gửi lại: {why}"),
        ]
        kept = session.get_one(Notification, lead.id, populate_existing=True)
        assert kept.status == NotificationStatus.FAILED and kept.last_error == lead.last_error


def test_a_step_is_read_from_the_key_its_writer_wrote() -> None:
    """A sweep's rung (rule, subject, anchor day) and a request's event (its mails to a body and to the
    seats) are steps; a lead's copy of a request asks that lead something else, and a digest or a notice
    of inherited work is a step of its own."""
    rung = "qua-han:4:2022-06-30"
    assert step_of(f"{rung}:agency:ubnd-binh-son") == step_of(f"{rung}:secretariat:secretariat") == rung
    assert step_of("giao-moi:plan-1:2022-03-01:agency:so-noi-vu") == "giao-moi:plan-1:2022-03-01"
    asked = {step_of(dedupe_key(12, recipient)) for recipient in ("agency", "secretariat", "chair")}
    assert asked == {"request:12"} and step_of(dedupe_key(1, "agency")) == "request:1"
    for own in ("request:12:lead-so-noi-vu", "digest:secretariat:2022-07-01", "inherited:2025-sn:so-khcn:7"):
        assert step_of(own) is None, own


def test_a_held_mail_no_digest_tells_does_not_answer_for_a_failed_one(
    session: Session, clock: FrozenClock, settings: Settings
) -> None:
    """A held row reaches its mailbox only through a digest that lists its kind
    (engine.escalation.policy.HELD_KINDS): a work notice held for the secretariat, which no digest
    carries, had made a failed mail of its step count as heard, and nobody was told."""
    load_min_catalog(session, clock.now(), MIN_CATALOG)
    failed_id, held_id = heard_step(session, OVERDUE_DAY)
    held = session.get_one(Notification, held_id)
    assert carried(held.kind, held.recipient_role)
    held.kind = "new_assignment"  # held, and carried by no digest
    session.add(held)
    session.commit()
    assert not carried(held.kind, held.recipient_role)
    outcome = resend(session, [failed_id], NEXT_WEEK, settings=settings)
    session.commit()
    assert outcome.answered == [] and outcome.done == [failed_id]
    assert outcome.readdressed == {failed_id: (BINH_SON, SECRETARIAT)}
