"""What the text says of a date is said wherever the date is. An item's page gives each part's date with
the text's own phrase where the milestone's name hides it, as the plan's page does: 61/KH-UBND PL.II.9
read "Giai đoạn 2019-2020, hạn 31/10/2019", and the text's "Tháng 10/2019" was nowhere on the page but
in the item's content. A condition the text sets beside a date is said on the plan's and the item's
page and in the calendar feed, as the part's page says it (engine.deadlines.unsaid_condition)."""

from __future__ import annotations

import re
from pathlib import Path

from icalendar import Calendar
from sqlmodel import Session, select

from dondoc.engine.models import PlanItem
from tests.factories import load_min_catalog
from tests.support.catalogs import with_items
from tests.support.web import ITEM, WebEnv


def test_a_labelled_milestones_date_says_the_texts_phrase(web: WebEnv) -> None:
    with Session(web.engine) as session:
        item = session.exec(select(PlanItem.id).where(PlanItem.code == ITEM)).one()
    web.login()
    page = web.client.get(f"/board/items/{item}").text
    summaries = [re.sub(r"<[^>]+>", "", s) for s in re.findall(r"<summary>(.*?)</summary>", page, re.S)]
    first = [s for s in summaries if "Phê duyệt cấp độ" in s]
    assert first and all("hạn 30/06/2022 “trước ngày 30/6/2022”" in s for s in first), first


CONDITIONAL = "99/KH-TEST:II.9"
CONDITIONAL_ITEM = f"""  - code: "{CONDITIONAL}"
    section: "II.9"
    title: "Kết nối hệ thống"
    content: "Kết nối hệ thống với nền tảng của Bộ."
    source: "Mục II.9"
    lead: [so-tttt]
    deadline: "Quý IV/2022"
    precondition: "Khi có hướng dẫn của Bộ Thông tin và Truyền thông"
"""


def test_a_condition_the_text_sets_beside_a_date_is_said_wherever_the_date_is(web: WebEnv, tmp_path: Path) -> None:
    """61/KH-UBND PL.I.2 ("Quý IV/2019", "Khi có hướng dẫn của Bộ TT&TT"): the part's page said the
    condition; the plan's page, the item's page and the calendar feed gave the date alone."""
    directory = with_items(tmp_path, CONDITIONAL_ITEM)
    with Session(web.engine) as session:
        load_min_catalog(session, web.clock.now(), directory)
        item = session.exec(select(PlanItem).where(PlanItem.code == CONDITIONAL)).one()
    said = "Điều kiện kèm theo: Khi có hướng dẫn của Bộ Thông tin và Truyền thông"
    web.login()
    plan_page = web.client.get(f"/board/plans/{item.plan_id}").text
    assert said in plan_page.split(f">{CONDITIONAL}</a>", 1)[1].split("</section>", 1)[0]
    item_page = web.client.get(f"/board/items/{item.id}").text
    assert "(điều kiện kèm theo: Khi có hướng dẫn của Bộ Thông tin và Truyền thông)" in item_page
    feed = web.client.get(f"/a/{web.link('agency:so-tttt')}/calendar.ics")
    (event,) = [e for e in Calendar.from_ical(feed.content).walk("VEVENT") if CONDITIONAL in str(e["summary"])]
    assert said in str(event["description"]).splitlines()
