"""What reaches the app at its edge: ids past the databases' integer range, NUL and other control
characters, over-long values, unreadable bodies and bodies over the limit are refused in the
documented shape (JSON ``{"error", "message"}`` on the API, the Vietnamese error page elsewhere),
never a 500, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import html
import json
import re
from typing import Any

import pytest

from dondoc.web.app import create_app
from tests.support.web import ITEM, WebEnv, agency_act

TOO_BIG = ["2147483648", "9223372036854775808", "0", "-1"]


def _api_error(response: Any, status: int, code: str | None = None) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) >= {"error", "message"} and body["message"], body
    if code:
        assert body["error"] == code, body
    return body


@pytest.mark.parametrize("value", TOO_BIG)
def test_ids_out_of_range_are_refused_on_the_api(web: WebEnv, value: str) -> None:
    secretariat = web.api_token("secretariat")
    for path in (f"/api/v1/assignments/{value}", f"/api/v1/attachments/{value}"):
        _api_error(web.client.get(path, headers=secretariat), 422, "invalid_input")
    posted = web.client.post(f"/api/v1/assignments/{value}/actions", json={"action": "verify"}, headers=secretariat)
    body = _api_error(posted, 422, "invalid_input")
    # each refused field's reason is Vietnamese too, not pydantic's English ("Input should be …")
    assert body["detail"] and all(d["msg"] and "should" not in d["msg"] for d in body["detail"]), body
    assert body["detail"][0]["msg"].startswith("phải "), body  # "phải nhỏ hơn hoặc bằng 2147483647, …"


def test_ids_and_pages_out_of_range_are_refused_on_the_pages(web: WebEnv) -> None:
    web.login()
    agency, chair = web.link("agency:so-noi-vu"), web.link("leader:chair")
    for path in (
        "/board/assignments/2147483648",
        "/board/plans/9223372036854775808",
        "/board/items/2147483648",
        f"/a/{agency}/assignments/2147483648",
        f"/a/{agency}?page=2147483648",
        f"/a/{agency}?page=0",
        f"/leaders/{chair}/assignments/9223372036854775808",
        f"/a/{agency}/indicators/2147483648",
    ):
        page = web.client.get(path)
        assert page.status_code == 422, (path, page.status_code)
        assert "Dữ liệu không hợp lệ" in page.text
    assert web.client.get(f"/a/{agency}?page=2").status_code == 200  # in range: fine


def test_pages_and_days_out_of_range_are_refused_on_the_secretariat_lists(web: WebEnv) -> None:
    """A page number past the databases' INTEGER, or a day that cannot be moved by a day or a time
    zone (year 1), is a 422 with one Vietnamese line on every list, its exports included."""
    web.login()
    lists = ["/board/assignments", "/board/assignments.csv", "/board/plans/1", "/board/cho-xac-nhan"]
    lists += ["/board/de-nghi-gia-han", "/board/can-phan-cong-lai", "/board/cho-giai-trinh"]
    for path in lists:
        for query, said in (
            ("page=99999999999999999999", 'Số trang "99999999999999999999" không hợp lệ'),
            ("page=2147483648", 'Số trang "2147483648" không hợp lệ'),
            ("page=%C2%B2", 'Số trang "²" không hợp lệ'),  # a digit to str.isdigit, not to int(): was a 500
            ("page=%D9%A3", 'Số trang "٣" không hợp lệ'),  # an Arabic-Indic three, taken as page 3
            ("q=" + "+".join(f"w{n}" for n in range(201)), 'Ô "Tìm" có tối đa 200 từ khác nhau (nhận được 201)'),
            # marks alone: a search for nothing had listed every part as found
            ("q=%25", 'Ô "Tìm" không có chữ hay số nào để tìm (nhận được "%")'),
            ("q=*+_", 'Ô "Tìm" không có chữ hay số nào để tìm (nhận được "* _")'),
            ("due_from=0001-01-01", 'Hạn từ ngày: "0001-01-01" nằm ngoài khoảng ngày dùng được'),
            ("due_to=31/12/9999", 'Hạn đến ngày: "31/12/9999" nằm ngoài khoảng ngày dùng được'),
        ):
            if query.startswith("page") and path in ("/board/assignments.csv", "/board/plans/1"):
                continue  # every row on one page, or in the file
            page = web.client.get(f"{path}?{query}")
            assert page.status_code == 422, (path, query, page.status_code)
            assert said in html.unescape(page.text), (path, query)
    assert web.client.get("/board/assignments?due_from=01/01/1900&page=1").status_code == 200
    # a long search is no 500 (SQLite refuses ~950 conditions in a statement): words repeated count once
    assert web.client.get("/board/assignments?q=" + "+".join(["a"] * 999)).status_code == 200
    assert web.client.get("/board/assignments?q=" + "+".join(f"w{n}" for n in range(200))).status_code == 200


def test_overlong_tokens_are_refused_before_they_are_checked(web: WebEnv) -> None:
    for path in (f"/a/{'x' * 600}", f"/leaders/{'y' * 600}/assignments/1"):
        assert web.client.get(path).status_code == 422
    assert web.client.get(f"/a/{'x' * 5000}").status_code == 422  # past the URL limit too


def test_nul_and_control_characters_are_refused(web: WebEnv) -> None:
    secretariat = web.api_token("secretariat")
    target = web.assignment(ITEM, "so-noi-vu")
    before = web.client.get(f"/api/v1/assignments/{target}", headers=secretariat).json()
    for comment in ("a\u0000b", "bell\u0007", "\ud800"):
        body = json.dumps({"action": "cancel", "comment": comment})  # ASCII, escapes as \\u0000, \\ud800
        headers = {**secretariat, "Content-Type": "application/json"}
        posted = web.client.post(f"/api/v1/assignments/{target}/actions", content=body, headers=headers)
        _api_error(posted, 422, "invalid_input")
    after = web.client.get(f"/api/v1/assignments/{target}", headers=secretariat).json()
    assert after["version"] == before["version"] and after["history"] == before["history"]
    for query in ("plan=a%00b", "agency=x%1fy", "plan=%ff%fe"):
        _api_error(web.client.get(f"/api/v1/assignments?{query}", headers=secretariat), 422, "invalid_input")
    # a line break in a comment is text, not a control character to refuse
    ok = web.client.post(
        f"/api/v1/assignments/{target}/actions",
        json={"action": "acknowledge", "comment": "dòng 1\ndòng 2\ttab"},
        headers=web.api_token("agency", "so-noi-vu"),
    )
    assert ok.status_code == 200, ok.text


def test_nul_in_a_page_form_is_refused_with_the_error_page(web: WebEnv) -> None:
    web.login()
    target = web.assignment(ITEM, "so-noi-vu")
    page = f"/board/assignments/{target}"
    token = web.csrf(page)
    posted = web.client.post(f"{page}/act", data={"csrf": token, "action": "cancel", "comment": "x\x00y"})
    assert posted.status_code == 422 and "Dữ liệu không hợp lệ" in posted.text
    login = web.client.post("/login", data={"csrf": token, "username": "a\x00b", "password": "p"})
    assert login.status_code == 422


def test_unreadable_bodies_and_unknown_paths_answer_in_the_error_shape(web: WebEnv) -> None:
    secretariat = web.api_token("secretariat")
    target = web.assignment(ITEM, "so-noi-vu")
    url = f"/api/v1/assignments/{target}/actions"
    headers = {**secretariat, "Content-Type": "application/json"}
    _api_error(web.client.post(url, content=b'{"action": "\xff\xfe"}', headers=headers), 400, "bad_request")
    _api_error(web.client.post(url, content=b'{"action": ', headers=headers), 422, "invalid_input")
    _api_error(web.client.post(url, json={"action": "fly"}, headers=secretariat), 422, "invalid_input")
    _api_error(web.client.get("/api/v1/nothing-here", headers=secretariat), 404, "not_found")
    _api_error(web.client.delete(f"/api/v1/assignments/{target}", headers=secretariat), 405)
    _api_error(web.client.get("/api/v1/calendar.ics", headers=secretariat), 422, "invalid_input")
    missing = web.client.get("/khong-co-trang-nay")
    assert missing.status_code == 404 and "Không tìm thấy" in missing.text


def test_domain_errors_on_the_api_speak_vietnamese(web: WebEnv) -> None:
    body = _api_error(web.client.get("/api/v1/assignments/99999", headers=web.api_token("secretariat")), 404)
    assert body["message"].startswith("Không tìm thấy") and body["error"] == "not_found"
    _api_error(web.client.get("/api/v1/board"), 401, "unauthorized")


# -- the body limit, at the ASGI level: what the app reads is counted by the test ------------------

LIMIT = 64 * 1024
CHUNK = 8 * 1024


def _call(
    app: Any, path: str, headers: list[tuple[bytes, bytes]], chunks: int, first: bytes = b""
) -> tuple[int, int, bytes]:
    """POST ``first`` then ``chunks`` chunks to ``path`` as a streamed body; (status, bytes the app read, body)."""
    consumed = 0
    left = chunks
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        nonlocal consumed, left
        if left == 0:
            return {"type": "http.request", "body": b"", "more_body": False}
        body = first if consumed == 0 and first else b"x" * CHUNK
        left -= 1
        consumed += len(body)
        return {"type": "http.request", "body": body, "more_body": left > 0}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"testserver"), *headers],
        "client": ("127.0.0.1", 40000),
        "server": ("testserver", 80),
    }
    asyncio.run(app(scope, receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return start["status"], consumed, body


@pytest.fixture
def small_app(web: WebEnv) -> Any:
    return create_app(
        settings=web.settings, engine=web.engine, clock=web.clock, attachments=web.attachments, max_body_bytes=LIMIT
    )


def test_a_streamed_body_is_cut_off_at_the_limit(web: WebEnv, small_app: Any) -> None:
    token = web.api_token("secretariat")["Authorization"].encode()
    target = web.assignment(ITEM, "so-noi-vu")
    headers = [(b"content-type", b"application/json"), (b"authorization", token)]
    status, consumed, body = _call(small_app, f"/api/v1/assignments/{target}/actions", headers, chunks=1000)
    assert status == 413 and b'"error":"too_large"' in body
    assert consumed <= LIMIT + CHUNK  # stopped at the limit, not 8 MB later
    form = [(b"content-type", b"multipart/form-data; boundary=xyz")]
    part = b'--xyz\r\nContent-Disposition: form-data; name="files"; filename="a.pdf"\r\n\r\n%PDF-'
    url = f"/a/{web.link('agency:so-noi-vu')}/assignments/{target}/act"
    status, consumed, body = _call(small_app, url, form, 1000, first=part)
    assert status == 413 and "quá lớn" in body.decode() and consumed <= LIMIT + CHUNK


def test_a_declared_length_over_the_limit_is_refused_unread(web: WebEnv, small_app: Any) -> None:
    headers = [(b"content-type", b"application/json"), (b"content-length", str(10 * LIMIT).encode())]
    status, consumed, body = _call(small_app, "/api/v1/assignments/1/actions", headers, chunks=10)
    assert (status, consumed) == (413, 0) and b"too_large" in body


def test_a_body_under_the_limit_is_read_whole(web: WebEnv, small_app: Any) -> None:
    headers = [(b"content-type", b"application/json")]
    status, consumed, _ = _call(small_app, "/api/v1/assignments/1/actions", headers, chunks=4)
    assert consumed == 4 * CHUNK and status == 422  # read whole, then refused as bad JSON, not for its size


def test_a_form_field_refused_is_named_as_the_page_names_it(web: WebEnv) -> None:
    """A form that lacks a field: the field by its Vietnamese name and the reason, not its code name."""
    token, target = web.link("agency:so-noi-vu"), web.assignment(ITEM, "so-noi-vu")
    page = web.client.get(f"/a/{token}/assignments/{target}").text
    csrf = re.search(r'name="csrf" value="([^"]+)"', page)
    assert csrf
    refused = web.client.post(f"/a/{token}/assignments/{target}/act", data={"csrf": csrf.group(1)})
    assert refused.status_code == 422
    assert "Vui lòng kiểm tra lại: thao tác: thiếu giá trị bắt buộc." in html.unescape(refused.text)


def test_a_filter_a_list_does_not_take_is_refused_not_ignored(web: WebEnv) -> None:
    """A bookmark filtering a queue by a field it has no such filter for, or naming a field twice,
    gets a 422 naming the field (and what the list is filtered by), never the unfiltered rows."""
    web.login()
    for path, query, said in (
        ("/board/can-phan-cong", "agency=so-noi-vu", 'Danh sách này không lọc theo "Cơ quan" (agency)'),
        ("/board/can-phan-cong", "due_from=2022-01-01", 'không lọc theo "Hạn từ ngày"'),
        ("/board/thu-loi", "priority=1", 'không lọc theo "Trọng tâm"'),
        ("/board/cho-xac-nhan", "state=assigned", 'không lọc theo "Trạng thái" (state)'),
        ("/board/de-nghi-gia-han", "status=verified", 'không lọc theo "Trạng thái hoặc phân loại"'),
        ("/board/assignments", "agency=so-noi-vu&agency=so-tttt", '"Cơ quan" (agency) chỉ nhận một giá trị'),
        ("/board/plans/1", "plan=117%2FKH-UBND", 'không lọc theo "Kế hoạch"'),
        # the list's own names too, by the one helper (api_query.refuse_query_names): page 2 had been shown
        ("/board/assignments", "page=1&page=2", 'Tham số "page" chỉ nhận một giá trị, nhận được 2.'),
        ("/board/cho-xac-nhan", "page=1&page=2", 'Tham số "page" chỉ nhận một giá trị, nhận được 2.'),
    ):
        page = web.client.get(f"{path}?{query}")
        assert page.status_code == 422, (path, query, page.status_code)
        assert said in html.unescape(page.text), (path, query)
    # a misspelt field is no field: refused, not taken as no filter at all (the web showed every row)
    for path in ("/board/assignments", "/board/assignments.csv", "/board/cho-xac-nhan", "/board/plans/1"):
        page = web.client.get(f"{path}?agnecy=so-noi-vu")
        said = html.unescape(page.text)
        assert page.status_code == 422 and 'Danh sách này không có tham số "agnecy"' in said, path
    # the fields a list offers still filter it
    assert web.client.get("/board/assignments?agency=so-noi-vu&page=1&done=verify").status_code == 200
    assert web.client.get("/board/can-phan-cong?plan=99%2FKH-TEST&priority=1").status_code == 200
    assert web.client.get("/board/cho-xac-nhan?agency=so-noi-vu&page=1").status_code == 200
    assert web.client.get("/board/assignments?status=dang_thuc_hien_qua_han").status_code == 200


def test_a_choice_a_page_does_not_offer_is_refused_not_ignored(web: WebEnv) -> None:
    """The outbox's state and the leaders' "every overdue row" take the values their links write;
    another value gets a 422 naming what is offered, not the whole outbox or the first 50 rows."""
    chair = web.link("leader:chair")
    wrong = web.client.get(f"/leaders/{chair}?qua-han=x")
    said = html.unescape(wrong.text)
    assert wrong.status_code == 422 and '"Danh sách quá hạn" (qua-han) không nhận giá trị "x"' in said
    assert "tat-ca" in said
    assert web.client.get(f"/leaders/{chair}?qua-han=tat-ca").status_code == 200
    assert web.client.get(f"/leaders/{chair}?qua-han=").status_code == 200  # empty: the first rows, as without it
    web.login()
    for query, expected in (
        ("status=x", 'không nhận giá trị "x"'),
        ("status=sent&status=failed", "chỉ nhận một giá trị"),
    ):
        page = web.client.get(f"/board/outbox?{query}")
        assert page.status_code == 422 and expected in html.unescape(page.text), query
        assert "failed (Lỗi)" in html.unescape(page.text) or "chỉ nhận" in html.unescape(page.text)
    assert web.client.get("/board/outbox?status=failed").status_code == 200


def test_refusals_carry_no_code_names(web: WebEnv) -> None:
    """A query flag that is not yes or no, another agency's task, an action without its date: each
    refusal in words, without the code's names (``all``, ``view``, ``(extend)``, ``None``)."""
    token = web.link("agency:so-noi-vu")
    flag = web.client.get(f"/a/{token}?all=x")
    assert flag.status_code == 422 and 'tất cả: cần có hoặc không (1 hoặc 0), nhận được "x"' in html.unescape(flag.text)
    theirs = web.assignment(ITEM, "so-tttt")
    other = web.client.get(f"/a/{token}/assignments/{theirs}")
    assert (
        other.status_code == 403
        and "Sở Nội vụ không được xem phần việc của Sở Thông tin và Truyền thông ở nhiệm vụ 99/KH-TEST:II.1 "
        "(Phê duyệt cấp độ):"
        in html.unescape(other.text)
    )
    target = web.assignment(ITEM, "so-noi-vu")
    assert agency_act(web, token, target, {"action": "acknowledge"}) == 303
    refused = web.client.post(
        f"/a/{token}/assignments/{target}/act",
        data={**web.form(f"/a/{token}/assignments/{target}"), "action": "verify"},
    )
    said = html.unescape(refused.text)
    assert (
        refused.status_code == 403
        and 'Sở Nội vụ không được thực hiện "Xác nhận hoàn thành"' in said
        and "so-noi-vu" not in said
    )
    web.login()
    history = html.unescape(web.client.get(f"/board/assignments/{target}").text)
    assert '>Sở Nội vụ</td><td data-label="Thao tác">Tiếp nhận</td>' in history and ">so-noi-vu</td>" not in history
    page = f"/board/assignments/{target}"
    refused = web.client.post(f"{page}/act", data={**web.form(page), "action": "extend", "due": ""})
    said = html.unescape(refused.text)
    assert refused.status_code == 422 and 'Thao tác "Gia hạn" cần một ngày' in said and "(extend)" not in said


