"""A look-back (the board at a past instant, `--now`) says what was true then of the work an event
rewrote afterwards, on both databases: a report sent before the instant and returned after it was
sent then (the return cleared the row's report time, and the board had counted and listed it overdue),
and work late at the instant and extended after it was late then (the row's new date had made it "on
track"). In the board's counts and per-agency table, its overdue list and count, the digest's tallies
and the note on bodies that ended, which all count the rows the list shows; and in the desk's
filtered list (its count, its pages, its exports) and an agency's own list, which the board's tiles
and table link to."""

from __future__ import annotations

import csv
import html
import io
import re
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import event
from sqlmodel import Session, select

from dondoc.engine.actors import SECRETARIAT, Actor
from dondoc.engine.clock import DEFAULT_DAYS, LOCAL_TZ
from dondoc.engine.models import Plan
from dondoc.engine.reports.rates import agency_rates
from dondoc.engine.services.assignment_filter import AssignmentFilter
from dondoc.engine.services.assignments import Request, act
from dondoc.engine.services.board_then import board_then
from dondoc.engine.services.overdue_lists import overdue_count, overdue_now, overdue_per_agency
from dondoc.engine.services.queries import VIEW_NAMES
from dondoc.engine.services.web_queries import (
    agency_assignments,
    agency_rewritten,
    agency_role_counts,
    board_tallies,
    filtered_assignments,
    filtered_count,
    filtered_rewritten,
)
from dondoc.engine.status import Category
from dondoc.engine.workcalendar import default_calendar
from dondoc.engine.workflow import Action
from dondoc.web.pages import board_context
from dondoc.web.trend_cache import TrendCache
from tests.factories import assignment_for, load_min_catalog
from tests.support.catalogs import MIN_CATALOG, QUARTERLY, report_catalog
from tests.support.desk import list_rows
from tests.support.successions import apply, at, load, succession_catalog, successions_yaml
from tests.support.web import WebEnv

LOADED = datetime(2022, 3, 2, 8, 0, tzinfo=LOCAL_TZ)
TASK = "99/KH-TEST:II.1"
ROLES = ("lead", "implementer")


def _at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=LOCAL_TZ)


def _do(session: Session, assignment_id: int, action: Action, actor: Actor, when: datetime, **kw: Any) -> None:
    act(session, assignment_id, Request(action, actor, comment="Nội dung.", **kw), now=when)
    session.commit()


def _seen(session: Session, now: datetime) -> dict[str, Any]:
    """What the board says at ``now``: every figure, the overdue list's rows as shown, the note."""
    page = board_context(session, now, default_calendar(), overdue_limit=1000)
    summary = page["summary"]
    listed = [
        (r.view.id, r.view.agency_code, r.view.state, r.view.category, r.view.due_at, r.view.days_late)
        + (r.working_days_late,)
        for r in page["overdue"]
    ]
    per_agency = overdue_per_agency(session, now)
    # the counts equal the rows listed: the tile, the list, the per-body counts, the count
    overdue = summary.totals[Category.OVERDUE.value]
    assert overdue == len(listed) == sum(per_agency.values()) == overdue_count(session, now)
    assert sum(r.overdue for r in summary.agencies) == overdue
    # each line's rate is the rates' at that instant (tests/test_board_rate.py), which replay the same rows
    rates = {r.agency_code: r for r in agency_rates(session, start=date(1990, 1, 1), end=now.date(), now=now)}
    for row in summary.agencies:
        assert (row.rated_on_time, row.rated_due) == (rates[row.code].tasks_on_time, rates[row.code].tasks_due)
    leaders = overdue_now(session, now, default_calendar(), limit=1000, roles=ROLES)
    assert len(leaders) == sum(overdue_per_agency(session, now, roles=ROLES).values())
    # the leaders' trend ends at the page's instant, on the figure its lists count (it had counted
    # the rows rewritten since as they are now: 12 overdue beside a list of 13)
    page = board_context(session, now, default_calendar(), overdue_limit=1000, roles=ROLES)
    year = DEFAULT_DAYS.local_date(now).year
    points = TrendCache().points(
        session, page["summary"], year=year, now=now, local=DEFAULT_DAYS, roles=ROLES, then=page["then"]
    )
    assert points[-1].at == now and points[-1].overdue == len(leaders)
    return {
        "summary": summary.model_dump(),
        "tallies": board_tallies(session, now).model_dump(),
        "overdue": listed,
        "per_agency": per_agency,
        "leaders": sorted(r.view.id for r in leaders),
        "ended": [e.model_dump() for e in page["ended"]],
    }


