"""A look-back (the board at a past instant, `--now`) counts and lists no work the catalog wrote after
its instant: a plan issued and loaded later did not exist then. On the replayed 2022 year, the board
of 15/06 counted 117/KH-UBND's parts (issued on 27/07) under "Chưa đến hạn": 1.148 of them instead of
563, 3.952 parts in all instead of the 3.367 a replay stopped on 15/06 holds; the desk's list showed
its rows "Chưa giao (giao ngày 27/07/2022)", and `dondoc status` counted them too. On both databases."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from sqlmodel import Session

from dondoc.engine.clock import DEFAULT_DAYS, LOCAL_TZ
from dondoc.engine.services.assignment_filter import AssignmentFilter
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
from dondoc.web.pages import board_context
from tests.factories import load_min_catalog
from tests.support.catalogs import copy_catalog, notice_plan
from tests.support.cli import dondoc

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
