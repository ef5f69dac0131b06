"""A request for an explanation left unanswered by a body a succession ended.

The chair asks Sở Nội vụ on 05/07/2022 to explain why II.1 (due 30/06/2022) is late; Sở Nội vụ is
renamed Sở Hợp nhất on 01/08/2022 before it answers. The part passes with its history and the
request waits still: the successor holds the part now and is the one who must answer (the rule
book lets the holder explain). It was carried silently: the successor's mail of the work it took
over said nothing of it, the queue "Chờ giải trình" listed it under the successor as though it had
been asked of it, and the answer's mail did not say the request had been sent to another body.
Each now says it was addressed to the body that held the part (explanations.handed_on_words). A
body dissolved leaves the part waiting in "Cần phân công lại": the queue says nobody is there to
answer until the secretariat names a body, and that body is told the request is now its to answer.

A part verified before its body ended stays with that body, its request for an explanation open
(an explanation is owed on verified work too): nobody could answer it any more, the body's links
refused, the request "Đang chờ trả lời" for ever. The secretariat, who answers for a body that has
ended, may now answer it in its place (engine.workflow: ``in_place``)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from sqlmodel import Session, col, select

from dondoc.engine.actors import SECRETARIAT, Actor
from dondoc.engine.models import Notification
from dondoc.engine.services.asked_of import handed_return
from dondoc.engine.services.assignments import Request, act
from dondoc.engine.services.explanations import open_explanation_requests
from dondoc.engine.services.permissions import allowed_now
from dondoc.engine.workflow import Action
from tests.support.successions import named_and_told, renamed_and_told, succession_applied, successions_yaml
from tests.support.web import ITEM, WebEnv
from tests.test_extension_asked_mails import BODY, _act, _at, _deliver, _says, _sent

NEW = "so-moi"  # Sở Hợp nhất, from 01/08/2022 (a Monday)
ON = date(2022, 8, 1)
QUESTION = "Vì sao chậm?"
HANDED = (
    "Yêu cầu giải trình của Trưởng Ban Chỉ đạo gửi Sở Nội vụ (cơ quan được giao trước đây) ngày 05/07/2022 "
    "đang chờ trả lời: «Vì sao chậm?». Quý cơ quan giải trình tại trang nhiệm vụ."
)
ADDRESSED = "gửi Sở Nội vụ (cơ quan được giao trước đây)"


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _renamed(web: WebEnv, tmp_path: Path) -> tuple[int, Notification]:
    """The chair asks Sở Nội vụ to explain on 05/07/2022; renamed Sở Hợp nhất on 01/08/2022."""
    part = web.assignment(ITEM, BODY)
    _act(web, _at(date(2022, 7, 5), 10), Action.REQUEST_EXPLANATION, "chair", comment=QUESTION)
    web.login()  # before the succession: asked of the body that holds the part, nobody else named
    queue = _text(web.client.get("/board/cho-giai-trinh").text)
    assert f"Trưởng Ban Chỉ đạo: «{QUESTION}»" in queue and "được giao trước đây" not in queue
    told = renamed_and_told(web, tmp_path, BODY, NEW, part)
    return part, told


def test_the_successor_is_told_it_must_answer_and_every_surface_says_whom_it_was_asked_of(
    web: WebEnv, tmp_path: Path
) -> None:
    part, told = _renamed(web, tmp_path)
    with Session(web.engine) as session:
        assert open_explanation_requests(session, [part]) == {part: QUESTION}  # carried, still open
    assert _says(told, HANDED)
    web.clock.set(_at(ON, 9))
    # the successor's page offers the answer and says whom it was asked of
    page = web.client.get(f"/a/{web.link(f'agency:{NEW}')}/assignments/{part}").text
    assert 'id="form-explain"' in page and ADDRESSED in _text(page)
    # the queue lists it under the body that holds it, asked of the one that held it
    queue = _text(web.client.get("/board/cho-giai-trinh").text)
    assert "Sở Hợp nhất" in queue and f"Trưởng Ban Chỉ đạo ({ADDRESSED}): «{QUESTION}»" in queue
    # the successor answers; the answer's mail says who answered and whom it had been asked of
    with Session(web.engine) as session:
        act(session, part, Request(Action.EXPLAIN, Actor.agency(NEW), comment="Chờ kinh phí."), now=web.clock.now())
        session.commit()
    _deliver(web, _at(ON, 9, 30))
    with Session(web.engine) as session:
        answers = session.exec(select(Notification).where(col(Notification.kind) == "explanation_answer")).all()
    # the successor's mail of the work, rendered at midnight, leaves after the answer: it is said no more
    assert "đang chờ trả lời" not in _sent(web, told.dedupe_key)
    assert answers and all(
        _says(m, f"Sở Hợp nhất đã giải trình về nhiệm vụ dưới đây theo yêu cầu của Trưởng Ban Chỉ đạo ({ADDRESSED})")
        for m in answers
    )


DISSOLVED = "ubnd-binh-son"  # an implementer of II.1, dissolved on 01/08/2022


def test_a_request_left_with_a_body_that_ended_is_answered_by_the_secretariat(web: WebEnv, tmp_path: Path) -> None:
    """Verified late, its explanation still owed, then the body dissolved: the part stays with it
    (verified work does not pass), and only the secretariat is left to answer."""
    part = web.assignment(ITEM, DISSOLVED)
    web.clock.set(_at(date(2022, 7, 5), 10))
    with Session(web.engine) as session:
        act(
            session,
            part,
            Request(Action.REQUEST_EXPLANATION, Actor.parse("chair"), comment=QUESTION),
            now=web.clock.now(),
        )
        act(session, part, Request(Action.ACKNOWLEDGE, Actor.agency(DISSOLVED)), now=web.clock.now())
        act(session, part, Request(Action.REPORT, Actor.agency(DISSOLVED), comment="Đã xong."), now=web.clock.now())
        act(session, part, Request(Action.VERIFY, SECRETARIAT), now=web.clock.now())
        session.commit()
    succession_applied(web, tmp_path, successions_yaml("dissolve"))
    web.clock.set(_at(ON, 9))
    web.login()
    page = _text(web.client.get(f"/board/assignments/{part}").text)
    assert "Giải trình thay UBND huyện Bình Sơn (cơ quan đã không còn)" in page
    with Session(web.engine) as session:
        assert open_explanation_requests(session, [part]) == {part: QUESTION}
        assert Action.EXPLAIN in allowed_now(session, part, SECRETARIAT, now=web.clock.now())
        answer = Request(Action.EXPLAIN, SECRETARIAT, comment="Cơ quan đã giải thể; chậm do chờ kinh phí.")
        act(session, part, answer, now=web.clock.now())
        session.commit()
        assert open_explanation_requests(session, [part]) == {}
        answers = session.exec(select(Notification).where(col(Notification.kind) == "explanation_answer")).all()
    # the chair who asked is told who answered, in whose place; the secretariat is not told of its own answer
    (answer_mail,) = answers
    assert answer_mail.recipient_role == "chair"
    _deliver(web, _at(ON, 9, 30))
    with Session(web.engine) as session:
        sent = session.get(Notification, answer_mail.id)
    assert sent is not None
    assert _says(sent, "Tổ giúp việc giải trình thay UBND huyện Bình Sơn (cơ quan đã không còn) về nhiệm vụ")
    # a body still there answers for itself: the secretariat may not answer in its place
    other = web.assignment(ITEM, BODY)
    _act(web, _at(ON, 10), Action.REQUEST_EXPLANATION, "chair", comment=QUESTION)
    with Session(web.engine) as session:
        assert Action.EXPLAIN not in allowed_now(session, other, SECRETARIAT, now=web.clock.now())


CHOSEN = "so-khcn"  # the body the secretariat names for the dissolved body's work


def _chair_asks_the_dissolved_body(web: WebEnv) -> int:
    """The chair asks the body to be dissolved to explain its part, on 05/07/2022: the part's id."""
    part = web.assignment(ITEM, DISSOLVED)
    web.clock.set(_at(date(2022, 7, 5), 10))
    with Session(web.engine) as session:
        ask = Request(Action.REQUEST_EXPLANATION, Actor.parse("chair"), comment=QUESTION)
        act(session, part, ask, now=web.clock.now())
        session.commit()
    return part


