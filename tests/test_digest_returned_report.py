"""A leaders' digest says of late work whose report the secretariat returned that it was reported.

Sở Nội vụ's part, due 30/06/2022 and on the chair's list since 11/07, was reported on 12/07 and
returned by the secretariat on 13/07 to complete: back in progress, the digest of 14/07 listed it
among the work "mà cơ quan được giao chưa báo cáo kết quả" with nothing else, as if the body had
never reported. It says when it was reported, when and why it was returned (engine.services.returned)."""

from __future__ import annotations

import html
from datetime import date

from sqlmodel import Session

from dondoc.engine.actors import Actor
from dondoc.engine.services.assignments import Request, act
from dondoc.engine.workflow import Action
from tests.support.web import ITEM, WebEnv
from tests.test_digest_snooze_extension import _at, _days, _rows

RETURNED = (
    "Cơ quan đã báo cáo kết quả ngày 12/07/2022, sau thời hạn; Tổ giúp việc trả lại ngày 13/07/2022 để bổ sung, "
    "hoàn thiện: «Thiếu quyết định phê duyệt.»"
)


def test_late_work_whose_report_was_returned_is_not_told_as_never_reported(web: WebEnv) -> None:
    web.clock.set(_at(date(2022, 6, 28), 10))
    token = web.link("leader:chair")
    part = web.assignment(ITEM, "so-noi-vu")
    _days(web, date(2022, 6, 29), date(2022, 7, 11), token)
    body = Actor.agency("so-noi-vu")
    for when, action, who, comment in (
        (_at(date(2022, 7, 12), 9), Action.ACKNOWLEDGE, body, None),
        (_at(date(2022, 7, 12), 10), Action.REPORT, body, "Đã phê duyệt cấp độ."),
        (_at(date(2022, 7, 13), 9), Action.RETURN, Actor.parse("secretariat"), "Thiếu quyết định phê duyệt."),
    ):
        web.clock.set(when)
        with Session(web.engine) as session:
            act(session, part, Request(action, who, comment=comment), now=web.clock.now())
            session.commit()
    made = _days(web, date(2022, 7, 14), date(2022, 7, 14), token)
    assert {role for role, _ in made} == {"vice-chair", "chair"}
    for digest, _ in made.values():
        rows = _rows(digest)
        assert rows[part]["returned"] == RETURNED
        assert all(row["returned"] is None for i, row in rows.items() if i != part)
        opening = "chưa báo cáo kết quả (1 phần việc đã báo cáo nhưng báo cáo bị Tổ giúp việc trả lại để bổ sung"
        assert opening in digest.body_text and opening in html.unescape(digest.body_html or "")
        assert f"{RETURNED}." in digest.body_text
        assert f"{RETURNED}." in html.unescape(digest.body_html or "")
    # the leaders' page says it of the row alike, on the day the digest does
    page = html.unescape(web.client.get(f"/leaders/{token}").text)
    assert f'<span class="returned">{RETURNED}.</span>' in page
