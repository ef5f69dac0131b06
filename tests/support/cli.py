"""Running the ``dondoc`` command from tests.

``dondoc(...)`` runs it in this process (Typer's ``CliRunner`` captures stdin, stdout, stderr and the
environment) through the real entry point function ``dondoc.cli.main.run``, so its one-line error
handling and exit codes are the ones an operator gets; it returns a ``CompletedProcess`` like
``subprocess.run`` would. ``dondoc_process(...)`` runs the installed ``dondoc`` script in a fresh
interpreter, for the one smoke test per command group (tests/test_cli_entry_point.py).

Each call builds its settings, clock and engine afresh from the environment given (the root
callback does), and the command disposes of its engine when it ends (``AppContext.close``), so
nothing carries over from one invocation to the next.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from sqlalchemy import inspect
from typer.testing import CliRunner

from dondoc.cli.main import run
from dondoc.engine.clock import SystemClock
from dondoc.engine.db import make_engine, transaction
from dondoc.engine.models import ReplayMark
from dondoc.engine.services.history_order import mark_replay
from dondoc.engine.settings import get_settings

Env = Mapping[str, str | None]  # None removes the variable for the call


def invoke(
    argv: Sequence[str], *, env: Env | None = None, stdin: str | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """``dondoc ARGV`` in this process, as the entry point runs it."""
    get_settings.cache_clear()  # nothing in the CLI uses the cached settings; make sure none leak
    runner = CliRunner()
    with contextlib.ExitStack() as stack:
        if cwd is not None:
            stack.enter_context(contextlib.chdir(cwd))
        streams = stack.enter_context(runner.isolation(input=stdin, env=dict(env or {})))
        stdout, stderr = streams[0], streams[1]
        assert stderr is not None, "the CliRunner must keep stderr apart (click >= 8.2)"
        try:
            run(list(argv))
            code = 0
        except SystemExit as exc:
            code = _exit_code(exc.code)
        sys.stdout.flush()
        sys.stderr.flush()
        out, err = stdout.getvalue().decode(), stderr.getvalue().decode()
    return subprocess.CompletedProcess(["dondoc", *argv], code, out, err)


def dondoc(
    db_url: str,
    *args: str,
    now: str | None = None,
    timeout: float = 120,
    env: Env | None = None,
    stdin: str | None = None,
    replay: bool = True,
) -> subprocess.CompletedProcess[str]:
    """``dondoc [--now NOW] ARGS`` on the database ``db_url``, in this process.

    With a ``now`` and ``replay`` (the default), a migrated database is first marked as a replay, so
    commands may write at that past instant (the CLI refuses a past --now on other databases).
    Other ``DONDOC_*`` variables come from the environment (``monkeypatch.setenv``) or ``env``.
    ``timeout`` is kept for the callers written for the subprocess version; it has no effect here.
    """
    del timeout
    if now and replay:
        mark_as_replay(db_url)
    prefix = ["--now", now] if now else []
    return invoke([*prefix, *args], env={"DONDOC_DATABASE_URL": db_url, **(env or {})}, stdin=stdin)


def mark_as_replay(db_url: str) -> None:
    """Mark the database at ``db_url`` as a replay, if its schema has the mark's table yet."""
    engine = make_engine(db_url)
    try:
        if inspect(engine).has_table(ReplayMark.__tablename__):
            with transaction(engine) as session:
                mark_replay(session, now=SystemClock().now())
    finally:
        engine.dispose()


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """``dondoc ARGS`` in this process from folder ``cwd``, without the caller's ``DONDOC_*`` variables."""
    return invoke(args, env=_without_dondoc_variables(), cwd=cwd)


def dondoc_process(
    db_url: str | None,
    *args: str,
    now: str | None = None,
    env: Mapping[str, str] | None = None,
    stdin: str | None = None,
    cwd: Path | None = None,
    timeout: float = 120,
) -> subprocess.CompletedProcess[str]:
    """The installed ``dondoc`` script in a fresh interpreter (``python -m dondoc.cli`` without one)."""
    script = Path(sys.executable).with_name("dondoc")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "dondoc.cli"]
    variables = {k: v for k, v in os.environ.items() if not k.startswith("DONDOC_")} | dict(env or {})
    if db_url is not None:
        variables["DONDOC_DATABASE_URL"] = db_url
    prefix = ["--now", now] if now else []
    return subprocess.run(
        [*command, *prefix, *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=variables,
        cwd=cwd,
        timeout=timeout,
        check=False,
    )


def ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, result.stderr
    return result.stdout


def one_line_error(result: subprocess.CompletedProcess[str], message: str) -> None:
    """A failure as the entry point reports it: non-zero exit, nothing on stdout, one line on stderr."""
    assert result.returncode != 0 and result.stdout == "", (result.returncode, result.stdout)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], result.stderr


def _exit_code(code: object) -> int:
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)  # what the interpreter does with sys.exit("message")
    return 1


def _without_dondoc_variables() -> dict[str, str | None]:
    return dict.fromkeys((k for k in os.environ if k.startswith("DONDOC_")), None)