def _row(seen: dict[str, Any], assignment_id: int) -> tuple[Any, ...] | None:
    return next((r for r in seen["overdue"] if r[0] == assignment_id), None)


def test_a_report_returned_after_the_instant_was_sent_then(session: Session, tmp_path: Path) -> None:
    """Sở Nội vụ's first-quarter report (due 20/03) sent on 18/03 and returned on 05/04: the board
    of 28/03 had counted and listed it overdue since (the return cleared its report time)."""
    load_min_catalog(session, LOADED, report_catalog(tmp_path, cutoff=False))
    part = assignment_for(session, QUARTERLY, "so-noi-vu", seq=1).id or 0
    _do(session, part, Action.ACKNOWLEDGE, Actor.agency("so-noi-vu"), LOADED)
    _do(session, part, Action.REPORT, Actor.agency("so-noi-vu"), _at(date(2022, 3, 18)))
    past = _at(date(2022, 3, 28))
    before = _seen(session, past)
    assert _row(before, part) is None
    _do(session, part, Action.RETURN, SECRETARIAT, _at(date(2022, 4, 5)))
    assert _seen(session, past) == before
    # today it is overdue again, as its row says
    today = _seen(session, _at(date(2022, 4, 6)))
    assert _row(today, part) is not None


def test_work_late_at_the_instant_and_extended_after_it_was_late_then(session: Session, tmp_path: Path) -> None:
    """VP UBND's part of II.1, due 30/06 and not done, extended on 05/07 to 29/07: the board of 04/07
    had counted it "on track" and left it out of its overdue list since (its row's date is July's)."""
    load_min_catalog(session, LOADED, report_catalog(tmp_path, cutoff=False))
    part = assignment_for(session, TASK, "vp-ubnd", seq=1).id or 0
    past = _at(date(2022, 7, 4))
    before = _seen(session, past)
    late = _row(before, part)
    assert late is not None and late[4] == datetime(2022, 6, 30, 23, 59, 59, tzinfo=LOCAL_TZ)
    _do(session, part, Action.EXTEND, SECRETARIAT, _at(date(2022, 7, 5)), due=date(2022, 7, 29))
    assert _seen(session, past) == before
    # today it is on track, by the date in force
    assert _row(_seen(session, _at(date(2022, 7, 6))), part) is None


@pytest.mark.parametrize("rewrite", ["returned", "extended"])
def test_an_ended_bodys_note_says_what_its_open_work_was_then(session: Session, tmp_path: Path, rewrite: str) -> None:
    """Sở TT&TT, split on 01/08/2022: its part of II.1 due 30/06 waits in "Cần phân công lại" until
    the secretariat names Sở KH&CN on 20/08, which is then returned (it was reported on 20/06) or
    extended (it was late) on 25/08. The note of 10/08 on bodies that ended (its open work, how much
    of it overdue, by role) had counted the returned part overdue and the extended one on track."""
    old, chosen = "so-tttt", "so-khcn"
    load(session, succession_catalog(tmp_path, successions_yaml("split")), at("2022-03-02"))
    part = assignment_for(session, TASK, old, seq=1).id or 0
    if rewrite == "returned":
        _do(session, part, Action.ACKNOWLEDGE, Actor.agency(old), at("2022-03-02"))
        _do(session, part, Action.REPORT, Actor.agency(old), _at(date(2022, 6, 20)))
    queued = {assignment_id for assignment_id, code, _ in apply(session, at("2022-08-01")).queued if code == old}
    assert part in queued, "the case needs the part waiting"
    past = _at(date(2022, 8, 10), 17)
    before = _seen(session, past)
    (ended,) = before["ended"]
    assert ended["code"] == old and ended["open_work"] == len(queued) == sum(ended["by_role"].values())
    assert ended["overdue"] == (0 if rewrite == "returned" else 1)
    assert (_row(before, part) is None) == (rewrite == "returned")
    for assignment_id in sorted(queued):
        _do(session, assignment_id, Action.REASSIGN, SECRETARIAT, _at(date(2022, 8, 20), 9), agency=chosen)
    if rewrite == "returned":
        _do(session, part, Action.RETURN, SECRETARIAT, _at(date(2022, 8, 25)))
    else:
        _do(session, part, Action.EXTEND, SECRETARIAT, _at(date(2022, 8, 25)), due=date(2022, 9, 30))
    assert _seen(session, past) == before


