"""In a real headless Chromium: the secretariat records a future split on the page "Tổ chức lại",
is refused first (a split with one successor) in one Vietnamese line with nothing written, then
records it; the entry is in the installation's catalog folder and the page lists it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from dondoc.engine.clock import FrozenClock
from dondoc.engine.models import Succession
from dondoc.engine.services.accounts import add_user
from dondoc.engine.settings import Settings
from dondoc.tasks_catalog.loader import load_catalog
from dondoc.web.app import create_app
from tests.factories import load_min_catalog
from tests.support.browser import browser, click_and_wait, log_in, serve
from tests.support.successions import succession_catalog
from tests.support.web import PASSWORD, SECRET, USER

__all__ = ["browser"]

pytestmark = pytest.mark.slow  # a real Chromium


@pytest.fixture
def server(sqlite_engine: Engine, clock: FrozenClock, tmp_path: Path) -> Iterator[tuple[str, Engine, Settings]]:
    catalog = succession_catalog(tmp_path)
    with Session(sqlite_engine) as session:
        load_min_catalog(session, clock.now(), catalog)
        add_user(session, USER, PASSWORD, now=clock.now(), display_name="Tổ giúp việc")
        session.commit()
    settings = Settings(
        secret_key=SECRET,
        base_url="http://127.0.0.1",
        maildrop_dir=tmp_path / "maildrop",
        catalog_dir=catalog,
        catalog_local_dir=tmp_path / "local",
    )
    app = create_app(settings=settings, engine=sqlite_engine, clock=clock, attachments=tmp_path / "files")
    with serve(app) as base:
        yield base, sqlite_engine, settings


def test_record_a_split_on_the_page(server: tuple[str, Engine, Settings], browser: object) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    base, engine, settings = server
    driver = browser
    log_in(driver, base, USER, PASSWORD)
    driver.get(f"{base}/board/to-chuc-lai")  # type: ignore[attr-defined]

    def fill(second: bool) -> None:
        find = driver.find_element  # type: ignore[attr-defined]
        Select(find(By.NAME, "old")).select_by_value("so-tttt")
        Select(find(By.NAME, "kind")).select_by_value("split")
        driver.execute_script("arguments[0].value = '2022-08-01'", find(By.NAME, "on"))  # type: ignore[attr-defined]
        Select(find(By.NAME, "to_1")).select_by_value("so-khcn")
        find(By.NAME, "functions_1").clear()
        find(By.NAME, "functions_1").send_keys("chuyển đổi số")
        if second:
            Select(find(By.NAME, "to_2")).select_by_value("so-vhttdl")
            find(By.NAME, "functions_2").send_keys("báo chí")
        find(By.NAME, "source").clear()
        find(By.NAME, "source").send_keys("Nghị quyết 9/NQ-HĐND")

    fill(second=False)
    click_and_wait(driver, "#form-succession button[type=submit]")
    error = driver.find_element(By.ID, "error").text  # type: ignore[attr-defined]
    assert error == (
        "Không ghi nhận, chưa ghi gì: tách theo chức năng: một cơ quan cũ và từ hai cơ quan kế nhiệm trở lên."
    )
    assert settings.catalog_local_dir is not None and not (settings.catalog_local_dir / "successions.yaml").exists()
    fill(second=True)
    click_and_wait(driver, "#form-succession button[type=submit]")
    recorded = driver.find_element(By.ID, "recorded").text  # type: ignore[attr-defined]
    assert recorded.startswith("Đã ghi nhận việc tổ chức lại: Sở Thông tin và Truyền thông (tách theo chức năng;")
    row = driver.find_element(By.CSS_SELECTOR, "tr[data-key='2022-08-01-so-tttt']").text  # type: ignore[attr-defined]
    assert "Sở Khoa học và Công nghệ (chuyển đổi số)" in row and "Nghị quyết 9/NQ-HĐND" in row
    (entry,) = load_catalog(settings.catalog_dir, settings.catalog_local_dir).successions
    assert entry.kind == "split" and [t.functions for t in entry.to] == [["chuyển đổi số"], ["báo chí"]]
    with Session(engine) as session:
        assert session.exec(select(Succession)).one().key == "2022-08-01-so-tttt"
