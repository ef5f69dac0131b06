"""A body's extension request still waiting when a succession passes its part on.

A succession passes a part with its history (engine.services.successions: "giữ nguyên tình trạng
và thời hạn"); nothing in it answers a request, so the request Sở Nội vụ sent on 20/06/2022 waits
still, open to the secretariat's answer (extend and refuse ask no holder), and the answer goes to
the body that holds the part now. It was carried silently: the successor's mail of the work it took
over said nothing of it, its page said it as the successor's own, the queue "Đề nghị gia hạn" listed
it under the successor's name as though that body had asked, the secretariat's page said "Sở Hợp nhất
đề nghị gia hạn", and the refusal told the successor "đề nghị gia hạn của quý cơ quan". Each now
names the body that asked (explanations.handed_on_words), and the successor's mail says it as it
stands when the mail leaves (notifications.asked.listed_asked_untrue)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from sqlmodel import Session, col, select

from dondoc import jobs
from dondoc.engine.actors import SECRETARIAT, Actor
from dondoc.engine.clock import DEFAULT_DAYS
from dondoc.engine.models import Notification, NotificationStatus
from dondoc.engine.services.asked_of import handed_on_askers
from dondoc.engine.services.assignments import Request, act
from dondoc.engine.services.explanations import extension_waiting, extension_waiting_words, open_extension_requests
from dondoc.engine.workcalendar import WorkCalendar
from dondoc.engine.workflow import Action
from dondoc.notifications.asked import ASKED_KEY
from tests.support.successions import named_and_told, renamed_and_told, succession_applied, successions_yaml
from tests.support.web import ITEM, WebEnv
from tests.test_extension_asked_mails import BODY, _act, _at, _deliver, _says, _sent

NEW = "so-moi"  # Sở Hợp nhất, from 01/08/2022 (a Monday)
ON = date(2022, 8, 1)
CARRIED = (
    "Đề nghị gia hạn của Sở Nội vụ (cơ quan được giao trước đây) đến ngày 31/08/2022, gửi ngày 20/06/2022, "
    "đang chờ Tổ giúp việc trả lời; cho đến khi được chấp thuận, thời hạn vẫn là ngày 30/06/2022."
)
BY_BODY = "Đề nghị của Sở Nội vụ (cơ quan được giao trước đây)"


def _inherited(web: WebEnv, tmp_path: Path) -> tuple[int, Notification]:
    """Sở Nội vụ asks on 20/06/2022 to have until 31/08/2022; renamed Sở Hợp nhất on 01/08/2022,
    before the secretariat answered: the succession applied that night, its successor mailed."""
    part = web.assignment(ITEM, BODY)
    _act(
        web, _at(date(2022, 6, 20), 10), Action.REQUEST_EXTENSION, BODY, comment="Chờ kinh phí.", due=date(2022, 8, 31)
    )
    told = renamed_and_told(web, tmp_path, BODY, NEW, part)
    return part, told


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_request_passes_with_the_part_and_every_surface_names_who_asked(web: WebEnv, tmp_path: Path) -> None:
    part, told = _inherited(web, tmp_path)
    with Session(web.engine) as session:
        assert open_extension_requests(session, [part])[part].actor == BODY  # carried, still open
    assert _says(told, CARRIED) and told.data[ASKED_KEY] == {str(part): told.data[ASKED_KEY][str(part)]}
    web.clock.set(_at(ON, 7, 30))
    # the successor's page
    page = _text(web.client.get(f"/a/{web.link(f'agency:{NEW}')}/assignments/{part}").text)
    assert CARRIED in page
    # the secretariat's queue, under the body that holds the part, says whose request it is
    web.login()
    queue = web.client.get("/board/de-nghi-gia-han").text
    row = queue.split(f'id="extension-{part}"', 1)[1].split("</tr>", 1)[0]
    assert 'id="form-refuse-' in row and "Sở Hợp nhất" in _text(row) and BY_BODY in _text(row)
    own = _text(web.client.get(f"/board/assignments/{part}").text)
    assert "Sở Nội vụ (cơ quan được giao trước đây) đề nghị gia hạn đến ngày 31/08/2022" in own
    assert "Sở Hợp nhất đề nghị gia hạn" not in own
    # the secretariat's digest lists it so too
    jobs.run_digests(web.engine, now=web.clock.now(), settings=web.settings)
    with Session(web.engine) as session:
        digest = session.exec(select(Notification).where(col(Notification.kind) == "digest_secretariat")).one()
    assert f"Sở Hợp nhất — {BY_BODY.replace('Đề', 'đề')}; đề nghị ngày 20/06/2022" in (digest.body_text or "")
    assert f"Sở Hợp nhất<br><small>{BY_BODY}</small>" in (digest.body_html or "")
    # refused before the successor's mail leaves: it leaves saying nothing of a request waiting; the
    # refusal tells the successor whose request it was
    web.clock.set(_at(ON, 8))
    with Session(web.engine) as session:
        refusal = Request(Action.REFUSE_EXTENSION, SECRETARIAT, comment="Không đủ căn cứ.")
        act(session, part, refusal, now=web.clock.now())
        session.commit()
    _deliver(web, _at(ON, 8, 30))
    with Session(web.engine) as session:
        sent = session.get(Notification, told.id)
        refused = session.exec(select(Notification).where(col(Notification.kind) == "extension_refused")).one()
    assert sent is not None and sent.status == NotificationStatus.SENT
    assert "đang chờ Tổ giúp việc trả lời" not in _sent(web, sent.dedupe_key) and not sent.data[ASKED_KEY]
    assert refused.status == NotificationStatus.SENT and refused.recipient_email == "so-moi@dondoc.example"
    assert _says(refused, "Tổ giúp việc không đồng ý đề nghị gia hạn của Sở Nội vụ (cơ quan được giao trước đây)")


ENDED = "ubnd-binh-son"  # an implementer of II.1 (due 30/06/2022), dissolved on 01/08/2022
CHOSEN = "so-khcn"  # the body the secretariat names for its work


def test_a_request_of_a_body_dissolved_waits_and_the_body_named_is_told_of_it(web: WebEnv, tmp_path: Path) -> None:
    """No successor of the same kind: the part waits in "Cần phân công lại" with its request, which
    the queue "Đề nghị gia hạn" lists under the body that asked, marked as ended (its answer mails
    nobody); the body the secretariat names takes both, and its one mail of the work says so."""
    part = web.assignment(ITEM, ENDED)
    web.clock.set(_at(date(2022, 6, 20), 10))
    with Session(web.engine) as session:
        ask = Request(Action.REQUEST_EXTENSION, Actor.agency(ENDED), comment="Chờ kinh phí.", due=date(2022, 8, 31))
        act(session, part, ask, now=web.clock.now())
        session.commit()
    succession_applied(web, tmp_path, successions_yaml("dissolve"))
    web.clock.set(_at(ON, 9))
    web.login()
    queue = web.client.get("/board/de-nghi-gia-han").text
    row = _text(queue.split(f'id="extension-{part}"', 1)[1].split("</tr>", 1)[0])
    assert "UBND huyện Bình Sơn Cơ quan đã không còn" in row and "Đề nghị của" not in row
    told = named_and_told(web, part, CHOSEN, _at(ON, 9, 30))
    assert told.status == NotificationStatus.SENT and told.recipient_email == "so-khcn@dondoc.example"
    assert _says(told, CARRIED.replace("Sở Nội vụ", "UBND huyện Bình Sơn"))
    page = _text(web.client.get(f"/a/{web.link(f'agency:{CHOSEN}')}/assignments/{part}").text)
    assert CARRIED.replace("Sở Nội vụ", "UBND huyện Bình Sơn") in page


def test_the_leaders_row_says_whose_request_waits(web: WebEnv, tmp_path: Path) -> None:
    """The leaders' row of the part (their digest's stored facts, their page) says the request
    waits; under the successor, it names the body that asked (explanations.handed_on_words)."""
    part, _ = _inherited(web, tmp_path)
    web.clock.set(_at(ON, 9))
    with Session(web.engine) as session:
        asked = open_extension_requests(session, [part])
        said = extension_waiting(
            asked[part], ON, WorkCalendar(), DEFAULT_DAYS.tz, handed_on_askers(session, asked).get(part)
        )
    words = extension_waiting_words(said)
    assert words.startswith("Đề nghị gia hạn của Sở Nội vụ (cơ quan được giao trước đây) đến ngày 31/08/2022, gửi ngày")
    page = _text(web.client.get(f"/leaders/{web.link('leader:chair')}").text)
    assert (
        "Đề nghị gia hạn của Sở Nội vụ (cơ quan được giao trước đây) đến ngày 31/08/2022, gửi ngày 20/06/2022" in page
    )
