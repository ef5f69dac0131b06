"""Every kind of mail the product writes has a Vietnamese name for the pages that list mails
(the outbox, an assignment's history, the failed mails' queue)."""

from __future__ import annotations

from dondoc.engine.mail_labels import MAIL_KIND_LABELS_VI, mail_kind_label
from dondoc.notifications.render import KINDS, REPORT_KINDS


def test_every_mail_kind_is_named_in_vietnamese() -> None:
    unnamed = [kind for kind in (*KINDS, *REPORT_KINDS) if kind not in MAIL_KIND_LABELS_VI]
    assert unnamed == []
    assert mail_kind_label("inherited_work") == "Nhận chuyển giao nhiệm vụ (tổ chức lại cơ quan)"
