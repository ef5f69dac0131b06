"""Every list of work read at a past instant (`--now`, `serve --demo`) selects and names each part by
the body that held it that day, as the board of that instant counts it (transfer_origins.held_then),
on both databases: the command line's list, the API's, a body's own page, a plan's page and an item's
page, as the desk's list does (tests/test_lookback_desk_holder.py).

UBND Lý Sơn is absorbed into Sở KH&CN on 01/08/2022. On 29/07/2022 the board and
``dondoc status --by agency`` counted its two parts under it; ``dondoc assignments list --agency
ubnd-ly-son`` at that instant listed nothing ("0 phần việc") and ``--agency so-khcn`` listed both,
named Sở KH&CN; the API alike; Lý Sơn's own page of that day listed nothing while its summary
counted two; the plan's and the item's pages named Sở KH&CN beside them."""

from __future__ import annotations

import json
import re
from pathlib import Path

from sqlmodel import Session, col, select

from dondoc.engine.models import Assignment, Milestone, PlanItem
from dondoc.engine.services.queries import list_assignments
from tests.support.cli import dondoc, ok
from tests.support.statements import statements_of
from tests.support.successions import at, succession_applied, successions_yaml
from tests.support.web import WebEnv

OLD, NEW = "ubnd-ly-son", "so-khcn"
OLD_NAME, NEW_NAME = "UBND huyện Lý Sơn", "Sở Khoa học và Công nghệ"
PAST, TODAY = at("2022-07-29", 17), at("2022-08-02", 17)
PAST_ARG, TODAY_ARG = "2022-07-29T17:00", "2022-08-02T17:00"


def _moved(web: WebEnv, tmp_path: Path) -> set[int]:
    told = succession_applied(web, tmp_path, successions_yaml("absorb"))
    moved = {i for mail in told for i in mail.data.get("assignment_ids", [])}
    assert len(moved) == 2, "the case needs Lý Sơn's two parts passed on"
    return moved


def _linked(html: str, base: str = "/board") -> dict[int, str]:
    """Each part a page links to (its id) with the text of the link (a plan's and an item's pages: the body)."""
    return {int(i): text.strip() for i, text in re.findall(rf'href="{base}/assignments/(\d+)">([^<]*)</a>', html)}


def _cli_list(db_url: str, now: str, *args: str) -> list[dict[str, object]]:
    return json.loads(ok(dondoc(db_url, "assignments", "list", "--json", *args, now=now)))


def _status_by_agency(db_url: str, now: str) -> dict[str, int]:
    rows = json.loads(ok(dondoc(db_url, "status", "--by", "agency", "--json", now=now)))["rows"]
    return {r["key"]: sum(r["counts"].values()) for r in rows}


def test_the_command_lines_list_selects_by_the_body_that_held_the_work_then(
    web: WebEnv, db_url: str, tmp_path: Path
) -> None:
    moved = _moved(web, tmp_path)
    listed = _cli_list(db_url, PAST_ARG, "--agency", OLD)
    assert {r["id"] for r in listed} == moved
    assert {(r["agency_code"], r["agency_name"]) for r in listed} == {(OLD, OLD_NAME)}
    assert not {r["id"] for r in _cli_list(db_url, PAST_ARG, "--agency", NEW)} & moved
    # the unfiltered list names the body of then beside them
    every = {r["id"]: r["agency_code"] for r in _cli_list(db_url, PAST_ARG)}
    assert {every[i] for i in moved} == {OLD}
    # each body's list as many parts as `dondoc status --by agency` counts for it at that instant
    counted = _status_by_agency(db_url, PAST_ARG)
    assert counted[OLD] == len(moved) and NEW not in counted
    for code, n in counted.items():
        assert len(_cli_list(db_url, PAST_ARG, "--agency", code)) == n, code
    text = ok(dondoc(db_url, "assignments", "list", "--agency", OLD, now=PAST_ARG))
    assert text.rstrip().endswith(f"{len(moved)} phần việc")

    # at today's instant, the holder now
    today = _cli_list(db_url, TODAY_ARG, "--agency", NEW)
    assert moved <= {r["id"] for r in today} and {r["agency_code"] for r in today} == {NEW}
    assert not _cli_list(db_url, TODAY_ARG, "--agency", OLD)
    counted = _status_by_agency(db_url, TODAY_ARG)
    assert len(today) == counted[NEW] and OLD not in counted


