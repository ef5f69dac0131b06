"""The queue "Cần phân công" and naming the bodies on the item page."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

from sqlalchemy import update
from sqlmodel import Session, select

from dondoc.engine.as_written import NAMES_NOBODY, NOBODY_WORDS
from dondoc.engine.escalation.facts import working_days_waiting
from dondoc.engine.models import Agency, Assignment, Plan, PlanItem
from dondoc.engine.services.tracking import set_tracking_start
from dondoc.engine.vi_format import vn_date
from dondoc.engine.workcalendar import WorkCalendar
from tests.factories import load_min_catalog
from tests.support.unnamed import ONLY_UNNAMED, WITH_PARTNER, unnamed_catalog
from tests.support.web import WebEnv, shown_count


def _setup(web: WebEnv, tmp_path: Path) -> dict[str, int]:
    with Session(web.engine) as session:
        load_min_catalog(session, web.clock.now(), unnamed_catalog(tmp_path))
        rows = session.exec(select(PlanItem).where(PlanItem.code.in_([ONLY_UNNAMED, WITH_PARTNER]))).all()  # type: ignore[attr-defined]
        return {row.code: row.id or 0 for row in rows}


def _queue_rows(html: str) -> list[str]:
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return re.findall(r'href="/board/items/\d+">([^<]+)</a>', body)


def test_queue_count_equals_its_rows_and_naming_empties_it(web: WebEnv, tmp_path: Path) -> None:
    ids = _setup(web, tmp_path)
    web.login()
    board = web.client.get("/board").text
    count = shown_count(re.search(r"Cần phân công: <strong>([\d.]+)</strong>", board).group(1))  # type: ignore[union-attr]
    queue = web.client.get("/board/can-phan-cong")
    assert queue.status_code == 200
    assert _queue_rows(queue.text) == [ONLY_UNNAMED, WITH_PARTNER] and count == 2
    assert "«các cơ quan có liên quan»" in queue.text

    page = f"/board/items/{ids[WITH_PARTNER]}"
    item_page = web.client.get(page).text
    assert "Chưa xác định cơ quan" in item_page and 'name="agency"' in item_page
    form = {"csrf": web.csrf(page), "agency": ["vp-ubnd", ""], "role": ["partner", "partner"]}
    response = web.client.post(f"{page}/name", data=form)
    assert response.status_code == 303, response.text
    after = web.client.get(page).text
    assert "Văn phòng UBND tỉnh</a> — Phối hợp" in after and "Tổ giúp việc đã phân công cơ quan" in after
    assert "Tổ giúp việc phân công (tgv)" in after  # the history says who named it
    board = web.client.get("/board").text
    assert "Cần phân công: <strong>1</strong>" in board
    assert _queue_rows(web.client.get("/board/can-phan-cong").text) == [ONLY_UNNAMED]


def test_a_bad_code_is_refused_in_one_vietnamese_line_and_nothing_is_written(web: WebEnv, tmp_path: Path) -> None:
    ids = _setup(web, tmp_path)
    web.login()
    with Session(web.engine) as session:
        before = len(session.exec(select(Assignment)).all())
    page = f"/board/items/{ids[ONLY_UNNAMED]}"
    form = {"csrf": web.csrf(page), "agency": ["so-noi-vu", "khong-co"], "role": ["lead", "lead"]}
    response = web.client.post(f"{page}/name", data=form)
    assert response.status_code == 422
    assert 'Không có cơ quan mã "khong-co" trong danh mục.' in response.text.replace("&#34;", '"')
    # a body without its role had been heard as no row at all: "Chưa chọn cơ quan nào"
    no_role = web.client.post(f"{page}/name", data={"csrf": web.csrf(page), "agency": "so-noi-vu"})
    assert no_role.status_code == 422 and "Chưa chọn vai trò cho Sở Nội vụ." in no_role.text
    with Session(web.engine) as session:
        assert len(session.exec(select(Assignment)).all()) == before
    assert _queue_rows(web.client.get("/board/can-phan-cong").text) == [ONLY_UNNAMED, WITH_PARTNER]


def test_naming_without_the_form_token_is_refused(web: WebEnv, tmp_path: Path) -> None:
    ids = _setup(web, tmp_path)
    web.login()
    response = web.client.post(f"/board/items/{ids[ONLY_UNNAMED]}/name", data={"agency": "so-noi-vu", "role": "lead"})
    assert response.status_code == 403
    assert _queue_rows(web.client.get("/board/can-phan-cong").text) == [ONLY_UNNAMED, WITH_PARTNER]


def test_the_form_offers_only_the_bodies_that_exist_today(web: WebEnv, tmp_path: Path) -> None:
    ids = _setup(web, tmp_path)
    today = web.clock.local_date(web.clock.now())
    with Session(web.engine) as session:
        session.execute(update(Agency).where(Agency.code == "vp-ubnd").values(valid_from=today + timedelta(days=1)))
        session.commit()
    web.login()
    page = web.client.get(f"/board/items/{ids[ONLY_UNNAMED]}").text
    assert 'option value="so-noi-vu"' in page and 'option value="vp-ubnd"' not in page


def test_a_body_named_after_the_date_reads_when_it_was_given(web: WebEnv, tmp_path: Path) -> None:
    """II.8 is due before 30/9; named on 10/10, its page says the body was given it that day, after
    the date (its ladder counts from then: engine.status.given_after_due), beside the date itself."""
    from datetime import datetime

    from dondoc.engine.clock import LOCAL_TZ

    ids = _setup(web, tmp_path)
    web.clock.set(datetime(2022, 10, 10, 9, 0, tzinfo=LOCAL_TZ))
    web.login()
    page = f"/board/items/{ids[ONLY_UNNAMED]}"
    form = {"csrf": web.csrf(page), "agency": ["so-noi-vu"], "role": ["lead"]}
    assert web.client.post(f"{page}/name", data=form).status_code == 303
    with Session(web.engine) as session:
        named = session.exec(select(Assignment).join(Agency).where(Agency.code == "so-noi-vu")).all()
        late = [a for a in named if a.assigned_at.date() == datetime(2022, 10, 10).date()]
        assert len(late) == 1
    text = web.client.get(f"/board/assignments/{late[0].id}").text
    assert "Nhiệm vụ được giao ngày 10/10/2022, sau thời hạn" in text
    before = [a for a in named if a not in late][0]  # the plan's own work for the same body: given in time
    assert "sau thời hạn" not in web.client.get(f"/board/assignments/{before.id}").text
    # the board's overdue list (the leaders' page reads the same list) says it, the days since given first
    web.clock.set(datetime(2022, 10, 12, 9, 0, tzinfo=LOCAL_TZ))
    board = web.client.get("/board").text
    row = board.split(f'data-id="{late[0].id}"', 1)[1].split("</tr>", 1)[0]
    assert "kể từ ngày giao 10/10/2022 (giao sau thời hạn;" in row
    assert board.count("sau thời hạn") == 1  # no other overdue row was given late
    # and the body's own list says it in the same words, the days since given first, as its mails do
    home = web.client.get(f"/a/{web.link('agency:so-noi-vu')}").text
    mark = home.split(f"/assignments/{late[0].id}", 1)[1].split("</tr>", 1)[0]
    assert "Quá hạn 2 ngày làm việc kể từ ngày giao 10/10/2022 (giao sau thời hạn;" in mark, mark
    assert home.count("sau thời hạn") == 1


def test_an_item_waits_from_the_tracking_start_when_its_plan_came_before_it(web: WebEnv, tmp_path: Path) -> None:
    """61/KH-UBND's items (2019) read 995 working days waiting on a 2023 board that began tracking
    on 01/06/2022: nobody could have named their bodies in dondoc before it."""
    _setup(web, tmp_path)
    with Session(web.engine) as session:
        issued = session.exec(select(Plan.issued).join(PlanItem).where(PlanItem.code == ONLY_UNNAMED)).one()
        start = issued + timedelta(days=20)  # the plan came before the tracking start
        set_tracking_start(session, start)
        session.commit()
    web.clock.set(web.clock.now() + timedelta(days=40))
    today = web.clock.now().date()
    web.login()
    page = web.client.get("/board/can-phan-cong").text
    row = page.split(f">{ONLY_UNNAMED}</a>", 1)[1].split("</tr>", 1)[0]
    waited = working_days_waiting(start, today, WorkCalendar.default())
    assert f'<td>{vn_date(start)}</td><td class="num">{waited}</td>' in row, row
    assert "Chờ từ ngày" in page


NOBODY = "99/KH-TEST:II.10"
# a section that names no body at all (61/KH-UBND I.2.a): the catalog's placeholder is its phrase
NAMES_NOBODY_ITEM = f"""
  - code: "{NOBODY}"
    section: "II.10"
    title: "Các mục tiêu cụ thể"
    content: "Phấn đấu đạt 20% số lượng người dân tham gia."
    source: "Mục II.10"
    roles_as_written: {{lead: "{NAMES_NOBODY}"}}
    unnamed: [{{role: lead, phrase: "{NAMES_NOBODY}"}}]
    deadline: "trước ngày 30/9/2022"
