"""A standing duty whose start is still to come ("kể từ ngày 01/7/2022" read on 02/03/2022) has no
due date: no page, list, count or API calls it "Chưa đến hạn" (not yet due), which says a date
exists; nor is it a standing duty in force yet. Every surface reads its own category, "Nhiệm vụ
thường xuyên chưa đến ngày áp dụng" (engine.status.category), and the board's tiles still add up.
The 2022 replay read on 14/10/2022 had called 41 such parts of 117/KH-UBND II.1.b and
1834/UBND-KGVX 2 "Chưa đến hạn", in the board's tile and the periodic report's column of that name."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime
from pathlib import Path

from openpyxl import load_workbook
from sqlmodel import Session, select

from dondoc.engine.clock import LOCAL_TZ, FrozenClock
from dondoc.engine.deadlines import DeadlineKind, standing_start
from dondoc.engine.models import Assignment, Milestone, PlanItem
from dondoc.engine.reports import build_report, render
from dondoc.engine.reports.labels import CATEGORIES
from dondoc.engine.status import CATEGORY_LABELS_VI, Category
from dondoc.web.exports import STANDING_HEADER
from tests.factories import load_min_catalog
from tests.support.catalogs import STANDING, STANDING_ITEM, with_items
from tests.support.cli import dondoc, ok
from tests.support.web import WebEnv, shown_count

SAID = "Nhiệm vụ thường xuyên chưa đến ngày áp dụng"
NOT_YET_DUE = "Chưa đến hạn"


def _with_standing_duty(web: WebEnv, tmp_path: Path) -> int:
    """The minimal catalog with one standing duty from 01/07/2022, loaded before the clock's 02/03/2022."""
    directory = with_items(tmp_path, STANDING_ITEM)
    with Session(web.engine) as session:
        load_min_catalog(session, web.clock.now(), directory)
        session.commit()
    return web.assignment(STANDING, "so-tttt")


def _tiles(page: str) -> dict[str, int]:
    return {key: shown_count(n) for key, n in re.findall(r'data-category="([^"]+)">([^<]+)<', page)}


def _status_of(page: str) -> str:
    """The assignment page's state and category, as its "Trạng thái" line says them."""
    return re.sub(r"<[^>]+>", "", page.split("<dt>Trạng thái</dt>", 1)[1].split("</dd>", 1)[0])


def test_a_standing_duty_not_begun_is_never_called_not_yet_due(web: WebEnv, tmp_path: Path) -> None:
    part = _with_standing_duty(web, tmp_path)
    assert CATEGORY_LABELS_VI[Category.STANDING_NOT_BEGUN] == SAID
    web.login()

    tiles = _tiles(web.client.get("/board").text)
    assert tiles[Category.STANDING_NOT_BEGUN.value] == 1 and tiles[Category.STANDING.value] == 0
    # every part on one tile: the tiles (all but the cancelled, as the total) still add up
    shown = {k: v for k, v in tiles.items() if k not in ("total", Category.CANCELLED.value)}
    assert sum(shown.values()) == tiles["total"]

    # the desk's list, filtered by either category: the part is listed under its own, not "not yet due"
    own = web.client.get(f"/board/assignments?status={Category.STANDING_NOT_BEGUN.value}").text
    assert f'data-id="{part}"' in own and SAID in own
    assert f'data-id="{part}"' not in web.client.get(f"/board/assignments?status={Category.NOT_YET_DUE.value}").text

    for page in (
        web.client.get(f"/board/assignments/{part}").text,  # the secretariat's
        web.client.get(f"/a/{web.link('agency:so-tttt')}/assignments/{part}").text,  # the body's own
    ):
        status = _status_of(page)
        assert SAID in status and NOT_YET_DUE not in status, status
        assert "áp dụng từ ngày 01/07/2022 (không có hạn cuối)" in page  # its start, as the page says it

    agency_home = web.client.get(f"/a/{web.link('agency:so-tttt')}").text
    row = agency_home.split(f"/assignments/{part}", 1)[1].split("</tr>", 1)[0]
    assert SAID in row and NOT_YET_DUE not in row

    api = web.client.get(f"/api/v1/assignments/{part}", headers=web.api_token("secretariat")).json()
    assert (api["category"], api["category_label"]) == (Category.STANDING_NOT_BEGUN.value, SAID)

    # on its start it is a standing duty in force
    web.clock.set(web.clock.now().replace(month=7, day=1))
    api = web.client.get(f"/api/v1/assignments/{part}", headers=web.api_token("secretariat")).json()
    assert (api["category"], api["category_label"]) == (Category.STANDING.value, "Nhiệm vụ thường xuyên")


