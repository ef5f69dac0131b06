"""A request mail to a body still waiting in the outbox when a succession ends that body.

The secretariat returns Sở Nội vụ's report on Friday 29/07/2022; the mail relay is down until Monday,
and at 00:00 on 01/08/2022 the night's job renames Sở Nội vụ Sở Hợp nhất. The mail had gone, on
Monday, to Sở Nội vụ's stored address, its name and its link: the body that must complete the report
never heard it was returned. It now goes where the mail would have gone had it been decided after the
succession (notifications.addressee, checked as it leaves: notifications.claims.prepare): to the body
holding the part, rendered for it (its name, its own signed link); for a body dissolved (the part
waiting in "Cần phân công lại"), to the secretariat, who answers for it, unless it asks the secretariat
for what the rule book refuses it (a returned report to send again: the body it names is told) or tells
it of its own decision, which asks nothing; such a mail is not sent, and the outbox says why."""

from __future__ import annotations

import email
import html
import re
from datetime import date
from email.message import Message
from pathlib import Path

from sqlmodel import Session, col, select

from dondoc.engine.actors import SECRETARIAT, Actor
from dondoc.engine.links import verify_token
from dondoc.engine.models import Notification, NotificationStatus
from dondoc.engine.services.assignments import Request, act
from dondoc.engine.services.permissions import allowed_now
from dondoc.engine.workflow import Action
from tests.support.successions import named_and_told, renamed_and_told, succession_applied, successions_yaml
from tests.support.web import ITEM, SECRET, WebEnv
from tests.test_extension_asked_mails import BODY, _at, _deliver, _says
from tests.test_inherited_explanation_request import CHOSEN, RETURNED, _text

NEW = "so-moi"  # Sở Hợp nhất, from 01/08/2022 (a Monday)
DISSOLVED = "ubnd-binh-son"  # an implementer of II.1, dissolved on 01/08/2022
ON = date(2022, 8, 1)


def _step(web: WebEnv, code: str, day: date, action: Action, actor: Actor, **given: object) -> None:
    web.clock.set(_at(day, 9))
    with Session(web.engine) as session:
        act(session, web.assignment(ITEM, code), Request(action, actor, **given), now=web.clock.now())  # type: ignore[arg-type]
        session.commit()


def _returned(web: WebEnv, code: str) -> Notification:
    """``code`` reports II.1 on 20/07/2022; the secretariat returns it on 29/07/2022: its mail, unsent."""
    _step(web, code, date(2022, 7, 18), Action.ACKNOWLEDGE, Actor.agency(code))
    _step(web, code, date(2022, 7, 20), Action.REPORT, Actor.agency(code), comment="Đã hoàn thành.")
    _step(web, code, date(2022, 7, 29), Action.RETURN, SECRETARIAT, comment="Bổ sung số liệu quý II.")
    return _mail(web, code, "report_returned")


def _mail(web: WebEnv, code: str, kind: str) -> Notification:
    with Session(web.engine) as session:
        (row,) = session.exec(
            select(Notification).where(
                col(Notification.assignment_id) == web.assignment(ITEM, code), col(Notification.kind) == kind
            )
        ).all()
    return row


def _dropped(web: WebEnv) -> dict[str, Message]:
    """The mails the mail drop received, by dedupe key."""
    found = {}
    for path in web.settings.maildrop_dir.glob("*.eml"):
        message = email.message_from_bytes(path.read_bytes())
        found[str(message["X-Dondoc-Dedupe-Key"])] = message
    return found


def _plain(message: Message) -> str:
    part = next(p for p in message.walk() if p.get_content_type() == "text/plain")
    return re.sub(r"\s+", " ", part.get_payload(decode=True).decode("utf-8"))  # type: ignore[union-attr]


