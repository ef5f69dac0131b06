"""Work cancelled before its giving day, on both databases: cancelled, not "not yet given".

A reorganisation cancels a body's later period's report before the day it is given (the secretariat
cancels the work that waited in "Cần phân công lại", or a successor taking the lead over has its own
partner part closed). Its category had been judged "not yet due" first, whatever its state, until
its giving day: at the instants between, the board counted it under "Chưa đến hạn" (and "chưa giao"),
its line said "Chưa giao (giao ngày …)" of work that will never be given, the desk's ``?state=cancelled``
missed it and ``?state=assigned`` listed it. Cancelled by the instant read, it is "Đã hủy", given or
not; before its cancellation and its giving day it was nobody's yet, as any work not yet given."""

from __future__ import annotations

import html
import re
from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import update
from sqlmodel import Session, col

from dondoc.engine.actors import SECRETARIAT, Actor
from dondoc.engine.clock import LOCAL_TZ
from dondoc.engine.db import plain
from dondoc.engine.errors import TransitionNotAllowed
from dondoc.engine.models import Assignment
from dondoc.engine.services.assignments import Request, act
from dondoc.engine.services.queries import base_query, category_counts, get_assignment, to_view
from dondoc.engine.status import Category, state_at_sql
from dondoc.engine.workflow import Action
from tests.support.desk import table_rows
from tests.support.web import WebEnv

TASK = "99/KH-TEST:II.1"
CANCELLED = datetime(2022, 5, 10, 10, 0, tzinfo=LOCAL_TZ)  # cancelled on 10/05 …
GIVEN = datetime(2022, 6, 1, 0, 0, tzinfo=LOCAL_TZ)  # … before the day it was to be given, 01/06
BEFORE, BETWEEN, AFTER = (datetime(2022, m, d, 10, 0, tzinfo=LOCAL_TZ) for m, d in ((4, 25), (5, 20), (6, 20)))
STATES = ("assigned", "in_progress", "reported", "verified", "cancelled")


def _cancelled_before_given(web: WebEnv) -> tuple[int, int]:
    """Sở TT&TT's part, to be given on 01/06 and cancelled on 10/05; Sở Nội vụ's, to be given on 01/06
    and left open (work not yet given, to compare)."""
    cancelled, open_ = web.assignment(TASK, "so-tttt"), web.assignment(TASK, "so-noi-vu")
    with Session(web.engine) as session:
        act(session, cancelled, Request(Action.CANCEL, SECRETARIAT, comment="Cơ quan đã giải thể."), now=CANCELLED)
        session.commit()
        moved = update(Assignment).where(col(Assignment.id).in_([cancelled, open_])).values(assigned_at=GIVEN)
        session.execute(moved)
        session.commit()
    return cancelled, open_


def _state_cell(page: str, assignment_id: int) -> str:
    row = re.search(rf'<tr data-id="{assignment_id}".*?</tr>', page, re.S)
    assert row, assignment_id
    cells = re.findall(r"<td>(.*?)</td>", row.group(0), re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", cells[-2])).split())


NOT_GIVEN = "Chưa giao (giao ngày 01/06/2022)"
# what each part says, and which state's filter lists it, at each instant
EXPECTED: dict[datetime, dict[str, tuple[str, str, str]]] = {
    BEFORE: {"cancelled": ("assigned", Category.NOT_YET_DUE, NOT_GIVEN), "open": ("assigned", "", NOT_GIVEN)},
    BETWEEN: {"cancelled": ("cancelled", Category.CANCELLED, "Đã hủy"), "open": ("assigned", "", NOT_GIVEN)},
    AFTER: {"cancelled": ("cancelled", Category.CANCELLED, "Đã hủy"), "open": ("assigned", "", "Đã giao")},
}


def test_each_line_says_cancelled_once_cancelled_given_or_not(web: WebEnv) -> None:
    """The part's view (its page, the API, ``assignments list``), the SQL the filters select by, and
    the board's count, at 25/04 (nobody's yet), 20/05 (cancelled, never given: it had said "Chưa giao
    (giao ngày 01/06/2022)" and counted under "Chưa đến hạn") and 20/06."""
    cancelled, open_ = _cancelled_before_given(web)
    with Session(web.engine) as session:
        for now, expected in EXPECTED.items():
            state, category, label = expected["cancelled"]
            view = get_assignment(session, cancelled, now)
            assert (view.state, view.category, view.state_label) == (state, category.value, label), now
            assert get_assignment(session, open_, now).state_label == expected["open"][2], now
            # the filters' SQL says the same state as the line (engine.status.state_at_sql)
            found = plain(session, base_query(now).add_columns(state_at_sql(now))).all()
            by_id = {row[0]: row for row in found}
            assert by_id[cancelled][-1] == to_view(by_id[cancelled], now).state == state, now
            counts = category_counts(session, now)[0]
            assert counts.counts[Category.CANCELLED.value] == (0 if now == BEFORE else 1), now
            assert counts.not_given == (2 if now == BEFORE else 1 if now == BETWEEN else 0), now


def test_a_refused_action_says_it_is_cancelled(web: WebEnv) -> None:
    """Sở TT&TT acknowledging its part on 20/05, cancelled on 10/05 before its giving day: refused, the
    part "Đã hủy" (it had said "Chưa giao (giao ngày 01/06/2022)" of work that will never be given)."""
    cancelled, _ = _cancelled_before_given(web)
    with Session(web.engine) as session:
        with pytest.raises(TransitionNotAllowed) as refused:
            act(session, cancelled, Request(Action.ACKNOWLEDGE, Actor.agency("so-tttt")), now=BETWEEN)
    assert 'đang ở trạng thái "Đã hủy"' in str(refused.value)


def test_the_desks_filter_by_state_lists_it_under_the_state_its_line_says(web: WebEnv) -> None:
    """``?state=cancelled`` lists the part once cancelled (at 20/05 it had not, and ``?state=assigned``
    had); before, ``?state=assigned`` lists it with the work not yet given, each line saying so."""
    cancelled, open_ = _cancelled_before_given(web)
    web.login()
    for now, expected in EXPECTED.items():
        web.clock.set(now)
        page = web.client.get("/board/assignments").text
        said: dict[int, Any] = {i: _state_cell(page, i) for i in (cancelled, open_)}
        assert said == {cancelled: expected["cancelled"][2], open_: expected["open"][2]}, now
        for state in STATES:
            listed = {
                int(i) for i in table_rows(web.client.get(f"/board/assignments?state={state}").text, "assignments")
            }
            wanted = {i for i, part in ((cancelled, "cancelled"), (open_, "open")) if expected[part][0] == state}
            assert {i for i in (cancelled, open_) if i in listed} == wanted, (now, state)