def _history(web: WebEnv, target: int) -> list[Any]:
    secretariat = web.api_token("secretariat")
    return list(web.client.get(f"/api/v1/assignments/{target}", headers=secretariat).json()["history"])


def test_the_queues_decisions_take_ids_in_range_only(web: WebEnv) -> None:
    """An id past the databases' INTEGER, posted to a queue's decision, was a 500 (SQLite's
    OverflowError); 0 and negatives a 404. Each is a 422 naming the field, as on every other route."""
    web.login()
    csrf = web.csrf("/board/de-nghi-gia-han")
    for queue, form in (
        ("de-nghi-gia-han", {"action": "extend", "due": "2023-03-31"}),
        ("can-phan-cong-lai", {"agency": "so-tttt"}),
    ):
        for value in ("99999999999999999999", *TOO_BIG):
            posted = web.client.post(f"/board/{queue}/{value}", data={"csrf": csrf, **form})
            assert posted.status_code == 422, (queue, value, posted.status_code)
            assert "số hiệu phần việc:" in html.unescape(posted.text), (queue, value)


def test_the_bulk_form_holds_its_text_and_date_to_the_rules_of_every_form(web: WebEnv) -> None:
    """The bulk form took a 100,000-character comment and stored a control character, and told a
    bad date once per ticked row. Each is one refusal before any row is tried, nothing written."""
    web.login()
    targets = [web.assignment(ITEM, agency) for agency in ("so-noi-vu", "vp-ubnd")]
    before = [_history(web, t) for t in targets]
    csrf = web.csrf("/board/assignments")
    ids = [str(t) for t in targets]
    for form, said in (
        ({"action": "request_explanation", "comment": "x" * 4001}, "nội dung: dài quá 4000 ký tự"),
        ({"action": "request_explanation", "comment": "a\x01b"}, "chứa ký tự điều khiển không được phép (mã 0x01)"),
        ({"action": "extend", "due": "31/02/2022"}, '"31/02/2022" không phải là ngày'),
        ({"action": "extend", "due": ""}, 'Thao tác "Gia hạn" cần một ngày'),
    ):
        posted = web.client.post("/board/bulk", data={"csrf": csrf, "id": ids, **form})
        text = html.unescape(posted.text)
        assert posted.status_code == 422 and text.count(said) == 1, (form, posted.status_code, said)
    fullwidth = web.client.post("/board/bulk", data={"csrf": csrf, "action": "verify", "id": ["１２"]})
    assert fullwidth.status_code == 422 and 'Mã phần việc được chọn "１２" không hợp lệ' in html.unescape(
        fullwidth.text
    )
    assert [_history(web, t) for t in targets] == before


