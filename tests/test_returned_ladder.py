"""The ladder after the secretariat returns a report ("trả lại để bổ sung, hoàn thiện"), day by day.

Sở Nội vụ reported its part of 99/KH-TEST:II.1 on 20/06/2022, before its date (30/06); then did
nothing once the report came back. Returned before the date, the ladder runs as for any part.
Returned after it, the overdue ladder counted from the date: within the hour of a return on 13/07
the body was mailed "quá hạn 9 ngày làm việc … quý cơ quan chưa báo cáo kết quả … nêu rõ lý do chậm
trễ", its lead "Sở Nội vụ chưa báo cáo kết quả", and the chair heard of it the next morning, every rung
whose day came while the report waited with the secretariat firing at once; returned after the
look-back (22/08), the rungs to the body, its lead, the secretariat and the vice-chair never fired at
all. The rungs now count from the return (policy.TriggerSpec.from_return), and the overdue mail says
the report was sent and returned (engine.services.returned)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import partial
from pathlib import Path

import pytest
from sqlalchemy import update
from sqlmodel import Session, col, select

from dondoc import jobs
from dondoc.engine.actors import Actor
from dondoc.engine.clock import LOCAL_TZ
from dondoc.engine.models import Notification, PlanItem
from dondoc.engine.services.assignments import Request, act
from dondoc.engine.services.returned import Returned, returned_words
from dondoc.engine.workflow import Action
from dondoc.notifications.digests import build_digests
from tests.factories import load_min_catalog
from tests.support.catalogs import with_items
from tests.support.web import ITEM, WebEnv

REPORTED = date(2022, 6, 20)  # before the date, Thursday 30/06/2022
RETURNED_WORDS = (
    "Cơ quan đã báo cáo kết quả ngày 20/06/2022, trong thời hạn; Tổ giúp việc trả lại ngày {} để bổ sung, hoàn thiện: "
    "«Thiếu quyết định phê duyệt.»"
)


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=LOCAL_TZ)


def _replay(web: WebEnv, part: int, returned: date, until: date) -> list[Notification]:
    """The sweep at 07:05 and 10:05 each day; the report at 09:00 on REPORTED, its return at 09:00 on
    ``returned``; the ladder's mails about ``part``, in order."""
    body, secretariat = Actor.agency("so-noi-vu"), Actor.parse("secretariat")
    day = date(2022, 6, 15)
    while day <= until:
        web.clock.set(_at(day, 7, 5))
        jobs.run_sweep(web.engine, now=web.clock.now(), settings=web.settings)
        steps = {
            REPORTED: [(Action.ACKNOWLEDGE, body, None), (Action.REPORT, body, "Đã phê duyệt cấp độ.")],
            returned: [(Action.RETURN, secretariat, "Thiếu quyết định phê duyệt.")],
        }.get(day, [])
        web.clock.set(_at(day, 9))
        with Session(web.engine) as session:
            for action, who, comment in steps:
                act(session, part, Request(action, who, comment=comment), now=web.clock.now())
            session.commit()
        web.clock.set(_at(day, 10, 5))
        jobs.run_sweep(web.engine, now=web.clock.now(), settings=web.settings)
        day += timedelta(days=1)
    with Session(web.engine) as session:
        return list(
            session.exec(
                select(Notification)
                .where(Notification.assignment_id == part, col(Notification.kind).in_(("overdue", "escalation")))
                .order_by(col(Notification.id))
            )
        )


def _timeline(mails: list[Notification]) -> set[tuple[str, str, date]]:
    return {(m.dedupe_key.split(":")[0], m.recipient_role, m.created_at.astimezone(LOCAL_TZ).date()) for m in mails}


@pytest.mark.parametrize(
    ("priority", "returned", "expected"),
    [
        # returned before the date (Friday 24/06): the ladder as for any part, from the date
        (
            False,
            date(2022, 6, 24),
            {("qua-han", date(2022, 7, 1)), ("qua-han-3", date(2022, 7, 5)), ("qua-han-7", date(2022, 7, 11))},
        ),
        (
            True,
            date(2022, 6, 24),
            {("qua-han", date(2022, 7, 1)), ("qua-han-1", date(2022, 7, 1)), ("qua-han-3", date(2022, 7, 5))},
        ),
        # returned on Wednesday 13/07, 9 working days after the date: counted from the return
        (
            False,
            date(2022, 7, 13),
            {("qua-han", date(2022, 7, 14)), ("qua-han-3", date(2022, 7, 18)), ("qua-han-7", date(2022, 7, 22))},
        ),
        (
            True,
            date(2022, 7, 13),
            {("qua-han", date(2022, 7, 14)), ("qua-han-1", date(2022, 7, 14)), ("qua-han-3", date(2022, 7, 18))},
        ),
        # returned on Monday 22/08, after the 30 days' look-back: every rung still comes (02/09 is a holiday)
        (
            False,
            date(2022, 8, 22),
            {("qua-han", date(2022, 8, 23)), ("qua-han-3", date(2022, 8, 25)), ("qua-han-7", date(2022, 8, 31))},
        ),
    ],
)
def test_a_returned_report_is_chased_from_its_return(
    web: WebEnv, priority: bool, returned: date, expected: set[tuple[str, date]]
) -> None:
    with Session(web.engine) as session:
        session.execute(update(PlanItem).values(priority=priority))
        session.commit()
    part = web.assignment(ITEM, "so-noi-vu")
    mails = _replay(web, part, returned, max(returned + timedelta(days=16), date(2022, 7, 12)))
    to = {
        "qua-han": ("agency", "lead", "secretariat"),
        "qua-han-1": ("vice-chair",),
        "qua-han-3": ("chair",) if priority else ("vice-chair",),
        "qua-han-7": ("chair",),
    }
    assert _timeline(mails) == {(rule, who, day) for rule, day in expected for who in to[rule]}
    # the body and its lead are told the report was sent and returned, never that it was not reported
    words = RETURNED_WORDS.format(returned.strftime("%d/%m/%Y"))
    for mail in mails:
        if mail.recipient_role in ("agency", "lead"):
            assert "chưa báo cáo kết quả" not in mail.body_text
            assert "chưa gửi lại" in mail.body_text and f"{words}." in mail.body_text
            assert "lý do chậm trễ" not in mail.body_text


