"""``dondoc outbox``: the mails that failed, sent again or marked dealt with from the command line
(notifications.failed; the web queue "Thư gửi lỗi" calls the same functions)."""

from __future__ import annotations

import json
from datetime import datetime

from sqlmodel import Session, select

from dondoc.engine.clock import LOCAL_TZ
from dondoc.engine.db import make_engine
from dondoc.engine.models import Notification, NotificationStatus
from tests.factories import assignment_for
from tests.support.catalogs import MIN_CATALOG
from tests.support.cli import dondoc, ok
from tests.support.heard import heard_step

ITEM = "99/KH-TEST:II.1"
AGENCIES = ("so-noi-vu", "vp-ubnd", "ubnd-binh-son")


def _failed(db_url: str, count: int) -> list[int]:
    """``count`` reminders (about the work of AGENCIES in turn) that failed to a wrong address."""
    engine = make_engine(db_url)
    at = datetime(2022, 3, 3, 9, 0, tzinfo=LOCAL_TZ)
    try:
        with Session(engine) as session:
            rows = [
                Notification(
                    dedupe_key=f"failed-{n}",
                    kind="reminder",
                    assignment_id=assignment_for(session, ITEM, AGENCIES[n % len(AGENCIES)]).id,
                    recipient_role="agency",
                    recipient_email=f"co-quan-{n}@dondoc.example",
                    subject="[Đôn đốc] Nhắc việc",
                    status=NotificationStatus.FAILED,
                    created_at=at,
                    next_attempt_at=at,
                    last_error="550 5.1.1 User unknown",
                )
                for n in range(count)
            ]
            session.add_all(rows)
            session.commit()
            return [row.id or 0 for row in rows]
    finally:
        engine.dispose()


def _statuses(db_url: str) -> dict[int, tuple[str, str | None]]:
    engine = make_engine(db_url)
    try:
        with Session(engine) as session:
            found = session.exec(select(Notification.id, Notification.status, Notification.last_error)).all()
            return {i or 0: (str(status), error) for i, status, error in found}
    finally:
        engine.dispose()


def test_the_secretariat_sends_a_failed_mail_again_or_marks_it_dealt_with(db_url: str) -> None:
    ok(dondoc(db_url, "db", "upgrade"))
    ok(dondoc(db_url, "catalog", "load", "--dir", str(MIN_CATALOG), now="2022-03-02"))
    first, second, third = _failed(db_url, 3)
    listed = json.loads(ok(dondoc(db_url, "outbox", "failed", "--json")))
    assert [row["id"] for row in listed] == [first, second, third]
    assert listed[0]["recipient"] == "co-quan-0@dondoc.example" and listed[0]["created"] == "03/03/2022"
    assert "3 thư gửi lỗi" in ok(dondoc(db_url, "outbox", "failed"))

    site = {"DONDOC_BASE_URL": "http://dondoc.test", "DONDOC_DEMO": "true"}  # the mail is written anew: its links
    said = ok(dondoc(db_url, "outbox", "resend", str(first), "4242", now="2022-03-04T08:00", env=site))
    assert "1 thư đã đưa lại vào hộp thư đi; 1 thư bị từ chối" in said and "không có thư số 4242" in said
    # sent again to the body's address in the catalog, not to the one that failed
    assert f"thư số {first} gửi tới so-noi-vu@dondoc.example, địa chỉ hiện nay của người nhận" in said
    assert "(không gửi lại tới co-quan-0@dondoc.example)" in said
    no_reason = dondoc(db_url, "outbox", "dismiss", str(second), "--reason", " ", now="2022-03-04T08:00")
    assert no_reason.returncode != 0 and "Thiếu lý do" in no_reason.stderr
    ok(dondoc(db_url, "outbox", "dismiss", str(second), "--reason", "đã gọi điện báo", now="2022-03-04T08:00"))
    statuses = _statuses(db_url)
    assert statuses[first][0] == NotificationStatus.PENDING
    assert statuses[second] == (
        NotificationStatus.SKIPPED,
        "Tổ giúp việc (dòng lệnh) đánh dấu đã xử lý ngày 04/03/2022: đã gọi điện báo",
    )
    assert statuses[third][0] == NotificationStatus.FAILED  # untouched
    twice = dondoc(db_url, "outbox", "resend", str(second), now="2022-03-04T08:00")
    assert twice.returncode != 0 and twice.stdout == ""
    assert twice.stderr.strip().endswith(f"thư số {second} không còn gửi lỗi (đã bỏ qua hoặc đã xử lý)")
    assert len(twice.stderr.strip().splitlines()) == 1
    assert [row["id"] for row in json.loads(ok(dondoc(db_url, "outbox", "failed", "--json")))] == [third]


def test_a_failed_mail_whose_mailbox_heard_its_step_is_marked_answered_not_sent_again(db_url: str) -> None:
    """The mail of a body that ended would go to the secretariat, whose digest tells it of that step
    already: not sent, marked dealt with; the command says so and which mail answered for it."""
    ok(dondoc(db_url, "db", "upgrade"))
    ok(dondoc(db_url, "catalog", "load", "--dir", str(MIN_CATALOG), now="2022-03-02"))
    engine = make_engine(db_url)
    try:
        with Session(engine) as session:
            failed, held = heard_step(session, datetime(2022, 7, 1, 8, 0, tzinfo=LOCAL_TZ))
    finally:
        engine.dispose()
    said = ok(dondoc(db_url, "outbox", "resend", str(failed), now="2022-07-04T09:00")).splitlines()
    assert said == [
        "0 thư đã đưa lại vào hộp thư đi; 1 thư không gửi lại vì người nhận đã có thư cùng đợt (đánh dấu đã xử lý);"
        " 0 thư bị từ chối",
        f"  - thư số {failed} không gửi lại: hộp thư to-giup-viec@dondoc.example đã có thư số {held} cùng đợt"
        " về cùng việc (báo trong bản tổng hợp hằng ngày), không gửi hai lần",
    ]
    assert _statuses(db_url)[failed][0] == NotificationStatus.SKIPPED
    assert ok(dondoc(db_url, "outbox", "failed")).startswith("0 thư gửi lỗi")
