"""A part due in a period counts, in every rate, for the body that held it on its date, on both
databases (engine.services.transfer_origins.holders_on_their_dates): the report of any period that
holds the date, the rates page, the leaders' ranking and the board's rate alike.

The 2022 replay with Sở TN&MT merged into Sở NN&MT on 01/10/2022: Sở TN&MT's report of Quý I, due
21/03 and never sent, was charged to Sở TN&MT in the six-month report (0/1) and to Sở NN&MT in the
year's (0/2), where Sở TN&MT read 100 % with nothing late: a body that did not exist on 21/03 blamed
for missing it, and the two reports contradicting each other. The mails already said such work was
"nhận chuyển giao sau thời hạn", its lateness counted from the day received."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from sqlmodel import Session, col, select

from dondoc.engine.actors import SECRETARIAT, Actor
from dondoc.engine.clock import LOCAL_TZ, LocalDays
from dondoc.engine.models import Agency, Assignment, Milestone, PlanItem
from dondoc.engine.reports import build_report
from dondoc.engine.reports.rates import AgencyRates, agency_rates, due_rows
from dondoc.engine.services.assignments import Request, act
from dondoc.engine.services.web_queries import board_summary
from dondoc.engine.workflow import Action
from tests.factories import assignment_for
from tests.support.catalogs import QUARTERLY, REPORTING, edit, notice_plan, report_catalog
from tests.support.successions import NEW_AGENCIES, PLAN, apply, at, load, succession_catalog, successions_yaml

LOCAL = LocalDays(LOCAL_TZ)
OLD, NEW = "vp-ubnd", "vp-ubnd-moi"  # renamed on 01/10/2022
II_1 = "99/KH-TEST:II.1"  # VP UBND implements it: due 30/06/2022 and 15/11/2022
EVER = date(1990, 1, 1)
LATER = at("2023-01-20")  # the year closed, every date of it past
ROLES = ("lead", "implementer")  # the leaders' (engine.escalation.policy.leader_roles)


def _renamed(session: Session, tmp_path: Path) -> None:
    """VP UBND, owing the quarterly reports of 2022 (the quarter's own days: Quý I's due 21/03), renamed
    on 01/10/2022: its reports of Quý I–III, none sent, and II.1's first part pass on after their dates;
    II.1's second part and the report of Quý IV before theirs."""
    catalog = report_catalog(tmp_path, cutoff=False)
    edit(catalog, "agencies.yaml", "agencies:\n", NEW_AGENCIES)
    (catalog / "successions.yaml").write_text(successions_yaml("rename", on="2022-10-01"), encoding="utf-8")
    load(session, catalog, at("2022-03-02"))
    apply(session, at("2022-10-01"))


def _quarter(session: Session, agency: str, period: str) -> int:
    return (
        session.exec(
            select(Assignment.id)
            .join(Milestone, col(Assignment.milestone_id) == col(Milestone.id))
            .join(PlanItem, col(Milestone.item_id) == col(PlanItem.id))
            .join(Agency, col(Assignment.agency_id) == col(Agency.id))
            .where(PlanItem.code == QUARTERLY, Agency.code == agency, Milestone.period_code == period)
        ).one()
        or 0
    )


def _report(session: Session, part: int, code: str, now: datetime) -> None:
    act(session, part, Request(Action.ACKNOWLEDGE, Actor.agency(code)), now=now)
    act(session, part, Request(Action.REPORT, Actor.agency(code), comment="Đã thực hiện."), now=now)
    session.commit()


def _by_body(session: Session, period: str) -> dict[str, AgencyRates]:
    return {r.code: r.rates for r in build_report(session, period_code=period, now=LATER).by_agency}


def _board_is_the_rates(session: Session, now: datetime) -> dict[str, tuple[int, int]]:
    """The board's rate of each of its lines is the rates' for its scope (every part due by ``now``),
    one body's table as the whole board's; the counts (on time, due)."""
    rates = {r.agency_code: r for r in agency_rates(session, start=EVER, end=LOCAL.local_date(now), now=now)}
    board = board_summary(session, now)
    for row in board.agencies:
        assert (row.rated_on_time, row.rated_due) == (rates[row.code].tasks_on_time, rates[row.code].tasks_due), (
            row.code,
            now,
        )
        agency_id = session.exec(select(Agency.id).where(Agency.code == row.code)).one()
        (own,) = board_summary(session, now, agency_id=agency_id).agencies
        assert (own.rated_on_time, own.rated_due) == (row.rated_on_time, row.rated_due)
    return {r.code: (r.rated_on_time, r.rated_due) for r in board.agencies}


