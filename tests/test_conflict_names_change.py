"""A step refused because the part changed since it was read names that change, as the part's history
says it: what was done, by whom, when; "người khác" only of another account or body. A clerk's own
bulk "Yêu cầu giải trình", then a bulk "Hủy" from the same list, had read "Dữ liệu đã được người khác
thay đổi: Phần việc 3562 vừa được người khác thay đổi (đã đọc phiên bản 1, hiện là phiên bản 2)"."""

from __future__ import annotations

import json
import re
from datetime import date, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from dondoc.engine.actors import SECRETARIAT, Actor
from dondoc.engine.clock import LOCAL_TZ, FrozenClock
from dondoc.engine.errors import Conflict
from dondoc.engine.models import Assignment, Event, State
from dondoc.engine.services.accounts import add_user
from dondoc.engine.services.assignments import Request, act
from dondoc.engine.workflow import Action
from tests.factories import assignment_for, load_min_catalog
from tests.support.catalogs import MIN_CATALOG
from tests.support.cli import dondoc, ok
from tests.support.databases import act_behind
from tests.support.web import ITEM, PASSWORD, WebEnv, csrf_of

AFTER_FIRST_DUE = datetime(2022, 7, 5, 9, 0, tzinfo=LOCAL_TZ)
LATE = ("ubnd-binh-son", "ubnd-ly-son")
# the part as a refusal names it (engine.services.part_words): Sở Nội vụ's of II.1's first milestone
PART = "Phần việc của Sở Nội vụ ở nhiệm vụ 99/KH-TEST:II.1 (Phê duyệt cấp độ)"


def _ticks(client: TestClient, path: str) -> dict[int, str]:
    """The checkbox values a list page writes for its rows, by the row's id: what a browser sends."""
    return {int(row): value for value, row in re.findall(r'name="id" value="((\d+):\d+)"', client.get(path).text)}


def _bulk(client: TestClient, ticks: list[str], **fields: str) -> str:
    csrf = csrf_of(client.get("/board/assignments").text)
    response = client.post("/board/bulk", data={"csrf": csrf, "id": ticks, **fields})
    assert response.status_code == 200, response.text
    return response.text


def _states(engine: Engine, ids: list[int]) -> set[str]:
    with Session(engine) as session:
        return {row.state for row in session.exec(select(Assignment).where(Assignment.id.in_(ids))).all()}  # type: ignore[union-attr]


def test_a_clerks_own_bulk_step_then_another_from_the_same_list_is_named_not_blamed_on_others(
    web: WebEnv,
) -> None:
    web.clock.set(AFTER_FIRST_DUE)
    web.login()
    late = [web.assignment(ITEM, code) for code in LATE]
    shown = _ticks(web.client, "/board/assignments")  # the list, loaded once
    before = _states(web.engine, late)
    ticks = [shown[i] for i in late]
    asked = _bulk(web.client, ticks, action="request_explanation", comment="Vì sao chậm?")
    assert "đã thực hiện 2, bị từ chối 0" in asked, asked
    page = _bulk(web.client, ticks, action="cancel", comment="Không còn phù hợp")  # the same list, not reloaded
    assert "đã thực hiện 0, bị từ chối 2" in page, page
    refused = page.split('id="bulk-refused"', 1)[1]
    # each row's line: its part named by the row, "phần việc này" in the sentence
    said = (
        "Phần việc này đã thay đổi sau khi trang được mở: Yêu cầu giải trình, do Tổ giúp việc "
        "(tgv) lúc 05/07/2022 09:00; mở lại trang để xem tình trạng hiện tại."
    )
    assert refused.count(f": {said}</li>") == len(late), refused
    assert "người khác" not in page
    assert _states(web.engine, late) == before and State.CANCELLED.value not in before  # nothing cancelled


def _second_clerk(web: WebEnv) -> TestClient:
    with Session(web.engine) as session:
        add_user(session, "tgv2", PASSWORD, now=web.clock.now(), display_name="Nguyễn Văn B")
        session.commit()
    client = TestClient(web.app, follow_redirects=False)
    token = csrf_of(client.get("/login").text)
    assert client.post("/login", data={"username": "tgv2", "password": PASSWORD, "csrf": token}).status_code in (
        200,
        303,
    )
    return client


