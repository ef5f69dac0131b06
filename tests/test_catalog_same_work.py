"""Issue 12, one task in two documents: ``same_work_as`` links an item to the same work in another plan.

On load, an agency's assignment of a linked item follows its verified work on the other item
(event ``catalog_same_work``, at load time; the done times are the linked work's). Work not yet
done, or an agency absent from the other item, is left alone. Validation refuses unknown codes,
self-links, links within one plan and cycles, naming file, line and item.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import func
from sqlmodel import Session, SQLModel, select

from dondoc.engine.clock import LOCAL_TZ, FrozenClock
from dondoc.engine.models import Event, State
from dondoc.engine.services.assignment_writes import compare_and_set
from dondoc.engine.status import Category, category, done_day_unknown
from dondoc.tasks_catalog.loader import default_catalog_dir, load_catalog
from tests.factories import assignment_for, load_min_catalog
from tests.support.catalogs import copy_catalog, edit, notice_plan
from tests.test_catalog_validate import assert_cli_reports, line_of_text, the_problem

OTHER = "plans/other-plan.yaml"
OTHER_PLAN = notice_plan(
    "2022-01-19",
    """  - code: "98/TB-TEST:1"
    section: "1"
    title: "Ban hành quy chế"
    content: "Ban hành quy chế trước ngày 31/3/2022."
    source: "Mục 1"
    lead: [so-tttt, ubnd-ly-son]
    deadline: "trước ngày 31/3/2022"
    same_work_as: ["99/KH-TEST:II.3"]
  - code: "98/TB-TEST:2"
    section: "2"
    title: "Phân loại hệ thống thông tin"
    content: "Phân loại hệ thống thông tin."
    source: "Mục 2"
    lead: [so-tttt]
    deadline: "trước ngày 15/02/2022"
    milestones:
      - {label: "Việc đã xong ở kế hoạch kia", deadline: "trước ngày 15/02/2022", same_work_as: ["99/KH-TEST:II.3"]}
      - {label: "Việc chưa xong ở kế hoạch kia", deadline: "trước ngày 15/02/2022", same_work_as: ["99/KH-TEST:II.1"]}
""",
)


def _linked_catalog(tmp_path: Path) -> Path:
    catalog = copy_catalog(tmp_path)
    (catalog / OTHER).write_text(OTHER_PLAN, encoding="utf-8")
    return catalog


def _counts(session: Session) -> dict[str, int]:
    return {
        table.name: session.exec(select(func.count()).select_from(table)).one()
        for table in SQLModel.metadata.sorted_tables
    }


def _history(session: Session) -> list[tuple[object, ...]]:
    rows = session.exec(select(Event).order_by(Event.id)).all()
    return [(e.id, e.assignment_id, e.action, e.from_state, e.to_state, e.at) for e in rows]


def _events(session: Session, assignment_id: int | None) -> list[Event]:
    return list(session.exec(select(Event).where(Event.assignment_id == assignment_id).order_by(Event.id)).all())


# -- sync on a synthetic catalog -------------------------------------------------------------
def test_linked_to_done_work_is_verified_with_an_event_at_load_time(
    session: Session, clock: FrozenClock, tmp_path: Path
) -> None:
    report = load_min_catalog(session, clock.now(), _linked_catalog(tmp_path))
    done = assignment_for(session, "99/KH-TEST:II.3", "so-tttt")
    follows = assignment_for(session, "98/TB-TEST:1", "so-tttt")
    assert follows.state == State.VERIFIED and follows.progress == 100
    assert follows.verified_at == done.verified_at and follows.reported_at == done.reported_at
    actions = [(e.action, e.from_state, e.to_state, e.at) for e in _events(session, follows.id)]
    assert actions == [
        ("assign", None, "assigned", clock.now()),
        ("catalog_same_work", "assigned", "verified", clock.now()),
    ]
    event = _events(session, follows.id)[-1]
    assert "99/KH-TEST:II.3" in (event.comment or "")
    assert event.data["linked_assignments"] == [done.id] and event.data["on_time"] is True
    said = (
        f"Phần việc {follows.id} (nhiệm vụ 98/TB-TEST:1, mốc 1, Sở TT&TT [so-tttt]): "
        'cùng nội dung với 99/KH-TEST:II.3, chuyển sang "Đã xác nhận"'
    )
    assert said in report.changes
    # done (28/02/2022) before this item's due date (31/3/2022): on time
    at = clock.now() + timedelta(days=60)
    assert category(follows.state, follows.due_at, follows.reported_at, None, at) is Category.DONE_ON_TIME


def test_done_in_a_month_around_this_items_date_is_not_known_late(
    session: Session, clock: FrozenClock, tmp_path: Path
) -> None:
    """99/KH-TEST:II.3 is recorded "Tháng 02/2022 (đã hoàn thành)", no day; 98/TB-TEST:2#1, the same
    work, was due 15/02: done either side of its date. It had read done late, 9 working days, against
    the month's last day, the report time the catalog gives work done at issue."""
    load_min_catalog(session, clock.now(), _linked_catalog(tmp_path))
    follows = assignment_for(session, "98/TB-TEST:2", "so-tttt", seq=1)
    assert follows.state == State.VERIFIED
    assert _events(session, follows.id)[-1].data["on_time"] is None
    assert done_day_unknown(follows.due_at, follows.reported_at, follows.done_from)
    judged = category(
        follows.state, follows.due_at, follows.reported_at, None, clock.now(), done_from=follows.done_from
    )
    assert judged is Category.DONE_ON_TIME  # the board's column: nothing shows it late


