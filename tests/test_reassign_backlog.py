"""The queue "Cần phân công lại" keeps the pre-tracking backlog apart, as the board does: on the
README's real start (tracking from 01/11/2026, the 2019–2022 plans, the 2025 reorganisation) 1,626 of
its 2,181 rows were work due before the tracking start that nobody chases, and the header's figure
buried the tracked work among them. Its page lists the tracked work, the backlog at ``?ton-dong=1``;
the header counts the first and says the second beside it; the exports and the secretariat's digest
agree with the page."""

from __future__ import annotations

import csv
import html
import io
import re
from datetime import date, datetime
from pathlib import Path

from openpyxl import load_workbook
from sqlmodel import Session, col, select

from dondoc.engine.clock import LOCAL_TZ
from dondoc.engine.models import Agency, Assignment, Milestone
from dondoc.engine.services.successions import apply_due_successions, pending_assignment_ids
from dondoc.engine.services.tracking import set_tracking_start
from dondoc.engine.settings import Settings
from dondoc.notifications import build_digests
from tests.factories import load_min_catalog
from tests.support.desk import header_backlog, header_counts, queue_rows
from tests.support.successions import succession_catalog, successions_yaml
from tests.support.web import WebEnv, csrf_of

SLUG = "can-phan-cong-lai"
START = date(2022, 7, 15)  # the split item's first milestone (30/06/2022) comes before it, its second after
BOX = re.compile(r'name="id" value="(\d+):(\d+)" form="bulk-reassign"')


def _split_after_start(web: WebEnv, tmp_path: Path, start: date = START) -> None:
    with Session(web.engine) as session:
        load_min_catalog(session, web.clock.now(), succession_catalog(tmp_path, successions_yaml("split")))
        set_tracking_start(session, start)
        session.commit()
    web.clock.set(datetime(2022, 8, 1, 9, 0, tzinfo=LOCAL_TZ))
    with Session(web.engine) as session:
        apply_due_successions(session, now=web.clock.now())
        session.commit()


def _due(web: WebEnv, ids: list[str]) -> list[date]:
    with Session(web.engine) as session:
        found = session.exec(select(Assignment.due_at).where(col(Assignment.id).in_([int(i) for i in ids]))).all()
    return [d.astimezone(LOCAL_TZ).date() for d in found if d is not None]


def _exported(web: WebEnv, query: str) -> tuple[list[list[str]], int]:
    text = web.client.get(f"/board/{SLUG}.csv{query}").content.decode("utf-8-sig")
    sheet = load_workbook(io.BytesIO(web.client.get(f"/board/{SLUG}.xlsx{query}").content)).active
    assert sheet is not None
    return list(csv.reader(io.StringIO(text)))[1:], sheet.max_row - 1


def test_the_queue_lists_the_tracked_work_and_the_backlog_apart(web: WebEnv, tmp_path: Path) -> None:
    _split_after_start(web, tmp_path)
    web.login()
    with Session(web.engine) as session:
        waiting = {str(i) for i in pending_assignment_ids(session)}
    tracked, backlog = queue_rows(web.client, SLUG), queue_rows(web.client, SLUG, "ton-dong=1")
    assert tracked and backlog and set(tracked) | set(backlog) == waiting and not set(tracked) & set(backlog)
    assert all(d >= START for d in _due(web, tracked)) and all(d < START for d in _due(web, backlog))
    # the header counts what the page lists by default, and says the backlog beside it, linked to it
    board = web.client.get("/board").text
    assert header_counts(board)[SLUG] == len(tracked) and header_backlog(board) == {SLUG: len(backlog)}
    assert f'href="/board/{SLUG}?ton-dong=1" data-backlog="{SLUG}"' in board
    # each part says the other's count, links to it, and keeps the switch in its forms and exports
    page, apart = web.client.get(f"/board/{SLUG}").text, web.client.get(f"/board/{SLUG}?ton-dong=1").text
    assert f'id="queue-count">{len(tracked)}<' in page and f'id="other-count">{len(backlog)}<' in page
    assert f'id="queue-count">{len(backlog)}<' in apart and f'id="other-count">{len(tracked)}<' in apart
    assert 'id="part-backlog"' in page and 'id="part-tracked"' in apart and 'id="backlog-note"' in apart
    assert '<input type="hidden" name="ton-dong" value="1">' in apart and "ton-dong" not in page.split('id="filter"')[1]
    assert f'href="/board/{SLUG}.csv?ton-dong=1"' in apart and f'href="/board/{SLUG}.csv"' in page
    # the exports: exactly what the page shows, switch and filter alike
    for query, rows in (("", tracked), ("?ton-dong=1", backlog)):
        exported, sheet_rows = _exported(web, query)
        assert len(exported) == sheet_rows == len(rows), query
    assert _exported(web, "?ton-dong=1&agency=so-noi-vu") == ([], 0)
    # a value the switch does not take is refused in one sentence, on the page and the export
    for url in (f"/board/{SLUG}?ton-dong=2", f"/board/{SLUG}.csv?ton-dong=x"):
        refused = web.client.get(url)
        assert refused.status_code == 422 and '"Việc tồn đọng" (ton-dong) không nhận giá trị' in html.unescape(
            refused.text
        ), url
    assert web.client.get("/board/cho-xac-nhan?ton-dong=1").status_code == 422  # a queue with no backlog apart


