"""At a past instant (`--now`, `serve --demo`), a partner's page and the board's overdue row say the
same of whether anybody still waited for its input (engine.escalation.lead_done.unwaited_at, the one
rule both read), as it stood then, on both databases.

II.4 is led by Sở TT&TT and partnered by Sở Nội vụ and VP UBND tỉnh, due 30/06/2022. Read at 05/07,
the partner's page replayed each lead as it stood then; the board's row read the leads' state of
today and their finishing dates. A lead's report of 20/06 returned on 10/07 (open again): the page
said nobody waited on 05/07, the row said nothing. Returned, then cancelled on 12/07: the same. A
second lead given on 10/07: the page knew it had not existed on 05/07, the row saw it open. A lead
that reported on 20/07 and was absorbed on 01/08 into Sở KH&CN, its report returned on 02/08: read at
29/07 the page said Sở TT&TT had reported, the row said nothing."""

from __future__ import annotations

import html
import io
import re
from datetime import datetime
from pathlib import Path

from openpyxl import load_workbook
from sqlmodel import Session

from dondoc.engine.actors import SECRETARIAT, Actor
from dondoc.engine.clock import DEFAULT_DAYS, LOCAL_TZ
from dondoc.engine.services.assignments import Request, act
from dondoc.engine.workflow import Action
from dondoc.notifications.inherited import apply_successions
from tests.factories import load_min_catalog
from tests.support.catalogs import edit
from tests.support.successions import ON, at, succession_catalog, successions_yaml
from tests.support.web import WebEnv
from tests.test_partner_queue import ITEM, WITH_PARTNERS, _with_partners

PAST, TODAY = datetime(2022, 7, 5, 10, tzinfo=LOCAL_TZ), datetime(2022, 7, 15, 10, tzinfo=LOCAL_TZ)
REPORTED, RETURNED = datetime(2022, 6, 20, 10, tzinfo=LOCAL_TZ), datetime(2022, 7, 10, 10, tzinfo=LOCAL_TZ)
TTTT = "Sở Thông tin và Truyền thông"
SAID = re.compile(
    r"((?:Cơ quan|Phần việc của cơ quan) chủ trì \([^)]*\) đã (?:báo cáo ngày [\d/]+|hủy)): "
    r"không còn ai chờ ý kiến phối hợp"
)