def test_the_apis_list_selects_by_the_body_that_held_the_work_then(web: WebEnv, tmp_path: Path) -> None:
    moved = _moved(web, tmp_path)
    web.clock.set(PAST)
    secretariat = web.api_token("secretariat")
    listed = web.client.get(f"/api/v1/assignments?agency={OLD}", headers=secretariat).json()
    assert {r["id"] for r in listed} == moved and {r["agency_name"] for r in listed} == {OLD_NAME}
    assert not {r["id"] for r in web.client.get(f"/api/v1/assignments?agency={NEW}", headers=secretariat).json()}
    every = {r["id"]: r["agency_code"] for r in web.client.get("/api/v1/assignments", headers=secretariat).json()}
    assert {every[i] for i in moved} == {OLD}
    # a body's own token: the work it held then, as its row of the API's board counts it
    own = web.client.get("/api/v1/assignments", headers=web.api_token("agency", OLD)).json()
    assert {r["id"] for r in own} == moved
    (row,) = web.client.get("/api/v1/board", headers=web.api_token("agency", OLD)).json()["agencies"]
    assert sum(row["counts"].values()) == len(own)

    web.clock.set(TODAY)
    now = web.client.get(f"/api/v1/assignments?agency={NEW}", headers=secretariat).json()
    assert moved <= {r["id"] for r in now} and {r["agency_code"] for r in now} == {NEW}
    assert not web.client.get(f"/api/v1/assignments?agency={OLD}", headers=secretariat).json()


def test_a_bodys_own_page_lists_the_work_it_held_then(web: WebEnv, tmp_path: Path) -> None:
    moved = _moved(web, tmp_path)
    web.clock.set(PAST)
    old, new = web.link(f"agency:{OLD}"), web.link(f"agency:{NEW}")
    page = web.client.get(f"/a/{old}?all=1")
    assert page.status_code == 200, page.text
    assert set(_parts_of(page.text, old)) == moved
    assert not set(_parts_of(web.client.get(f"/a/{new}?all=1").text, new)) & moved
    assert set(_parts_of(web.client.get(f"/a/{old}").text, old)) <= moved

    web.clock.set(TODAY)
    assert moved <= set(_parts_of(web.client.get(f"/a/{new}?all=1").text, new))


def _parts_of(html: str, token: str) -> list[int]:
    return [int(i) for i in re.findall(rf'href="/a/{re.escape(token)}/assignments/(\d+)"', html)]


def test_a_plans_and_an_items_pages_name_and_select_the_body_that_held_the_work_then(
    web: WebEnv, tmp_path: Path
) -> None:
    moved = _moved(web, tmp_path)
    with Session(web.engine) as session:
        statement = (
            select(PlanItem.id, PlanItem.plan_id)
            .join(Milestone, col(Milestone.item_id) == col(PlanItem.id))
            .join(Assignment, col(Assignment.milestone_id) == col(Milestone.id))
            .where(col(Assignment.id).in_(moved))
        )
        ((item_id, plan_id),) = set(session.exec(statement).all())
    web.login()
    web.clock.set(PAST)
    plan = _linked(web.client.get(f"/board/plans/{plan_id}").text)
    assert {plan[i] for i in moved} == {OLD_NAME}
    assert set(_linked(web.client.get(f"/board/plans/{plan_id}?agency={OLD}").text)) == moved
    assert not set(_linked(web.client.get(f"/board/plans/{plan_id}?agency={NEW}").text)) & moved
    assert moved <= set(_linked(web.client.get(f"/board/plans/{plan_id}?group=ubnd-cap-huyen").text))
    item = _linked(web.client.get(f"/board/items/{item_id}").text)
    assert {item[i] for i in moved} == {OLD_NAME}

    web.clock.set(TODAY)
    plan = _linked(web.client.get(f"/board/plans/{plan_id}").text)
    assert {plan[i] for i in moved} == {NEW_NAME}
    assert moved <= set(_linked(web.client.get(f"/board/plans/{plan_id}?agency={NEW}").text))
    assert not set(_linked(web.client.get(f"/board/plans/{plan_id}?agency={OLD}").text))
    assert {_linked(web.client.get(f"/board/items/{item_id}").text)[i] for i in moved} == {NEW_NAME}


def test_at_todays_instant_the_lists_run_the_statements_they_always_ran(web: WebEnv, tmp_path: Path) -> None:
    """After one probe of the transfers after the day (transfer_origins.passed_after), a list read at
    today's instant selects its rows as it always did, without reading who held them before
    (``held_then``); at the look-back, its rows' statement reads it."""
    _moved(web, tmp_path)
    web.login()
    secretariat = web.api_token("secretariat")
    link = web.link(f"agency:{NEW}")
    with Session(web.engine) as session:
        item_id, plan_id = session.exec(select(PlanItem.id, PlanItem.plan_id).limit(1)).one()
    urls = (f"/a/{link}?all=1", f"/board/plans/{plan_id}?agency={NEW}", f"/board/items/{item_id}")
    urls += (f"/api/v1/assignments?agency={NEW}",)
    for instant, reads in ((TODAY, False), (PAST, True)):
        web.clock.set(instant)
        for url in urls:
            with statements_of(web.engine) as seen:
                assert web.client.get(url, headers=secretariat).status_code == 200, url
            # the rows' statement: paged (the summary's counts beside an agency's list read held_then always)
            assert any("held_then" in s and "LIMIT" in s for s in seen) is reads, (url, instant)
        with statements_of(web.engine) as seen, Session(web.engine) as session:
            list_assignments(session, instant, agency=NEW)
        assert any("held_then" in s for s in seen) is reads, instant
