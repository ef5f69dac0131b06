"""The leaders' page does not list, nor count against the body that ended, the overdue work waiting
in "Cần phân công lại": it says how many such parts there are, beside each list, as their digest
(engine.escalation.recheck.judge) tells them nothing of them.

UBND huyện Bình Sơn dissolved on Monday 01/08/2022 (no successor named by the catalog); Sở TT&TT
split that day between Sở KH&CN and Sở VH-TT&DL (the secretariat decides which takes which part).
Their parts of II.1 (a key task), due 30/06/2022, wait for the secretariat. The 2025 replay showed
the leaders "UBND huyện Nghĩa Hành … quá hạn 7 ngày" from 01/07, of work whose body had ended on
30/06 and that nobody held. Named on Wednesday 03/08, the part is the new body's, listed under it;
read back at 02/08, the page says what waited then."""

from __future__ import annotations

import html
from pathlib import Path

import pytest
from sqlmodel import Session

from dondoc.engine.actors import SECRETARIAT
from dondoc.engine.services.assignments import Request, act
from dondoc.engine.services.successions import apply_due_successions, waiting_for_transfer
from dondoc.engine.workflow import Action
from tests.factories import assignment_for, load_min_catalog
from tests.support.successions import ON, at, succession_catalog, successions_yaml
from tests.support.web import ITEM, WebEnv

ENDED = {"dissolve": "ubnd-binh-son", "split": "so-tttt"}
CHOSEN = "so-khcn"
SAID = (
    "Không nêu 1 phần việc quá hạn của cơ quan đã không còn, đang chờ Tổ giúp việc phân công lại "
    "(mục «Cần phân công lại»)"
)


def _ended(web: WebEnv, tmp_path: Path, kind: str) -> int:
    """The succession ``kind`` applied at midnight on ON: the ended body's overdue part of II.1, waiting."""
    with Session(web.engine) as session:
        load_min_catalog(session, web.clock.now(), succession_catalog(tmp_path, successions_yaml(kind)))
        part = assignment_for(session, ITEM, ENDED[kind]).id or 0
        apply_due_successions(session, now=at(ON, 0))
        session.commit()
        assert waiting_for_transfer(session, part)
    return part


def _page(web: WebEnv) -> str:
    return html.unescape(web.client.get(f"/leaders/{web.link('leader:chair')}").text)


def _note(page: str, note_id: str) -> str | None:
    if f'id="{note_id}"' not in page:
        return None
    return page.split(f'id="{note_id}">', 1)[1].split("</p>", 1)[0]


def _listed(page: str, list_id: str) -> str:
    return page.split(f'id="{list_id}"', 1)[1].split("</table>", 1)[0]


def _total(page: str) -> str:
    return page.split('id="trong-tam">', 1)[1].split("</h2>", 1)[0]


@pytest.mark.parametrize("kind", ["dissolve", "split"])
def test_work_waiting_for_a_body_is_said_apart_not_listed_late(web: WebEnv, tmp_path: Path, kind: str) -> None:
    part = _ended(web, tmp_path, kind)
    web.clock.set(at("2022-08-02", 9))
    page = _page(web)
    # in neither list: the key tasks' nor every overdue part's
    assert f'data-id="{part}"' not in page
    for note in ("overdue-waiting", "priority-waiting"):
        said = _note(page, note)
        assert said is not None and said.startswith(SAID), (note, said)
    # the key tasks' count leaves it out with the list: the other four bodies' parts of II.1
    assert "(4 phần việc)" in _total(page), _total(page)
    # the trend still counts it at each instant (its history holds no transfer): its caption says so
    caption = page.split("<figcaption>", 1)[1].split("</figcaption>", 1)[0]
    assert "kể cả phần việc quá hạn của cơ quan đã không còn đang chờ Tổ giúp việc phân công lại" in caption


def test_once_named_it_is_the_new_bodys_and_a_look_back_says_what_waited_then(web: WebEnv, tmp_path: Path) -> None:
    part = _ended(web, tmp_path, "dissolve")
    web.clock.set(at("2022-08-03", 9))
    with Session(web.engine) as session:
        act(session, part, Request(Action.REASSIGN, SECRETARIAT, agency=CHOSEN), now=web.clock.now())
        session.commit()
    web.clock.set(at("2022-08-04", 9))
    page = _page(web)
    row = _listed(page, "qua-han").split(f'data-id="{part}"', 1)[1].split("</tr>", 1)[0]
    assert "Sở Khoa học và Công nghệ" in row, row
    assert _note(page, "overdue-waiting") is None and _note(page, "priority-waiting") is None
    # read back at 02/08, before the secretariat named it: it waited then
    web.clock.set(at("2022-08-02", 9))
    page = _page(web)
    assert f'data-id="{part}"' not in page
    said = _note(page, "overdue-waiting")
    assert said is not None and said.startswith(SAID), said
