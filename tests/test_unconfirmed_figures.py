"""Nothing is counted against a body on a guess, and nothing is left out silently: a part given
through an inferred group the secretariat has not confirmed (engine.models.assignments.unconfirmed)
is in no rate, ranking or report count (engine.reports.counted), and every figure that leaves it out
says how many and why; once confirmed, it counts as any other, on its own dates. The leaders' page
says how many overdue parts it does not list."""

from __future__ import annotations

import html
import re
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import update
from sqlmodel import Session, col

from dondoc.engine.actors import Actor
from dondoc.engine.clock import LOCAL_TZ, FrozenClock
from dondoc.engine.models import Assignment, PlanItem
from dondoc.engine.reports.data import build_report
from dondoc.engine.reports.labels import period_notes
from dondoc.engine.reports.rates import agency_rates
from dondoc.engine.services.assignments import Request, act
from dondoc.engine.services.web_queries import board_summary
from dondoc.engine.workflow import Action
from tests.factories import assignment_for, load_min_catalog
from tests.support.web import ITEM, WebEnv
from tests.test_inferred_membership import GROUP_NAME, _catalog

JULY = datetime(2022, 7, 20, 10, 0, tzinfo=LOCAL_TZ)  # II.1 was due on 30/06; nobody acted
SECRETARIAT = Actor.parse("secretariat")
SAID = f"giao theo cách hiểu của Tổ giúp việc về nhóm «{GROUP_NAME}», chưa xác nhận giao"


@pytest.fixture
def unsure(session: Session, clock: FrozenClock, tmp_path: Path) -> int:
    """Sở Nội vụ's part of II.1, reached through the inferred members' group alone."""
    load_min_catalog(session, clock.now(), _catalog(tmp_path))
    session.commit()
    part = assignment_for(session, ITEM, "so-noi-vu")
    assert part.inferred_group == "thanh-vien-bcd" and part.membership_confirmed_at is None
    return part.id or 0


def _confirm(session: Session, part: int, now: datetime) -> None:
    act(session, part, Request(Action.CONFIRM_MEMBERSHIP, SECRETARIAT, comment="QĐ 1742"), now=now)
    session.commit()


def test_the_rates_leave_an_unconfirmed_part_out_say_so_and_count_it_once_confirmed(
    session: Session, unsure: int
) -> None:
    def year(now: datetime) -> dict[str, tuple[int, int, int]]:
        rates = agency_rates(session, start=date(2022, 1, 1), end=date(2022, 12, 31), now=now)
        return {r.agency_code: (r.tasks_due, r.tasks_overdue, r.tasks_unconfirmed) for r in rates}

    before = year(JULY)
    due, overdue, apart = before["so-noi-vu"]
    assert apart == 1  # said beside the rate, in no count of it
    assert before["ubnd-binh-son"][1] >= 1 and before["ubnd-binh-son"][2] == 0  # a sure group: counted
    due_at = session.get_one(Assignment, unsure).due_at
    _confirm(session, unsure, JULY)
    # counted as any other part from the day it was given: late since 30/06, not since the confirmation
    assert year(JULY)["so-noi-vu"] == (due + 1, overdue + 1, 0)
    assert session.get_one(Assignment, unsure).due_at == due_at


def test_the_boards_rate_leaves_an_unconfirmed_part_out_and_counts_it(session: Session, unsure: int) -> None:
    def row(now: datetime) -> tuple[int, int, int]:
        (found,) = [r for r in board_summary(session, now).agencies if r.code == "so-noi-vu"]
        return found.rated_on_time, found.rated_due, found.unconfirmed

    on_time, due, apart = row(JULY)
    assert apart == 1
    _confirm(session, unsure, JULY)
    assert row(JULY) == (on_time, due + 1, 0)


