"""A part's page read at a past instant (`--now`, `serve --demo`) says whether anyone waited for a
partner's input, and what of the body's same work was still open, as it stood then, on both databases.

II.1 is led by Sở TT&TT and partnered by Sở Nội vụ. Sở TT&TT reported on 01/08/2022: Sở Nội vụ's page
read at 29/07 said "không còn ai chờ ý kiến phối hợp", as though the lead had reported by then. Sở
TT&TT reported on 20/07 and the secretariat returned the report on 01/08: read at 29/07 the page said
nothing, though nobody waited then. Sở TT&TT's part of II.1's first milestone is the same work as
98/TB-TEST:2's, which counts it once II.1's second milestone is reported too; that one reported on
01/08: read at 29/07 the page said a report here already counted there."""

from __future__ import annotations

import html
import re
from pathlib import Path

from sqlmodel import Session

from dondoc.engine.actors import SECRETARIAT, Actor
from dondoc.engine.services.assignments import Request, act
from dondoc.engine.workflow import Action
from tests.factories import load_min_catalog
from tests.support.catalogs import copy_catalog, edit
from tests.support.statements import statements_of
from tests.support.successions import PARTNERED_II_1, PLAN, at
from tests.support.web import ITEM, WebEnv
from tests.test_catalog_same_work import OTHER, OTHER_PLAN

PAST, TODAY = at("2022-07-29", 17), at("2022-08-02", 17)
UNWAITED = "không còn ai chờ ý kiến phối hợp"
FOLLOWER, SECOND = "98/TB-TEST:2", "99/KH-TEST:II.1 (mốc: Triển khai phương án)"


def _text(page: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def _loaded(web: WebEnv, tmp_path: Path) -> tuple[int, int]:
    """The minimal catalog, II.1 partnered by Sở Nội vụ, with 98/TB-TEST: (partner, lead) of II.1's
    first milestone."""
    catalog = copy_catalog(tmp_path)
    edit(catalog, PLAN, *PARTNERED_II_1)
    (catalog / OTHER).write_text(OTHER_PLAN, encoding="utf-8")
    with Session(web.engine) as session:
        load_min_catalog(session, web.clock.now(), catalog)
    return web.assignment(ITEM, "so-noi-vu"), web.assignment(ITEM, "so-tttt")


def _acted(web: WebEnv, part: int, *steps: tuple[Action, str, int]) -> None:
    """``steps`` (action, day, hour) on ``part``: by Sở TT&TT, a return by the secretariat."""
    with Session(web.engine) as session:
        for action, day, hour in steps:
            actor = SECRETARIAT if action is Action.RETURN else Actor.agency("so-tttt")
            act(session, part, Request(action, actor, comment="Đã xong."), now=at(day, hour))
        session.commit()


def _page(web: WebEnv, part: int, instant: object) -> str:
    web.clock.set(instant)  # type: ignore[arg-type]
    return _text(web.client.get(f"/board/assignments/{part}").text)


def test_a_partners_page_read_before_the_lead_reported_says_its_input_was_waited_for(
    web: WebEnv, tmp_path: Path
) -> None:
    partner, lead = _loaded(web, tmp_path)
    _acted(web, lead, (Action.ACKNOWLEDGE, "2022-07-20", 9), (Action.REPORT, "2022-08-01", 10))
    web.login()
    assert UNWAITED not in _page(web, partner, PAST)
    page = _page(web, partner, TODAY)
    assert f"Cơ quan chủ trì (Sở Thông tin và Truyền thông) đã báo cáo ngày 01/08/2022: {UNWAITED}" in page, page


def test_a_partners_page_read_before_the_leads_report_was_returned_says_nobody_waited(
    web: WebEnv, tmp_path: Path
) -> None:
    partner, lead = _loaded(web, tmp_path)
    _acted(
        web,
        lead,
        (Action.ACKNOWLEDGE, "2022-07-20", 9),
        (Action.REPORT, "2022-07-20", 10),
        (Action.RETURN, "2022-08-01", 10),
    )
    web.login()
    page = _page(web, partner, PAST)
    assert f"Cơ quan chủ trì (Sở Thông tin và Truyền thông) đã báo cáo ngày 20/07/2022: {UNWAITED}" in page, page
    assert UNWAITED not in _page(web, partner, TODAY)


def _same_work(page: str) -> list[str]:
    return [_text(said) for said in re.findall(r'<dd class="same-work">(.*?)</dd>', page, re.S)]


def test_a_parts_page_says_the_same_work_still_open_then(web: WebEnv, tmp_path: Path) -> None:
    _, first = _loaded(web, tmp_path)
    second = web.assignment(ITEM, "so-tttt", 2)
    _acted(web, second, (Action.ACKNOWLEDGE, "2022-07-20", 9), (Action.REPORT, "2022-08-01", 10))
    web.login()
    web.clock.set(PAST)
    (said,) = _same_work(web.client.get(f"/board/assignments/{first}").text)
    assert f"được ghi nhận cho {FOLLOWER} khi đã báo cáo cả {SECOND};" in said, said
    web.clock.set(TODAY)
    (said,) = _same_work(web.client.get(f"/board/assignments/{first}").text)
    assert said.endswith("báo cáo ở một trong hai nhiệm vụ được ghi nhận cho cả hai"), said


def test_at_todays_instant_a_partners_page_reads_no_history_of_its_leads(web: WebEnv, tmp_path: Path) -> None:
    """Read at today's instant, the partner's page does not look for events after the instant
    (board_then); read before the lead's report was returned, it replays the lead's history."""
    partner, lead = _loaded(web, tmp_path)
    steps = (Action.ACKNOWLEDGE, "2022-07-20", 9), (Action.REPORT, "2022-07-20", 10), (Action.RETURN, "2022-08-01", 10)
    _acted(web, lead, *steps)
    web.login()
    for instant, reads in ((TODAY, False), (PAST, True)):
        web.clock.set(instant)
        with statements_of(web.engine) as seen:
            assert web.client.get(f"/board/assignments/{partner}").status_code == 200
        # history.happened_after's probe (board_then): whether an event came after the instant
        probed = [s for s in seen if s.startswith("SELECT event.id") and "event.at >" in s and "LIMIT" in s]
        assert bool(probed) is reads, instant


def test_a_parts_page_says_the_same_work_reported_then_though_returned_since(web: WebEnv, tmp_path: Path) -> None:
    """II.1's second milestone reported on 20/07, its report returned on 01/08: read at 29/07, nothing
    of the same work was still open; read at 02/08, it is again."""
    _, first = _loaded(web, tmp_path)
    second = web.assignment(ITEM, "so-tttt", 2)
    steps = (Action.ACKNOWLEDGE, "2022-07-20", 9), (Action.REPORT, "2022-07-20", 10), (Action.RETURN, "2022-08-01", 10)
    _acted(web, second, *steps)
    web.login()
    web.clock.set(PAST)
    (said,) = _same_work(web.client.get(f"/board/assignments/{first}").text)
    assert said.endswith("báo cáo ở một trong hai nhiệm vụ được ghi nhận cho cả hai"), said
    web.clock.set(TODAY)
    (said,) = _same_work(web.client.get(f"/board/assignments/{first}").text)
    assert f"được ghi nhận cho {FOLLOWER} khi đã báo cáo cả {SECOND};" in said, said