def test_a_returned_report_queued_before_a_rename_reaches_the_successor(web: WebEnv, tmp_path: Path) -> None:
    queued = _returned(web, BODY)
    assert (queued.recipient_email, queued.status) == ("so-noi-vu@dondoc.example", NotificationStatus.PENDING)
    renamed_and_told(web, tmp_path, BODY, NEW, web.assignment(ITEM, BODY))  # the relay was down until now
    _deliver(web, _at(ON, 9))
    message = _dropped(web)[queued.dedupe_key]
    assert "so-moi@dondoc.example" in str(message["To"]) and "so-noi-vu" not in str(message["To"])
    text = _plain(message)
    assert "Sở Hợp nhất" in text  # before: "Kính gửi: Sở Nội vụ", to Sở Nội vụ's address
    # its own signed link: the successor's page, not the ended body's (whose links are refused)
    (token,) = re.findall(r"/a/([^/\s]+)", text)[:1]
    with Session(web.engine) as session:
        assert verify_token(session, token, now=web.clock.now(), secret=SECRET) == f"agency:{NEW}"
        sent = session.get_one(Notification, queued.id)
    assert (sent.status, sent.recipient_email, sent.recipient_name) == (
        NotificationStatus.SENT,
        "so-moi@dondoc.example",
        "Sở Hợp nhất",
    )
    assert sent.dedupe_key == queued.dedupe_key and len(_dropped(web)) == 2  # it and the successor's list, once each
    _deliver(web, _at(ON, 10))
    assert len(_dropped(web)) == 2  # never twice


def test_a_returned_report_queued_before_a_dissolution_is_not_sent_to_the_secretariat_but_said_to_the_body_named(
    web: WebEnv, tmp_path: Path
) -> None:
    """Nobody holds the part (it waits in "Cần phân công lại"). The mail had left for the Tổ giúp việc,
    in the body's place: "Tổ giúp việc trả lại báo cáo kết quả của quý cơ quan … Bổ sung và gửi lại báo
    cáo tại: …#form-report", a report the rule book never lets the secretariat send (only the body
    holding the part: engine.workflow), about its own decision. Not sent, the rule book's reason in the
    outbox; the body the secretariat names is told the report was returned and is its to send again."""
    queued = _returned(web, DISSOLVED)
    part = web.assignment(ITEM, DISSOLVED)
    succession_applied(web, tmp_path, successions_yaml("dissolve"))
    _deliver(web, _at(ON, 9))
    assert queued.dedupe_key not in _dropped(web)  # before: sent to the secretariat, "quý cơ quan … gửi lại"
    with Session(web.engine) as session:
        row = session.get_one(Notification, queued.id)
        assert Action.REPORT not in allowed_now(session, part, SECRETARIAT, now=web.clock.now())
    why = (
        "UBND huyện Bình Sơn đã không còn; Tổ giúp việc không làm thay được việc thư đề nghị: Tổ giúp việc "
        'không được thực hiện "Báo cáo kết quả": chỉ cơ quan được giao được thực hiện thao tác này'
    )
    assert row.status == NotificationStatus.SKIPPED and why in (row.last_error or ""), row.last_error
    web.login()
    assert why in html.unescape(_text(web.client.get("/board/outbox?status=skipped").text))
    told = named_and_told(web, part, CHOSEN, _at(ON, 9, 30))
    returned_on = RETURNED.replace("Sở Nội vụ", "UBND huyện Bình Sơn").replace("25/07/2022", "29/07/2022")
    assert _says(told, returned_on)
    page = web.client.get(f"/a/{web.link(f'agency:{CHOSEN}')}/assignments/{part}").text
    assert 'id="form-report"' in page


def test_the_secretariats_own_decision_on_a_dissolved_body_is_not_sent_and_the_outbox_says_why(
    web: WebEnv, tmp_path: Path
) -> None:
    """An extension the secretariat granted on 29/07/2022, its mail still queued when the body is
    dissolved: it asks nothing of anyone, and is not sent back to the secretariat (nor to the ended
    body); the outbox page says why."""
    _step(web, DISSOLVED, date(2022, 7, 29), Action.EXTEND, SECRETARIAT, due=date(2022, 9, 30))
    queued = _mail(web, DISSOLVED, "extension_granted")
    assert queued.recipient_email == f"{DISSOLVED}@dondoc.example"
    succession_applied(web, tmp_path, successions_yaml("dissolve"))
    _deliver(web, _at(ON, 9))
    assert queued.dedupe_key not in _dropped(web)  # before: sent to the ended body's address
    with Session(web.engine) as session:
        row = session.get_one(Notification, queued.id)
    why = "UBND huyện Bình Sơn đã không còn; thư báo quyết định của Tổ giúp việc không gửi lại cho chính Tổ giúp việc"
    assert row.status == NotificationStatus.SKIPPED and why in (row.last_error or "")
    web.login()
    assert why in web.client.get("/board/outbox?status=skipped").text