def test_a_request_of_a_body_dissolved_waits_and_the_body_named_answers_it(web: WebEnv, tmp_path: Path) -> None:
    """No successor of the same kind: the part waits in "Cần phân công lại" with its request (nobody
    answers it meanwhile: the queue "Chờ giải trình" says the body has ended); the body the
    secretariat names holds it, and its one mail of the work says the request is now its to answer."""
    part = _chair_asks_the_dissolved_body(web)
    succession_applied(web, tmp_path, successions_yaml("dissolve"))
    web.clock.set(_at(ON, 9))
    web.login()
    queue = _text(web.client.get("/board/cho-giai-trinh").text)
    nobody = "không ai ở đó thực hiện hay trả lời; nhiệm vụ đang chờ Tổ giúp việc phân công lại"
    assert "UBND huyện Bình Sơn 05/07/2022" in queue and f"Trưởng Ban Chỉ đạo: «{QUESTION}» (" in queue
    assert nobody in queue
    told = named_and_told(web, part, CHOSEN, _at(ON, 9, 30))
    assert _says(told, HANDED.replace("Sở Nội vụ", "UBND huyện Bình Sơn"))
    queue = _text(web.client.get("/board/cho-giai-trinh").text)
    assert f"Trưởng Ban Chỉ đạo (gửi UBND huyện Bình Sơn (cơ quan được giao trước đây)): «{QUESTION}»" in queue
    assert nobody not in queue
    page = _text(web.client.get(f"/a/{web.link(f'agency:{CHOSEN}')}/assignments/{part}").text)
    assert "Gửi giải trình" in page
    assert "Yêu cầu gửi UBND huyện Bình Sơn (cơ quan được giao trước đây), nay quý cơ quan trả lời" in page


