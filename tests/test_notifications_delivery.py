"""Delivery to a real SMTP server (aiosmtpd on 127.0.0.1): retries, failures, re-check, crash, workers."""

from __future__ import annotations

import asyncio
import logging
import re
from collections import Counter
from datetime import timedelta
from email.message import EmailMessage
from pathlib import Path
from types import TracebackType
from typing import Self

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, func, select

from dondoc.engine.actors import Actor
from dondoc.engine.clock import FrozenClock
from dondoc.engine.errors import InvalidInput
from dondoc.engine.links import verify_token
from dondoc.engine.models import Assignment, Notification, NotificationStatus
from dondoc.engine.services.assignments import Request, act
from dondoc.engine.settings import Settings
from dondoc.engine.workflow import Action
from dondoc.notifications import MailSpec, deliver, deliver_async, enqueue
from dondoc.notifications.claims import LEASE, backoff
from dondoc.notifications.delivery import default_sender
from dondoc.notifications.failed import dismiss, resend
from dondoc.notifications.senders import SmtpSender
from tests.factories import assignment_for, load_min_catalog
from tests.smtp_server import SmtpServer, free_port
from tests.support.catalogs import MIN_CATALOG

ITEM = "99/KH-TEST:II.1"
AGENCIES = {"so-noi-vu": "Sở Nội vụ", "vp-ubnd": "Văn phòng UBND tỉnh", "ubnd-binh-son": "UBND huyện Bình Sơn"}
SHORT = {"so-noi-vu": "Sở Nội vụ", "vp-ubnd": "VP UBND tỉnh", "ubnd-binh-son": "UBND Bình Sơn"}


def _settings(tmp_path: Path, port: int | None) -> Settings:
    extra = {"smtp_host": "127.0.0.1", "smtp_port": port, "smtp_security": "none", "smtp_timeout": 5} if port else {}
    return Settings(_env_file=None, demo=True, base_url="http://dondoc.test", maildrop_dir=tmp_path / "drop", **extra)  # type: ignore[arg-type]


@pytest.fixture
def settings(tmp_path: Path, smtp: SmtpServer) -> Settings:
    return _settings(tmp_path, smtp.port)


@pytest.fixture
def assignments(session: Session, clock: FrozenClock) -> dict[str, Assignment]:
    load_min_catalog(session, clock.now(), MIN_CATALOG)
    return {code: assignment_for(session, ITEM, code) for code in AGENCIES}


def _queue(
    session: Session, clock: FrozenClock, settings: Settings, a: Assignment, code: str, key: str
) -> Notification:
    spec = MailSpec(
        key,
        "reminder",
        "agency",
        f"{code}@dondoc.example",
        AGENCIES[code],
        a.id,
        "test-1",
        False,
        {"due_at": a.due_at.isoformat() if a.due_at else None, "days_before_due": 7},
    )
    row = enqueue(session, spec, now=clock.now(), settings=settings)
    assert row is not None
    session.commit()
    return row


def _row(session: Session, row: Notification) -> Notification:
    found = session.get(Notification, row.id, populate_existing=True)
    assert found is not None
    return found


def test_mails_arrive_and_parse_back(
    session: Session,
    engine: Engine,
    clock: FrozenClock,
    settings: Settings,
    smtp: SmtpServer,
    assignments: dict[str, Assignment],
) -> None:
    rows = {code: _queue(session, clock, settings, a, code, f"r:{code}") for code, a in assignments.items()}
    report = deliver(engine, now=clock.now(), settings=settings, worker_id="w1")
    assert (report.sent, report.retry, report.failed, report.worker_id) == (3, 0, 0, "w1")
    assert smtp.handler.wait_for(3)
    for received in smtp.handler.received:
        message = received.message
        code = received.rcpt_tos[0].split("@")[0]
        row = _row(session, rows[code])
        assert row.status == NotificationStatus.SENT and row.sent_at == clock.now() and row.attempts == 1
        assert row.claimed_by is None and row.claimed_until is None
        assert received.mail_from == "dondoc@dondoc.example" and received.rcpt_tos == [f"{code}@dondoc.example"]
        assert message["To"].addresses[0].display_name == AGENCIES[code]
        assert message["Subject"] == row.subject
        assert row.subject.endswith(f"{ITEM} (mốc: Phê duyệt cấp độ) — {SHORT[code]}")  # II.1 has two milestones
        assert message["Message-ID"] == row.message_id
        token = re.search(r"http://dondoc\.test/a/([^/\s]+)", message.get_body(("plain",)).get_content()).group(1)  # type: ignore[union-attr]
        assert verify_token(session, token, now=clock.now(), secret=settings.signing_key()) == f"agency:{code}"
    assert deliver(engine, now=clock.now(), settings=settings).sent == 0  # nothing twice


