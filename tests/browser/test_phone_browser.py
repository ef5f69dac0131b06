"""On a 360 px wide phone (agency focal points read their mail there): the agency's page and the
leaders' page show their task lists without sideways scrolling, in a real headless Chromium."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from dondoc.engine.clock import LOCAL_TZ, FrozenClock
from dondoc.engine.links import issue_token
from dondoc.engine.settings import Settings
from dondoc.web.app import create_app
from tests.factories import assignment_for, load_min_catalog
from tests.support.browser import chromium, phone, serve
from tests.support.catalogs import MIN_CATALOG
from tests.support.web import SECRET

pytestmark = pytest.mark.slow  # a real Chromium

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def test_agency_and_leader_pages_fit_a_360px_phone(sqlite_engine: Engine, tmp_path: Path) -> None:
    clock = FrozenClock(datetime(2022, 3, 2, 8, 0, tzinfo=LOCAL_TZ))
    with Session(sqlite_engine) as session:
        load_min_catalog(session, clock.now(), MIN_CATALOG)
        links = {
            subject: issue_token(session, subject, now=clock.now(), secret=SECRET, days=365)
            for subject in ("agency:so-tttt", "leader:chair")
        }
        session.commit()
    clock.set(datetime(2022, 7, 20, 9, 0, tzinfo=LOCAL_TZ))  # II.1's first milestone is overdue
    settings = Settings(secret_key=SECRET, base_url="http://127.0.0.1", maildrop_dir=tmp_path / "maildrop")
    app = create_app(settings=settings, engine=sqlite_engine, clock=clock, attachments=tmp_path / "files")
    ARTIFACTS.mkdir(exist_ok=True)
    with serve(app) as base, phone(360) as driver:
        for name, path in (
            ("agency", f"/a/{links['agency:so-tttt']}"),
            ("leaders", f"/leaders/{links['leader:chair']}"),
        ):
            driver.get(base + path)
            rows = driver.find_elements("css selector", "table.tasks tr.overdue, table#overdue tr.overdue")
            assert rows, f"the {name} page lists the overdue task"
            assert "Quá hạn" in rows[0].text  # marked in words, not colour alone
            driver.save_screenshot(str(ARTIFACTS / f"{name}-360.png"))
            if name == "agency":
                # a focal point opens the link to see what to do: the first task is on the first screen,
                # not below ten tiles and their note; the tiles are still on the page, further down
                first = "return document.querySelector('table.tasks tbody tr').getBoundingClientRect().top"
                top = driver.execute_script(first)
                assert top < 640, f"the agency's first task starts {top} px down a 360 px phone"
                tiles = driver.find_elements("css selector", "section.tiles .tile")
                assert len(tiles) == 10 and all(t.is_displayed() for t in tiles)
            width = driver.execute_script("return document.documentElement.scrollWidth")
            assert width <= 360, f"the {name} page scrolls sideways: {width} px wide"
            assert driver.execute_script("return window.innerWidth") == 360  # the phone's width, not stretched
        # the agency's assignment page: its tables become cards, each cell labelled, not columns a few
        # letters wide whose words break mid-syllable ("Th ời hạ n", "30 /0 9/ 20 22")
        with Session(sqlite_engine) as session:
            lead = assignment_for(session, "99/KH-TEST:II.1", "so-tttt").id
        driver.get(f"{base}/a/{links['agency:so-tttt']}/assignments/{lead}")
        assert driver.execute_script("return document.documentElement.scrollWidth") <= 360
        for table in ("#implementers", "table.history", "#mails"):
            display = driver.execute_script(f"return getComputedStyle(document.querySelector('{table} td')).display")
            assert display == "block", (table, display)


def test_the_leaders_ranking_fits_a_1366px_screen(sqlite_engine: Engine, tmp_path: Path) -> None:
    """At 1366 px the ranking, with the year before's columns, was wider than the window and its
    last column (the 2022 report rate) was cut off."""
    clock = FrozenClock(datetime(2022, 3, 2, 8, 0, tzinfo=LOCAL_TZ))
    with Session(sqlite_engine) as session:
        load_min_catalog(session, clock.now(), MIN_CATALOG)
        link = issue_token(session, "leader:chair", now=clock.now(), secret=SECRET, days=365)
        # one part given after its date: its row says "+1 giao sau thời hạn, không tính tỷ lệ"
        late = assignment_for(session, "99/KH-TEST:II.1", "vp-ubnd")
        late.assigned_at = datetime(2022, 7, 10, 9, 0, tzinfo=LOCAL_TZ)
        session.add(late)
        session.commit()
    clock.set(datetime(2023, 1, 10, 9, 0, tzinfo=LOCAL_TZ))  # this year's and the year before's columns
    settings = Settings(secret_key=SECRET, base_url="http://127.0.0.1", maildrop_dir=tmp_path / "maildrop")
    app = create_app(settings=settings, engine=sqlite_engine, clock=clock, attachments=tmp_path / "files")
    ARTIFACTS.mkdir(exist_ok=True)
    with serve(app) as base, chromium() as driver:
        metrics = {"width": 1366, "height": 768, "deviceScaleFactor": 1, "mobile": False}
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)
        driver.get(f"{base}/leaders/{link}")
        headings = driver.find_elements("css selector", "table#ranking th")
        assert any("Tỷ lệ báo cáo đúng hạn năm 2022" in h.text for h in headings)
        assert "giao sau thời hạn" in driver.find_element("css selector", "table#ranking").text
        driver.save_screenshot(str(ARTIFACTS / "leaders-1366.png"))
        assert driver.execute_script("return window.innerWidth") == 1366
        width = driver.execute_script("return document.documentElement.scrollWidth")
        assert width <= 1366, f"the leaders' page scrolls sideways at 1366 px: {width} px wide"
