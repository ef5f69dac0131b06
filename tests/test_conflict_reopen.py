"""The error page of a single action refused because the part changed meanwhile (409) told the
person to press the browser's "Quay lại", which shows the page as it was opened, the stale one its
sentence says to leave ("mở lại trang để xem tình trạng hiện tại"). It links to the part's page, or
to the queue the decision was taken from, as it is now."""

from __future__ import annotations

import html
import re
from datetime import datetime

from dondoc.engine.clock import LOCAL_TZ
from tests.support.web import ITEM, WebEnv, agency_act

BROWSER_BACK = "nút “Quay lại” của trình duyệt"


def _reopen(page: str) -> str:
    found = re.search(r'<a id="reopen" href="([^"]+)">', page)
    assert found, page
    return html.unescape(found.group(1))


def test_a_stale_step_on_the_part_s_page_links_to_the_page_as_it_is_now(web: WebEnv) -> None:
    part = web.assignment(ITEM, "so-noi-vu")
    web.login()
    page = f"/board/assignments/{part}"
    form = {**web.form(page), "action": "cancel", "comment": "Không còn phù hợp."}
    assert agency_act(web, web.link("agency:so-noi-vu"), part, {"action": "acknowledge"}) == 303  # meanwhile
    refused = web.client.post(f"{page}/act", data=form)
    assert refused.status_code == 409 and "đã được người khác thay đổi sau khi trang được mở" in refused.text
    assert BROWSER_BACK not in refused.text
    assert _reopen(refused.text) == page


def test_a_body_s_stale_step_links_to_its_own_page_of_the_part(web: WebEnv) -> None:
    part = web.assignment(ITEM, "so-noi-vu")
    token = web.link("agency:so-noi-vu")
    page = f"/a/{token}/assignments/{part}"
    form = {**web.form(page), "action": "acknowledge"}
    assert agency_act(web, token, part, {"action": "acknowledge"}) == 303  # a second tab
    refused = web.client.post(f"{page}/act", data=form)
    assert refused.status_code == 409 and BROWSER_BACK not in refused.text
    assert _reopen(refused.text) == page


def test_a_stale_decision_from_the_extension_queue_links_to_the_queue_as_filtered(web: WebEnv) -> None:
    web.clock.set(datetime(2022, 6, 10, 9, 0, tzinfo=LOCAL_TZ))
    part = web.assignment(ITEM, "so-noi-vu")
    asked = {"action": "request_extension", "due": "2022-09-30", "comment": "Chờ kinh phí."}
    assert agency_act(web, web.link("agency:so-noi-vu"), part, asked) == 303
    web.login()
    shown = "/board/de-nghi-gia-han?agency=so-noi-vu"
    form = {**web.form(shown, part), "action": "extend", "due": "2022-09-30", "back": shown}
    assert agency_act(web, web.link("agency:so-noi-vu"), part, {"action": "acknowledge"}) == 303
    refused = web.client.post(f"/board/de-nghi-gia-han/{part}", data=form)
    assert refused.status_code == 409 and BROWSER_BACK not in refused.text
    assert _reopen(refused.text) == shown


def test_a_refusal_of_what_was_typed_keeps_the_browser_s_back_which_keeps_the_typing(web: WebEnv) -> None:
    part = web.assignment(ITEM, "so-noi-vu")
    web.login()
    page = f"/board/assignments/{part}"
    refused = web.client.post(f"{page}/act", data={**web.form(page), "action": "cancel"})
    assert refused.status_code == 422 and BROWSER_BACK in refused.text and 'id="reopen"' not in refused.text
