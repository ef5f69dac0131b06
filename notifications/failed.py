"""The secretariat's two answers to a mail that could not be delivered ("Thư gửi lỗi"): send it
again, or mark it dealt with. Every surface (the queue's page, ``dondoc outbox``) goes through here.

A mail sent again goes back to the outbox as a new mail would: the next delivery run takes it. It
goes to whoever the mail is for as the catalog and the roster say on the day it is sent again, not
to the address that failed (a wrong address the secretariat has corrected since; a body that has
ended: the secretariat; notifications.addressee), rendered anew for that mailbox; a mail whose
recipient can no longer be found (no address in the catalog, a seat nobody holds) is refused, and
stays in the queue. Past its day it is rendered again with the figures of the day it leaves, and it
is not sent at all if what it asked has been answered since, as for any late mail
(notifications.claims.prepare). A mail marked dealt with (told by telephone, sent by hand) leaves
the queue with who marked it, when, and why, in its error line. Only a mail that failed is either:
the change is one UPDATE of the ticked mails that holds each row to "failed", so two clerks, or a
clerk and a worker, never both act on one mail, nor wait on each other's rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import update
from sqlmodel import Session, col, select

from dondoc.engine.clock import local_date
from dondoc.engine.errors import InvalidInput
from dondoc.engine.escalation.recipients import Directory
from dondoc.engine.models import Notification, NotificationStatus
from dondoc.engine.settings import Settings
from dondoc.engine.vi_format import vn_date
from dondoc.notifications.addressee import Addressee, addressee, readdress

FAILED = NotificationStatus.FAILED.value
STATUS_WORDS = {  # why a mail is not failed any more, as the refusal says it
    NotificationStatus.PENDING.value: "đang chờ gửi",
    NotificationStatus.HELD.value: "chỉ ghi nhận, gửi trong bản tổng hợp",
    NotificationStatus.SENT.value: "đã gửi",
    NotificationStatus.SKIPPED.value: "đã bỏ qua hoặc đã xử lý",
}


@dataclass
class Outcome:
    """What was done: the mails acted on, and each one refused with why."""

    done: list[int] = field(default_factory=list)
    refused: list[tuple[int, str]] = field(default_factory=list)
    # a mail sent again to another address than the one that failed: (that one, the one it goes to now)
    readdressed: dict[int, tuple[str, str]] = field(default_factory=dict)


def resend(session: Session, ids: Iterable[int], now: datetime, *, settings: Settings) -> Outcome:
    """Put each failed mail of ``ids`` back in the outbox, due at ``now``, its attempts counted
    anew, addressed to whoever it is for on ``now``'s day; the others refused (unknown, not failed,
    or for nobody that can be mailed any more)."""
    wanted = _wanted(ids)
    day = local_date(now, settings.tz)
    failed = session.exec(
        select(Notification).where(col(Notification.id).in_(wanted), col(Notification.status) == FAILED)
    ).all()
    directory = Directory(session, day) if failed else None
    addressed: dict[int, Addressee] = {}
    unreachable: dict[int, str] = {}
    for row in failed:
        assert directory is not None and row.id is not None
        found = addressee(session, directory, row, day)
        if isinstance(found, str):
            unreachable[row.id] = f"thư số {row.id} không gửi lại được: {found}"
        elif found.differs(row):
            addressed[row.id] = found
    values = {
        "status": NotificationStatus.PENDING.value,
        "attempts": 0,
        "next_attempt_at": now,
        "claimed_by": None,
        "claimed_until": None,
    }
    outcome = _apply(session, wanted, values, unreachable)
    rows = {row.id: row for row in failed}
    for mail_id in outcome.done:
        if (to := addressed.get(mail_id)) is not None:
            row = rows[mail_id]
            if to.person.email != row.recipient_email:
                outcome.readdressed[mail_id] = (row.recipient_email, to.person.email)
            readdress(session, row, to, now=now, settings=settings)
    return outcome


def dismiss(session: Session, ids: Iterable[int], now: datetime, *, by: str, reason: str) -> Outcome:
    """Mark each failed mail of ``ids`` dealt with by ``by`` at ``now`` for ``reason`` (required):
    it leaves the queue, never to be sent; its error line keeps who, when and why."""
    reason = reason.strip()
    if not reason:
        raise InvalidInput("Thiếu lý do: ghi rõ thư đã được xử lý thế nào (ví dụ: đã báo qua điện thoại).")
    said = f"Tổ giúp việc ({by}) đánh dấu đã xử lý ngày {vn_date(local_date(now))}: {reason}"
    return _apply(session, _wanted(ids), {"status": NotificationStatus.SKIPPED.value, "last_error": said[:2000]})


def _wanted(ids: Iterable[int]) -> list[int]:
    wanted = list(dict.fromkeys(ids))
    if not wanted:
        raise InvalidInput("Chưa chọn thư nào: đánh dấu các thư cần xử lý rồi gửi lại.")
    return wanted


def _apply(
    session: Session, wanted: list[int], values: dict[str, object], refused: dict[int, str] | None = None
) -> Outcome:
    """``values`` written to each failed mail of ``wanted`` but those ``refused`` (with why)."""
    refused = refused or {}
    found = dict(
        session.exec(select(Notification.id, Notification.status).where(col(Notification.id).in_(wanted))).all()
    )
    # one statement for every mail (two clerks' lists in two orders never lock each other's rows)
    acted = [mail_id for mail_id in wanted if mail_id not in refused]
    changed = set(
        session.execute(
            update(Notification)
            .where(col(Notification.id).in_(acted), col(Notification.status) == FAILED)
            .values(**values)
            .returning(col(Notification.id)),
            execution_options={"synchronize_session": False},
        ).scalars()
    )
    outcome = Outcome()
    for mail_id in wanted:
        if mail_id in refused:
            outcome.refused.append((mail_id, refused[mail_id]))
        elif mail_id in changed:
            outcome.done.append(mail_id)
        elif mail_id not in found:
            outcome.refused.append((mail_id, f"không có thư số {mail_id}"))
        else:
            status = str(found[mail_id])
            now_is = STATUS_WORDS.get(status, status) if status != FAILED else "vừa được người khác xử lý"
            outcome.refused.append((mail_id, f"thư số {mail_id} không còn gửi lỗi ({now_is})"))
    return outcome
