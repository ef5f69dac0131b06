"""The issue's security acceptance: scope, links, CSRF, escaping, uploads, logins."""

from __future__ import annotations

import html
import re

from sqlmodel import Session, select

from dondoc.engine.links import reissue, revoke
from dondoc.engine.models import Assignment, Attachment
from dondoc.web.security_headers import REVIEW_CSP, SECURITY_HEADERS, headers_for
from tests.support.web import ITEM, MAX_UPLOAD, PDF, WebEnv, agency_act

SCRIPT = "<script>alert('x')</script>"


def _state(web: WebEnv, assignment: int) -> tuple[str, int]:
    with Session(web.engine) as session:
        row = session.get(Assignment, assignment)
        assert row is not None
        return row.state, row.version


def _report_with_file(web: WebEnv, agency: str) -> tuple[int, int]:
    """An assignment of ``agency`` reported with one PDF; returns (assignment id, attachment id)."""
    token, target = web.link(f"agency:{agency}"), web.assignment(ITEM, agency)
    assert agency_act(web, token, target, {"action": "acknowledge"}) == 303
    files = [("files", ("minh-chung.pdf", PDF, "application/pdf"))]
    assert agency_act(web, token, target, {"action": "report", "comment": "xong"}, files) == 303
    with Session(web.engine) as session:
        attachment = session.exec(select(Attachment).where(Attachment.assignment_id == target)).one()
    return target, attachment.id or 0


def test_an_agency_link_cannot_reach_another_agencys_assignment(web: WebEnv) -> None:
    other, other_file = _report_with_file(web, "vp-ubnd")
    mine = web.link("agency:so-noi-vu")
    page = web.client.get(f"/a/{mine}/assignments/{other}")
    assert page.status_code == 403 and "Không có quyền" in page.text
    # in words: it read 'Sở Nội vụ không được thực hiện "xem": …'
    said = "Sở Nội vụ không được xem phần việc của Văn phòng UBND tỉnh ở nhiệm vụ 99/KH-TEST:II.1 (Phê duyệt cấp độ)"
    assert f"{said}: phần việc này thuộc cơ quan khác." in html.unescape(page.text)
    before = _state(web, other)
    own_page = f"/a/{mine}/assignments/{web.assignment(ITEM, 'so-noi-vu')}"
    posted = web.client.post(f"/a/{mine}/assignments/{other}/act", data={**web.form(own_page), "action": "acknowledge"})
    assert posted.status_code == 403 and _state(web, other) == before
    refused = web.client.get(f"/a/{mine}/attachments/{other_file}")
    assert refused.status_code == 403 and f"Sở Nội vụ không được tải tệp {other_file}:" in refused.text
    feed = web.client.get(f"/a/{mine}/calendar.ics").text
    assert f"assignment-{other}@" not in feed and f"assignment-{web.assignment(ITEM, 'so-noi-vu')}@" in feed
    assert "VP UBND" not in web.client.get(f"/a/{mine}").text


def test_the_api_is_scoped_the_same_way(web: WebEnv) -> None:
    other, other_file = _report_with_file(web, "vp-ubnd")
    headers = web.api_token("agency", "so-noi-vu")
    assert web.client.get(f"/api/v1/assignments/{other}", headers=headers).status_code == 403
    acted = web.client.post(f"/api/v1/assignments/{other}/actions", json={"action": "verify"}, headers=headers)
    assert acted.status_code == 403 and acted.json()["error"] == "permission_denied"
    refused = web.client.get(f"/api/v1/attachments/{other_file}", headers=headers)
    assert refused.status_code == 403 and "tệp thuộc phần việc của cơ quan khác" in refused.json()["message"]
    chair = web.client.get(f"/api/v1/attachments/{other_file}", headers=web.api_token("chair"))
    assert chair.status_code == 403 and "chỉ tải được bằng mã truy cập của Tổ giúp việc" in chair.json()["message"]
    listed = web.client.get("/api/v1/assignments?agency=vp-ubnd", headers=headers).json()
    assert listed and {a["agency_code"] for a in listed} == {"so-noi-vu"}
    calendar = web.client.get("/api/v1/calendar.ics?agency=vp-ubnd", headers=headers).text
    assert f"assignment-{other}@" not in calendar
    board = web.client.get("/api/v1/board", headers=headers).json()
    assert [r["code"] for r in board["agencies"]] == ["so-noi-vu"]
    chair = web.api_token("chair")
    assert web.client.get(f"/api/v1/attachments/{other_file}", headers=chair).status_code == 403
    secretariat = web.api_token("secretariat")
    assert web.client.get(f"/api/v1/attachments/{other_file}", headers=secretariat).content == PDF


