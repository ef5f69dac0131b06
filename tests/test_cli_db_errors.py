"""Every database failure the CLI meets ends in one line that names its cause; the hint to upgrade
comes only with a schema behind the code."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy.exc import OperationalError

from dondoc.cli.db_errors import UPGRADE_HINT, describe
from dondoc.engine.db import sqlite_file
from tests.support.cli import dondoc, ok, one_line_error


def test_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("không phải cơ sở dữ liệu, chỉ là một tệp văn bản\n" * 50)
    result = dondoc(f"sqlite:///{path}", "status")
    one_line_error(result, "không phải cơ sở dữ liệu hoặc đã hỏng")
    assert UPGRADE_HINT not in result.stderr


def test_a_truncated_sqlite_file(tmp_path: Path) -> None:
    whole = tmp_path / "whole.db"
    ok(dondoc(f"sqlite:///{whole}", "db", "upgrade"))
    cut = tmp_path / "cut.db"
    cut.write_bytes(whole.read_bytes()[:5000])
    result = dondoc(f"sqlite:///{cut}", "status")
    one_line_error(result, "không phải cơ sở dữ liệu hoặc đã hỏng")
    assert UPGRADE_HINT not in result.stderr


def test_connection_refused() -> None:
    result = dondoc("postgresql+psycopg://postgres@127.0.0.1:1/none", "status")
    one_line_error(result, "không kết nối được máy chủ cơ sở dữ liệu")
    assert UPGRADE_HINT not in result.stderr


def test_an_empty_database_is_told_to_upgrade(tmp_path: Path) -> None:
    sqlite3.connect(tmp_path / "empty.db").close()  # an empty file: SQLite's database with no table
    result = dondoc(f"sqlite:///{tmp_path / 'empty.db'}", "status")
    one_line_error(result, UPGRADE_HINT)
    assert "chưa ở phiên bản mới nhất" in result.stderr


@pytest.mark.parametrize(
    "command",
    [
        ("status",),
        ("assignments", "list"),
        ("report", "--period", "2022"),
        ("indicators", "list", "--agency", "x"),
        ("db", "current"),
        ("catalog", "load"),
        ("sweep",),
        ("plans", "track", "61/KH-UBND"),
    ],
)
def test_a_command_makes_no_database_where_there_is_none(tmp_path: Path, command: tuple[str, ...]) -> None:
    """status in a folder that did not exist had made the folder and an empty file, then told to
    upgrade; a command that writes made the file too. Only db upgrade, init and simulate make one."""
    missing = tmp_path / "khong-co" / "dondoc.db"
    result = dondoc(f"sqlite:///{missing}", *command)
    one_line_error(result, f"chưa có cơ sở dữ liệu {missing}: tạo bằng `dondoc init`")
    assert not missing.parent.exists()


def test_a_sqlite_uri_names_its_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A ``file:`` URI (``?uri=true``) names the file after ``file:``: an existing one is read, read-only
    too; a missing one is refused by its own path, and no folder named "file:" is made."""
    monkeypatch.chdir(tmp_path)  # where a folder named "file:" would be made
    real = tmp_path / "real.db"
    ok(dondoc(f"sqlite:///{real}", "db", "upgrade"))
    assert "Tổng" in ok(dondoc(f"sqlite:///file:{real}?uri=true", "status"))
    assert "Tổng" in ok(dondoc(f"sqlite:///file:{real}?mode=ro&uri=true", "status"))
    missing = tmp_path / "none.db"
    one_line_error(dondoc(f"sqlite:///file:{missing}?uri=true", "status"), f"chưa có cơ sở dữ liệu {missing}:")
    assert not missing.exists() and not (Path.cwd() / "file:").exists()
    assert sqlite_file("sqlite:///file::memory:?uri=true") is None
    assert sqlite_file("sqlite:///file:x.db?mode=memory&uri=true") is None
    assert sqlite_file("sqlite://") is None and sqlite_file("postgresql+psycopg://postgres@127.0.0.1/test") is None


def test_an_unknown_revision(tmp_path: Path) -> None:
    result = dondoc(f"sqlite:///{tmp_path / 'x.db'}", "db", "upgrade", "nosuchrev")
    one_line_error(result, "nosuchrev")


def test_a_locked_database_is_named_locked(tmp_path: Path) -> None:
    """A real lock held by another connection (the CLI itself waits 30 s for one, so the driver's own
    error is taken here with no wait and given to the handler as SQLAlchemy raises it)."""
    path = tmp_path / "locked.db"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE t (x INTEGER)")
    holder.execute("BEGIN EXCLUSIVE")
    waiter = sqlite3.connect(path, timeout=0)
    with pytest.raises(sqlite3.OperationalError) as caught:
        waiter.execute("SELECT * FROM t")
    holder.rollback()
    holder.close()
    waiter.close()
    line = describe(OperationalError("SELECT * FROM t", {}, caught.value))
    assert "đang bị một tiến trình khác khóa" in line and UPGRADE_HINT not in line
    assert len(line.splitlines()) == 1


def test_a_worker_makes_no_database_where_there_is_none(tmp_path: Path) -> None:
    """A Prefect worker given a mistyped SQLite path had made the folder and an empty file."""
    from dondoc.engine.errors import InvalidInput
    from dondoc.engine.settings import Settings
    from dondoc.flows.common import database

    missing = tmp_path / "khong-co" / "dondoc.db"
    settings = Settings(_env_file=None, database_url=f"sqlite:///{missing}")  # type: ignore[call-arg]
    with pytest.raises(InvalidInput, match="chưa có cơ sở dữ liệu"), database(settings):
        pass
    assert not missing.parent.exists()
