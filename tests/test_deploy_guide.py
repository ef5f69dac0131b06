"""The production path of docs/deploy.md and prefect.yaml, checked without a Prefect server:
the env file sources in a shell, the deploy refuses an unset instance directory, schedules
start paused, jobs have concurrency limits, and a flow refuses a database behind the code."""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
from pathlib import Path

import pytest
import yaml
from sqlalchemy.engine import Engine

from dondoc.engine.db import make_engine
from dondoc.engine.errors import ConfigError
from dondoc.engine.settings import Settings
from dondoc.flows.steps import check_instance_directory, instance_directory, set_instance_directory

ROOT = Path(__file__).resolve().parents[1]
GUIDE = ROOT / "docs" / "deploy.md"
ENV_EXAMPLE = ROOT / "docs" / "dondoc.env.example"


def _sourced(path: Path) -> dict[str, str]:
    """The DONDOC_* variables a shell exports after ``set -a; . FILE``; fails on any shell error."""
    script = f'set -eu; set -a; . "{path}"; set +a; env -0'
    done = subprocess.run(
        ["bash", "-c", script], env={"PATH": os.environ["PATH"]}, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0 and done.stderr == "", done.stderr
    pairs = (item.split("=", 1) for item in done.stdout.split("\0") if "=" in item)
    return {k: v for k, v in pairs if k.startswith("DONDOC_")}


def test_the_env_file_sources_in_a_shell_and_reads_as_settings() -> None:
    values = _sourced(ENV_EXAMPLE)
    assert values["DONDOC_MAIL_FROM"] == "Ban Chỉ đạo CĐS <bcd-cds@example.gov.vn>"
    assert values["DONDOC_HOME"] == "/var/lib/dondoc"
    assert values["DONDOC_BASE_URL"] == "https://dondoc.example.gov.vn"  # no inline comment kept in a value
    assert all("#" not in v for v in values.values())
    settings = Settings(_env_file=None, **{k.removeprefix("DONDOC_").lower(): v for k, v in values.items()})
    assert settings.smtp_port == 587 and settings.smtp_security == "starttls"
    assert settings.mail_from == values["DONDOC_MAIL_FROM"]


def test_a_line_the_shell_cannot_source_is_caught(tmp_path: Path) -> None:
    """The check above can fail: the guide's former line (unquoted <…>) breaks the shell."""
    bad = tmp_path / "bad.env"
    bad.write_text("DONDOC_MAIL_FROM=Ban Chỉ đạo CĐS <bcd-cds@example.gov.vn>\n", encoding="utf-8")
    with pytest.raises(AssertionError):
        _sourced(bad)


def _section(number: int) -> str:
    text = GUIDE.read_text(encoding="utf-8")
    start = text.index(f"\n## {number}. ")
    return text[start : text.index("\n## ", start + 1)]


def test_the_guide_shows_the_env_file_as_shipped() -> None:
    """Section 3 shows docs/dondoc.env.example verbatim (the file the test above sources)."""
    blocks = re.findall(r"```sh\n(.*?)```", _section(3), flags=re.S)
    assert ENV_EXAMPLE.read_text(encoding="utf-8") in blocks


def test_the_guide_loads_the_catalog_once_and_resumes_schedules_after_a_manual_sweep() -> None:
    three, six = _section(3), _section(6)
    assert "dondoc catalog load" in three and "catalog-load" not in six  # one place, one moment
    assert "prefect deployment schedule resume --all" in six
    assert six.index("dondoc-sweep' -p now=") < six.index("prefect deployment schedule resume --all")
    assert "--limit 1" in six and "PREFECT_FLOWS_HEARTBEAT_FREQUENCY=30" in six
    assert "prefect automation create --from-file /opt/dondoc/prefect-automations.yaml" in _section(5)


# -- prefect.yaml ----------------------------------------------------------------------------

CONFIG = yaml.safe_load((ROOT / "prefect.yaml").read_text(encoding="utf-8"))


def test_deployments_are_created_paused_with_concurrency_limits() -> None:
    schedules = [s for d in CONFIG["deployments"] for s in d.get("schedules") or []]
    assert len(schedules) == 4 and all(s["active"] is False for s in schedules)
    limits = {d["name"]: d["concurrency_limit"] for d in CONFIG["deployments"]}
    assert limits.pop("dondoc-deliver") == {"limit": 2, "collision_strategy": "CANCEL_NEW"}
    assert set(limits) == {"dondoc-sweep", "dondoc-digests", "dondoc-periodic-reports", "dondoc-catalog-load"}
    assert all(limit == {"limit": 1, "collision_strategy": "ENQUEUE"} for limit in limits.values())


def test_the_deploy_and_every_run_check_the_instance_directory() -> None:
    (build,) = CONFIG["build"]
    (pull,) = CONFIG["pull"]
    assert build == {"dondoc.flows.steps.check_instance_directory": {"directory": "{{ $DONDOC_HOME }}"}}
    assert pull == {"dondoc.flows.steps.set_instance_directory": {"directory": "{{ $DONDOC_HOME }}"}}


@pytest.mark.parametrize("value", [None, "", "  ", "{{ $DONDOC_HOME }}", "/srv/{{ $DONDOC_HOME }}"])
def test_an_unset_or_unresolved_instance_directory_is_refused(value: str | None) -> None:
    with pytest.raises(ConfigError, match="DONDOC_HOME chưa được đặt") as refused:
        instance_directory(value)
    assert "\n" not in str(refused.value)


def test_a_relative_or_missing_instance_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="tuyệt đối"):
        instance_directory("var/lib/dondoc")
    with pytest.raises(ConfigError, match="không phải là một thư mục"):
        instance_directory(str(tmp_path / "missing"))