def test_backlog_rows_are_decided_as_the_tracked_ones_row_by_row_and_in_bulk(web: WebEnv, tmp_path: Path) -> None:
    _split_after_start(web, tmp_path, date(2022, 11, 16))  # both milestones of the split item before it
    web.login()
    backlog, tracked = queue_rows(web.client, SLUG, "ton-dong=1"), queue_rows(web.client, SLUG)
    assert len(backlog) >= 2
    first = int(backlog[0])
    form = web.form(f"/board/{SLUG}?ton-dong=1", first)
    done = web.client.post(f"/board/{SLUG}/{first}", data={**form, "agency": "so-vhttdl"})
    # back to the part it was listed in
    assert done.status_code == 303 and done.headers["location"] == f"/board/{SLUG}?ton-dong=1&done={first}"
    assert 'class="flash"' in web.client.get(done.headers["location"]).text
    page = web.client.get(f"/board/{SLUG}?ton-dong=1").text
    ticked = [f"{i}:{v}" for i, v in BOX.findall(page)]
    assert len(ticked) == len(backlog) - 1 and 'id="bulk-reassign"' in page
    back = f"/board/{SLUG}?ton-dong=1"
    bulk = {"csrf": csrf_of(page), "action": "reassign", "back": back, "id": ticked, "agency": "so-khcn"}
    assert web.client.post("/board/bulk", data=bulk).status_code == 200
    with Session(web.engine) as session:
        holders = session.exec(
            select(Assignment.id, Agency.code)
            .join(Agency, col(Agency.id) == col(Assignment.agency_id))
            .where(col(Assignment.id).in_([int(i) for i in backlog]))
        ).all()
    assert dict(holders) == {first: "so-vhttdl"} | {int(t.split(":")[0]): "so-khcn" for t in ticked}
    assert queue_rows(web.client, SLUG, "ton-dong=1") == [] and queue_rows(web.client, SLUG) == tracked
    assert header_backlog(web.client.get("/board").text) == {}


def test_the_secretariats_digest_counts_and_lists_the_tracked_work_and_says_the_backlog_apart(
    session: Session, tmp_path: Path
) -> None:
    load_min_catalog(
        session, datetime(2022, 3, 1, 8, tzinfo=LOCAL_TZ), succession_catalog(tmp_path, successions_yaml("split"))
    )
    set_tracking_start(session, START)
    session.commit()
    apply_due_successions(session, now=datetime(2022, 8, 1, 9, tzinfo=LOCAL_TZ))
    session.commit()
    waiting = pending_assignment_ids(session)
    due = dict(
        session.exec(
            select(Assignment.id, Milestone.label)
            .join(Milestone, col(Milestone.id) == col(Assignment.milestone_id))
            .where(col(Assignment.id).in_(waiting))
        ).all()
    )
    settings = Settings(_env_file=None, demo=True, base_url="http://dondoc.test", maildrop_dir=tmp_path)  # type: ignore[call-arg]
    now = datetime(2022, 8, 2, 7, 30, tzinfo=LOCAL_TZ)
    (digest,) = [d for d in build_digests(session, now=now, settings=settings) if d.recipient_role == "secretariat"]
    counts, listed = digest.data["counts"], digest.data["reassignments"]
    backlog = sum(1 for label in due.values() if label == "Phê duyệt cấp độ")  # due 30/06/2022
    assert backlog and counts["reassign"] == len(waiting) - backlog and counts["reassign_backlog"] == backlog
    assert len(listed) == counts["reassign"] and {r["milestone_label"] for r in listed} == {"Triển khai phương án"}
    text = " ".join((digest.body_text or "").split())
    assert f"- Phần việc chờ phân công lại: {counts['reassign']} (ngoài ra {backlog} phần việc tồn đọng" in text
    assert 'ở mục "Việc tồn đọng" của danh sách) - Thư không gửi được' in text  # its own line
    assert f"Phần việc chờ phân công lại ({counts['reassign']}; cũ nhất lên trước)" in text
    assert f"{counts['reassign']} phần việc chờ phân công lại" in (digest.subject or "")
