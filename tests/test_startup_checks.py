"""``serve`` and ``scheduler`` check the policy, the catalog, the database and its schema before they
listen or schedule, and refuse to start with one line if any fails."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
import uvicorn

from tests.support.cli import dondoc, one_line_error

# What a real start sets once in .env (README): the secret and the address links point to.
SECRET = {"DONDOC_SECRET_KEY": "a-test-secret-of-enough-length", "DONDOC_BASE_URL": "https://dondoc.example.gov.vn"}


@pytest.fixture
def listened(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Records whether ``serve`` got as far as serving (uvicorn's server is not really started)."""
    calls: list[object] = []
    monkeypatch.setattr(uvicorn.Server, "run", lambda self, sockets=None: calls.append(self.config.app))
    return calls


def test_serve_listens_when_everything_is_ready(db_url: str, listened: list[object]) -> None:
    result = dondoc(db_url, "serve", "--no-scheduler", "--port", "0", env=SECRET)
    assert result.returncode == 0, result.stderr
    assert len(listened) == 1


@pytest.mark.parametrize("command", [["serve", "--no-scheduler", "--port", "0"], ["scheduler"]])
def test_a_malformed_policy_is_refused_at_start(
    command: list[str], db_url: str, tmp_path: Path, listened: list[object]
) -> None:
    policy = tmp_path / "policy.yaml"
    policy.write_text("version: 1\nrules: [oops\n")
    result = dondoc(db_url, *command, env={**SECRET, "DONDOC_POLICY_FILE": str(policy)})
    one_line_error(result, "policy.yaml bị từ chối")
    assert listened == []


@pytest.mark.parametrize("command", [["serve", "--no-scheduler", "--port", "0"], ["scheduler"]])
def test_a_broken_catalog_is_refused_at_start(
    command: list[str], db_url: str, tmp_path: Path, listened: list[object]
) -> None:
    (tmp_path / "plans").mkdir()
    (tmp_path / "agencies.yaml").write_text("agencies: [\n")
    result = dondoc(db_url, *command, env={**SECRET, "DONDOC_CATALOG_DIR": str(tmp_path)})
    one_line_error(result, "catalog invalid")
    assert listened == []


@pytest.mark.parametrize("command", [["serve", "--no-scheduler", "--port", "0"], ["scheduler"]])
def test_an_unreachable_database_is_refused_at_start(command: list[str], listened: list[object]) -> None:
    result = dondoc("postgresql+psycopg://postgres@127.0.0.1:1/none", *command, env=SECRET)
    one_line_error(result, "không kết nối được máy chủ cơ sở dữ liệu")
    assert listened == []


@pytest.mark.parametrize("command", [["serve", "--no-scheduler", "--port", "0"], ["scheduler"]])
def test_a_schema_behind_the_code_is_refused_at_start(
    command: list[str], tmp_path: Path, listened: list[object]
) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    dondoc(url, "db", "upgrade", "0011")
    result = dondoc(url, *command, env=SECRET)
    one_line_error(result, "dondoc db upgrade")
    assert "0011" in result.stderr and listened == []


def test_an_empty_database_is_refused_at_start(tmp_path: Path, listened: list[object]) -> None:
    sqlite3.connect(tmp_path / "empty.db").close()  # a SQLite file with no table
    result = dondoc(f"sqlite:///{tmp_path / 'empty.db'}", "serve", "--no-scheduler", "--port", "0", env=SECRET)
    one_line_error(result, "(trống)")
    assert listened == []


def test_a_missing_database_is_refused_at_start_and_not_made(tmp_path: Path, listened: list[object]) -> None:
    result = dondoc(f"sqlite:///{tmp_path / 'none.db'}", "serve", "--no-scheduler", "--port", "0", env=SECRET)
    one_line_error(result, f"chưa có cơ sở dữ liệu {tmp_path / 'none.db'}: tạo bằng `dondoc init`")
    assert listened == [] and not (tmp_path / "none.db").exists()
