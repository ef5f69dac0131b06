"""Every count of the secretariat's digest equals its rows or says in words what the others are (the
2022 replay: all 355 secretariat digests stated a count their rows did not match, unexplained)."""

from __future__ import annotations

import html
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import update
from sqlmodel import Session, col, select

from dondoc import jobs
from dondoc.engine.clock import LOCAL_TZ
from dondoc.engine.models import Assignment, Notification
from dondoc.engine.services.successions import apply_due_successions
from dondoc.engine.services.tracking import set_tracking_start
from dondoc.engine.settings import Settings
from dondoc.notifications import build_digests
from dondoc.notifications.render import render
from tests.factories import load_min_catalog
from tests.support.successions import succession_catalog, successions_yaml
from tests.support.web import WebEnv


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=LOCAL_TZ)


def test_the_unacknowledged_count_says_what_its_list_leaves_out(web: WebEnv) -> None:
    """Work given and not acknowledged reaches the secretariat at 5 working days (policy
    chua-tiep-nhan-5); the digest's count is all of it, the list only what was chased, and the rest
    is said: work given lately, not yet due to be reported to the secretariat, and work given long
    before the ladder's first pass, whose rung came before it (a 2019 plan's 53 parts, never chased)."""
    with Session(web.engine) as session:
        ids = list(session.exec(select(Assignment.id).where(Assignment.state == "assigned")))
        old, ancient, young = ids[:1], ids[1:2], ids[2:]
        assert old and ancient and young
        session.execute(update(Assignment).where(Assignment.id.in_(old)).values(assigned_at=_at(date(2022, 3, 1), 9)))
        given = _at(date(2019, 4, 10), 9)
        session.execute(update(Assignment).where(Assignment.id.in_(ancient)).values(assigned_at=given))
        session.execute(update(Assignment).where(Assignment.id.in_(young)).values(assigned_at=_at(date(2022, 3, 9), 9)))
        session.commit()
    for day in (date(2022, 3, 9), date(2022, 3, 10)):  # 01/03 + 5 working days: 08/03, decided at 09/03's sweep
        web.clock.set(_at(day, 7, 5))
        jobs.run_sweep(web.engine, now=web.clock.now(), settings=web.settings)
    web.clock.set(_at(date(2022, 3, 10), 7, 30))
    jobs.run_digests(web.engine, now=web.clock.now(), settings=web.settings)
    with Session(web.engine) as session:
        digest = session.exec(select(Notification).where(Notification.kind == "digest_secretariat")).one()
        counts, text = digest.data["counts"], " ".join(digest.body_text.split())
        section = next(s for s in digest.data["sections"] if s["kind"] == "unacknowledged")
        assert [row["assignment_id"] for row in section["rows"]] == old
        assert counts["unacknowledged"] == len(ids), text
        assert section["rest"] == {
            "reassign": 0,
            "young": len(young),
            "snoozed": 0,
            "waiting": 0,
            "untold": 0,
            "before": 1,
            "other": 0,
        }
        said = (
            f"Phần việc đã giao, chưa được tiếp nhận — đã đôn đốc (1; {len(young)} phần việc khác mới giao,"
            " chưa đủ 5 ngày làm việc (nhiệm vụ trọng tâm: 3) để báo Tổ giúp việc; 1 phần việc khác giao từ trước"
            " khi hệ thống bắt đầu đôn đốc, chưa từng được nhắc tiếp nhận)"
        )
        assert said in text, text
        assert said in " ".join(digest.body_html.split())


def _render_secretariat(sections: list[dict[str, Any]], counts: dict[str, int]) -> Any:
    common = {"recipient_name": "X", "salutation": "X", "recipient_label": "", "link": "https://d.example/x"}
    context = {"recipient_role": "secretariat", "day": "30/12/2022", "failed": [], "link_days": 30}
    return render("digest_secretariat", {**common, **context, "sections": sections, "counts": counts})


ROW = {"item_code": "99/KH-TEST:II.1", "item_title": "Phân loại", "agency_name": "Sở Nội vụ", "due_date": "30/06/2022"}


def test_a_count_whose_section_has_no_rows_still_says_what_it_counts() -> None:
    """30/12/2022: "Báo cáo chờ xác nhận: 23" over no section at all (no report had waited long
    enough to be listed); and an unacknowledged count over no rows, its rest said in words."""
    counts = {"unacknowledged": 2, "overdue": 0, "report_unverified": 23, "listed": 0, "failed": 0}
    rest = {"young": 2, "snoozed": 0, "waiting": 0, "untold": 0, "before": 0, "other": 0}
    sections = [
        {"kind": "unacknowledged", "count": 0, "rows": [], "rest": rest, "rungs": [5, 3]},
        {"kind": "overdue", "count": 0, "rows": []},
        {"kind": "report_unverified", "count": 0, "rows": []},
    ]
    mail = _render_secretariat(sections, counts)
    for body in (" ".join(mail.text.split()), " ".join(mail.html.split())):
        assert "Báo cáo chờ xác nhận — chờ lâu, cần Tổ giúp việc xác nhận (0; 23 báo cáo mới gửi, chưa đến lúc" in body
        said = "(0; 2 phần việc mới giao, chưa đủ 5 ngày làm việc (nhiệm vụ trọng tâm: 3) để báo Tổ giúp việc)"
        assert said in body, body
        assert "Phần việc quá hạn chưa báo cáo —" not in body  # nothing counted, nothing to say
    assert "<table" not in mail.html.split("Báo cáo chờ xác nhận —", 1)[1].split("Xem bảng", 1)[0]


