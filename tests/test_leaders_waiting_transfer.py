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
from datetime import date
from pathlib import Path

import pytest
from sqlmodel import Session

from dondoc.engine.actors import SECRETARIAT
from dondoc.engine.clock import DEFAULT_DAYS as LOCAL
from dondoc.engine.escalation.policy import load_policy
from dondoc.engine.reports.trend import weekly_trend
from dondoc.engine.services.assignments import Request, act
from dondoc.engine.services.overdue_lists import waiting_count
from dondoc.engine.services.queries import category_counts
from dondoc.engine.services.successions import apply_due_successions, waiting_for_transfer
from dondoc.engine.status import Category
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


def _trend_now(page: str) -> str:
    """The trend's present overdue count, as its legend says it."""
    legend = page.split('class="legend">Hiện tại:', 1)[1].split("</p>", 1)[0]
    return legend.split("Đang quá hạn (tại từng thời điểm, việc của mọi năm): ", 1)[1].split("<", 1)[0]


def _overdue_total(page: str) -> str:
    """How many parts the overdue list lists (all of them, in these tests: no "Xem tất cả")."""
    listed = _listed(page, "qua-han")
    assert "Xem tất cả" not in listed
    return str(listed.count(" data-id="))


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
    # nor in the trend's present point, which counts what the lists count
    assert _trend_now(page) == _overdue_total(page), (_trend_now(page), _overdue_total(page))


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


def test_the_trend_leaves_work_out_for_the_weeks_it_waited_for_a_body(web: WebEnv, tmp_path: Path) -> None:
    """The week to Sunday 31/07 counts the part late under the body that held it; the week to 07/08,
    while it waited for the secretariat, does not (as the lists read then); named on 10/08, the week
    to 14/08 counts it again, the new body's."""
    part = _ended(web, tmp_path, "dissolve")
    roles = load_policy().leader_roles()
    weeks = [
        LOCAL.end_of_day(date(2022, 7, 31)),
        LOCAL.end_of_day(date(2022, 8, 7)),
        LOCAL.end_of_day(date(2022, 8, 14)),
    ]
    with Session(web.engine) as session:
        act(session, part, Request(Action.REASSIGN, SECRETARIAT, agency=CHOSEN), now=at("2022-08-10", 9))
        session.commit()
        trend = {
            p.at: p.overdue for p in weekly_trend(session, year=2022, now=at("2022-08-16"), local=LOCAL, roles=roles)
        }
        for week in weeks:
            counted = category_counts(session, week, roles=roles)[0].counts[Category.OVERDUE.value]
            assert trend[week] == counted, (week, trend[week], counted)
        waited = [waiting_count(session, week, local=LOCAL, roles=roles) for week in weeks]
    assert waited == [0, 1, 0]
