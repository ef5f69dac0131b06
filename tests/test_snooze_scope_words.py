"""What the snooze form says the leaders hear of a part (web/templates/_actions_secretariat.html).

It had said of every part "việc quá hạn vẫn được báo Lãnh đạo Ban Chỉ đạo trong bản tổng hợp hằng
ngày", of a partner's part too, which no rung to the leaders reaches (policy.yaml: their rungs are
for the leads and the implementers; policy.leader_bound), and "Chỉ tạm dừng thư nhắc gửi cơ quan" of
a snooze that also pauses the lead's copies and the secretariat's rows (policy.snooze_pauses)."""

from __future__ import annotations

import html
import re
from pathlib import Path

from sqlmodel import Session

from tests.factories import load_min_catalog
from tests.support.catalogs import shared_task_catalog
from tests.support.web import WAITING, WebEnv


def _scope(web: WebEnv, assignment: int) -> str:
    page = web.client.get(f"/board/assignments/{assignment}")
    assert page.status_code == 200
    found = re.search(r'<p class="muted" id="snooze-scope">(.*?)</p>', page.text, re.S)
    assert found, "no snooze form"
    return " ".join(html.unescape(found.group(1)).split())


def test_the_snooze_form_says_what_the_leaders_hear_by_the_parts_role(web: WebEnv, tmp_path: Path) -> None:
    with Session(web.engine) as session:  # II.2 led by VP UBND, Sở Nội vụ its partner
        load_min_catalog(session, web.clock.now(), shared_task_catalog(tmp_path / "c", partners=("so-noi-vu",)))
        session.commit()
    web.login()
    partner = _scope(web, web.assignment(WAITING, "so-noi-vu"))
    assert "không được báo Lãnh đạo Ban Chỉ đạo khi quá hạn" in partner and "phối hợp" in partner
    assert "vẫn được báo" not in partner
    lead = _scope(web, web.assignment(WAITING, "vp-ubnd"))
    assert "khi quá hạn đến ngưỡng báo cáo Lãnh đạo, việc vẫn được báo" in lead
    for said in (partner, lead):  # what a snooze pauses: the mails to the bodies and the secretariat's rows
        assert said.startswith("Tạm dừng các thư nhắc việc, đôn đốc về phần việc này gửi các cơ quan và Tổ giúp việc")