def test_free_text_is_held_to_the_same_rule_by_the_engine_on_every_surface(web: WebEnv) -> None:
    """The CLI and the queues' forms wrote a control character and a 5,000-character comment the
    web's forms refused: the engine refuses them itself, before writing, in one Vietnamese line."""
    from sqlmodel import Session

    from dondoc.engine.actors import SECRETARIAT
    from dondoc.engine.errors import InvalidInput
    from dondoc.engine.services.assignments import Request, act
    from dondoc.engine.workflow import Action

    target = web.assignment(ITEM, "so-noi-vu")
    before = _history(web, target)
    for comment, said in (("a\x01b", "chứa ký tự điều khiển không được phép (mã 0x01)"), ("y" * 5000, "quá 4000")):
        with Session(web.engine) as session, pytest.raises(InvalidInput, match=re.escape(said)):
            act(session, target, Request(Action.CANCEL, SECRETARIAT, comment=comment), now=web.clock.now())
    assert _history(web, target) == before


def test_pydantic_refusals_are_said_in_vietnamese(web: WebEnv) -> None:
    """Control characters, a version that is not one, an unreadable or non-object JSON body, a
    percent out of range: the reason in Vietnamese, not pydantic's English or a pattern."""
    token, target = web.link("agency:so-noi-vu"), web.assignment(ITEM, "so-noi-vu")
    page = f"/a/{token}/assignments/{target}"
    posted = web.client.post(f"{page}/act", data={**web.form(page), "action": "acknowledge", "comment": "a\x00b"})
    said = html.unescape(posted.text)
    assert posted.status_code == 422 and "nội dung: chứa ký tự điều khiển không được phép (mã 0x00)" in said
    assert "String should match" not in said
    assert agency_act(web, token, target, {"action": "acknowledge"}) == 303
    posted = web.client.post(f"{page}/act", data={**web.form(page), "action": "progress", "version": "abc"})
    said = html.unescape(posted.text)  # a sentence, ended as the others are
    assert posted.status_code == 422 and 'Phiên bản phải là một số nguyên, nhận được "abc".' in said, said
    posted = web.client.post(f"{page}/act", data={**web.form(page), "action": "progress", "percent": "-1"})
    assert posted.status_code == 422 and "cần tỷ lệ tiến độ từ 0 đến 100 %, nhận được: -1" in html.unescape(posted.text)
    secretariat = web.api_token("secretariat")
    url, headers = f"/api/v1/assignments/{target}/actions", {**secretariat, "Content-Type": "application/json"}
    for body, extra, said in (
        (b'{"action": ', {}, "không phải JSON đọc được"),
        (b"[]", {}, "cần một đối tượng JSON"),
        (b'{"action": "verify"}', {"If-Match": '"abc"'}, "không phải số phiên bản"),
        (b'{"action": "extend", "due": "14/10/2022"}', {}, "không phải là một ngày (YYYY-MM-DD)"),
    ):
        message = _api_error(web.client.post(url, content=body, headers={**headers, **extra}), 422)["message"]
        assert said in message, (body, message)