def test_done_in_a_month_after_this_items_date_counts_late_not_overdue(
    session: Session, clock: FrozenClock, tmp_path: Path
) -> None:
    catalog = _linked_catalog(tmp_path)
    kept = 'same_work_as: ["99/KH-TEST:II.3"]}'
    edit(catalog, OTHER, f'deadline: "trước ngày 15/02/2022", {kept}', f'deadline: "trước ngày 15/01/2022", {kept}')
    load_min_catalog(session, clock.now(), catalog)
    follows = assignment_for(session, "98/TB-TEST:2", "so-tttt", seq=1)
    assert follows.state == State.VERIFIED
    assert _events(session, follows.id)[-1].data["on_time"] is False  # done in February at the earliest
    judged = category(
        follows.state, follows.due_at, follows.reported_at, None, clock.now(), done_from=follows.done_from
    )
    assert judged is Category.DONE_LATE


def test_link_to_undone_work_or_an_absent_agency_is_left_alone(
    session: Session, clock: FrozenClock, tmp_path: Path
) -> None:
    load_min_catalog(session, clock.now(), _linked_catalog(tmp_path))
    undone = assignment_for(session, "98/TB-TEST:2", "so-tttt", seq=2)  # 99/KH-TEST:II.1 is not done
    absent = assignment_for(session, "98/TB-TEST:1", "ubnd-ly-son")  # not an agency of 99/KH-TEST:II.3
    for row in (undone, absent):
        assert row.state == State.ASSIGNED and row.verified_at is None
        assert [e.action for e in _events(session, row.id)] == ["assign"]
    assert category(undone.state, undone.due_at, undone.reported_at, None, clock.now()) is Category.OVERDUE


def test_reload_changes_nothing(session: Session, clock: FrozenClock, tmp_path: Path) -> None:
    catalog = _linked_catalog(tmp_path)
    load_min_catalog(session, clock.now(), catalog)
    counts, history = _counts(session), _history(session)
    clock.advance(timedelta(days=3))
    again = load_min_catalog(session, clock.now(), catalog)
    assert not again.changed and again.changes == []
    assert _counts(session) == counts and _history(session) == history


def test_adding_the_link_to_a_loaded_catalog_keeps_history(
    session: Session, clock: FrozenClock, tmp_path: Path
) -> None:
    catalog = _linked_catalog(tmp_path)
    edit(catalog, OTHER, '    same_work_as: ["99/KH-TEST:II.3"]\n', "")
    load_min_catalog(session, clock.now(), catalog)
    before = _history(session)
    follows = assignment_for(session, "98/TB-TEST:1", "so-tttt")
    assert follows.state == State.ASSIGNED
    clock.advance(timedelta(days=1))
    edit(
        catalog,
        OTHER,
        '    deadline: "trước ngày 31/3/2022"\n',
        '    deadline: "trước ngày 31/3/2022"\n    same_work_as: ["99/KH-TEST:II.3"]\n',
    )
    load_min_catalog(session, clock.now(), catalog)
    assert _history(session)[: len(before)] == before
    follows = session.get(type(follows), follows.id, populate_existing=True)
    assert follows is not None and follows.state == State.VERIFIED and follows.version == 2
    assert _events(session, follows.id)[-1].at == clock.now()  # not backdated


# -- the shipped catalog ----------------------------------------------------------------------
def test_shipped_thong_bao_ii_3_b_follows_04_kh_bcd(session: Session, clock: FrozenClock) -> None:
    load_min_catalog(session, clock.now(), default_catalog_dir())
    later = datetime(2022, 6, 1, 8, 0, tzinfo=LOCAL_TZ)
    for seq, linked in ((1, "04/KH-BCĐ:II.1"), (2, "04/KH-BCĐ:II.2"), (3, "04/KH-BCĐ:II.1")):
        row = assignment_for(session, "/TB-UBND:II.3.b", "so-tttt", seq=seq)
        assert row.state == State.VERIFIED, seq
        event = _events(session, row.id)[-1]
        assert event.action == "catalog_same_work" and linked in (event.comment or "")
        assert category(row.state, row.due_at, row.reported_at, None, later) is not Category.OVERDUE
    counts, history = _counts(session), _history(session)
    again = load_min_catalog(session, clock.now() + timedelta(days=1), default_catalog_dir())
    assert not again.changed and _counts(session) == counts and _history(session) == history


