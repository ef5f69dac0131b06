"""The queue "Cần phân công lại" on the board, and the successor page behind an old agency's link."""

from __future__ import annotations

import html
import re
from datetime import datetime
from pathlib import Path

from sqlmodel import Session, col, select

from dondoc import jobs
from dondoc.engine.actors import SECRETARIAT
from dondoc.engine.clock import LOCAL_TZ
from dondoc.engine.models import Agency, Assignment, Notification
from dondoc.engine.services.assignments import Request, act
from dondoc.engine.services.successions import WHY_KEEPS, WHY_TAKES_LEAD, apply_due_successions
from dondoc.engine.workflow import Action
from tests.factories import load_min_catalog
from tests.smtp_server import free_port
from tests.support.catalogs import edit
from tests.support.successions import PARTNERED_II_1, PLAN, named_and_told, succession_catalog, successions_yaml
from tests.support.web import ITEM, WebEnv, csrf_of, shown_count


def _split(web: WebEnv, tmp_path: Path) -> None:
    with Session(web.engine) as session:
        load_min_catalog(session, web.clock.now(), succession_catalog(tmp_path, successions_yaml("split")))
    web.clock.set(datetime(2022, 8, 1, 9, 0, tzinfo=LOCAL_TZ))
    with Session(web.engine) as session:
        apply_due_successions(session, now=web.clock.now())
        session.commit()


def test_the_queue_lists_the_split_work_and_a_decision_empties_it(web: WebEnv, tmp_path: Path) -> None:
    old_link = web.link("agency:so-tttt", days=365)  # issued before the split
    _split(web, tmp_path)
    web.login()
    board = web.client.get("/board").text
    count = shown_count(re.search(r"Cần phân công lại: <strong>([\d.]+)</strong>", board).group(1))  # type: ignore[union-attr]
    queue = web.client.get("/board/can-phan-cong-lai")
    assert queue.status_code == 200 and queue.text.count('action="/board/can-phan-cong-lai/') == count > 0
    assert "Sở Khoa học và Công nghệ: chuyển đổi số" in queue.text and "Nghị định 99/2022/NĐ-TEST" in queue.text
    row = web.assignment(ITEM, "so-tttt", seq=2)
    url = f"/board/can-phan-cong-lai/{row}"
    refused = web.client.post(url, data={**web.form("/board/can-phan-cong-lai", row), "agency": "khong-co"})
    assert refused.status_code == 422 and "không có cơ quan mã" in refused.text and "khong-co" in refused.text
    done = web.client.post(url, data={**web.form("/board/can-phan-cong-lai", row), "agency": "so-vhttdl"})
    assert done.status_code == 303
    with Session(web.engine) as session:
        assignment = session.get(Assignment, row)
        assert assignment is not None
        agency = session.get(Agency, assignment.agency_id)
        assert agency is not None and agency.code == "so-vhttdl"
    after = web.client.get(done.headers["location"]).text
    assert after.count('action="/board/can-phan-cong-lai/') == count - 1
    notice = html.unescape(after.split('class="flash">', 1)[1].split("</p>", 1)[0])  # the work, not an id
    assert notice == (
        f'Đã phân công lại: <a href="/board/assignments/{row}">{ITEM}</a> — '
        "Sở Văn hóa, Thể thao và Du lịch nhận phần việc này (chủ trì)."
    ), notice
    assert 'class="flash"' not in web.client.get("/board/can-phan-cong-lai?done=abc").text
    # the old link of Sở TT&TT: a clear page naming the successors, not its old work
    page = web.client.get(f"/a/{old_link}")
    assert page.status_code == 410
    assert "Sở Thông tin và Truyền thông không còn từ ngày 01/08/2022" in page.text
    said = html.unescape(page.text)  # where its work stands: the one part passed, the others waiting
    assert (
        "(tách theo chức năng): công việc chưa hoàn thành khi đó: "
        "1 phần việc đã chuyển cho Sở Văn hóa, Thể thao và Du lịch; "
        f"{count - 1} phần việc đang chờ Tổ giúp việc phân công lại. Căn cứ:"
    ) in said, said
    assert "Sở Khoa học và Công nghệ" not in said  # a successor by the catalog, given none of it yet


