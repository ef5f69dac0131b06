"""``dondoc simulate`` across the 2025 reorganisation (tasks_catalog/successions.yaml) on the shipped
catalog, through 01/03/2025 (the departments) and 01/07/2025 (the district level, Kon Tum): the weeks
around both dates (the whole 2024-10-01..2025-12-31 window of the issue is a manual run, about 25
minutes on 2 shared cores; its figures are in tasks_catalog/README.md)."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlmodel import Session, col, select

from dondoc.engine.clock import LOCAL_TZ
from dondoc.engine.db import make_engine
from dondoc.engine.models import TERMINAL_STATE_VALUES, Agency, AgencyTransfer, Assignment, Event, Succession
from dondoc.engine.reports import build_report
from dondoc.engine.services.successions import pending_assignment_ids
from dondoc.engine.workcalendar import WorkCalendar
from dondoc.simulation.reassign import DECIDE_AFTER
from tests.support.cli import dondoc_process, ok
from tests.support.successions import at

pytestmark = pytest.mark.slow  # a replay across both dates


@pytest.fixture(scope="module")
def replay(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, dict]:
    folder = tmp_path_factory.mktemp("simulate-reorg")
    url = f"sqlite:///{folder / 'replay.db'}"
    env = {"DONDOC_MAILDROP_DIR": str(folder / "maildrop"), "DONDOC_REPORTS_DIR": str(folder / "reports")}
    args = ["simulate", "--from", "2024-12-01", "--to", "2025-07-10", "--json"]
    return url, json.loads(ok(dondoc_process(url, *args, env=env, timeout=3600)))


def test_the_summary_reports_transfers_waits_and_the_ladder_on_either_side(replay: tuple[str, dict]) -> None:
    _, result = replay
    reorg = result["reorganisation"]
    assert reorg["transferred_total"] > 0
    passed = {(t["from"], t["to"]) for t in reorg["transferred"]}
    assert ("so-khdt", "so-tai-chinh") in passed or ("so-gtvt", "so-xay-dung") in passed
    # the simulated secretariat decided what waited (dondoc.simulation.reassign): Sở TT&TT's split work
    # went to a successor the succession names, the dissolved districts' work was cancelled
    assert {to for f, to in passed if f == "so-tttt"} <= {"so-khcn", "so-vhttdl"}
    assert {to for f, to in passed if f == "so-tttt"} and reorg["decided_by_secretariat"] > 0
    assert reorg["cancelled_while_waiting"] > 0
    assert reorg["waiting_total"] < reorg["decided_by_secretariat"] + reorg["cancelled_while_waiting"]
    assert reorg["mails_to_gone_bodies"] == 0
    march = next(side for side in reorg["ladder"] if side["date"] == "2025-03-01")
    assert march["before"]["secretariat_mailboxes"] == ["to-giup-viec@dondoc.example"]
    assert "thuong-truc-bcd@dondoc.example" in march["after"]["secretariat_mailboxes"]
    assert "to-giup-viec@dondoc.example" not in march["after"]["secretariat_mailboxes"]
    assert result["duplicates"] == {"same_dedupe_key": 0, "same_decision": 0, "same_message_delivered": 0}


def test_no_open_work_is_left_with_a_gone_body_without_a_decision(replay: tuple[str, dict]) -> None:
    url, _ = replay
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            gone = {c for s in session.exec(select(Succession)) for c in s.from_codes}
            ids = [a.id for a in session.exec(select(Agency).where(col(Agency.code).in_(gone)))]
            left = session.exec(
                select(Assignment.id).where(
                    col(Assignment.agency_id).in_(ids), col(Assignment.state).not_in(TERMINAL_STATE_VALUES)
                )
            ).all()
            assert set(left) <= pending_assignment_ids(session)
            # what still waits entered the queue less than DECIDE_AFTER working days before the window's end
            calendar = WorkCalendar.default()
            for waiting in session.exec(select(AgencyTransfer).where(AgencyTransfer.status == "pending")):
                entered = waiting.recorded_at.astimezone(LOCAL_TZ).date()
                assert calendar.add_working_days(entered, DECIDE_AFTER) > date(2025, 7, 10), waiting
            cancelled = session.exec(
                select(Event).where(Event.action == "cancel", col(Event.comment).contains("không có cơ quan kế nhiệm"))
            ).all()
            assert cancelled and all(e.actor == "secretariat" for e in cancelled)
            # the report of 2024 shows the bodies before the reorganisation
            report = build_report(session, period_code="2024", now=at("2025-12-31"))
            rows = {r.code: r for r in report.by_agency}
            assert rows["so-tttt"].rates.tasks_due + rows["so-tttt"].rates.reports_due > 0
            assert "so-nnmt" not in rows  # a body of 2025 has no work in the report of 2024: not listed
    finally:
        engine.dispose()
