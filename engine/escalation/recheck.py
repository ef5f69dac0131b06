"""Is a queued mail still true? Asked by the delivery worker just before sending.

A reminder or escalation decided for an assignment that has since been reported,
verified, cancelled, extended or marked as waiting for its precondition must not go out: it
is recorded as skipped; so is a reminder before the date (a countdown) once the date has
passed, and a reminder to a body (not an escalation to the leaders: policy.snooze_pauses)
while the assignment is snoozed. Nor may a partner be asked for its input once the lead it
was for has reported (policy.TriggerSpec.while_lead_open, as the sweep judges it).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from dondoc.engine.escalation.lead_done import LEAD_DONE
from dondoc.engine.escalation.policy import MAIL_KINDS, Withheld, withheld_why
from dondoc.engine.models import Assignment, Notification
from dondoc.engine.models.assignments import STATE_LABELS_VI, State
from dondoc.engine.services.asked_of import waiting_transfer_sql
from dondoc.engine.services.inferred_parts import DUE_BY_CONVENTION_SQL
from dondoc.engine.vi_format import vn_date, vn_datetime

# Whether an assignment's milestone is dated by the secretariat's convention (the one test of it,
# inferred_parts.DUE_BY_CONVENTION_SQL): a column any statement that reads ``Assignment`` may add, for
# :func:`judge`'s ``by_convention``.
DUE_BY_CONVENTION = DUE_BY_CONVENTION_SQL.label("due_by_convention")

# The facts :func:`judge` reads beside the assignment's own columns, as columns of any statement that
# reads ``Assignment`` (skip_reason's, and the delivery's one query: notifications.claims.prepare), so
# that every caller asks the same question; :func:`facts_of` reads them off such a row.
FACTS: tuple[Any, ...] = (
    LEAD_DONE,  # a partner's row whose lead has reported (policy.TriggerSpec.while_lead_open)
    DUE_BY_CONVENTION,  # its date is the secretariat's convention (policy.withheld_why)
    waiting_transfer_sql(col(Assignment.id)).label("waiting_transfer"),  # in "Cần phân công lại"
)


def facts_of(row: Any) -> dict[str, bool]:
    """:func:`judge`'s keyword facts, off a row that carries :data:`FACTS`."""
    return {
        "lead_done": bool(row.lead_done),
        "by_convention": bool(row.due_by_convention),
        "waiting_transfer": bool(row.waiting_transfer),
    }


def skip_reason(session: Session, notification: Notification, now: datetime) -> str | None:
    """Why ``notification`` should not be sent now, or None if it still should."""
    known = MAIL_KINDS.get(notification.kind)
    if known is None or known.still_true_in is None or notification.assignment_id is None:
        return None
    assignment = session.get(Assignment, notification.assignment_id, populate_existing=True)
    if assignment is None:
        return judge(notification.kind, notification.data, None, now)
    row = session.exec(select(*FACTS).where(col(Assignment.id) == assignment.id)).one()
    return judge(notification.kind, notification.data, assignment, now, **facts_of(row))


def judge(
    kind: str,
    data: dict[str, Any],
    assignment: Any | None,
    now: datetime,
    *,
    lead_done: bool = False,
    by_convention: bool = False,
    waiting_transfer: bool = False,
) -> str | None:
    """The same question, given the assignment as it is now (anything with ``state``,
    ``due_at``, ``snoozed_until``, ``waiting_condition_since``, ``inferred_group`` and
    ``membership_confirmed_at``; None if it is gone),
    ``lead_done``: the row is a partner's and its milestone's lead has reported
    (engine.escalation.lead_done.LEAD_DONE, read with the assignment), and ``by_convention``: its
    milestone's date is the secretariat's convention (Milestone.due_by_convention, read with it), and
    ``waiting_transfer``: it waits in "Cần phân công lại" (asked_of.waiting_transfer_sql, read with it).

    The sweep stores the assignment's ``due_at`` at decision time in ``data["due_at"]``;
    a different due date now means an extension, which restarts the ladder.
    """
    known = MAIL_KINDS.get(kind)  # the facts come from the trigger table (policy.TRIGGERS)
    if known is None or known.still_true_in is None:
        return None
    # the reasons are stored with the row and shown on the outbox's page: Vietnamese
    if assignment is None:
        return "Phần việc không còn."
    if assignment.state not in known.still_true_in:
        return f"Phần việc nay ở trạng thái «{STATE_LABELS_VI[State(assignment.state)]}»."
    if "due_at" in data:
        raw = data["due_at"]
        decided_due = datetime.fromisoformat(raw) if raw else None
        if decided_due != assignment.due_at:
            return f"Hạn đã đổi từ {vn_date(decided_due)} sang {vn_date(assignment.due_at)}."
    if known.before_due and assignment.due_at is not None and assignment.due_at < now:
        return f"Hạn {vn_date(assignment.due_at)} đã qua: thư nhắc trước hạn không còn đúng."
    if known.snoozable and assignment.snoozed_until and assignment.snoozed_until > now:
        return f"Đã tạm dừng nhắc việc đến {vn_datetime(assignment.snoozed_until)}."
    waiting = assignment.waiting_condition_since
    if known.waits and waiting is not None and waiting <= now:
        return f"Đang chờ điều kiện từ {vn_datetime(waiting)}."
    if known.while_lead_open and lead_done:
        return "Cơ quan chủ trì đã báo cáo: không còn ai chờ ý kiến phối hợp."
    if known.needs_told and (
        # an escalation: a leader's rung fired for its role (policy.Policy.leader_bound)
        why := withheld_why(
            assignment.inferred_group, assignment.membership_confirmed_at, by_convention, leader_bound=True
        )
    ):
        return f"{WITHHELD_VI[why]}: không báo cáo Lãnh đạo Ban Chỉ đạo."
    if known.needs_told and waiting_transfer:
        # its body ended and nobody holds it: the secretariat's to decide (its digest lists it in
        # "Cần phân công lại"), no body's to be late for; told again, as its new holder's, once named
        return f"{WAITING_TRANSFER_VI}: không báo cáo Lãnh đạo Ban Chỉ đạo."
    return None


# Why the leaders are not told of a part (policy.withheld_why, told_while_withheld), as the desk says it.
UNCONFIRMED_VI = "Cơ quan được giao theo danh sách thành viên nhóm do suy đoán, chưa được Tổ giúp việc xác nhận"
CONVENTION_VI = "Thời hạn do Tổ giúp việc quy ước, văn bản không ấn định ngày"
WAITING_TRANSFER_VI = "Cơ quan được giao đã không còn, phần việc đang chờ Tổ giúp việc phân công lại"
WITHHELD_VI = {Withheld.UNCONFIRMED: UNCONFIRMED_VI, Withheld.CONVENTION: CONVENTION_VI}