def _text(page: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def _row(board: str, part: int) -> str:
    """The text of the board's overdue row of ``part``."""
    listed = board.split('id="overdue"', 1)[1].split("</table>", 1)[0]
    assert f'data-id="{part}"' in listed, f"{part} not listed"
    return _text(listed.split(f'data-id="{part}"', 1)[1].split("</tr>", 1)[0])


def _unwaited(text: str) -> str | None:
    found = SAID.search(text)
    return found.group(1) if found else None


def _said(web: WebEnv, partner: int, instant: datetime) -> str | None:
    """What the partner's page says of whether its input was waited for at ``instant``, once the
    board's overdue row is found to say the same."""
    web.clock.set(instant)
    page = _unwaited(_text(web.client.get(f"/board/assignments/{partner}").text))
    row = _unwaited(_row(web.client.get("/board?qua-han=tat-ca").text, partner))
    assert page == row, (instant, page, row)
    return page


def _acted(web: WebEnv, part: int, *steps: tuple[Action, datetime]) -> None:
    """``steps`` on ``part``: by Sở TT&TT, a return or a cancellation by the secretariat."""
    with Session(web.engine) as session:
        for action, when in steps:
            actor = SECRETARIAT if action in (Action.RETURN, Action.CANCEL) else Actor.agency("so-tttt")
            act(session, part, Request(action, actor, comment="Đã xong."), now=when)
        session.commit()


def _loaded(web: WebEnv, catalog: Path) -> tuple[int, int]:
    """``catalog`` loaded: II.4's partner Sở Nội vụ and its lead Sở TT&TT."""
    with Session(web.engine) as session:
        load_min_catalog(session, web.clock.now(), catalog)
    web.login()
    return web.assignment(ITEM, "so-noi-vu"), web.assignment(ITEM, "so-tttt")


REPORTED_ON = f"Cơ quan chủ trì ({TTTT}) đã báo cáo ngày 20/06/2022"


def test_a_leads_report_returned_since(web: WebEnv, tmp_path: Path) -> None:
    partner, lead = _loaded(web, _with_partners(tmp_path))
    _acted(web, lead, (Action.ACKNOWLEDGE, REPORTED), (Action.REPORT, REPORTED), (Action.RETURN, RETURNED))
    assert _said(web, partner, PAST) == REPORTED_ON
    assert _workbook_said(web, PAST) == {"Sở Nội vụ": REPORTED_ON, "Văn phòng UBND tỉnh": REPORTED_ON}
    assert _said(web, partner, TODAY) is None
    # the lead, open again, is overdue too today
    assert _workbook_said(web, TODAY) == {"Sở Nội vụ": None, "Văn phòng UBND tỉnh": None, TTTT: None}


def _workbook_said(web: WebEnv, instant: datetime) -> dict[str, str | None]:
    """What the board's workbook read at ``instant`` says of II.4's partners, by body."""
    web.clock.set(instant)
    sheet = load_workbook(io.BytesIO(web.client.get("/board/export.xlsx").content))["Quá hạn"]
    (headers, *rows) = [[cell.value for cell in row] for row in sheet.iter_rows()]
    said = headers.index("Phối hợp không còn được chờ")
    return {row[5]: _unwaited(row[said] or "") for row in rows if row[1] == ITEM}


def test_a_leads_report_returned_since_and_the_lead_cancelled(web: WebEnv, tmp_path: Path) -> None:
    partner, lead = _loaded(web, _with_partners(tmp_path))
    cancelled = datetime(2022, 7, 12, 10, tzinfo=LOCAL_TZ)
    steps = (Action.ACKNOWLEDGE, REPORTED), (Action.REPORT, REPORTED), (Action.RETURN, RETURNED)
    _acted(web, lead, *steps, (Action.CANCEL, cancelled))
    assert _said(web, partner, PAST) == REPORTED_ON
    assert _said(web, partner, TODAY) == f"Phần việc của cơ quan chủ trì ({TTTT}) đã hủy"


def test_a_lead_given_since(web: WebEnv, tmp_path: Path) -> None:
    catalog = _with_partners(tmp_path)
    partner, lead = _loaded(web, catalog)
    _acted(web, lead, (Action.ACKNOWLEDGE, REPORTED), (Action.REPORT, REPORTED))
    # on 10/07, the plan gives II.4 a second lead, still at work today
    edit(
        catalog,
        "plans/test-plan.yaml",
        "lead: [so-tttt]\n    partners: [so-noi-vu",
        "lead: [so-tttt, ubnd-ly-son]\n    partners: [so-noi-vu",
    )
    with Session(web.engine) as session:
        load_min_catalog(session, RETURNED, catalog)
    assert _said(web, partner, PAST) == REPORTED_ON
    assert _said(web, partner, TODAY) is None


def test_a_lead_absorbed_since_named_by_the_body_that_held_it_then(web: WebEnv, tmp_path: Path) -> None:
    absorbed = successions_yaml("absorb", "from: [so-tttt]\n    to: [{agency: so-khcn}]")
    catalog = succession_catalog(tmp_path, absorbed)
    plan = catalog / "plans" / "test-plan.yaml"
    plan.write_text(plan.read_text(encoding="utf-8") + WITH_PARTNERS, encoding="utf-8")
    partner, lead = _loaded(web, catalog)
    _acted(web, lead, (Action.ACKNOWLEDGE, at("2022-07-20", 9)), (Action.REPORT, at("2022-07-20", 10)))
    web.clock.set(at(ON, 0))
    with Session(web.engine) as session:
        apply_successions(session, now=web.clock.now(), local=DEFAULT_DAYS, settings=web.settings)
        session.commit()
    _acted(web, lead, (Action.RETURN, at("2022-08-02", 10)))
    assert _said(web, partner, at("2022-07-29", 17)) == f"Cơ quan chủ trì ({TTTT}) đã báo cáo ngày 20/07/2022"
    assert _said(web, partner, at("2022-08-01", 17)) == (
        "Cơ quan chủ trì (Sở Khoa học và Công nghệ) đã báo cáo ngày 20/07/2022"
    )
    assert _said(web, partner, at("2022-08-02", 17)) is None
