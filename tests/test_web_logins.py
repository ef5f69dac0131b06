"""Logins: throttled per account and per client address (time moved on the clock, never slept), the
lockout in the audit log; sessions end at once on logout, a new password and deactivation, a copied
cookie included."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from dondoc.engine.clock import FrozenClock
from dondoc.engine.services.accounts import deactivate, end_sessions
from dondoc.engine.services.login_throttle import ACCOUNT_LIMIT, ADDRESS_LIMIT, WINDOW
from dondoc.engine.services.queues import QUEUES
from tests.support.cli import dondoc, ok
from tests.support.web import PASSWORD, USER, WebEnv, csrf_of


def _attempt(web: WebEnv, password: str, username: str = USER, client: TestClient | None = None) -> int:
    client = client or web.client
    token = csrf_of(client.get("/login").text)
    response = client.post("/login", data={"username": username, "password": password, "csrf": token})
    return response.status_code


def test_the_attempt_after_the_limit_is_refused_until_the_window_passes(
    web: WebEnv, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="dondoc.audit")
    for _ in range(ACCOUNT_LIMIT):
        assert _attempt(web, "sai-mat-khau") == 401
    refused = web.client.post(
        "/login",
        data={"username": USER, "password": PASSWORD, "csrf": csrf_of(web.client.get("/login").text)},
    )
    assert refused.status_code == 429  # the right password too: the account is locked
    assert "Đăng nhập sai quá nhiều lần" in refused.text and "tạm bị khóa" in refused.text
    until = web.clock.now() + WINDOW  # in local time, as every page says a time (it was said in UTC)
    assert f"tạm bị khóa đăng nhập đến {until:%H:%M} ngày {until:%d/%m/%Y}" in refused.text
    assert web.client.get("/board").status_code == 303  # not logged in
    locked = [r for r in caplog.records if r.name == "dondoc.audit" and "login locked" in r.getMessage()]
    assert len(locked) == 1 and f"'{USER}'" in locked[0].getMessage()

    web.clock.advance(WINDOW - timedelta(minutes=1))
    assert _attempt(web, PASSWORD) == 429  # still inside the window
    web.clock.advance(timedelta(minutes=1, seconds=1))
    assert _attempt(web, PASSWORD) == 303  # the window has passed: the right password works
    assert web.client.get("/board").status_code == 200


def test_a_lock_ends_in_real_time_while_the_pages_clock_stands_still(web: WebEnv) -> None:
    """The demo's clock stands at 23:59 of its last day: six wrong passwords locked the secretariat
    out "đến 00:14", an instant that never came, and the lock outlived a restart. `dondoc serve`
    throttles on the real clock (WebContext.login_clock); the pages keep theirs."""
    real = FrozenClock(web.clock.now())
    web.app.state.ctx.login_clock = real
    for _ in range(ACCOUNT_LIMIT):
        assert _attempt(web, "sai-mat-khau") == 401
    assert _attempt(web, PASSWORD) == 429
    real.advance(WINDOW + timedelta(seconds=1))  # real time passes; the pages' clock does not move
    assert _attempt(web, PASSWORD) == 303
    assert web.client.get("/board").status_code == 200


def test_a_success_clears_the_accounts_count(web: WebEnv) -> None:
    for _ in range(ACCOUNT_LIMIT - 1):
        assert _attempt(web, "sai") == 401
    assert _attempt(web, PASSWORD) == 303
    for _ in range(ACCOUNT_LIMIT - 1):
        assert _attempt(web, "sai") == 401
    assert _attempt(web, PASSWORD) == 303


def test_one_address_trying_many_accounts_is_throttled(web: WebEnv, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="dondoc.audit")
    for n in range(ADDRESS_LIMIT):
        assert _attempt(web, "sai", username=f"khong-co-{n}") == 401  # each account under its own limit
    assert _attempt(web, PASSWORD) == 429  # the address is locked, even for a real account
    assert any("address" in r.getMessage() for r in caplog.records if r.name == "dondoc.audit")
    web.clock.advance(WINDOW + timedelta(seconds=1))
    assert _attempt(web, PASSWORD) == 303


def _copied_session(web: WebEnv) -> TestClient:
    """Log in, and keep a copy of the session cookie in a second client (as a thief would)."""
    web.login()
    assert web.client.get("/board").status_code == 200
    thief = TestClient(web.app, follow_redirects=False)
    thief.cookies.set("dondoc_session", web.client.cookies["dondoc_session"])
    assert thief.get("/board").status_code == 200
    return thief


def test_logout_ends_every_session_of_the_account(web: WebEnv) -> None:
    thief = _copied_session(web)
    token = csrf_of(web.client.get("/board").text)
    assert web.client.post("/logout", data={"csrf": token}).status_code == 303
    assert web.client.get("/board").status_code == 303
    assert thief.get("/board").status_code == 303  # the copied cookie no longer opens the board
    web.login()
    assert web.client.get("/board").status_code == 200  # a new login works


def test_a_new_password_ends_every_session(web: WebEnv) -> None:
    thief = _copied_session(web)
    ok(
        dondoc(
            str(web.engine.url.render_as_string(hide_password=False)),
            "users",
            "passwd",
            USER,
            "--password-stdin",
            stdin="mat-khau-moi-rat-dai\n",
        )
    )
    assert thief.get("/board").status_code == 303
    assert web.client.get("/board").status_code == 303
    assert _attempt(web, PASSWORD) == 401
    assert _attempt(web, "mat-khau-moi-rat-dai") == 303


def test_deactivation_ends_every_session(web: WebEnv) -> None:
    thief = _copied_session(web)
    ok(dondoc(str(web.engine.url.render_as_string(hide_password=False)), "users", "deactivate", USER))
    assert thief.get("/board").status_code == 303
    assert web.client.get("/board").status_code == 303
    assert _attempt(web, PASSWORD) == 401  # and it cannot log in again


def test_passwd_and_deactivate_name_an_unknown_account(web: WebEnv) -> None:
    url = web.engine.url.render_as_string(hide_password=False)
    result = dondoc(url, "users", "deactivate", "khong-co")
    assert result.returncode == 1 and "khong-co" in result.stderr


QUEUE_PAGES = [f"/board/{queue.slug}" for queue in QUEUES if not queue.own_page]


@pytest.mark.parametrize("ended_by", ["logout", "deactivation"])
def test_a_queue_page_checks_the_account_on_every_request(web: WebEnv, ended_by: str) -> None:
    """A queue page reads the account in its own transaction (web.principal.secretariat_db): an
    ended session is refused there as on the board, before any of the page is read."""
    thief = _copied_session(web)
    for url in QUEUE_PAGES:
        assert thief.get(url).status_code == 200, url
    with Session(web.engine) as session:
        if ended_by == "logout":
            end_sessions(session, USER)
        else:
            deactivate(session, USER)
        session.commit()
    for url in QUEUE_PAGES:
        for asking in (thief, web.client):
            response = asking.get(url + "?page=x", follow_redirects=False)  # refused before the page's own checks
            assert response.status_code == 303, url
            assert response.headers["location"].startswith("/login"), url
