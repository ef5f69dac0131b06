"""A lead (cơ quan chủ trì) hears of the other bodies' overdue parts of its items in one mail per
delivery, listing each part with its own lateness, not in one mail per body (a real SMTP server,
aiosmtpd on 127.0.0.1).

The 2022 replay mailed Sở Thông tin và Truyền thông 13 times on 16/11/2022, each mail "[Đôn đốc] Quá
hạn 1 ngày làm việc: 117/KH-UBND:II.2.d (mốc: trước ngày 15/11/2022) — Sở Nội vụ", then Sở KH&ĐT, Sở
Tài chính, … (one per implementer of the milestone), each saying "Sở Nội vụ chưa báo cáo kết quả
nhiệm vụ dưới đây dù đã quá thời hạn (ngày 15/11/2022). Với vai trò cơ quan chủ trì, đề nghị quý cơ
quan phối hợp đôn đốc.": it asks the lead nothing it answers in the system, only to know and help
chase, as its copies of the partners' missing inputs (test_lead_partner_list). Each body's own
overdue mail is untouched; each lead copy keeps its outbox row, re-checked and marked by itself."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from dondoc import jobs
from dondoc.engine.actors import Actor
from dondoc.engine.clock import LOCAL_TZ, FrozenClock
from dondoc.engine.models import Notification, NotificationStatus, PlanItem
from dondoc.engine.settings import Settings
from dondoc.engine.workflow import Action
from dondoc.notifications import deliver
from tests.factories import assignment_for, load_min_catalog, step
from tests.smtp_server import SmtpServer, delivering_to
from tests.support.catalogs import shared_task_catalog
from tests.support.lead_lists import assert_sent_in_one_list

ITEM = "99/KH-TEST:II.2"
OTHER = "99/KH-TEST:II.4"
IMPLEMENTERS = {"ubnd-ly-son": "UBND huyện Lý Sơn", "ubnd-binh-son": "UBND huyện Bình Sơn"}
PARTNER = ("so-noi-vu", "Sở Nội vụ")
LEAD = "vp-ubnd@dondoc.example"
SWEPT = datetime(2022, 8, 1, 8, 5, tzinfo=LOCAL_TZ)  # the working day after 29/07/2022 (a Friday)


@pytest.fixture
def settings(tmp_path: Path, smtp: SmtpServer) -> Settings:
    return delivering_to(smtp, tmp_path / "drop")


def _catalog(tmp_path: Path, *, other: bool) -> Path:
    """The minimal catalog with II.2 led by Văn phòng UBND tỉnh, two implementers and a partner, due
    29/07/2022; with ``other``, II.4 too, led by it, Sở Nội vụ implementing, due 27/07/2022."""
    copy = shared_task_catalog(tmp_path, implementers=tuple(IMPLEMENTERS), partners=(PARTNER[0],))
    plan = copy / "plans" / "test-plan.yaml"
    text = plan.read_text(encoding="utf-8")
    if other:
        text += (
            f'  - code: "{OTHER}"\n    section: "II.4"\n    title: "Việc thứ tư"\n    content: "Rà soát."\n'
            '    source: "Mục II.4"\n    lead: [vp-ubnd]\n    implementers: [so-noi-vu]\n'
            '    deadline: "trước ngày 27/7/2022"\n'
        )
    plan.write_text(text, encoding="utf-8")
    return copy


def _load(session: Session, clock: FrozenClock, tmp_path: Path, *, other: bool = False) -> None:
    load_min_catalog(session, clock.now(), _catalog(tmp_path, other=other))
    session.execute(update(PlanItem).values(priority=False))
    session.commit()


def _lead_rows(session: Session) -> list[Notification]:
    session.expire_all()
    return list(
        session.exec(
            select(Notification)
            .where(Notification.kind == "overdue", Notification.recipient_role == "lead")
            .order_by(col(Notification.id))
        ).all()
    )


def _to_lead(smtp: SmtpServer) -> list[tuple[str, str]]:
    """(subject, plain body) of each overdue message the lead received about other bodies' parts."""
    return [
        (str(m["Subject"]), m.get_body(preferencelist=("plain",)).get_content())  # type: ignore[union-attr]
        for m in smtp.handler.messages()
        if LEAD in str(m["To"]) and "Quá hạn" in str(m["Subject"]) and "VP UBND tỉnh" not in str(m["Subject"])
    ]


@pytest.fixture
def swept(session: Session, engine: Engine, clock: FrozenClock, settings: Settings, tmp_path: Path) -> datetime:
    """The sweep of 01/08/2022 has written each body's overdue mail and the lead's copy of each of the
    three other bodies' (nothing delivered yet)."""
    _load(session, clock, tmp_path)
    clock.set(SWEPT)
    jobs.run_sweep(engine, now=SWEPT, settings=settings)
    assert len(_lead_rows(session)) == 3
    return SWEPT


