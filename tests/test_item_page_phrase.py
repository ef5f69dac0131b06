"""An item's page gives each part's date with the text's own phrase where the milestone's name hides it,
as the plan's page does: 61/KH-UBND PL.II.9 read "Giai đoạn 2019-2020, hạn 31/10/2019", and the text's
"Tháng 10/2019" was nowhere on the page but in the item's content."""

from __future__ import annotations

import re

from sqlmodel import Session, select

from dondoc.engine.models import PlanItem
from tests.support.web import ITEM, WebEnv


def test_a_labelled_milestones_date_says_the_texts_phrase(web: WebEnv) -> None:
    with Session(web.engine) as session:
        item = session.exec(select(PlanItem.id).where(PlanItem.code == ITEM)).one()
    web.login()
    page = web.client.get(f"/board/items/{item}").text
    summaries = [re.sub(r"<[^>]+>", "", s) for s in re.findall(r"<summary>(.*?)</summary>", page, re.S)]
    first = [s for s in summaries if "Phê duyệt cấp độ" in s]
    assert first and all("hạn 30/06/2022 “trước ngày 30/6/2022”" in s for s in first), first
