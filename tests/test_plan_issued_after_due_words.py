"""Work of a plan issued after its own date is said alike on every surface. Kế hoạch 117/KH-UBND was
issued 27/07/2022 with a first stage due 30/06/2022: on 03/10/2022 the board, the item, plan and
assignment pages, the command line and the periodic report said of Sở Công Thương's part "Quá hạn 46
ngày làm việc kể từ ngày giao 27/07/2022 (giao sau thời hạn; …)", where the secretariat's digest and
the mails say "… kể từ ngày ban hành kế hoạch 27/07/2022 (thời hạn ghi trong kế hoạch đã qua trước
ngày ban hành; …)": nobody gave that work late, the plan itself came after its date. Work the
secretariat gave a body after the date (after the plan's issue) is still "giao sau thời hạn"."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import update
from sqlmodel import Session, col, select

from dondoc.engine.clock import LOCAL_TZ
from dondoc.engine.mail_labels import MAIL_KIND_LABELS_VI
from dondoc.engine.models import Assignment, Plan, PlanItem
from dondoc.engine.reports import build_report
from dondoc.engine.services.queries import list_assignments
from dondoc.engine.services.tracking import set_tracking_start
from tests.factories import assignment_for
from tests.support.cli import dondoc, ok
from tests.support.web import ITEM, WebEnv

ISSUED = datetime(2022, 7, 20, 8, 0, tzinfo=LOCAL_TZ)  # the plan, issued after its 30/06/2022 milestone
NAMED = datetime(2022, 7, 27, 8, 0, tzinfo=LOCAL_TZ)  # a body the secretariat gave the part to after that
NOW = datetime(2022, 10, 3, 9, 0, tzinfo=LOCAL_TZ)
PLAN_WORDS = "kể từ ngày ban hành kế hoạch 20/07/2022 (thời hạn ghi trong kế hoạch đã qua trước ngày ban hành; "
GIVEN_WORDS = "kể từ ngày giao 27/07/2022 (giao sau thời hạn; "


@pytest.fixture
def late_plan(web: WebEnv) -> tuple[int, int]:
    """99/KH-TEST issued 20/07/2022: Sở Nội vụ's part of II.1's 30/06 milestone given on its issue
    day, UBND Bình Sơn's given by the secretariat on 27/07."""
    with Session(web.engine) as session:
        session.execute(update(Plan).where(col(Plan.number) == "99/KH-TEST").values(issued=ISSUED.date()))
        set_tracking_start(session, date(2022, 6, 1))
        at_issue = assignment_for(session, ITEM, "so-noi-vu").id or 0
        named = assignment_for(session, ITEM, "ubnd-binh-son").id or 0
        for part, day in ((at_issue, ISSUED), (named, NAMED)):
            session.execute(update(Assignment).where(col(Assignment.id) == part).values(assigned_at=day))
        session.commit()
    web.clock.set(NOW)
    return at_issue, named


def _row(page: str, part: int) -> str:
    return page.split(f'data-id="{part}"', 1)[1].split("</tr>", 1)[0]


def test_the_pages_say_the_plans_issue_of_work_given_when_the_plan_came_after_its_date(
    web: WebEnv, late_plan: tuple[int, int]
) -> None:
    at_issue, named = late_plan
    web.login()
    lists = {
        "board": web.client.get("/board").text,
        "leaders": web.client.get(f"/leaders/{web.link('leader:chair')}?qua-han=tat-ca").text,
        "list": web.client.get("/board/assignments?status=dang_thuc_hien_qua_han").text,
    }
    for name, page in lists.items():
        mine, theirs = _row(page, at_issue), _row(page, named)
        assert PLAN_WORDS in mine and "ngày giao 20/07/2022" not in mine, (name, mine)
        assert GIVEN_WORDS in theirs and "ban hành kế hoạch" not in theirs, (name, theirs)
    with Session(web.engine) as session:
        item_id = session.exec(select(PlanItem.id).where(PlanItem.code == ITEM)).one()
        plan_id = session.exec(select(Plan.id).where(Plan.number == "99/KH-TEST")).one()
    pages = {
        "item": web.client.get(f"/board/items/{item_id}").text,
        "plan": web.client.get(f"/board/plans/{plan_id}").text,
        "agency": web.client.get(f"/a/{web.link('agency:so-noi-vu')}").text,
        "part": web.client.get(f"/board/assignments/{at_issue}").text,
    }
    for name, page in pages.items():
        assert PLAN_WORDS in page and "kể từ ngày giao 20/07/2022" not in page, name
    assert GIVEN_WORDS in web.client.get(f"/board/assignments/{named}").text


def test_the_command_line_and_the_report_say_it_too(web: WebEnv, late_plan: tuple[int, int]) -> None:
    at_issue, named = late_plan
    url = str(web.engine.url.render_as_string(hide_password=False))
    shown = ok(dondoc(url, "assignments", "show", str(at_issue), now=NOW.isoformat(timespec="minutes")))
    assert PLAN_WORDS in " ".join(shown.split()), shown
    with Session(web.engine) as session:
        said = {v.id: v.lateness for v in list_assignments(session, NOW, plan="99/KH-TEST")}
        assert PLAN_WORDS in said[at_issue] and GIVEN_WORDS in said[named], said
        report = build_report(session, period_code="2022-Q3", now=NOW)
    rows = {(o.agency_code, o.item_code): o for o in report.overdue if o.due_date == date(2022, 6, 30)}
    assert PLAN_WORDS in (rows["so-noi-vu", ITEM].given_words or "")
    assert GIVEN_WORDS in (rows["ubnd-binh-son", ITEM].given_words or "")


def test_the_mail_kinds_name_fits_both_of_its_cases() -> None:
    """The notice is sent of a plan issued after its date ("Quá hạn khi ban hành" in its subject) and
    of a body named after it ("Quá hạn ngay khi giao"): the lists of mails named both by the second."""
    label = MAIL_KIND_LABELS_VI["overdue_at_issue"]
    assert "khi ban hành" in label and "khi giao" in label