def test_a_percent_and_a_version_are_ascii_digits(web: WebEnv) -> None:
    """Python's int read "1_0" as 10 and "٣" (an Arabic-Indic three) as 3: a progress of "1_0" % was
    recorded as 10 %, and a version "٣" matched version 3. Each is refused in one line naming the
    field, nothing written; "50" and " 50 " still are fifty."""
    token, target = web.link("agency:so-noi-vu"), web.assignment(ITEM, "so-noi-vu")
    page = f"/a/{token}/assignments/{target}"
    assert agency_act(web, token, target, {"action": "acknowledge"}) == 303
    before = _history(web, target)
    for field, typed, said in (
        ("percent", "1_0", 'Tỷ lệ hoàn thành (%) phải là một số nguyên, nhận được "1_0".'),
        ("percent", "٣", 'Tỷ lệ hoàn thành (%) phải là một số nguyên, nhận được "٣".'),
        ("version", "٣", 'Phiên bản phải là một số nguyên, nhận được "٣".'),
        ("version", "1_0", 'Phiên bản phải là một số nguyên, nhận được "1_0".'),
    ):
        data = {**web.form(page), "action": "progress", "percent": "50", field: typed}
        posted = web.client.post(f"{page}/act", data=data)
        assert posted.status_code == 422 and said in html.unescape(posted.text), (field, typed, posted.status_code)
    assert _history(web, target) == before
    assert agency_act(web, token, target, {"action": "progress", "percent": " 50 "}) == 303