def test_shipped_links_validate() -> None:
    catalog = load_catalog()
    links = {
        (item.code, m.seq): m.same_work_as for plan in catalog.plans for item in plan.items for m in item.milestones
    }
    assert links[("/TB-UBND:II.3.b", 1)] == ("04/KH-BCĐ:II.1",)
    assert links[("/TB-UBND:II.3.b", 2)] == ("04/KH-BCĐ:II.2",)
    assert links[("/TB-UBND:II.3.b", 3)] == ("04/KH-BCĐ:II.1",)


# -- validation -------------------------------------------------------------------------------
def test_unknown_code_is_refused_with_file_line_item(tmp_path: Path) -> None:
    catalog = _linked_catalog(tmp_path)
    edit(catalog, OTHER, 'same_work_as: ["99/KH-TEST:II.3"]\n', 'same_work_as: ["99/KH-TEST:II.33"]\n')
    line = line_of_text(catalog, OTHER, 'code: "98/TB-TEST:1"')
    problem = the_problem(catalog, "same_work_as", "unknown item")
    assert (problem.file, problem.line, problem.code) == (OTHER, line, "98/TB-TEST:1")
    assert '"99/KH-TEST:II.33"' in problem.message and 'did you mean "99/KH-TEST:II.3"?' in problem.message
    assert_cli_reports(catalog, tmp_path, f"{OTHER}:{line}", "98/TB-TEST:1", "unknown item")


def test_self_link_is_refused(tmp_path: Path) -> None:
    catalog = _linked_catalog(tmp_path)
    edit(catalog, OTHER, 'same_work_as: ["99/KH-TEST:II.3"]\n', 'same_work_as: ["98/TB-TEST:1"]\n')
    problem = the_problem(catalog, "names the item itself")
    assert (problem.file, problem.code) == (OTHER, "98/TB-TEST:1")


def test_link_within_one_plan_is_refused(tmp_path: Path) -> None:
    catalog = _linked_catalog(tmp_path)
    edit(catalog, OTHER, 'same_work_as: ["99/KH-TEST:II.3"]\n', 'same_work_as: ["98/TB-TEST:2"]\n')
    assert the_problem(catalog, "same plan").code == "98/TB-TEST:1"


def test_cycle_is_refused(tmp_path: Path) -> None:
    catalog = _linked_catalog(tmp_path)
    edit(
        catalog,
        "plans/test-plan.yaml",
        "    done_at_issue: true\n",
        '    done_at_issue: true\n    same_work_as: ["98/TB-TEST:1"]\n',
    )
    problem = the_problem(catalog, "cycle")
    assert "99/KH-TEST:II.3" in problem.message and "98/TB-TEST:1" in problem.message
    assert problem.line > 0 and problem.code in {"99/KH-TEST:II.3", "98/TB-TEST:1"}


def test_a_valid_link_validates(tmp_path: Path) -> None:
    counts = load_catalog(_linked_catalog(tmp_path)).counts()
    assert counts["98/TB-TEST"]["assignments"] == 4


def test_shipped_1834_item_4_follows_each_leads_own_117_item(session: Session, clock: FrozenClock) -> None:
    """1834/UBND-KGVX:4 names four leads, each the lead of one of 117/KH-UBND II.6.1–II.6.4: per agency."""
    load_min_catalog(session, clock.now(), default_catalog_dir())
    khdt = assignment_for(session, "1834/UBND-KGVX:4", "so-khdt")
    thue = assignment_for(session, "1834/UBND-KGVX:4", "cuc-thue")
    assert khdt.state == State.ASSIGNED and thue.state == State.ASSIGNED  # 117 II.6.x are open: left alone
    done_at = datetime(2022, 12, 10, 9, 0, tzinfo=LOCAL_TZ)
    own = assignment_for(session, "117/KH-UBND:II.6.1", "so-khdt")
    compare_and_set(session, own, {"state": State.VERIFIED, "reported_at": done_at, "verified_at": done_at})
    session.commit()
    clock.advance(timedelta(days=300))
    load_min_catalog(session, clock.now(), default_catalog_dir())
    khdt = session.get(type(khdt), khdt.id, populate_existing=True)
    thue = session.get(type(thue), thue.id, populate_existing=True)
    assert khdt is not None and khdt.state == State.VERIFIED and khdt.reported_at == done_at
    assert _events(session, khdt.id)[-1].data["linked_assignments"] == [own.id]
    assert thue is not None and thue.state == State.ASSIGNED  # Cục Thuế's 117 II.6.4 is still open
