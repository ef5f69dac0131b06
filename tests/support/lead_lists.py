"""What a lead's list mail leaves in the outbox (notifications.claims.LISTED_FOR_LEAD): checked alike by
the tests of each kind of copy it lists."""

from __future__ import annotations

from collections.abc import Sequence

from dondoc.engine.mail_labels import mail_state_label
from dondoc.engine.models import Notification, NotificationStatus


def assert_sent_in_one_list(rows: Sequence[Notification]) -> None:
    """``rows`` (the lead's copies, in id order) all sent in one message, the first's: each other row
    carried by it, and the outbox saying where each went ("Đã gửi trong thư #N", not "Đã báo trong
    bản tổng hợp": no digest told of it)."""
    assert {r.status for r in rows} == {NotificationStatus.SENT}
    assert len({r.message_id for r in rows}) == 1 and rows[0].message_id
    first, *others = rows
    assert first.carried_by_id is None and {r.carried_by_id for r in others} == {first.id}
    said = {mail_state_label(r.status, r.kind, r.recipient_role, r.carried_by_id) for r in others}
    assert said == {f"Đã gửi trong thư #{first.id}"}