def test_a_step_on_a_page_another_clerk_changed_says_who_and_what(web: WebEnv) -> None:
    web.login()
    target = web.assignment(ITEM, "so-noi-vu")
    page = f"/board/assignments/{target}"
    mine = web.form(page)  # clerk tgv opens the part's page
    other = _second_clerk(web)
    theirs = {"csrf": csrf_of(other.get(page).text), "version": mine["version"]}
    snoozed = other.post(f"{page}/act", data={**theirs, "action": "snooze", "due": "2022-04-01"})
    assert snoozed.status_code == 303, snoozed.text
    web.clock.advance(timedelta(minutes=7))  # the clerk acts a while after the other
    stale = web.client.post(f"{page}/act", data={**mine, "action": "extend", "due": "2022-09-30"})
    assert stale.status_code == 409, stale.text
    text = " ".join(stale.text.split())
    assert (
        f"{PART} đã được người khác thay đổi sau khi trang được mở: Tạm dừng nhắc việc, do Tổ giúp "
        "việc (tgv2) lúc 02/03/2022 08:00; mở lại trang để xem tình trạng hiện tại." in text
    ), text
    assert "Dữ liệu đã được người khác thay đổi" not in text


def test_a_second_tab_of_the_same_clerk_is_not_told_someone_else_changed_it(web: WebEnv) -> None:
    web.login()
    target = web.assignment(ITEM, "so-noi-vu")
    page = f"/board/assignments/{target}"
    first, second = web.form(page), web.form(page)  # two tabs on the same part
    assert web.client.post(f"{page}/act", data={**first, "action": "snooze", "due": "2022-04-01"}).status_code == 303
    stale = web.client.post(f"{page}/act", data={**second, "action": "extend", "due": "2022-09-30"})
    assert stale.status_code == 409, stale.text
    text = " ".join(stale.text.split())
    assert "người khác" not in text, text
    assert (
        f"{PART} đã thay đổi sau khi trang được mở: Tạm dừng nhắc việc, do Tổ giúp việc (tgv) "
        "lúc 02/03/2022 08:00; mở lại trang để xem tình trạng hiện tại." in text
    ), text


def test_the_api_names_the_change_and_the_version_read(web: WebEnv) -> None:
    headers = web.api_token("agency", "so-noi-vu")
    target = web.assignment(ITEM, "so-noi-vu")
    version = web.client.get(f"/api/v1/assignments/{target}", headers=headers).json()["version"]
    body = {"action": "acknowledge", "expected_version": version}
    assert web.client.post(f"/api/v1/assignments/{target}/actions", json=body, headers=headers).status_code == 200
    stale = web.client.post(
        f"/api/v1/assignments/{target}/actions",
        json={"action": "progress", "percent": 50, "expected_version": version},
        headers=headers,
    )
    assert stale.status_code == 409 and stale.json()["error"] == "conflict"
    message = stale.json()["message"]
    assert message == (
        f"{PART} đã thay đổi sau phiên bản {version} đã đọc (nay là phiên bản {version + 1}): "
        "Tiếp nhận, do Sở Nội vụ (test agency) lúc 02/03/2022 08:00; đọc lại phần việc để xem tình trạng hiện tại."
    ), message


