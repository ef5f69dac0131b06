"""A bulk action of the secretariat over several partners of one item tells their lead in one mail
listing them, not one mail per partner (the desk's "Gia hạn" and "Hủy" over a filtered selection,
web.routers.bulk; a real SMTP server, aiosmtpd on 127.0.0.1).

The lead's copies of a partner's part extended past the lead's date, or cancelled, only inform it
("Thư này gửi quý cơ quan … để biết"): ticking the four partners of II.2 and extending them to
15/08/2022, past the lead's 29/07/2022, mailed Văn phòng UBND tỉnh four times in the same second,
"[Đôn đốc] Để biết: UBND Lý Sơn (phối hợp) được gia hạn đến 15/08/2022, sau thời hạn của quý cơ
quan: 99/KH-TEST:II.2", then UBND Bình Sơn, … Each copy keeps its own outbox row, re-checked and
marked by itself. The one copy that asks the lead to act (a cancellation that leaves every other
input in: "đề nghị quý cơ quan tổng hợp, báo cáo kết quả") stays a mail of its own."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import update
from sqlmodel import Session, col, select

from dondoc.engine.actors import Actor
from dondoc.engine.clock import LOCAL_TZ
from dondoc.engine.models import Notification, NotificationStatus, PlanItem
from dondoc.engine.workflow import Action
from dondoc.notifications import deliver
from tests.factories import assignment_for, load_min_catalog, step
from tests.smtp_server import SmtpServer, delivering_to
from tests.support.catalogs import shared_task_catalog
from tests.support.web import WebEnv, csrf_of

ITEM = "99/KH-TEST:II.2"
PARTNERS = {
    "ubnd-ly-son": "UBND huyện Lý Sơn",
    "ubnd-binh-son": "UBND huyện Bình Sơn",
    "so-noi-vu": "Sở Nội vụ",
    "so-tttt": "Sở Thông tin và Truyền thông",
}
LEAD = "vp-ubnd@dondoc.example"
NOW = datetime(2022, 7, 20, 9, 0, tzinfo=LOCAL_TZ)


@pytest.fixture
def partners(web: WebEnv, tmp_path: Path) -> dict[str, int]:
    """II.2 led by Văn phòng UBND tỉnh, due 29/07/2022, with four partners; the secretariat logged in
    on 20/07/2022. The partners' assignment ids, by body."""
    copy = shared_task_catalog(tmp_path, partners=tuple(PARTNERS))
    with Session(web.engine) as session:
        load_min_catalog(session, web.clock.now(), copy)
        session.execute(update(PlanItem).values(priority=False))
        session.commit()
        found = {code: assignment_for(session, ITEM, code).id or 0 for code in PARTNERS}
    web.clock.set(NOW)
    web.login()
    return found


def _bulk(web: WebEnv, action: str, ids: list[int], **form: str) -> None:
    page = web.client.get("/board/assignments").text
    data = {"csrf": csrf_of(page), "action": action, "back": "/board/assignments", "id": [str(i) for i in ids]}
    response = web.client.post("/board/bulk", data={**data, **form})
    assert response.status_code == 200, response.text
    assert "bị từ chối 0" in response.text, response.text


def _lead_rows(web: WebEnv, kind: str) -> list[Notification]:
    with Session(web.engine) as session:
        return list(
            session.exec(
                select(Notification)
                .where(Notification.kind == kind, Notification.recipient_role == "lead")
                .order_by(col(Notification.id))
            ).all()
        )


def _to_lead(smtp: SmtpServer) -> list[tuple[str, str]]:
    return [
        (str(m["Subject"]), " ".join(m.get_body(preferencelist=("plain",)).get_content().split()))  # type: ignore[union-attr]
        for m in smtp.handler.messages()
        if LEAD in str(m["To"])
    ]


