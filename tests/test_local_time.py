"""One source of local time: the configured zone (DONDOC_TIMEZONE) decides when a day begins
and when a due date ends; nothing but engine/clock.py (and the settings default) names a zone."""

from __future__ import annotations

import ast
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from dondoc import jobs
from dondoc.engine.clock import LOCAL_TZ, FrozenClock, LocalDays, SystemClock, end_of_day, parse_instant
from dondoc.engine.settings import Settings
from tests.factories import assignment_for
from tests.support.catalogs import MIN_CATALOG

ROOT = Path(__file__).resolve().parents[1]
SOURCE_DIRS = ("engine", "notifications", "web", "dondoc", "flows", "tasks_catalog")
TOKYO = ZoneInfo("Asia/Tokyo")


def test_the_default_zone_is_ho_chi_minh_and_unchanged(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DONDOC_TIMEZONE", raising=False)
    assert Settings(_env_file=None).tz == LOCAL_TZ == ZoneInfo("Asia/Ho_Chi_Minh")  # type: ignore[call-arg]
    local = LocalDays(Settings(_env_file=None).tz)  # type: ignore[call-arg]
    assert local.end_of_day(date(2022, 6, 30)) == datetime(2022, 6, 30, 16, 59, 59, tzinfo=ZoneInfo("UTC"))
    assert local.start_of_day(date(2022, 6, 30)) == datetime(2022, 6, 29, 17, 0, tzinfo=ZoneInfo("UTC"))
    assert local.end_of_day(date(2022, 6, 30)) == end_of_day(date(2022, 6, 30))


def test_clocks_carry_their_zone() -> None:
    frozen = FrozenClock(datetime(2022, 6, 30, 23, 30), TOKYO)  # naive: read in the clock's zone
    assert frozen.now() == datetime(2022, 6, 30, 23, 30, tzinfo=TOKYO)
    assert frozen.end_of_day(date(2022, 6, 30)) == datetime(2022, 6, 30, 23, 59, 59, tzinfo=TOKYO)
    assert frozen.local_date(datetime(2022, 6, 30, 16, 0, tzinfo=ZoneInfo("UTC"))) == date(2022, 7, 1)
    assert LocalDays().local_date(datetime(2022, 6, 30, 16, 0, tzinfo=ZoneInfo("UTC"))) == date(2022, 6, 30)
    system = SystemClock(TOKYO)
    assert system.now().utcoffset() == timedelta(hours=9) and system.tz is TOKYO
    assert parse_instant("2022-07-01", TOKYO) == datetime(2022, 7, 1, tzinfo=TOKYO)


def test_due_dates_end_in_the_configured_zone(monkeypatch: pytest.MonkeyPatch, engine: Engine) -> None:
    monkeypatch.setenv("DONDOC_TIMEZONE", "Asia/Tokyo")
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.tz == TOKYO
    now = datetime(2022, 3, 2, 8, 0, tzinfo=TOKYO)
    jobs.run_catalog_load(engine, now=now, catalog_dir=MIN_CATALOG, local=LocalDays(settings.tz))
    with Session(engine) as session:
        due = assignment_for(session, "99/KH-TEST:II.1", "so-noi-vu").due_at  # "trước ngày 30/6/2022"
    assert due == datetime(2022, 6, 30, 23, 59, 59, tzinfo=TOKYO)
    assert due == datetime(2022, 6, 30, 21, 59, 59, tzinfo=LOCAL_TZ)  # two hours before the default's end


def _zone_constant_users(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id == "LOCAL_TZ":
            found.add("LOCAL_TZ")
        elif isinstance(node, ast.alias) and node.name == "LOCAL_TZ":
            found.add("LOCAL_TZ")
        elif isinstance(node, ast.Attribute) and node.attr == "LOCAL_TZ":
            found.add("LOCAL_TZ")
        elif isinstance(node, ast.Attribute) and node.attr == "combine":
            found.add("combine")  # datetime.combine(day, time(...), zone): ask the clock instead
        elif isinstance(node, ast.Constant) and node.value == "Asia/Ho_Chi_Minh":
            found.add("zone name")
    return found


def test_only_the_clock_names_the_default_zone() -> None:
    allowed = {
        ROOT / "engine" / "clock.py": {"LOCAL_TZ", "combine", "zone name"},
        ROOT / "engine" / "settings.py": {"LOCAL_TZ"},
    }
    offenders = {
        str(path.relative_to(ROOT)): sorted(users - allowed.get(path, set()))
        for folder in SOURCE_DIRS
        for path in sorted((ROOT / folder).rglob("*.py"))
        if "migrations" not in path.parts
        for users in [_zone_constant_users(path)]
        if users - allowed.get(path, set())
    }
    assert offenders == {}
    assert _zone_constant_users(ROOT / "engine" / "clock.py") >= {"LOCAL_TZ"}  # the check does see a use
