"""A partner sends its input to the lead; its own page, its errors and its part's history say so.

Demo replay (2022), UBND huyện Bình Sơn as a partner ("phối hợp"): its page headed the form "Gửi kết
quả phối hợp cho cơ quan chủ trì (…)" but its field said "Nội dung báo cáo", its button "Gửi báo cáo",
an empty form "Báo cáo cần có nội dung: kết quả đã thực hiện…", its history "Báo cáo kết quả" and a
refusal "lúc này có thể: Cập nhật tiến độ, Báo cáo kết quả": a lead's words. They now come from
engine.role_words, as its mails say it ("gửi ý kiến, kết quả phối hợp"); a lead's keep theirs."""

from __future__ import annotations

import html
import re
from datetime import datetime
from pathlib import Path

import pytest
from sqlmodel import Session

from dondoc.engine.actors import Actor
from dondoc.engine.clock import LOCAL_TZ
from dondoc.engine.errors import TransitionNotAllowed
from dondoc.engine.services.assignments import Request, act
from dondoc.engine.workflow import Action
from tests.factories import assignment_for, load_min_catalog
from tests.support.cli import dondoc, ok
from tests.support.web import WebEnv, agency_act
from tests.test_mail_names_lead import _catalog
from tests.test_partner_queue import ITEM

SENDS = "Gửi ý kiến, kết quả phối hợp"
LOADED = datetime(2022, 3, 2, 9, 0, tzinfo=LOCAL_TZ)


def _text(page: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def _parts(web: WebEnv, tmp_path: Path) -> tuple[int, int]:
    with Session(web.engine) as session:
        load_min_catalog(session, web.clock.now(), _catalog(tmp_path))
        parts = [assignment_for(session, ITEM, code).id or 0 for code in ("so-noi-vu", "so-tttt")]
        for part, code in zip(parts, ("so-noi-vu", "so-tttt"), strict=True):
            act(session, part, Request(Action.ACKNOWLEDGE, Actor.agency(code)), now=web.clock.now())
        session.commit()
    return parts[0], parts[1]


def test_a_partners_form_and_its_empty_input_say_what_it_sends(web: WebEnv, tmp_path: Path) -> None:
    partner, lead = _parts(web, tmp_path)
    token = web.link("agency:so-noi-vu")
    page = html.unescape(web.client.get(f"/a/{token}/assignments/{partner}").text)
    form = page[page.index('id="form-report"') :]
    form = form[: form.index("</form>")]
    assert "Nội dung ý kiến, kết quả phối hợp" in form and "Nội dung báo cáo" not in form, form
    assert f">{SENDS}</button>" in form and "Gửi báo cáo" not in form, form
    refused = web.client.post(
        f"/a/{token}/assignments/{partner}/act",
        data={**web.form(f"/a/{token}/assignments/{partner}"), "action": "report", "comment": " "},
    )
    said = _text(refused.text)
    assert refused.status_code in (400, 409, 422), said
    assert "Ý kiến, kết quả phối hợp cần có nội dung" in said and "Báo cáo cần có nội dung" not in said, said
    # the lead's form keeps a report's words
    own = html.unescape(web.client.get(f"/a/{web.link('agency:so-tttt')}/assignments/{lead}").text)
    assert "Nội dung báo cáo" in own and ">Gửi báo cáo</button>" in own


def test_a_partners_history_and_refusals_name_its_input(web: WebEnv, tmp_path: Path) -> None:
    partner, lead = _parts(web, tmp_path)
    token = web.link("agency:so-noi-vu")
    assert agency_act(web, token, partner, {"action": "report", "comment": "Ý kiến của Sở Nội vụ."}) in (200, 303)
    own = _text(web.client.get(f"/a/{token}/assignments/{partner}").text)
    history = own[own.index("Thời điểm Người thực hiện") :]
    assert SENDS in history and "Báo cáo kết quả" not in history, history
    web.login()
    desk = _text(web.client.get(f"/board/assignments/{partner}").text)
    history = desk[desk.index("Thời điểm Người thực hiện") :]
    assert SENDS in history and "Báo cáo kết quả" not in history, history
    # a step its state no longer takes offers what it may do, in its own words
    with Session(web.engine) as session:
        act(session, lead, Request(Action.REPORT, Actor.agency("so-tttt"), comment="Xong."), now=web.clock.now())
        session.commit()
        back = Request(Action.RETURN, Actor.parse("secretariat"), comment="Bổ sung số liệu.")
        act(session, partner, back, now=web.clock.now())
        session.commit()
        with pytest.raises(TransitionNotAllowed) as refused:
            act(session, partner, Request(Action.ACKNOWLEDGE, Actor.agency("so-noi-vu")), now=web.clock.now())
    assert f'"{SENDS}"' in str(refused.value) and "Báo cáo kết quả" not in str(refused.value), refused.value


def test_a_stale_form_names_the_partners_input_sent_since(web: WebEnv, tmp_path: Path) -> None:
    """The secretariat's form read before the partner sent its input: the refusal names that change."""
    partner, _ = _parts(web, tmp_path)
    web.login()
    desk = f"/board/assignments/{partner}"
    form = web.form(desk)
    with Session(web.engine) as session:
        act(session, partner, Request(Action.REPORT, Actor.agency("so-noi-vu"), comment="Ý kiến."), now=web.clock.now())
        session.commit()
    stale = web.client.post(f"{desk}/act", data={**form, "action": "cancel", "comment": "Không cần nữa."})
    said = _text(stale.text)
    assert stale.status_code == 409, said
    assert SENDS in said and "Báo cáo kết quả" not in said, said


def test_the_command_lines_history_names_a_partners_input(db_url: str, session: Session, tmp_path: Path) -> None:
    load_min_catalog(session, LOADED, _catalog(tmp_path))
    partner = assignment_for(session, ITEM, "so-noi-vu").id or 0
    for action in (Action.ACKNOWLEDGE, Action.REPORT):
        act(session, partner, Request(action, Actor.agency("so-noi-vu"), comment="Ý kiến."), now=LOADED)
    session.commit()
    shown = ok(dondoc(db_url, "assignments", "show", str(partner), now="2022-03-03T09:00"))
    assert SENDS in shown and "Báo cáo kết quả" not in shown, shown