def test_the_lead_gets_one_mail_listing_every_overdue_part_and_each_row_is_sent(
    session: Session, engine: Engine, settings: Settings, smtp: SmtpServer, swept: datetime
) -> None:
    report = deliver(engine, now=swept, settings=settings)
    # the run counts the rows sent and the mails they went in: the lead's copies are one mail (the 2022
    # replay's summary said 3151 mails of 3013 written)
    assert smtp.handler.wait_for(report.mails) and report.mails == len(smtp.handler.messages())
    assert report.sent - report.mails == len(_lead_rows(session)) - 1 > 0
    # before: three mails, "[Đôn đốc] Quá hạn 1 ngày làm việc: 99/KH-TEST:II.2 — UBND Lý Sơn", …
    ((subject, body),) = _to_lead(smtp)
    assert subject == f"[Đôn đốc] Quá hạn 1 ngày làm việc: {ITEM} — 3 cơ quan chưa báo cáo, gửi kết quả", subject
    assert (
        "Các cơ quan dưới đây chưa báo cáo kết quả, hoặc chưa gửi kết quả phần việc phối hợp, dù nhiệm vụ đã quá"
        " thời hạn. Với vai trò cơ quan chủ trì, đề nghị quý cơ quan phối hợp đôn đốc." in body
    ), body
    for name in IMPLEMENTERS.values():
        said = f"- {name} (thực hiện): chưa báo cáo kết quả; quá hạn 1 ngày làm việc (thời hạn 29/07/2022)"
        assert said in body, body
    assert (
        f"- {PARTNER[1]} (phối hợp): chưa gửi kết quả phần việc phối hợp; quá hạn 1 ngày làm việc (thời hạn 29/07/2022)"
        in body
    ), body
    # the item once, as the catalog words it, over its lines; no part's full block beneath them
    assert f"\n{ITEM} — Việc chờ hướng dẫn\n" in body, body
    assert "- Nội dung:" not in body and "- Cơ quan:" not in body, body
    assert_sent_in_one_list(_lead_rows(session))
    # each body still has its own overdue mail, asking it to finish and report
    own = session.exec(
        select(Notification).where(Notification.kind == "overdue", Notification.recipient_role == "agency")
    ).all()
    assert len(own) == 4 and {o.status for o in own} == {NotificationStatus.SENT}


def test_a_body_that_reported_before_the_mail_left_is_not_listed(
    session: Session, engine: Engine, clock: FrozenClock, settings: Settings, smtp: SmtpServer, swept: datetime
) -> None:
    part = assignment_for(session, ITEM, "ubnd-binh-son")
    agency = Actor.agency("ubnd-binh-son")
    step(session, clock, part, Action.ACKNOWLEDGE, agency)
    step(session, clock, part, Action.REPORT, agency, comment="Đã hoàn thành.")
    deliver(engine, now=clock.now() + timedelta(minutes=1), settings=settings)
    ((subject, body),) = _to_lead(smtp)
    assert "2 cơ quan" in subject and "UBND huyện Bình Sơn" not in body, (subject, body)
    assert "UBND huyện Lý Sơn" in body and "Sở Nội vụ" in body
    rows = {r.assignment_id: r for r in _lead_rows(session)}
    assert rows[part.id].status == NotificationStatus.SKIPPED and rows[part.id].last_error
    assert {r.status for i, r in rows.items() if i != part.id} == {NotificationStatus.SENT}


def test_each_listed_part_says_its_own_lateness_counted_as_the_mail_leaves(
    session: Session, engine: Engine, clock: FrozenClock, settings: Settings, smtp: SmtpServer, tmp_path: Path
) -> None:
    """Two items of one lead past their dates by different spans, their copies in one delivery: the
    subject and each line say each part's own figure, as counted the day the mail leaves (the relay
    put it off to the next day), not the first row's nor the day it was decided."""
    _load(session, clock, tmp_path, other=True)
    at = datetime(2022, 8, 2, 8, 5, tzinfo=LOCAL_TZ)  # II.2 due Fri 29/07, II.4 due Wed 27/07
    clock.set(at)
    jobs.run_sweep(engine, now=at, settings=settings)
    rows = _lead_rows(session)
    assert len(rows) == 4, [(r.subject, r.created_at) for r in rows]
    smtp.handler.refuse_recipient(LEAD, "451 4.2.1 Mailbox busy, try later")
    deliver(engine, now=at, settings=settings)
    smtp.handler.accept_recipient(LEAD)
    later = at + timedelta(days=1)  # Wed 03/08: II.2 3 working days late, II.4 5
    clock.set(later)
    deliver(engine, now=later, settings=settings)
    ((subject, body),) = _to_lead(smtp)
    assert subject == (
        f"[Đôn đốc] Quá hạn 3 ngày làm việc (3 phần việc), quá hạn 5 ngày làm việc (1 phần việc): {ITEM} và 1"
        " nhiệm vụ khác — 4 phần việc của 3 cơ quan chưa báo cáo, gửi kết quả"
    ), subject
    assert "- Sở Nội vụ (thực hiện): chưa báo cáo kết quả; quá hạn 5 ngày làm việc (thời hạn 27/07/2022)" in body, body
    assert (
        "- Sở Nội vụ (phối hợp): chưa gửi kết quả phần việc phối hợp; quá hạn 3 ngày làm việc (thời hạn 29/07/2022)"
        in body
    ), body
    # the lead's own part of each item, where it sees the others', under the item (it had linked the
    # first item's alone)
    for code, title in ((ITEM, "Việc chờ hướng dẫn"), (OTHER, "Việc thứ tư")):
        block = body.split(f"\n{code} — {title}\n", 1)[1].split("\n\n", 1)[0]
        assert "  Xem tình hình các cơ quan cùng thực hiện: http" in block, body
    assert {r.status for r in _lead_rows(session)} == {NotificationStatus.SENT}
