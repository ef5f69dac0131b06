"""The board's overdue list says, on each row, what the part's own page says of it.

An audit of the board's "Nhiệm vụ quá hạn" found two kinds of silent rows. A partner's part listed
"Quá hạn 10 ngày làm việc" while its lead had reported eleven days before, with no word of it: the
queue "Phối hợp không còn được chờ" and the part's page said "Cơ quan chủ trì đã báo cáo ngày …:
không còn ai chờ ý kiến phối hợp". And a part reached only through an inferred group the
secretariat had not confirmed was listed like any other, while the board's note counted it ("có
tính 1 phần việc quá hạn … chưa xác nhận giao") without saying which. Each row now says it, in the
page's and the report's words, read for the whole list in one statement, none when no row needs it.
"""

from __future__ import annotations

import html
import io
import re
from datetime import datetime
from pathlib import Path

from openpyxl import load_workbook
from sqlmodel import Session

from dondoc.engine.actors import Actor
from dondoc.engine.services.assignments import Request, act
from dondoc.engine.workflow import Action
from tests.factories import assignment_for, load_min_catalog
from tests.support.statements import statements_of
from tests.support.web import WebEnv
from tests.test_partner_queue import ITEM, LATER, REPORTED, _with_partners
from tests.test_unconfirmed_figures import JULY, _mark

UNWAITED = "Cơ quan chủ trì (Sở Thông tin và Truyền thông) đã báo cáo ngày 20/06/2022: không còn ai chờ ý kiến phối hợp"
GUESSED = "chưa xác nhận giao (theo cách hiểu của Tổ giúp việc về nhóm «Các sở, ban, ngành»)"


def _row(board: str, part: int) -> str:
    """The text of the overdue list's row of ``part``."""
    listed = board.split('id="overdue"', 1)[1].split("</table>", 1)[0]
    assert f'data-id="{part}"' in listed, f"{part} not listed"
    row = listed.split(f'data-id="{part}"', 1)[1].split("</tr>", 1)[0]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", row)).split())


def _step(web: WebEnv, target: int, action: Action, who: str, at: datetime, comment: str | None = None) -> None:
    with Session(web.engine) as session:
        act(session, target, Request(action, Actor.agency(who), comment=comment), now=at)
        session.commit()


def _unwaited_reads(seen: list[str]) -> int:
    """The statements that read whether a listed partner's leads have all finished."""
    return sum(1 for s in seen if "lead_state_then" in s)


def test_a_partner_listed_overdue_after_its_lead_reported_says_so(web: WebEnv, tmp_path: Path) -> None:
    with Session(web.engine) as session:
        load_min_catalog(session, web.clock.now(), _with_partners(tmp_path))
        lead, noi_vu, vp = (assignment_for(session, ITEM, code).id or 0 for code in ("so-tttt", "so-noi-vu", "vp-ubnd"))
    _step(web, lead, Action.ACKNOWLEDGE, "so-tttt", REPORTED)
    web.login()
    web.clock.set(LATER)
    board = web.client.get("/board?qua-han=tat-ca").text
    assert "không còn ai chờ" not in _row(board, noi_vu)  # the lead is at work: its partners' input is waited for

    web.clock.set(REPORTED)
    _step(web, lead, Action.REPORT, "so-tttt", REPORTED, "Đã xây dựng xong.")
    web.clock.set(LATER)
    with statements_of(web.engine) as seen:
        board = web.client.get("/board?qua-han=tat-ca").text
    for partner in (noi_vu, vp):
        row = _row(board, partner)
        assert UNWAITED in row, row
        assert "Quá hạn" in row  # still counted: the secretariat decides it in its queue
    assert _unwaited_reads(seen) == 1  # one statement reads every partner row of the list
    # the board's workbook says it in a column of its own, of the partners' rows alone
    sheet = load_workbook(io.BytesIO(web.client.get("/board/export.xlsx").content))["Quá hạn"]
    (headers, *rows) = [[cell.value for cell in row] for row in sheet.iter_rows()]
    said = headers.index("Phối hợp không còn được chờ")
    notes = {row[5]: row[said] for row in rows if row[1] == ITEM}
    assert notes == {"Sở Nội vụ": UNWAITED, "Văn phòng UBND tỉnh": UNWAITED}, notes


def test_a_list_without_partner_rows_reads_nothing_of_leads(web: WebEnv) -> None:
    web.login()
    web.clock.set(LATER)
    with statements_of(web.engine) as seen:
        board = web.client.get("/board?qua-han=tat-ca").text
    listed = board.split('id="overdue"', 1)[1].split("</table>", 1)[0]
    assert 'data-id="' in listed and "Phối hợp" not in listed  # overdue rows, none of them a partner's
    assert _unwaited_reads(seen) == 0


def _guess_reads(seen: list[str]) -> int:
    """The statements that read the listed parts given on a guess (inferred_parts.unconfirmed_of)."""
    return sum(
        1 for s in seen if s.startswith("SELECT assignment.id, assignment.inferred_group") and "first_holder_name" in s
    )


def test_an_overdue_part_given_on_a_guess_is_marked_on_the_boards_list(web: WebEnv) -> None:
    web.login()
    web.clock.set(JULY)
    with statements_of(web.engine) as seen:
        web.client.get("/board?qua-han=tat-ca")
    assert _guess_reads(seen) == 0  # no part given on a guess: nothing read
    part = _mark(web)
    with statements_of(web.engine) as seen:
        board = web.client.get("/board?qua-han=tat-ca").text
    row = _row(board, part)
    assert GUESSED in row, row
    assert _guess_reads(seen) == 1  # one statement reads the list's every row
    assert board.count("chưa xác nhận giao (theo cách hiểu") == 1  # that row alone
    with Session(web.engine) as session:
        act(
            session,
            part,
            Request(Action.CONFIRM_MEMBERSHIP, Actor.parse("secretariat"), comment="QĐ 1742"),
            now=web.clock.now(),
        )
        session.commit()
    assert "chưa xác nhận giao (theo cách hiểu" not in _row(web.client.get("/board?qua-han=tat-ca").text, part)