def test_a_part_in_both_lists_is_said_once_to_be_counted_in_both() -> None:
    """Given, never acknowledged, now overdue: true in both lists and in both counts; the overdue
    list says how many of its rows the unacknowledged list has too (14 on 30/12/2022)."""
    both = {**ROW, "assignment_id": 7, "working_days_overdue": 3}
    counts = {"unacknowledged": 1, "overdue": 1, "report_unverified": 0, "listed": 2, "failed": 0}
    rest = dict.fromkeys(("young", "snoozed", "waiting", "untold", "before", "other"), 0)
    sections = [
        {"kind": "unacknowledged", "count": 1, "rows": [both], "rest": rest, "rungs": [5, 3]},
        {"kind": "overdue", "count": 1, "rows": [both], "also_unacknowledged": 1},
    ]
    mail = _render_secretariat(sections, counts)
    for body in (" ".join(mail.text.split()), " ".join(mail.html.split())):
        assert "Phần việc quá hạn chưa báo cáo — đã đôn đốc (1; trong đó 1 phần việc cũng ở danh sách chưa được" in body
        assert body.count("cũng ở danh sách chưa được tiếp nhận") == 1


def test_unacknowledged_work_waiting_for_a_body_is_said_as_such_before_the_rest() -> None:
    """01/07/2025: "chưa được tiếp nhận: 92" listed a part of Sơn Tây (ended on 30/06) as chased, and told
    33 more of ended districts as given before the ladder began: each waits in "Cần phân công lại",
    counted there too. The listed one is said once, as the overdue list says its own; the others
    first among the rest, whatever else is true of them."""
    ended = {**ROW, "assignment_id": 7, "agency_name": "UBND thị xã Sơn Tây", "working_days_overdue": None}
    ended["waiting_transfer"] = True
    counts = {"unacknowledged": 92, "overdue": 0, "report_unverified": 0, "listed": 1, "failed": 0, "reassign": 40}
    rest = {"reassign": 33, "young": 15, "snoozed": 0, "waiting": 0, "untold": 0, "before": 43, "other": 0}
    sections = [
        {"kind": "unacknowledged", "count": 1, "rows": [ended], "rest": rest, "rungs": [5, 3], "also_reassign": 1},
        {"kind": "overdue", "count": 0, "rows": []},
    ]
    mail = _render_secretariat(sections, counts)
    said = (
        "Phần việc đã giao, chưa được tiếp nhận — đã đôn đốc (1; trong đó 1 phần việc của cơ quan đã thôi hoạt"
        " động cũng ở mục «Phần việc chờ phân công lại» dưới đây; mỗi phần việc được tính trong số của mọi danh"
        " sách có nó;"
        " 33 phần việc khác của cơ quan đã thôi hoạt động, chờ phân công lại (mục dưới); 15 phần việc khác mới"
        " giao, chưa đủ 5 ngày làm việc (nhiệm vụ trọng tâm: 3) để báo Tổ giúp việc; 43 phần việc khác giao từ"
        " trước khi hệ thống bắt đầu đôn đốc, chưa từng được nhắc tiếp nhận)"
    )
    for body in (" ".join(mail.text.split()), " ".join(mail.html.split())):
        assert said in body, body


def test_a_row_decided_before_its_part_passed_on_says_whom_it_was_received_from() -> None:
    """06/03/2025: Sở KH&CN, named on 05/03, under "— đã đôn đốc" for a rung of October 2024 that had
    chased Sở TT&TT: the row says the secretariat was told while the part was with the body before."""
    moved = {"told": "20/10/2024", "from": "Sở Thông tin và Truyền thông", "on": "05/03/2025"}
    row = {**ROW, "assignment_id": 7, "agency_name": "Sở Khoa học và Công nghệ", "working_days_overdue": None}
    row["passed_after"] = moved
    counts = {"unacknowledged": 1, "overdue": 0, "report_unverified": 0, "listed": 1, "failed": 0}
    sections = [{"kind": "unacknowledged", "count": 1, "rows": [row], "rest": {}, "rungs": [5, 3]}]
    mail = _render_secretariat(sections, counts)
    said = (
        "Tổ giúp việc được báo ngày 20/10/2024, khi phần việc còn ở cơ quan trước; "
        "nhận chuyển giao từ Sở Thông tin và Truyền thông ngày 05/03/2025"
    )
    assert f"; Sở Khoa học và Công nghệ ({said}); hạn 30/06/2022" in " ".join(mail.text.split())
    assert f"Sở Khoa học và Công nghệ<br><small>{said}</small></td>" in " ".join(mail.html.split())


