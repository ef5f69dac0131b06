"""A look-back (the leaders' page or the board read at a past instant, `--now`) says of each part it
lists as overdue what was true at that instant: its state then and its working days late then, not
what a report, a verification or an acknowledgement written after the instant made of its row.

Read on the 2022 replay's database at 01/03/2022, the leaders' page listed Sở TN&MT's part of
/TB-UBND:II.2.b (due 28/02/2022, reported on 09/03) as "Quá hạn 1 ngày làm việc | Đã xác nhận", and
Sở TT&TT's part of II.3.b (acknowledged on 24/01, its row rewritten on 10/03) as "Đã giao"; the
command line's list said of the first "Quá hạn 7 ngày làm việc", counted to its report of 09/03."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from sqlmodel import Session

from dondoc.engine.actors import SECRETARIAT, Actor
from dondoc.engine.clock import LOCAL_TZ
from dondoc.engine.models import State
from dondoc.engine.services.assignments import Request, act
from dondoc.engine.services.overdue_lists import overdue_now
from dondoc.engine.services.queries import get_assignment
from dondoc.engine.status import days_late
from dondoc.engine.workcalendar import default_calendar
from dondoc.engine.workflow import Action
from tests.factories import assignment_for, load_min_catalog
from tests.support.catalogs import MIN_CATALOG
from tests.support.cli import dondoc

LOADED = datetime(2022, 3, 2, 8, 0, tzinfo=LOCAL_TZ)
TASK = "99/KH-TEST:II.1"  # its first milestone due "trước ngày 30/6/2022"
DUE = datetime(2022, 6, 30, 23, 59, 59, tzinfo=LOCAL_TZ)
PAST = datetime(2022, 7, 4, 10, 0, tzinfo=LOCAL_TZ)  # Monday: 01/07 and 04/07 past the date


def _at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=LOCAL_TZ)


def _do(session: Session, assignment_id: int, action: Action, actor: Actor, when: datetime, **kw: Any) -> None:
    act(session, assignment_id, Request(action, actor, comment="Nội dung.", **kw), now=when)
    session.commit()


def _listed(session: Session, now: datetime) -> dict[int, tuple[str, int, int]]:
    """The leaders' overdue list at ``now``: each row's state, the view's days late, the row's."""
    rows = overdue_now(session, now, default_calendar(), limit=1000, roles=("lead", "implementer"))
    return {r.view.id: (r.view.state, r.view.days_late, r.working_days_late) for r in rows}


def test_days_late_at_an_instant_before_the_report_count_to_the_instant() -> None:
    """Reported on 08/07, read at 04/07: two working days late then (01/07, 04/07), not six."""
    reported = _at(date(2022, 7, 8))
    assert days_late(DUE, reported, PAST) == 2
    assert days_late(DUE, reported, _at(date(2022, 7, 20))) == 6  # done late: counted to its report


def test_work_done_after_the_instant_is_listed_in_the_state_it_was_in_then(session: Session) -> None:
    """Sở Nội vụ acknowledged in March, reported on 08/07 and was verified on 11/07; UBND Bình Sơn
    acknowledged only on 06/07: at 04/07 both were late, one in progress, the other not yet taken up."""
    load_min_catalog(session, LOADED, MIN_CATALOG)
    done = assignment_for(session, TASK, "so-noi-vu", seq=1).id or 0
    slow = assignment_for(session, TASK, "ubnd-binh-son", seq=1).id or 0
    _do(session, done, Action.ACKNOWLEDGE, Actor.agency("so-noi-vu"), _at(date(2022, 3, 10)))
    before = _listed(session, PAST)
    assert before[done] == (State.IN_PROGRESS.value, 2, 2)
    assert before[slow] == (State.ASSIGNED.value, 2, 2)
    _do(session, done, Action.REPORT, Actor.agency("so-noi-vu"), _at(date(2022, 7, 8)))
    _do(session, done, Action.VERIFY, SECRETARIAT, _at(date(2022, 7, 11)))
    _do(session, slow, Action.ACKNOWLEDGE, Actor.agency("ubnd-binh-son"), _at(date(2022, 7, 6)))
    # the instant reads as it did: the verification and the later acknowledgement are after it
    assert _listed(session, PAST) == before


def test_a_row_rewritten_after_the_instant_keeps_its_acknowledgement_then(session: Session) -> None:
    """VP UBND acknowledged in March and was given more time on 05/07: its row, rewritten since, is
    replayed from its history for 04/07, which had said "Đã giao" (the replay read no acknowledgement)."""
    load_min_catalog(session, LOADED, MIN_CATALOG)
    part = assignment_for(session, TASK, "vp-ubnd", seq=1).id or 0
    _do(session, part, Action.ACKNOWLEDGE, Actor.agency("vp-ubnd"), _at(date(2022, 3, 10)))
    before = _listed(session, PAST)
    assert before[part] == (State.IN_PROGRESS.value, 2, 2)
    _do(session, part, Action.EXTEND, SECRETARIAT, _at(date(2022, 7, 5)), due=date(2022, 7, 29))
    assert _listed(session, PAST) == before


def test_every_list_and_the_parts_page_say_the_state_it_was_in_then(session: Session, db_url: str) -> None:
    """`dondoc --now … assignments list` and `show`, and the part's page, had said of the replay's
    parts the state their rows hold now: at 01/03/2022, "Đã xác nhận" of work reported on 21/03 and
    verified on 23/03. Read at 25/04 here: Sở Nội vụ acknowledged in March, reported on 05/05 and was
    verified on 09/05 (in progress then); UBND Bình Sơn reported on 20/04 and was verified on 28/04
    (reported then); Sở TT&TT's part, cancelled on 10/05 untouched, was assigned then."""
    load_min_catalog(session, LOADED, MIN_CATALOG)
    ids = {
        code: assignment_for(session, TASK, code, seq=1).id or 0 for code in ("so-noi-vu", "ubnd-binh-son", "so-tttt")
    }
    inside, reported, cancelled = ids["so-noi-vu"], ids["ubnd-binh-son"], ids["so-tttt"]
    _do(session, inside, Action.ACKNOWLEDGE, Actor.agency("so-noi-vu"), _at(date(2022, 3, 10)))
    _do(session, reported, Action.ACKNOWLEDGE, Actor.agency("ubnd-binh-son"), _at(date(2022, 3, 11)))
    _do(session, reported, Action.REPORT, Actor.agency("ubnd-binh-son"), _at(date(2022, 4, 20)))
    _do(session, reported, Action.VERIFY, SECRETARIAT, _at(date(2022, 4, 28)))
    _do(session, inside, Action.REPORT, Actor.agency("so-noi-vu"), _at(date(2022, 5, 5)))
    _do(session, inside, Action.VERIFY, SECRETARIAT, _at(date(2022, 5, 9)))
    _do(session, cancelled, Action.CANCEL, SECRETARIAT, _at(date(2022, 5, 10)))
    past = _at(date(2022, 4, 25))
    expected = {inside: State.IN_PROGRESS.value, reported: State.REPORTED.value, cancelled: State.ASSIGNED.value}
    # the part's page (and the API's) view
    assert {i: get_assignment(session, i, past).state for i in expected} == expected
    # the command line's list and the part's own lines
    listed = json.loads(dondoc(db_url, "assignments", "list", "--json", now="2022-04-25T10:00").stdout)
    assert {r["id"]: r["state"] for r in listed if r["id"] in expected} == expected
    shown = dondoc(db_url, "assignments", "show", str(inside), now="2022-04-25T10:00").stdout
    assert "Trạng thái: Đang thực hiện" in shown
    # filtered by the state then
    said = json.loads(
        dondoc(db_url, "assignments", "list", "--json", "--status", "reported", now="2022-04-25T10:00").stdout
    )
    assert [r["id"] for r in said] == [reported]
    # today, as they are
    assert get_assignment(session, inside, _at(date(2022, 5, 20))).state == State.VERIFIED.value