def test_the_old_link_works_until_the_succession_date(web: WebEnv, tmp_path: Path) -> None:
    with Session(web.engine) as session:
        load_min_catalog(session, web.clock.now(), succession_catalog(tmp_path, successions_yaml("split")))
    link = web.link("agency:so-tttt")
    assert web.client.get(f"/a/{link}").status_code == 200


def test_links_issue_refuses_a_body_that_has_ended_naming_its_successors(web: WebEnv, tmp_path: Path) -> None:
    """``dondoc links issue`` of a body ended by a succession would print a link that opens on the
    410 page: refused instead, in the one line that page says; before the date it is issued."""
    from tests.support.cli import dondoc

    with Session(web.engine) as session:
        load_min_catalog(session, web.clock.now(), succession_catalog(tmp_path, successions_yaml("split")))
    url = web.engine.url.render_as_string(hide_password=False)
    env = {"DONDOC_SECRET_KEY": "k" * 40, "DONDOC_BASE_URL": "http://testserver"}
    before = dondoc(url, "links", "issue", "so-tttt", now="2022-07-31T08:00", env=env)
    assert before.returncode == 0 and "http://testserver/a/" in before.stdout
    with Session(web.engine) as session:
        apply_due_successions(session, now=datetime(2022, 8, 1, 9, 0, tzinfo=LOCAL_TZ))
        session.commit()
    for command in ("issue", "reissue"):
        after = dondoc(url, "links", command, "so-tttt", now="2022-08-02T08:00", env=env)
        said = after.stdout + after.stderr
        assert after.returncode != 0 and "/a/" not in said, said
        assert "Sở Thông tin và Truyền thông không còn từ ngày 01/08/2022" in said
        assert "phần việc đang chờ Tổ giúp việc phân công lại" in said and len(said.strip().splitlines()) == 1
        assert "đã chuyển cho" not in said, said  # all of it waits: no body received any
    # nor an API token, which let it act on its old work from the command line
    token = dondoc(url, "tokens", "create", "x", "--role", "agency", "--agency", "so-tttt", now="2022-08-02T08:00")
    said = token.stdout + token.stderr
    assert token.returncode != 0 and "ddk_" not in said and "không còn từ ngày 01/08/2022" in said


def test_the_notice_says_the_partner_part_a_successor_ended_as_it_took_the_lead(web: WebEnv, tmp_path: Path) -> None:
    """Sở TT&TT's lead passes to Sở Nội vụ, which partnered II.1: the clerk is told its partner part
    ended, as it stands when the page is read."""
    _absorbed_into_the_partner(web, tmp_path)
    web.login()
    row = web.assignment(ITEM, "so-tttt", seq=2)
    queue = html.unescape(web.client.get("/board/can-phan-cong-lai").text)
    assert WHY_TAKES_LEAD in queue  # and, beside the body it names, what choosing it would end
    assert (
        "Sở Nội vụ — đang có phần việc phối hợp (đã giao) của nhiệm vụ này: nếu giao chủ trì, phần việc đó sẽ bị hủy"
        in queue
    )
    notice = _named_from_the_queue(web, row, "so-noi-vu")
    assert notice == (
        f"Đã phân công lại: {ITEM} — Sở Nội vụ nhận phần việc này (chủ trì). "
        "Phần việc phối hợp của Sở Nội vụ ở nhiệm vụ này: Đã hủy."
    ), notice


def _named_from_the_queue(web: WebEnv, row: int, agency: str) -> str:
    """The secretariat names ``agency`` for the waiting part ``row`` on its queue's page: the notice
    the page then shows, in words."""
    url = f"/board/can-phan-cong-lai/{row}"
    done = web.client.post(url, data={**web.form("/board/can-phan-cong-lai", row), "agency": agency})
    assert done.status_code == 303
    after = html.unescape(web.client.get(done.headers["location"]).text)
    return re.sub(r"<[^>]+>", "", after.split('class="flash">', 1)[1].split("</p>", 1)[0])


def _absorbed_into_the_partner(web: WebEnv, tmp_path: Path, *edits: tuple[str, str]) -> None:
    """Sở Nội vụ, a partner of II.1, absorbs Sở TT&TT on 01/08/2022 (the minimal catalog, with
    ``edits`` of its plan besides), and the succession has been applied that day."""
    catalog = succession_catalog(tmp_path, successions_yaml("absorb", "from: [so-tttt]\n    to: [{agency: so-noi-vu}]"))
    edit(catalog, PLAN, *PARTNERED_II_1)
    for old, new in edits:
        edit(catalog, PLAN, old, new)
    with Session(web.engine) as session:
        load_min_catalog(session, web.clock.now(), catalog)
    web.clock.set(datetime(2022, 8, 1, 9, 0, tzinfo=LOCAL_TZ))
    with Session(web.engine) as session:
        apply_due_successions(session, now=web.clock.now())
        session.commit()


