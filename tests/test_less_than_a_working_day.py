"""Past its date by less than a working day: work due on Friday 01/07/2022, not done on Saturday,
is overdue; the board's and the leaders' lists said "Quá hạn 0 ngày làm việc", the reports "dưới 1"."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlmodel import Session

from dondoc.engine.clock import LOCAL_TZ
from dondoc.engine.models import Assignment
from tests.factories import assignment_for
from tests.support.web import WebEnv

FRIDAY_END = datetime(2022, 7, 1, 23, 59, 59, tzinfo=LOCAL_TZ)


def test_the_lists_say_less_than_one_working_day(web: WebEnv) -> None:
    with Session(web.engine) as session:
        row_id = assignment_for(session, "99/KH-TEST:II.1", "so-noi-vu").id
        session.execute(
            update(Assignment).where(Assignment.id == row_id).values(due_at=FRIDAY_END, original_due_at=FRIDAY_END)
        )
        session.commit()
    web.clock.set(datetime(2022, 7, 2, 10, 0, tzinfo=LOCAL_TZ))  # Saturday
    web.login()
    pages = {
        "board": web.client.get("/board").text,
        "leaders": web.client.get(f"/leaders/{web.link('leader:chair')}?qua-han=tat-ca").text,
        "list": web.client.get("/board/assignments?status=dang_thuc_hien_qua_han").text,
        "agency": web.client.get(f"/a/{web.link('agency:so-noi-vu')}").text,
    }
    for name, page in pages.items():
        mine = page.split(f'data-id="{row_id}"', 1)[1].split("</tr>", 1)[0] if name != "agency" else page
        assert "Quá hạn dưới 1 ngày làm việc" in mine, name
        assert "Quá hạn 0 ngày" not in page, name


def test_work_given_after_its_date_counts_the_days_since_it_was_given_too(web: WebEnv) -> None:
    """117/KH-UBND's 30/06/2022 in a plan issued on 27/07: the chair's page said "quá hạn 127 ngày
    làm việc" for work the body had held 108 of them. Both are said."""
    from datetime import date

    from dondoc.engine.escalation.facts import working_days_overdue
    from dondoc.engine.workcalendar import WorkCalendar

    given = datetime(2022, 7, 27, 8, 0, tzinfo=LOCAL_TZ)
    with Session(web.engine) as session:
        row_id = assignment_for(session, "99/KH-TEST:II.1", "so-noi-vu").id
        session.execute(update(Assignment).where(Assignment.id == row_id).values(assigned_at=given))
        session.commit()
    web.clock.set(datetime(2022, 12, 28, 9, 0, tzinfo=LOCAL_TZ))
    web.login()
    since = working_days_overdue(date(2022, 7, 27), date(2022, 12, 28), WorkCalendar.default())
    said = f"Quá hạn {since} ngày làm việc kể từ ngày giao 27/07/2022 (giao sau thời hạn; "
    for page in (web.client.get("/board").text, web.client.get(f"/leaders/{web.link('leader:chair')}").text):
        mine = page.split(f'data-id="{row_id}"', 1)[1].split("</tr>", 1)[0]
        assert said in mine and since > 0
