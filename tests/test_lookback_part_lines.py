"""A part's page read at a past instant (`--now`, `serve --demo`) says of the bodies around the part
what was true then, as its "Cơ quan" line names the body that held it then
(tests/test_lookback_part_by_holder.py), on both databases: the leads a partner's input went to, the
body's same work under another document, and whom an open request for an explanation was asked of.

Read at 29/07/2022, before a succession of 01/08: a partner's page said its input had gone to Sở
Khoa học và Công nghệ, which took Sở TT&TT's lead only on 01/08; UBND Lý Sơn's page said its part was
the same work as Sở KH&CN's item of another document, which Lý Sơn never held; Sở Nội vụ's page said
the chair's question of 05/07 had been sent to "Sở Nội vụ (cơ quan được giao trước đây)", the body the
page names as holding the part; and a page read before the question was asked said it waited."""

from __future__ import annotations

import html
import re
from pathlib import Path

from sqlmodel import Session

from dondoc.engine.actors import Actor
from dondoc.engine.services.assignments import Request, act
from dondoc.engine.workflow import Action
from tests.factories import load_min_catalog
from tests.support.catalogs import edit
from tests.support.successions import (
    ON,
    PARTNERED_II_1,
    PLAN,
    at,
    succession_catalog,
    successions_at_dawn,
    successions_yaml,
)
from tests.support.web import ITEM, WebEnv
from tests.test_catalog_same_work import OTHER, OTHER_PLAN
from tests.test_inherited_explanation_request import ADDRESSED, QUESTION, _renamed

PAST, TODAY = at("2022-07-29", 17), at("2022-08-02", 17)


