"""A part meant through an inferred group for a body that had ended by its giving day.

UBND huyện Bình Sơn, reached through «UBND các huyện, thị xã, thành phố» as the secretariat's reading
of the group, was dissolved on 01/07/2022, the day its report of the third quarter was to be given:
that report was never given to it (engine.services.successions.given_after_end), and waited in "Cần
phân công lại" until the Tổ giúp việc gave it to Sở KH&CN. The page, the desk's queue and the mails
said "Phần việc này được giao cho UBND huyện Bình Sơn vì thuộc nhóm …", the report and the export
"giao cho UBND huyện Bình Sơn …; Tổ giúp việc giao lại cho cơ quan này": it was never given to Bình
Sơn, and the secretariat gave it, not gave it again. Each now says it was meant for Bình Sơn by the
group's guess and that Bình Sơn had ended by the giving day. UBND huyện Lý Sơn, absorbed that day
into Sở KH&CN, whose report passed on by the absorption, is said so too ("do kế nhiệm"). And the
decision's own mail says the part rests on the guess, once, in the words of the later mails."""

from __future__ import annotations

import csv
import html
import io
from pathlib import Path

import pytest
from sqlalchemy import update
from sqlmodel import Session, col

from dondoc.engine.models import Assignment
from dondoc.engine.reports.data import build_report
from dondoc.engine.services.assignment_filter import AssignmentFilter
from dondoc.engine.services.queries import get_assignment
from dondoc.engine.services.queues import UNCONFIRMED_QUEUE, queue_by_slug
from dondoc.notifications.outbox import MailSpec, rendered_columns
from tests.factories import load_min_catalog
from tests.support.catalogs import REPORTING
from tests.support.successions import (
    at,
    listing,
    named_and_told,
    succession_catalog,
    successions_at_dawn,
    successions_yaml,
)
from tests.support.sweep import CALENDAR
from tests.support.web import WebEnv
from tests.test_succession_never_given import _quarter

ON = "2022-07-01"
GROUP = "UBND các huyện, thị xã, thành phố"
NEW = "Sở Khoa học và Công nghệ"
MEANT = "Phần việc này dành cho {old} vì thuộc nhóm «" + GROUP + "» theo danh sách Tổ giúp việc suy đoán"
ENDED = "văn bản không nêu danh sách, nhưng đến ngày giao thì {old} đã không còn"
BY_DECISION = "nhận phần việc này do Tổ giúp việc giao sau khi {old} không còn, không phải vì thuộc nhóm"
BY_SUCCESSION = "nhận phần việc này do kế nhiệm {old}, không phải vì thuộc nhóm"
KINDS = {  # the body that ended -> how its successions.yaml ends it, its name, how Sở KH&CN came to hold it
    "ubnd-binh-son": ("dissolve", "UBND huyện Bình Sơn", BY_DECISION),
    "ubnd-ly-son": ("absorb", "UBND huyện Lý Sơn", BY_SUCCESSION),
}


def _flat(text: str | None) -> str:
    return " ".join(html.unescape(text or "").split())


def _clause(body: str, holder: str) -> str:
    _, old, how = KINDS[body]
    return f"{MEANT.format(old=old)}, {ENDED.format(old=old)}; {holder} {how.format(old=old)}"


def _held(web: WebEnv, tmp_path: Path, body: str) -> tuple[int, str]:
    """``body``'s report of 2022-Q3, given through the inferred group, ``body`` ended on ON, the part
    Sở KH&CN's since that morning: its id and the text (plain | html) of the mail that gave it to Sở
    KH&CN (the secretariat's decision's, or the succession's)."""
    kind = KINDS[body][0]
    catalog = succession_catalog(tmp_path, successions_yaml(kind, on=ON))
    plan = catalog / "plans" / "test-plan.yaml"
    plan.write_text(plan.read_text(encoding="utf-8") + REPORTING, encoding="utf-8")
    with Session(web.engine) as session:
        load_min_catalog(session, web.clock.now(), catalog)
        part = _quarter(session, body, "2022-Q3").id or 0
        session.execute(update(Assignment).where(col(Assignment.id) == part).values(inferred_group="ubnd-cap-huyen"))
        session.commit()
    mails = successions_at_dawn(web, ON)
    if kind != "dissolve":
        told = listing(mails, part)
        return part, _flat(told.body_text) + " | " + _flat(told.body_html)
    web.clock.set(at(ON, 9))
    told = named_and_told(web, part, "so-khcn", at(ON, 10))
    return part, _flat(told.body_text) + " | " + _flat(told.body_html)


@pytest.mark.parametrize("body", sorted(KINDS))
def test_the_page_the_queue_and_a_later_mail_say_the_part_was_meant_for_the_body(
    web: WebEnv, tmp_path: Path, body: str
) -> None:
    part, _ = _held(web, tmp_path, body)
    with Session(web.engine) as session:
        detail = get_assignment(session, part, now=web.clock.now())
    assert detail.guessed_before == _clause(body, NEW), detail.guessed_before
    with Session(web.engine) as session:
        rows = queue_by_slug(UNCONFIRMED_QUEUE).rows(session, web.clock.now(), CALENDAR, web.clock, AssignmentFilter())
    details = [r.detail for r in rows if r.id == part]
    assert details == [_clause(body, NEW)], details
    spec = MailSpec("t-late", "overdue", "agency", "so-khcn@dondoc.example", NEW, part, None, False, {})
    with Session(web.engine) as session:
        columns = rendered_columns(session, spec, now=web.clock.now(), settings=web.settings)
    for text in (_flat(columns["body_text"]), _flat(columns["body_html"])):
        assert _clause(body, "quý cơ quan") in text, text
        assert "được giao cho" not in text and "giao lại" not in text, text


def test_the_report_and_the_export_say_the_part_was_meant_for_the_body(web: WebEnv, tmp_path: Path) -> None:
    _held(web, tmp_path, "ubnd-binh-son")
    web.clock.set(at("2022-11-01", 9))
    with Session(web.engine) as session:
        data = build_report(session, period_code="2022-Q4", now=web.clock.now())
    (row,) = [o for o in data.overdue if "bao-cao-quy" in o.item_code and o.agency_name == NEW]
    old = "UBND huyện Bình Sơn"
    mark = (
        f"chưa xác nhận giao (dành cho {old} theo cách hiểu của Tổ giúp việc về nhóm «{GROUP}», "
        f"nhưng đến ngày giao thì {old} đã không còn; Tổ giúp việc giao cho cơ quan này)"
    )
    assert row.role_words.endswith(f"; {mark}"), row.role_words
    web.login()
    text = web.client.get("/board/assignments.csv").content.decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(text)))
    body, cell = table[0].index("Cơ quan"), len(table[0]) - 1
    marks = {r[cell] for r in table[1:] if "bao-cao-quy" in r[0] and r[body] == NEW and r[cell]}
    assert marks == {f"{GROUP} (dành cho {old}, đến ngày giao đã không còn; Tổ giúp việc giao cho cơ quan này)"}, marks


@pytest.mark.parametrize("body", sorted(KINDS))
def test_the_mail_that_gives_the_part_says_it_rests_on_the_guess_once(web: WebEnv, tmp_path: Path, body: str) -> None:
    """The secretariat's decision's mail (Bình Sơn's), the absorption's (Lý Sơn's)."""
    _, told = _held(web, tmp_path, body)
    text, page = told.split(" | ")
    for said in (text, page):
        assert said.count(_clause(body, "quý cơ quan")) == 1, said
        assert "được giao cho" not in said and "giao lại" not in said, said