@pytest.mark.parametrize("reply", ["421 4.3.2 Service shutting down", "451 4.3.0 Try again later", "drop"])
def test_temporary_failures_are_delivered_later_exactly_once(
    session: Session,
    engine: Engine,
    clock: FrozenClock,
    settings: Settings,
    smtp: SmtpServer,
    assignments: dict[str, Assignment],
    reply: str,
) -> None:
    row = _queue(session, clock, settings, assignments["so-noi-vu"], "so-noi-vu", "r:1")
    # a 4xx is retried later; a dropped connection is retried once at once, so drop it twice
    smtp.handler.fail_next(1, reply) if reply != "drop" else smtp.handler.drop_next(2)
    assert deliver(engine, now=clock.now(), settings=settings).retry == 1
    failed = _row(session, row)
    assert failed.status == NotificationStatus.PENDING and failed.attempts == 1
    assert failed.next_attempt_at == clock.now() + timedelta(minutes=1) and failed.claimed_by is None
    expected = "Disconnected" if reply == "drop" else reply[:3]
    assert expected in (failed.last_error or "")
    clock.advance(timedelta(seconds=30))
    assert deliver(engine, now=clock.now(), settings=settings).sent == 0  # not due yet
    clock.advance(timedelta(seconds=31))
    assert deliver(engine, now=clock.now(), settings=settings).sent == 1
    assert smtp.handler.wait_for(1) and len(smtp.handler.received) == 1
    assert _row(session, row).status == NotificationStatus.SENT and _row(session, row).attempts == 2


def test_a_single_dropped_connection_is_retried_at_once(
    session: Session,
    engine: Engine,
    clock: FrozenClock,
    settings: Settings,
    smtp: SmtpServer,
    assignments: dict[str, Assignment],
) -> None:
    _queue(session, clock, settings, assignments["so-noi-vu"], "so-noi-vu", "r:1")
    _queue(session, clock, settings, assignments["vp-ubnd"], "vp-ubnd", "r:2")
    smtp.handler.drop_next(1)
    assert deliver(engine, now=clock.now(), settings=settings).sent == 2
    assert Counter(m["X-Dondoc-Dedupe-Key"] for m in smtp.handler.messages()) == {"r:1": 1, "r:2": 1}


def test_retries_run_out_after_max_attempts(
    session: Session,
    engine: Engine,
    clock: FrozenClock,
    settings: Settings,
    smtp: SmtpServer,
    assignments: dict[str, Assignment],
) -> None:
    assert [backoff(n) for n in (1, 2, 3, 4)] == [timedelta(minutes=m) for m in (1, 2, 4, 8)]
    assert backoff(10) == backoff(50) == timedelta(hours=6)
    row = _queue(session, clock, settings, assignments["so-noi-vu"], "so-noi-vu", "r:1")
    smtp.handler.fail_next(3, "451 4.3.0 Try again later")
    outcomes = []
    for _ in range(3):
        report = deliver(engine, now=clock.now(), settings=settings, max_attempts=3)
        outcomes.append((report.retry, report.failed))
        clock.advance(timedelta(hours=1))
    assert outcomes == [(1, 0), (1, 0), (0, 1)]
    assert _row(session, row).status == NotificationStatus.FAILED and _row(session, row).attempts == 3