def test_the_half_year_and_the_year_charge_the_body_that_held_the_report_on_its_date(
    session: Session, tmp_path: Path
) -> None:
    _renamed(session, tmp_path)
    first = _quarter(session, NEW, "2022-Q1")
    half, year = _by_body(session, "2022-H1"), _by_body(session, "2022")
    assert (half[OLD].reports_due, half[OLD].reports_missing) == (2, 2)  # Quý I and II
    assert NEW not in half
    # the year: Quý I, II and III, passed on after their dates, are the old body's; Quý IV the new one's
    assert (year[OLD].reports_due, year[OLD].reports_missing) == (3, 3)
    assert (year[NEW].reports_due, year[NEW].reports_missing) == (1, 1)
    assert (year[OLD].tasks_due, year[OLD].tasks_overdue) == (2, 1)  # II.3 done at issue; II.1's 30/06
    assert (year[NEW].tasks_due, year[NEW].tasks_overdue) == (1, 1)  # II.1's 15/11, passed on before it
    # the same report of Quý I, named in each under the body holding it at the period's end, as its
    # lists name it ("nhận chuyển giao sau thời hạn" in the year's), counted for the one of 21/03
    for end, named in ((date(2022, 6, 30), OLD), (date(2022, 12, 31), NEW)):
        (row,) = [r for r in due_rows(session, start=date(2022, 1, 1), end=end, now=LATER) if r.assignment_id == first]
        assert (row.agency_code, row.counted_for) == (named, OLD), end


def test_a_successor_is_neither_credited_nor_blamed_for_work_received_after_its_date(
    session: Session, tmp_path: Path
) -> None:
    _renamed(session, tmp_path)
    received_late = assignment_for(session, II_1, NEW, seq=1).id or 0  # due 30/06, received 01/10
    passed_before = assignment_for(session, II_1, NEW, seq=2).id or 0  # due 15/11, received 01/10
    _report(session, _quarter(session, NEW, "2022-Q3"), NEW, at("2022-10-03"))  # sent late: 20/09's
    _report(session, received_late, NEW, at("2022-10-05"))
    _report(session, passed_before, NEW, at("2022-11-10"))
    year = _by_body(session, "2022")
    # done late by the body that received it: late against the body whose date it was
    assert (year[OLD].tasks_due, year[OLD].tasks_on_time, year[OLD].tasks_late) == (2, 1, 1)
    assert (year[NEW].tasks_due, year[NEW].tasks_on_time, year[NEW].on_time_rate) == (1, 1, 1.0)
    assert (year[OLD].reports_due, year[OLD].reports_late, year[OLD].reports_missing) == (3, 1, 2)
    assert (year[NEW].reports_due, year[NEW].reports_missing) == (1, 1)
    # the rates page's range, the leaders' ranking (the roles they are told of) read the same rule
    leaders = {
        r.agency_code: r
        for r in agency_rates(session, start=date(2022, 1, 1), end=date(2022, 12, 31), now=LATER, roles=ROLES)
    }
    assert (leaders[NEW].tasks_due, leaders[NEW].tasks_on_time) == (1, 1)
    assert (leaders[OLD].tasks_due, leaders[OLD].tasks_late) == (1, 1)  # II.3 is a partner's part
    # the board's rate, now and at instants before: the same bodies, the same counts
    now = _board_is_the_rates(session, LATER)
    assert (now[OLD], now[NEW]) == ((1, 2), (1, 1))
    october = _board_is_the_rates(session, at("2022-10-04", 17))  # II.1's 30/06 received, not yet done
    assert (october[OLD], october[NEW]) == ((1, 2), (0, 0))
    for instant in (at("2022-09-30", 17), at("2022-11-12", 17)):
        _board_is_the_rates(session, instant)


