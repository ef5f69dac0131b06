"""A returned report is said as of the instant a page or digest is read (engine.services.returned): the
body's list read at 04/07 had said of a report returned on 06/07 "Tổ giúp việc trả lại ngày 06/07/2022"."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session

from dondoc.engine.actors import SECRETARIAT, Actor
from dondoc.engine.clock import LOCAL_TZ
from dondoc.engine.services.assignments import Request, act
from dondoc.engine.services.returned import returned_reports
from dondoc.engine.workflow import Action
from tests.support.web import ITEM, WebEnv

REPORTED = datetime(2022, 6, 20, 9, 0, tzinfo=LOCAL_TZ)
RETURNED = datetime(2022, 7, 6, 9, 0, tzinfo=LOCAL_TZ)


def test_a_report_returned_after_the_instant_read_is_not_said_returned(web: WebEnv) -> None:
    target = web.assignment(ITEM, "so-noi-vu")
    body = Actor.agency("so-noi-vu")
    with Session(web.engine) as session:
        act(session, target, Request(Action.ACKNOWLEDGE, body), now=REPORTED)
        act(session, target, Request(Action.REPORT, body, comment="Đã hoàn thành."), now=REPORTED)
        act(session, target, Request(Action.RETURN, SECRETARIAT, comment="Thiếu phụ lục."), now=RETURNED)
        session.commit()
        assert returned_reports(session, [target], now=datetime(2022, 7, 4, 9, 0, tzinfo=LOCAL_TZ)) == {}
        (back,) = returned_reports(session, [target], now=RETURNED + timedelta(hours=1)).values()
        assert (back.reported_at, back.returned_at, back.reason) == (REPORTED, RETURNED, "Thiếu phụ lục.")
