"""A plan's page tags an item "trọng tâm" only when the text makes all of it a key task: 1834/UBND-KGVX
item 2 flags only its radio bullet, and its page had tagged the whole item, its five other targets
with it. An item flagged in part says so in its heading, and each of its key parts in its row
(engine.services.priorities, read by the one rule engine.models.plans.PRIORITY_SQL)."""

from __future__ import annotations

import re
from pathlib import Path

from sqlmodel import Session, select

from dondoc.engine.models import Plan, PlanItem
from tests.factories import load_min_catalog
from tests.support.catalogs import with_items
from tests.support.web import ITEM, WebEnv

IN_PART = "99/KH-TEST:II.9"
IN_PART_ITEM = f"""  - code: "{IN_PART}"
    section: "II.9"
    title: "Phát triển chính phủ số"
    content: "Hoàn thành các chỉ tiêu; triển khai nền tảng phát thanh số (nhiệm vụ trọng tâm)."
    source: "Mục II.9"
    lead: [so-tttt]
    milestones:
      - {{label: "Các chỉ tiêu", deadline: "trước ngày 30/6/2022", priority: false}}
      - {{label: "Phát thanh số", deadline: "tháng 9/2022"}}
    priority: true
"""


def _section(page: str, code: str) -> str:
    return page.split(f">{code}</a>", 1)[1].split("</section>", 1)[0]


def test_an_item_key_in_part_is_not_tagged_as_a_whole(web: WebEnv, tmp_path: Path) -> None:
    directory = with_items(tmp_path, IN_PART_ITEM)
    with Session(web.engine) as session:
        load_min_catalog(session, web.clock.now(), directory)
        item = session.exec(select(PlanItem).where(PlanItem.code == IN_PART)).one()
        plan_id = session.exec(select(Plan.id).where(Plan.id == item.plan_id)).one()
    web.login()
    page = web.client.get(f"/board/plans/{plan_id}").text
    heading, rows = _section(page, IN_PART).split("</h2>", 1)
    assert "có mốc trọng tâm" in heading and '<span class="tag">trọng tâm</span>' not in heading
    tagged = [row for row in rows.split("<tr")[1:] if "trọng tâm" in row]
    assert tagged and all("Phát thanh số" in row for row in tagged)
    assert not [row for row in rows.split("<tr")[1:] if "Các chỉ tiêu" in row and "trọng tâm" in row]
    # an item the text makes a key task as a whole keeps its tag, in its heading alone
    whole_heading, whole_rows = _section(page, ITEM).split("</h2>", 1)
    assert '<span class="tag">trọng tâm</span>' in whole_heading and not re.search("trọng tâm", whole_rows)
