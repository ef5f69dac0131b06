"""A body's own pages say of work it received from another after its date whom from and since when.

2025 replay: Sở Thông tin và Truyền thông was split on 01/03/2025; its report of the fourth quarter,
due 25/12/2024 and still open, was passed to Sở Khoa học và Công nghệ on 05/03/2025. On 10/03 that
body's page listed the row "Quá hạn 47 ngày làm việc" and its assignment page "Đang thực hiện quá
hạn · Quá hạn 47 ngày làm việc", with nothing saying it had held the part for three working days:
the leaders' page and the mails say "kể từ ngày nhận chuyển giao …" (engine.status.given_late_words),
and a part given after its date says "giao ngày …, sau thời hạn" on the same page. Now both pages
say "nhận chuyển giao ngày … từ …, sau thời hạn"; work received before its date says nothing."""

from __future__ import annotations

import html
import re
from pathlib import Path

from sqlmodel import Session

from dondoc.engine.services.successions import apply_due_successions
from tests.factories import load_min_catalog
from tests.support.successions import ON, at, succession_catalog, successions_yaml
from tests.support.web import ITEM, WebEnv

NEW = "vp-ubnd-moi"
SAID = "nhận chuyển giao ngày 01/08/2022 từ Văn phòng UBND tỉnh, sau thời hạn"


def _text(page: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def test_the_successors_pages_say_late_work_was_received_and_from_whom(web: WebEnv, tmp_path: Path) -> None:
    """Văn phòng UBND tỉnh renamed on 01/08/2022: II.1's approval (due 30/06) passed late, its
    implementation (due 15/11) in time; read on 22/11/2022, both overdue."""
    with Session(web.engine) as session:
        load_min_catalog(session, web.clock.now(), succession_catalog(tmp_path, successions_yaml("rename")))
        apply_due_successions(session, now=at(ON, 0))
        session.commit()
    late, in_time = web.assignment(ITEM, NEW), web.assignment(ITEM, NEW, seq=2)
    web.clock.set(at("2022-11-22", 9))
    link = web.link(f"agency:{NEW}")
    home = _text(web.client.get(f"/a/{link}").text)
    assert home.count(SAID) == 1, home
    page = _text(web.client.get(f"/a/{link}/assignments/{late}").text)
    assert "Nhiệm vụ nhận chuyển giao từ Văn phòng UBND tỉnh ngày 01/08/2022, sau thời hạn" in page, page
    assert "Quá hạn 101 ngày làm việc" in page
    other = _text(web.client.get(f"/a/{link}/assignments/{in_time}").text)
    assert "Quá hạn 5 ngày làm việc" in other and "nhận chuyển giao" not in other, other