def test_expired_forged_and_revoked_links_are_refused(web: WebEnv) -> None:
    token = web.link("agency:so-noi-vu")
    forged = token[:-3] + ("AAA" if token[-3:] != "AAA" else "BBB")
    assert web.client.get(f"/a/{forged}").status_code == 403
    assert "sai hoặc bị sửa đổi" in web.client.get(f"/a/{forged}").text
    assert web.client.get("/a/not-a-token").status_code == 403
    with Session(web.engine) as session:
        revoke(session, "agency:so-noi-vu", now=web.clock.now())
        session.commit()
    revoked = web.client.get(f"/a/{token}")
    assert revoked.status_code == 403 and "thu hồi" in revoked.text
    with Session(web.engine) as session:
        reissue(session, "agency:so-noi-vu", now=web.clock.now())
        session.commit()
    assert web.client.get(f"/a/{token}").status_code == 403  # the old generation stays dead
    assert web.client.get(f"/a/{web.link('agency:so-noi-vu')}").status_code == 200
    assert web.client.get(f"/leaders/{web.link('agency:so-noi-vu')}").status_code == 403
    assert web.client.get(f"/a/{web.link('leader:chair')}").status_code == 403
    # each refusal is one Vietnamese sentence, said once, with no English detail behind it
    for path, said in (
        (f"/a/{forged}", "sai hoặc bị sửa đổi"),
        (f"/a/{token}", "thu hồi"),
        (f"/leaders/{web.link('agency:so-noi-vu')}", "không phải của Lãnh đạo Ban Chỉ đạo"),
        (f"/a/{web.link('leader:chair')}", "không phải của một cơ quan"),
    ):
        text = web.client.get(path).text
        assert text.count(said) == 1 and "Chi tiết" not in text and "link" not in text.split("<main")[1], path
    assert web.client.get("/api/v1/board", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_forms_without_the_csrf_token_are_refused(web: WebEnv) -> None:
    token, target = web.link("agency:so-noi-vu"), web.assignment(ITEM, "so-noi-vu")
    web.client.get(f"/a/{token}/assignments/{target}")
    before = _state(web, target)
    for data in ({"action": "acknowledge"}, {"action": "acknowledge", "csrf": "forged"}):
        refused = web.client.post(f"/a/{token}/assignments/{target}/act", data=data)
        assert refused.status_code == 403 and "mã bảo mật" in refused.text
    assert _state(web, target) == before
    assert web.client.post("/login", data={"username": "tgv", "password": "x"}).status_code == 403
    web.login()
    page = f"/board/assignments/{target}"
    web.client.get(page)
    assert web.client.post(f"{page}/act", data={"action": "snooze", "due": "2022-04-01"}).status_code == 403
    chair = web.link("leader:chair")
    assert (
        web.client.post(f"/leaders/{chair}/assignments/{target}/explanation", data={"comment": "?"}).status_code == 403
    )
    assert _state(web, target) == before


def test_script_in_content_is_shown_escaped_everywhere(web: WebEnv) -> None:
    token, target = web.link("agency:so-noi-vu"), web.assignment(ITEM, "so-noi-vu")
    assert agency_act(web, token, target, {"action": "acknowledge"}) == 303
    files = [("files", (f"{SCRIPT}.pdf", PDF, "application/pdf"))]
    assert agency_act(web, token, target, {"action": "progress", "percent": "10", "comment": SCRIPT}, files) == 303
    web.login()
    pages = [
        f"/a/{token}/assignments/{target}",
        f"/board/assignments/{target}",
        f"/leaders/{web.link('leader:chair')}/assignments/{target}",
    ]
    for url in pages:
        html = web.client.get(url).text
        assert "<script>alert" not in html, url
        assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html, url
    evil = web.client.get(f"/board/assignments?agency={SCRIPT}").text
    assert "<script>alert" not in evil and "&lt;script&gt;" in evil
    assert web.client.get("/board").headers["content-security-policy"].startswith("default-src 'self'")


def test_every_response_carries_the_security_headers(web: WebEnv) -> None:
    """Pages, refusals and files alike; the API's docs page without the policy (Swagger UI runs
    inline script), the import review page with its one same-origin script allowed."""
    web.login()
    for url in ("/board", "/login", "/khong-co-trang-nay", "/static/style.css", "/board/assignments?page=x"):
        headers = web.client.get(url).headers
        assert {name.lower(): value for name, value in SECURITY_HEADERS.items()}.items() <= headers.items(), url
    assert "content-security-policy" not in web.client.get("/api/docs").headers
    assert headers_for("/board/import/7") == SECURITY_HEADERS | {"Content-Security-Policy": REVIEW_CSP}


def test_oversize_and_disallowed_uploads_are_refused_with_a_message(web: WebEnv) -> None:
    token, target = web.link("agency:so-noi-vu"), web.assignment(ITEM, "so-noi-vu")
    assert agency_act(web, token, target, {"action": "acknowledge"}) == 303
    before = _state(web, target)
    cases = [
        (("big.pdf", PDF + b"0" * MAX_UPLOAD, "application/pdf"), "vượt quá dung lượng"),
        (("virus.exe", b"MZ\x90\x00", "application/octet-stream"), "không được chấp nhận"),
        (("fake.pdf", b"MZ\x90\x00 not a pdf", "application/pdf"), "không đúng định dạng"),
        (("../../etc/passwd", b"root:x:0:0", "text/plain"), "không được chấp nhận"),
    ]
    for upload, message in cases:
        page = f"/a/{token}/assignments/{target}"
        response = web.client.post(
            f"{page}/act", data={**web.form(page), "action": "report", "comment": "x"}, files=[("files", upload)]
        )
        assert response.status_code == 422 and message in response.text, upload[0]
    assert _state(web, target) == before
    assert not [p for p in web.attachments.rglob("*") if p.is_file()]


def test_secretariat_pages_need_a_login(web: WebEnv) -> None:
    for url in ("/board", "/board/outbox", "/board/export.csv", "/board/assignments/1", "/board/attachments/1"):
        response = web.client.get(url)
        assert response.status_code == 303 and response.headers["location"].startswith("/login"), url
    token = web.csrf("/login")
    wrong = web.client.post("/login", data={"username": "tgv", "password": "sai-mat-khau", "csrf": token})
    assert wrong.status_code == 401 and "không đúng" in wrong.text
    assert web.client.get("/board").status_code == 303
    evil_next = web.client.post(
        "/login", data={"username": "tgv", "password": "mat-khau-rat-dai-123", "csrf": token, "next": "//evil.example/"}
    )
    assert evil_next.headers["location"] == "/board"
    assert web.client.get("/api/v1/assignments").status_code == 401


def _reading_pages(web: WebEnv) -> list[str]:
    """Every page that declares the query names it reads (web.filters.reads), its ids set to 1."""
    from fastapi.routing import APIRoute

    declared = [
        route.path_format
        for route in web.app.routes
        if isinstance(route, APIRoute)
        and "GET" in route.methods
        and any(getattr(d.call, "__qualname__", "").startswith("reads.") for d in route.dependant.dependencies)
    ]
    return [re.sub(r"\{[a-z_]+\}", "1", path) for path in declared]


def test_a_visitor_not_let_in_is_told_so_before_the_page_refuses_a_query_name(web: WebEnv) -> None:
    """ "/board/outbox?statut=failed" answered a visitor not logged in with the page's 422 naming the names
    it reads (the declared names were checked before the login), where "/board/outbox" sent them to log
    in; a forged or foreign link with a stray name alike. The visitor is checked first, then the names."""
    pages = _reading_pages(web)
    assert "/board/outbox" in pages and "/a/1" in pages and "/leaders/1" in pages, pages
    for path in pages:
        plain, stray = web.client.get(path), web.client.get(f"{path}?statut=failed")
        if path == "/login":  # open to all: refused to all
            assert stray.status_code == 422 and plain.status_code == 200
            continue
        assert (stray.status_code, stray.headers.get("location")) == (plain.status_code, plain.headers.get("location"))
        assert stray.status_code in (303, 403), (path, stray.status_code)
        if path.startswith("/board"):
            assert stray.headers["location"] == f"/login?next={path}", path
    agency = web.link("agency:so-noi-vu")  # a real link, on the leaders' page: refused as a link there
    assert web.client.get(f"/leaders/{agency}?statut=failed").status_code == 403
    web.login()  # let in: the stray name is refused (422), naming it
    refused = web.client.get("/board/outbox?statut=failed")
    assert refused.status_code == 422 and 'Trang này không có tham số "statut"' in html.unescape(refused.text)


def test_the_attachments_and_the_login_page_refuse_a_query_name_they_do_not_read(web: WebEnv) -> None:
    """ "/login?next=/board&nxt=/board/outbox", a file with "?download=1": the name was dropped without a
    word. Each is refused in one sentence (422), the visitor checked first as on every page."""
    _, file_id = _report_with_file(web, "so-noi-vu")
    mine = web.link("agency:so-noi-vu")
    assert web.client.get(f"/board/attachments/{file_id}?download=1").headers["location"].startswith("/login")
    assert web.client.get(f"/a/forged/attachments/{file_id}?download=1").status_code == 403
    for url, said in (
        ("/login?next=/board&nxt=/board/outbox", 'Trang này không có tham số "nxt"; dùng được: next.'),
        ("/login?next=/board&next=/board/outbox", 'Tham số "next" chỉ nhận một giá trị, nhận được 2.'),
        (f"/a/{mine}/attachments/{file_id}?download=1", 'Trang này không có tham số "download"'),
    ):
        refused = web.client.get(url)
        assert refused.status_code == 422 and said in html.unescape(refused.text), (url, refused.status_code)
    web.login()
    refused = web.client.get(f"/board/attachments/{file_id}?download=1")
    assert refused.status_code == 422 and 'Trang này không có tham số "download"' in html.unescape(refused.text)
    assert web.client.get(f"/board/attachments/{file_id}").content == PDF
    assert web.client.get(f"/a/{mine}/attachments/{file_id}").content == PDF
    assert web.client.get("/login?next=/board/outbox").status_code == 200


def test_the_login_redirect_keeps_a_path_whole(web: WebEnv) -> None:
    """The login redirect wrote the path into ``?next=`` as it was: a path holding "&" (a draft's name)
    was cut there, and the rest became a query name of its own that the login page now refuses."""
    sent = web.client.get("/board/import/a%26b%3Fc")
    assert sent.status_code == 303 and sent.headers["location"] == "/login?next=/board/import/a%26b%3Fc"
    form = web.client.get(sent.headers["location"])
    assert form.status_code == 200 and 'name="next" value="/board/import/a&amp;b?c"' in form.text
