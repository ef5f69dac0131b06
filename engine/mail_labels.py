"""How pages and the command line name each kind of mail (shown to users: Vietnamese)."""

from __future__ import annotations

from dondoc.engine.escalation.policy import carried
from dondoc.engine.history_labels import ACTOR_LABELS_VI

MAIL_KIND_LABELS_VI: dict[str, str] = {
    "new_assignment": "Giao nhiệm vụ mới",
    "inherited_work": "Nhận chuyển giao nhiệm vụ (tổ chức lại cơ quan)",
    "reminder": "Nhắc hạn",
    "unacknowledged": "Chưa tiếp nhận",
    "overdue": "Quá hạn",
    "overdue_at_issue": "Quá hạn khi ban hành hoặc ngay khi giao",
    "partner_input": "Nhắc cơ quan phối hợp",
    "report_unverified": "Báo cáo chờ xác nhận",
    "escalation": "Báo cáo Lãnh đạo (quá hạn)",
    "digest_leader": "Bản tổng hợp gửi Lãnh đạo",
    "digest_secretariat": "Bản tổng hợp gửi Tổ giúp việc",
    "periodic_report": "Báo cáo định kỳ",
    "explanation_request": "Yêu cầu giải trình",
    "explanation_answer": "Nội dung giải trình",
    "extension_request": "Đề nghị gia hạn",
    "extension_granted": "Gia hạn",
    "extension_refused": "Từ chối gia hạn",
    "report_returned": "Trả lại báo cáo",
    "assignment_cancelled": "Hủy nhiệm vụ",
    "partner_input_received": "Đã đủ ý kiến phối hợp",
}


def mail_kind_label(kind: str) -> str:
    """The Vietnamese name of a mail kind (the kind itself if it has none)."""
    return MAIL_KIND_LABELS_VI.get(kind, kind)


# The outbox's states as its page names them (engine.models.notifications.NotificationStatus).
MAIL_STATUS_LABELS_VI: dict[str, str] = {
    "pending": "Chờ gửi",
    "held": "Giữ lại cho bản tổng hợp",
    "sent": "Đã gửi",
    "failed": "Lỗi",
    "skipped": "Bỏ qua",
}


def mail_state_label(status: str, kind: str, recipient_role: str, carried_by_id: int | None) -> str:
    """How a page or the command line says where one mail stands: a held row the digest that told
    of it (``carried_by_id``), or not yet; a held row of a kind no digest tells
    (escalation.policy.HELD_KINDS: decided before the sweep knew better) says so, never that a
    digest sends it; a row sent inside another's mail (a lead's list of its partners' missing inputs,
    notifications.claims.LISTED_FOR_LEAD) that mail; any other row its state."""
    if carried_by_id and status == "sent":
        return f"Đã gửi trong thư #{carried_by_id}"
    if carried_by_id:
        return f"Đã báo trong bản tổng hợp #{carried_by_id}"
    if status == "held":
        if carried(kind, recipient_role):
            return "Giữ lại cho bản tổng hợp, chưa báo"
        return "Giữ lại, không bản tổng hợp nào báo loại thư này"
    return MAIL_STATUS_LABELS_VI.get(status, status)


def mail_recipient_label(recipient_role: str, held_by: str | None = None, lead_label: str | None = None) -> str:
    """Whom a page or the command line says one mail about a part went to: the role in words ("cơ
    quan được giao", "Tổ giúp việc"); a mail to the part's body that another body held then
    (``held_by``: engine.views.MailView) names that body, as it was true when sent. "(cơ quan được
    giao)" beside its predecessor's mails read, on the successor's page, as though they were its own.
    ``lead_label``: the item's lead in its text's word (AssignmentView.lead_label, "Tham mưu"), said
    of a mail to the lead as the mail itself says it (04/KH-BCĐ II.4: "(cơ quan tham mưu)", where
    the page had said "(cơ quan chủ trì)")."""
    if held_by:
        return f"{held_by}, cơ quan được giao khi đó"
    if recipient_role == "lead" and lead_label:
        return f"cơ quan {lead_label.lower()}"
    return ACTOR_LABELS_VI.get(recipient_role, recipient_role)
