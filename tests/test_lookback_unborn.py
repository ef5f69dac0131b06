"""A look-back (the board at a past instant, `--now`) counts and lists no work the catalog wrote after
its instant: a plan issued and loaded later did not exist then. On the replayed 2022 year, the board
of 15/06 counted 117/KH-UBND's parts (issued on 27/07) under "Chưa đến hạn": 1.148 of them instead of
563, 3.952 parts in all instead of the 3.367 a replay stopped on 15/06 holds; the desk's list showed
its rows "Chưa giao (giao ngày 27/07/2022)", and `dondoc status` counted them too. On both databases."""

from __future__ import annotations

import html
import re
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlmodel import Session, select

from dondoc.engine.actors import SECRETARIAT, Actor
from dondoc.engine.clock import DEFAULT_DAYS, LOCAL_TZ
from dondoc.engine.models import Plan
from dondoc.engine.services.assignment_filter import AssignmentFilter
from dondoc.engine.services.assignments import Request, act
from dondoc.engine.services.board_then import board_then
from dondoc.engine.services.queries import category_counts
from dondoc.engine.services.web_queries import (
    agency_assignments,
    agency_by_code,
    agency_rewritten,
    agency_role_counts,
    board_tallies,
    filtered_assignments,
    filtered_count,
    filtered_rewritten,
)
from dondoc.engine.workcalendar import default_calendar
from dondoc.engine.workflow import Action
from dondoc.web.pages import board_context
from tests.factories import load_min_catalog
from tests.support.catalogs import copy_catalog, notice_plan
from tests.support.cli import dondoc
from tests.support.web import WebEnv

LOADED = datetime(2022, 3, 2, 8, 0, tzinfo=LOCAL_TZ)
PAST = datetime(2022, 3, 28, 10, 0, tzinfo=LOCAL_TZ)
LATER = datetime(2022, 4, 20, 7, 0, tzinfo=LOCAL_TZ)  # the notice's issue day: loaded then, as a replay does
NOTICE = notice_plan(
    "2022-04-20",
    """  - code: "98/TB-TEST:1"
    section: "1"
    title: "Số hóa hồ sơ"
    content: "Số hóa hồ sơ trước ngày 30/9/2022."
    source: "Mục 1"
    lead: [so-tttt]
    partners: ["@so-ban-nganh"]
    deadline: "trước ngày 30/9/2022"
""",
)


def _seen(session: Session, now: datetime) -> dict[str, Any]:
    """What the board and the lists it links to say at ``now``."""
    page = board_context(session, now, default_calendar(), overdue_limit=1000)
    then = board_then(session, now)
    everything = AssignmentFilter().bound(session, DEFAULT_DAYS)
    rewritten = filtered_rewritten(session, now, everything, then)
    rows = filtered_assignments(session, now, everything, limit=1000, rewritten=rewritten)
    body = agency_by_code(session, "so-tttt").id or 0
    mine = agency_rewritten(session, now, body, then)
    return {
        "summary": page["summary"].model_dump(),
        "tallies": board_tallies(session, now).model_dump(),
        "list": sorted((r[0], r[1]) for r in rows),
        "count": filtered_count(session, now, everything, rewritten),
        "agency_list": sorted(v.id for v in agency_assignments(session, now, body, rewritten=mine)),
        "agency_roles": agency_role_counts(session, body, rewritten=mine),
        "status": [c.model_dump() for c in category_counts(session, now, then=board_then(session, now))],
    }


def test_work_a_plan_loaded_after_the_instant_gave_is_nowhere_then(session: Session, tmp_path: Path) -> None:
    catalog = copy_catalog(tmp_path)
    load_min_catalog(session, LOADED, catalog)
    before = _seen(session, PAST)
    (catalog / "plans/notice.yaml").write_text(NOTICE, encoding="utf-8")
    load_min_catalog(session, LATER, catalog)
    assert _seen(session, LATER)["summary"]["total"] > before["summary"]["total"]  # it is there now
    assert _seen(session, PAST) == before


def test_status_and_the_list_at_a_past_instant_leave_it_out(session: Session, tmp_path: Path, db_url: str) -> None:
    """`dondoc --now … status` and `assignments list` count and list no work given by a plan loaded
    after their instant."""
    catalog = copy_catalog(tmp_path)
    load_min_catalog(session, LOADED, catalog)
    said = [dondoc(db_url, *args, now="2022-03-28T10:00") for args in (["status"], ["assignments", "list"])]
    assert all(r.returncode == 0 for r in said), said
    (catalog / "plans/notice.yaml").write_text(NOTICE, encoding="utf-8")
    load_min_catalog(session, LATER, catalog)
    again = [dondoc(db_url, *args, now="2022-03-28T10:00") for args in (["status"], ["assignments", "list"])]
    assert [r.stdout for r in again] == [r.stdout for r in said]
    assert "98/TB-TEST" in dondoc(db_url, "assignments", "list", now="2022-04-21T10:00").stdout