# The desk's list and an agency's own list at 04/07/2022: VP UBND's part of II.1 (due 30/06, not done)
# is extended on 05/07 to 29/07; Sở Nội vụ's (reported on 20/06) is returned on 06/07.
PAST = _at(date(2022, 7, 4))
EXTENDED, RETURNED = "vp-ubnd", "so-noi-vu"
STOOD = ("state", "category", "due_at", "reported_at")  # what a rewrite changes of a row


def _rewrite(engine: Any, extended: int, returned: int, *, only_report: bool = False) -> None:
    """The report of 20/06 (``only_report``), else the two rewrites after PAST."""
    with Session(engine) as session:
        if only_report:
            _do(session, returned, Action.ACKNOWLEDGE, Actor.agency(RETURNED), LOADED)
            _do(session, returned, Action.REPORT, Actor.agency(RETURNED), _at(date(2022, 6, 20)))
            return
        _do(session, extended, Action.EXTEND, SECRETARIAT, _at(date(2022, 7, 5)), due=date(2022, 7, 29))
        _do(session, returned, Action.RETURN, SECRETARIAT, _at(date(2022, 7, 6)))


def _cells(page: str, assignment_id: int) -> str | None:
    """A row of a page (the desk's list: ``data-id``; an agency's: its link) as its cells' text."""
    found = re.search(rf'<tr[^>]*data-id="{assignment_id}".*?</tr>', page, re.S) or re.search(
        rf'<tr class="[^"]*">\s*<td data-label="Nhiệm vụ"><a href="/a/[^/]+/assignments/{assignment_id}".*?</tr>',
        page,
        re.S,
    )
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", found.group(0))).split()) if found else None


def _desk(web: WebEnv, parts: tuple[int, int], tokens: dict[str, str]) -> dict[str, Any]:
    """What the desk and the agencies' pages say at the clock's instant: the board's tiles, and for
    each the list it links to (its count, its rows, the two parts' rows as written) and its exports;
    each agency's list (its rows as written, its counts per role and its tiles)."""
    board = web.client.get("/board").text
    tiles = {c: int(n.replace(".", "")) for c, n in re.findall(r'data-category="([a-z_]+)">([\d.]+)<', board)}
    seen: dict[str, Any] = {"tiles": tiles}
    for status in (*tiles.keys() - {"total"}, "reported", "in_progress"):
        page = web.client.get(f"/board/assignments?status={status}").text
        total = int(re.search(r'<span id="total">([\d.]+)</span>', page).group(1).replace(".", ""))  # type: ignore[union-attr]
        rows = list_rows(web.client, f"status={status}")
        # the count shown is the rows listed, and the tile's
        assert total == len(rows) == tiles.get(status, total), status
        text = web.client.get(f"/board/assignments.csv?status={status}").content.decode("utf-8-sig")
        book = load_workbook(io.BytesIO(web.client.get(f"/board/assignments.xlsx?status={status}").content))
        exported = list(book.active.iter_rows(min_row=2, values_only=True))  # type: ignore[union-attr]
        assert len(exported) == len(rows) == len(list(csv.reader(io.StringIO(text)))) - 1, status
        seen[status] = (rows, [_cells(page, part) for part in parts], text, exported)
    for code, token in tokens.items():
        page = web.client.get(f"/a/{token}").text
        counts = [int(n) for n in re.findall(r'data-role-count="(\d+)"', page)]
        listed = re.findall(r'href="/a/[^/]+/assignments/(\d+)"', page)
        assert sum(counts) == len(listed), code  # one page: every row
        agency_tiles = re.findall(r'data-category="([a-z_]+)">([\d.]+)<', page)
        seen[code] = (listed, counts, agency_tiles, [_cells(page, part) for part in parts])
    return seen


