"""A code whose document number is blank, as people read it (engine.vi_format.shown_code).

The Thông báo kết luận's number did not survive ("Số: /TB-UBND"): its plan number is "/TB-UBND" and
its items' codes "/TB-UBND:II.3.b". The mails named the document "…/TB-UBND ngày … tháng 01 năm
2022" but its tasks "/TB-UBND:II.3.b", a code starting with a slash that three readers in a row
took for a slip. Every surface a person reads now marks the blank as a citation does,
"…/TB-UBND:II.3.b"; what is stored, linked, searched and typed keeps the code.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import update
from sqlmodel import Session, select

from dondoc.engine.clock import LOCAL_TZ, FrozenClock
from dondoc.engine.models import Assignment, Plan, PlanItem
from dondoc.engine.services.same_work import counterparts
from dondoc.engine.vi_format import shown_code
from dondoc.notifications.outbox import enqueue
from dondoc.tasks_catalog.loader import default_catalog_dir
from tests.factories import assignment_for, load_min_catalog
from tests.support.catalogs import MIN_CATALOG
from tests.support.web import ITEM, WebEnv
from tests.test_notifications_render import (
    ASSIGNMENT_KINDS,
    DIGEST_ROW,
    ROLE_OF,
    _leader_digest,
    _secretariat_digest,
    _settings,
    _spec,
)

BLANK, CODE = "/TB-TEST", "/TB-TEST:II.1"
SHOWN = "…/TB-TEST:II.1"
BARE = re.compile(r"(?<!…)/TB-TEST")
JULY = datetime(2022, 7, 20, 9, 0, tzinfo=LOCAL_TZ)


@pytest.fixture
def noi_vu(session: Session, clock: FrozenClock) -> Assignment:
    load_min_catalog(session, clock.now(), MIN_CATALOG)
    return assignment_for(session, ITEM, "so-noi-vu")


def _blank(session: Session) -> None:
    """The test plan's number left blank, as the Thông báo's is, and its first item's code with it."""
    session.execute(update(Plan).values(number=BLANK, issued_as_written="ngày … tháng 03 năm 2022"))
    item = session.exec(select(PlanItem).where(PlanItem.code == ITEM)).one()
    item.code = CODE  # through the ORM: its search text follows (engine.textfold)
    session.add(item)
    session.commit()


def _bare(text: str) -> list[str]:
    """Where ``text`` shows the blank code with no mark: what a person reads, not what a link, a
    form's value or a script's attribute carries (they keep the stored code)."""
    read = re.sub(r'\s(?:href|value|data-[\w-]+)="[^"]*"', "", text)
    return [read[max(0, m.start() - 40) : m.end() + 20] for m in BARE.finditer(read)]


def test_the_rule() -> None:
    assert shown_code("/TB-UBND:II.3.b") == "…/TB-UBND:II.3.b"
    assert shown_code("/TB-UBND") == "…/TB-UBND"
    assert shown_code("/TB-UBND:II.3.b (mốc: Quy chế)") == "…/TB-UBND:II.3.b (mốc: Quy chế)"
    assert shown_code("04/KH-BCĐ:II.1, /TB-UBND:II.3.b") == "04/KH-BCĐ:II.1, …/TB-UBND:II.3.b"
    for kept in ("117/KH-UBND:II.2.d", "1834/UBND-KGVX:2.bao-cao-6-thang", "…/TB-UBND:II.3.b", "30/6/2022"):
        assert shown_code(kept) == kept


@pytest.mark.parametrize("kind", ASSIGNMENT_KINDS)
def test_every_mail_shows_the_blank_marked(
    session: Session,
    clock: FrozenClock,
    noi_vu: Assignment,
    tmp_path: Path,
    kind: str,
) -> None:
    _blank(session)
    for role in dict.fromkeys((ROLE_OF.get(kind, "agency"), "lead")):
        spec = _spec(noi_vu, kind, role, partners_all_in=False)
        row = enqueue(
            session,
            replace(spec, dedupe_key=f"{spec.dedupe_key}:{role}"),
            now=clock.now(),
            settings=_settings(tmp_path),
        )
        assert row is not None
        assert SHOWN in row.subject, (kind, role, row.subject)
        for part in (row.subject, row.body_text, row.body_html or ""):
            assert SHOWN in part and _bare(part) == [], (kind, role, _bare(part))