def test_the_periodic_report_says_what_its_rates_leave_out_and_marks_the_part(session: Session, unsure: int) -> None:
    data = build_report(session, period_code="2022-H1", now=JULY)
    (body,) = [a for a in data.by_agency if a.code == "so-noi-vu"]
    assert body.rates.tasks_unconfirmed == 1
    left_out = sum(a.rates.tasks_unconfirmed + a.rates.reports_unconfirmed for a in data.by_agency)
    notes = period_notes(data)  # every body reached through the group alone: Sở Nội vụ among them
    assert any(note.startswith(f"Không tính {left_out} phần việc {SAID}") for note in notes), notes
    (listed,) = [o for o in data.overdue if o.item_code == ITEM and o.agency_code == "so-noi-vu"]
    assert "chưa xác nhận giao" in listed.role_words and GROUP_NAME in listed.role_words
    _confirm(session, unsure, JULY)
    data = build_report(session, period_code="2022-H1", now=JULY)
    said = [note for note in period_notes(data) if "chưa xác nhận giao" in note]
    assert said == [] if left_out == 1 else said[0].startswith(f"Không tính {left_out - 1} phần việc {SAID}")
    (listed,) = [o for o in data.overdue if o.item_code == ITEM and o.agency_code == "so-noi-vu"]
    assert listed.role_words == listed.role_label


def _mark(web: WebEnv) -> int:
    """The web catalog has no inferred group: Sở Nội vụ's part of II.1 is marked as resting on one."""
    part = web.assignment(ITEM, "so-noi-vu")
    with Session(web.engine) as session:
        session.execute(update(Assignment).where(col(Assignment.id) == part).values(inferred_group="so-ban-nganh"))
        session.execute(update(PlanItem).values(priority=False))
        session.commit()
    web.clock.set(JULY)
    return part


def _note(page: str, note_id: str) -> str | None:
    if f'id="{note_id}"' not in page:
        return None
    return html.unescape(page.split(f'id="{note_id}">', 1)[1].split("</p>", 1)[0])


def _overdue_cell(board: str, agency: str) -> str:
    """The text of the board's "Đang quá hạn" cell of ``agency`` (its fifth cell)."""
    row = board.split(f'data-agency="{agency}">', 1)[1].split("</tr>", 1)[0]
    cell = row.split("<td", 5)[5].split("</td>", 1)[0]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", cell.split(">", 1)[1])).split())


def test_the_pages_say_how_many_parts_they_leave_out_and_why(web: WebEnv) -> None:
    part = _mark(web)
    said = "giao theo cách hiểu của Tổ giúp việc về nhóm «Các sở, ban, ngành», chưa xác nhận giao"
    web.login()
    board = web.client.get("/board").text
    assert _note(board, "rate-unconfirmed") == f"Không tính 1 phần việc {said}, vào tỷ lệ đúng hạn."
    # the overdue column and tile count the part where its category puts it, and say so
    assert _note(board, "overdue-unconfirmed-note") == (
        f'Cột "Đang quá hạn" và ô "Đang thực hiện quá hạn" có tính 1 phần việc quá hạn {said} (xác nhận hoặc '
        'hủy ở mục "Chờ xác nhận giao").'
    )
    assert _overdue_cell(board, "so-noi-vu").endswith("trong đó 1 chưa xác nhận giao")
    leaders = web.client.get(f"/leaders/{web.link('leader:chair')}").text
    overdue = _note(leaders, "overdue-unconfirmed")
    assert (overdue or "").startswith(f"Không nêu 1 phần việc quá hạn {said}: Tổ giúp việc đang xác nhận")
    assert f"Không tính 1 phần việc {said}, vào tỷ lệ năm 2022." in (_note(leaders, "ranking-unconfirmed") or "")
    reports = web.client.get("/board/reports").text
    assert _note(reports, "rates-unconfirmed") == f"Không tính 1 phần việc {said}, vào các tỷ lệ."
    with Session(web.engine) as session:
        _confirm(session, part, JULY)
    board = web.client.get("/board").text
    leaders = web.client.get(f"/leaders/{web.link('leader:chair')}").text
    assert _note(board, "rate-unconfirmed") is None and _note(leaders, "overdue-unconfirmed") is None
    assert _note(board, "overdue-unconfirmed-note") is None
    assert "chưa xác nhận giao" not in _overdue_cell(board, "so-noi-vu")
    assert _note(leaders, "ranking-unconfirmed") is None
    assert f'data-id="{part}"' in leaders.split('id="qua-han"', 1)[1]  # listed once confirmed


