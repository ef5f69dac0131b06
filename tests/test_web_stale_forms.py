"""A decision posted from a web form carries the version its page showed (web.actions.ActionInput): a
post without it is refused in one line, nothing changed, as a stale page is. The JSON API alone may
act on the assignment as it is now (docs/web.md)."""

from __future__ import annotations

import html

from sqlmodel import Session, func, select

from dondoc.engine.models import Assignment, Event
from dondoc.web.actions import MISSING_VERSION
from tests.support.web import ITEM, WebEnv, agency_act


def _written(web: WebEnv, assignment: int) -> tuple[str, int, int]:
    """The assignment's state, version and how many events its history holds."""
    with Session(web.engine) as session:
        row = session.get_one(Assignment, assignment)
        events = session.exec(select(func.count()).where(Event.assignment_id == assignment)).one()
        return row.state, row.version, events


def test_a_form_posted_without_its_version_is_refused_and_nothing_is_written(web: WebEnv) -> None:
    """Every form dondoc draws sends the version; a post without one (a form kept from an older page,
    a hand-made post) was acted on unchecked, whatever had changed since the page was read."""
    token, target = web.link("agency:so-noi-vu"), web.assignment(ITEM, "so-noi-vu")
    page = f"/a/{token}/assignments/{target}"
    before = _written(web, target)
    posts = [
        (f"{page}/act", page, {"action": "acknowledge"}),
        (f"/board/assignments/{target}/act", f"/board/assignments/{target}", {"action": "snooze", "due": "2022-04-01"}),
    ]
    chair = web.link("leader:chair")
    # the session's one token (the leaders' page draws a form only on overdue work)
    posts.append((f"/leaders/{chair}/assignments/{target}/explanation", "/board", {"comment": "Vì sao?"}))
    web.login()
    for url, shown, data in posts:
        for version in ({}, {"version": " "}):
            refused = web.client.post(url, data={"csrf": web.csrf(shown), **data, **version})
            assert refused.status_code == 422, (url, refused.status_code)
            assert MISSING_VERSION in html.unescape(refused.text), url
    assert _written(web, target) == before
    assert agency_act(web, token, target, {"action": "acknowledge"}) == 303  # the page's own form: its version
    assert _written(web, target)[0] == "in_progress"


def test_the_json_api_may_act_on_the_assignment_as_it_is_now(web: WebEnv) -> None:
    """The API's version is the client's to send (``expected_version`` or ``If-Match``): without it
    the step is judged on the assignment as it is, by the rule book, as documented."""
    headers = web.api_token("agency", "so-noi-vu")
    target = web.assignment(ITEM, "so-noi-vu")
    done = web.client.post(f"/api/v1/assignments/{target}/actions", json={"action": "acknowledge"}, headers=headers)
    assert done.status_code == 200 and done.json()["state"] == "in_progress"