@pytest.mark.parametrize("where", ["data", "rcpt"])
def test_permanent_failure_is_recorded_with_the_reply(
    session: Session,
    engine: Engine,
    clock: FrozenClock,
    settings: Settings,
    smtp: SmtpServer,
    assignments: dict[str, Assignment],
    where: str,
) -> None:
    row = _queue(session, clock, settings, assignments["so-noi-vu"], "so-noi-vu", "r:1")
    _queue(session, clock, settings, assignments["vp-ubnd"], "vp-ubnd", "r:2")
    if where == "data":
        smtp.handler.fail_next(1, "550 5.7.1 Message rejected as spam")
    else:
        smtp.handler.refuse_recipient("so-noi-vu@dondoc.example", "550 5.1.1 <so-noi-vu@dondoc.example>: User unknown")
    report = deliver(engine, now=clock.now(), settings=settings)
    assert (report.sent, report.failed, report.retry) == (1, 1, 0)  # the other mail still went
    failed = _row(session, row)
    assert failed.status == NotificationStatus.FAILED and failed.attempts == 1 and failed.sent_at is None
    reply = (
        "550 5.7.1 Message rejected as spam"
        if where == "data"
        else "550 5.1.1 <so-noi-vu@dondoc.example>: User unknown"
    )
    assert reply in (failed.last_error or "")
    clock.advance(timedelta(days=1))
    assert deliver(engine, now=clock.now(), settings=settings).sent == 0


def test_a_failed_mail_is_sent_again_or_marked_dealt_with_by_the_secretariat(
    session: Session,
    engine: Engine,
    clock: FrozenClock,
    settings: Settings,
    smtp: SmtpServer,
    assignments: dict[str, Assignment],
) -> None:
    """ "Thư gửi lỗi" was a list with no way out: a mail refused during a mail server's fault stayed
    failed, its days waiting growing, once the fault was over. Sent again it goes once, rendered with
    the day it leaves; marked dealt with it leaves the queue with who, when and why; only a failed
    mail is either, and a second clerk's click is refused."""
    again = _queue(session, clock, settings, assignments["so-noi-vu"], "so-noi-vu", "r:1")
    dealt = _queue(session, clock, settings, assignments["vp-ubnd"], "vp-ubnd", "r:2")
    first_body = again.body_text
    smtp.handler.fail_next(2, "554 5.7.1 Service unavailable")
    assert deliver(engine, now=clock.now(), settings=settings).failed == 2
    clock.advance(timedelta(days=2))
    assert again.id is not None and dealt.id is not None
    outcome = resend(session, [again.id], clock.now(), settings=settings)
    session.commit()
    assert outcome.done == [again.id] and outcome.refused == []
    report = deliver(engine, now=clock.now(), settings=settings)
    assert (report.sent, report.failed) == (1, 0) and len(smtp.handler.received) == 1
    sent = _row(session, again)
    assert sent.status == NotificationStatus.SENT and sent.attempts == 1
    left = re.compile(r"còn (\d+) ngày làm việc")
    written, told = (int(left.findall(body or "")[0]) for body in (first_body, sent.body_text))
    assert (written, told) == (7, 81)  # the decision's "7 days before" (this test's), counted again the day it left
    again_again = resend(session, [again.id], clock.now(), settings=settings)
    assert again_again.done == [] and again_again.refused == [
        (again.id, f"thư số {again.id} không còn gửi lỗi (đã gửi)")
    ]
    with pytest.raises(InvalidInput):
        dismiss(session, [dealt.id], clock.now(), by="thuky", reason="  ")
    marked = dismiss(session, [dealt.id, 999_999], clock.now(), by="thuky", reason="đã báo qua điện thoại")
    session.commit()
    assert marked.done == [dealt.id] and marked.refused == [(999_999, "không có thư số 999999")]
    row = _row(session, dealt)
    assert row.status == NotificationStatus.SKIPPED
    assert (
        row.last_error == f"Tổ giúp việc (thuky) đánh dấu đã xử lý ngày {clock.now():%d/%m/%Y}: đã báo qua điện thoại"
    )
    clock.advance(timedelta(days=1))
    assert deliver(engine, now=clock.now(), settings=settings).sent == 0 and len(smtp.handler.received) == 1
    refused = resend(session, [dealt.id], clock.now(), settings=settings).refused
    assert refused[0][1].endswith("(đã bỏ qua hoặc đã xử lý)")


