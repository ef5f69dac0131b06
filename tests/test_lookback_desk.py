"""The secretariat's desk read at a past instant (the web clock set before what the database holds),
on both databases: the filtered list says each part's state then, and the board's header says its
queue counts are the database's now, not the instant's.

Read on the 2022 replay's database at 01/03/2022, the desk's list said "Đã xác nhận" of work reported
and verified after 01/03; the board's header, under "tính đến 01/03/2022", said "Chờ xác nhận: 20"
where a replay stopped on 01/03 says 7, with nothing saying whose day that count was."""

from __future__ import annotations

import html
import re
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import update
from sqlmodel import Session, col, select

from dondoc.engine.actors import SECRETARIAT, Actor
from dondoc.engine.clock import LOCAL_TZ
from dondoc.engine.db import plain
from dondoc.engine.models import Assignment, State
from dondoc.engine.models.assignments import STATE_LABELS_VI
from dondoc.engine.services.assignments import Request, act
from dondoc.engine.services.queries import base_query, status_condition, to_view
from dondoc.engine.services.queues import QUEUES
from dondoc.engine.status import state_at_sql
from dondoc.engine.workflow import Action
from tests.factories import load_min_catalog
from tests.support.catalogs import MIN_CATALOG
from tests.support.desk import header_counts, table_rows
from tests.support.web import WebEnv, shown_count

TASK = "99/KH-TEST:II.1"  # its first milestone due "trước ngày 30/6/2022"
LOADED = datetime(2022, 3, 2, 8, 0, tzinfo=LOCAL_TZ)  # the minimal catalog's clock


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


QUEUE_NOTE = "Việc chờ xử lý (số đếm và danh sách) là theo dữ liệu hiện nay"
BOARD_NOTE = "Số việc chờ xử lý là theo dữ liệu hiện nay"  # the board shows the queues' counts, no list


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
    assert BOARD_NOTE not in today
    web.clock.set(_at(date(2022, 4, 15)))
    then = web.client.get("/board").text
    assert header_counts(then)["cho-xac-nhan"] == 1  # today's count, said to be today's
    note = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", then)).split())
    assert f"{BOARD_NOTE} (ghi đến ngày 20/04/2022), không phải tại 15/04/2022" in note
    assert "được đếm theo trạng thái hiện nay" in note and "danh sách" not in note.split(BOARD_NOTE)[1][:200]


STATES = ("assigned", "in_progress", "reported", "verified", "cancelled")


def test_the_desks_filter_by_state_selects_the_parts_in_that_state_then(web: WebEnv) -> None:
    """The four parts of the first test read at 25/04: each state's filter lists the parts whose line
    says that state then, and its total counts them; it had selected by the state now (``?state=verified``
    listed Sở Nội vụ's part, verified on 09/05, in progress then, under "Đã xác nhận" of no line,
    and ``?state=cancelled`` Sở TT&TT's, cancelled on 10/05, whose line said "Đã giao")."""
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
    for day, reading in ((date(2022, 4, 25), "then"), (date(2022, 5, 20), "today")):
        web.clock.set(_at(day))
        every = web.client.get("/board/assignments").text
        said = {i: _state_cell(every, i) for i in ids.values()}
        for state in STATES:
            page = web.client.get(f"/board/assignments?state={state}").text
            listed = {int(i) for i in table_rows(page, "assignments")}
            label = STATE_LABELS_VI[State(state)]
            assert {i for i in ids.values() if i in listed} == {i for i, s in said.items() if s == label}, (
                reading,
                state,
            )
            # every line the filter lists says the state it selects, and the total counts them
            assert all(_state_cell(page, i) == label for i in listed), (reading, state)
            total = re.search(r'<span id="total">([^<]*)</span>', page)
            assert total and shown_count(total.group(1)) == len(listed), (reading, state)


def test_each_queue_page_at_a_past_instant_says_its_rows_are_todays(web: WebEnv) -> None:
    """Each queue's page read at a past instant lists its rows as they are now (UBND Bình Sơn's report
    of 20/04 is in "Chờ xác nhận" on 15/04 all the same): it says so at its top, in the board's words,
    with the day the database was last written; read today, it says nothing of the kind."""
    part = web.assignment(TASK, "ubnd-binh-son")
    _do(web, part, Action.ACKNOWLEDGE, Actor.agency("ubnd-binh-son"), _at(date(2022, 3, 11)))
    _do(web, part, Action.REPORT, Actor.agency("ubnd-binh-son"), _at(date(2022, 4, 20)))
    web.login()
    for day, noted in ((date(2022, 4, 21), False), (date(2022, 4, 15), True)):
        web.clock.set(_at(day))
        for queue in QUEUES:
            page = web.client.get(f"/board/{queue.slug}")
            assert page.status_code == 200, (queue.slug, page.text)
            words = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page.text)).split())
            said = f"{QUEUE_NOTE} (ghi đến ngày 20/04/2022), không phải tại 15/04/2022" in words
            assert said is noted, (queue.slug, day)
    assert str(part) in web.client.get("/board/cho-xac-nhan").text  # today's row, said to be today's


def test_the_sql_and_the_python_state_then_agree(session: Session) -> None:
    """engine.status.state_at_sql (what a filter by state selects by) and state_at (what each line says,
    of the row's category then) give every part the same state, read before, between and after its
    acknowledgement, report, verification and cancellation, in every state it may be in now (and the
    state's narrowing, STATES_SINCE, leaves none of them out)."""
    load_min_catalog(session, LOADED, MIN_CATALOG)
    stamps = [_at(date(2022, 3, d)) for d in (10, 15, 20, 25)]
    shapes = [  # state now, acknowledged, reported, verified, closed
        (State.ASSIGNED, None, None, None, None),
        (State.ASSIGNED, stamps[0], None, None, None),  # back to "given" with an acknowledgement kept
        (State.IN_PROGRESS, None, None, None, None),  # back at work with no acknowledgement of its own
        (State.IN_PROGRESS, stamps[0], None, None, None),
        (State.REPORTED, stamps[0], stamps[1], None, None),
        (State.REPORTED, None, stamps[1], None, None),
        (State.VERIFIED, stamps[0], stamps[1], stamps[2], None),
        (State.VERIFIED, None, stamps[1], None, None),
        (State.CANCELLED, stamps[0], None, None, stamps[2]),
        (State.CANCELLED, stamps[0], stamps[1], None, stamps[2]),
        (State.CANCELLED, None, None, None, None),
    ]
    rows = session.exec(select(Assignment).order_by(col(Assignment.id))).all()
    assert len(rows) >= len(shapes)
    for row, (state, acknowledged, reported, verified, closed) in zip(rows, shapes, strict=False):
        values = {
            "state": state.value,
            "acknowledged_at": acknowledged,
            "reported_at": reported,
            "verified_at": verified,
            "closed_at": closed,
        }
        session.execute(update(Assignment).where(col(Assignment.id) == row.id).values(**values))
    session.commit()
    seen: set[str] = set()
    for now in (_at(date(2022, 3, 5)), *(s + timedelta(hours=1) for s in stamps)):
        statement = base_query(now).add_columns(state_at_sql(now))
        found = plain(session, statement).all()
        python = {row[0]: to_view(row, now).state for row in found}  # the line's rule (engine.status.state_at)
        assert {row[0]: row[-1] for row in found} == python, now
        for state in STATES:
            picked = session.exec(select(col(Assignment.id)).where(status_condition(state, now))).all()
            assert set(picked) == {i for i, s in python.items() if s == state}, (now, state)
        seen |= set(python.values())
    assert seen == set(STATES)
