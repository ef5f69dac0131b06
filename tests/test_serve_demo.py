"""``dondoc serve --demo``: the port is checked first, a current demo database is reused, a stale
one rebuilt behind the "đang dựng dữ liệu minh họa" page. The replay is driven directly, over a
few days of the minimal catalog (the demo's own window is the same code over more days)."""

from __future__ import annotations

import asyncio
import socket
from datetime import date, timedelta
from pathlib import Path

import httpx
from sqlalchemy import func, select
from sqlmodel import col

from dondoc.cli.serve_cmd import DemoBoard, demo_settings
from dondoc.engine.clock import ensure_aware
from dondoc.engine.models import Event
from dondoc.engine.settings import Settings
from dondoc.simulation.demo import Window, fingerprint, stored_fingerprint
from dondoc.web.building import Handover
from tests.support.catalogs import copy_catalog, edit
from tests.support.cli import invoke

WINDOW = Window(date(2022, 3, 1), date(2022, 3, 4), 1)


def _board(tmp_path: Path, catalog: Path, lines: list[str]) -> DemoBoard:
    settings = demo_settings(Settings(catalog_dir=catalog), "http://testserver", tmp_path / "var" / "demo.db")
    return DemoBoard(settings, tmp_path / "var" / "demo.db", WINDOW, echo=lines.append)


def _get(app: object, path: str) -> httpx.Response:
    async def get() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            return await client.get(path)

    return asyncio.run(get())


def test_a_busy_port_is_one_line_before_any_work(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        result = invoke(["serve", "--demo", "--port", str(port)], cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and f"cổng {port}" in result.stderr and "đang bận" in result.stderr
    assert not (tmp_path / "var").exists()  # no replay, no database: nothing done


def test_a_current_database_is_reused_and_a_stale_one_rebuilt(tmp_path: Path) -> None:
    catalog, lines = copy_catalog(tmp_path), []
    board = _board(tmp_path, catalog, lines)
    assert not board.current()  # no file yet
    days: list[tuple[int, int]] = []
    board.build(lambda done, total: days.append((done, total)))
    assert days[0] == (0, 4) and days[-1] == (4, 4)
    stamp = stored_fingerprint(board.engine)
    assert stamp is not None and stamp == fingerprint(board.engine, board.settings, WINDOW)
    # no history stands after the demo's "now": the replay lives through its last day
    with board.engine.connect() as connection:
        latest = connection.execute(select(func.max(col(Event.at)))).scalar_one()
        assert latest is not None and ensure_aware(latest) <= board.clock.now()
        assert ensure_aware(latest) > board.clock.now() - timedelta(days=1)  # the last day did act

    again = _board(tmp_path, catalog, lines)
    app = again.start(scheduler=False)
    assert not isinstance(app, Handover) and again.thread is None  # served at once, no replay
    assert any(line.startswith("minh họa: dùng lại") for line in lines)
    # the newcomer's first read, in the users' language: the login, then each link by whose it is
    base = again.settings.links_base()
    assert any(line.startswith(f"Tổ giúp việc: {base}/board  tài khoản thuky  mật khẩu ") for line in lines)
    assert any(line.startswith(f"Trưởng Ban Chỉ đạo: {base}/leaders/") for line in lines)
    assert any(line.startswith(f"Phó Trưởng ban Thường trực: {base}/leaders/") for line in lines)
    assert not any(word in line for line in lines for word in ("password", "clock frozen", "secretariat:"))
    assert stored_fingerprint(again.engine) == stamp

    edit(catalog, "agencies.yaml", "Sở Thông tin và Truyền thông", "Sở Thông tin và Truyền thông tỉnh")
    stale = _board(tmp_path, catalog, lines)
    assert not stale.current()
    lines.clear()
    building = stale.start(scheduler=False)
    assert isinstance(building, Handover)
    assert stale.thread is not None
    assert any("việc đã làm trên bảng minh họa cũ không còn" in line for line in lines)  # said, not silent
    stale.thread.join(timeout=120)
    assert stale.board is not None and stored_fingerprint(stale.engine) not in (None, stamp)
    assert stale.current()
    for each in (board, again, stale):
        each.engine.dispose()


def test_a_changed_window_or_seed_is_not_current(tmp_path: Path) -> None:
    board = _board(tmp_path, copy_catalog(tmp_path), [])
    base = fingerprint(board.engine, board.settings, WINDOW)
    assert fingerprint(board.engine, board.settings, Window(WINDOW.start, WINDOW.end, 2)) != base
    assert fingerprint(board.engine, board.settings, Window(WINDOW.start, date(2022, 3, 5), 1)) != base
    assert fingerprint(board.engine, board.settings, WINDOW) == base


def test_the_building_page_shows_the_replay_progress_then_the_board(tmp_path: Path) -> None:
    handover = Handover()
    first = _get(handover, "/board")
    assert first.status_code == 503 and "Đang nạp danh mục" in first.text
    handover.progress(73, 287)
    page = _get(handover, "/a/some-token")
    assert page.status_code == 503 and page.headers["retry-after"] == "2"
    assert "Đang dựng dữ liệu minh họa … 25 %" in page.text and 'http-equiv="refresh"' in page.text
    assert "73/287" in page.text

    async def board(scope, receive, send):  # type: ignore[no-untyped-def]
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
        await send({"type": "http.response.body", "body": b"board"})

    handover.ready(board)
    served = _get(handover, "/board")
    assert served.status_code == 200 and served.text == "board"


def test_a_failed_replay_says_so(tmp_path: Path) -> None:
    handover = Handover()
    handover.failed("CatalogInvalid: <x>")
    page = _get(handover, "/board")
    assert page.status_code == 500 and "Không dựng được" in page.text and "&lt;x&gt;" in page.text


def test_a_rebuild_empties_the_demo_mail_drop_of_the_old_replay(tmp_path: Path) -> None:
    board = _board(tmp_path, copy_catalog(tmp_path), [])
    drop = board.settings.maildrop_dir
    drop.mkdir(parents=True)
    (drop / "999999.eml").write_bytes(b"Message-ID: <old@replay>\r\n\r\nold\r\n")  # a mail of an earlier replay
    (drop / "notes.txt").write_text("not a mail")
    board.build()
    assert not (drop / "999999.eml").exists()
    assert (drop / "notes.txt").read_text() == "not a mail"  # only the mails go
    board.engine.dispose()


def test_the_demo_imports_into_a_folder_of_its_own_and_a_published_plan_keeps_it_current(tmp_path: Path) -> None:
    catalog, lines = copy_catalog(tmp_path), []
    board = _board(tmp_path, catalog, lines)
    local = board.settings.catalog_local_dir
    # /board/import is not refused for want of a folder: the demo has one beside its database
    assert local is not None and local == tmp_path / "var" / "demo-catalog"
    board.build()
    assert board.current()
    (local / "plans").mkdir(parents=True)  # what publishing on /board/import writes
    (local / "plans" / "99-kh-ubnd.yaml").write_text("meta: {number: 99/KH-UBND}\n", encoding="utf-8")
    again = _board(tmp_path, catalog, lines)
    assert again.current()  # the next start reuses the board: the secretariat's work is kept
    mine = tmp_path / "mine"
    chosen = demo_settings(Settings(catalog_local_dir=mine), "http://testserver", tmp_path / "var" / "demo.db")
    assert chosen.catalog_local_dir == mine  # DONDOC_CATALOG_LOCAL_DIR, when set, is the one
    for each in (board, again):
        each.engine.dispose()