def test_work_never_given_to_the_body_that_ended_is_the_named_bodys(session: Session, tmp_path: Path) -> None:
    """Bình Sơn dissolved on 01/07/2022: its report of Quý III, handed out that day, was never given
    to it; the secretariat names Sở KH&CN on 26/09, after the date (20/09). The transfer makes Bình
    Sơn no holder of it on its date: it is Sở KH&CN's, given after its date (counted apart), in a
    range of days ending before the decision as in the year."""
    catalog = succession_catalog(tmp_path, successions_yaml("dissolve", on="2022-07-01"))
    plan = catalog / "plans" / "test-plan.yaml"
    plan.write_text(plan.read_text(encoding="utf-8") + REPORTING, encoding="utf-8")
    load(session, catalog, at("2022-03-02"))
    apply(session, at("2022-07-01", 0))
    q3 = _quarter(session, "ubnd-binh-son", "2022-Q3")
    act(session, q3, Request(Action.REASSIGN, SECRETARIAT, agency="so-khcn"), now=at("2022-09-26", 10))
    session.commit()
    for end in (date(2022, 9, 22), date(2022, 12, 31)):
        (row,) = [r for r in due_rows(session, start=date(2022, 7, 1), end=end, now=LATER) if r.assignment_id == q3]
        assert (row.counted_for, row.given_after_due) == ("so-khcn", True), end
    year = _by_body(session, "2022")
    assert (year["so-khcn"].reports_given_late, year["so-khcn"].reports_due) == (1, 0)
    assert "ubnd-binh-son" not in year or year["ubnd-binh-son"].reports_given_late == 0


COPY_PLAN = notice_plan(
    "2022-03-01",
    """  - code: "98/TB-TEST:1"
    section: "1"
    title: "Phân loại hệ thống thông tin"
    content: "Phân loại hệ thống thông tin trước ngày 30/11/2022."
    source: "Mục 1"
    lead: [vp-ubnd]
    deadline: "trước ngày 30/11/2022"
    same_work_as: ["99/KH-TEST:II.1"]
""",
)


def test_the_same_work_in_two_documents_is_once_for_each_body_that_held_a_copy_on_its_date(
    session: Session, tmp_path: Path
) -> None:
    """II.1's part due 30/06 (its only one here), missed by VP UBND, and the same work in another
    document due 30/11, both received by its successor on 01/10 and reported done on 01/11 (the copy
    following the report: engine.services.same_work): the first copy is the old body's (late), the
    second the new one's (on time); each counts once for its own body, in the rates, the board's rate
    and the trend's on-time line alike (the same work counted once for a body)."""
    from dondoc.engine.reports.trend import weekly_trend

    catalog = succession_catalog(tmp_path, successions_yaml("rename", on="2022-10-01"))
    edit(catalog, PLAN, '      - {label: "Triển khai phương án", deadline: "trước ngày 15/11/2022"}\n', "")
    (catalog / "plans" / "copy-plan.yaml").write_text(COPY_PLAN, encoding="utf-8")
    load(session, catalog, at("2022-03-02"))
    apply(session, at("2022-10-01"))
    _report(session, assignment_for(session, II_1, NEW, seq=1).id or 0, NEW, at("2022-11-01"))
    now = at("2022-12-05")
    rates = {r.agency_code: r for r in agency_rates(session, start=EVER, end=LOCAL.local_date(now), now=now)}
    assert (rates[OLD].tasks_due, rates[OLD].tasks_late, rates[NEW].tasks_due, rates[NEW].tasks_on_time) == (2, 1, 1, 1)
    board = _board_is_the_rates(session, now)
    assert (board[OLD], board[NEW]) == ((1, 2), (1, 1))
    points = weekly_trend(session, year=2022, now=now, local=LOCAL)
    assert points[-1].on_time == sum(r.tasks_on_time for r in rates.values())


def test_the_report_says_which_parts_its_rates_count_for_the_body_of_their_date(
    session: Session, tmp_path: Path
) -> None:
    """VP mới's row of the year's report has VP UBND's reports of Quý I–III and II.1's first part,
    passed on after their dates, in its columns, and VP UBND's rate counts them: the note under
    section I says so in every format, where a reader had seen overdue work in a row its rate did not
    count. The six-month report, whose close came before the rename, has nothing to say."""
    from dondoc.engine.reports import render
    from dondoc.engine.reports.labels import period_notes

    _renamed(session, tmp_path)
    said = (
        "4 phần việc đến hạn trong kỳ được chuyển giao sau thời hạn (do tổ chức lại cơ quan) tính vào số đến hạn "
        "và các tỷ lệ của cơ quan được giao vào ngày đến hạn, không của cơ quan nhận chuyển giao"
    )
    year = build_report(session, period_code="2022", now=LATER)
    assert [n for n in period_notes(year) if n.startswith(said)], period_notes(year)
    assert {r.code: r.rates.received_late for r in year.by_agency if r.rates.received_late} == {NEW: 4}
    for fmt in ("html", "md"):
        assert said in " ".join(render(year, fmt).decode("utf-8").split()), fmt
    half = build_report(session, period_code="2022-H1", now=LATER)
    assert not [n for n in period_notes(half) if "chuyển giao sau thời hạn" in n]