def test_the_digests_show_the_blank_marked() -> None:
    common = {
        "recipient_name": "Trưởng Ban Chỉ đạo",
        "salutation": "Trưởng Ban Chỉ đạo",
        "recipient_label": "",
        "link": "http://dondoc.test/leaders/x",
        "link_days": 30,
    }
    row = {**DIGEST_ROW, "item_code": CODE, "role": "Thực hiện", "milestone_label": ""}
    for digest in (_leader_digest(common, row), _secretariat_digest(common, row)):
        for part in (digest.text, digest.html):
            assert SHOWN in part and _bare(part) == [], _bare(part)


def test_a_numbered_code_is_shown_as_stored(
    session: Session, clock: FrozenClock, noi_vu: Assignment, tmp_path: Path
) -> None:
    row = enqueue(session, _spec(noi_vu, "overdue"), now=clock.now(), settings=_settings(tmp_path))
    assert row is not None and f": {ITEM} (mốc: " in row.subject
    for part in (row.subject, row.body_text, row.body_html or ""):
        assert ITEM in part and "…" + ITEM not in part


def test_the_pages_exports_and_report_show_the_blank_marked(web: WebEnv) -> None:
    with Session(web.engine) as session:
        _blank(session)
        plan_id = session.exec(select(Plan.id)).one()
        item_id = session.exec(select(PlanItem.id).where(PlanItem.code == CODE)).one()
    web.clock.set(JULY)
    web.login()
    assignment = web.assignment(CODE, "so-noi-vu")
    leaders, agency = web.link("leader:chair"), web.link("agency:so-noi-vu")
    pages = {
        url: web.client.get(url)
        for url in (
            "/board",
            "/board/plans",
            f"/board/plans/{plan_id}",
            f"/board/items/{item_id}",
            "/board/assignments",
            f"/board/assignments/{assignment}",
            f"/leaders/{leaders}",
            f"/leaders/{leaders}/assignments/{assignment}",
            f"/a/{agency}",
            f"/a/{agency}/assignments/{assignment}",
            f"/a/{agency}/calendar.ics",
            "/board/export.xlsx",
            "/board/assignments.csv",
            "/board/assignments.xlsx",
            "/board/reports/download?period=2022&format=html",
            "/board/reports/download?period=2022&format=md",
            "/board/reports/download?period=2022&format=xlsx",
        )
    }
    shown = set()
    for url, page in pages.items():
        assert page.status_code == 200, (url, page.text)
        text = _cells(page.content) if url.endswith("xlsx") else page.content.decode("utf-8-sig")
        text = text.replace("\r\n ", "")  # a calendar's folded lines
        assert _bare(text) == [], (url, _bare(text))
        assert "…99/KH-TEST" not in text, url  # a numbered code is shown as stored
        if SHOWN in text or (url == "/board/plans" and "…/TB-TEST</a>" in text):  # the plans: their numbers
            shown.add(url)
    assert set(pages) - shown == set(), set(pages) - shown
    # what is stored, linked and searched keeps the code: search finds it as it found it before
    for typed in ("TB-TEST:II.1", CODE, SHOWN):
        found = web.client.get("/board/assignments", params={"q": typed}).text
        assert SHOWN in found and f"/board/assignments/{assignment}" in found, typed
    rows = list(csv.reader(io.StringIO(pages["/board/assignments.csv"].content.decode("utf-8-sig"))))
    assert any(SHOWN in row for row in rows) and any("99/KH-TEST:II.2" in row for row in rows)


def _cells(content: bytes) -> str:
    book = load_workbook(io.BytesIO(content))
    return "\n".join(str(c) for s in book.worksheets for r in s.iter_rows(values_only=True) for c in r if c is not None)


def test_the_same_work_note_marks_the_blank(session: Session) -> None:
    """04/KH-BCĐ:II.1 is the Thông báo's II.3.b: its pages and mails say "Cùng nội dung với: …"."""
    load_min_catalog(session, datetime(2022, 3, 10, 8, 0, tzinfo=LOCAL_TZ), default_catalog_dir())
    own = assignment_for(session, "04/KH-BCĐ:II.1", "so-tttt")
    said = [c.said for c in counterparts(session.connection(), own.id or 0, own.milestone_id, own.agency_id)]
    assert said and all(
        s.startswith("…/TB-UBND:II.3.b (mốc: ") and _bare(s.replace("TB-UBND", "TB-TEST")) == [] for s in said
    ), said