def test_the_desks_list_its_exports_and_an_agencys_list_say_what_was_true_then(web: WebEnv) -> None:
    """The board of 04/07 counts VP UBND's part overdue (due 30/06, extended only on 05/07) and Sở Nội
    vụ's finished on time (reported on 20/06, returned only on 06/07); the list each tile links to
    (/board/assignments?status=…) had listed them as they are now: the first "on track" due 29/07, left
    out of the overdue list its tile counted it in, the second "Đang thực hiện"/"Quá hạn". The list,
    its count, its CSV and XLSX and each agency's own page now read at 04/07 as they did on 04/07."""
    extended, returned = web.assignment(TASK, EXTENDED), web.assignment(TASK, RETURNED)
    _rewrite(web.engine, extended, returned, only_report=True)
    web.login()
    web.clock.set(PAST)
    tokens = {code: web.link(f"agency:{code}") for code in (EXTENDED, RETURNED)}
    before = _desk(web, (extended, returned), tokens)
    overdue, done = Category.OVERDUE.value, Category.DONE_ON_TIME.value
    assert extended in map(int, before[overdue][0]) and returned in map(int, before[done][0])
    assert "30/06/2022" in before[overdue][1][0] and "Quá hạn" in before[overdue][1][0]
    assert "Đã báo cáo" in before[done][1][1] and "Hoàn thành đúng hạn" in before[done][1][1]
    _rewrite(web.engine, extended, returned)
    after = _desk(web, (extended, returned), tokens)
    for key in before:
        assert after[key] == before[key], key
    # today the rows say what they are now
    web.clock.set(_at(date(2022, 7, 7)))
    assert extended not in map(int, list_rows(web.client, f"status={overdue}"))
    assert returned in map(int, list_rows(web.client, f"status={overdue}"))


PLAN_QUERIES = ("", "category=dang_thuc_hien_qua_han", "category=hoan_thanh_dung_han", "state=reported")
PLAN_QUERIES += ("state=in_progress", "due_to=2022-07-01", "agency=vp-ubnd")


def _plan_page(web: WebEnv, plan_id: int, parts: tuple[int, ...]) -> dict[str, Any]:
    """What a plan's page says at the clock's instant, for each filter: the parts it lists, and the
    two parts' rows as written."""
    seen: dict[str, Any] = {}
    for query in PLAN_QUERIES:
        page = web.client.get(f"/board/plans/{plan_id}?{query}")
        assert page.status_code == 200, (query, page.text)
        listed = [int(i) for i in re.findall(r'<td><a href="/board/assignments/(\d+)">', page.text)]
        rows = {
            part: " ".join(html.unescape(re.sub(r"<[^>]+>", " ", found.group(0))).split())
            for part in parts
            if (found := re.search(rf'<tr[^>]*><td><a href="/board/assignments/{part}">.*?</tr>', page.text, re.S))
        }
        seen[query] = (listed, rows)
    return seen


def test_a_plans_page_says_what_was_true_then(web: WebEnv) -> None:
    """The plan's page of 04/07 lists VP UBND's part (due 30/06, extended only on 05/07) as overdue,
    due 30/06, and Sở Nội vụ's (reported on 20/06, returned only on 06/07) as reported on time, and
    its filters select them so, as the desk's list of that instant does; it had listed them as they
    are now: the first due 29/07 "Đang thực hiện", left out of ``?category=dang_thuc_hien_qua_han``,
    the second "Đang thực hiện" and overdue."""
    extended, returned = web.assignment(TASK, EXTENDED), web.assignment(TASK, RETURNED)
    with Session(web.engine) as session:
        plan_id = session.exec(select(Plan.id).where(Plan.number == "99/KH-TEST")).one()
    _rewrite(web.engine, extended, returned, only_report=True)
    web.login()
    web.clock.set(PAST)
    before = _plan_page(web, plan_id, (extended, returned))
    assert extended in before["category=dang_thuc_hien_qua_han"][0] and "30/06/2022" in before[""][1][extended]
    assert returned in before["state=reported"][0] and returned in before["category=hoan_thanh_dung_han"][0]
    assert extended in before["due_to=2022-07-01"][0] and extended in before["agency=vp-ubnd"][0]
    _rewrite(web.engine, extended, returned)
    after = _plan_page(web, plan_id, (extended, returned))
    for query in PLAN_QUERIES:
        assert after[query] == before[query], query
    # today the rows say what they are now
    web.clock.set(_at(date(2022, 7, 7)))
    today = _plan_page(web, plan_id, (extended, returned))
    assert extended not in today["category=dang_thuc_hien_qua_han"][0] and "29/07/2022" in today[""][1][extended]
    assert returned not in today["state=reported"][0] and returned in today["state=in_progress"][0]


