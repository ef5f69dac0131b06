"""Where links point: DONDOC_BASE_URL, or — for ``dondoc serve`` alone, in its single-process
default — the server's own host and port. Every other process refuses an unset base URL with one
line before doing anything, and no link is ever built from a request's Host header."""

from __future__ import annotations

import gc
import logging
import socket
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session, select

from dondoc.engine.clock import SystemClock
from dondoc.engine.errors import ConfigError
from dondoc.engine.models.access import AccessGrant
from dondoc.engine.settings import Settings
from tests.support.cli import dondoc
from tests.support.web import SECRET, WebEnv

KEY = {"DONDOC_SECRET_KEY": SECRET, "DONDOC_BASE_URL": None}


@pytest.fixture
def no_env_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run from an empty folder (no .env) with no DONDOC_BASE_URL in the environment."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DONDOC_BASE_URL", raising=False)
    return tmp_path


@pytest.mark.parametrize(
    "args",
    [
        ["links", "issue", "so-tttt"],
        ["links", "reissue", "chair"],
        ["sweep"],
        ["digest"],
        ["deliver"],
        ["scheduler"],
        ["serve", "--no-scheduler", "--port", "0"],
        ["serve", "--host", "0.0.0.0", "--port", "0"],
    ],
    ids=lambda a: " ".join(a),
)
def test_an_unset_base_url_is_refused_in_one_line(web: WebEnv, no_env_file: Path, args: list[str]) -> None:
    with Session(web.engine) as session:
        grants = [(g.subject, g.generation) for g in session.exec(select(AccessGrant))]
    result = dondoc(str(web.engine.url), *args, env=KEY)
    assert result.returncode != 0
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "DONDOC_BASE_URL" in lines[0], result.stderr
    with Session(web.engine) as session:  # nothing written: no new grant, no generation bumped
        assert [(g.subject, g.generation) for g in session.exec(select(AccessGrant))] == grants