def test_recheck_skips_a_reminder_reported_after_it_was_queued(
    session: Session,
    engine: Engine,
    clock: FrozenClock,
    settings: Settings,
    smtp: SmtpServer,
    assignments: dict[str, Assignment],
) -> None:
    row = _queue(session, clock, settings, assignments["so-noi-vu"], "so-noi-vu", "r:1")
    agency = Actor.agency("so-noi-vu")
    act(session, row.assignment_id, Request(Action.ACKNOWLEDGE, agency), now=clock.now())  # type: ignore[arg-type]
    act(session, row.assignment_id, Request(Action.REPORT, agency, comment="Đã hoàn thành."), now=clock.now())  # type: ignore[arg-type]
    session.commit()
    report = deliver(engine, now=clock.now(), settings=settings)
    assert (report.sent, report.skipped) == (0, 1)
    skipped = _row(session, row)
    assert skipped.status == NotificationStatus.SKIPPED and "«Đã báo cáo»" in (skipped.last_error or "")
    assert smtp.handler.transactions == 0


def test_a_mail_queued_before_the_part_moved_says_the_part_as_it_leaves(
    session: Session,
    engine: Engine,
    clock: FrozenClock,
    settings: Settings,
    smtp: SmtpServer,
    assignments: dict[str, Assignment],
) -> None:
    # The 2022 replay: an overdue-at-issue notice queued at 07:05, the part acknowledged at 08:04, the
    # mail that left at 08:05 still said "Tình trạng: Đã giao"; its request (finish and report) held.
    row = _queue(session, clock, settings, assignments["so-noi-vu"], "so-noi-vu", "r:moved")
    assert "- Tình trạng: Đã giao" in row.body_text
    clock.advance(timedelta(minutes=59))
    act(session, row.assignment_id, Request(Action.ACKNOWLEDGE, Actor.agency("so-noi-vu")), now=clock.now())  # type: ignore[arg-type]
    session.commit()
    clock.advance(timedelta(minutes=1))
    report = deliver(engine, now=clock.now(), settings=settings)
    assert (report.sent, report.skipped) == (1, 0)
    assert smtp.handler.wait_for(1)
    text = smtp.handler.received[0].message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "- Tình trạng: Đang thực hiện" in text and "Đã giao" not in text
    assert "- Tình trạng: Đang thực hiện" in _row(session, row).body_text  # the outbox shows what was sent


def test_a_sweep_mail_whose_part_moved_in_the_same_instant_says_the_part_as_it_leaves(
    session: Session,
    engine: Engine,
    clock: FrozenClock,
    settings: Settings,
    smtp: SmtpServer,
    assignments: dict[str, Assignment],
) -> None:
    # an event of the instant the mail was rendered is not "after" it: the state the sweep decided on
    # (data["state"]) against the part's tells that it moved
    a = assignments["so-noi-vu"]
    data = {"state": a.state, "due_at": a.due_at.isoformat() if a.due_at else None, "days_before_due": 7}
    spec = MailSpec("r:instant", "reminder", "agency", "so-noi-vu@dondoc.example", "Sở Nội vụ", a.id, None, False, data)
    row = enqueue(session, spec, now=clock.now(), settings=settings)
    assert row is not None and "- Tình trạng: Đã giao" in row.body_text
    act(session, a.id, Request(Action.ACKNOWLEDGE, Actor.agency("so-noi-vu")), now=clock.now())  # type: ignore[arg-type]
    session.commit()
    assert deliver(engine, now=clock.now(), settings=settings).sent == 1
    assert smtp.handler.wait_for(1)
    text = smtp.handler.received[0].message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "- Tình trạng: Đang thực hiện" in text