def _co_led_lead_waiting(web: WebEnv, tmp_path: Path) -> int:
    """II.1 co-led by Sở TT&TT and VP UBND, partnered by Sở Nội vụ, which absorbs Sở TT&TT on
    01/08/2022: Sở TT&TT's lead of the second milestone, waiting (the clerk logged in)."""
    _absorbed_into_the_partner(
        web,
        tmp_path,
        ('"Các sở, ban, ngành, UBND các huyện."}\n    lead: [so-tttt]', '"Các sở."}\n    lead: [so-tttt, vp-ubnd]'),
    )
    web.login()
    return web.assignment(ITEM, "so-tttt", seq=2)


def test_the_queue_says_the_part_a_successor_keeps_beside_the_lead(web: WebEnv, tmp_path: Path) -> None:
    """The lead waits (never passed on silently beside the partner part), the clerk is told before
    choosing what Sở Nội vụ keeps, and after, how both its parts stand."""
    row = _co_led_lead_waiting(web, tmp_path)
    queue = html.unescape(web.client.get("/board/can-phan-cong-lai").text)
    assert WHY_KEEPS in queue
    assert (
        "Sở Nội vụ — đang có phần việc phối hợp (đã giao) của nhiệm vụ này: nếu giao chủ trì, "
        "phần việc đó vẫn giữ (nhiệm vụ còn cơ quan chủ trì khác)" in queue
    )
    notice = _named_from_the_queue(web, row, "so-noi-vu")
    assert notice == (
        f"Đã phân công lại: {ITEM} — Sở Nội vụ nhận phần việc này (chủ trì). "
        "Phần việc phối hợp của Sở Nội vụ ở nhiệm vụ này: Đã giao."
    ), notice


def test_the_mail_to_the_body_named_says_it_keeps_its_other_part(web: WebEnv, tmp_path: Path) -> None:
    """Named to lead beside its own partner part (other leads go on), Sở Nội vụ is told in its mail
    that the partner part stays its own: the queue told the clerk so, the body heard nothing of it."""
    row = _co_led_lead_waiting(web, tmp_path)
    told = named_and_told(web, row, "so-noi-vu", datetime(2022, 8, 3, 9, 0, tzinfo=LOCAL_TZ))
    kept = "Quý cơ quan vẫn giữ phần việc phối hợp của nhiệm vụ này."
    assert kept in " ".join((told.body_text or "").split()), told.body_text
    assert kept in " ".join(re.sub(r"<[^>]+>", " ", told.body_html or "").split()), told.body_html


def test_the_kept_sentence_is_read_again_as_the_mail_leaves(web: WebEnv, tmp_path: Path) -> None:
    """Named at 09:00, Sở Nội vụ's mail was rendered at the first attempt to send it, 09:05, with
    "Quý cơ quan vẫn giữ phần việc phối hợp" (the relay down, it stayed in the outbox). At 10:00 the
    secretariat cancelled that partner part; the mail left at 11:00 still saying the body kept it.
    What a successor keeps is read again as the mail leaves."""
    row = _co_led_lead_waiting(web, tmp_path)
    partner = web.assignment(ITEM, "so-noi-vu", seq=2)
    web.clock.set(datetime(2022, 8, 3, 9, 0, tzinfo=LOCAL_TZ))
    with Session(web.engine) as session:
        act(session, row, Request(Action.REASSIGN, SECRETARIAT, agency="so-noi-vu"), now=web.clock.now())
        session.commit()
    kept = "Quý cơ quan vẫn giữ phần việc phối hợp của nhiệm vụ này."
    down = web.settings.model_copy(update={"smtp_host": "127.0.0.1", "smtp_port": free_port(), "smtp_security": "none"})
    assert jobs.run_delivery(web.engine, now=datetime(2022, 8, 3, 9, 5, tzinfo=LOCAL_TZ), settings=down).sender_down
    with Session(web.engine) as session:
        (told,) = session.exec(
            select(Notification).where(col(Notification.kind) == "inherited_work", Notification.assignment_id == row)
        ).all()
        assert told.status == "pending" and kept in " ".join(told.body_text.split())  # rendered as it first tried
    web.clock.set(datetime(2022, 8, 3, 10, 0, tzinfo=LOCAL_TZ))
    with Session(web.engine) as session:
        act(session, partner, Request(Action.CANCEL, SECRETARIAT, comment="Không còn cần ý kiến."), now=web.clock.now())
        session.commit()
    jobs.run_delivery(web.engine, now=datetime(2022, 8, 3, 11, 0, tzinfo=LOCAL_TZ), settings=web.settings)
    with Session(web.engine) as session:
        sent = session.get_one(Notification, told.id)
    assert sent.status == "sent", (sent.status, sent.last_error)
    assert "vẫn giữ" not in sent.body_text and "vẫn giữ" not in (sent.body_html or ""), sent.body_text


