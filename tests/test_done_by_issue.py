"""Work that is the issue of a document: done on the day that document was issued (``done_by_issue_of``).

The Thông báo's II.3.b asks Sở TT&TT to "ban hành Kế hoạch hoạt động của Ban Chỉ đạo Chuyển đổi số năm
2022" "trước ngày 15/02/2022". That Kế hoạch is 04/KH-BCĐ itself, issued 10/03/2022: the texts together
say the milestone was done on 10/03/2022, late. It had followed 04/KH-BCĐ II.1's "Tháng 02/2022 (đã hoàn
thành)" and read "Hoàn thành, chưa rõ đúng hạn hay quá hạn". The catalog now says so
(``done_by_issue_of: "04/KH-BCĐ"``): done on the issue day, known late by 17 working days, with the
document and its date in the part's history; only once that document is in the catalog loaded.

A database written before migration 0037 holds done-at-issue parts (and the same work that followed
them) with no window: the next ``catalog load`` gives them theirs, once.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import update
from sqlmodel import Session, col, select

from dondoc.engine.actors import SECRETARIAT, Actor
from dondoc.engine.clock import LOCAL_TZ, FrozenClock, LocalDays
from dondoc.engine.models import Assignment, Event, State
from dondoc.engine.reports.history import events as history_events
from dondoc.engine.reports.history import facts_at, statics
from dondoc.engine.reports.rates import agency_rates
from dondoc.engine.services.catalog_sync import sync_catalog
from dondoc.engine.services.queries import get_assignment
from dondoc.engine.services.tracking import set_tracking_start
from dondoc.engine.status import DAY_UNKNOWN_LABEL, Category
from dondoc.engine.workcalendar import WorkCalendar
from dondoc.engine.workflow import Action
from dondoc.tasks_catalog.loader import default_catalog_dir, load_catalog
from tests.factories import assignment_for, step
from tests.support.catalogs import copy_catalog, edit, issue_notice_catalog
from tests.test_catalog_validate import assert_cli_reports, line_of_text, the_problem

LOCAL = LocalDays(LOCAL_TZ)
ISSUED = LOCAL.start_of_day(date(2022, 3, 10))  # 04/KH-BCĐ's issue day
LOADED = datetime(2022, 3, 10, 8, 0, tzinfo=LOCAL_TZ)
NOW = datetime(2022, 4, 1, 9, 0, tzinfo=LOCAL_TZ)
TB = "plans/tb-ket-luan-bcd-2022.yaml"
SOURCE = "04/KH-BCĐ, ban hành ngày 10/03/2022"


def _events(session: Session, assignment_id: int | None) -> list[Event]:
    return list(session.exec(select(Event).where(Event.assignment_id == assignment_id).order_by(Event.id)).all())


def _load(session: Session, now: datetime, directory: Path | None = None, issued_by: date | None = None) -> None:
    catalog = load_catalog(directory or default_catalog_dir())
    if issued_by is not None:  # as a replay loads each plan on its issue day
        catalog = replace(catalog, plans=[p for p in catalog.plans if p.meta.issued <= issued_by])
    sync_catalog(session, catalog, now=now, calendar=WorkCalendar.default(), local=LOCAL)
    session.commit()


def _the_kế_hoạch(session: Session) -> Assignment:
    return assignment_for(session, "/TB-UBND:II.3.b", "so-tttt", seq=3)


def _says_done_late_on_the_issue_day(session: Session, row: Assignment) -> None:
    assert (row.state, row.reported_at, row.verified_at, row.done_from) == (State.VERIFIED, ISSUED, ISSUED, None)
    view = get_assignment(session, row.id or 0, NOW)
    assert view.category == Category.DONE_LATE.value
    assert view.category_label == "Hoàn thành quá hạn"
    assert view.lateness == "Trễ 17 ngày làm việc"  # 16/02 – 10/03/2022, no holiday in between
    # what says so, in its history: the creation's record, or the load's that found the plan issued
    said = [e for e in _events(session, row.id) if SOURCE in (e.comment or "")]
    assert len(said) == 1 and said[0].action in ("import_done", "catalog_done_by_issue"), said


# -- the shipped catalog ------------------------------------------------------------------------
def test_the_thong_bao_ke_hoach_is_done_on_04_kh_bcd_s_issue_day(session: Session) -> None:
    _load(session, LOADED)
    _says_done_late_on_the_issue_day(session, _the_kế_hoạch(session))
    for seq in (1, 2):  # the Quy chế and the Tổ giúp việc: February, no day
        row = assignment_for(session, "/TB-UBND:II.3.b", "so-tttt", seq=seq)
        assert get_assignment(session, row.id or 0, NOW).category_label == DAY_UNKNOWN_LABEL, seq


def test_in_a_replay_it_is_done_when_04_kh_bcd_arrives_not_before(session: Session) -> None:
    """The Thông báo is loaded on 19/01 alone: the Kế hoạch is owed, and overdue after 15/02; the load of
    10/03 that brings 04/KH-BCĐ records it done that day, by an event at the load."""
    _load(session, datetime(2022, 1, 19, 7, 0, tzinfo=LOCAL_TZ), issued_by=date(2022, 1, 19))
    row = _the_kế_hoạch(session)
    assert row.state == State.ASSIGNED and row.reported_at is None
    arrives = datetime(2022, 3, 10, 7, 0, tzinfo=LOCAL_TZ)
    _load(session, arrives, issued_by=date(2022, 3, 10))
    row = _the_kế_hoạch(session)
    _says_done_late_on_the_issue_day(session, row)
    assert _events(session, row.id)[-1].at == arrives  # not backdated
    again = len(_events(session, row.id))
    _load(session, arrives + timedelta(days=1))
    assert len(_events(session, row.id)) == again  # a reload changes nothing


def _reported_on_7_february(session: Session, *, verified: bool) -> Assignment:
    """The Thông báo loaded on 19/01 alone; Sở TT&TT reports the Kế hoạch on 07/02, and the secretariat
    verifies it on 09/02 or not; 04/KH-BCĐ arrives on 10/03."""
    _load(session, datetime(2022, 1, 19, 7, 0, tzinfo=LOCAL_TZ), issued_by=date(2022, 1, 19))
    row = _the_kế_hoạch(session)
    clock = FrozenClock(datetime(2022, 2, 7, 9, 0, tzinfo=LOCAL_TZ))
    step(session, clock, row, Action.ACKNOWLEDGE, Actor.agency("so-tttt"))
    step(session, clock, row, Action.REPORT, Actor.agency("so-tttt"), comment="Đã trình ban hành Kế hoạch.")
    if verified:
        clock.advance(timedelta(days=2))
        step(session, clock, row, Action.VERIFY, SECRETARIAT)
    _load(session, datetime(2022, 3, 10, 7, 0, tzinfo=LOCAL_TZ), issued_by=date(2022, 3, 10))
    return _the_kế_hoạch(session)


def test_a_report_the_secretariat_verified_is_left_as_it_is(session: Session) -> None:
    row = _reported_on_7_february(session, verified=True)
    assert row.state == State.VERIFIED and LOCAL.local_date(row.reported_at or NOW) == date(2022, 2, 7)
    assert not [e for e in _events(session, row.id) if e.action == "catalog_done_by_issue"]


def test_a_report_not_yet_verified_is_done_on_the_issue_day(session: Session) -> None:
    """Sở TT&TT said on 07/02 that the Kế hoạch was issued; it was issued on 10/03 (04/KH-BCĐ): that day
    verifies it, not 28/02, II.1's month's end, which it had been verified at by following II.1."""
    _says_done_late_on_the_issue_day(session, _reported_on_7_february(session, verified=False))


def test_a_database_that_followed_ii_1_is_corrected_at_its_next_load(session: Session, tmp_path: Path) -> None:
    """Loaded with the catalog before the field: the Kế hoạch followed II.1's window. The next load with
    today's catalog records the issue day, by one event, history kept; a further load changes nothing."""
    before = copy_catalog(tmp_path, default_catalog_dir())
    edit(
        before,
        TB,
        ', same_work_as: ["04/KH-BCĐ:II.1"], done_by_issue_of: "04/KH-BCĐ"}',
        ', same_work_as: ["04/KH-BCĐ:II.1"]}',
    )
    _load(session, LOADED, before)
    row = _the_kế_hoạch(session)
    assert row.done_from is not None and get_assignment(session, row.id or 0, NOW).category_label == DAY_UNKNOWN_LABEL
    kept = [(e.id, e.action, e.at) for e in _events(session, row.id)]
    later = datetime(2022, 3, 20, 8, 0, tzinfo=LOCAL_TZ)
    _load(session, later)
    row = _the_kế_hoạch(session)
    _says_done_late_on_the_issue_day(session, row)
    events = _events(session, row.id)
    assert [(e.id, e.action, e.at) for e in events[: len(kept)]] == kept and events[-1].at == later
    # its history: before the load, as it stood then (II.1's window); from the load, the issue day
    static, happened = statics(session)[row.id or 0], history_events(session)[row.id or 0]
    then = facts_at(happened, static, later - timedelta(hours=1))
    assert then.done_from is not None and then.reported_at is not None
    assert LOCAL.local_date(then.reported_at) == date(2022, 2, 28)
    now = facts_at(happened, static, later)
    assert (now.state, now.reported_at, now.done_from) == (State.VERIFIED.value, ISSUED, None)
    _load(session, later + timedelta(days=1))
    assert len(_events(session, row.id)) == len(events)