def test_a_mail_whose_part_did_not_move_goes_as_rendered(
    session: Session,
    engine: Engine,
    clock: FrozenClock,
    settings: Settings,
    smtp: SmtpServer,
    assignments: dict[str, Assignment],
) -> None:
    # another part's history moving, or the part's own before the mail was queued, renders nothing again
    other = assignments["vp-ubnd"]
    act(session, other.id, Request(Action.ACKNOWLEDGE, Actor.agency("vp-ubnd")), now=clock.now())  # type: ignore[arg-type]
    session.commit()
    clock.advance(timedelta(minutes=5))
    row = _queue(session, clock, settings, assignments["so-noi-vu"], "so-noi-vu", "r:still")
    stored = row.mime
    clock.advance(timedelta(minutes=5))
    act(session, other.id, Request(Action.REPORT, Actor.agency("vp-ubnd"), comment="Xong."), now=clock.now())  # type: ignore[arg-type]
    session.commit()
    assert deliver(engine, now=clock.now(), settings=settings).sent == 1
    assert _row(session, row).mime == stored


class SimulatedCrash(BaseException):
    """The process dies right after the server accepted the mail, before the row is marked."""


class CrashAfterSend:
    """Test-only sender: a real SMTP send, then the crash."""

    def __init__(self, inner: SmtpSender) -> None:
        self.inner = inner

    async def __aenter__(self) -> Self:
        await self.inner.__aenter__()
        return self

    async def __aexit__(self, t: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None) -> None:
        await self.inner.__aexit__(t, e, tb)

    async def send(
        self, message: EmailMessage, *, sender: str | None = None, recipients: list[str] | None = None
    ) -> str:
        await self.inner.send(message, sender=sender, recipients=recipients)
        raise SimulatedCrash


def test_a_crash_between_send_and_mark_resends_with_the_same_message_id(
    session: Session,
    engine: Engine,
    clock: FrozenClock,
    settings: Settings,
    smtp: SmtpServer,
    assignments: dict[str, Assignment],
) -> None:
    """The documented at-least-once point: the only way a mail goes out twice."""
    row = _queue(session, clock, settings, assignments["so-noi-vu"], "so-noi-vu", "r:1")
    other = _queue(session, clock, settings, assignments["vp-ubnd"], "vp-ubnd", "r:2")
    with pytest.raises(SimulatedCrash):
        deliver(
            engine, now=clock.now(), settings=settings, sender=CrashAfterSend(SmtpSender(settings)), worker_id="dead"
        )
    crashed = _row(session, row)
    assert crashed.status == NotificationStatus.PENDING and crashed.claimed_by == "dead"
    assert _row(session, other).claimed_by is None  # rows not yet attempted were given back
    assert deliver(engine, now=clock.now(), settings=settings).sent == 1  # only the other one: the lease holds
    clock.advance(LEASE + timedelta(seconds=1))
    assert deliver(engine, now=clock.now(), settings=settings).sent == 1
    copies = [m for m in smtp.handler.messages() if m["X-Dondoc-Dedupe-Key"] == "r:1"]
    assert len(copies) == 2 and copies[0]["Message-ID"] == copies[1]["Message-ID"] == _row(session, row).message_id


def test_mail_drop_when_no_smtp_host(
    session: Session,
    engine: Engine,
    clock: FrozenClock,
    tmp_path: Path,
    assignments: dict[str, Assignment],
    caplog: pytest.LogCaptureFixture,
) -> None:
    settings = _settings(tmp_path, None)
    rows = [_queue(session, clock, settings, a, code, f"r:{code}") for code, a in assignments.items()]
    with caplog.at_level(logging.INFO, logger="dondoc.notifications"):
        assert deliver(engine, now=clock.now(), settings=settings).sent == 3
        deliver(engine, now=clock.now(), settings=settings)
    assert [r.getMessage() for r in caplog.records].count(
        f"Chưa cấu hình SMTP (DONDOC_SMTP_HOST): thư được ghi vào thư mục {tmp_path / 'drop'}"
    ) == 1
    assert sorted(p.name for p in (tmp_path / "drop").iterdir()) == sorted(f"{r.id}.eml" for r in rows)
    import email.policy
    from email.parser import BytesParser

    for row in rows:
        parsed = BytesParser(policy=email.policy.default).parsebytes((tmp_path / "drop" / f"{row.id}.eml").read_bytes())
        assert parsed["Subject"] == row.subject and parsed["To"].addresses[0].addr_spec == row.recipient_email