# the notice's task headed as the text heads it, led by a body the catalog listed with it
HEADED = NOTICE.replace(
    "    lead: [so-tttt]\n",
    '    roles_as_written: {lead: "Sở Tài chính.", lead_heading: "Cơ quan tham mưu"}\n    lead: [so-tai-chinh]\n',
)
SO_TAI_CHINH = (
    '  - {code: so-tai-chinh, name: "Sở Tài chính", short: "Sở Tài chính", kind: so, email: "stc@dondoc.example"}\n'
)


def _options(page: str, name: str) -> list[str]:
    """The choices of the filter form's list ``name`` (their values), as the page offers them."""
    found = re.search(rf'<select name="{name}">(.*?)</select>', page, re.S)
    assert found, name
    return [html.unescape(t) for t in re.findall(r"<option[^>]*>([^<]*)</option>", found.group(1))]


def test_the_desks_menus_and_plans_page_offer_no_plan_loaded_after_the_instant(web: WebEnv, tmp_path: Path) -> None:
    """The notice (issued and loaded on 20/04, its task led by Sở Tài chính, listed with it, and headed
    "Cơ quan tham mưu") did not exist on 28/03: the desk's filter menus (its plans, its bodies, the
    lead's role said with the texts' other headings), a queue's and a plan's, and the plans page read
    then offer none of it; read after the 20/04 they do. On the replayed 2022 year, the menus and
    /board/plans read at 01/03/2022 offered 117/KH-UBND, issued on 27/07, and the role "Chủ trì, kể cả
    cơ quan văn bản ghi là thực hiện …" of its headings."""
    catalog = copy_catalog(tmp_path)
    (catalog / "plans/notice.yaml").write_text(HEADED, encoding="utf-8")
    agencies = catalog / "agencies.yaml"
    agencies.write_text(agencies.read_text(encoding="utf-8").replace("groups:", SO_TAI_CHINH + "groups:", 1))
    with Session(web.engine) as session:
        load_min_catalog(session, LATER, catalog)
    with Session(web.engine) as session:
        ours = session.exec(select(Plan.id).where(Plan.number == "99/KH-TEST")).one()
    web.login()
    pages = ("/board/assignments", f"/board/plans/{ours}")
    for instant, offered in ((PAST, False), (LATER + timedelta(hours=2), True)):
        web.clock.set(instant)
        # a queue's page lists today's rows at a look-back too (and says so): its menus are today's,
        # or a later plan's work it lists could not be filtered by its plan or body
        queue = web.client.get("/board/cho-xac-nhan").text
        assert "98/TB-TEST" in _options(queue, "plan") and "Sở Tài chính" in _options(queue, "agency"), instant
        # the plan a link names is offered (kept by "Lọc"), as a body is, even one loaded later
        named = web.client.get("/board/assignments?plan=98/TB-TEST").text
        assert "98/TB-TEST" in _options(named, "plan"), instant
        for path in pages:
            page = web.client.get(path).text
            roles = " ".join(_options(page, "role"))
            assert ("tham mưu" in roles) is offered, (path, instant, roles)
            assert ("Sở Tài chính" in _options(page, "agency")) is offered, (path, instant)
            if "plans/" not in path:
                assert ("98/TB-TEST" in _options(page, "plan")) is offered, (path, instant)
        plans = web.client.get("/board/plans").text
        assert ("98/TB-TEST" in plans) is offered, instant
        assert "99/KH-TEST" in plans


def _plan_row(page: str, number: str) -> list[str]:
    """The cells of the plans page's row of ``number``, as read."""
    row = re.search(rf"<tr><td><a href=\"/board/plans/\d+\">{re.escape(number)}</a>.*?</tr>", page, re.S)
    assert row, number
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row.group(0), re.S)
    return [" ".join(html.unescape(re.sub(r"<[^>]+>", " ", c)).split()) for c in cells]


def test_the_plans_page_counts_a_part_as_it_stood_then(web: WebEnv) -> None:
    """UBND Bình Sơn reported on 20/04 and the secretariat returned the report on 02/05 (the row's
    report time cleared): the plans page read on 25/04 counts the part done, as the board does; it
    had counted it as the row says now, not done."""
    part = web.assignment("99/KH-TEST:II.1", "ubnd-binh-son")
    for action, actor, day in (
        (Action.ACKNOWLEDGE, Actor.agency("ubnd-binh-son"), datetime(2022, 3, 11, 10, 0, tzinfo=LOCAL_TZ)),
        (Action.REPORT, Actor.agency("ubnd-binh-son"), datetime(2022, 4, 20, 10, 0, tzinfo=LOCAL_TZ)),
        (Action.RETURN, SECRETARIAT, datetime(2022, 5, 2, 10, 0, tzinfo=LOCAL_TZ)),
    ):
        with Session(web.engine) as session:
            act(session, part, Request(action, actor, comment="Nội dung."), now=day)
            session.commit()
    web.login()
    done_column = 6  # number, title, day, items, given, overdue, done, before tracking
    web.clock.set(datetime(2022, 4, 25, 10, 0, tzinfo=LOCAL_TZ))
    then = _plan_row(web.client.get("/board/plans").text, "99/KH-TEST")
    web.clock.set(datetime(2022, 5, 3, 10, 0, tzinfo=LOCAL_TZ))
    now = _plan_row(web.client.get("/board/plans").text, "99/KH-TEST")
    assert int(then[done_column]) == int(now[done_column]) + 1, (then, now)
