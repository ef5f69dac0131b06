"""The outbox page, 100 mails a page, latest first: it had shown the latest 200 and nothing of the
rest, beside counts of more than a thousand (the demo's "Đã gửi (1228)"), and ignored ``?page=``."""

from __future__ import annotations

import re
from datetime import timedelta

import sqlalchemy as sa
from sqlmodel import Session

from dondoc.engine.models import Notification
from tests.support.web import WebEnv


def _mails(web: WebEnv, count: int, status: str) -> None:
    now = web.clock.now()
    with Session(web.engine) as session:
        for n in range(count):
            session.add(
                Notification(
                    dedupe_key=f"{status}-{n}",
                    kind="overdue",
                    recipient_role="agency",
                    recipient_email="so-noi-vu@dondoc.example",
                    subject=f"Thư số {n}",
                    status=status,
                    created_at=now - timedelta(minutes=count - n),  # the last made is the latest
                    next_attempt_at=now,
                )
            )
        session.commit()


def _subjects(page: str) -> list[str]:
    return re.findall(r"Thư số \d+", page)


def test_the_outbox_pages_every_mail_and_keeps_the_status_in_its_links(web: WebEnv) -> None:
    _mails(web, 230, "sent")
    _mails(web, 3, "failed")
    web.login()

    first = web.client.get("/board/outbox?status=sent").text
    assert _subjects(first)[:2] == ["Thư số 229", "Thư số 228"] and len(_subjects(first)) == 100
    assert "230</span> thư đã gửi; mới nhất lên trước, dòng 1–100" in first
    assert 'href="?status=sent&amp;page=2"' in first and "Trang 1 / 3" in first
    last = web.client.get("/board/outbox?status=sent&page=3").text
    assert _subjects(last)[-1] == "Thư số 0" and len(_subjects(last)) == 30 and "dòng 201–230" in last
    assert "Trang 3 / 3" in last and 'href="?status=sent&amp;page=2"' in last

    every = web.client.get("/board/outbox").text
    assert "233</span> thư; mới nhất lên trước, dòng 1–100" in every and "Trang 1 / 3" in every
    beyond = web.client.get("/board/outbox?status=failed&page=2").text
    assert "Trang 2 không có dòng nào: danh sách chỉ có 1 trang" in beyond and "Chưa có thư nào" not in beyond
    refused = web.client.get("/board/outbox?page=abc")
    assert refused.status_code == 422 and "Số trang" in refused.text


def test_the_outbox_writes_its_counts_with_a_dot_between_the_thousands(web: WebEnv) -> None:
    """The demo's "Đã gửi (1228)" is "Đã gửi (1.228)" in Vietnamese; the status links keep plain numbers."""
    now = web.clock.now()
    with Session(web.engine) as session:  # 1 228 rows in one Core statement: the ORM's loop above takes seconds
        session.execute(
            sa.insert(Notification).values(
                [
                    {
                        "dedupe_key": f"sent-{n}",
                        "kind": "overdue",
                        "recipient_role": "agency",
                        "recipient_email": "so-noi-vu@dondoc.example",
                        "subject": f"Thư số {n}",
                        "body_text": "",
                        "status": "sent",
                        "attempts": 1,
                        "created_at": now - timedelta(minutes=1228 - n),
                        "next_attempt_at": now,
                        "data": {},
                    }
                    for n in range(1228)
                ]
            )
        )
        session.commit()
    _mails(web, 3, "failed")
    web.login()

    every = web.client.get("/board/outbox").text
    assert '<span id="total">1.231</span> thư; mới nhất lên trước, dòng 1–100' in every
    assert 'href="/board/outbox?status=sent">Đã gửi (1.228)</a>' in every and "Lỗi (3)" in every
    last = web.client.get("/board/outbox?status=sent&page=13").text
    assert "1.228</span> thư đã gửi; mới nhất lên trước, dòng 1.201–1.228" in last
    assert _subjects(last)[-1] == "Thư số 0" and "Trang 13 / 13" in last and "page=12" in last
