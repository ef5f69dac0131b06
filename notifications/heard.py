"""Has the mailbox a failed mail would now go to heard its step already?

One mailbox hears a step once (engine.escalation.hearing): the sweep and the request mails decide
so, and a failed mail sent again (notifications.failed) keeps to it. Sent again, a mail goes to
whoever it is for that day (notifications.addressee), which may be a mailbox that another mail of
the same step, about the same work, has reached or is to reach: the secretariat, in the place of a
body that has ended, when the step told the secretariat too; a body whose corrected address is
another recipient's of the step. That mail answers for it: it is not sent twice.

The mails of a step that reach a mailbox: one sent (to its address), one waiting to be sent (to its
address), one held for a digest (every digest tells it while it is true, to the seat's holder of
the day: the holder's mailbox now, and the digest's that first told it). A failed or skipped one
reached nobody. Of mails sent again together, the first of a step in the step's order (the order
its rows were written in: their ids) goes, and answers for the others to its mailbox.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from sqlalchemy import and_, or_
from sqlalchemy import select as core_select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from dondoc.engine.escalation import sweep
from dondoc.engine.escalation.hearing import HEARD_STATUSES, Hearers
from dondoc.engine.escalation.policy import carried
from dondoc.engine.escalation.recipients import Directory
from dondoc.engine.models import Notification, NotificationStatus
from dondoc.engine.services import request_mails
from dondoc.engine.vi_format import vn_date

_HOW = {  # how a mail of the step reaches its mailbox, as the answer says it
    NotificationStatus.PENDING.value: "đang chờ gửi",
    NotificationStatus.HELD.value: "báo trong bản tổng hợp hằng ngày",
}
TOGETHER = "gửi lại cùng lúc"


@dataclass(frozen=True)
class Answer:
    """The mail of the same step that answers for a failed mail: it reached, or is to reach, the
    mailbox the failed one would go to now."""

    by: int  # that mail
    email: str  # the mailbox
    how: str  # sent on a day, waiting, in the digests, or sent again together
    together: bool = False  # sent again in the same act: it answers only if it does go

    def why(self) -> str:
        """Why the failed mail is not sent again, in Vietnamese."""
        return f"hộp thư {self.email} đã có thư số {self.by} cùng đợt về cùng việc ({self.how}), không gửi hai lần"

    def said(self, mail_id: int) -> str:
        """What the page and the command say of failed mail ``mail_id``: one line."""
        return f"thư số {mail_id} không gửi lại: {self.why()}"

    def stored(self, day: date) -> str:
        """The failed mail's error line once answered on ``day``: by which mail, and why (its history)."""
        return f"Không gửi lại ngày {vn_date(day)}: {self.why()}."


def step_of(key: str) -> str | None:
    """The step of the mail written under ``key``, as its writer names it (the sweep's rung, a
    request's event); None for a mail that is a step of its own (a digest, a new-work notice after a
    succession, a lead's copy of a request)."""
    return sweep.step_of(key) or request_mails.step_of(key)


def answers(session: Session, directory: Directory, going: Sequence[tuple[Notification, str]]) -> dict[int, Answer]:
    """Of ``going`` (failed mails, each with the address it would go to on ``directory``'s day, in
    the order they are sent again), those whose mailbox has heard their step, with the mail that
    answers for each."""
    steps: dict[str, list[tuple[Notification, str]]] = defaultdict(list)
    for row, email in going:
        if (step := step_of(row.dedupe_key)) is not None:
            steps[step].append((row, email))
    if not steps:
        return {}
    heard = _heard(session, directory, {step: rows[0][0].assignment_id for step, rows in steps.items()})
    found: dict[int, Answer] = {}
    for step, rows in steps.items():
        hearers = heard[step]
        for row, email in sorted(rows, key=lambda pair: pair[0].id or 0):
            assert row.id is not None
            answer = hearers.heard_by(email)
            if isinstance(answer, Answer):
                found[row.id] = replace(answer, email=email)  # the mailbox as the failed mail would reach it
            else:
                hearers.first(email, Answer(row.id, email, TOGETHER, together=True))
    return found


def _heard(session: Session, directory: Directory, steps: dict[str, int | None]) -> dict[str, Hearers]:
    """The mailboxes each step (with the assignment its mails are about) has reached or is to reach."""
    digest = aliased(Notification)
    statement = (  # columns, not rows: the session may hold some of them as they were before this act
        _STEP_ROW.outerjoin(digest, col(digest.id) == col(Notification.carried_by_id))
        .add_columns(col(digest.recipient_email).label("digest_email"))
        .where(col(Notification.status).in_(HEARD_STATUSES))
        .where(or_(*(_of_step(step, assignment_id) for step, assignment_id in steps.items())))
        .order_by(col(Notification.id))
    )
    heard = {step: Hearers() for step in steps}
    for row in session.execute(statement):
        step = step_of(row.dedupe_key)
        if step in heard:
            heard[step].hear(_mailboxes(directory, row), Answer(row.id, row.recipient_email, _how(row)))
    return heard


_STEP_ROW = core_select(
    col(Notification.id),
    col(Notification.dedupe_key),
    col(Notification.kind),
    col(Notification.status),
    col(Notification.recipient_role),
    col(Notification.recipient_email),
    col(Notification.sent_at),
)


def _of_step(step: str, assignment_id: int | None) -> Any:
    """The outbox rows about ``assignment_id`` whose key starts as ``step``'s (read exactly by
    :func:`step_of` after: a prefix does not end a step's name)."""
    about = col(Notification.assignment_id)
    return and_(
        about.is_(None) if assignment_id is None else about == assignment_id,
        col(Notification.dedupe_key).startswith(f"{step}:", autoescape=True),
    )


def _mailboxes(directory: Directory, row: Any) -> list[str]:
    """Where ``row`` (a row of :func:`_heard`) reached, or is to reach: its address; a held row, the
    digest's that first told of it and the seat's holder's on the directory's day (the digests to come);
    a held row of a kind no digest tells, nowhere."""
    if row.status != NotificationStatus.HELD.value:
        return [row.recipient_email]
    if not carried(row.kind, row.recipient_role):
        return []
    holder = directory.mailbox(row.recipient_role)
    return [email for email in (row.digest_email, holder.email if holder else None) if email]


def _how(row: Any) -> str:
    if row.status == NotificationStatus.SENT.value:
        return f"đã gửi ngày {vn_date(row.sent_at)}"
    return _HOW[str(row.status)]