PARTNERED = "99/KH-TEST:II.9"
PARTNERED_ITEM = f"""  - code: "{PARTNERED}"
    section: "II.9"
    title: "Xây dựng cơ sở dữ liệu"
    content: "Xây dựng cơ sở dữ liệu."
    source: "Mục II.9"
    lead: [so-tttt]
    partners: [so-noi-vu]
    deadline: "trước ngày 30/6/2022"
"""


def test_a_partners_returned_input_is_not_called_unsent(web: WebEnv, tmp_path: Path) -> None:
    """A partner's input the secretariat returned after the date: its overdue mail had said "chưa gửi kết
    quả phần việc phối hợp", as of input never sent."""
    directory = with_items(tmp_path, PARTNERED_ITEM)
    with Session(web.engine) as session:
        load_min_catalog(session, web.clock.now(), directory)
    part = web.assignment(PARTNERED, "so-noi-vu")
    returned = date(2022, 7, 13)
    mails = [m for m in _replay(web, part, returned, date(2022, 7, 20)) if m.recipient_role in ("agency", "lead")]
    assert {m.recipient_role for m in mails} >= {"agency"}
    # its input, said as such (a partner's "báo cáo" is its input to the lead: engine.role_words)
    words = RETURNED_WORDS.format(returned.strftime("%d/%m/%Y")).replace(
        "đã báo cáo kết quả", "đã gửi ý kiến, kết quả phối hợp"
    )
    for mail in mails:
        assert "chưa gửi kết quả phần việc phối hợp" not in mail.body_text, mail.body_text
        assert "Tổ giúp việc trả lại để bổ sung, hoàn thiện" in mail.body_text and f"{words}." in mail.body_text


def test_the_secretariats_digest_says_a_returned_report_was_sent_and_returned(web: WebEnv) -> None:
    """The leaders' digest said it of such a row; the secretariat's listed it as work never reported."""
    part = web.assignment(ITEM, "so-noi-vu")
    returned = date(2022, 7, 13)
    _replay(web, part, returned, date(2022, 7, 14))
    with Session(web.engine) as session:
        made = build_digests(session, now=_at(date(2022, 7, 14), 7, 30), settings=web.settings)
        (digest,) = [d for d in made if d.recipient_role == "secretariat"]
        text, html = digest.body_text or "", digest.body_html or ""
        session.commit()
    words = RETURNED_WORDS.format(returned.strftime("%d/%m/%Y"))
    lines = [line for line in text.splitlines() if line.strip().startswith(f"- {ITEM}") and "Sở Nội vụ" in line]
    assert lines and all(f"; {words}" in line for line in lines), text
    assert words in html


def test_the_words_say_whether_the_report_came_within_the_date_in_force() -> None:
    """A report sent by its date and returned after it: the chair, told the part is late, is told the
    body reported within its date (as its category judges a report: up to the date's instant)."""
    due = datetime(2022, 6, 30, 23, 59, tzinfo=LOCAL_TZ)
    sent, back = datetime(2022, 6, 30, 16, 0, tzinfo=LOCAL_TZ), datetime(2022, 7, 13, 9, 0, tzinfo=LOCAL_TZ)
    words = partial(returned_words, tz=LOCAL_TZ)
    assert words(Returned(sent, back, None, due)).startswith(
        "Cơ quan đã báo cáo kết quả ngày 30/06/2022, trong thời hạn;"
    )
    late = Returned(datetime(2022, 7, 1, 8, 0, tzinfo=LOCAL_TZ), back, "Thiếu phụ lục", due)
    assert words(late) == (
        "Cơ quan đã báo cáo kết quả ngày 01/07/2022, sau thời hạn; Tổ giúp việc trả lại ngày 13/07/2022 "
        "để bổ sung, hoàn thiện: «Thiếu phụ lục»"
    )
    assert "thời hạn;" not in words(Returned(sent, back, None, None))  # a part with no date: nothing said


def test_a_partners_input_sent_back_is_said_as_its_input_not_a_report() -> None:
    """Sở GTVT's overdue mail of 61/KH-UBND PL.II.8 (2022 replay), a partner's, said of its input the
    secretariat returned "Cơ quan đã báo cáo kết quả ngày 30/12/2022": a partner sends its input to the
    lead (engine.role_words.sent_words), as the sentence before it said."""
    due = datetime(2023, 1, 3, 23, 59, tzinfo=LOCAL_TZ)
    sent, back = datetime(2022, 12, 30, 16, 0, tzinfo=LOCAL_TZ), datetime(2023, 1, 3, 9, 0, tzinfo=LOCAL_TZ)
    assert returned_words(Returned(sent, back, "Thiếu minh chứng", due, role="partner"), LOCAL_TZ) == (
        "Cơ quan đã gửi ý kiến, kết quả phối hợp ngày 30/12/2022, trong thời hạn; Tổ giúp việc trả lại ngày "
        "03/01/2023 để bổ sung, hoàn thiện: «Thiếu minh chứng»"
    )