def test_the_board_the_outbox_and_the_rates_refuse_a_query_name_they_do_not_read(web: WebEnv) -> None:
    """ "/board/outbox?statut=failed" listed every mail under "Tất cả" as if no filter had been typed, and
    "/board/reports?tu=01/01/2022" the rates from 1 January of this year: a misspelt name was dropped
    without a word, where the desk's lists refuse it. Each page names it and the names it reads (422)."""
    web.login()
    for url, name, offered in (
        ("/board/outbox?statut=failed", "statut", "status, page"),
        ("/board/reports?tu=01/01/2022", "tu", "start, end"),
        ("/board?qua-han=tat-ca&trang=2", "trang", "qua-han"),
    ):
        page = web.client.get(url)
        said = html.unescape(page.text)
        assert page.status_code == 422, (url, page.status_code)
        assert f'Trang này không có tham số "{name}"; dùng được: {offered}.' in said, (url, said[-1500:])
    twice = web.client.get("/board/reports?start=01/01/2022&start=01/07/2022")
    assert twice.status_code == 422
    assert 'Tham số "start" chỉ nhận một giá trị, nhận được 2.' in html.unescape(twice.text)
    for url in ("/board/outbox?status=failed&page=1", "/board/reports?start=01/01/2022&end=30/06/2022", "/board"):
        assert web.client.get(url).status_code == 200, url