def test_the_leaders_periodic_report_mail_counts_no_part_given_on_a_guess_and_says_how_many(
    session: Session, unsure: int
) -> None:
    """The leaders are not told of a part given on a guess: the periodic report's mail to them neither
    counts it overdue nor names its body among those most behind, and says how many it leaves out,
    in the overdue figure and in the rate; once confirmed, it is counted as any other."""
    from dondoc.engine.role_words import lead_words
    from dondoc.engine.settings import Settings
    from dondoc.notifications.context import common_context
    from dondoc.notifications.render import render
    from dondoc.report_job import summary

    roles = ("lead", "implementer")

    def mailed() -> tuple[dict[str, object], str]:
        data = build_report(session, period_code="2022-H1", now=JULY)
        rates = agency_rates(session, start=data.start, end=data.end, now=JULY, roles=roles)
        told = summary(data, roles, rates, None, lead_words(session))
        facts = {
            "period_label": data.period_label,
            "as_of": "20/07/2022",
            "cutoff": None,
            "attachment_name": "bao-cao-6-thang-dau-nam-2022.xlsx",
            "summary": told,
            "sent_on": "20/07/2022",
            "tracking_start": None,
            "earlier": None,
        }
        context = {**common_context("chair", None, settings=Settings(demo=True)), **facts, "link": "https://x"}
        return told, " ".join(render("periodic_report", context).text.split())

    told, text = mailed()
    guessed = told["overdue_unconfirmed"]
    apart = told["unconfirmed"]
    assert isinstance(guessed, int) and guessed >= 1 and isinstance(apart, int) and apart >= 1
    assert f"chưa xác nhận giao, không tính ở trên: {guessed}" in text
    assert f"về nhóm «{GROUP_NAME}», chưa xác nhận giao, không tính tỷ lệ (của cơ quan" in text
    overdue = told["overdue"]
    _confirm(session, unsure, JULY)
    after, text = mailed()
    assert after["overdue"] == overdue + 1 and after["overdue_unconfirmed"] == guessed - 1
    assert after["unconfirmed"] == apart - 1


def test_the_leaders_trend_counts_what_their_lists_and_ranking_count(web: WebEnv) -> None:
    """The chair's weekly trend is of what the leaders are told of: a part given on a guess is in
    neither its past weeks nor its point of now, as it is in neither their lists nor their ranking;
    once confirmed, it is in all of them (confirmation read as the row stands, as the rates read it)."""
    import re

    from dondoc.engine.reports.trend import weekly_trend

    part = _mark(web)
    roles = ("lead", "implementer")

    def page() -> tuple[int, int]:
        html_text = web.client.get(f"/leaders/{web.link('leader:chair')}").text
        ranking = html_text.split('id="ranking"', 1)[1].split("</table>", 1)[0]
        ranked = sum(int(n) for n in re.findall(r'data-label="Đang quá hạn">(\d+)<', ranking))
        svg = html_text.split('<figure class="chart trend">', 1)[1].split("</figure>", 1)[0]
        (legend,) = set(re.findall(r"Đang quá hạn \(tại từng thời điểm, việc của mọi năm\): (\d+)<", svg))
        return ranked, int(legend)

    def week() -> int:  # the week of 11–17/07/2022: II.1 overdue since 30/06
        with Session(web.engine) as session:
            points = weekly_trend(session, year=2022, now=JULY, roles=roles)
        return [p.overdue for p in points if p.at.date() == date(2022, 7, 17)][0]

    ranked, legend = page()
    assert ranked == legend
    caption = web.client.get(f"/leaders/{web.link('leader:chair')}").text.split("<figcaption>", 1)[1]
    said = "không tính phần việc cơ quan nhận qua nhóm suy đoán mà Tổ giúp việc chưa xác nhận giao"
    assert said in caption.split("</figcaption>", 1)[0]  # the chart says what it leaves out, as the lists do
    before = week()
    with Session(web.engine) as session:
        _confirm(session, part, JULY)
    web.clock.set(JULY.replace(minute=5))  # a new instant: the page's trend is read again
    assert page() == (ranked + 1, legend + 1)
    assert week() == before + 1


