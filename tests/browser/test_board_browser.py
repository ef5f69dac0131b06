"""In a real headless Chromium: an agency acknowledges and reports from its emailed link; the
secretariat logs in, sees the report, verifies it, and the board's counts change.

Uses Debian's ``chromium`` and ``chromium-driver`` through Selenium (tests/support/browser.py).
Skipped when they are missing, unless DONDOC_REQUIRE_BROWSER=1 (CI), where that fails.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from dondoc.engine.clock import FrozenClock
from dondoc.engine.links import issue_token
from dondoc.engine.services.accounts import add_user
from dondoc.engine.settings import Settings
from dondoc.web.app import create_app
from tests.factories import assignment_for, load_min_catalog
from tests.support.browser import ARTIFACTS, browser, click_and_wait, serve
from tests.support.catalogs import MIN_CATALOG
from tests.support.web import PASSWORD, PDF, SECRET, USER, shown_count

__all__ = ["browser"]  # the fixture, shared with the other browser tests

pytestmark = pytest.mark.slow  # a real Chromium


@pytest.fixture
def server(sqlite_engine: Engine, clock: FrozenClock, tmp_path: Path) -> Iterator[tuple[str, Engine]]:
    """The app under uvicorn on a free loopback port, in a thread, on a temp SQLite file."""
    with Session(sqlite_engine) as session:
        load_min_catalog(session, clock.now(), MIN_CATALOG)
        add_user(session, USER, PASSWORD, now=clock.now(), display_name="Tổ giúp việc")
        session.commit()
    settings = Settings(secret_key=SECRET, base_url="http://127.0.0.1", maildrop_dir=tmp_path / "maildrop")
    app = create_app(settings=settings, engine=sqlite_engine, clock=clock, attachments=tmp_path / "files")
    with serve(app) as base:
        yield base, sqlite_engine


def _count(driver: object, category: str) -> int:
    from selenium.webdriver.common.by import By

    return shown_count(driver.find_element(By.CSS_SELECTOR, f'[data-category="{category}"]').text)  # type: ignore[attr-defined]


def test_agency_reports_secretariat_verifies_board_changes(
    server: tuple[str, Engine], browser: object, clock: FrozenClock, tmp_path: Path
) -> None:
    from selenium.webdriver.common.by import By

    base, engine = server
    driver = browser
    with Session(engine) as session:
        token = issue_token(session, "agency:so-noi-vu", now=clock.now(), secret=SECRET, days=30)
        target = assignment_for(session, "99/KH-TEST:II.1", "so-noi-vu").id
        session.commit()

    driver.get(f"{base}/login")  # type: ignore[attr-defined]
    driver.find_element(By.NAME, "username").send_keys(USER)  # type: ignore[attr-defined]
    driver.find_element(By.NAME, "password").send_keys(PASSWORD)  # type: ignore[attr-defined]
    click_and_wait(driver, "form button[type=submit]")
    assert "Bảng theo dõi thực hiện nhiệm vụ" in driver.page_source  # type: ignore[attr-defined]
    done_before, on_track_before = _count(driver, "hoan_thanh_dung_han"), _count(driver, "dang_thuc_hien_trong_han")

    # The agency opens the link of its email, as a fresh visitor would.
    driver.delete_all_cookies()  # type: ignore[attr-defined]
    driver.get(f"{base}/a/{token}")  # type: ignore[attr-defined]
    assert "Nhiệm vụ của Sở Nội vụ" in driver.page_source  # type: ignore[attr-defined]
    driver.find_element(By.CSS_SELECTOR, f'a[href="/a/{token}/assignments/{target}"]').click()  # type: ignore[attr-defined]
    click_and_wait(driver, "#form-acknowledge button")
    assert "Đã ghi nhận: Tiếp nhận" in driver.page_source  # type: ignore[attr-defined]
    evidence = tmp_path / "Quyết định phê duyệt cấp độ.pdf"
    evidence.write_bytes(PDF)
    driver.find_element(By.CSS_SELECTOR, "#form-report textarea[name=comment]").send_keys(
        "Đã phê duyệt cấp độ 12 hệ thống"
    )  # type: ignore[attr-defined]
    driver.find_element(By.CSS_SELECTOR, "#form-report input[type=file]").send_keys(str(evidence))  # type: ignore[attr-defined]
    click_and_wait(driver, "#form-report button")
    assert driver.find_element(By.ID, "state").text == "Đã báo cáo"  # type: ignore[attr-defined]

    # The secretariat logs in again, finds the report waiting, and verifies it.
    driver.delete_all_cookies()  # type: ignore[attr-defined]
    driver.get(f"{base}/board")  # type: ignore[attr-defined]
    driver.find_element(By.NAME, "username").send_keys(USER)  # type: ignore[attr-defined]
    driver.find_element(By.NAME, "password").send_keys(PASSWORD)  # type: ignore[attr-defined]
    click_and_wait(driver, "form button[type=submit]")
    driver.find_element(By.LINK_TEXT, "Chờ xác nhận").click()  # type: ignore[attr-defined]
    driver.find_element(By.CSS_SELECTOR, f'a[href="/board/assignments/{target}"]').click()  # type: ignore[attr-defined]
    page = driver.page_source  # type: ignore[attr-defined]
    assert "Đã phê duyệt cấp độ 12 hệ thống" in page and "Quyết định phê duyệt cấp độ.pdf" in page
    click_and_wait(driver, "#form-verify button")
    assert driver.find_element(By.ID, "state").text == "Đã xác nhận"  # type: ignore[attr-defined]

    driver.find_element(By.LINK_TEXT, "Bảng theo dõi").click()  # type: ignore[attr-defined]
    assert _count(driver, "hoan_thanh_dung_han") == done_before + 1
    assert _count(driver, "dang_thuc_hien_trong_han") == on_track_before - 1
    ARTIFACTS.mkdir(exist_ok=True)
    height = driver.execute_script("return document.body.scrollHeight")  # type: ignore[attr-defined]
    driver.set_window_size(1280, max(900, int(height) + 40))  # type: ignore[attr-defined]
    assert driver.save_screenshot(str(ARTIFACTS / "board.png"))  # type: ignore[attr-defined]