def test_a_bulk_extension_of_four_partners_past_the_leads_date_is_one_mail_to_the_lead(
    web: WebEnv, partners: dict[str, int], smtp: SmtpServer, tmp_path: Path
) -> None:
    _bulk(web, "extend", list(partners.values()), due="15/08/2022", comment="Chờ số liệu quý III.")
    assert len(_lead_rows(web, "extension_granted")) == 4  # each partner's copy, written with its decision
    deliver(web.engine, now=web.clock.now(), settings=delivering_to(smtp, tmp_path / "drop"))
    ((subject, body),) = _to_lead(smtp)  # before: four mails, one per partner
    said = f"[Đôn đốc] Để biết: 4 cơ quan phối hợp được gia hạn sau thời hạn của quý cơ quan: {ITEM}"
    assert subject == said, subject
    assert (
        "Tổ giúp việc gia hạn thời hạn gửi ý kiến, kết quả phối hợp của các cơ quan phối hợp dưới đây đến sau"
        " thời hạn của quý cơ quan (cơ quan chủ trì)." in body
    ), body
    for name in PARTNERS.values():
        assert f"- {name}: đến hết ngày 15/08/2022 (thời hạn trước: 29/07/2022)" in body, body
    assert f" {ITEM} — Việc chờ hướng dẫn " in body and "- Nội dung:" not in body, body  # each part one line
    rows = _lead_rows(web, "extension_granted")
    assert {r.status for r in rows} == {NotificationStatus.SENT} and len({r.message_id for r in rows}) == 1
    assert {r.carried_by_id for r in rows[1:]} == {rows[0].id}
    # each partner still has its own mail of its new date
    own = [r for r in smtp.handler.messages() if "Đã gia hạn đến 15/08/2022" in str(r["Subject"])]
    assert len(own) == 4


def test_a_bulk_cancellation_lists_the_lead_copies_that_inform_and_keeps_the_one_that_asks_apart(
    web: WebEnv, partners: dict[str, int], smtp: SmtpServer, tmp_path: Path
) -> None:
    with Session(web.engine) as session:  # Sở TT&TT has sent its input
        part = assignment_for(session, ITEM, "so-tttt")
        step(session, web.clock, part, Action.ACKNOWLEDGE, Actor.agency("so-tttt"))
        step(session, web.clock, part, Action.REPORT, Actor.agency("so-tttt"), comment="Ý kiến của Sở.")
    ids = [partners[code] for code in ("ubnd-ly-son", "ubnd-binh-son", "so-noi-vu")]
    _bulk(web, "cancel", ids, comment="Không thuộc phạm vi nhiệm vụ.")
    assert len(_lead_rows(web, "assignment_cancelled")) == 3
    deliver(web.engine, now=web.clock.now(), settings=delivering_to(smtp, tmp_path / "drop"))
    told = _to_lead(smtp)
    assert len(told) == 2, [s for s, _ in told]  # before: three
    listed = [(s, b) for s, b in told if "2 cơ quan phối hợp" in s]
    assert [s for s, _ in listed] == [f"[Đôn đốc] Để biết: phần việc của 2 cơ quan phối hợp được hủy: {ITEM}"], told
    (body,) = [b for _, b in listed]
    assert "- UBND huyện Lý Sơn: lý do «Không thuộc phạm vi nhiệm vụ.»" in body, body
    assert "- UBND huyện Bình Sơn: lý do «Không thuộc phạm vi nhiệm vụ.»" in body, body
    assert "tổng hợp, báo cáo" not in body, body
    ((asks, asked),) = [(s, b) for s, b in told if "2 cơ quan" not in s]
    assert "Sở Nội vụ" in asks and "đã đủ ý kiến phối hợp" in asks, asks
    assert "đề nghị quý cơ quan tổng hợp, báo cáo kết quả" in asked, asked
    assert {r.status for r in _lead_rows(web, "assignment_cancelled")} == {NotificationStatus.SENT}