def test_a_reversed_range_an_unknown_notice_and_a_refused_url_are_said_once(web: WebEnv) -> None:
    """A due range whose start is after its end selected nothing, silently; "?done=" of no action
    showed "Đã ghi nhận: ."; a query that is not UTF-8 said its sentence twice on the error page."""
    web.login()
    for path in ("/board/assignments", "/board/assignments.csv", "/board/cho-xac-nhan"):
        page = web.client.get(f"{path}?due_from=2022-10-01&due_to=2022-01-01")
        said = html.unescape(page.text)
        assert page.status_code == 422 and "Hạn từ ngày (01/10/2022) sau hạn đến ngày (01/01/2022)" in said, path
    assert web.client.get("/board/assignments?due_from=2022-01-01&due_to=2022-01-01").status_code == 200
    # a state, a category or a tile's status not known: refused with the values it takes, under its own name
    for query, said in (
        ("state=xx", 'Trạng thái "xx" không hợp lệ; chọn: Đã giao (assigned), '),
        ("category=yy", 'Phân loại "yy" không hợp lệ; chọn: '),
        ("status=zz", 'Trạng thái hoặc phân loại "zz" không hợp lệ; chọn một trạng thái (Đã giao (assigned), '),
    ):
        page = web.client.get(f"/board/assignments?{query}")
        assert page.status_code == 422 and said in html.unescape(page.text), (query, html.unescape(page.text)[-600:])
    target = web.assignment(ITEM, "so-noi-vu")
    assert "Đã ghi nhận" not in web.client.get(f"/board/assignments/{target}?done=bogus").text
    assert "Đã ghi nhận" not in web.client.get("/board/de-nghi-gia-han?done=bogus").text
    assert "Đã ghi nhận" not in web.client.get(f"/board/assignments/{target}?done=extend").text  # not extended
    refused = web.client.get("/board/assignments?q=%FF")
    assert refused.status_code == 422 and refused.text.split("<main", 1)[1].count("không phải UTF-8") == 1