def _text(page: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def _loaded(web: WebEnv, tmp_path: Path, yaml: str, *edits: tuple[str, str], other: str | None = None) -> None:
    """The minimal catalog with ``edits`` of its plan (and ``other`` as a second document) loaded with
    ``yaml`` as its successions."""
    catalog = succession_catalog(tmp_path, yaml)
    for old, new in edits:
        edit(catalog, PLAN, old, new)
    if other is not None:
        (catalog / OTHER).write_text(other, encoding="utf-8")
    with Session(web.engine) as session:
        load_min_catalog(session, web.clock.now(), catalog)


def _succeeded(web: WebEnv) -> None:
    """The successions applied at 00:00 on ON, as the night's job applies them."""
    successions_at_dawn(web)


def _applied(web: WebEnv, tmp_path: Path, yaml: str, *edits: tuple[str, str], other: str | None = None) -> None:
    """:func:`_loaded`, then :func:`_succeeded`."""
    _loaded(web, tmp_path, yaml, *edits, other=other)
    _succeeded(web)


def _flash(page: str, kind: str) -> str:
    found = re.search(rf'<p class="flash {kind}">(.*?)</p>', page, re.S)
    return _text(found.group(1)) if found else ""


def test_a_partners_page_names_the_lead_its_input_went_to_then(web: WebEnv, tmp_path: Path) -> None:
    """Sở Nội vụ partners II.1, led by Sở TT&TT, which Sở KH&CN absorbs on 01/08/2022: Sở Nội vụ sent
    its input on 20/07; its page read at 29/07 says it went to Sở TT&TT."""
    absorbed = successions_yaml("absorb", "from: [so-tttt]\n    to: [{agency: so-khcn}]")
    _applied(web, tmp_path, absorbed, PARTNERED_II_1)
    partner = web.assignment(ITEM, "so-noi-vu", 2)
    with Session(web.engine) as session:
        for action, when in ((Action.ACKNOWLEDGE, at("2022-07-20", 9)), (Action.REPORT, at("2022-07-20", 10))):
            act(session, partner, Request(action, Actor.agency("so-noi-vu"), comment="Đã góp ý."), now=when)
        session.commit()
    web.login()
    sent = "đã gửi kết quả phối hợp cho cơ quan chủ trì"
    web.clock.set(PAST)
    said = _flash(web.client.get(f"/board/assignments/{partner}?done=report").text, "ok")
    assert f"{sent} (Sở Thông tin và Truyền thông)" in said, said
    web.clock.set(TODAY)
    said = _flash(web.client.get(f"/board/assignments/{partner}?done=report").text, "ok")
    assert f"{sent} (Sở Khoa học và Công nghệ)" in said, said


def test_a_partners_page_names_the_lead_that_had_reported_then(web: WebEnv, tmp_path: Path) -> None:
    """Sở TT&TT, II.1's lead, reports on 20/07 and is absorbed into Sở KH&CN on 01/08/2022: the page of
    its partner Sở Nội vụ read at 29/07 says Sở TT&TT had reported, nobody waits for its input."""
    absorbed = successions_yaml("absorb", "from: [so-tttt]\n    to: [{agency: so-khcn}]")
    _loaded(web, tmp_path, absorbed, PARTNERED_II_1)
    partner, lead = web.assignment(ITEM, "so-noi-vu", 2), web.assignment(ITEM, "so-tttt", 2)
    with Session(web.engine) as session:
        for action, when in ((Action.ACKNOWLEDGE, at("2022-07-20", 9)), (Action.REPORT, at("2022-07-20", 10))):
            act(session, lead, Request(action, Actor.agency("so-tttt"), comment="Đã xong."), now=when)
        session.commit()
    _succeeded(web)
    web.login()
    done = "đã báo cáo ngày 20/07/2022: không còn ai chờ ý kiến phối hợp"
    web.clock.set(PAST)
    page = _text(web.client.get(f"/board/assignments/{partner}").text)
    assert f"Cơ quan chủ trì (Sở Thông tin và Truyền thông) {done}" in page, page
    web.clock.set(TODAY)
    page = _text(web.client.get(f"/board/assignments/{partner}").text)
    assert f"Cơ quan chủ trì (Sở Khoa học và Công nghệ) {done}" in page, page


def _same_work(page: str) -> list[str]:
    return [_text(said) for said in re.findall(r'<dd class="same-work">(.*?)</dd>', page, re.S)]


def test_a_parts_page_names_the_same_work_of_the_body_that_held_it_then(web: WebEnv, tmp_path: Path) -> None:
    """Sở KH&CN leads 98/TB-TEST:2, whose second milestone is 99/KH-TEST:II.1's work; it absorbs UBND
    Lý Sơn, an implementer of II.1, on 01/08/2022. At 29/07 Lý Sơn's part of II.1 was the same work as
    nothing Lý Sơn held, and Sở KH&CN's milestone as nothing Sở KH&CN held; from 01/08 each is."""
    other = OTHER_PLAN.replace("    lead: [so-tttt]\n", "    lead: [so-khcn]\n")
    assert other != OTHER_PLAN
    _applied(web, tmp_path, successions_yaml("absorb"), other=other)
    part, follower = web.assignment(ITEM, "so-khcn", 2), web.assignment("98/TB-TEST:2", "so-khcn", 2)
    web.login()
    web.clock.set(PAST)
    page = web.client.get(f"/board/assignments/{part}").text
    assert "UBND huyện Lý Sơn — Thực hiện" in _text(page)  # the body then (tests/test_lookback_part_by_holder.py)
    assert _same_work(page) == []
    assert _same_work(web.client.get(f"/board/assignments/{follower}").text) == []
    web.clock.set(TODAY)
    (said,) = _same_work(web.client.get(f"/board/assignments/{part}").text)
    assert said.startswith("98/TB-TEST:2 (mốc: Việc chưa xong ở kế hoạch kia)"), said
    (said,) = _same_work(web.client.get(f"/board/assignments/{follower}").text)
    assert said.startswith("99/KH-TEST:II.1"), said


def test_a_parts_page_says_whom_an_open_request_was_asked_of_then(web: WebEnv, tmp_path: Path) -> None:
    """The chair asks Sở Nội vụ on 05/07/2022; Sở Nội vụ is renamed Sở Hợp nhất on 01/08/2022. Read at
    29/07, the page names Sở Nội vụ as the body holding the part: the request was asked of it, as of
    the body the page names; read at 04/07, no request waited yet."""
    part, _ = _renamed(web, tmp_path)
    web.clock.set(PAST)
    page = web.client.get(f"/board/assignments/{part}").text
    assert _flash(page, "warn") == f"Đang chờ giải trình: {QUESTION}", _flash(page, "warn")
    web.clock.set(at("2022-07-04", 17))
    assert "Đang chờ giải trình" not in web.client.get(f"/board/assignments/{part}").text
    web.clock.set(at(ON, 9))
    said = _flash(web.client.get(f"/board/assignments/{part}").text, "warn")
    assert said == f"Đang chờ giải trình (yêu cầu {ADDRESSED}): {QUESTION}", said
