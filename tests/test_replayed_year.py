"""After a replayed window of the real catalog, every queue's count on the board equals its page's
rows, on SQLite and PostgreSQL (issue 16's acceptance asks for a year).

The window is replayed once per database (``dondoc simulate`` on each: a real replay on SQLite and
another on PostgreSQL, not a copy), in a module-scoped fixture. It is the plan year 2022 (CI runs it:
19 s CPU on SQLite, 27 s on PostgreSQL in the test process, idle machine, 2026-12-02);
``DONDOC_DESK_REPLAY=months`` replays two months (01/06–31/07/2022) for a quicker look.

This file replays on SQLite; tests/test_web_desk_replay_pg.py runs the same test on PostgreSQL, a file
of its own so that pytest-xdist (``--dist loadfile``) runs the two replays on two workers at once: in
one file they ran one after the other, a minute and a half beyond the rest of the slow stage.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator
from contextlib import ExitStack
from datetime import datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session

from dondoc.engine.clock import LOCAL_TZ, FrozenClock
from dondoc.engine.db import make_engine
from dondoc.engine.migrate import upgrade
from dondoc.engine.services.accounts import add_user
from dondoc.engine.services.queues import queue_by_slug
from dondoc.engine.settings import Settings
from dondoc.web.app import create_app
from tests.support.cli import dondoc, ok
from tests.support.databases import fresh_postgres_schema
from tests.support.desk import header_backlog, header_counts, list_rows, queue_rows
from tests.support.web import PASSWORD, SECRET, USER, csrf_of

pytestmark = pytest.mark.slow  # a replay of a province, once per database

WINDOWS = {  # (first day, last day, the first working morning after it)
    "months": ("2022-06-01", "2022-07-31", datetime(2022, 8, 1, 9, 0, tzinfo=LOCAL_TZ)),
    "year": ("2022-01-01", "2022-12-31", datetime(2023, 1, 3, 9, 0, tzinfo=LOCAL_TZ)),
}
FIRST, LAST, AFTER = WINDOWS[os.environ.get("DONDOC_DESK_REPLAY", "year")]


def replayed(backend: str, request: pytest.FixtureRequest, folder: Path) -> Iterator[tuple[str, Path]]:
    """A database of ``backend`` that lived through ``FIRST``..``LAST`` by ``dondoc simulate``, and its folder."""
    with ExitStack() as stack:
        if backend == "sqlite":
            shutil.copy(request.getfixturevalue("sqlite_template"), folder / "dondoc.db")
            url = f"sqlite:///{folder / 'dondoc.db'}"
        else:  # a schema of its own, dropped at the end
            url = stack.enter_context(fresh_postgres_schema("dondoc_year"))
            engine = make_engine(url)
            upgrade(engine)
            engine.dispose()
        env = {"DONDOC_MAILDROP_DIR": str(folder / "maildrop")}
        started = time.process_time()
        ok(dondoc(url, "simulate", "--from", FIRST, "--to", LAST, env=env))
        print(f"year replay on {backend}: {time.process_time() - started:.0f} s CPU in this process")
        yield url, folder


@pytest.fixture(scope="module")
def year(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """The year on SQLite (on PostgreSQL: tests/test_web_desk_replay_pg.py)."""
    yield from replayed("sqlite", request, tmp_path_factory.mktemp("year-sqlite"))


@pytest.fixture
def year_engine(year: tuple[str, Path]) -> Iterator[Engine]:
    engine = make_engine(year[0])
    yield engine
    engine.dispose()


def test_queue_counts_equal_their_pages_after_a_replayed_year(year: tuple[str, Path], year_engine: Engine) -> None:
    url, folder = year
    with Session(year_engine) as session:
        add_user(session, USER, PASSWORD, now=AFTER, display_name="Tổ giúp việc")
        session.commit()
    settings = Settings(secret_key=SECRET, database_url=url, base_url="http://testserver", maildrop_dir=folder / "mail")
    app = create_app(settings=settings, engine=year_engine, clock=FrozenClock(AFTER), attachments=folder / "files")
    with TestClient(app, follow_redirects=False) as client:
        token = csrf_of(client.get("/login").text)
        client.post("/login", data={"username": USER, "password": PASSWORD, "csrf": token})
        late = list_rows(client, "category=dang_thuc_hien_qua_han")[:5]
        assert len(late) == 5
        token = csrf_of(client.get("/board/assignments").text)
        form = {"csrf": token, "id": late, "action": "request_explanation", "comment": "Đề nghị giải trình"}
        assert client.post("/board/bulk", data=form).status_code == 200
        board = client.get("/board").text
        counts, backlog = header_counts(board), header_backlog(board)
        assert len(counts) >= 4 and counts["cho-giai-trinh"] >= 5 and counts["can-phan-cong"] > 0
        for slug, count in counts.items():
            assert len(queue_rows(client, slug)) == count, slug
            if queue_by_slug(slug).apart:  # the backlog apart, the count beside it
                assert len(queue_rows(client, slug, "ton-dong=1")) == backlog.get(slug, 0), slug
        found = list_rows(client, "q=an+toan+he+thong")
        page = client.get("/board/assignments?q=an+toan+he+thong").text
        assert found and "117/KH-UBND:II.2.d" in page
