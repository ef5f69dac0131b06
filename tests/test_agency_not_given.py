"""A body acts on its work from the day it is given, not before.

2022 replay, read on 01/03/2022: Sở Tài chính's page listed its report of the second quarter of
2022 (61/KH-UBND, given on 01/04/2022, due 20/06/2022) as "Chưa giao (giao ngày 01/04/2022)", and
the part's page offered "Tiếp nhận nhiệm vụ" and "Đề nghị gia hạn" (so did those of its reports up
to Quý IV/2025). Both were taken: the body acknowledged and then reported the second quarter a month
before it began, the page still said "Chưa giao", and from 01/04 the report counted "Hoàn thành đúng
hạn". The rule book now refuses the body's steps on work not given yet, with the day it is given
(engine.workflow.Condition.GIVEN), and the page shows no form for them.
"""

from __future__ import annotations

import html
import re
from datetime import datetime

from sqlalchemy import update
from sqlmodel import Session

from dondoc.engine.clock import LOCAL_TZ
from dondoc.engine.models import Assignment, Event
from tests.support.web import ITEM, WebEnv, agency_act

AGENCY = "so-noi-vu"
GIVEN_ON = datetime(2022, 4, 1, 0, 0, tzinfo=LOCAL_TZ)  # after the tests' clock, 02/03/2022
REFUSED = "nhiệm vụ chưa được giao (giao ngày 01/04/2022)"


def _text(page: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def _given_later(web: WebEnv) -> int:
    part = web.assignment(ITEM, AGENCY)
    with Session(web.engine) as session:
        session.execute(update(Assignment).where(Assignment.id == part).values(assigned_at=GIVEN_ON))
        session.commit()
    return part


def test_work_not_given_yet_offers_its_body_no_step(web: WebEnv) -> None:
    part = _given_later(web)
    link = web.link(f"agency:{AGENCY}")
    page = web.client.get(f"/a/{link}/assignments/{part}").text
    assert "Chưa giao (giao ngày 01/04/2022)" in _text(page)
    assert 'id="form-' not in page, re.findall(r'id="form-[a-z-]+"', page)


def test_its_steps_are_refused_with_the_day_it_is_given_and_nothing_is_written(web: WebEnv) -> None:
    part = _given_later(web)
    link = web.link(f"agency:{AGENCY}")
    with Session(web.engine) as session:
        before = session.query(Event).filter(Event.assignment_id == part).count()
    page = f"/a/{link}/assignments/{part}"
    # the page offers no form: a form kept open from before, or posted by hand, with the session's token
    csrf = web.form(f"/a/{link}/assignments/{web.assignment(ITEM, AGENCY, seq=2)}")["csrf"]
    for data, said in (
        ({"action": "acknowledge"}, REFUSED),
        ({"action": "request_extension", "due": "2022-12-20", "comment": "cần thêm thời gian"}, REFUSED),
        # from a state the table does not take it from: the state as its pages say it, not "Đã giao"
        ({"action": "report", "comment": "Báo cáo quý II"}, 'đang ở trạng thái "Chưa giao (giao ngày 01/04/2022)"'),
    ):
        response = web.client.post(f"{page}/act", data={"csrf": csrf, "version": "1", **data})
        assert response.status_code == 409, response.text
        assert said in _text(response.text), _text(response.text)
    with Session(web.engine) as session:
        assert session.query(Event).filter(Event.assignment_id == part).count() == before
        assert session.get(Assignment, part).state == "assigned"


def test_on_the_day_it_is_given_the_body_acknowledges_it(web: WebEnv) -> None:
    part = _given_later(web)
    web.clock.set(datetime(2022, 4, 1, 9, 0, tzinfo=LOCAL_TZ))
    link = web.link(f"agency:{AGENCY}")
    assert 'id="form-acknowledge"' in web.client.get(f"/a/{link}/assignments/{part}").text
    assert agency_act(web, link, part, {"action": "acknowledge"}) == 303