def test_sở_tttt_s_rates_count_it_late(session: Session) -> None:
    _load(session, LOADED)
    set_tracking_start(session, date(2022, 1, 19))
    session.commit()
    rates = {r.agency_code: r for r in agency_rates(session, start=date(2022, 1, 1), end=date(2022, 3, 31), now=NOW)}
    tttt = rates["so-tttt"]
    assert (tttt.tasks_day_unknown, tttt.tasks_late, tttt.tasks_on_time) == (2, 1, 0)


# -- validation -----------------------------------------------------------------------------------
def test_a_plan_named_by_its_number_validates_and_exports(tmp_path: Path) -> None:
    from dondoc.tasks_catalog.export import catalog_to_dict

    catalog = load_catalog(issue_notice_catalog(tmp_path, 'done_by_issue_of: "99/KH-TEST"'))
    plan = next(p for p in catalog_to_dict(catalog)["plans"] if p["number"] == "98/TB-TEST")
    assert plan["items"][0]["milestones"][0]["done_by_issue_of"] == {"plan": "99/KH-TEST", "issued": "2022-03-01"}
    shipped = next(p for p in catalog_to_dict(load_catalog())["plans"] if p["number"] == "/TB-UBND")
    b = next(i for i in shipped["items"] if i["code"] == "/TB-UBND:II.3.b")
    assert [m["done_by_issue_of"] for m in b["milestones"]] == [
        None,
        None,
        {"plan": "04/KH-BCĐ", "issued": "2022-03-10"},
    ]