def test_a_set_base_url_is_where_printed_links_point(web: WebEnv, no_env_file: Path) -> None:
    env = {"DONDOC_SECRET_KEY": SECRET, "DONDOC_BASE_URL": "https://dondoc.example.gov.vn/"}
    result = dondoc(str(web.engine.url), "links", "issue", "so-tttt", env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("https://dondoc.example.gov.vn/a/")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_serve_alone_points_links_at_its_own_host_and_port(
    web: WebEnv, no_env_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The single-process default: the app and the embedded scheduler get http://HOST:PORT."""
    import uvicorn

    from dondoc import scheduler

    served: dict[str, Any] = {}
    monkeypatch.setattr(  # nothing really serves: record what would have
        uvicorn.Server, "run", lambda self, sockets=None: served.update(app=self.config.app, port=self.config.port)
    )
    monkeypatch.setattr(scheduler, "build_scheduler", lambda e, settings, c: served.update(jobs=settings))
    gc.unfreeze()
    thresholds = gc.get_threshold()
    port = _free_port()  # serve checks its port is free first: 8765 was written here, and a server on it failed this
    result = dondoc(str(web.engine.url), "serve", "--host", "127.0.0.1", "--port", str(port), env=KEY)
    frozen, serving = gc.get_freeze_count(), gc.get_threshold()
    gc.unfreeze()  # this test process goes on: its objects back to the collector, at its thresholds
    gc.set_threshold(*thresholds)
    assert result.returncode == 0, result.stderr
    assert frozen > 0  # what was built to start is out of the collector's way (web.app.settle_heap)
    assert serving[0] == 50_000  # and a page's live objects are not walked every 700 allocations
    assert served["port"] == port
    assert served["app"].state.ctx.settings.links_base() == f"http://127.0.0.1:{port}"
    assert served["jobs"].links_base() == f"http://127.0.0.1:{port}"  # the mails it sends
    assert isinstance(served["app"].state.ctx.login_clock, SystemClock)  # logins throttled in real time


def test_serve_on_any_free_port_points_links_at_the_port_it_got_and_says_where(
    web: WebEnv, no_env_file: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """``--port 0`` ("any free port") pointed every link at http://127.0.0.1:0, and nothing said
    which port the board was on. Where the mails' links point is said in Vietnamese, as every line
    the person running `serve` reads (it said "links in mails point to …")."""
    caplog.set_level(logging.INFO, logger="dondoc")
    import uvicorn

    from dondoc import scheduler

    served: dict[str, Any] = {}
    monkeypatch.setattr(
        uvicorn.Server,
        "run",
        lambda self, sockets=None: served.update(app=self.config.app, port=sockets[0].getsockname()[1]),
    )
    monkeypatch.setattr(scheduler, "build_scheduler", lambda e, settings, c: served.update(jobs=settings))
    thresholds = gc.get_threshold()
    result = dondoc(str(web.engine.url), "serve", "--host", "127.0.0.1", "--port", "0", env=KEY)
    gc.unfreeze()
    gc.set_threshold(*thresholds)
    assert result.returncode == 0, result.stderr
    port = served["port"]
    assert port > 0 and served["app"].state.ctx.settings.links_base() == f"http://127.0.0.1:{port}"
    assert served["jobs"].links_base() == f"http://127.0.0.1:{port}"
    assert f"Bảng theo dõi: http://127.0.0.1:{port}/board (Ctrl+C để dừng)" in result.stdout
    told = [r.getMessage() for r in caplog.records if r.name == "dondoc"]
    assert f"Liên kết trong thư dẫn tới http://127.0.0.1:{port}" in told, told


def test_links_base_refuses_unset_outside_demo() -> None:
    with pytest.raises(ConfigError, match="DONDOC_BASE_URL"):
        Settings(_env_file=None, secret_key=SECRET).links_base()  # type: ignore[call-arg]
    assert Settings(_env_file=None, base_url="http://a.example/").links_base() == "http://a.example"  # type: ignore[call-arg]
    assert Settings(_env_file=None, demo=True).links_base() == "http://127.0.0.1:8000"  # type: ignore[call-arg]


def test_prefect_workers_refuse_an_unset_base_url(no_env_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from dondoc.flows.common import load_settings

    monkeypatch.setenv("DONDOC_SECRET_KEY", SECRET)
    with pytest.raises(ConfigError, match="DONDOC_BASE_URL"):
        load_settings()
    monkeypatch.setenv("DONDOC_BASE_URL", "https://dondoc.example.gov.vn")
    assert load_settings().links_base() == "https://dondoc.example.gov.vn"


def test_a_request_host_header_never_makes_a_link(web: WebEnv) -> None:
    token = web.link("agency:so-tttt")
    feed = web.client.get(f"/a/{token}/calendar.ics", headers={"Host": "evil.example"})
    assert feed.status_code == 200
    assert "evil.example" not in feed.text and "http://testserver/a/" in feed.text.replace("\r\n ", "")


@pytest.mark.parametrize(
    "value",
    [
        "dondoc.example.gov.vn",  # no scheme: "dondoc.example.gov.vn/a/…" in every mail
        "ftp://dondoc.example.gov.vn",
        "http://127.0.0.1:8000 ",  # a trailing space: "http://127.0.0.1:8000 /a/…"
        "http://127.0.0.1:8000/board",  # a path: "…/board/a/…" opens nothing
        "http://127.0.0.1:abc",
        "https://user@dondoc.example.gov.vn",
        "https://dondoc.example.gov.vn/?x=1",
    ],
)
def test_a_base_url_links_cannot_be_made_of_is_refused_in_one_line(no_env_file: Path, value: str) -> None:
    result = dondoc("sqlite:///x.db", "links", "issue", "so-tttt", env={**KEY, "DONDOC_BASE_URL": value})
    lines = result.stderr.strip().splitlines()
    assert result.returncode != 0 and len(lines) == 1, result.stderr
    assert f"DONDOC_BASE_URL {value!r} không dùng được" in lines[0] and "http(s)://" in lines[0]


@pytest.mark.parametrize("value", ["https://dondoc.example.gov.vn", "http://127.0.0.1:8000/", "http://[::1]:8000"])
def test_an_address_with_a_scheme_and_a_host_is_taken(value: str) -> None:
    assert Settings(_env_file=None, base_url=value).links_base() == value.rstrip("/")  # type: ignore[call-arg]
