"""Requests on the web (issue 13): the "Đề nghị gia hạn" queue, each request's state and the mails
on the assignment page, the API's actor account and its filters."""

from __future__ import annotations

import html
import re
from datetime import date, datetime

from sqlmodel import Session, select

from dondoc.engine.clock import LOCAL_TZ
from dondoc.engine.models import Agency, Assignment, Event, Notification
from dondoc.web.routers.extensions import after_decision
from tests.support.web import ITEM, WebEnv, agency_act


def _ask_for_extension(web: WebEnv, target: int, due: str = "2022-09-30") -> None:
    token = web.link("agency:so-noi-vu")
    data = {"action": "request_extension", "due": due, "comment": "Chờ bố trí kinh phí."}
    assert agency_act(web, token, target, data) == 303


def _queue_ids(html: str) -> list[int]:
    return [int(x) for x in re.findall(r'<tr data-id="(\d+)"', html)]


def test_the_queue_lists_requests_prefilled_and_decisions_empty_it(web: WebEnv) -> None:
    web.clock.set(datetime(2022, 6, 10, 9, 0, tzinfo=LOCAL_TZ))
    first, second = web.assignment(ITEM, "so-noi-vu"), web.assignment(ITEM, "vp-ubnd")
    _ask_for_extension(web, first)
    web.clock.set(datetime(2022, 6, 14, 9, 0, tzinfo=LOCAL_TZ))
    token = web.link("agency:vp-ubnd")
    data = {"action": "request_extension", "due": "2022-08-15", "comment": "Chờ ý kiến Bộ."}
    assert agency_act(web, token, second, data) == 303
    web.login()
    board = web.client.get("/board").text
    assert "Đề nghị gia hạn: <strong>2</strong>" in board  # the desk's queue header
    queue = web.client.get("/board/de-nghi-gia-han")
    assert queue.status_code == 200
    assert _queue_ids(queue.text) == [first, second]  # the longest waiting first
    assert 'value="2022-09-30"' in queue.text and 'value="2022-08-15"' in queue.text
    # working days waiting: Fri 10/6 → Tue 14/6 is two (Mon, Tue); the second was asked today
    assert '<td class="num">2</td>' in queue.text and '<td class="num">0</td>' in queue.text
    # paged and filtered as every queue: the filter in the URL narrows the rows and their count
    assert '<span id="queue-count">2</span>' in queue.text
    narrowed = web.client.get("/board/de-nghi-gia-han?agency=vp-ubnd").text
    assert _queue_ids(narrowed) == [second] and '<span id="queue-count">1</span>' in narrowed

    form = {**web.form("/board/de-nghi-gia-han", first), "action": "extend", "due": "2022-09-30"}
    decided = web.client.post(f"/board/de-nghi-gia-han/{first}", data=form)
    assert (
        decided.status_code == 303 and decided.headers["location"] == f"/board/de-nghi-gia-han?done=extend&id={first}"
    )
    said = web.client.get(decided.headers["location"]).text
    # which of the body's lines of the item (one body's two milestones are two lines of the queue)
    mark = '<span class="muted">(Phê duyệt cấp độ)</span>'
    assert f"Đã ghi nhận: Gia hạn — {ITEM} {mark} (Sở Nội vụ); thời hạn nay là 30/09/2022." in said
    # the notice states the history: not a URL naming a step the row never had
    assert "Đã ghi nhận" not in web.client.get(f"/board/de-nghi-gia-han?done=extend&id={second}").text
    assert "Đã ghi nhận" not in web.client.get("/board/de-nghi-gia-han?done=extend").text
    refuse = {**web.form("/board/de-nghi-gia-han", second), "action": "refuse_extension", "comment": "Không có cơ sở."}
    assert web.client.post(f"/board/de-nghi-gia-han/{second}", data=refuse).status_code == 303
    assert _queue_ids(web.client.get("/board/de-nghi-gia-han").text) == []
    with Session(web.engine) as session:
        kinds = sorted(n.kind for n in session.exec(select(Notification)) if n.kind.startswith("extension_"))
        accounts = {e.action: e.actor_account for e in session.exec(select(Event))}
    assert kinds == ["extension_granted", "extension_refused", "extension_request", "extension_request"]
    assert accounts["extend"] == accounts["refuse_extension"] == "tgv"  # the clerk who decided