def test_the_engine_names_several_changes_by_the_latest(engine: Engine, clock: FrozenClock) -> None:
    """What the command line prints (``assignments act --expect-version``): two steps since the version
    read, the latest named as such; the agency's step is another body's, the clerk's is not."""
    with Session(engine) as session:
        load_min_catalog(session, clock.now(), MIN_CATALOG)
        target = assignment_for(session, ITEM, "so-noi-vu").id or 0
        session.commit()
    with Session(engine) as session:
        act(session, target, Request(Action.ACKNOWLEDGE, Actor.agency("so-noi-vu")), now=clock.now())
        snooze = Request(Action.SNOOZE, SECRETARIAT, due=date(2022, 4, 1), account="tgv")
        act(session, target, snooze, now=clock.now())
        session.commit()
    with Session(engine) as session:
        stale = Request(Action.EXTEND, SECRETARIAT, due=date(2022, 9, 30), expected_version=1, account="tgv")
        with pytest.raises(Conflict) as refused:
            act(session, target, stale, now=clock.now())
        session.rollback()
    assert str(refused.value) == (
        f"{PART} đã thay đổi sau phiên bản 1 đã đọc (nay là phiên bản 3); thay đổi gần nhất: "
        "Tạm dừng nhắc việc, do Tổ giúp việc (tgv) lúc 02/03/2022 08:00; đọc lại phần việc để xem tình trạng hiện tại."
    )
    with Session(engine) as session:  # the agency, at the version its acknowledgement left: the clerk's step since
        stale = Request(Action.PROGRESS, Actor.agency("so-noi-vu"), percent=10, expected_version=2)
        with pytest.raises(Conflict) as by_clerk:
            act(session, target, stale, now=clock.now())
        session.rollback()
    assert "đã được người khác thay đổi sau phiên bản 2 đã đọc (nay là phiên bản 3): Tạm dừng nhắc việc" in str(
        by_clerk.value
    )
    with Session(engine) as session:
        events = session.exec(select(Event).where(Event.assignment_id == target)).all()
        assert [e.action for e in events][-1] == "snooze"  # nothing written by the refusals


@pytest.mark.postgres
def test_a_step_that_lost_the_race_names_the_step_that_won(pg_engine: Engine, clock: FrozenClock) -> None:
    """Both read version 1; the first holds the row, the second waits, then is refused: the change it
    lost to is named, though it was committed after the loser read the row."""
    with Session(pg_engine) as setup:
        load_min_catalog(setup, clock.now(), MIN_CATALOG)
        target = assignment_for(setup, ITEM, "so-noi-vu").id or 0
        setup.commit()
    actor = Actor.agency("so-noi-vu")
    with Session(pg_engine) as first:
        act(first, target, Request(Action.ACKNOWLEDGE, actor, account="a"), now=clock.now())
        lost = act_behind(first, pg_engine, target, Request(Action.ACKNOWLEDGE, actor, account="b"), clock.now())
    assert isinstance(lost, Conflict)
    assert str(lost) == (
        f"{PART} đã được người khác thay đổi sau phiên bản 1 đã đọc (nay là phiên bản 2): Tiếp nhận, "
        "do Sở Nội vụ (a) lúc 02/03/2022 08:00; đọc lại phần việc để xem tình trạng hiện tại."
    )


def test_the_command_line_names_the_change_since_the_version_it_was_given(db_url: str) -> None:
    ok(dondoc(db_url, "db", "upgrade"))
    ok(dondoc(db_url, "catalog", "load", "--dir", str(MIN_CATALOG), now="2022-03-02"))
    rows = json.loads(ok(dondoc(db_url, "assignments", "list", "--agency", "so-noi-vu", "--json", now="2022-03-02")))
    target = str(next(r["id"] for r in rows if r["item_code"] == ITEM and r["milestone_seq"] == 1))
    clerk = ["--as", "secretariat", "--user", "tgv"]
    ok(dondoc(db_url, "assignments", "act", target, "snooze", *clerk, "--due", "2022-04-01", now="2022-03-10T10:05"))
    stale = dondoc(
        db_url, "assignments", "act", target, "extend", *clerk, "--due", "2022-09-30", "--expect-version", "1",
        now="2022-03-10T10:30",
    )  # fmt: skip
    assert stale.returncode == 1 and stale.stdout == ""
    assert stale.stderr == (
        f"dondoc: lỗi: {PART} đã thay đổi sau phiên bản 1 đã đọc (nay là phiên bản 2): Tạm dừng nhắc "
        "việc, do Tổ giúp việc (tgv) lúc 10/03/2022 10:05; đọc lại phần việc để xem tình trạng hiện tại.\n"
    )
