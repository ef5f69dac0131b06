"""The leaders' overdue list read at a past instant (`--now`, `serve --demo`) says of each row's request
for an explanation what was true then, as the part's page of that instant does
(asked_of.open_asked_of), on both databases.

The chair asked Sở Nội vụ on 11/07/2022 why II.1 was late, and Sở Nội vụ answered on 12/07. Read at
11/07 the row said "Đã giải trình ngày 12/07/2022", an answer not yet given, and offered to ask again;
read at 10/07, before anybody asked, it said the same."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from dondoc.engine.actors import Actor
from dondoc.engine.clock import LOCAL_TZ
from dondoc.engine.services.assignments import Request, act
from dondoc.engine.workflow import Action
from tests.support.web import ITEM, WebEnv

ASKED, ANSWERED = datetime(2022, 7, 11, 9, tzinfo=LOCAL_TZ), datetime(2022, 7, 12, 16, tzinfo=LOCAL_TZ)
WAITING, EXPLAINED = "Đã yêu cầu, chờ giải trình", "Đã giải trình ngày 12/07/2022"


def _row(web: WebEnv, part: int, instant: datetime) -> str:
    web.clock.set(instant)
    page = web.client.get(f"/leaders/{web.link('leader:chair')}").text
    return page.split('id="overdue"', 1)[1].split(f'data-id="{part}"', 1)[1].split("</tr>", 1)[0]


def test_the_leaders_list_says_the_request_for_an_explanation_as_it_stood_then(web: WebEnv) -> None:
    part = web.assignment(ITEM, "so-noi-vu")
    with Session(web.engine) as session:
        ask = Request(Action.REQUEST_EXPLANATION, Actor.parse("chair"), comment="Vì sao chậm?")
        act(session, part, ask, now=ASKED)
        act(session, part, Request(Action.EXPLAIN, Actor.agency("so-noi-vu"), comment="Thiếu nhân sự."), now=ANSWERED)
        session.commit()
    before = _row(web, part, datetime(2022, 7, 10, 17, tzinfo=LOCAL_TZ))
    assert WAITING not in before and "Đã giải trình" not in before, before
    asked = _row(web, part, datetime(2022, 7, 11, 17, tzinfo=LOCAL_TZ))
    assert WAITING in asked and "Đã giải trình" not in asked, asked
    answered = _row(web, part, datetime(2022, 7, 20, 9, tzinfo=LOCAL_TZ))
    assert EXPLAINED in answered and WAITING not in answered, answered


def test_the_bodys_own_page_says_the_request_it_had_to_answer_then(web: WebEnv) -> None:
    """Sở Nội vụ's own page (its link) read at 11/07, the chair's question not yet answered, says it
    must answer it, as it did on that day; read at 10/07 and once answered, it does not."""
    part = web.assignment(ITEM, "so-noi-vu")
    with Session(web.engine) as session:
        ask = Request(Action.REQUEST_EXPLANATION, Actor.parse("chair"), comment="Vì sao chậm?")
        act(session, part, ask, now=ASKED)
        act(session, part, Request(Action.EXPLAIN, Actor.agency("so-noi-vu"), comment="Thiếu nhân sự."), now=ANSWERED)
        session.commit()
    link = f"/a/{web.link('agency:so-noi-vu', days=365)}"
    said = {}
    for day in (10, 11, 20):
        web.clock.set(datetime(2022, 7, day, 17, tzinfo=LOCAL_TZ))
        page = web.client.get(link).text
        assert f'href="{link}/assignments/{part}"' in page, day  # listed
        said[day] = "Cần giải trình" in page
    assert said == {10: False, 11: True, 20: False}