def test_a_decision_from_a_filtered_queue_returns_to_it_and_nowhere_else(web: WebEnv) -> None:
    """Deciding from ?agency=… sent the clerk back to the unfiltered queue: the forms had no `back`.
    They carry the queue as the page shows it (filter and page, not a previous notice), checked as the
    bulk form's `back`: never an address elsewhere, nor another page of the board."""
    web.clock.set(datetime(2022, 6, 10, 9, 0, tzinfo=LOCAL_TZ))
    first, second = web.assignment(ITEM, "so-noi-vu"), web.assignment(ITEM, "vp-ubnd")
    _ask_for_extension(web, first)
    data = {"action": "request_extension", "due": "2022-08-15", "comment": "Chờ ý kiến Bộ."}
    assert agency_act(web, web.link("agency:vp-ubnd"), second, data) == 303
    web.login()
    shown = "/board/de-nghi-gia-han?agency=vp-ubnd&page=1"
    page = web.client.get(f"{shown}&done=extend&id={first}").text  # a previous decision's notice is not kept
    backs = set(re.findall(r'name="back" value="([^"]+)"', page))
    assert {html.unescape(b) for b in backs} == {shown}
    form = {**web.form(shown, second), "action": "extend", "due": "2022-08-15", "back": shown}
    decided = web.client.post(f"/board/de-nghi-gia-han/{second}", data=form)
    assert decided.status_code == 303 and decided.headers["location"] == f"{shown}&done=extend&id={second}"
    assert f"Đã ghi nhận: Gia hạn — {ITEM}" in web.client.get(decided.headers["location"]).text
    back = "https://evil.example/board/de-nghi-gia-han?agency=vp-ubnd"
    refuse = {**web.form("/board/de-nghi-gia-han", first), "action": "refuse_extension", "comment": "Không có cơ sở."}
    refuse["back"] = back
    response = web.client.post(f"/board/de-nghi-gia-han/{first}", data=refuse)
    assert response.status_code == 303
    assert response.headers["location"] == f"/board/de-nghi-gia-han?done=refuse_extension&id={first}"
    for back in ("//evil.example/board", "/board/assignments?agency=vp-ubnd", "/board/de-nghi-gia-han?done=x&id=1"):
        assert after_decision(back, "extend", 7) == "/board/de-nghi-gia-han?done=extend&id=7", back


def test_the_queue_notice_states_the_due_date_written_and_a_day_off_move(web: WebEnv) -> None:
    """The form is pre-filled with the day asked; when it is a day off the date written is the next
    working day, and the queue's notice said only "Đã ghi nhận: Gia hạn — … (…)." It says the date,
    and the move, in the assignment page's words (one macro: _marks.extended_to)."""
    web.clock.set(datetime(2022, 6, 10, 9, 0, tzinfo=LOCAL_TZ))
    target = web.assignment(ITEM, "so-noi-vu")
    _ask_for_extension(web, target, due="2022-10-01")  # a Saturday
    web.login()
    form = {**web.form("/board/de-nghi-gia-han", target), "action": "extend", "due": "2022-10-01"}
    decided = web.client.post(f"/board/de-nghi-gia-han/{target}", data=form)
    assert decided.status_code == 303
    notice = html.unescape(web.client.get(decided.headers["location"]).text).split('class="flash ok">', 1)[1]
    moved = (
        "thời hạn nay là 03/10/2022 (ngày 01/10/2022 là ngày nghỉ (Thứ Bảy): hạn chuyển sang ngày làm việc kế tiếp"
        " (Bộ luật Dân sự 2015, Điều 148))."
    )
    mark = '<span class="muted">(Phê duyệt cấp độ)</span>'
    assert notice.startswith(f"Đã ghi nhận: Gia hạn — {ITEM} {mark} (Sở Nội vụ); {moved}</p>"), notice
    page = html.unescape(web.client.get(f"/board/assignments/{target}?done=extend").text)
    assert f"Đã ghi nhận: Gia hạn; {moved}</p>" in page  # the assignment page's words, the same


