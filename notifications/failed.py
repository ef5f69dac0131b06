"""The secretariat's two answers to a mail that could not be delivered ("Thư gửi lỗi"): send it
again, or mark it dealt with. Every surface (the queue's page, ``dondoc outbox``) goes through here.

A mail sent again goes back to the outbox as a new mail would: the next delivery run takes it. It
goes to whoever the mail is for as the catalog and the roster say on the day it is sent again, not
to the address that failed (a wrong address the secretariat has corrected since; a body that has
ended: the secretariat; notifications.addressee), rendered anew for that mailbox; a mail whose
recipient can no longer be found (no address in the catalog, a seat nobody holds) is refused, and
stays in the queue. One mailbox hears a step once (engine.escalation.hearing), sent again or not:
a mail whose mailbox that day has had, or is to have, another mail of its step about the same work
(the secretariat, in the place of a body that has ended, told already in its digest; a mail ticked
with it, earlier in the step's order) is not sent but marked dealt with, its error line naming that
mail (notifications.heard). Marked, not refused: what it says has reached that mailbox, and left
failed it would go on telling the secretariat (its queue, the board's count) that somebody was not
told, until a clerk marked it by hand. Nothing is lost: the other mail, should it fail in turn, is
in the queue itself, and a mail ticked with it that did not go after all (another clerk acted on it
first) leaves this one failed. Past its day it is rendered again with the figures of the day it
leaves, and it is not sent at all if what it asked has been answered since, as for any late mail
(notifications.claims.prepare). A mail marked dealt with (told by telephone, sent by hand) leaves
the queue with who marked it, when, and why, in its error line. Only a mail that failed is either:
the change is one UPDATE of the ticked mails that holds each row to "failed", so two clerks, or a
clerk and a worker, never both act on one mail, nor wait on each other's rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import case, literal, update
from sqlmodel import Session, col, select

from dondoc.engine.clock import local_date
from dondoc.engine.errors import InvalidInput
from dondoc.engine.escalation.recipients import Directory
from dondoc.engine.models import Notification, NotificationStatus
from dondoc.engine.settings import Settings
from dondoc.engine.vi_format import vn_date
from dondoc.notifications.addressee import Addressee, addressee, readdress
from dondoc.notifications.heard import Answer, answers

FAILED = NotificationStatus.FAILED.value
STATUS_WORDS = {  # why a mail is not failed any more, as the refusal says it
    NotificationStatus.PENDING.value: "đang chờ gửi",
    NotificationStatus.HELD.value: "chỉ ghi nhận, gửi trong bản tổng hợp",
    NotificationStatus.SENT.value: "đã gửi",
    NotificationStatus.SKIPPED.value: "đã bỏ qua hoặc đã xử lý",
}


@dataclass
class Outcome:
    """What was done: the mails acted on, each one answered by a mail of its step instead, and each
    one refused, with why."""

    done: list[int] = field(default_factory=list)
    refused: list[tuple[int, str]] = field(default_factory=list)
    # a mail not sent again, its mailbox having had its step's mail: marked dealt with (notifications.heard)
    answered: list[tuple[int, str]] = field(default_factory=list)
    # a mail sent again to another address than the one that failed: (that one, the one it goes to now)
    readdressed: dict[int, tuple[str, str]] = field(default_factory=dict)


def resend(session: Session, ids: Iterable[int], now: datetime, *, settings: Settings) -> Outcome:
    """Put each failed mail of ``ids`` back in the outbox, due at ``now``, its attempts counted
    anew, addressed to whoever it is for on ``now``'s day; mark dealt with each one whose mailbox that
    day has had, or is to have, its step's mail (answered); the others refused (unknown, not failed,
    or for nobody that can be mailed any more)."""
    wanted = _wanted(ids)
    day = local_date(now, settings.tz)
    failed = session.exec(
        select(Notification)
        .where(col(Notification.id).in_(wanted), col(Notification.status) == FAILED)
        .order_by(col(Notification.id))  # a step's rows in the order they were written: the first goes
    ).all()
    where = _Where.of(session, failed, day, now)
    answered = {mail_id: (a.stored(day), a.said(mail_id)) for mail_id, a in where.answered.items()}
    outcome = _apply(session, wanted, _resent(now), where.unreachable, answered)
    rows = {row.id: row for row in failed}
    _keep_unanswered(session, outcome, where.answered, rows)
    for mail_id in outcome.done:
        if (to := where.addressed.get(mail_id)) is not None:
            row = rows[mail_id]
            if to.person.email != row.recipient_email:
                outcome.readdressed[mail_id] = (row.recipient_email, to.person.email)
            readdress(session, row, to, now=now, settings=settings)
    return outcome


def _resent(now: datetime) -> dict[str, object]:
    """A mail sent again: pending, due at ``now``, its attempts counted anew, held by no worker."""
    pending = NotificationStatus.PENDING.value
    return {"status": pending, "attempts": 0, "next_attempt_at": now, "claimed_by": None, "claimed_until": None}


@dataclass
class _Where:
    """Where each failed mail goes on a day: to another mailbox than it was written to
    (``addressed``), answered by a mail of its step to that mailbox, or nowhere (``unreachable``)."""

    addressed: dict[int, Addressee] = field(default_factory=dict)
    answered: dict[int, Answer] = field(default_factory=dict)
    unreachable: dict[int, str] = field(default_factory=dict)

    @classmethod
    def of(cls, session: Session, failed: Sequence[Notification], day: date, now: datetime) -> _Where:
        where = cls()
        if not failed:
            return where
        directory = Directory(session, day)
        going: list[tuple[Notification, str]] = []
        for row in failed:
            assert row.id is not None
            found = addressee(session, directory, row, day, now)
            if isinstance(found, str):
                where.unreachable[row.id] = f"thư số {row.id} không gửi lại được: {found}"
                continue
            going.append((row, found.person.email))
            if found.differs(row):
                where.addressed[row.id] = found
        where.answered = answers(session, directory, going)
        return where


def _keep_unanswered(
    session: Session, outcome: Outcome, answered: dict[int, Answer], rows: dict[int | None, Notification]
) -> None:
    """Each mail marked answered by one ticked with it that did not go after all (another clerk acted
    on that one first): failed again, as it was, and refused with why. It must not be lost."""
    for mail_id, said in list(outcome.answered):
        answer = answered[mail_id]
        if not answer.together or answer.by in outcome.done:
            continue
        session.execute(
            update(Notification)
            .where(col(Notification.id) == mail_id, col(Notification.status) == NotificationStatus.SKIPPED.value)
            .values(status=FAILED, last_error=rows[mail_id].last_error),
            execution_options={"synchronize_session": False},
        )
        outcome.answered.remove((mail_id, said))
        why = f"thư số {answer.by} cùng đợt, tới cùng hộp thư, vừa được người khác xử lý; thư vẫn chờ trong danh sách"
        outcome.refused.append((mail_id, f"thư số {mail_id} chưa gửi lại: {why}"))


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
    session: Session,
    wanted: list[int],
    values: dict[str, object],
    refused: dict[int, str] | None = None,
    answered: dict[int, tuple[str, str]] | None = None,
) -> Outcome:
    """``values`` written to each failed mail of ``wanted`` but those ``refused`` (with why) and those
    ``answered`` by a mail of their step (marked dealt with: their error line, and what is said)."""
    refused, answered = refused or {}, answered or {}
    found = dict(
        session.exec(select(Notification.id, Notification.status).where(col(Notification.id).in_(wanted))).all()
    )
    # one statement for every mail (two clerks' lists in two orders never lock each other's rows)
    acted = [mail_id for mail_id in wanted if mail_id not in refused]
    changed = set(
        session.execute(
            update(Notification)
            .where(col(Notification.id).in_(acted), col(Notification.status) == FAILED)
            .values(**_or_answered(values, {i: stored for i, (stored, _) in answered.items()}))
            .returning(col(Notification.id)),
            execution_options={"synchronize_session": False},
        ).scalars()
    )
    outcome = Outcome()
    for mail_id in wanted:
        if mail_id in refused:
            outcome.refused.append((mail_id, refused[mail_id]))
        elif mail_id in changed and mail_id in answered:
            outcome.answered.append((mail_id, answered[mail_id][1]))
        elif mail_id in changed:
            outcome.done.append(mail_id)
        elif mail_id not in found:
            outcome.refused.append((mail_id, f"không có thư số {mail_id}"))
        else:
            status = str(found[mail_id])
            now_is = STATUS_WORDS.get(status, status) if status != FAILED else "vừa được người khác xử lý"
            outcome.refused.append((mail_id, f"thư số {mail_id} không còn gửi lỗi ({now_is})"))
    return outcome


def _or_answered(values: dict[str, object], answered: dict[int, str]) -> dict[str, object]:
    """``values``, but for the mails ``answered``: skipped, with their error line, the rest as it is."""
    if not answered:
        return values
    columns = Notification.__table__.c  # type: ignore[attr-defined]
    is_answered = col(Notification.id).in_(list(answered))
    kept: dict[str, object] = {"status": NotificationStatus.SKIPPED.value}
    written: dict[str, object] = {
        name: case((is_answered, kept.get(name, columns[name])), else_=literal(value, columns[name].type))
        for name, value in values.items()
    }
    written["last_error"] = case(answered, value=columns.id, else_=columns.last_error)
    return written