def test_the_build_step_reads_dondoc_home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("DONDOC_HOME", raising=False)
    with pytest.raises(ConfigError):
        check_instance_directory()
    monkeypatch.setenv("DONDOC_HOME", str(tmp_path))
    assert check_instance_directory() == {"directory": str(tmp_path)}


def test_the_pull_step_enters_the_instance_directory(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(ROOT)  # restored after the test
    assert set_instance_directory(str(tmp_path)) == {"directory": str(tmp_path)}
    assert Path.cwd() == tmp_path
    with pytest.raises(ConfigError):
        set_instance_directory("{{ $DONDOC_HOME }}")
    assert Path.cwd() == tmp_path  # a refused step moves nothing


# -- the flows refuse a database whose schema is not the code's ------------------------------


def test_a_flow_refuses_a_database_behind_the_installed_code(tmp_path: Path, engine: Engine) -> None:
    from dondoc.flows.common import require_schema_at_head

    require_schema_at_head(engine)  # the fixtures' database is at head
    blank = make_engine(f"sqlite:///{tmp_path / 'blank.db'}")
    try:
        with pytest.raises(ConfigError, match="dondoc db upgrade") as refused:
            require_schema_at_head(blank)
    finally:
        blank.dispose()
    assert "\n" not in str(refused.value) and "trống" in str(refused.value)


def test_a_flow_checks_the_schema_before_its_first_task(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from dondoc.flows.common import settings_for_run

    monkeypatch.chdir(tmp_path)  # no stray .env
    monkeypatch.setenv("DONDOC_BASE_URL", "http://dondoc.test")
    sqlite3.connect(tmp_path / "blank.db").close()  # a SQLite file with no schema
    monkeypatch.setenv("DONDOC_DATABASE_URL", f"sqlite:///{tmp_path / 'blank.db'}")
    with pytest.raises(ConfigError, match="cần "):
        settings_for_run()


# -- scripts/deploy_check.py runs the guide's own commands -----------------------------------


def test_the_end_to_end_check_runs_the_guides_commands() -> None:
    """Every command scripts/deploy_check.py runs as the guide's is in docs/deploy.md, word for
    word, so the slow test that runs it (tests/test_deploy_check.py) keeps the guide tested."""
    import ast

    tree = ast.parse((ROOT / "scripts" / "deploy_check.py").read_text(encoding="utf-8"))
    (table,) = [
        node.value
        for node in tree.body
        if isinstance(node, ast.Assign) and [getattr(t, "id", "") for t in node.targets] == ["GUIDE"]
    ]
    guide = GUIDE.read_text(encoding="utf-8")
    commands = [line for command in ast.literal_eval(table).values() for line in command.splitlines()]
    assert len(commands) >= 14
    assert [command for command in commands if command not in guide] == []