def test_the_periodic_report_counts_it_in_its_own_column(session: Session, clock: FrozenClock, tmp_path: Path) -> None:
    """Section I of the first quarter's report, read on 01/04/2022: the duty from 01/07/2022 is in a
    column of its own, not in "Chưa đến hạn", and the plan's row still adds up to its total."""
    directory = with_items(tmp_path, STANDING_ITEM)
    load_min_catalog(session, clock.now(), directory)
    session.commit()
    data = build_report(session, period_code="2022-Q1", now=datetime(2022, 4, 1, 9, 0, tzinfo=LOCAL_TZ))
    (row,) = data.by_plan
    assert row.counts[Category.STANDING_NOT_BEGUN.value] == data.totals.counts[Category.STANDING_NOT_BEGUN.value] == 1
    assert row.counts[Category.STANDING.value] == 0
    assert sum(row.counts[c.value] for c in CATEGORIES) == row.total
    table = render(data, "md").decode().split("## I. Tổng hợp chung", 1)[1].split("## II.", 1)[0]
    header, _, *lines = [line for line in table.splitlines() if line.startswith("|")]
    columns = [cell.strip() for cell in header.strip("|").split("|")]
    cells = [cell.strip() for cell in lines[0].strip("|").split("|")]
    assert cells[columns.index(SAID)] == "1"
    assert cells[columns.index(NOT_YET_DUE)] == str(row.counts[Category.NOT_YET_DUE.value])


def test_the_cli_gives_a_standing_duty_no_date_only_the_day_it_applies_from(
    db_url: str, session: Session, tmp_path: Path
) -> None:
    """`dondoc assignments show` had said "hạn — (theo văn bản: kể từ ngày 01/7/2022)": a start read
    next to the word for a deadline. It says what the part's page says."""
    directory = with_items(tmp_path, STANDING_ITEM)
    load_min_catalog(session, datetime(2022, 3, 2, 9, 0, tzinfo=LOCAL_TZ), directory)
    part = session.exec(select(Assignment.id).join(Milestone).join(PlanItem).where(PlanItem.code == STANDING)).one()
    shown = ok(dondoc(db_url, "assignments", "show", str(part), now="2022-03-02T09:00"))
    said = "không có hạn cuối: nhiệm vụ thường xuyên, áp dụng từ ngày 01/07/2022 (theo văn bản: kể từ ngày 01/7/2022)"
    assert said in shown and "hạn —" not in shown, shown
    listed = ok(dondoc(db_url, "assignments", "list", "--agency", "so-tttt", now="2022-03-02T09:00"))
    (line,) = [line for line in listed.splitlines() if line.lstrip().startswith(f"{part} ")]
    assert "từ 01/07/2022" in line, listed  # the lists' words, not "—" (no date)


def test_the_desks_export_gives_a_standing_duty_its_first_day_not_an_empty_date(web: WebEnv, tmp_path: Path) -> None:
    """The list says "từ 01/07/2022" where a date would stand; its CSV and XLSX had left "Hạn" empty,
    as for work whose text gives no date at all. The first day has a column of its own, a date cell."""
    part = _with_standing_duty(web, tmp_path)
    web.login()
    query = f"q={STANDING}"
    sheet = load_workbook(io.BytesIO(web.client.get(f"/board/assignments.xlsx?{query}").content))["Nhiệm vụ"]
    header = [cell.value for cell in sheet[1]]
    (row,) = [[cell.value for cell in line] for line in sheet.iter_rows(min_row=2)]
    assert row[header.index("Hạn")] is None
    assert row[header.index(STANDING_HEADER)] == datetime(2022, 7, 1)  # a date cell
    text = web.client.get(f"/board/assignments.csv?{query}").content.decode("utf-8-sig")
    head, line = list(csv.reader(io.StringIO(text)))
    assert line[head.index(STANDING_HEADER)] == "01/07/2022" and line[head.index("Hạn")] == ""
    assert f'data-id="{part}"' in web.client.get(f"/board/assignments?{query}").text


def test_a_standing_duty_is_one_with_no_due_date() -> None:
    """engine.deadlines.standing_start, which every surface reads: the first day of a duty the text
    words "kể từ ngày …" while it has no due date; none once one is set, nor for any other kind."""
    first = date(2022, 7, 1)
    due = datetime(2022, 12, 31, 17, 0, tzinfo=LOCAL_TZ)
    assert standing_start(DeadlineKind.FROM_DATE.value, first, None) == first
    assert standing_start(DeadlineKind.FROM_DATE.value, first, due) is None  # a due date set since
    assert standing_start(DeadlineKind.FROM_DATE.value, None, None) is None
    assert standing_start(DeadlineKind.DATE.value, first, None) is None
    assert standing_start(None, first, None) is None