def test_a_day_off_asked_for_is_said_in_the_queue_and_on_the_pages_as_the_mail_says_it(web: WebEnv) -> None:
    """The mail to the secretariat said "ngày nghỉ: Chủ nhật; nếu đồng ý, hạn là …" beside a Sunday
    asked for; the queue's row ("đến ngày 31/07/2022") and the request on the assignment's pages
    ("đề nghị hạn 31/07/2022") did not: the day asked read as the date that would apply. The form
    stays pre-filled with the day asked (the grant moves it, and says so)."""
    web.clock.set(datetime(2022, 6, 10, 9, 0, tzinfo=LOCAL_TZ))
    target = web.assignment(ITEM, "so-noi-vu")
    _ask_for_extension(web, target, due="2022-07-31")  # a Sunday
    off = "(ngày nghỉ: Chủ nhật; nếu đồng ý, hạn là ngày làm việc kế tiếp, 01/08/2022)"
    web.login()
    queue = web.client.get("/board/de-nghi-gia-han").text
    assert f"đến ngày <strong>31/07/2022</strong> {off}" in queue and 'value="2022-07-31"' in queue
    board_page = web.client.get(f"/board/assignments/{target}").text.split('id="requests"', 1)[1]
    agency_page = web.client.get(f"/a/{web.link('agency:so-noi-vu')}/assignments/{target}").text
    for page in (board_page, agency_page.split('id="requests"', 1)[1]):
        assert f"đề nghị hạn 31/07/2022 {off}</span>" in page
    # the mail's own words: tests/test_request_mails.py (a day off asked for … the day it would become)


def test_a_refusal_needs_its_reason_and_nothing_is_written(web: WebEnv) -> None:
    web.clock.set(datetime(2022, 6, 10, 9, 0, tzinfo=LOCAL_TZ))
    target = web.assignment(ITEM, "so-noi-vu")
    _ask_for_extension(web, target)
    web.login()
    refuse = {**web.form("/board/de-nghi-gia-han", target), "action": "refuse_extension", "comment": " "}
    response = web.client.post(f"/board/de-nghi-gia-han/{target}", data=refuse)
    assert response.status_code == 422 and "cần ghi rõ nội dung" in response.text
    assert _queue_ids(web.client.get("/board/de-nghi-gia-han").text) == [target]


def test_the_assignment_page_shows_each_request_and_its_mails(web: WebEnv) -> None:
    web.clock.set(datetime(2022, 6, 10, 9, 0, tzinfo=LOCAL_TZ))
    target = web.assignment(ITEM, "so-noi-vu")
    _ask_for_extension(web, target)
    web.login()
    page = web.client.get(f"/board/assignments/{target}").text
    assert "Đang chờ trả lời" in page and 'id="form-refuse-extension"' in page
    assert 'value="2022-09-30"' in page  # the extend form, pre-filled with the date asked for
    mails = page.split('id="mails"', 1)[1]
    assert "Đề nghị gia hạn" in mails and "to-giup-viec@dondoc.example" in mails and "Chờ gửi" in mails
    form = {**web.form(f"/board/assignments/{target}"), "action": "extend", "due": "2022-09-30"}
    assert web.client.post(f"/board/assignments/{target}/act", data=form).status_code == 303
    page = web.client.get(f"/board/assignments/{target}").text
    assert "Đã trả lời" in page and "Đang chờ trả lời" not in page
    assert ">Gia hạn</td>" in page.split('id="mails"', 1)[1]
    # The agency sees only the mails addressed to it.
    agency_page = web.client.get(f"/a/{web.link('agency:so-noi-vu')}/assignments/{target}").text
    agency_mails = agency_page.split('id="mails"', 1)[1]
    assert "so-noi-vu@dondoc.example" in agency_mails and "to-giup-viec@dondoc.example" not in agency_mails


def test_api_actions_record_the_token_name(web: WebEnv) -> None:
    target = web.assignment(ITEM, "so-noi-vu")
    headers = web.api_token("agency", "so-noi-vu")
    response = web.client.post(f"/api/v1/assignments/{target}/actions", json={"action": "acknowledge"}, headers=headers)
    assert response.status_code == 200, response.text
    with Session(web.engine) as session:
        event = session.exec(select(Event).where(Event.action == "acknowledge")).one()
    assert (event.actor, event.actor_account) == ("so-noi-vu", "test agency")
    assert response.json()["history"][-1]["actor_account"] == "test agency"