def test_rows_in_two_other_lists_are_said_in_one_clause() -> None:
    """03/03/2025: the overdue heading said "trong đó …; mỗi phần việc được tính trong số của mọi danh sách có nó" twice
    in a row, once for the unacknowledged list and once for "Cần phân công lại": one clause now."""
    both = {**ROW, "assignment_id": 7, "working_days_overdue": 3, "waiting_transfer": True}
    other = {**ROW, "assignment_id": 8, "working_days_overdue": 4}
    counts = {"unacknowledged": 1, "overdue": 2, "report_unverified": 0, "listed": 3, "failed": 0, "reassign": 1}
    rest = dict.fromkeys(("reassign", "young", "snoozed", "waiting", "untold", "before", "other"), 0)
    sections = [
        {"kind": "unacknowledged", "count": 1, "rows": [other], "rest": rest, "rungs": [5, 3]},
        {"kind": "overdue", "count": 2, "rows": [both, other], "also_unacknowledged": 1, "also_reassign": 1},
    ]
    mail = _render_secretariat(sections, counts)
    said = (
        "Phần việc quá hạn chưa báo cáo — đã đôn đốc (2; trong đó 1 phần việc cũng ở danh sách chưa được tiếp nhận"
        " ở trên (đã giao, chưa tiếp nhận, nay quá hạn) và 1 phần việc của cơ quan đã thôi hoạt động cũng ở mục"
        " «Phần việc chờ phân công lại» dưới đây; mỗi phần việc được tính trong số của mọi danh sách có nó)"
    )
    for body in (" ".join(mail.text.split()), " ".join(mail.html.split())):
        assert said in body, body
        assert body.count("mỗi phần việc được tính trong số của mọi danh sách có nó") == 1


def test_a_row_received_late_says_whom_from_once() -> None:
    """06/03/2025: Sở KH&CN's row said "tiếp nhận từ Sở Thông tin và Truyền thông" twice: in the note on
    the secretariat's earlier notice, and in its lateness ("kể từ ngày nhận chuyển giao … (nhận chuyển giao từ …)")."""
    moved = {"told": "08/10/2024", "from": "Sở Thông tin và Truyền thông", "on": "05/03/2025"}
    row = {**ROW, "assignment_id": 7, "agency_name": "Sở Khoa học và Công nghệ", "working_days_overdue": 45}
    row |= {"passed_after": moved, "received_from": moved["from"], "received_date": moved["on"]}
    row["days_since_received"] = 1
    counts = {"unacknowledged": 0, "overdue": 1, "report_unverified": 0, "listed": 1, "failed": 0}
    sections = [{"kind": "overdue", "count": 1, "rows": [row]}]
    mail = _render_secretariat(sections, counts)
    for body in (" ".join(mail.text.split()), " ".join(html.unescape(mail.html).split())):
        assert "Tổ giúp việc được báo ngày 08/10/2024, khi phần việc còn ở cơ quan trước" in body, body
        assert body.count("nhận chuyển giao từ Sở Thông tin và Truyền thông") == 1, body


def test_the_unacknowledged_count_says_the_backlog_it_leaves_out(session: Session, tmp_path: Path) -> None:
    """The figure counts the tracked work only; the work due before the tracking start and never
    acknowledged is said beside it, counted at the digest's instant (a 2022 replay's digest of 07/01
    said "chưa được tiếp nhận: 51" with no word of 66 such parts of 61/KH-UBND)."""
    start = date(2022, 7, 15)  # the minimal catalog's milestones of 30/06/2022 fall before it
    # a body split on 01/08: its work waits in "Cần phân công lại", which makes a digest that day
    load_min_catalog(session, _at(date(2022, 3, 1), 8), succession_catalog(tmp_path, successions_yaml("split")))
    set_tracking_start(session, start)
    session.commit()
    apply_due_successions(session, now=_at(date(2022, 8, 1), 9))
    session.commit()
    now = _at(date(2022, 8, 2), 7, 30)
    settings = Settings(_env_file=None, demo=True, base_url="http://dondoc.test", maildrop_dir=tmp_path)  # type: ignore[call-arg]
    given = session.exec(select(Assignment).where(Assignment.state == "assigned", col(Assignment.assigned_at) <= now))
    before = [a for a in given if a.due_at is not None and a.due_at.astimezone(LOCAL_TZ).date() < start]
    assert before  # the case itself: work never acknowledged, due before the start
    (digest,) = [d for d in build_digests(session, now=now, settings=settings) if d.recipient_role == "secretariat"]
    counts = digest.data["counts"]
    assert counts["unacknowledged_backlog"] == len(before) and counts["backlog"] >= len(before)
    said = (
        f"chưa được tiếp nhận: {counts['unacknowledged']} (không kể {len(before)} phần việc có hạn trước ngày bắt"
        " đầu theo dõi chưa được tiếp nhận: không nhắc tiếp nhận,"
    )
    assert said in " ".join((digest.body_text or "").split())
