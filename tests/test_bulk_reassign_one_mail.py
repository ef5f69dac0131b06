"""A body the secretariat names for several waiting parts at once hears of them in one mail.

The 2024–25 replay: on 05/03/2025 the secretariat decided the work of the bodies reorganised away
(the queue "Cần phân công lại"), and a successor had about 55 mails that day, one per part, each
"Tổ giúp việc phân công quý cơ quan nhận chuyển giao nhiệm vụ …". An automatic transfer mails it one
list (notifications.inherited); a bulk decision now does too: one ``inherited_work`` per body named
and per opening (the body that ended, how, on which ground), listing the parts, re-checked and
rendered as it leaves, sent once however often delivery runs. A single decision's mail leaves at
once, as before."""

from __future__ import annotations

import re
from pathlib import Path

from sqlmodel import Session, col, select

from dondoc.engine.actors import SECRETARIAT
from dondoc.engine.models import Agency, Assignment, Milestone, Notification, NotificationStatus, PlanItem
from dondoc.engine.services.assignments import Request, act
from dondoc.engine.workflow import Action
from dondoc.notifications import deliver
from tests.smtp_server import Received, SmtpServer, delivering_to
from tests.support.successions import apply, at, load
from tests.support.sweep import run_sweep
from tests.support.web import WebEnv, csrf_of
from tests.test_succession_never_given import _catalog

BOX = re.compile(r'name="id" value="(\d+):(\d+)" form="bulk-reassign"')
NAMED = "so-khcn@dondoc.example"


def _waiting(web: WebEnv, tmp_path: Path) -> list[str]:
    """Bình Sơn dissolved on 01/08/2022, its open work waiting in "Cần phân công lại": the ticks."""
    with Session(web.engine) as session:
        load(session, _catalog(tmp_path, "2022-08-01"), at("2022-03-02"))
        apply(session, at("2022-08-01", 0))
        run_sweep(session, at("2022-08-01", 0))
    web.clock.set(at("2022-08-01", 10))
    web.login()
    page = web.client.get("/board/can-phan-cong-lai").text
    return [f"{i}:{v}" for i, v in BOX.findall(page)]


def _bulk(web: WebEnv, ticked: list[str]) -> None:
    page = web.client.get("/board/can-phan-cong-lai").text
    form = {"csrf": csrf_of(page), "action": "reassign", "back": "/board/can-phan-cong-lai", "id": ticked}
    assert web.client.post("/board/bulk", data={**form, "agency": "so-khcn"}).status_code == 200


def _codes(session: Session, ids: list[int]) -> set[str]:
    statement = (
        select(PlanItem.code)
        .join(Milestone, col(Milestone.item_id) == col(PlanItem.id))
        .join(Assignment, col(Assignment.milestone_id) == col(Milestone.id))
        .where(col(Assignment.id).in_(ids))
    )
    return set(session.exec(statement).all())


def _told(session: Session) -> list[Notification]:
    """The mails of work taken over written to the body named, not dropped."""
    statement = select(Notification).where(
        Notification.kind == "inherited_work",
        Notification.recipient_email == NAMED,
        col(Notification.status) != NotificationStatus.SKIPPED.value,
    )
    return list(session.exec(statement).all())


def test_three_parts_named_at_once_make_one_mail_listing_them_sent_once(
    web: WebEnv, tmp_path: Path, smtp: SmtpServer
) -> None:
    ticked = _waiting(web, tmp_path)[:3]  # three parts Bình Sơn held: one opening
    ids = [int(t.split(":")[0]) for t in ticked]
    _bulk(web, ticked)
    with Session(web.engine) as session:
        (told,) = _told(session)  # one mail, not three
        assert told.data["assignment_ids"] == ids and told.assignment_id is None
        codes = _codes(session, ids)
    settings = delivering_to(smtp, tmp_path / "drop")
    sent = deliver(web.engine, now=at("2022-08-01", 10), settings=settings).sent  # at once
    assert smtp.handler.wait_for(sent)
    (received,) = _to_named(smtp)
    text = " ".join(received.message.get_body(("plain",)).get_content().split())
    assert "Tổ giúp việc phân công quý cơ quan nhận chuyển giao các nhiệm vụ dưới đây" in text, text
    assert "Từ ngày 01/08/2022, UBND huyện Bình Sơn không còn" in text, text
    for code in codes:
        assert code in text, (code, text)
    assert text.count("- Nhiệm vụ: ") == 3, text
    # a second run, a day later: nothing more
    deliver(web.engine, now=at("2022-08-02", 10), settings=settings)
    with Session(web.engine) as session:
        (told,) = _told(session)
        assert told.status == NotificationStatus.SENT.value
    assert len(_to_named(smtp)) == 1


def _to_named(smtp: SmtpServer) -> list[Received]:
    return [r for r in smtp.handler.received if r.rcpt_tos == [NAMED]]


def test_gathering_again_changes_nothing_and_a_single_decision_leaves_at_once(web: WebEnv, tmp_path: Path) -> None:
    from dondoc.engine.services.request_mails import gather_reassigned

    ticked = _waiting(web, tmp_path)
    ids = [int(t.split(":")[0]) for t in ticked]
    _bulk(web, ticked[:3])
    with Session(web.engine) as session:
        (told,) = _told(session)
        batch = f"bulk:tgv:{at('2022-08-01', 10).isoformat()}"
        assert gather_reassigned(session, batch, ids[:3], now=at("2022-08-01", 10)) == 0  # a retry: nothing left
        session.commit()
        assert [(n.id, n.data["assignment_ids"]) for n in _told(session)] == [(told.id, ids[:3])]
        # one decision alone: its own mail, due at once, as before
        act(session, ids[3], Request(Action.REASSIGN, SECRETARIAT, agency="so-khcn"), now=at("2022-08-01", 11))
        session.commit()
        (alone,) = [n for n in _told(session) if n.assignment_id == ids[3]]
        assert alone.next_attempt_at == at("2022-08-01", 11)


def test_a_part_another_body_holds_when_the_mail_leaves_is_not_listed(
    web: WebEnv, tmp_path: Path, smtp: SmtpServer
) -> None:
    ticked = _waiting(web, tmp_path)[:3]
    ids = [int(t.split(":")[0]) for t in ticked]
    _bulk(web, ticked)
    with Session(web.engine) as session:  # held by another body since (as a later transfer leaves it)
        other = session.exec(select(Agency).where(Agency.code == "so-vhttdl")).one()
        moved = session.get(Assignment, ids[0])
        assert moved is not None
        moved.agency_id = other.id or 0
        session.add(moved)
        session.commit()
    settings = delivering_to(smtp, tmp_path / "drop")
    sent = deliver(web.engine, now=at("2022-08-01", 10), settings=settings).sent
    assert smtp.handler.wait_for(sent)
    (received,) = _to_named(smtp)
    text = " ".join(received.message.get_body(("plain",)).get_content().split())
    assert text.count("- Nhiệm vụ: ") == 2, text
    with Session(web.engine) as session:
        (told,) = _told(session)
        assert told.data["assignment_ids"] == ids[1:]  # the outbox shows what was sent