def test_api_filters_that_name_nothing_are_refused_naming_the_word(web: WebEnv) -> None:
    headers = web.api_token("secretariat")
    for query, word in [("agency=so-khong-co", "so-khong-co"), ("plan=1/KH-X", "1/KH-X"), ("status=muon", "muon")]:
        response = web.client.get(f"/api/v1/assignments?{query}", headers=headers)
        assert response.status_code == 422, (query, response.text)
        body = response.json()
        assert {"error", "message"} <= set(body) and body["error"] == "invalid_input"  # the documented shape
        assert f'"{word}"' in body["message"] and "không có" in body["message"].lower(), body
    assert web.client.get("/api/v1/assignments?agency=so-noi-vu", headers=headers).status_code == 200


def test_the_queue_takes_its_two_decisions_only_and_a_reason_that_says_something(web: WebEnv) -> None:
    """The queue's form verified an assignment when sent action=verify; a reason of zero-width spaces
    refused a request (and cancelled work elsewhere) as if it said something."""
    web.clock.set(datetime(2022, 6, 10, 9, 0, tzinfo=LOCAL_TZ))
    target = web.assignment(ITEM, "so-noi-vu")
    _ask_for_extension(web, target)
    web.login()
    for sent, said in (
        ({"action": "verify"}, 'chỉ nhận "Gia hạn", "Từ chối gia hạn", không nhận "verify"'),
        ({"action": "refuse_extension", "comment": "\u200b\u200b"}, "cần ghi rõ nội dung"),
    ):
        response = web.client.post(
            f"/board/de-nghi-gia-han/{target}", data={**web.form("/board/de-nghi-gia-han", target), **sent}
        )
        assert response.status_code in (400, 422) and said in html.unescape(response.text), sent
    assert _queue_ids(web.client.get("/board/de-nghi-gia-han").text) == [target]  # nothing decided


def test_the_queue_decides_requests_only_not_work_nobody_asked_to_extend(web: WebEnv) -> None:
    """A post to the queue for work with no request waiting (a mistyped id, a request decided in
    another tab) extended it and mailed its body; the queue decides requests, the assignment's page
    sets dates."""
    web.clock.set(datetime(2022, 6, 10, 9, 0, tzinfo=LOCAL_TZ))
    target, other = web.assignment(ITEM, "so-noi-vu"), web.assignment(ITEM, "vp-ubnd")
    _ask_for_extension(web, target)
    web.login()
    form = {**web.form("/board/de-nghi-gia-han", target), "action": "extend", "due": "2022-08-15"}
    with Session(web.engine) as session:
        before = session.get_one(Assignment, other).due_at
    response = web.client.post(f"/board/de-nghi-gia-han/{other}", data=form)
    said = "không có đề nghị gia hạn nào đang chờ quyết định"
    assert response.status_code in (409, 422) and said in html.unescape(response.text), response.text
    with Session(web.engine) as session:
        assert session.get_one(Assignment, other).due_at == before  # nothing written
    assert web.client.post(f"/board/de-nghi-gia-han/{target}", data=form).status_code == 303  # the request's own


def test_a_date_decades_away_is_refused_on_every_surface(web: WebEnv) -> None:
    """Extended to 31/12/9999 through the API (the forms stop at 9998), the work stopped the sweep for
    every body: its day arithmetic overflowed. A new date is at most ten years ahead."""
    web.clock.set(datetime(2022, 6, 10, 9, 0, tzinfo=LOCAL_TZ))
    target = web.assignment(ITEM, "so-noi-vu")
    headers = web.api_token("secretariat")
    for action, due in (("extend", "9999-12-30"), ("snooze", "2033-01-01")):
        response = web.client.post(
            f"/api/v1/assignments/{target}/actions", json={"action": action, "due": due}, headers=headers
        )
        assert response.status_code in (400, 422) and "quá xa" in response.json()["message"], (action, due)
    fine = web.client.post(
        f"/api/v1/assignments/{target}/actions", json={"action": "extend", "due": "2032-12-31"}, headers=headers
    )
    assert fine.status_code == 200, fine.text


