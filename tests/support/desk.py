"""Reading the secretariat's desk from its pages: the queue counts on the board's header, a
queue's rows, a list's rows (used by the desk tests and the replay check)."""

from __future__ import annotations

import re
from datetime import datetime

from fastapi.testclient import TestClient
from sqlmodel import Session

from dondoc.engine.clock import DEFAULT_DAYS
from dondoc.engine.services.assignment_filter import AssignmentFilter
from dondoc.engine.services.queues import QueueRow, queue_by_slug
from dondoc.engine.workcalendar import WorkCalendar


def header_counts(board_html: str) -> dict[str, int]:
    """Queue slug → the count the board's header shows."""
    found = re.findall(r'data-queue="([a-z-]+)"[^>]*>[^<]*: <strong>(\d+)</strong>', board_html)
    return {slug: int(n) for slug, n in found}


def table_rows(html: str, table_id: str) -> list[str]:
    """The ``data-id`` of each row of the table ``table_id``."""
    body = html.split(f'id="{table_id}"', 1)[1].split("</tbody>", 1)[0]
    return re.findall(r'<tr data-id="(\d+)"', body)


def queue_rows(client: TestClient, slug: str, query: str = "") -> list[str]:
    """Every row of a queue, page after page."""
    return _all_pages(client, f"/board/{slug}", query, "queue")


def list_rows(client: TestClient, query: str) -> list[str]:
    """Every row of the assignments list the filter ``query`` selects, page after page."""
    return _all_pages(client, "/board/assignments", query, "assignments")


def _all_pages(client: TestClient, path: str, query: str, table_id: str) -> list[str]:
    rows: list[str] = []
    page = 1
    while True:
        response = client.get(f"{path}?{query}{'&' if query else ''}page={page}")
        assert response.status_code == 200, response.text
        rows += table_rows(response.text, table_id)
        if 'rel="next"' not in response.text:
            return rows
        page += 1


def header_backlog(board_html: str) -> dict[str, int]:
    """Queue slug → the pre-tracking backlog the board's header says beside its count ("(+N tồn
    đọng)"), for a queue that keeps it apart and holds some (engine.services.queues.Queue.apart)."""
    found = re.findall(r'data-backlog="([a-z-]+)"[^>]*>\(\+<strong>(\d+)</strong> tồn đọng\)', board_html)
    return {slug: int(n) for slug, n in found}


def failed_mail_rows(session: Session, now: datetime) -> list[QueueRow]:
    """The rows of "Thư gửi lỗi" at ``now``, as its page and its exports read them, its count (the
    board's header) held to them."""
    queue = queue_by_slug("thu-loi")
    rows = queue.rows(session, now, WorkCalendar.default(), DEFAULT_DAYS, AssignmentFilter())
    assert queue.count(session, now, DEFAULT_DAYS, AssignmentFilter()) == len(rows)
    return rows
