"""In a real headless Chromium, with a real SMTP server (aiosmtpd): requests between people go
round by mail (issue 13).

The chair asks for an explanation on an overdue assignment → the agency's mail arrives with a
link that opens the answer form → the agency answers → the chair's next digest and the
assignment's history show the answer. The agency asks for an extension → the secretariat's mail
→ decided from the "Đề nghị gia hạn" queue → the agency's mail.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from dondoc.engine.clock import LOCAL_TZ, FrozenClock
from dondoc.engine.links import issue_token
from dondoc.engine.models import Notification, NotificationStatus
from dondoc.engine.services.accounts import add_user
from dondoc.engine.settings import Settings
from dondoc.jobs import run_delivery, run_digests, run_sweep
from dondoc.web.app import create_app
from tests.factories import assignment_for, load_min_catalog
from tests.smtp_server import SmtpServer, running_smtp_server
from tests.support.browser import chromium, click_and_wait, listening_socket, log_in, serving
from tests.support.catalogs import MIN_CATALOG
from tests.support.web import PASSWORD, SECRET, USER

pytestmark = pytest.mark.slow  # a real Chromium

ITEM = "99/KH-TEST:II.1"  # due 30/06/2022, a priority item
AGENCY_MAIL = "so-noi-vu@dondoc.example"


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    with running_smtp_server() as server:
        yield server


@pytest.fixture
def browser() -> Iterator[Any]:
    with chromium() as driver:
        yield driver


@pytest.fixture
def served(
    sqlite_engine: Engine, clock: FrozenClock, tmp_path: Path, smtp: SmtpServer
) -> Iterator[tuple[str, Settings]]:
    """The app on a loopback port whose links the mails carry, mailing through ``smtp``."""
    with Session(sqlite_engine) as session:
        load_min_catalog(session, clock.now(), MIN_CATALOG)
        add_user(session, USER, PASSWORD, now=clock.now(), display_name="Tổ giúp việc")
        session.commit()
    sock = listening_socket()
    base = f"http://127.0.0.1:{sock.getsockname()[1]}"
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        secret_key=SECRET,
        base_url=base,
        smtp_host="127.0.0.1",
        smtp_port=smtp.port,
        smtp_security="none",
        smtp_timeout=5,
        maildrop_dir=tmp_path / "maildrop",
    )
    app = create_app(settings=settings, engine=sqlite_engine, clock=clock, attachments=tmp_path / "files")
    with serving(app, sock):
        yield base, settings


def _delivered(engine: Engine, clock: FrozenClock, settings: Settings, smtp: SmtpServer) -> list[EmailMessage]:
    """Run the delivery job; the messages it sent (one a row sent, but for the rows a lead's list
    carried in its own: notifications.claims.LISTED_FOR_LEAD)."""
    before, own = len(smtp.handler.received), _own_messages(engine)
    run_delivery(engine, now=clock.now(), settings=settings)
    assert smtp.handler.wait_for(before + _own_messages(engine) - own)
    return [r.message for r in smtp.handler.received[before:]]


def _own_messages(engine: Engine) -> int:
    """The rows sent in a message of their own (no list carried them)."""
    sent = col(Notification.status) == NotificationStatus.SENT.value
    with Session(engine) as session:
        return session.exec(select(func.count()).where(sent, col(Notification.carried_by_id).is_(None))).one()


def _one(messages: list[EmailMessage], to: str, subject: str) -> str:
    """The plain text of the one message to ``to`` whose subject starts with ``subject``."""
    found = [m for m in messages if m["To"].addresses[0].addr_spec == to and m["Subject"].startswith(subject)]
    assert len(found) == 1, [(m["To"], m["Subject"]) for m in messages]
    return found[0].get_body(("plain",)).get_content()  # type: ignore[union-attr]


def test_requests_go_round_by_mail(
    served: tuple[str, Settings], browser: Any, sqlite_engine: Engine, clock: FrozenClock, smtp: SmtpServer
) -> None:
    from selenium.webdriver.common.by import By

    base, settings = served
    engine, driver = sqlite_engine, browser
    clock.set(datetime(2022, 7, 15, 9, 0, tzinfo=LOCAL_TZ))  # 11 working days overdue: the chair is told
    with Session(engine) as session:
        chair = issue_token(session, "leader:chair", now=clock.now(), secret=SECRET, days=30)
        target = assignment_for(session, ITEM, "so-noi-vu").id
        session.commit()
    run_sweep(engine, now=clock.now(), settings=settings)
    _delivered(engine, clock, settings, smtp)  # the ladder's own mails

    # The chair asks for an explanation from the leaders' page.
    driver.get(f"{base}/leaders/{chair}/assignments/{target}")
    driver.find_element(By.CSS_SELECTOR, "#form-request-explanation input[name=comment]").send_keys(
        "Đề nghị giải trình lý do chậm phê duyệt cấp độ"
    )
    click_and_wait(driver, "#form-request-explanation button")
    mail = _one(_delivered(engine, clock, settings, smtp), AGENCY_MAIL, "[Đôn đốc] Yêu cầu giải trình")
    assert "Đề nghị giải trình lý do chậm phê duyệt cấp độ" in mail

    # The agency follows the link of the mail: it opens the answer form.
    link = re.search(rf"{re.escape(base)}/a/\S+#form-explain", mail)
    assert link is not None, mail
    driver.delete_all_cookies()
    driver.get(link.group(0))
    driver.find_element(By.CSS_SELECTOR, "#form-explain textarea[name=comment]").send_keys(
        "Chờ hướng dẫn của Bộ Thông tin và Truyền thông"
    )
    click_and_wait(driver, "#form-explain button")
    answers = _delivered(engine, clock, settings, smtp)
    assert "Chờ hướng dẫn của Bộ" in _one(answers, "truong-ban@dondoc.example", "[Đôn đốc] Nội dung giải trình")
    assert "Chờ hướng dẫn của Bộ" in _one(answers, "to-giup-viec@dondoc.example", "[Đôn đốc] Nội dung giải trình")

    # The chair's next digest says what was asked and what the agency answered.
    clock.set(datetime(2022, 7, 18, 7, 30, tzinfo=LOCAL_TZ))
    run_digests(engine, now=clock.now(), settings=settings)
    digest = _one(_delivered(engine, clock, settings, smtp), "truong-ban@dondoc.example", "[Đôn đốc] Tổng hợp")
    assert "Cơ quan đã giải trình ngày 15/07/2022: «Chờ hướng dẫn của Bộ Thông tin và Truyền thông»" in digest

    # The agency asks for an extension; the secretariat's mail leads to the queue.
    clock.set(datetime(2022, 7, 18, 9, 0, tzinfo=LOCAL_TZ))
    driver.delete_all_cookies()
    driver.get(link.group(0).split("#")[0])
    field = driver.find_element(By.CSS_SELECTOR, "#form-extension input[name=due]")
    driver.execute_script("arguments[0].value = '2022-09-30'", field)
    driver.find_element(By.CSS_SELECTOR, "#form-extension textarea[name=comment]").send_keys("Chờ bố trí kinh phí")
    click_and_wait(driver, "#form-extension button")
    asked = _one(_delivered(engine, clock, settings, smtp), "to-giup-viec@dondoc.example", "[Đôn đốc] Đề nghị gia hạn")
    assert "30/09/2022" in asked and "Chờ bố trí kinh phí" in asked
    queue = re.search(rf"{re.escape(base)}/board/de-nghi-gia-han", asked)
    assert queue is not None

    log_in(driver, base, USER, PASSWORD)
    driver.get(queue.group(0))
    prefilled = driver.find_element(By.CSS_SELECTOR, f"#form-extend-{target} input[name=due]")
    assert prefilled.get_attribute("value") == "2022-09-30"
    click_and_wait(driver, f"#form-extend-{target} button")
    assert "Không có đề nghị gia hạn nào đang chờ" in driver.page_source
    granted = _one(_delivered(engine, clock, settings, smtp), AGENCY_MAIL, "[Đôn đốc] Đã gia hạn đến 30/09/2022")
    assert "hết ngày 30/09/2022" in granted

    # The assignment's history: both requests answered, and the mails about it.
    driver.get(f"{base}/board/assignments/{target}")
    requests = driver.find_element(By.ID, "requests").text
    assert "Chờ hướng dẫn của Bộ Thông tin và Truyền thông" in requests and "Đang chờ trả lời" not in requests
    assert requests.count("Đã trả lời") == 2
    mails = driver.find_element(By.ID, "mails").text
    for kind in ("Yêu cầu giải trình", "Nội dung giải trình", "Đề nghị gia hạn", "Gia hạn"):
        assert kind in mails
    assert "Đã báo trong bản tổng hợp #" in mails  # the chair's escalation, carried by the digest