def test_a_request_of_a_body_that_has_since_ended_says_its_decision_reaches_no_one(web: WebEnv) -> None:
    """The queue listed it under the old name with no word, and promised that "Cơ quan được thông
    báo … ngay khi Tổ giúp việc gia hạn hoặc từ chối": the decision's mail went to nobody."""
    web.clock.set(datetime(2022, 6, 10, 9, 0, tzinfo=LOCAL_TZ))
    target, other = web.assignment(ITEM, "so-noi-vu"), web.assignment(ITEM, "vp-ubnd")
    _ask_for_extension(web, target)
    token = web.link("agency:vp-ubnd")
    data = {"action": "request_extension", "due": "2022-08-15", "comment": "Chờ ý kiến Bộ."}
    assert agency_act(web, token, other, data) == 303
    with Session(web.engine) as session:
        agency = session.exec(select(Agency).where(Agency.code == "so-noi-vu")).one()
        agency.valid_to = date(2022, 6, 12)
        session.add(agency)
        session.commit()
    web.clock.set(datetime(2022, 6, 14, 9, 0, tzinfo=LOCAL_TZ))
    web.login()
    queue = html.unescape(web.client.get("/board/de-nghi-gia-han").text)
    ended = queue.split(f'data-id="{target}"', 1)[1].split("</tr>", 1)[0]
    assert "Cơ quan đã không còn: quyết định không gửi thư cho ai" in ended
    assert "đã không còn" not in queue.split(f'data-id="{other}"', 1)[1].split("</tr>", 1)[0]
    assert "ngày đề nghị đã qua" not in queue
    web.clock.set(datetime(2022, 8, 16, 9, 0, tzinfo=LOCAL_TZ))  # vp-ubnd asked for 15/08: now past
    later = html.unescape(web.client.get("/board/de-nghi-gia-han").text)
    assert "ngày đề nghị đã qua" in later.split(f'data-id="{other}"', 1)[1].split("</tr>", 1)[0]


def test_an_extension_request_the_report_overtook_is_not_shown_as_waiting(web: WebEnv) -> None:
    """Sở Nội vụ asks for more time, then reports: neither "Gia hạn" nor "Từ chối gia hạn" is taken on
    reported work (the rule book), the desk's queue drops it, and its page had said "Đang chờ trả
    lời" for a decision nobody could take; a returned report makes it answerable, and waiting, again."""
    web.clock.set(datetime(2022, 6, 10, 9, 0, tzinfo=LOCAL_TZ))
    target, token = web.assignment(ITEM, "so-noi-vu"), web.link("agency:so-noi-vu")
    assert agency_act(web, token, target, {"action": "acknowledge"}) == 303
    _ask_for_extension(web, target)
    assert agency_act(web, token, target, {"action": "report", "comment": "Đã phê duyệt cấp độ."}) == 303
    requests = web.client.get(f"/a/{token}/assignments/{target}").text.split('id="requests"', 1)[1]
    assert "Đang chờ trả lời" not in requests
    assert "Không còn chờ trả lời: phần việc đang ở trạng thái «Đã báo cáo»" in requests
    web.login()
    form = {**web.form(f"/board/assignments/{target}"), "action": "return", "comment": "Bổ sung minh chứng."}
    assert web.client.post(f"/board/assignments/{target}/act", data=form).status_code == 303
    requests = web.client.get(f"/a/{token}/assignments/{target}").text.split('id="requests"', 1)[1]
    assert "Đang chờ trả lời" in requests


def test_the_queues_export_says_the_day_asked_for_and_the_date_in_force(web: WebEnv) -> None:
    """Its CSV and XLSX gave the reason alone ("Chờ bố trí kinh phí."): a printed list could not be
    decided from. Each line now says the day asked for, as the page does (a day off and the day it
    would be), and the date in force."""
    from io import BytesIO

    from openpyxl import load_workbook

    web.clock.set(datetime(2022, 6, 10, 9, 0, tzinfo=LOCAL_TZ))
    target = web.assignment(ITEM, "so-noi-vu")
    _ask_for_extension(web, target, due="2022-07-31")  # a Sunday
    web.login()
    said = (
        "đến ngày 31/07/2022 (ngày nghỉ: Chủ nhật; nếu đồng ý, hạn là ngày làm việc kế tiếp, 01/08/2022);"
        " hạn hiện tại 30/06/2022: «Chờ bố trí kinh phí.»"
    )
    assert said in web.client.get("/board/de-nghi-gia-han.csv").text
    sheet = load_workbook(BytesIO(web.client.get("/board/de-nghi-gia-han.xlsx").content)).active
    assert sheet is not None and said in [cell.value for row in sheet.iter_rows() for cell in row]
