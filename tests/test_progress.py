"""Progress bars: drawn on a terminal, never with --json, in a pipe or in a log."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from dondoc.cli.progress import progress, shown
from dondoc.engine.settings import Settings
from dondoc.simulation.replay import prepare, replay
from tests.support.catalogs import MIN_CATALOG
from tests.support.cli import dondoc, ok

LABEL = "Nạp danh mục kế hoạch"


def test_no_bar_unless_standard_error_is_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.delenv("TTY_COMPATIBLE", raising=False)
    assert not shown()  # pytest captures stderr: a pipe, as a log or a service manager would
    monkeypatch.setenv("FORCE_COLOR", "1")  # rich's own way to say "a terminal"
    assert shown() and not shown(quiet=True)
    with progress("x", quiet=True) as tell:
        assert tell(1, 2) is None


def test_catalog_load_shows_progress_on_a_terminal_not_in_json(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FORCE_COLOR", "1")
    quiet = dondoc(db_url, "catalog", "load", "--dir", str(MIN_CATALOG), "--json", now="2022-03-02")
    assert json.loads(ok(quiet))["created"] and quiet.stderr == ""
    shown_run = dondoc(db_url, "catalog", "load", "--dir", str(MIN_CATALOG), now="2022-03-02")
    assert LABEL in shown_run.stderr and LABEL not in shown_run.stdout
    monkeypatch.delenv("FORCE_COLOR")
    piped = dondoc(db_url, "catalog", "load", "--dir", str(MIN_CATALOG), now="2022-03-02")
    assert ok(piped) and piped.stderr == ""


def test_the_replay_reports_each_day(sqlite_engine: Engine, tmp_path: Path) -> None:
    told: list[tuple[int, int]] = []
    prepare(sqlite_engine, reset=False)
    settings = Settings(maildrop_dir=tmp_path / "drop", catalog_dir=MIN_CATALOG, demo=True)
    replay(
        sqlite_engine,
        start=date(2022, 3, 1),
        end=date(2022, 3, 3),
        seed=1,
        settings=settings,
        catalog_dir=MIN_CATALOG,
        progress=lambda done, total: told.append((done, total)),
    )
    assert told == [(0, 3), (1, 3), (2, 3), (3, 3)]