"""


def test_a_role_the_text_names_no_body_for_is_said_so_not_quoted(web: WebEnv, tmp_path: Path) -> None:
    """«chưa xác định» is the catalog's word, not the text's: the item page had said "Văn bản ghi: Chủ
    trì: «chưa xác định»", and the queue's note «chưa xác định», of a section that names nobody."""
    directory = unnamed_catalog(tmp_path)
    plan = next((directory / "plans").glob("*.yaml"))
    plan.write_text(plan.read_text(encoding="utf-8") + NAMES_NOBODY_ITEM, encoding="utf-8")
    with Session(web.engine) as session:
        load_min_catalog(session, web.clock.now(), directory)
        item = session.exec(select(PlanItem.id).where(PlanItem.code == NOBODY)).one()
    web.login()
    queue = web.client.get("/board/can-phan-cong").text
    assert NOBODY in _queue_rows(queue)
    row = next(r for r in queue.split("<tr") if NOBODY in r)
    assert f"Chủ trì: {NOBODY_WORDS}" in row and NAMES_NOBODY not in row
    assert "«các cơ quan có liên quan»" in queue  # a phrase the text wrote is quoted as before
    page = web.client.get(f"/board/items/{item}").text
    assert f"Văn bản ghi: Chủ trì: {NOBODY_WORDS}." in page and f"«{NAMES_NOBODY}»" not in page
    assert f"<li>Chủ trì: {NOBODY_WORDS}</li>" in page
