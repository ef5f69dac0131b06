"""The page after a step says what the same-work rule moved with it (engine.services.same_work_moved).

Demo replay (2022): UBND huyện Bình Sơn sent its partner input on 1834/UBND-KGVX:2; its part of
117/KH-UBND:II.4.c ("Thực hiện"), the same work, was reported with it by the rule, and the page said
only "Đã ghi nhận: đã gửi kết quả phối hợp cho cơ quan chủ trì". It now names the parts reported with
it and that they wait for the secretariat's verification."""

from __future__ import annotations

import html
import re
from pathlib import Path

from sqlmodel import Session

from dondoc.engine.actors import Actor
from dondoc.engine.models import Assignment, State
from dondoc.engine.services.assignments import Request, act
from dondoc.engine.workflow import Action
from tests.factories import assignment_for, load_min_catalog
from tests.support.catalogs import copy_catalog
from tests.support.web import WebEnv
from tests.test_catalog_same_work import OTHER

FOLLOWER = "98/TB-TEST:3"
PLAN = """plan:
  number: "98/TB-TEST"
  kind: thong_bao
  issued: 2022-03-01
  issuer: "UBND tỉnh"
  title: "Thông báo thử nghiệm"
  year: 2022
items:
  - code: "98/TB-TEST:3"
    section: "3"
    title: "Phân loại hệ thống thông tin (nhắc lại)"
    content: "Phân loại hệ thống thông tin."
    source: "Mục 3"
    lead: [so-tttt]
    partners: [so-noi-vu]
    deadline: "trước ngày 30/6/2022"
    same_work_as: ["99/KH-TEST:II.1"]
"""


def _text(page: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def test_the_page_after_a_partners_input_names_its_same_work_reported_with_it(web: WebEnv, tmp_path: Path) -> None:
    catalog = copy_catalog(tmp_path)
    (catalog / OTHER).write_text(PLAN, encoding="utf-8")
    with Session(web.engine) as session:
        load_min_catalog(session, web.clock.now(), catalog)
        partner = assignment_for(session, FOLLOWER, "so-noi-vu").id or 0
        duties = [assignment_for(session, "99/KH-TEST:II.1", "so-noi-vu", seq).id or 0 for seq in (1, 2)]
        act(session, partner, Request(Action.ACKNOWLEDGE, Actor.agency("so-noi-vu")), now=web.clock.now())
        session.commit()
    token = web.link("agency:so-noi-vu")
    page = f"/a/{token}/assignments/{partner}"
    sent = web.client.post(f"{page}/act", data={**web.form(page), "action": "report", "comment": "Ý kiến."})
    assert sent.status_code == 303, sent.text
    said = _text(web.client.get(sent.headers["location"]).text)
    with Session(web.engine) as session:
        states = {session.get(Assignment, d).state for d in duties}  # type: ignore[union-attr]
    assert states == {State.REPORTED.value}  # the rule (tasks_catalog/README, Issue 12), kept
    assert "Đã ghi nhận: đã gửi kết quả phối hợp cho cơ quan chủ trì (Sở Thông tin và Truyền thông)." in said, said
    assert (
        "Theo quy tắc nhiệm vụ cùng nội dung, cùng được ghi nhận: "
        "99/KH-TEST:II.1 (thực hiện, mốc: Phê duyệt cấp độ) — Đã báo cáo, chờ Tổ giúp việc xác nhận; "
        "99/KH-TEST:II.1 (thực hiện, mốc: Triển khai phương án) — Đã báo cáo, chờ Tổ giúp việc xác nhận."
    ) in said, said
    # the page read again without the step's notice says nothing of it
    assert "cùng được ghi nhận" not in _text(web.client.get(page).text)
    # the secretariat's verification moves them with it, and its page after the step says so
    web.login()
    desk = f"/board/assignments/{partner}"
    verified = web.client.post(f"{desk}/act", data={**web.form(desk), "action": "verify"})
    assert verified.status_code == 303, verified.text
    said = _text(web.client.get(verified.headers["location"]).text)
    assert "cùng được ghi nhận: 99/KH-TEST:II.1 (thực hiện, mốc: Phê duyệt cấp độ) — Đã xác nhận;" in said, said
