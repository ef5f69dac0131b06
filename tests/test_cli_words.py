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