def test_the_mail_says_nothing_kept_of_a_part_that_ended_as_the_body_took_the_lead(web: WebEnv, tmp_path: Path) -> None:
    """Sở Nội vụ, the only lead then, has its partner part ended as it takes the lead: its mail does
    not say it keeps it."""
    _absorbed_into_the_partner(web, tmp_path)
    row = web.assignment(ITEM, "so-tttt", seq=2)
    told = named_and_told(web, row, "so-noi-vu", datetime(2022, 8, 3, 9, 0, tzinfo=LOCAL_TZ))
    assert told.body_text and "vẫn giữ" not in told.body_text and "vẫn giữ" not in (told.body_html or "")


def test_the_parts_page_says_what_each_body_offered_holds_of_the_milestone(web: WebEnv, tmp_path: Path) -> None:
    """The part's own page offers the same choice as the queue: before the clerk chooses, it says in
    the queue's words what Sở Nội vụ (or a district implementing it) would keep, and that VP UBND, a
    lead already, cannot take it."""
    row = _co_led_lead_waiting(web, tmp_path)
    page = html.unescape(web.client.get(f"/board/assignments/{row}").text)
    form = page.split('id="form-reassign"', 1)[1].split("</form>", 1)[0]
    held = form.split('id="reassign-held">', 1)[1].split("</p>", 1)[0]  # under the choice
    lines = [" ".join(re.sub(r"<[^>]+>", " ", line).split()) for line in held.split("<br>")]
    keeps = "nếu giao chủ trì, phần việc đó vẫn giữ (nhiệm vụ còn cơ quan chủ trì khác)"
    assert lines == [  # the successor named first, then every body holding a part, each once, by name
        f"Sở Nội vụ — đang có phần việc phối hợp (đã giao) của nhiệm vụ này: {keeps}",
        f"UBND huyện Bình Sơn — đang có phần việc thực hiện (đã giao) của nhiệm vụ này: {keeps}",
        f"UBND huyện Lý Sơn — đang có phần việc thực hiện (đã giao) của nhiệm vụ này: {keeps}",
        "Văn phòng UBND tỉnh — đã có phần việc chủ trì (đã giao) của nhiệm vụ này: không giao được",
    ], lines


def test_a_bulk_decision_says_the_part_a_successor_keeps_beside_the_lead(web: WebEnv, tmp_path: Path) -> None:
    """Named in bulk (where the body chosen may be any, no line beside it on the queue), the clerk is
    told of each row what the body now holds beside it."""
    row = _co_led_lead_waiting(web, tmp_path)
    page = web.client.get("/board/can-phan-cong-lai").text
    ticked = [f"{i}:{v}" for i, v in BOX.findall(page) if int(i) == row]
    form = {"csrf": csrf_of(page), "action": "reassign", "back": "/board/can-phan-cong-lai", "id": ticked}
    result = web.client.post("/board/bulk", data={**form, "agency": "so-noi-vu"})
    assert result.status_code == 200
    done = " ".join(html.unescape(result.text).split('id="bulk-done">', 1)[1].split("</ul>", 1)[0].split())
    assert "Sở Nội vụ nhận phần việc này (chủ trì); phần việc phối hợp của Sở Nội vụ ở nhiệm vụ này: Đã giao" in done, (
        done
    )