def test_a_body_whose_work_all_passed_on_after_its_dates_keeps_its_row_and_its_rates_in_every_format(
    session: Session, tmp_path: Path
) -> None:
    """UBND Lý Sơn, absorbed into Sở KH&CN on 01/10/2022, had done none of its work: all of it passed
    on, nothing left in its columns at the year's end. Its reports of Quý I–III, never sent, and its
    parts due before 01/10 count in its rates (the body of their dates), and the workbook listed its
    row; the HTML and Markdown reports left out every row with nothing in its columns, so that the
    note under section I sent the reader to the rates of a body section II did not show."""
    from dondoc.engine.reports import render

    catalog = report_catalog(tmp_path, cutoff=False)
    edit(catalog, "agencies.yaml", "agencies:\n", NEW_AGENCIES)
    (catalog / "successions.yaml").write_text(successions_yaml("absorb", on="2022-10-01"), encoding="utf-8")
    load(session, catalog, at("2022-03-02"))
    apply(session, at("2022-10-01"))
    year = build_report(session, period_code="2022", now=LATER)
    (gone,) = [r for r in year.by_agency if r.code == "ubnd-ly-son"]
    assert gone.total == 0 and (gone.rates.reports_due, gone.rates.reports_missing) == (3, 3)
    html = " ".join(render(year, "html").decode("utf-8").split())
    section = html[html.index("II. Kết quả theo cơ quan") : html.index("III. Chỉ tiêu")]
    assert f"<td>{gone.name}</td>" in section
    md = render(year, "md").decode("utf-8")
    section = md[md.index("## II.") : md.index("## III.")]
    assert f"| {gone.short} | 0 | 0 | {gone.rates.tasks_due} |" in section
    assert "| 0 / 3 | 0,0 % |" in section


def test_the_reports_note_counts_the_parts_passed_on_late_that_its_rates_set_apart(
    session: Session, tmp_path: Path
) -> None:
    """Tracking starts on 01/04/2022: VP UBND's report of Quý I (due 21/03, never sent), passed to VP
    mới on 01/10 with those of Quý II–III and II.1's first part, is due before the tracking start,
    counted in no rate but in VP UBND's parts due before it, as a part of any body is. The note under
    section I said "3 phần việc … được chuyển giao sau thời hạn" and nothing of the fourth, which sat
    in VP mới's columns and in VP UBND's apart count without a word."""
    from dondoc.engine.reports import render
    from dondoc.engine.reports.labels import period_notes
    from dondoc.engine.services.tracking import set_tracking_start

    _renamed(session, tmp_path)
    set_tracking_start(session, date(2022, 4, 1))
    session.commit()
    year = build_report(session, period_code="2022", now=LATER)
    rates = {r.code: r.rates for r in year.by_agency}
    assert rates[OLD].reports_before_tracking == 1 and rates[OLD].reports_due == 2
    assert rates[NEW].received_late == 3
    said = (
        "4 phần việc đến hạn trong kỳ được chuyển giao sau thời hạn (do tổ chức lại cơ quan) được tính cho cơ quan "
        "được giao vào ngày đến hạn, không cho cơ quan nhận chuyển giao: 3 phần việc vào số đến hạn và các tỷ lệ "
        "của cơ quan đó; 1 phần việc không tính tỷ lệ, để riêng như mọi phần việc cùng loại (1 có hạn trước ngày "
        "bắt đầu theo dõi)"
    )
    assert [n for n in period_notes(year) if n.startswith(said)], period_notes(year)
    for fmt in ("html", "md"):
        assert said in " ".join(render(year, fmt).decode("utf-8").split()), fmt
    # the half year (closed before the rename) has nothing to say; with no part set apart, the words as before
    half = build_report(session, period_code="2022-H1", now=LATER)
    assert not [n for n in period_notes(half) if "chuyển giao sau thời hạn" in n]