MEMBERS_REPORT = """
reporting:
  - code: "99/KH-TEST:III.bao-cao-thanh-vien"
    title: "Báo cáo quý của các thành viên Ban Chỉ đạo"
    source: "Mục III"
    reporters: ["@thanh-vien-bcd"]
    recipient: so-tttt
    period: quarter
    due_day: 20
    first_period: "2022-Q2"
    last_period: "2022-Q2"
"""


def test_the_leaders_mail_counts_no_report_owed_on_a_guess_among_those_not_sent(
    session: Session, clock: FrozenClock, tmp_path: Path
) -> None:
    """The year 2022's mail said "Báo cáo định kỳ của kỳ: 10 gửi trễ, 44 quá hạn chưa gửi", and its
    subject "80 phần việc quá hạn; 44 báo cáo …", where 19 of the 44 were reports of the members'
    group the secretariat had inferred and not confirmed (the workbook's column by body summed to 25,
    and the same 19 were in the mail's "không tính ở trên: 23"): they are said apart, and the report's
    list marks them."""
    from dondoc.engine.reports.render import render as render_report
    from dondoc.report_job import summary

    directory = _catalog(tmp_path)
    plan = directory / "plans" / "test-plan.yaml"
    plan.write_text(plan.read_text(encoding="utf-8") + MEMBERS_REPORT, encoding="utf-8")
    load_min_catalog(session, clock.now(), directory)
    session.commit()
    data = build_report(session, period_code="2022-Q2", now=JULY)
    owed = [d for d in data.duties if d.item_code == "99/KH-TEST:III.bao-cao-thanh-vien"]
    assert owed and all(d.status == "missing" and d.unconfirmed_group == GROUP_NAME for d in owed)
    roles = ("lead", "implementer")
    rates = agency_rates(session, start=data.start, end=data.end, now=JULY, roles=roles)
    told = summary(data, roles, rates)
    sure = [d for d in data.duties if not d.unconfirmed_group]
    assert told["reports_missing"] == sum(1 for d in sure if d.status == "missing")
    assert told["reports_unconfirmed"] == len(owed)
    # as the workbook's columns by body count them
    assert told["reports_missing"] == sum(a.rates.reports_missing for a in data.by_agency)
    markdown = render_report(data, "md").decode("utf-8")
    assert f"; chưa xác nhận giao (theo cách hiểu của Tổ giúp việc về nhóm «{GROUP_NAME}»)" in markdown
    from dondoc.engine.settings import Settings
    from dondoc.notifications.context import common_context
    from dondoc.notifications.render import render as render_mail

    facts = {
        "period_label": data.period_label,
        "as_of": "20/07/2022",
        "cutoff": None,
        "attachment_name": "bao-cao-quy-ii-2022.xlsx",
        "summary": told,
        "sent_on": "20/07/2022",
        "tracking_start": None,
        "earlier": None,
    }
    context = {**common_context("chair", None, settings=Settings(demo=True)), **facts, "link": "https://x"}
    text = render_mail("periodic_report", context).text
    line = next(x for x in text.splitlines() if x.startswith("- Báo cáo định kỳ của kỳ:"))
    assert line.endswith(f"quá hạn chưa gửi (không kể {len(owed)} báo cáo gửi trễ hoặc chưa gửi {SAID})"), line