def test_a_refused_field_is_named_in_vietnamese_not_by_its_index() -> None:
    """Pages said "0:" (a list's index: a file sent as text), "year:", "period:", "note:"."""
    from dondoc.web.errors import _field_vi

    assert _field_vi({"loc": ("body", "agency", 0)}) == "cơ quan"
    assert [_field_vi({"loc": ("query", name)}) for name in ("year", "period", "note")] == ["năm", "kỳ", "ghi chú"]


def test_a_notice_states_the_step_the_history_holds_not_the_url(web: WebEnv) -> None:
    """ "/board/assignments/ID?done=verify" on work in progress said "Đã ghi nhận: Xác nhận hoàn
    thành", and a page reloaded after a later step still said the earlier one was recorded: the
    notice now names the assignment's last event, and only when the URL names its action."""
    web.login()
    target = web.assignment(ITEM, "so-noi-vu")
    page = f"/board/assignments/{target}"
    assert "Đã ghi nhận" not in web.client.get(f"{page}?done=verify").text
    extend = {**web.form(page), "action": "extend", "due": "2022-09-30", "comment": "Đồng ý."}
    done = web.client.post(f"{page}/act", data=extend)
    assert done.status_code == 303 and done.headers["location"] == f"{page}?done=extend"
    assert "Đã ghi nhận: Gia hạn; thời hạn nay là 30/09/2022." in web.client.get(done.headers["location"]).text
    snooze = {**web.form(page), "action": "snooze", "due": "2022-09-01"}
    assert web.client.post(f"{page}/act", data=snooze).status_code == 303
    assert "Đã ghi nhận" not in web.client.get(f"{page}?done=extend").text  # a later step came
    assert "Đã ghi nhận: Tạm dừng nhắc việc." in web.client.get(f"{page}?done=snooze").text


def _own_links(page: str, path: str) -> set[str]:
    """The links a page gives to itself with a query (its pager, its switches), as the browser follows them."""
    found = set()
    for href in re.findall(r'href="([^"]*\?[^"]*)"', page):
        href = html.unescape(href).split("#", 1)[0]
        if href.startswith("?"):
            href = path + href
        if href.split("?")[0] == path:
            found.add(href)
    return found


def test_every_page_refuses_a_query_name_it_does_not_read_and_takes_its_own_links(web: WebEnv) -> None:
    """ "/board/plans?statut=failed", "/board/assignments/N?trang=2", "/a/TOKEN?al=1" showed the page as if
    nothing had been typed: each page declares the names it reads with its route (web.filters.reads) and
    refuses another in one sentence (422); the links it gives to itself, and the notices its forms
    redirect to, still open."""
    web.login()
    listed = web.client.get("/board/assignments").text
    assignment = re.search(r'href="(/board/assignments/\d+)"', listed)
    plan = re.search(r'href="(/board/plans/\d+)"', web.client.get("/board/plans").text)
    item = re.search(r'href="(/board/items/\d+)"', web.client.get(plan[1]).text) if plan else None
    agency, chair = web.link("agency:so-noi-vu"), web.link("leader:chair")
    agency_page = web.client.get(f"/a/{agency}").text
    agency_part = re.search(rf'href="(/a/{agency}/assignments/\d+)"', agency_page)
    assert assignment and item and agency_part
    chair_part = f"/leaders/{chair}/assignments/{assignment[1].rsplit('/', 1)[1]}"
    pages = {
        "/board": ["qua-han=tat-ca"],
        "/board/plans": [],
        "/board/import": [],
        "/board/to-chuc-lai": [],
        assignment[1]: ["done=progress"],
        item[1]: ["done=name"],
        f"/a/{agency}": ["all=1", "page=1", "all=1&page=1"],
        agency_part[1]: ["done=progress"],
        f"/leaders/{chair}": ["qua-han=tat-ca", f"done=request_explanation&id={assignment[1].rsplit('/', 1)[1]}"],
        chair_part: [],
    }
    for path, queries in pages.items():
        refused = web.client.get(f"{path}?statut=failed")
        assert refused.status_code == 422, (path, refused.status_code)
        said = html.unescape(refused.text)
        assert 'Trang này không có tham số "statut"' in said, (path, said[-800:])
        if path in ("/board/plans", "/board/import"):
            assert 'Trang này không có tham số "statut" (trang không nhận tham số nào).' in said, path
        opened = web.client.get(path)
        assert opened.status_code == 200, path
        for url in {f"{path}?{q}" for q in queries} | _own_links(opened.text, path):
            assert web.client.get(url).status_code == 200, url


