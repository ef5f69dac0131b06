"""What the command line tells a person is Vietnamese, one line for an error, and true."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from typer.main import get_command

from dondoc.cli.main import app as cli_app
from tests.support.catalogs import MIN_CATALOG
from tests.support.cli import dondoc, invoke, ok, one_line_error


def test_deliver_without_smtp_says_where_mail_goes_in_vietnamese(
    db_url: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """It said "SMTP not configured: mail goes to var/maildrop" (on stderr, Python's last-resort
    handler: the command configures no logging; pytest's own handler stands in for it here)."""
    drop = tmp_path / "drop"
    env = {"DONDOC_MAILDROP_DIR": str(drop), "DONDOC_BASE_URL": "http://dondoc.test", "DONDOC_SMTP_HOST": None}
    with caplog.at_level(logging.WARNING, logger="dondoc.notifications"):
        ok(dondoc(db_url, "deliver", now="2022-03-03T09:00", env=env))
    said = [r.getMessage() for r in caplog.records if r.name == "dondoc.notifications"]
    assert said == [f"Chưa cấu hình SMTP (DONDOC_SMTP_HOST): thư được ghi vào thư mục {drop}"], said


def test_an_actor_that_does_not_exist_is_told_as_such(db_url: str) -> None:
    """``--as nobody`` was refused as "Cơ quan nobody không được thực hiện …" (a secretariat's
    action) or "Không tìm thấy cơ quan nobody" (an agency's): a body that is not one."""
    ok(dondoc(db_url, "catalog", "load", "--dir", str(MIN_CATALOG), now="2022-03-02"))
    rows = json.loads(ok(dondoc(db_url, "assignments", "list", "--agency", "so-noi-vu", "--json", now="2022-03-02")))
    target = str(rows[0]["id"])
    said = "Không có người thực hiện «Nobody» (--as); dùng mã cơ quan trong danh mục (ví dụ so-noi-vu), secretariat"
    for action in ("verify", "acknowledge"):
        one_line_error(dondoc(db_url, "assignments", "act", target, action, "--as", "Nobody", now="2022-03-03"), said)
    shown = json.loads(ok(dondoc(db_url, "assignments", "show", target, "--json", now="2022-03-03")))
    assert shown["state"] == "assigned"


def _paths(command: object, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every command's words, ("users", "deactivate") …; a group has ``commands`` (typer's own click)."""
    subs: dict[str, object] = getattr(command, "commands", {})
    return [p for name, sub in sorted(subs.items()) for p in _paths(sub, (*path, name))] if subs else [path]


def test_no_help_shows_the_sources_markup() -> None:
    """``users deactivate --help`` read "(``users add`` để mở lại)": a docstring's double backticks."""
    paths = _paths(get_command(cli_app))
    assert ("users", "deactivate") in paths
    shown = {" ".join(path): invoke([*path, "--help"]) for path in paths}
    marked = sorted(name for name, result in shown.items() if result.returncode != 0 or "``" in result.stdout)
    assert marked == [], marked


def _help(*path: str) -> str:
    """``dondoc PATH --help`` as one line of words: the help screen's frame and wrapping taken out."""
    result = invoke([*path, "--help"], env={"COLUMNS": "100"})
    assert result.returncode == 0, result.stderr
    return " ".join(result.stdout.replace("│", " ").split())


def test_every_option_and_argument_says_what_it_is() -> None:
    """``assignments list --limit`` showed a bare "<int range> [x>=1]", ``users add``'s name and ``db
    upgrade``'s revision nothing at all."""
    bare: list[str] = []

    def walk(command: object, path: tuple[str, ...] = ()) -> None:
        bare.extend(f"{' '.join(path)} {p.name}" for p in getattr(command, "params", []) if not getattr(p, "help", ""))
        for name, sub in getattr(command, "commands", {}).items():
            walk(sub, (*path, name))

    walk(get_command(cli_app))
    assert bare == [], bare


def test_the_demo_help_names_the_window_it_replays() -> None:
    """``serve --help`` said the demo replays "năm 2022"; it replays 01/06–14/10/2022 and stops the clock there."""
    from dondoc.simulation.demo import DEMO_DAY, DEMO_START

    said = _help("serve")
    assert f"{DEMO_START:%d/%m/%Y}–{DEMO_DAY:%d/%m/%Y}" in said, said
    assert "năm 2022" not in said, said


def test_the_timetable_help_names_every_job_the_scheduler_runs() -> None:
    """``scheduler --help`` and ``serve --help`` named the sweep, the mails, the digests at 07:30 and
    ANALYZE at 02:40, not the periodic report the scheduler mails the chair at 07:00 on its due date."""
    from dondoc.scheduler import SCHEDULE, SQLITE_UPKEEP

    times = [
        f"{int(f['hour']):02d}:{int(f['minute']):02d}" for f in {**SCHEDULE, **SQLITE_UPKEEP}.values() if "hour" in f
    ]
    assert "07:00" in times
    for command in ("scheduler", "serve"):
        said = _help(command)
        assert [t for t in times if t not in said] == [], (command, said)
        assert "báo cáo định kỳ" in said, (command, said)
        # the leaders' digest waits for a working day (DONDOC_DIGEST_WORKING_DAYS_ONLY)
        assert "ngày làm việc" in said, (command, said)
    assert "ngày làm việc" in _help("digest")


def test_indicators_report_help_names_every_period_it_takes() -> None:
    """``--period`` said "6 tháng (2022-H1/H2) hoặc cả năm (2022)"; the quarter running takes a figure too."""
    from datetime import datetime

    from dondoc.engine.clock import LOCAL_TZ
    from dondoc.engine.services.indicators import open_periods

    said = _help("indicators", "report")
    for day in (datetime(2022, 3, 1, tzinfo=LOCAL_TZ), datetime(2022, 8, 1, tzinfo=LOCAL_TZ)):
        assert [p for p in open_periods(day) if p not in said and p[-2:] != "Q1"] == [], said
    assert "quý" in said, said


def test_a_succession_help_names_every_state_of_the_work_it_passes() -> None:
    """``catalog load`` and ``agencies succeed`` said a succession passes the work "đang thực hiện" of
    the body that ended: it passes every part not finished (given, in progress, reported and waiting
    to be verified), or leaves it waiting in "Cần phân công lại"."""
    from dondoc.engine.models.assignments import STATE_LABELS_VI, TERMINAL_STATES
    from dondoc.engine.services.successions import KIND_LABELS_VI
    from dondoc.tasks_catalog.recorder import KINDS

    passed = [label.lower() for state, label in STATE_LABELS_VI.items() if state not in TERMINAL_STATES]
    for path in (("catalog", "load"), ("agencies", "succeed")):
        said = _help(*path)
        assert [label for label in passed if label not in said] == [], (path, said)
        assert "Cần phân công lại" in said, (path, said)
    said = _help("agencies", "succeed")
    assert [k for k in KINDS if f"{k} ({KIND_LABELS_VI[k]})" not in said] == [], said
