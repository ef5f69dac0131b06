"""The queue "Phối hợp không còn được chờ": a partner's part still open once every lead of its
milestone has reported (engine.escalation.lead_done, the test that stops the partner's reminders),
for the secretariat to decide; nothing in it while a lead is still at work."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from sqlmodel import Session

from dondoc.engine.actors import Actor
from dondoc.engine.clock import LOCAL_TZ, FrozenClock
from dondoc.engine.models import Assignment, State
from dondoc.engine.services.assignment_filter import AssignmentFilter
from dondoc.engine.services.assignments import Request, act
from dondoc.engine.services.queues import PARTNERS_QUEUE, QueueRow, queue_by_slug
from dondoc.engine.workflow import Action
from tests.factories import assignment_for, load_min_catalog
from tests.support.catalogs import copy_catalog
from tests.support.desk import header_counts, queue_rows
from tests.support.sweep import CALENDAR
from tests.support.web import WebEnv, csrf_of

ITEM = "99/KH-TEST:II.4"
# an item with a lead and two partners, due after the test catalog's issue
WITH_PARTNERS = """  - code: "99/KH-TEST:II.4"
    section: "II.4"
    title: "Xây dựng kho dữ liệu dùng chung"
    content: "Xây dựng kho dữ liệu dùng chung của tỉnh."
    source: "Mục II.4"
    lead: [so-tttt]
    partners: [so-noi-vu, vp-ubnd]
    deadline: "trước ngày 30/6/2022"
"""
SECRETARIAT = Actor.parse("secretariat")
REPORTED = datetime(2022, 6, 20, 10, 0, tzinfo=LOCAL_TZ)
LATER = datetime(2022, 7, 5, 10, 0, tzinfo=LOCAL_TZ)
SAID = "Cơ quan chủ trì đã báo cáo ngày 20/06/2022: không còn ai chờ ý kiến phối hợp"


def _with_partners(tmp_path: Path) -> Path:
    directory = copy_catalog(tmp_path)
    plan = directory / "plans" / "test-plan.yaml"
    plan.write_text(plan.read_text(encoding="utf-8") + WITH_PARTNERS, encoding="utf-8")
    return directory


def _step(session: Session, target: int, action: Action, who: Actor, at: datetime, comment: str = "") -> None:
    act(session, target, Request(action, who, comment=comment or None), now=at)
    session.commit()


def _listed(session: Session, clock: FrozenClock) -> dict[int, QueueRow]:
    queue = queue_by_slug(PARTNERS_QUEUE)
    rows = {row.id: row for row in queue.rows(session, clock.now(), CALENDAR, clock, AssignmentFilter())}
    assert queue.count(session, clock.now(), clock, AssignmentFilter()) == len(rows)
    return rows


def test_a_partners_open_part_waits_for_the_secretariat_once_every_lead_has_reported(
    session: Session, clock: FrozenClock, tmp_path: Path
) -> None:
    load_min_catalog(session, clock.now(), _with_partners(tmp_path))
    lead, noi_vu, vp = (assignment_for(session, ITEM, code).id or 0 for code in ("so-tttt", "so-noi-vu", "vp-ubnd"))
    clock.set(REPORTED)
    _step(session, noi_vu, Action.ACKNOWLEDGE, Actor.agency("so-noi-vu"), REPORTED)
    _step(session, lead, Action.ACKNOWLEDGE, Actor.agency("so-tttt"), REPORTED)
    assert _listed(session, clock) == {}  # the lead is at work: its partners' input is waited for

    _step(session, lead, Action.REPORT, Actor.agency("so-tttt"), REPORTED, "Đã xây dựng xong.")
    clock.set(LATER)
    rows = _listed(session, clock)
    assert set(rows) == {noi_vu, vp}  # in progress, and never acknowledged: both open
    assert {r.detail for r in rows.values()} == {SAID}
    assert {r.since for r in rows.values()} == {date(2022, 6, 20)} and min(r.days_waiting for r in rows.values()) > 0

    # a partner that sent its input is not listed (it waits in "Chờ xác nhận")
    _step(session, vp, Action.ACKNOWLEDGE, Actor.agency("vp-ubnd"), LATER)
    _step(session, vp, Action.REPORT, Actor.agency("vp-ubnd"), LATER, "Ý kiến phối hợp.")
    assert set(_listed(session, clock)) == {noi_vu}

    # the lead's report returned: its partners' input is waited for again
    _step(session, lead, Action.RETURN, SECRETARIAT, LATER, "Bổ sung số liệu.")
    assert _listed(session, clock) == {}

    # reported again and verified: listed again, from the new report; then cancelled by the secretariat
    _step(session, lead, Action.REPORT, Actor.agency("so-tttt"), LATER, "Đã bổ sung.")
    _step(session, lead, Action.VERIFY, SECRETARIAT, LATER)
    rows = _listed(session, clock)
    assert set(rows) == {noi_vu} and rows[noi_vu].detail == SAID.replace("20/06/2022", "05/07/2022")
    _step(session, noi_vu, Action.CANCEL, SECRETARIAT, LATER, "Chủ trì đã hoàn thành; không còn cần ý kiến.")
    assert _listed(session, clock) == {}
    assert session.get_one(Assignment, noi_vu).state == State.CANCELLED.value


def test_a_cancelled_lead_is_said_so(session: Session, clock: FrozenClock, tmp_path: Path) -> None:
    load_min_catalog(session, clock.now(), _with_partners(tmp_path))
    lead, noi_vu = (assignment_for(session, ITEM, code).id or 0 for code in ("so-tttt", "so-noi-vu"))
    clock.set(REPORTED)
    _step(session, lead, Action.CANCEL, SECRETARIAT, REPORTED, "Giao lại cho cơ quan khác.")
    rows = _listed(session, clock)
    assert noi_vu in rows
    assert rows[noi_vu].detail == "Phần việc của cơ quan chủ trì đã hủy: không còn ai chờ ý kiến phối hợp"


def test_the_board_counts_the_queue_and_the_desk_cancels_its_rows_in_bulk(web: WebEnv, tmp_path: Path) -> None:
    with Session(web.engine) as session:
        load_min_catalog(session, web.clock.now(), _with_partners(tmp_path))
    lead, noi_vu, vp = (web.assignment(ITEM, code) for code in ("so-tttt", "so-noi-vu", "vp-ubnd"))
    with Session(web.engine) as session:
        _step(session, lead, Action.ACKNOWLEDGE, Actor.agency("so-tttt"), REPORTED)
        _step(session, lead, Action.REPORT, Actor.agency("so-tttt"), REPORTED, "Đã xây dựng xong.")
    web.clock.set(LATER)
    web.login()
    board = web.client.get("/board").text
    assert header_counts(board)[PARTNERS_QUEUE] == 2
    assert sorted(queue_rows(web.client, PARTNERS_QUEUE)) == sorted([str(noi_vu), str(vp)])
    page = web.client.get(f"/board/{PARTNERS_QUEUE}").text
    assert "Phối hợp không còn được chờ" in page and SAID in page and "Chủ trì xong ngày" in page
    ticked = {"csrf": csrf_of(page), "id": [str(noi_vu), str(vp)], "action": "cancel"}
    done = web.client.post("/board/bulk", data=ticked | {"comment": "Chủ trì đã hoàn thành; không còn cần ý kiến."})
    assert done.status_code == 200 and "đã thực hiện 2, bị từ chối 0" in done.text
    assert queue_rows(web.client, PARTNERS_QUEUE) == []
    assert header_counts(web.client.get("/board").text)[PARTNERS_QUEUE] == 0
