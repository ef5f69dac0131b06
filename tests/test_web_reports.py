"""The periodic report and the agencies' rates from the secretariat's board."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from io import BytesIO

from openpyxl import load_workbook
from sqlalchemy import update
from sqlmodel import Session, col

from dondoc.engine.actors import Actor
from dondoc.engine.clock import LOCAL_TZ
from dondoc.engine.models import Assignment
from dondoc.engine.services.assignments import Request, act
from dondoc.engine.workflow import Action
from tests.support.web import WebEnv

ITEM = "99/KH-TEST:II.1"


def test_rates_follow_what_agencies_did(web: WebEnv) -> None:  # noqa: F811
    web.clock.set(datetime(2022, 7, 5, 9, 0, tzinfo=LOCAL_TZ))
    target = web.assignment(ITEM, "so-noi-vu")  # due 30/06/2022
    with Session(web.engine) as session:
        for action in (Action.ACKNOWLEDGE, Action.REPORT):
            act(
                session,
                target,
                Request(action, Actor.agency("so-noi-vu"), comment="Đã hoàn thành."),
                now=web.clock.now() - timedelta(days=10),
            )
        session.commit()
    assert web.client.get("/board/reports").status_code == 303  # behind the login
    web.login()
    page = web.client.get("/board/reports?start=2022-01-01&end=2022-07-05")
    assert page.status_code == 200 and "Tỷ lệ hoàn thành đúng hạn" in page.text
    # its columns count parts, and say so; its order is not the leaders' ranking, and says so
    assert '<th class="num">Phần việc đến hạn</th>' in page.text and "Nhiệm vụ đến hạn" not in page.text
    assert "không phải thứ hạng ở trang lãnh đạo" in page.text and "xếp hạng cơ quan</h1>" not in page.text
    assert 'id="mailed"' not in page.text  # nothing mailed to the leaders yet: no list of it
    row = page.text[page.text.index("Sở Nội vụ") :]
    assert "100,0 %" in row.split("</tr>")[0]  # its one task due in the window, reported in time
    # the periods and formats offered by their names, not their codes ("2022-Q3", "md")
    assert '<option value="2022-Q3">Quý III/2022</option>' in page.text
    assert '<option value="2021-H2">6 tháng cuối năm 2021</option>' in page.text
    assert '<option value="md">Văn bản Markdown (.md)</option>' in page.text
    bad = web.client.get("/board/reports?start=2022-13-01")
    assert bad.status_code == 422 and "không hợp lệ" in bad.text


def test_the_report_downloads_in_each_format(web: WebEnv) -> None:  # noqa: F811
    web.clock.set(datetime(2022, 7, 5, 9, 0, tzinfo=LOCAL_TZ))
    web.login()
    xlsx = web.client.get("/board/reports/download?period=2022-H1&format=xlsx")
    assert xlsx.status_code == 200 and "bao-cao-6-thang-dau-nam-2022.xlsx" in xlsx.headers["content-disposition"]
    book = load_workbook(BytesIO(xlsx.content))
    assert "Theo cơ quan" in book.sheetnames
    html = web.client.get("/board/reports/download?period=2022-H1&format=html")
    assert html.status_code == 200 and "6 tháng đầu năm 2022" in html.text
    assert web.client.get("/board/reports/download?period=2022-Q9").status_code == 422
    for period in ("0000", "0001", "２０２２"):  # year 0 and 1, full-width digits: each was an error 500
        assert web.client.get(f"/board/reports/download?period={period}").status_code == 422, period
    assert web.client.get("/board/reports/download?period=2022&format=pdf").status_code == 422


def test_the_rates_table_says_what_it_leaves_out_under_each_count(web: WebEnv) -> None:  # noqa: F811
    """The table read "Đang quá hạn 0" for Sở TN&MT where the board, at the same instant, read 3: its
    three overdue parts were given after their own date, left out of the rates, and the page said
    nothing of them. Each such part is now said under the count it is left out of, the column is
    named for what it counts, and the note says how it differs from the board's."""
    target = web.assignment(ITEM, "so-noi-vu")  # due 30/06/2022, given on 04/07: after its date
    with Session(web.engine) as session:
        given = datetime(2022, 7, 4, 9, 0, tzinfo=LOCAL_TZ)
        session.execute(update(Assignment).where(col(Assignment.id) == target).values(assigned_at=given))
        session.commit()
    web.clock.set(datetime(2022, 7, 20, 9, 0, tzinfo=LOCAL_TZ))
    web.login()
    page = web.client.get("/board/reports?start=2022-01-01&end=2022-07-20").text
    row = page[page.index("Sở Nội vụ") :].split("</tr>")[0]
    assert '<span class="muted given-late-count">+1 giao sau thời hạn, không tính</span>' in row
    cells = re.findall(r'<td class="num">(\d+)', row)
    assert cells[3] == "0", cells  # due, on time, late, overdue: the part is in none of them
    assert "Quá hạn, chưa hoàn thành</th>" in page and ">Đang quá hạn<" not in page
    assert 'không phải mọi phần việc đang quá hạn hôm nay như cột "Đang quá hạn" của bảng điều hành' in page
    board = web.client.get("/board").text
    assert f'data-id="{target}"' in board  # the board lists it overdue all the same