def test_the_parts_history_and_mails_at_a_past_instant_end_there(session: Session, db_url: str) -> None:
    """`dondoc --now 2022-03-01… assignments show` of a part reported on 21/03 and verified on 23/03
    listed both steps and the reminders mailed after 01/03 beside "phiên bản 4": what a replay stopped
    on 01/03 shows is the history up to then, the version being today's counter, said so."""
    load_min_catalog(session, LOADED, MIN_CATALOG)
    part = assignment_for(session, TASK, "so-noi-vu", seq=1).id or 0
    _do(session, part, Action.ACKNOWLEDGE, Actor.agency("so-noi-vu"), _at(date(2022, 3, 10)))
    _do(session, part, Action.REPORT, Actor.agency("so-noi-vu"), _at(date(2022, 5, 5)))
    _do(session, part, Action.VERIFY, SECRETARIAT, _at(date(2022, 5, 9)))
    past = _at(date(2022, 4, 25))
    assert [e.action for e in get_assignment(session, part, past).history] == ["assign", "acknowledge"]
    shown = dondoc(db_url, "assignments", "show", str(part), now="2022-04-25T10:00").stdout
    assert "Báo cáo kết quả" not in shown and "Xác nhận hoàn thành" not in shown
    assert "phiên bản 4 (hiện nay, không phải lúc đó)" in shown
    today = dondoc(db_url, "assignments", "show", str(part), now="2022-05-20T10:00").stdout
    assert "Xác nhận hoàn thành" in today and "phiên bản 4\n" in today
