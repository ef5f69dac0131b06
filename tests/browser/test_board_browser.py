"""In a real headless Chromium: an agency acknowledges and reports from its emailed link; the
secretariat logs in, sees the report, verifies it, and the board's counts change.

Uses Debian's ``chromium`` and ``chromium-driver`` through Selenium (nothing is downloaded).
Skipped when they are missing, unless DONDOC_REQUIRE_BROWSER=1 (CI), where that fails.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from sqlalchemy.engine import Engine
from sqlmodel import Session

from dondoc.engine.clock import FrozenClock
from dondoc.engine.links import issue_token
from dondoc.engine.services.accounts import add_user
from dondoc.engine.settings import Settings
from dondoc.web.app import create_app
from tests.factories import assignment_for, load_min_catalog
from tests.support.catalogs import MIN_CATALOG
from tests.support.web import PASSWORD, PDF, SECRET, USER

pytestmark = pytest.mark.slow  # a real Chromium

CHROMIUM = os.environ.get("DONDOC_CHROMIUM", "/usr/bin/chromium")
DRIVER = os.environ.get("DONDOC_CHROMEDRIVER", "/usr/bin/chromedriver")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
    "--window-size=1280,1500",
    "--lang=vi",
]


def _browser_or_skip() -> None:
    missing = [p for p in (CHROMIUM, DRIVER) if not (Path(p).exists() or shutil.which(p))]
    try:
        import selenium  # noqa: F401
    except ImportError:
        missing.append("the selenium package")
    if missing:
        reason = f"browser test needs {', '.join(missing)} (apt-get install chromium chromium-driver)"
        if os.environ.get("DONDOC_REQUIRE_BROWSER") == "1":
            pytest.fail(reason)
        pytest.skip(reason)


def _listening_socket() -> socket.socket:
    """Bound and listening before uvicorn starts: the browser's first request waits in the
    backlog until the server accepts it, so nothing has to poll for the start."""
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    return sock


@pytest.fixture
def server(sqlite_engine: Engine, clock: FrozenClock, tmp_path: Path) -> Iterator[tuple[str, Engine]]:
    """The app under uvicorn on a free loopback port, in a thread, on a temp SQLite file."""
    with Session(sqlite_engine) as session:
        load_min_catalog(session, clock.now(), MIN_CATALOG)
        add_user(session, USER, PASSWORD, now=clock.now(), display_name="Tổ giúp việc")
        session.commit()
    settings = Settings(secret_key=SECRET, base_url="http://127.0.0.1", maildrop_dir=tmp_path / "maildrop")
    app = create_app(settings=settings, engine=sqlite_engine, clock=clock, attachments=tmp_path / "files")
    sock = _listening_socket()
    port = int(sock.getsockname()[1])
    uv = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=uv.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}", sqlite_engine
    uv.should_exit = True
    thread.join(timeout=10)
    sock.close()


@pytest.fixture
def browser() -> Iterator[object]:
    _browser_or_skip()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(executable_path=DRIVER))
    driver.implicitly_wait(5)
    yield driver
    driver.quit()


def _click_and_wait(driver: object, css: str) -> None:
    """Click a submit button and wait until the next page has replaced this one."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    button = driver.find_element(By.CSS_SELECTOR, css)  # type: ignore[attr-defined]
    button.click()
    WebDriverWait(driver, 15).until(expected_conditions.staleness_of(button))


def _count(driver: object, category: str) -> int:
    from selenium.webdriver.common.by import By

    return int(driver.find_element(By.CSS_SELECTOR, f'[data-category="{category}"]').text)  # type: ignore[attr-defined]


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
    _click_and_wait(driver, "form button[type=submit]")
    assert "Bảng theo dõi thực hiện nhiệm vụ" in driver.page_source  # type: ignore[attr-defined]
    done_before, on_track_before = _count(driver, "hoan_thanh_dung_han"), _count(driver, "dang_thuc_hien_trong_han")

    # The agency opens the link of its email, as a fresh visitor would.
    driver.delete_all_cookies()  # type: ignore[attr-defined]
    driver.get(f"{base}/a/{token}")  # type: ignore[attr-defined]
    assert "Nhiệm vụ của Sở Nội vụ" in driver.page_source  # type: ignore[attr-defined]
    driver.find_element(By.CSS_SELECTOR, f'a[href="/a/{token}/assignments/{target}"]').click()  # type: ignore[attr-defined]
    _click_and_wait(driver, "#form-acknowledge button")
    assert "Đã ghi nhận: Tiếp nhận" in driver.page_source  # type: ignore[attr-defined]
    evidence = tmp_path / "Quyết định phê duyệt cấp độ.pdf"
    evidence.write_bytes(PDF)
    driver.find_element(By.CSS_SELECTOR, "#form-report textarea[name=comment]").send_keys(
        "Đã phê duyệt cấp độ 12 hệ thống"
    )  # type: ignore[attr-defined]
    driver.find_element(By.CSS_SELECTOR, "#form-report input[type=file]").send_keys(str(evidence))  # type: ignore[attr-defined]
    _click_and_wait(driver, "#form-report button")
    assert driver.find_element(By.ID, "state").text == "Đã báo cáo"  # type: ignore[attr-defined]

    # The secretariat logs in again, finds the report waiting, and verifies it.
    driver.delete_all_cookies()  # type: ignore[attr-defined]
    driver.get(f"{base}/board")  # type: ignore[attr-defined]
    driver.find_element(By.NAME, "username").send_keys(USER)  # type: ignore[attr-defined]
    driver.find_element(By.NAME, "password").send_keys(PASSWORD)  # type: ignore[attr-defined]
    _click_and_wait(driver, "form button[type=submit]")
    driver.find_element(By.LINK_TEXT, "Chờ xác nhận").click()  # type: ignore[attr-defined]
    driver.find_element(By.CSS_SELECTOR, f'a[href="/board/assignments/{target}"]').click()  # type: ignore[attr-defined]
    page = driver.page_source  # type: ignore[attr-defined]
    assert "Đã phê duyệt cấp độ 12 hệ thống" in page and "Quyết định phê duyệt cấp độ.pdf" in page
    _click_and_wait(driver, "#form-verify button")
    assert driver.find_element(By.ID, "state").text == "Đã xác nhận"  # type: ignore[attr-defined]

    driver.find_element(By.LINK_TEXT, "Bảng theo dõi").click()  # type: ignore[attr-defined]
    assert _count(driver, "hoan_thanh_dung_han") == done_before + 1
    assert _count(driver, "dang_thuc_hien_trong_han") == on_track_before - 1
    ARTIFACTS.mkdir(exist_ok=True)
    height = driver.execute_script("return document.body.scrollHeight")  # type: ignore[attr-defined]
    driver.set_window_size(1280, max(900, int(height) + 40))  # type: ignore[attr-defined]
    assert driver.save_screenshot(str(ARTIFACTS / "board.png"))  # type: ignore[attr-defined]