def test_copies_of_two_kinds_in_one_delivery_are_one_mail_with_a_section_each(
    web: WebEnv, partners: dict[str, int], smtp: SmtpServer, tmp_path: Path
) -> None:
    """Two partners extended past the lead's date and a third cancelled on the desk the same minute:
    one mail to the lead, a section per kind, each row marked by itself (two mails before, one per kind)."""
    _bulk(web, "extend", [partners["ubnd-ly-son"], partners["ubnd-binh-son"]], due="15/08/2022", comment="Chờ số liệu.")
    _bulk(web, "cancel", [partners["so-noi-vu"]], comment="Không thuộc phạm vi nhiệm vụ.")
    deliver(web.engine, now=web.clock.now(), settings=delivering_to(smtp, tmp_path / "drop"))
    ((subject, body),) = _to_lead(smtp)
    assert subject == (
        "[Đôn đốc] Để biết: 3 phần việc của cơ quan khác (2 được gia hạn sau thời hạn của quý cơ quan, 1 được hủy"
        f" phần việc phối hợp): {ITEM}"
    ), subject
    extended = body.index("Tổ giúp việc gia hạn thời hạn gửi ý kiến, kết quả phối hợp của các cơ quan phối hợp")
    cancelled = body.index("Tổ giúp việc đã hủy phần việc phối hợp của các cơ quan dưới đây")
    assert "- UBND huyện Lý Sơn: đến hết ngày 15/08/2022" in body[extended:cancelled], body
    assert "- UBND huyện Bình Sơn: đến hết ngày 15/08/2022" in body[extended:cancelled], body
    assert "- Sở Nội vụ: lý do «Không thuộc phạm vi nhiệm vụ.»" in body[cancelled:], body
    rows = sorted(
        _lead_rows(web, "extension_granted") + _lead_rows(web, "assignment_cancelled"), key=lambda r: r.id or 0
    )
    assert len(rows) == 3 and {r.status for r in rows} == {NotificationStatus.SENT}
    assert len({r.message_id for r in rows}) == 1
    first, *others = rows
    assert first.carried_by_id is None and {r.carried_by_id for r in others} == {first.id}


def test_inputs_returned_to_two_partners_are_one_mail_to_the_lead_each_with_its_reason(
    web: WebEnv, partners: dict[str, int], smtp: SmtpServer, tmp_path: Path
) -> None:
    """The secretariat sends back two partners' inputs the same minute: the lead's two copies ("để biết:
    các ý kiến đó chưa dùng được để tổng hợp") go as one list, each line its own reason."""
    reasons = {"ubnd-ly-son": "Thiếu số liệu quý II.", "ubnd-binh-son": "Chưa có chữ ký."}
    with Session(web.engine) as session:
        for code, reason in reasons.items():
            part = assignment_for(session, ITEM, code)
            step(session, web.clock, part, Action.ACKNOWLEDGE, Actor.agency(code))
            step(session, web.clock, part, Action.REPORT, Actor.agency(code), comment="Ý kiến.")
            step(session, web.clock, part, Action.RETURN, Actor.parse("secretariat"), comment=reason)
    assert len(_lead_rows(web, "report_returned")) == 2
    deliver(web.engine, now=web.clock.now(), settings=delivering_to(smtp, tmp_path / "drop"))
    ((subject, body),) = _to_lead(smtp)  # before the list: one mail per partner
    assert subject == f"[Đôn đốc] Để biết: ý kiến phối hợp của 2 cơ quan được trả lại để bổ sung: {ITEM}", subject
    assert "Tổ giúp việc trả lại ý kiến, kết quả phối hợp của các cơ quan phối hợp dưới đây" in body, body
    for code, reason in reasons.items():
        assert f"- {PARTNERS[code]}: lý do «{reason}»" in body, body
    rows = _lead_rows(web, "report_returned")
    assert {r.status for r in rows} == {NotificationStatus.SENT} and len({r.message_id for r in rows}) == 1
    assert rows[0].carried_by_id is None and rows[1].carried_by_id == rows[0].id
