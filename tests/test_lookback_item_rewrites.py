"""An item's page and the API's list of parts read at a past instant (`--now`, `serve --demo`) show a
row an event rewrote since as it stood then, as the desk's list, a plan's page and ``dondoc
assignments list`` do (engine.services.board_then), under the body that held it then, on both
databases.

UBND Lý Sơn's part of II.1 (due 30/06/2022) was late on 29/07/2022; Sở KH&CN absorbed Lý Sơn on
01/08, and the secretariat extended the part to 30/09 on 02/08. Read at 29/07, the item's page said
of it "30/09/2022 … Đang thực hiện trong hạn" under Lý Sơn and listed the extension of 02/08 in its
history; the API's list said the same, and left it out of ?status=dang_thuc_hien_qua_han."""

from __future__ import annotations

import html
import re
from datetime import date
from pathlib import Path

from sqlmodel import Session, col, select

from dondoc.engine.actors import SECRETARIAT
from dondoc.engine.models import Assignment, Milestone, PlanItem
from dondoc.engine.services.assignments import Request, act
from dondoc.engine.workflow import Action
from tests.support.successions import at, succession_applied, successions_yaml
from tests.support.web import WebEnv

OLD_NAME, NEW_NAME = "UBND huyện Lý Sơn", "Sở Khoa học và Công nghệ"
PAST, TODAY = at("2022-07-29", 17), at("2022-08-02", 17)
LATE, ON_TRACK = "dang_thuc_hien_qua_han", "dang_thuc_hien_trong_han"


def _extended(web: WebEnv, tmp_path: Path) -> tuple[int, int]:
    """Lý Sơn's part of II.1's first milestone, absorbed into Sở KH&CN on 01/08/2022 and extended to
    30/09 on 02/08; and II.1's id."""
    told = succession_applied(web, tmp_path, successions_yaml("absorb"))
    moved = {i for mail in told for i in mail.data.get("assignment_ids", [])}
    with Session(web.engine) as session:
        statement = (
            select(Assignment.id, PlanItem.id)
            .join(Milestone, col(Milestone.id) == col(Assignment.milestone_id))
            .join(PlanItem, col(PlanItem.id) == col(Milestone.item_id))
            .where(col(Assignment.id).in_(moved), Milestone.seq == 1)
        )
        ((part, item),) = session.exec(statement).all()
        extend = Request(Action.EXTEND, SECRETARIAT, comment="Chờ kinh phí.", due=date(2022, 9, 30))
        act(session, part, extend, now=at("2022-08-02", 9))
        session.commit()
    return part, item


def _row(page: str, part: int) -> str:
    """What an item's page says of ``part``: its summary line, and its history beneath."""
    found = re.search(rf'<summary><a href="/board/assignments/{part}">.*?</details>', page, re.S)
    assert found, page
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", found.group(0))).split())


def test_an_items_page_shows_a_part_rewritten_since_as_it_stood_then(web: WebEnv, tmp_path: Path) -> None:
    part, item = _extended(web, tmp_path)
    web.login()
    web.clock.set(PAST)
    said = _row(web.client.get(f"/board/items/{item}").text, part)
    assert said.startswith(f"{OLD_NAME} — Thực hiện"), said
    assert "30/06/2022" in said and "Đang thực hiện quá hạn" in said, said
    assert "30/09/2022" not in said and "Chờ kinh phí" not in said, said  # neither the date nor the step of 02/08
    assert "Chuyển cho cơ quan kế nhiệm" not in said, said  # nor the succession of 01/08
    web.clock.set(TODAY)
    said = _row(web.client.get(f"/board/items/{item}").text, part)
    assert said.startswith(f"{NEW_NAME} — Thực hiện") and "30/09/2022" in said and "Chờ kinh phí" in said, said


def test_the_apis_list_shows_and_filters_a_part_rewritten_since_as_it_stood_then(web: WebEnv, tmp_path: Path) -> None:
    part, _ = _extended(web, tmp_path)
    secretariat = web.api_token("secretariat")

    def listed(query: str = "") -> dict[int, dict[str, object]]:
        found = web.client.get(f"/api/v1/assignments{query}", headers=secretariat)
        assert found.status_code == 200, found.text
        return {r["id"]: r for r in found.json()}

    web.clock.set(PAST)
    row = listed()[part]
    assert (row["agency_name"], row["category"]) == (OLD_NAME, LATE), row
    assert str(row["due_at"]).startswith("2022-06-30"), row
    assert part in listed(f"?status={LATE}") and part not in listed(f"?status={ON_TRACK}")
    assert part in listed(f"?status={LATE}&agency=ubnd-ly-son")
    web.clock.set(TODAY)
    row = listed()[part]
    assert (row["agency_name"], row["category"]) == (NEW_NAME, ON_TRACK), row
    assert part in listed(f"?status={ON_TRACK}") and part not in listed(f"?status={LATE}")
