"""The secretariat's desk read at a past instant (the web clock set before what the database holds),
on both databases: the filtered list says each part's state then, and the board's header says its
queue counts are the database's now, not the instant's.

Read on the 2022 replay's database at 01/03/2022, the desk's list said "Đã xác nhận" of work reported
and verified after 01/03; the board's header, under "tính đến 01/03/2022", said "Chờ xác nhận: 20"
where a replay stopped on 01/03 says 7, with nothing saying whose day that count was."""

from __future__ import annotations

import html
import re
from datetime import date, datetime
from typing import Any

from sqlmodel import Session

from dondoc.engine.actors import SECRETARIAT, Actor
from dondoc.engine.clock import LOCAL_TZ
from dondoc.engine.services.assignments import Request, act
from dondoc.engine.workflow import Action
from tests.support.desk import header_counts
from tests.support.web import WebEnv

TASK = "99/KH-TEST:II.1"  # its first milestone due "trước ngày 30/6/2022"


def _at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=LOCAL_TZ)


def _do(web: WebEnv, assignment_id: int, action: Action, actor: Actor, when: datetime, **kw: Any) -> None:
    with Session(web.engine) as session:
        act(session, assignment_id, Request(action, actor, comment="Nội dung.", **kw), now=when)
        session.commit()


def _state_cell(page: str, assignment_id: int) -> str:
    """The state a row of the desk's list says (its next-to-last cell)."""
    row = re.search(rf'<tr data-id="{assignment_id}".*?</tr>', page, re.S)
    assert row, assignment_id
    cells = re.findall(r"<td>(.*?)</td>", row.group(0), re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", cells[-2])).split())


def test_the_desks_list_says_the_state_each_part_was_in_then(web: WebEnv) -> None:
    """Read at 25/04: Sở Nội vụ acknowledged in March, reported on 05/05 and was verified on 09/05
    (in progress then); UBND Bình Sơn reported on 20/04 and was verified on 28/04 (reported then);
    Sở TT&TT's part, cancelled on 10/05 untouched, was given then; VP UBND acknowledged in March and
    was given more time on 02/05 (its row rewritten since, replayed from its history: in progress
    then). The list had said "Đã xác nhận", "Đã xác nhận", "Đã hủy" and "Đã giao"."""
    ids = {code: web.assignment(TASK, code) for code in ("so-noi-vu", "ubnd-binh-son", "so-tttt", "vp-ubnd")}
    inside, reported, cancelled, extended = (ids[c] for c in ("so-noi-vu", "ubnd-binh-son", "so-tttt", "vp-ubnd"))
    _do(web, inside, Action.ACKNOWLEDGE, Actor.agency("so-noi-vu"), _at(date(2022, 3, 10)))
    _do(web, extended, Action.ACKNOWLEDGE, Actor.agency("vp-ubnd"), _at(date(2022, 3, 10)))
    _do(web, reported, Action.ACKNOWLEDGE, Actor.agency("ubnd-binh-son"), _at(date(2022, 3, 11)))
    _do(web, reported, Action.REPORT, Actor.agency("ubnd-binh-son"), _at(date(2022, 4, 20)))
    _do(web, reported, Action.VERIFY, SECRETARIAT, _at(date(2022, 4, 28)))
    _do(web, extended, Action.EXTEND, SECRETARIAT, _at(date(2022, 5, 2)), due=date(2022, 7, 29))
    _do(web, inside, Action.REPORT, Actor.agency("so-noi-vu"), _at(date(2022, 5, 5)))
    _do(web, inside, Action.VERIFY, SECRETARIAT, _at(date(2022, 5, 9)))
    _do(web, cancelled, Action.CANCEL, SECRETARIAT, _at(date(2022, 5, 10)))
    web.login()
    web.clock.set(_at(date(2022, 4, 25)))
    page = web.client.get("/board/assignments").text
    said = {i: _state_cell(page, i) for i in (inside, reported, cancelled, extended)}
    assert said == {inside: "Đang thực hiện", reported: "Đã báo cáo", cancelled: "Đã giao", extended: "Đang thực hiện"}
    # today, as they are
    web.clock.set(_at(date(2022, 5, 20)))
    page = web.client.get("/board/assignments").text
    said = {i: _state_cell(page, i) for i in (inside, reported, cancelled, extended)}
    assert said == {inside: "Đã xác nhận", reported: "Đã xác nhận", cancelled: "Đã hủy", extended: "Đang thực hiện"}


QUEUE_NOTE = "Số việc chờ xử lý dưới đây là số theo dữ liệu hiện nay"


def test_the_boards_queue_counts_at_a_past_instant_are_said_to_be_todays(web: WebEnv) -> None:
    """UBND Bình Sơn reported on 20/04: the board of 15/04 counts it in "Chờ xác nhận" all the same
    (the queues count each row as it is now), and says so beside the counts, with the day the
    database was last written; the board of today says nothing of the kind."""
    part = web.assignment(TASK, "ubnd-binh-son")
    _do(web, part, Action.ACKNOWLEDGE, Actor.agency("ubnd-binh-son"), _at(date(2022, 3, 11)))
    _do(web, part, Action.REPORT, Actor.agency("ubnd-binh-son"), _at(date(2022, 4, 20)))
    web.login()
    web.clock.set(_at(date(2022, 4, 21)))
    today = web.client.get("/board").text
    assert header_counts(today)["cho-xac-nhan"] == 1
    assert QUEUE_NOTE not in today
    web.clock.set(_at(date(2022, 4, 15)))
    then = web.client.get("/board").text
    assert header_counts(then)["cho-xac-nhan"] == 1  # today's count, said to be today's
    note = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", then)).split())
    assert f"{QUEUE_NOTE} (ghi đến ngày 20/04/2022), không phải tại 15/04/2022" in note
