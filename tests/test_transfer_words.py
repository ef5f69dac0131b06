"""Work a body receives from one that ended is "nhận chuyển giao", never "tiếp nhận" (a body
acknowledging its work), and what is said of it holds for each part it lists.

The replay's reviewer read, of a rename: the successor's mail titled "Tiếp nhận nhiệm vụ … từ …" (the
acknowledge action's words); its opening "Quý cơ quan tiếp nhận các nhiệm vụ đang thực hiện dưới
đây, giữ nguyên tình trạng và thời hạn" above parts marked "Tình trạng: Đã giao" (never acknowledged,
so not "đang thực hiện"); and, on the successor's page of a part, its predecessor's mails listed as
sent to "(cơ quan được giao)": true when sent, read by the successor as though they were sent to it.
The page now names the body that held the part when each such mail was decided
(transfer_origins.held_then)."""

from __future__ import annotations

import re
from pathlib import Path

from sqlmodel import Session

from dondoc.engine.services.queries import mails_about
from tests.support.successions import at, renamed_and_told
from tests.support.sweep import run_sweep
from tests.support.web import ITEM, WebEnv

OLD, NEW = "so-noi-vu", "so-moi"  # Sở Nội vụ, renamed Sở Hợp nhất on 01/08/2022


def _renamed(web: WebEnv, tmp_path: Path) -> tuple[int, str, str, str]:
    """Sở Nội vụ is told of its part (the plan's notice, 02/03) and that it is late (the sweep of
    04/07), never acknowledges it, and is renamed on 01/08: the part, and its successor's mail's
    subject, plain text and html."""
    part = web.assignment(ITEM, OLD)
    with Session(web.engine) as session:
        run_sweep(session, web.clock.now())
        run_sweep(session, at("2022-07-04", 7))
    told = renamed_and_told(web, tmp_path, OLD, NEW, part)
    return part, told.subject, told.body_text or "", told.body_html or ""


def _plain(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_successors_mail_says_it_receives_the_work_by_transfer(web: WebEnv, tmp_path: Path) -> None:
    _, subject, _, html = _renamed(web, tmp_path)
    assert subject.startswith(f"[Đôn đốc] Nhận chuyển giao nhiệm vụ {ITEM}"), subject
    assert " từ Sở Nội vụ — " in subject and "Tiếp nhận" not in subject, subject
    assert f"<title>Nhận chuyển giao nhiệm vụ {ITEM} từ Sở Nội vụ — " in html, html


def test_the_opening_is_true_of_parts_never_acknowledged(web: WebEnv, tmp_path: Path) -> None:
    _, _, text, html = _renamed(web, tmp_path)
    opening, *parts = text.split("\n- Nhiệm vụ: ")
    assert parts and all("\n- Tình trạng: Đã giao\n" in part for part in parts), parts  # never acknowledged
    said = "nhận chuyển giao các nhiệm vụ dưới đây, giữ nguyên tình trạng và thời hạn của từng nhiệm vụ."
    assert said in " ".join(opening.split()), opening
    for body in (opening, _plain(html).split("Nhiệm vụ ")[0]):
        assert "đang thực hiện" not in body and "tiếp nhận" not in body, body


def test_the_successors_page_names_the_body_its_predecessors_mails_went_to(web: WebEnv, tmp_path: Path) -> None:
    part, _, _, _ = _renamed(web, tmp_path)
    with Session(web.engine) as session:
        mails = mails_about(session, part)
    said = {(m.kind, m.recipient_email, m.held_by) for m in mails if m.recipient_role == "agency"}
    assert said == {
        ("new_assignment", "so-noi-vu@dondoc.example", "Sở Nội vụ"),
        ("unacknowledged", "so-noi-vu@dondoc.example", "Sở Nội vụ"),
        ("overdue", "so-noi-vu@dondoc.example", "Sở Nội vụ"),
        ("inherited_work", "so-moi@dondoc.example", None),
    }, said
    web.login()
    pages = (
        web.client.get(f"/board/assignments/{part}").text,
        web.client.get(f"/a/{web.link(f'agency:{NEW}')}/assignments/{part}").text,
    )
    for page in pages:
        table = page.split('id="mails"', 1)[1].split("</table>", 1)[0]
        rows = [_plain(row) for row in table.split("<tr")[2:]]
        then = "so-noi-vu@dondoc.example (Sở Nội vụ, cơ quan được giao khi đó)"
        assert [row for row in rows if "so-noi-vu@" in row and then not in row] == [], rows
        assert sum(then in row for row in rows) == 3, rows
        (own,) = [row for row in rows if "so-moi@" in row]
        assert "so-moi@dondoc.example (cơ quan được giao)" in own, own
