"""The secretariat's digest tells of the explanation requests no body has answered yet, as the desk's
queue "Chờ giải trình" lists them (notifications.digests._waiting_explanations): a leader asks a body
why its work is late, the body is mailed once, at once, and nobody reminds it; the digest said
nothing of it, so the secretariat did not follow it up. Counted and listed by the queue's own
statement, the oldest first, each with the day it was asked and the working days it has waited;
said when there is a digest, never a reason for one (it waits on the body, not on the secretariat);
and, as the undecided extension requests, built again before it leaves when the list changed."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlmodel import Session

from dondoc.engine.actors import Actor
from dondoc.engine.models import Notification, NotificationStatus
from dondoc.engine.services.assignment_filter import AssignmentFilter
from dondoc.engine.services.assignments import Request, act
from dondoc.engine.services.queues import EXPLANATION_QUEUE, queue_by_slug
from dondoc.engine.workflow import Action
from dondoc.notifications import digests
from tests.support.web import ITEM, WebEnv, shown_count
from tests.test_extension_asked_mails import BODY, _at, _deliver, _said, _sent
from tests.test_secretariat_digest_asked import _built  # Monday 04/07/2022's digest, built at 07:30

KEY = "digest:secretariat:2022-07-04"
OTHER = "vp-ubnd"  # the item's other body, due the same day
TITLE = 'Yêu cầu giải trình chưa được trả lời (1; chờ lâu nhất lên trước; xem danh sách "Chờ giải trình"'
SUMMARY = "- Yêu cầu giải trình chưa được trả lời: 1"
HEADING = "Yêu cầu giải trình chưa được trả lời"


def _act(web: WebEnv, agency: str, at: tuple[date, int, int], action: Action, actor: str, comment: str) -> None:
    now = _at(*at)
    web.clock.set(now)
    with Session(web.engine) as session:
        act(session, web.assignment(ITEM, agency), Request(action, Actor.parse(actor), comment=comment), now=now)
        session.commit()


def _ask(web: WebEnv, agency: str, at: tuple[date, int, int]) -> None:
    """The chair asks ``agency`` why its part of II.1 (due Thursday 30/06/2022) is late."""
    _act(web, agency, at, Action.REQUEST_EXPLANATION, "chair", "Vì sao chậm?")


def _answer(web: WebEnv, agency: str, at: tuple[date, int, int]) -> None:
    _act(web, agency, at, Action.EXPLAIN, agency, "Chờ kinh phí được bố trí.")


def _queue(web: WebEnv) -> tuple[int, list[int]]:
    """The count and the rows' assignments of "Chờ giải trình" as its page shows them."""
    web.login()
    page = web.client.get(f"/board/{EXPLANATION_QUEUE}")
    assert page.status_code == 200
    count = re.search(r'<span id="queue-count">([^<]*)</span>', page.text)
    assert count is not None
    return shown_count(count.group(1)), [int(x) for x in re.findall(r'<tr data-id="(\d+)"', page.text)]


def test_an_unanswered_request_is_listed_with_its_day_and_the_working_days_it_waited(web: WebEnv) -> None:
    _ask(web, BODY, (date(2022, 7, 1), 9, 0))  # Friday; Monday is one working day later
    built = _built(web)
    target = web.assignment(ITEM, BODY)
    assert [row["assignment_id"] for row in built.data["explanations"]] == [target]
    assert built.data["counts"]["explain"] == 1
    text = re.sub(r"\s+", " ", built.body_text or "")
    assert SUMMARY in text and TITLE in text
    line = re.search(rf"- {re.escape(ITEM)} — [^;]*; Sở Nội vụ; yêu cầu ngày 01/07/2022; chờ 1 ngày làm việc", text)
    assert line is not None and "(mốc: " in line.group(0)
    assert "01/07/2022" in _said(built) and HEADING in (built.body_html or "")


def test_an_answered_request_is_not_listed(web: WebEnv) -> None:
    _ask(web, BODY, (date(2022, 7, 1), 9, 0))
    _ask(web, OTHER, (date(2022, 7, 1), 9, 5))
    _answer(web, OTHER, (date(2022, 7, 1), 15, 0))
    built = _built(web)
    assert [row["assignment_id"] for row in built.data["explanations"]] == [web.assignment(ITEM, BODY)]
    text = re.sub(r"\s+", " ", built.body_text or "")
    assert SUMMARY in text and "Văn phòng UBND tỉnh; yêu cầu ngày" not in text


def test_the_count_is_the_queue_pages_count_and_the_list_its_rows_oldest_first(
    web: WebEnv, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(digests, "EXPLANATIONS_LISTED", 1)  # the cap: the rest said in one line
    _ask(web, OTHER, (date(2022, 7, 1), 9, 0))
    _ask(web, BODY, (date(2022, 7, 1), 10, 0))
    built = _built(web)
    count, rows = _queue(web)
    assert built.data["counts"]["explain"] == count == 2
    assert [row["assignment_id"] for row in built.data["explanations"]] == rows[:1] == [web.assignment(ITEM, OTHER)]
    text = re.sub(r"\s+", " ", built.body_text or "")
    assert "- Yêu cầu giải trình chưa được trả lời: 2" in text and "… và 1 yêu cầu khác trong danh sách." in text
    with Session(web.engine) as session:  # the queue's own count, unfiltered
        queue = queue_by_slug(EXPLANATION_QUEUE)
        assert queue.count(session, web.clock.now(), web.clock, AssignmentFilter()) == count


def test_no_request_no_line(web: WebEnv) -> None:
    built = _built(web)
    assert built.data["explanations"] == [] and built.data["counts"]["explain"] == 0
    assert HEADING not in _said(built)


def test_a_request_answered_after_the_digest_was_built_is_not_listed_when_it_leaves(web: WebEnv) -> None:
    _ask(web, BODY, (date(2022, 7, 1), 9, 0))
    built = _built(web)
    assert HEADING in (built.body_text or "")
    _answer(web, BODY, (date(2022, 7, 4), 7, 45))
    _deliver(web, _at(date(2022, 7, 4), 8, 5))
    with Session(web.engine) as session:
        sent = session.get(Notification, built.id)
    assert sent is not None and sent.status == NotificationStatus.SENT
    assert sent.data["explanations"] == [] and sent.data["counts"]["explain"] == 0
    assert HEADING not in _sent(web, KEY)


def test_a_request_asked_after_the_digest_was_built_is_listed_when_it_leaves(web: WebEnv) -> None:
    built = _built(web)
    assert HEADING not in (built.body_text or "")
    _ask(web, BODY, (date(2022, 7, 4), 7, 50))
    _deliver(web, _at(date(2022, 7, 4), 8, 5))
    with Session(web.engine) as session:
        sent = session.get(Notification, built.id)
    assert sent is not None and sent.status == NotificationStatus.SENT
    assert [row["assignment_id"] for row in sent.data["explanations"]] == [web.assignment(ITEM, BODY)]
    assert TITLE in _sent(web, KEY) and "yêu cầu ngày 04/07/2022; chờ 0 ngày làm việc" in _sent(web, KEY)