def test_an_export_refuses_a_query_name_it_does_not_read(web: WebEnv) -> None:
    """An export is the filtered list, whole: "/board/export.xlsx?agency=so-noi-vu" and
    "/board/reports/download?period=2022&fomat=md" answered every body's rows and the XLSX as if the name
    had not been typed, and "/board/assignments.csv?page=2" every page (the page number, the notice after a
    step are the list page's, not the file's). Each is refused in one sentence naming it (422)."""
    web.login()
    for url, said in (
        ("/board/export.csv?agency=so-noi-vu", 'Trang này không có tham số "agency" (trang không nhận tham số nào).'),
        ("/board/export.xlsx?qua-han=tat-ca", 'Trang này không có tham số "qua-han"'),
        ("/board/reports/download?period=2022&fomat=md", 'Trang này không có tham số "fomat"; dùng được: period, '),
        ("/board/reports/download?period=2022&period=2023", 'Tham số "period" chỉ nhận một giá trị, nhận được 2.'),
        ("/board/assignments.csv?agnecy=so-noi-vu", 'Danh sách này không có tham số "agnecy"; lọc được theo: '),
        ("/board/assignments.csv?agency=so-noi-vu&page=2", 'Danh sách này không có tham số "page"'),
        ("/board/assignments.xlsx?done=verify&id=1", 'Danh sách này không có tham số "done"'),
        ("/board/cho-xac-nhan.csv?page=2", 'Danh sách này không có tham số "page"'),
        ("/board/can-phan-cong-lai.xlsx?ton-dong=1&page=1", 'Danh sách này không có tham số "page"'),
    ):
        refused = web.client.get(url)
        assert refused.status_code == 422 and said in html.unescape(refused.text), (url, refused.status_code)
    for url in (
        "/board/export.csv",
        "/board/export.xlsx",
        "/board/reports/download?period=2022&format=md&mailed=false",
        "/board/assignments.csv?agency=so-noi-vu",
        "/board/cho-xac-nhan.xlsx?agency=so-noi-vu",
        "/board/can-phan-cong-lai.csv?ton-dong=1",
    ):
        assert web.client.get(url).status_code == 200, url


def test_a_number_in_a_url_or_a_ticked_row_is_read_by_the_one_rule_of_a_number_typed(web: WebEnv) -> None:
    """A whole number a person types is read by one rule (engine.numerals.whole: ASCII digits, a sign),
    as on the forms and the command line; the pages had their own: the desk's lists refused page "+1"
    and the bulk form a ticked "+12", which the forms read as 1 and 12, while the agency's list read page
    "1_0" as 10 and "2.0" as 2 (pydantic's lax int), and "/board/assignments/N.0" opened part N. Each
    reads by the one rule now, and refuses in its own words, saying where."""
    from dondoc.engine.numerals import whole

    web.login()
    agency = web.link("agency:so-noi-vu")
    target = web.assignment(ITEM, "so-noi-vu")
    assert whole("+1") == 1 and whole("1_0") is None and whole("2.0") is None  # the rule
    for url in ("/board/assignments?page=%2B1", "/board/cho-xac-nhan?page=%2B1", f"/a/{agency}?page=%2B1"):
        assert web.client.get(url).status_code == 200, url
    for url, said in (
        ("/board/assignments?page=1_0", 'Số trang "1_0" không hợp lệ'),
        ("/board/assignments?page=-1", 'Số trang "-1" không hợp lệ'),
        (f"/a/{agency}?page=1_0", 'số trang: cần một số nguyên, nhận được "1_0"'),
        (f"/a/{agency}?page=2.0", 'số trang: cần một số nguyên, nhận được "2.0"'),
        (f"/board/assignments/{target}.0", f'số hiệu phần việc: cần một số nguyên, nhận được "{target}.0"'),
        (f"/board/assignments/{target}_0", f'số hiệu phần việc: cần một số nguyên, nhận được "{target}_0"'),
    ):
        refused = web.client.get(url)
        assert refused.status_code == 422 and said in html.unescape(refused.text), (url, refused.status_code)
    csrf = web.csrf("/board/assignments")
    ticked = web.client.post("/board/bulk", data={"csrf": csrf, "action": "verify", "id": [f"+{target}"]})
    assert ticked.status_code == 200, html.unescape(ticked.text)[-600:]
    for typed in (f"{target}_0", f"{target}:1_0", "0"):
        refused = web.client.post("/board/bulk", data={"csrf": csrf, "action": "verify", "id": [typed]})
        assert refused.status_code == 422, typed
        assert f'Mã phần việc được chọn "{typed}" không hợp lệ' in html.unescape(refused.text), typed