@pytest.mark.parametrize("size", [1, 2, 3])
def test_the_lists_pages_hold_the_rows_rewritten_since_in_their_place(session: Session, size: int) -> None:
    """The desk's list and an agency's list at 04/07, read a page of ``size`` rows at a time: the
    pages hold every row the list counts, once, in the list's order, the rewritten ones placed as they
    stood then (VP UBND's part by its date then, 30/06, not 29/07) — as on 04/07 itself."""
    load_min_catalog(session, LOADED, MIN_CATALOG)
    extended = assignment_for(session, TASK, EXTENDED, seq=1).id or 0
    returned = assignment_for(session, TASK, RETURNED, seq=1).id or 0
    _rewrite(session.get_bind(), extended, returned, only_report=True)
    agencies = {code: assignment_for(session, TASK, code, seq=1).agency_id for code in (EXTENDED, RETURNED)}
    filters = [
        AssignmentFilter(),
        AssignmentFilter(category=Category.OVERDUE.value),
        AssignmentFilter(state="reported"),
    ]
    filters += [AssignmentFilter(agency=EXTENDED, due_to="2022-07-01"), AssignmentFilter(due_from="2022-07-02")]

    def read() -> list[Any]:
        then = board_then(session, PAST)
        found: list[Any] = []
        for where in filters:
            bound = where.bound(session, DEFAULT_DAYS)
            rewritten = filtered_rewritten(session, PAST, bound, then)
            total = filtered_count(session, PAST, bound, rewritten)
            whole = [tuple(r) for r in filtered_assignments(session, PAST, bound, limit=1000, rewritten=rewritten)]
            paged = [
                tuple(r)
                for offset in range(0, total + size, size)
                for r in filtered_assignments(session, PAST, bound, limit=size, offset=offset, rewritten=rewritten)
            ]
            assert total == len(whole) and paged == whole, where
            found.append([(r[0], *(r[VIEW_NAMES.index(name)] for name in STOOD)) for r in whole])
        for agency_id in agencies.values():
            for closed in (False, True):
                mine = agency_rewritten(session, PAST, agency_id, then, include_closed=closed)
                whole_views = agency_assignments(session, PAST, agency_id, include_closed=closed, rewritten=mine)
                paged_views = [
                    v
                    for offset in range(0, len(whole_views) + size, size)
                    for v in agency_assignments(
                        session, PAST, agency_id, include_closed=closed, limit=size, offset=offset, rewritten=mine
                    )
                ]
                counts = agency_role_counts(session, agency_id, include_closed=closed, rewritten=mine)
                assert paged_views == whole_views and sum(counts.values()) == len(whole_views)
                found.append(([(v.id, *(getattr(v, name) for name in STOOD)) for v in whole_views], counts))
        return found

    before = read()
    _rewrite(session.get_bind(), extended, returned)
    assert read() == before


def test_at_todays_instant_the_lists_read_the_history_once(web: WebEnv) -> None:
    """With no row rewritten after the instant (the extension and the return are before it), the
    desk's list, its exports and an agency's list run their statements as they always did, after one
    probe of the history's index (board_then, shared by an agency's list and its counts): nothing
    else reads what was rewritten after the instant."""
    extended, returned = web.assignment(TASK, EXTENDED), web.assignment(TASK, RETURNED)
    _rewrite(web.engine, extended, returned, only_report=True)
    _rewrite(web.engine, extended, returned)
    web.login()
    web.clock.set(_at(date(2022, 7, 7)))
    token = web.link(f"agency:{EXTENDED}")
    with Session(web.engine) as session:
        plan_id = session.exec(select(Plan.id).where(Plan.number == "99/KH-TEST")).one()
    urls = ("/board/assignments?status=dang_thuc_hien_qua_han", "/board/assignments.csv", f"/a/{token}")
    for url in (*urls, f"/board/plans/{plan_id}", f"/board/plans/{plan_id}?state=reported"):
        seen: list[str] = []
        listen = lambda _c, _cursor, statement, *_, seen=seen: seen.append(statement)  # noqa: E731
        event.listen(web.engine, "before_cursor_execute", listen)
        try:
            assert web.client.get(url).status_code == 200
        finally:
            event.remove(web.engine, "before_cursor_execute", listen)
        # the probe (board_then's: whether any event came after the instant, history.happened_after),
        # and what reads the rows rewritten after the instant (history.changed_after_sql)
        read = [s for s in seen if "event.at >" in s]
        assert len(read) == 1 and "LIMIT" in read[0], (url, read)
