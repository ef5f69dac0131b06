"""In a real headless Chromium: the secretariat uploads a plan, sees the source beside the proposed
items, types a deadline and reads the parser's live reading, drops an item, saves, publishes, and
the plan is in the database."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from dondoc.engine.clock import FrozenClock
from dondoc.engine.models import Plan, PlanItem
from dondoc.engine.services.accounts import add_user
from dondoc.engine.settings import Settings
from dondoc.web.app import create_app
from tests.factories import load_min_catalog
from tests.support.browser import ARTIFACTS, browser, click_and_wait, serve
from tests.support.catalogs import MIN_CATALOG, import_catalog
from tests.support.import_docs import PROSE
from tests.support.web import PASSWORD, SECRET, USER

__all__ = ["browser"]

pytestmark = pytest.mark.slow  # a real Chromium


@pytest.fixture
def server(sqlite_engine: Engine, clock: FrozenClock, tmp_path: Path) -> Iterator[tuple[str, Engine]]:
    with Session(sqlite_engine) as session:
        load_min_catalog(session, clock.now(), MIN_CATALOG)
        add_user(session, USER, PASSWORD, now=clock.now(), display_name="Tổ giúp việc")
        session.commit()
    settings = Settings(
        secret_key=SECRET,
        base_url="http://127.0.0.1",
        maildrop_dir=tmp_path / "maildrop",
        catalog_dir=import_catalog(tmp_path),
        catalog_local_dir=tmp_path / "local",
    )
    app = create_app(settings=settings, engine=sqlite_engine, clock=clock, attachments=tmp_path / "files")
    with serve(app) as base:
        yield base, sqlite_engine


def test_upload_review_publish(server: tuple[str, Engine], browser: object, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    base, engine = server
    driver = browser
    source = tmp_path / "ke-hoach-12.md"
    source.write_text(PROSE, encoding="utf-8")
    driver.get(f"{base}/board/import")  # type: ignore[attr-defined]
    driver.find_element(By.NAME, "username").send_keys(USER)  # type: ignore[attr-defined]
    driver.find_element(By.NAME, "password").send_keys(PASSWORD)  # type: ignore[attr-defined]
    click_and_wait(driver, "form button[type=submit]")
    driver.get(f"{base}/board/import")  # type: ignore[attr-defined]
    driver.find_element(By.CSS_SELECTOR, "input[type=file]").send_keys(str(source))  # type: ignore[attr-defined]
    click_and_wait(driver, "form[action='/board/import'] button")
    assert "Rà soát bản nháp 12/KH-UBND" in driver.page_source  # type: ignore[attr-defined]
    assert "Cơ quan chủ trì: Sở Thông tin và Truyền thông." in driver.page_source  # type: ignore[attr-defined]

    deadline = driver.find_element(By.NAME, "i0-deadline")  # type: ignore[attr-defined]
    deadline.clear()
    deadline.send_keys("Quý IV/2022")
    reading = deadline.find_element(By.XPATH, "following-sibling::small")
    WebDriverWait(driver, 10).until(lambda _: "31/12/2022" in reading.text)
    driver.find_element(By.NAME, "i1-drop").click()  # type: ignore[attr-defined]
    click_and_wait(driver, "button[value=save]")
    assert "Đã lưu bản nháp." in driver.page_source  # type: ignore[attr-defined]
    assert driver.find_element(By.NAME, "i0-deadline").get_attribute("value") == "Quý IV/2022"  # type: ignore[attr-defined]

    click_and_wait(driver, "button[value=publish]")
    assert "Đã công bố và nạp danh mục" in driver.find_element(By.ID, "published").text  # type: ignore[attr-defined]
    with Session(engine) as session:
        plan = session.exec(select(Plan).where(Plan.number == "12/KH-UBND")).one()
        codes = {i.code for i in session.exec(select(PlanItem).where(PlanItem.plan_id == plan.id)).all()}
    assert "12/KH-UBND:II.1.a" in codes and "12/KH-UBND:II.1.b" not in codes
    ARTIFACTS.mkdir(exist_ok=True)
    assert driver.save_screenshot(str(ARTIFACTS / "import.png"))  # type: ignore[attr-defined]