def test_the_leaders_page_offers_no_request_to_a_body_that_ended(web: WebEnv, tmp_path: Path) -> None:
    """The leaders' page drew "Yêu cầu giải trình" on every overdue row: on the work of a body that
    ended, waiting in "Cần phân công lại", the click was refused (the rule book's not_waiting_transfer).
    The page then said why instead; it now lists no such row (nobody holds it, no body is late with
    it: tests/test_leaders_waiting_transfer.py) and says how many there are beside the list."""
    with Session(web.engine) as session:
        load_min_catalog(session, web.clock.now(), succession_catalog(tmp_path, successions_yaml("dissolve")))
        apply_due_successions(session, now=datetime(2022, 8, 1, 9, 0, tzinfo=LOCAL_TZ))
        session.commit()
    web.clock.set(datetime(2022, 12, 20, 9, 0, tzinfo=LOCAL_TZ))  # II.1's second milestone (15/11) overdue
    ended, living = web.assignment(ITEM, "ubnd-binh-son", seq=2), web.assignment(ITEM, "ubnd-ly-son", seq=2)
    page = web.client.get(f"/leaders/{web.link('leader:chair')}").text
    assert f'data-id="{ended}"' not in page and 'id="overdue-waiting"' in page
    other = page.split(f'data-id="{living}"', 1)[1].split("</tr>", 1)[0]
    assert f"/assignments/{living}/explanation" in other


BOX = re.compile(r'name="id" value="(\d+):(\d+)" form="bulk-reassign"')


def test_the_queue_decides_the_ticked_rows_for_one_body_at_once(web: WebEnv, tmp_path: Path) -> None:
    """398 parts waited in "Cần phân công lại" after 01/03/2025, each a form of its own: a body named
    for the ticked rows at once, each decided by the rule book as one row's form does, a row that
    cannot be refused with its reason beside the others done."""
    _split(web, tmp_path)
    web.login()
    page = web.client.get("/board/can-phan-cong-lai").text
    ticked = [f"{i}:{v}" for i, v in BOX.findall(page)]
    assert len(ticked) >= 2 and 'id="bulk-reassign"' in page
    form = {"csrf": csrf_of(page), "action": "reassign", "back": "/board/can-phan-cong-lai", "id": ticked}

    def holders() -> dict[int, str]:
        with Session(web.engine) as session:
            rows = session.exec(
                select(Assignment.id, Agency.code).join(Agency, col(Agency.id) == col(Assignment.agency_id))
            ).all()
        return {int(i or 0): code for i, code in rows}

    before = holders()
    # the same for every row, refused once, nothing decided: no body, a body that does not exist today
    for agency, said in (("", "cần mã cơ quan nhận nhiệm vụ"), ("so-tttt", "đã kết thúc hoạt động")):
        refused = web.client.post("/board/bulk", data={**form, "agency": agency})
        assert refused.status_code == 422 and said in html.unescape(refused.text), refused.text
        assert holders() == before
    # one of them decided on its own row meanwhile: the bulk refuses it, says why, and decides the others
    first = int(ticked[0].split(":")[0])
    alone = web.form("/board/can-phan-cong-lai", first)
    assert (
        web.client.post(f"/board/can-phan-cong-lai/{first}", data={**alone, "agency": "so-vhttdl"}).status_code == 303
    )
    result = web.client.post("/board/bulk", data={**form, "agency": "so-khcn"})
    assert result.status_code == 200
    text = html.unescape(result.text)
    done = text.split('id="bulk-done">', 1)[1].split("</ul>", 1)[0]
    refused_part = text.split('id="bulk-refused">', 1)[1].split("</ul>", 1)[0]
    assert (
        done.count("<li>") == len(ticked) - 1
        and done.count("Sở Khoa học và Công nghệ nhận phần việc này") == len(ticked) - 1
    )
    assert refused_part.count("<li>") == 1 and f"/board/assignments/{first}" in refused_part
    after = holders()
    decided = [int(t.split(":")[0]) for t in ticked[1:]]
    assert after[first] == "so-vhttdl" and all(after[i] == "so-khcn" for i in decided)
    assert {i: c for i, c in after.items() if i not in decided and i != first} == {
        i: c for i, c in before.items() if i not in decided and i != first
    }
    # each body named hears of each part it took over, as from a row's own form
    with Session(web.engine) as session:
        told = session.exec(
            select(Notification.assignment_id).where(
                Notification.kind == "inherited_work", Notification.recipient_email == "so-khcn@dondoc.example"
            )
        ).all()
    assert sorted(told) == sorted(decided)
    assert BOX.findall(web.client.get("/board/can-phan-cong-lai").text) == []
