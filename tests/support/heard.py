"""A failed mail whose step its mailbox has heard already, as the overdue rung leaves it (for the
surfaces' tests of "Thư gửi lỗi": the page and ``dondoc outbox``)."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Session, select

from dondoc.engine.models import Agency, Notification, NotificationStatus
from tests.factories import assignment_for

ITEM = "99/KH-TEST:II.1"
BODY = "ubnd-binh-son"  # of the minimal catalog
SECRETARIAT = "to-giup-viec@dondoc.example"


def heard_step(session: Session, at: datetime) -> tuple[int, int]:
    """The overdue rung of 30/06/2022 about UBND Bình Sơn's part of ITEM: its mail to the body failed,
    the secretariat's is held for its digest; the body then ended (01/07/2022). (failed, held) ids."""
    assignment = assignment_for(session, ITEM, BODY)
    step = f"qua-han:{assignment.id}:2022-06-30"
    due = {"due_at": assignment.due_at.isoformat() if assignment.due_at else None}
    rows = [
        Notification(
            dedupe_key=f"{step}:{recipient}:{who}",
            kind="overdue",
            assignment_id=assignment.id,
            recipient_role=recipient,
            recipient_email=email,
            subject="[Đôn đốc] Quá hạn",
            status=status,
            created_at=at,
            next_attempt_at=at,
            last_error="550 5.1.1 User unknown" if status == NotificationStatus.FAILED else None,
            data={**due, **extra},
        )
        for recipient, who, email, status, extra in (
            ("agency", BODY, f"{BODY}@dondoc.example", NotificationStatus.FAILED, {"recipient_agency": BODY}),
            ("secretariat", "secretariat", SECRETARIAT, NotificationStatus.HELD, {}),
        )
    ]
    agency = session.exec(select(Agency).where(Agency.code == BODY)).one()
    agency.valid_to = date(2022, 7, 1)
    session.add_all([*rows, agency])
    session.commit()
    return rows[0].id or 0, rows[1].id or 0
