"""After a replayed period of the real catalog, every queue's count on the board equals its
page's rows, on SQLite and PostgreSQL (issue 16's acceptance)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session

from dondoc.engine.clock import LOCAL_TZ, FrozenClock
from dondoc.engine.services.accounts import add_user
from dondoc.engine.settings import Settings
from dondoc.web.app import create_app
from tests.support.cli import dondoc, ok
from tests.support.desk import header_counts, list_rows, queue_rows
from tests.support.web import PASSWORD, SECRET, USER, csrf_of

pytestmark = pytest.mark.slow  # two months of a province

AFTER = datetime(2022, 8, 1, 9, 0, tzinfo=LOCAL_TZ)


def test_queue_counts_equal_their_pages_after_a_replay(db_url: str, engine: Engine, tmp_path: Path) -> None:
    env = {"DONDOC_MAILDROP_DIR": str(tmp_path / "maildrop")}
    ok(dondoc(db_url, "simulate", "--from", "2022-06-01", "--to", "2022-07-31", env=env))
    with Session(engine) as session:
        add_user(session, USER, PASSWORD, now=AFTER, display_name="Tổ giúp việc")
        session.commit()
    settings = Settings(
        secret_key=SECRET, database_url=db_url, base_url="http://testserver", maildrop_dir=tmp_path / "maildrop"
    )
    app = create_app(settings=settings, engine=engine, clock=FrozenClock(AFTER), attachments=tmp_path / "files")
    with TestClient(app, follow_redirects=False) as client:
        token = csrf_of(client.get("/login").text)
        client.post("/login", data={"username": USER, "password": PASSWORD, "csrf": token})
        late = list_rows(client, "category=dang_thuc_hien_qua_han")[:5]
        assert len(late) == 5
        token = csrf_of(client.get("/board/assignments").text)
        form = {"csrf": token, "id": late, "action": "request_explanation", "comment": "Đề nghị giải trình"}
        assert client.post("/board/bulk", data=form).status_code == 200
        counts = header_counts(client.get("/board").text)
        assert len(counts) >= 4 and counts["cho-giai-trinh"] >= 5 and counts["can-phan-cong"] > 0
        for slug, count in counts.items():
            assert len(queue_rows(client, slug)) == count, slug
        found = list_rows(client, "q=an+toan+he+thong")
        page = client.get("/board/assignments?q=an+toan+he+thong").text
        assert found and "117/KH-UBND:II.2.d" in page
