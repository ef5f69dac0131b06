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