@pytest.mark.parametrize("durable", [True, False])
def test_the_mail_drop_syncs_each_file_unless_told_not_to(
    session: Session,
    engine: Engine,
    clock: FrozenClock,
    tmp_path: Path,
    assignments: dict[str, Assignment],
    monkeypatch: pytest.MonkeyPatch,
    durable: bool,
) -> None:
    """A replay's mail drop (durable=False, simulation.replay) writes the same files, unsynced."""
    settings = _settings(tmp_path, None)
    rows = [_queue(session, clock, settings, a, code, f"r:{code}") for code, a in assignments.items()]
    synced: list[int] = []
    monkeypatch.setattr("dondoc.notifications.senders.os.fsync", synced.append)
    sender = default_sender(settings, durable=durable)
    assert deliver(engine, now=clock.now(), settings=settings, sender=sender).sent == 3
    assert len(synced) == (3 if durable else 0)
    assert sorted(p.name for p in (tmp_path / "drop").iterdir()) == sorted(f"{r.id}.eml" for r in rows)
    for row in rows:
        data = (tmp_path / "drop" / f"{row.id}.eml").read_bytes()
        assert data.endswith(_row(session, row).mime or b"?")


def test_unreachable_server_keeps_every_row(
    session: Session, engine: Engine, clock: FrozenClock, tmp_path: Path, assignments: dict[str, Assignment]
) -> None:
    settings = _settings(tmp_path, free_port())  # nobody listens there
    rows = [_queue(session, clock, settings, a, code, f"r:{code}") for code, a in assignments.items()]
    report = deliver(engine, now=clock.now(), settings=settings)
    assert (report.sent, report.retry, report.released, report.failed) == (0, 1, 2, 0)
    states = [(_row(session, r).status, _row(session, r).claimed_by) for r in rows]
    assert states == [(NotificationStatus.PENDING, None)] * 3
    assert "Không kết nối được máy chủ thư" in (_row(session, rows[0]).last_error or "")


def test_two_workers_at_once_deliver_every_message_exactly_once(
    session: Session,
    engine: Engine,
    clock: FrozenClock,
    settings: Settings,
    smtp: SmtpServer,
    assignments: dict[str, Assignment],
) -> None:
    count = 200
    a = assignments["so-noi-vu"]
    for i in range(count):
        spec = MailSpec(
            f"bulk:{i}",
            "reminder",
            "agency",
            "so-noi-vu@dondoc.example",
            "Sở Nội vụ",
            a.id,
            None,
            False,
            {"due_at": a.due_at.isoformat() if a.due_at else None},
        )
        enqueue(session, spec, now=clock.now(), settings=settings)
    session.commit()

    async def both() -> list[int]:
        runs = [
            deliver_async(
                engine,
                now=clock.now(),
                settings=settings,
                sender=SmtpSender(settings),
                batch_size=25,
                worker_id=f"worker-{n}",
            )
            for n in (1, 2)
        ]
        return [r.sent for r in await asyncio.gather(*runs)]

    sent = asyncio.run(both())
    assert sum(sent) == count and all(sent), sent  # both took part
    assert smtp.handler.wait_for(count)
    keys = Counter(m["X-Dondoc-Dedupe-Key"] for m in smtp.handler.messages())
    assert len(keys) == count and set(keys.values()) == {1}
    statuses = session.exec(select(Notification.status, func.count()).group_by(Notification.status)).all()
    assert dict(statuses) == {NotificationStatus.SENT.value: count}
