"""The secretariat's desk in a real headless Chromium, over the real catalog: find II.2.d by
typing "an toan he thong" on the board; filter to one district's overdue work and export it (the
XLSX's due column holds dates); verify five reports at once (issue 16)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from openpyxl import load_workbook
from sqlalchemy import or_
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from dondoc.engine.actors import Actor
from dondoc.engine.clock import LOCAL_TZ, FrozenClock
from dondoc.engine.models import Agency, Assignment
from dondoc.engine.services.accounts import add_user
from dondoc.engine.services.assignments import Request, act
from dondoc.engine.settings import Settings
from dondoc.engine.workflow import Action
from dondoc.jobs import run_catalog_load
from dondoc.web.app import create_app
from tests.support.browser import chromium, click_and_wait, serve
from tests.support.web import PASSWORD, SECRET, USER

pytestmark = pytest.mark.slow  # a real Chromium over the real catalog

LOADED = datetime(2022, 6, 1, 8, 0, tzinfo=LOCAL_TZ)
NOW = datetime(2022, 7, 12, 9, 0, tzinfo=LOCAL_TZ)
DISTRICT = "ubnd-binh-son"


@pytest.fixture
def desk(sqlite_engine: Engine, tmp_path: Path) -> Iterator[tuple[str, Engine, Any]]:
    """The real catalog loaded on 1/6/2022, the clock at 12/7/2022, a logged-in browser."""
    run_catalog_load(sqlite_engine, now=LOADED)
    with Session(sqlite_engine) as session:
        add_user(session, USER, PASSWORD, now=LOADED, display_name="Tổ giúp việc")
        session.commit()
    clock = FrozenClock(NOW)
    settings = Settings(secret_key=SECRET, base_url="http://127.0.0.1", maildrop_dir=tmp_path / "maildrop")
    app = create_app(settings=settings, engine=sqlite_engine, clock=clock, attachments=tmp_path / "files")
    with serve(app) as base, chromium() as driver:
        from selenium.webdriver.common.by import By

        driver.get(f"{base}/login")
        driver.find_element(By.NAME, "username").send_keys(USER)
        driver.find_element(By.NAME, "password").send_keys(PASSWORD)
        click_and_wait(driver, "form button[type=submit]")
        yield base, sqlite_engine, driver


def test_typing_without_diacritics_on_the_board_finds_ii_2_d(desk: tuple[str, Engine, Any]) -> None:
    from selenium.webdriver.common.by import By

    base, _, driver = desk
    driver.get(f"{base}/board")
    driver.find_element(By.ID, "board-q").send_keys("an toan he thong")
    click_and_wait(driver, "#board-search button[type=submit]")
    assert "q=an+toan+he+thong" in driver.current_url  # the search is in the URL: bookmarkable
    codes = [a.text for a in driver.find_elements(By.CSS_SELECTOR, "#assignments tbody td:nth-child(2) a")]
    assert "117/KH-UBND:II.2.d" in codes


def test_one_districts_overdue_work_filtered_and_exported_with_date_cells(desk: tuple[str, Engine, Any]) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    base, _, driver = desk
    driver.get(f"{base}/board/assignments")
    Select(driver.find_element(By.NAME, "agency")).select_by_value(DISTRICT)
    Select(driver.find_element(By.NAME, "category")).select_by_value("dang_thuc_hien_qua_han")
    click_and_wait(driver, "#filter-apply")
    shown = driver.find_elements(By.CSS_SELECTOR, "#assignments tbody tr[data-id]")
    assert shown and all("UBND huyện Bình Sơn" in row.text for row in shown)
    href = driver.find_element(By.ID, "export-xlsx").get_attribute("href")
    assert f"agency={DISTRICT}" in href and "category=dang_thuc_hien_qua_han" in href
    cookies = {c["name"]: c["value"] for c in driver.get_cookies()}
    download = httpx.get(href, cookies=cookies)  # the link the clerk clicks, with the clerk's session
    assert download.status_code == 200
    sheet = load_workbook(io.BytesIO(download.content))["Nhiệm vụ"]
    rows = list(sheet.iter_rows(min_row=2))
    assert len(rows) == len(shown)
    column = [cell.value for cell in sheet[1]].index("Hạn")  # by its heading, wherever it stands
    due = [row[column] for row in rows]
    assert all(cell.is_date and cell.number_format == "dd/mm/yyyy" for cell in due)
    assert all(cell.value.date() < NOW.date() for cell in due)  # overdue: due before today


def test_five_reports_verified_at_once(desk: tuple[str, Engine, Any]) -> None:
    from selenium.webdriver.common.by import By

    base, engine, driver = desk
    reported = _five_reports(engine)
    driver.get(f"{base}/board")
    assert driver.find_element(By.CSS_SELECTOR, 'a[data-queue="cho-xac-nhan"] strong').text == "5"
    driver.get(f"{base}/board/cho-xac-nhan")
    boxes = driver.find_elements(By.CSS_SELECTOR, '#queue input[name="id"]')
    assert sorted(int(b.get_attribute("value").split(":")[0]) for b in boxes) == sorted(reported)  # "ID:VERSION"
    for box in boxes:
        box.click()
    click_and_wait(driver, "#bulk-submit")  # "Xác nhận hoàn thành" is the first action offered
    assert "đã thực hiện 5, bị từ chối 0" in driver.page_source
    with Session(engine) as session:
        states = session.exec(select(Assignment.state).where(col(Assignment.id).in_(reported))).all()
    assert states == ["verified"] * 5
    driver.get(f"{base}/board")
    assert driver.find_element(By.CSS_SELECTOR, 'a[data-queue="cho-xac-nhan"] strong').text == "0"


def _five_reports(engine: Engine) -> list[int]:
    """Five assignments of one district, given by then, acknowledged and reported by it a day before
    now (work given later, 117/KH-UBND's of 27/07, is not its to act on yet: Condition.GIVEN)."""
    at = NOW.replace(day=11)
    with Session(engine) as session:
        agency = session.exec(select(Agency).where(Agency.code == DISTRICT)).one()
        rows = session.exec(
            select(Assignment)
            .where(Assignment.agency_id == agency.id, Assignment.state == "assigned")
            .where(or_(col(Assignment.assigned_at).is_(None), col(Assignment.assigned_at) <= at))
            .order_by(col(Assignment.id))
            .limit(5)
        ).all()
        ids = [row.id or 0 for row in rows]
        for assignment_id in ids:
            for action in (Action.ACKNOWLEDGE, Action.REPORT):
                act(session, assignment_id, Request(action, Actor.agency(DISTRICT), comment="Đã hoàn thành."), now=at)
        session.commit()
    assert len(ids) == 5
    return ids
