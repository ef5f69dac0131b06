"""Helpers shared by the web tests: the ``web`` fixture's environment (the fixture is in
tests/conftest.py), the test account and secret, and acting through the agency pages.

The app runs over the same real databases as every other test (SQLite file and
PostgreSQL), with the minimal catalog loaded and a FrozenClock.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session

from dondoc.engine.clock import FrozenClock
from dondoc.engine.links import issue_token
from dondoc.engine.services.accounts import add_user, create_token
from dondoc.engine.settings import Settings
from dondoc.web.app import create_app
from tests.factories import assignment_for, load_min_catalog
from tests.support.catalogs import MIN_CATALOG

SECRET = "test-secret-key-0123456789abcdef"
ITEM, WAITING, DONE = "99/KH-TEST:II.1", "99/KH-TEST:II.2", "99/KH-TEST:II.3"
USER, PASSWORD = "tgv", "mat-khau-rat-dai-123"
MAX_UPLOAD = 64 * 1024
PDF = b"%PDF-1.4\n% test\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@dataclass
class WebEnv:
    client: TestClient
    app: FastAPI
    engine: Engine
    clock: FrozenClock
    settings: Settings
    attachments: Path

    def link(self, subject: str, days: int = 30) -> str:
        """A signed link token for ``agency:CODE`` or ``leader:chair``, as the emails carry."""
        with Session(self.engine) as session:
            token = issue_token(session, subject, now=self.clock.now(), secret=SECRET, days=days)
            session.commit()
        return token

    def api_token(self, role: str, agency: str | None = None) -> dict[str, str]:
        with Session(self.engine) as session:
            _, clear = create_token(session, f"test {role}", role, now=self.clock.now(), agency_code=agency)
            session.commit()
        return {"Authorization": f"Bearer {clear}"}

    def assignment(self, item: str, agency: str, seq: int = 1) -> int:
        with Session(self.engine) as session:
            found = assignment_for(session, item, agency, seq)
            assert found.id is not None
            return found.id

    def csrf(self, url: str) -> str:
        """Open a page (as a browser would before posting) and read its form token."""
        page = self.client.get(url)
        assert page.status_code == 200, page.text
        return csrf_of(page.text)

    def form(self, url: str, assignment: int | None = None) -> dict[str, str]:
        """Open a page and read what its action forms send besides the user's input, as a browser
        posts them: the CSRF token and the version the page shows the assignment at (the row of
        ``assignment`` on a queue's page, else the page's one assignment)."""
        page = self.client.get(url)
        assert page.status_code == 200, page.text
        return {"csrf": csrf_of(page.text), "version": version_of(page.text, assignment)}

    def login(self) -> None:
        token = self.csrf("/login")
        response = self.client.post("/login", data={"username": USER, "password": PASSWORD, "csrf": token})
        assert response.status_code in (200, 303), response.text


def shown_count(text: str) -> int:
    """A count as a page shows it, its thousands grouped by dots (engine.vi_format.vn_count): "1.626"
    is 1626; anything else (a decimal comma, a misplaced dot) fails the test."""
    assert re.fullmatch(r"-?\d{1,3}(\.\d{3})*", text.strip()), f"not a count as a page writes it: {text!r}"
    return int(text.replace(".", ""))


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "the page has no CSRF token"
    return found.group(1)


def version_of(html: str, assignment: int | None = None) -> str:
    """The version an action form of the page sends (of ``assignment``'s row, on a queue's page)."""
    if assignment is not None:
        html = html.split(f'data-id="{assignment}"', 1)[1]
    found = re.search(r'name="version" value="(\d+)"', html)
    assert found, "the page has no action form with a version"
    return found.group(1)


def agency_act(web: WebEnv, token: str, assignment: int, data: dict[str, str], files: list | None = None) -> int:
    page = f"/a/{token}/assignments/{assignment}"
    response = web.client.post(f"{page}/act", data={**web.form(page), **data}, files=files)
    return response.status_code


@contextmanager
def web_env(engine: Engine, clock: FrozenClock, tmp_path: Path) -> Iterator[WebEnv]:
    """The minimal catalog and the test account in ``engine``'s database, the app over it, and its client."""
    with Session(engine) as session:
        load_min_catalog(session, clock.now(), MIN_CATALOG)
        add_user(session, USER, PASSWORD, now=clock.now(), display_name="Tổ giúp việc")
        session.commit()
    settings = Settings(
        secret_key=SECRET,
        base_url="http://testserver",
        database_url=str(engine.url),
        maildrop_dir=tmp_path / "maildrop",
    )
    attachments = tmp_path / "attachments"
    app = create_app(
        settings=settings, engine=engine, clock=clock, attachments=attachments, max_upload_bytes=MAX_UPLOAD
    )
    with TestClient(app, follow_redirects=False) as client:
        yield WebEnv(client, app, engine, clock, settings, attachments)
