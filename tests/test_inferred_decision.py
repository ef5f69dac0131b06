"""A part given through an inferred group to a body dissolved, then given by the secretariat to another.

UBND huyện Bình Sơn, reached through «UBND các huyện, thị xã, thành phố» as the secretariat's reading
of the group, was dissolved on 01/08/2022 with no successor of the same kind; its parts of II.1 waited
in "Cần phân công lại" until the Tổ giúp việc chose Sở KH&CN for them. Every surface said of Sở KH&CN
that it "nhận phần việc này do kế nhiệm UBND huyện Bình Sơn" (the report's and the export's cell: "cơ
quan này nhận do kế nhiệm"): Sở KH&CN succeeds nobody; the secretariat chose it. Each now says what
happened: the Tổ giúp việc gave it the part after the body ended (inferred_parts.Predecessor.decided).
A body that took the part by a rename still says "do kế nhiệm" (tests/test_inferred_succession.py)."""

from __future__ import annotations

import csv
import html
import io
from pathlib import Path

from sqlalchemy import update
from sqlmodel import Session, col

from dondoc.engine.models import Assignment, Notification
from dondoc.engine.reports.data import build_report
from dondoc.engine.services.assignment_filter import AssignmentFilter
from dondoc.engine.services.queues import UNCONFIRMED_QUEUE, queue_by_slug
from dondoc.notifications.outbox import MailSpec, rendered_columns
from tests.factories import load_min_catalog
from tests.support.successions import ON, at, named_and_told, succession_catalog, successions_at_dawn, successions_yaml
from tests.support.sweep import CALENDAR
from tests.support.web import ITEM, WebEnv

BODY, CHOSEN = "ubnd-binh-son", "so-khcn"
GROUP = "UBND các huyện, thị xã, thành phố"
OLD, NEW = "UBND huyện Bình Sơn", "Sở Khoa học và Công nghệ"
GIVEN = f"Phần việc này được giao cho {OLD} vì thuộc nhóm «{GROUP}» theo danh sách Tổ giúp việc suy đoán"
DECIDED = f"nhận phần việc này do Tổ giúp việc giao lại sau khi {OLD} không còn, không phải vì thuộc nhóm"
CELL = f"giao cho {OLD}; Tổ giúp việc giao lại cho cơ quan này"
SUCCEEDED = "do kế nhiệm"


def _flat(text: str | None) -> str:
    return " ".join(html.unescape(text or "").split())


def _named(web: WebEnv, tmp_path: Path) -> tuple[dict[int, int], Notification]:
    """Bình Sơn's two parts of II.1 given through the inferred group, Bình Sơn dissolved on ON, the
    secretariat naming Sở KH&CN for each that morning: the parts by milestone, and the mail of the
    second (due 15/11/2022) delivered at 09:30."""
    parts = {seq: web.assignment(ITEM, BODY, seq) for seq in (1, 2)}
    with Session(web.engine) as session:
        load_min_catalog(session, web.clock.now(), succession_catalog(tmp_path, successions_yaml("dissolve")))
        session.execute(
            update(Assignment).where(col(Assignment.id).in_(parts.values())).values(inferred_group="ubnd-cap-huyen")
        )
        session.commit()
    successions_at_dawn(web)
    web.clock.set(at(ON, 9))
    named_and_told(web, parts[1], CHOSEN, at(ON, 9))
    web.clock.set(at(ON, 9))
    return parts, named_and_told(web, parts[2], CHOSEN, at(ON, 10))


def test_the_mail_and_the_page_say_the_secretariat_gave_the_part(web: WebEnv, tmp_path: Path) -> None:
    """The body's mail of its late part (the first milestone, due 30/06/2022), and the part's page."""
    parts, _ = _named(web, tmp_path)
    email = f"{CHOSEN}@dondoc.example"
    data = {"working_days_overdue": 22}
    spec = MailSpec("t-late", "overdue", "agency", email, NEW, parts[1], None, False, data)
    with Session(web.engine) as session:
        columns = rendered_columns(session, spec, now=web.clock.now(), settings=web.settings)
    for text in (_flat(columns["body_text"]), _flat(columns["body_html"])):
        assert f"{GIVEN}, văn bản không nêu danh sách; quý cơ quan {DECIDED}" in text, text
        assert SUCCEEDED not in text
    web.login()
    page = _flat(web.client.get(f"/board/assignments/{parts[2]}").text)
    assert f"{GIVEN}, văn bản không nêu danh sách; {NEW} {DECIDED}" in page, page
    assert SUCCEEDED not in page


def test_the_reports_and_the_exports_cells_say_the_secretariat_gave_the_part(web: WebEnv, tmp_path: Path) -> None:
    _named(web, tmp_path)
    web.clock.set(at("2022-10-10", 9))
    with Session(web.engine) as session:
        data = build_report(session, period_code="2022-Q3", now=web.clock.now())
    (row,) = [o for o in data.overdue if o.item_code == ITEM and o.agency_name == NEW]
    mark = f"chưa xác nhận giao ({CELL.replace('; ', f' theo cách hiểu của Tổ giúp việc về nhóm «{GROUP}»; ')})"
    assert row.role_words.endswith(f"; {mark}"), row.role_words
    web.login()
    text = web.client.get("/board/assignments.csv").content.decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(text)))
    body, cell = table[0].index("Cơ quan"), len(table[0]) - 1
    marks = {r[cell] for r in table[1:] if r[0] == ITEM and r[body] == NEW}
    assert marks == {f"{GROUP} ({CELL})"}, marks


def test_the_desks_queue_says_the_secretariat_gave_the_part(web: WebEnv, tmp_path: Path) -> None:
    """ "Chờ xác nhận giao" lists both parts under Sở KH&CN with the page's clause."""
    _named(web, tmp_path)
    with Session(web.engine) as session:
        rows = queue_by_slug(UNCONFIRMED_QUEUE).rows(session, web.clock.now(), CALENDAR, web.clock, AssignmentFilter())
    details = [r.detail for r in rows if r.agency == NEW]
    assert details == [f"{GIVEN}, văn bản không nêu danh sách; {NEW} {DECIDED}"] * 2, details