def test_a_request_mail_still_queued_when_its_body_is_dissolved_does_not_ask_the_secretariat_to_answer(
    web: WebEnv, tmp_path: Path
) -> None:
    """The chair asked on the 2022 replay's board; the mail had not left (the relay down) when the
    body was reorganised away and its part waited in "Cần phân công lại". It left then for the Tổ giúp
    việc, in the body's place: "Trưởng Ban Chỉ đạo đề nghị quý cơ quan giải trình … Gửi nội dung giải
    trình tại: …#form-explain", an answer the rule book refuses it while the part waits (nobody holds
    it to answer: engine.workflow). Not sent: the body the secretariat names is told the request is its."""
    part = _chair_asks_the_dissolved_body(web)
    with Session(web.engine) as session:
        (asked,) = session.exec(select(Notification).where(col(Notification.kind) == "explanation_request")).all()
    succession_applied(web, tmp_path, successions_yaml("dissolve"))
    _deliver(web, _at(ON, 9))
    with Session(web.engine) as session:
        asked = session.get_one(Notification, asked.id)
        assert asked.status == "skipped", (asked.recipient_role, asked.status)
        assert "đang chờ Tổ giúp việc phân công lại" in (asked.last_error or "")
        assert Action.EXPLAIN not in allowed_now(session, part, SECRETARIAT, now=web.clock.now())
    told = named_and_told(web, part, CHOSEN, _at(ON, 9, 30))
    assert _says(told, HANDED.replace("Sở Nội vụ", "UBND huyện Bình Sơn"))


RETURNED = (
    "Báo cáo kết quả của Sở Nội vụ (cơ quan được giao trước đây) đã được Tổ giúp việc trả lại ngày 25/07/2022 "
    "để bổ sung, hoàn thiện: «Bổ sung số liệu quý II.». Quý cơ quan bổ sung và gửi lại tại trang nhiệm vụ."
)


def test_a_report_returned_to_the_body_that_ended_is_said_to_its_successor(web: WebEnv, tmp_path: Path) -> None:
    """Sở Nội vụ reported on 20/07/2022; the secretariat returned it on 25/07/2022 to be completed,
    its mail to Sở Nội vụ; renamed on 01/08/2022. The successor, who must now complete and send it
    again, was told only that it took over work "đang thực hiện"."""
    part = web.assignment(ITEM, BODY)
    _act(web, _at(date(2022, 7, 18), 9), Action.ACKNOWLEDGE, BODY)
    _act(web, _at(date(2022, 7, 20), 9), Action.REPORT, BODY, comment="Đã hoàn thành.")
    _act(web, _at(date(2022, 7, 25), 9), Action.RETURN, "secretariat", comment="Bổ sung số liệu quý II.")
    told = renamed_and_told(web, tmp_path, BODY, NEW, part)
    assert _says(told, RETURNED)
    # sent again since: nothing more to say of the return
    web.clock.set(_at(ON, 9))
    with Session(web.engine) as session:
        act(session, part, Request(Action.REPORT, Actor.agency(NEW), comment="Đã bổ sung."), now=web.clock.now())
        session.commit()
        assert handed_return(session, part) is None
