"""Helpers of the browser tests: Debian's chromium and chromium-driver through Selenium (nothing is
downloaded; skipped when missing unless DONDOC_REQUIRE_BROWSER=1), the app under uvicorn on a free
loopback port, and a click that waits for the next page."""

from __future__ import annotations

import os
import shutil
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI

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


def browser_or_skip() -> None:
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


def listening_socket() -> socket.socket:
    """Bound and listening before uvicorn starts: the browser's first request waits in the
    backlog until the server accepts it, so nothing has to poll for the start."""
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    return sock


@contextmanager
def serving(app: Any, sock: socket.socket) -> Iterator[None]:
    """``app`` under uvicorn in a thread on ``sock`` (for a test that needs the address first)."""
    uv = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=uv.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        yield
    finally:
        uv.should_exit = True
        thread.join(timeout=10)
        sock.close()


@contextmanager
def serve(app: FastAPI) -> Iterator[str]:
    """``app`` under uvicorn in a thread on a free loopback port; yields its base URL."""
    sock = listening_socket()
    with serving(app, sock):
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"


@contextmanager
def chromium() -> Iterator[Any]:
    """A headless Chromium driven by Selenium (skips the test when it is not installed)."""
    browser_or_skip()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(executable_path=DRIVER))
    driver.implicitly_wait(5)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture
def browser() -> Iterator[object]:
    with chromium() as driver:
        yield driver


def click_and_wait(driver: object, css: str) -> None:
    """Click a submit button and wait until the next page has replaced this one."""
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    button = driver.find_element(By.CSS_SELECTOR, css)  # type: ignore[attr-defined]
    button.click()
    # Asked while the old page is being torn down, chromedriver can answer with a transient
    # "unhandled inspector error" instead of "stale element": ask again until the page is replaced.
    WebDriverWait(driver, 15, ignored_exceptions=(WebDriverException,)).until(expected_conditions.staleness_of(button))


@contextmanager
def phone(width: int = 360, height: int = 780) -> Iterator[Any]:
    """A Chromium whose page is ``width`` CSS pixels wide, as on a phone (mobile viewport rules on)."""
    browser_or_skip()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in [*(f for f in FLAGS if not f.startswith("--window-size")), f"--window-size={width},{height}"]:
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(executable_path=DRIVER))
    metrics = {"width": width, "height": height, "deviceScaleFactor": 2, "mobile": True}
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)
    try:
        yield driver
    finally:
        driver.quit()


def log_in(driver: Any, base: str, user: str, password: str) -> None:
    """The secretariat's login form, from a fresh visit."""
    from selenium.webdriver.common.by import By

    driver.delete_all_cookies()
    driver.get(f"{base}/login")
    driver.find_element(By.NAME, "username").send_keys(user)
    driver.find_element(By.NAME, "password").send_keys(password)
    click_and_wait(driver, "form button[type=submit]")
