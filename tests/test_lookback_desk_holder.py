"""The desk's list read at a past instant (`--now`, `serve --demo`) selects, names and offers the
bodies as the board of that instant counts them, on both databases: the body that held the work
that day (transfer_origins.held_then), not the one a reorganisation passed it to later.

UBND Lý Sơn is absorbed into Sở KH&CN on 01/08/2022. The board of 29/07/2022 counts its two parts
under it (one overdue), its table linking to /board/assignments?agency=ubnd-ly-son; that list had
shown no row ("Không có phần việc nào"), its menu offered Sở KH&CN (which held nothing then) and not
Lý Sơn, a filter by "UBND các huyện" left its parts out, and the unfiltered list named Sở KH&CN
beside them."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from sqlmodel import Session

from dondoc.engine.services.web_queries import board_summary
from dondoc.engine.status import Category
from tests.support.desk import list_rows
from tests.support.successions import at, succession_applied, successions_yaml
from tests.support.web import WebEnv

OLD, NEW, OTHER = "ubnd-ly-son", "so-khcn", "ubnd-binh-son"
PAST, TODAY = at("2022-07-29", 17), at("2022-08-02", 17)


def _menu(html: str) -> list[str]:
    """The codes the filter form's agency list offers."""
    select = html.split('<select name="agency">', 1)[1].split("</select>", 1)[0]
    return [code for code in re.findall(r'<option value="([^"]*)"', select) if code]


def _named(html: str) -> dict[int, str]:
    """Each row of the list (its id) with the cells it shows."""
    body = html.split('id="assignments"', 1)[1].split("</tbody>", 1)[0]
    rows = re.split(r'<tr data-id="', body)[1:]
    return {int(row.split('"', 1)[0]): row for row in rows}


def test_a_look_back_lists_offers_and_selects_the_body_that_held_the_work_then(web: WebEnv, tmp_path: Path) -> None:
    told = succession_applied(web, tmp_path, successions_yaml("absorb"))
    moved = {i for mail in told for i in mail.data.get("assignment_ids", [])}
    assert len(moved) == 2, "the case needs Lý Sơn's two parts passed on"
    web.login()
    web.clock.set(PAST)
    with Session(web.engine) as session:
        table = {r.code: r for r in board_summary(session, PAST).agencies}
    assert OLD in table and NEW not in table
    overdue = table[OLD].counts[Category.OVERDUE.value]
    assert overdue == 1, "the case needs overdue work of the absorbed body"

    # the table's link lists what the table counts, by category too, each row naming the body of then
    listed = set(map(int, list_rows(web.client, f"agency={OLD}")))
    assert listed == moved
    late = list_rows(web.client, f"agency={OLD}&status={Category.OVERDUE.value}")
    assert len(late) == overdue
    assert not list_rows(web.client, f"agency={NEW}")  # it held nothing then
    for code in (OLD, OTHER):  # their lines of the table, each count its link's
        for category, n in table[code].counts.items():
            assert len(list_rows(web.client, f"agency={code}&status={category}")) == n, (code, category)
    page = web.client.get(f"/board/assignments?agency={OLD}")
    assert all("UBND huyện Lý Sơn" in row and "Khoa học" not in row for row in _named(page.text).values())
    # the menu offers the bodies of then, the one the table links to among them, without a link naming it
    menu = _menu(web.client.get("/board/assignments").text)
    assert OLD in menu and NEW not in menu and OTHER in menu
    # the unfiltered list, a group and the search box read the same holder
    every = _named(web.client.get("/board/assignments").text)
    assert all("UBND huyện Lý Sơn" in every[i] for i in moved)
    assert moved <= set(map(int, list_rows(web.client, "group=ubnd-cap-huyen")))
    assert set(map(int, list_rows(web.client, "q=Lý+Sơn"))) == moved
    # its exports alike
    exported = list(csv.reader(io.StringIO(web.client.get(f"/board/assignments.csv?agency={OLD}").text)))
    assert len(exported) == 1 + len(moved) and all("UBND huyện Lý Sơn" in row for row in exported[1:])

    # at today's instant, the holder now
    web.clock.set(TODAY)
    assert set(map(int, list_rows(web.client, f"agency={NEW}"))) == moved
    assert not list_rows(web.client, f"agency={OLD}")
    assert not moved & set(map(int, list_rows(web.client, "group=ubnd-cap-huyen")))
    menu = _menu(web.client.get("/board/assignments").text)
    assert NEW in menu and OLD not in menu