def test_an_unknown_plan_is_refused_in_one_vietnamese_line(tmp_path: Path) -> None:
    catalog = issue_notice_catalog(tmp_path, 'done_by_issue_of: "99/KH-TES"')
    problem = the_problem(catalog, "done_by_issue_of", "99/KH-TES")
    line = line_of_text(catalog, "plans/other-plan.yaml", 'code: "98/TB-TEST:1"')
    assert (problem.file, problem.line, problem.code) == ("plans/other-plan.yaml", line, "98/TB-TEST:1")
    assert problem.message == (
        'done_by_issue_of: không có văn bản số "99/KH-TES" trong danh mục; có phải "99/KH-TEST"?'
    )
    assert_cli_reports(catalog, tmp_path, f"plans/other-plan.yaml:{line}", "không có văn bản số")


def test_a_plan_whose_issue_day_is_not_legible_is_refused(tmp_path: Path) -> None:
    catalog = issue_notice_catalog(tmp_path, 'done_by_issue_of: "99/KH-TEST"')
    edit(
        catalog,
        "plans/test-plan.yaml",
        "  issued: 2022-03-01\n",
        '  issued: 2022-03-01\n  issued_as_written: "ngày … tháng 3 năm 2022"\n',
    )
    problem = the_problem(catalog, "done_by_issue_of", "không rõ ngày")
    assert problem.message == (
        'done_by_issue_of: văn bản "99/KH-TEST" không rõ ngày ban hành ("ngày … tháng 3 năm 2022"), '
        "không dùng làm ngày hoàn thành được"
    )


def test_a_milestone_done_by_issue_and_done_at_issue_is_refused(tmp_path: Path) -> None:
    catalog = issue_notice_catalog(tmp_path, 'done_by_issue_of: "99/KH-TEST"')
    edit(catalog, "plans/other-plan.yaml", "    lead: [so-tttt]\n", "    lead: [so-tttt]\n    done_at_issue: true\n")
    assert the_problem(catalog, "done_by_issue_of", "done_at_issue").message == (
        "done_by_issue_of: nhiệm vụ đã ghi done_at_issue (văn bản ghi đã hoàn thành), không ghi thêm ngày "
        "hoàn thành theo văn bản khác"
    )


# -- a database from before migration 0037 ----------------------------------------------------------
def test_a_reload_gives_the_done_window_to_parts_written_before_0037(session: Session) -> None:
    """04/KH-BCĐ II.1 and II.2's parts (done at issue, "Tháng 02/2022") and the Thông báo's Quy chế and Tổ
    giúp việc that followed them, written with no window: the next load gives each its window, the
    followers by one event each (their history reads the window from it), the done-at-issue parts as
    the text gives them; a further load changes nothing."""
    _load(session, LOADED)
    windowed = list(session.exec(select(Assignment).where(col(Assignment.done_from).is_not(None))).all())
    assert len(windowed) > 4
    want = {a.id: a.done_from for a in windowed}
    session.execute(update(Assignment).values(done_from=None))  # as written before migration 0037
    session.commit()
    quy_chế = assignment_for(session, "/TB-UBND:II.3.b", "so-tttt", seq=1)
    assert get_assignment(session, quy_chế.id or 0, NOW).category_label == "Hoàn thành quá hạn"  # the old, false word
    counted = len(list(session.exec(select(Event)).all()))
    later = datetime(2022, 3, 20, 8, 0, tzinfo=LOCAL_TZ)
    _load(session, later)
    session.expire_all()
    assert {
        a.id: a.done_from for a in session.exec(select(Assignment).where(col(Assignment.done_from).is_not(None)))
    } == want
    assert get_assignment(session, quy_chế.id or 0, NOW).category_label == DAY_UNKNOWN_LABEL
    added = list(session.exec(select(Event).where(Event.at == later)).all())
    assert {(e.assignment_id, e.action) for e in added} == {
        (assignment_for(session, "/TB-UBND:II.3.b", "so-tttt", seq=s).id, "catalog_same_work") for s in (1, 2)
    }
    assert len(list(session.exec(select(Event)).all())) == counted + 2
    _load(session, later + timedelta(days=1))
    assert len(list(session.exec(select(Event)).all())) == counted + 2
