"""A partner's own page says when nobody waits for its input any more.

2022 replay, read on 20/12/2022: Sở Y tế's part as partner of 04/KH-BCĐ II.4 (the committee's
second meeting, "Tháng 9/2022") said "Đang thực hiện quá hạn · Quá hạn 57 ngày làm việc" and asked
"Gửi kết quả phối hợp cho cơ quan tham mưu (Sở Thông tin và Truyền thông)", while that body had
reported on 23/09/2022 and its report was verified. The sweep had stopped the partner's reminders
(engine.escalation.lead_done) and the desk lists the part under "Phối hợp không còn được chờ" with
"Cơ quan chủ trì đã báo cáo ngày …: không còn ai chờ ý kiến phối hợp"; the body's own page said
nothing of it. It now says the same sentence, in the text's word for the lead, beside the state.
"""

from __future__ import annotations

import html
import re
from datetime import datetime
from pathlib import Path

from sqlmodel import Session

from dondoc.engine.actors import Actor
from dondoc.engine.clock import LOCAL_TZ
from dondoc.engine.services.assignments import Request, act
from dondoc.engine.workflow import Action
from tests.factories import assignment_for, load_min_catalog
from tests.support.web import WebEnv
from tests.test_partner_queue import ITEM, _with_partners

REPORTED = datetime(2022, 6, 20, 10, 0, tzinfo=LOCAL_TZ)
SAID = "Cơ quan chủ trì (Sở Thông tin và Truyền thông) đã báo cáo ngày 20/06/2022: không còn ai chờ ý kiến phối hợp"


def _text(page: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def _step(web: WebEnv, target: int, action: Action, who: str, comment: str | None = None) -> None:
    with Session(web.engine) as session:
        act(session, target, Request(action, Actor.agency(who), comment=comment), now=REPORTED)
        session.commit()


def test_the_partners_page_says_the_lead_has_reported(web: WebEnv, tmp_path: Path) -> None:
    with Session(web.engine) as session:
        load_min_catalog(session, web.clock.now(), _with_partners(tmp_path))
        lead, partner = (assignment_for(session, ITEM, code).id or 0 for code in ("so-tttt", "so-noi-vu"))
    _step(web, partner, Action.ACKNOWLEDGE, "so-noi-vu")
    _step(web, lead, Action.ACKNOWLEDGE, "so-tttt")
    web.clock.set(REPORTED)
    link = web.link("agency:so-noi-vu")
    waited = _text(web.client.get(f"/a/{link}/assignments/{partner}").text)
    assert "không còn ai chờ" not in waited, waited  # the lead is at work: its input is waited for

    _step(web, lead, Action.REPORT, "so-tttt", "Đã xây dựng xong.")
    web.clock.set(datetime(2022, 7, 5, 9, 0, tzinfo=LOCAL_TZ))
    page = _text(web.client.get(f"/a/{web.link('agency:so-noi-vu')}/assignments/{partner}").text)
    assert SAID in page, page
    assert "Quá hạn 3 ngày làm việc" in page  # still the body's open work past its date, as the board counts it
    # the lead's own page says nothing of the kind
    lead_page = _text(web.client.get(f"/a/{web.link('agency:so-tttt')}/assignments/{lead}").text)
    assert "không còn ai chờ" not in lead_page
