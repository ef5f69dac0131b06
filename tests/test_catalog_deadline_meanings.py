"""Issue 12, classes 1, 3, 7, 8: starts, preconditions, conventions and "trước ngày X", on the shipped
catalog and on small synthetic ones."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlmodel import Session, select

from dondoc.engine.clock import FrozenClock, local_date
from dondoc.engine.deadlines import DeadlineKind
from dondoc.engine.models import Assignment, Event, Milestone
from dondoc.engine.status import Category, category
from dondoc.tasks_catalog.conventions import CONVENTION_NOTE
from dondoc.tasks_catalog.loader import CatalogInvalid, load_catalog
from dondoc.tasks_catalog.resolved import Catalog, ResolvedItem
from tests.factories import assignment_for, load_min_catalog
from tests.support.catalogs import copy_catalog

PLAN = "plans/test-plan.yaml"


def _item(catalog: Catalog, code: str) -> ResolvedItem:
    return next(i for p in catalog.plans for i in p.items if i.code == code)


@pytest.fixture(scope="module")
def shipped() -> Catalog:
    return load_catalog()


# -- class 1: a start is not a deadline ----------------------------------------------------------
@pytest.mark.parametrize(
    "code, seqs, starts",
    [
        ("117/KH-UBND:II.1.b", [1, 2, 3, 4], [date(2022, 6, 1), date(2022, 12, 1), date(2023, 6, 1), date(2022, 7, 1)]),
        ("1834/UBND-KGVX:2", [1, 2], [date(2022, 6, 1), date(2022, 12, 1)]),
    ],
)
def test_shipped_starts_are_standing_duties(shipped: Catalog, code: str, seqs: list[int], starts: list[date]) -> None:
    item = _item(shipped, code)
    for seq, start in zip(seqs, starts, strict=True):
        deadline = item.milestones[seq - 1].deadline
        assert deadline is not None
        assert (deadline.kind, deadline.start, deadline.due) == (DeadlineKind.FROM_DATE, start, None)


def test_no_shipped_milestone_is_due_on_its_first_day(shipped: Catalog) -> None:
    for plan in shipped.plans:
        for item in plan.items:
            for m in item.milestones:
                d = m.deadline
                if d is not None and d.kind is DeadlineKind.FROM_DATE:
                    assert d.due is None, (item.code, m.seq)


def _with_item(tmp_path: Path, deadline: str, extra: str = "") -> Path:
    directory = copy_catalog(tmp_path)
    path = directory / PLAN
    path.write_text(
        path.read_text(encoding="utf-8")
        + f"""  - code: "99/KH-TEST:II.9"
    section: "II.9"
    title: "Số hóa hồ sơ"
    content: "Số hóa hồ sơ kể từ ngày 01/7/2022."
    source: "Mục II.9"
    lead: [so-tttt]
    deadline: "{deadline}"
{extra}""",
        encoding="utf-8",
    )
    return directory


def test_a_standing_duty_is_never_overdue(session: Session, clock: FrozenClock, tmp_path: Path) -> None:
    load_min_catalog(session, clock.now(), _with_item(tmp_path, "kể từ ngày 01/7/2022"))
    row = assignment_for(session, "99/KH-TEST:II.9", "so-tttt")
    assert row.due_at is None
    later = clock.now().replace(year=2022, month=12, day=31)
    assert category(row.state, row.due_at, row.reported_at, date(2022, 7, 1), later) is not Category.OVERDUE


def test_a_window_is_due_at_its_end(tmp_path: Path) -> None:
    catalog = load_catalog(_with_item(tmp_path, "từ ngày 01/7/2022 đến ngày 30/9/2022"))
    deadline = _item(catalog, "99/KH-TEST:II.9").milestones[0].deadline
    assert deadline is not None and (deadline.start, deadline.due) == (date(2022, 7, 1), date(2022, 9, 30))


def test_reload_moves_a_start_off_the_due_date_and_keeps_history(
    session: Session, clock: FrozenClock, tmp_path: Path
) -> None:
    load_min_catalog(session, clock.now(), _with_item(tmp_path / "old", "Tháng 6/2022"))
    before = assignment_for(session, "99/KH-TEST:II.9", "so-tttt")
    assert local_date(before.due_at) == date(2022, 6, 30)
    count = len(session.exec(select(Assignment)).all())
    report = load_min_catalog(session, clock.now(), _with_item(tmp_path / "new", "kể từ ngày 01/7/2022"))
    after = session.get(Assignment, before.id, populate_existing=True)
    assert after is not None and after.due_at is None and after.state == before.state
    assert len(session.exec(select(Assignment)).all()) == count and not report.orphaned
    moved = session.exec(select(Event).where(Event.assignment_id == before.id, Event.action == "catalog_due_changed"))
    assert len(moved.all()) == 1


# -- class 3: a date and a condition together keep the date --------------------------------------
@pytest.mark.parametrize(
    "code, due, condition",
    [
        ("61/KH-UBND:PL.I.2", date(2019, 12, 31), "Khi có hướng dẫn của Bộ Thông tin và Truyền thông."),
        ("61/KH-UBND:PL.I.4", date(2025, 12, 31), "Sau khi Thủ tướng Chính phủ ban hành"),
        ("61/KH-UBND:PL.I.5", date(2025, 12, 31), "Sau khi Luật Chính phủ điện tử được ban hành"),
        ("61/KH-UBND:PL.II.1", date(2020, 12, 31), "Sau khi ban hành Khung Kiến trúc CPĐT VN (phiên bản 2.0)"),
    ],
)
def test_shipped_dates_with_a_condition_keep_the_date(shipped: Catalog, code: str, due: date, condition: str) -> None:
    deadline = _item(shipped, code).milestones[0].deadline
    assert deadline is not None
    assert (deadline.kind, deadline.due, deadline.condition) == (DeadlineKind.PERIOD, due, condition)


def test_a_condition_alone_still_waits(shipped: Catalog) -> None:
    waiting = [
        i.code
        for p in shipped.plans
        for i in p.items
        if any(m.deadline and m.deadline.kind is DeadlineKind.CONDITION for m in i.milestones)
    ]
    assert "61/KH-UBND:PL.I.2" not in waiting and waiting  # conditions with no date still wait


def test_precondition_is_stored_on_the_milestone(session: Session, clock: FrozenClock, tmp_path: Path) -> None:
    directory = _with_item(tmp_path, "Quý III/2022", '    precondition: "Khi có hướng dẫn của Bộ TT&TT"\n')
    load_min_catalog(session, clock.now(), directory)
    row = assignment_for(session, "99/KH-TEST:II.9", "so-tttt")
    assert local_date(row.due_at) == date(2022, 9, 30)
    from dondoc.engine.models import Milestone

    milestone = session.get(Milestone, row.milestone_id)
    assert milestone is not None and milestone.condition == "Khi có hướng dẫn của Bộ TT&TT"


@pytest.mark.parametrize(
    "deadline, precondition, message",
    [
        ("Quý IV/2022", "Quý I/2023", "must be a condition"),
        ("Khi có hướng dẫn", "Sau khi Bộ ban hành", "goes with a dated deadline"),
    ],
)
def test_precondition_errors_name_file_line_and_item(
    tmp_path: Path, deadline: str, precondition: str, message: str
) -> None:
    directory = _with_item(tmp_path, deadline, f'    precondition: "{precondition}"\n')
    with pytest.raises(CatalogInvalid) as caught:
        load_catalog(directory)
    text = str(caught.value.problems[0])
    assert text.startswith(f"{PLAN}:") and "99/KH-TEST:II.9" in text and message in text


# -- class 7: dates the text does not give are conventions ---------------------------------------
@pytest.mark.parametrize(
    "code, due, phrase",
    [
        ("1834/UBND-KGVX:2.bao-cao-6-thang", date(2022, 6, 20), "Định kỳ 6 tháng, 1 năm"),
        ("1834/UBND-KGVX:2.bao-cao-nam", date(2022, 12, 20), "Định kỳ 6 tháng, 1 năm"),
        ("/TB-UBND:II.3.a.bao-cao-6-thang", date(2022, 6, 20), "định kỳ 06 tháng, hàng năm"),
        ("/TB-UBND:II.3.a.bao-cao-nam", date(2022, 12, 20), "định kỳ 06 tháng, hàng năm"),
        ("/TB-UBND:II.4.bao-cao-nam", date(2022, 12, 20), "định kỳ hàng năm"),
    ],
)
def test_shipped_convention_dates_are_labelled(shipped: Catalog, code: str, due: date, phrase: str) -> None:
    milestone = _item(shipped, code).milestones[0]
    assert milestone.label is not None and milestone.label.endswith(CONVENTION_NOTE)
    assert milestone.deadline is not None and (milestone.deadline.due, milestone.deadline.phrase) == (due, phrase)


def test_text_dated_reports_are_not_labelled_conventions(shipped: Catalog) -> None:
    for code in ("61/KH-UBND:VI.bao-cao-quy", "61/KH-UBND:VI.3.e"):
        assert all(CONVENTION_NOTE not in (m.label or "") for m in _item(shipped, code).milestones)


REPORT = """reporting:
  - code: "99/KH-TEST:VI.bao-cao-6-thang"
    title: "Báo cáo 6 tháng"
    source: "Mục VI"
    reporters: [so-tttt]
    period: half_year
    first_period: "2022-H1"
    last_period: "2022-H1"
"""

CONVENTIONS = """before_date_means: {means}
report_days: {{due_day: 25, cutoff_start_day: 15, cutoff_end_day: 14, basis: "quy ước thử"}}
"""


def _report_catalog(tmp_path: Path, fields: str, conventions: str | None) -> Path:
    directory = copy_catalog(tmp_path)
    path = directory / PLAN
    path.write_text(path.read_text(encoding="utf-8") + REPORT + fields, encoding="utf-8")
    if conventions is not None:
        (directory / "conventions.yaml").write_text(conventions, encoding="utf-8")
    return directory


def test_convention_days_come_from_the_one_setting(tmp_path: Path) -> None:
    fields = '    dates: convention\n    deadline: "Định kỳ 6 tháng"\n'
    catalog = load_catalog(_report_catalog(tmp_path, fields, CONVENTIONS.format(means="end_of_day")))
    milestone = _item(catalog, "99/KH-TEST:VI.bao-cao-6-thang").milestones[0]
    assert milestone.deadline is not None and milestone.deadline.due == date(2022, 6, 25)
    assert milestone.cutoff_start == date(2021, 12, 15) and milestone.label == f"6 tháng đầu năm 2022 {CONVENTION_NOTE}"


@pytest.mark.parametrize(
    "fields, conventions, message",
    [
        ('    dates: convention\n    deadline: "Định kỳ 6 tháng"\n', None, "needs report_days"),
        ('    dates: convention\n    due_day: 20\n    deadline: "Định kỳ 6 tháng"\n', "", "remove due_day"),
        ("    dates: convention\n", "", "needs deadline"),
    ],
)
def test_convention_errors(tmp_path: Path, fields: str, conventions: str | None, message: str) -> None:
    conventions = CONVENTIONS.format(means="end_of_day") if conventions == "" else conventions
    with pytest.raises(CatalogInvalid) as caught:
        load_catalog(_report_catalog(tmp_path, fields, conventions))
    text = str(caught.value.problems[0])
    assert text.startswith(f"{PLAN}:") and message in text


def test_a_bad_before_date_setting_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CatalogInvalid) as caught:
        load_catalog(_report_catalog(tmp_path, "    due_day: 20\n", CONVENTIONS.format(means="yesterday")))
    assert str(caught.value.problems[0]).startswith("conventions.yaml:1: before_date_means")


# -- class 8: "trước ngày X" is one setting ------------------------------------------------------
def test_shipped_reading_is_end_of_day(shipped: Catalog) -> None:
    deadline = _item(shipped, "117/KH-UBND:II.2.d").milestones[0].deadline
    assert deadline is not None and deadline.due == date(2022, 6, 30)


@pytest.mark.parametrize("means, due, report_due", [("end_of_day", 30, 20), ("previous_day", 29, 19)])
def test_before_date_setting_moves_every_truoc_ngay(tmp_path: Path, means: str, due: int, report_due: int) -> None:
    fields = "    due_day: 20\n    due_before: true\n"
    catalog = load_catalog(_report_catalog(tmp_path, fields, CONVENTIONS.format(means=means)))
    milestone = _item(catalog, "99/KH-TEST:II.1").milestones[0]
    assert milestone.deadline is not None and milestone.deadline.due == date(2022, 6, due)
    assert milestone.deadline.phrase == "trước ngày 30/6/2022"  # shown as written next to the date
    report = _item(catalog, "99/KH-TEST:VI.bao-cao-6-thang").milestones[0].deadline
    assert report is not None and report.due == date(2022, 6, report_due)
    done = _item(catalog, "99/KH-TEST:II.3").milestones[0].deadline  # "Tháng 02/2022": not a "trước"
    assert done is not None and done.due == date(2022, 2, 28)


def test_continuous_work_has_no_date(session: Session, clock: FrozenClock, tmp_path: Path) -> None:
    """ "Thường xuyên" sets no date: a standing duty from the plan's issue, never reminded of, nor
    escalated for, a deadline the text does not set (it was given the plan year's end, and mails
    said "Thời hạn sắp đến (ngày 03/01/2023)")."""
    load_min_catalog(session, clock.now(), _with_item(tmp_path, "Thường xuyên"))
    row = assignment_for(session, "99/KH-TEST:II.9", "so-tttt")
    milestone = session.get(Milestone, row.milestone_id)
    assert row.due_at is None and milestone is not None
    assert (milestone.start_date, milestone.due_date) == (date(2022, 3, 1), None)  # the plan's issue
    later = clock.now().replace(year=2023, month=6, day=30)
    assert category(row.state, row.due_at, row.reported_at, milestone.start_date, later) is Category.STANDING


def test_yearly_work_is_owed_by_the_plan_years_end(session: Session, clock: FrozenClock, tmp_path: Path) -> None:
    load_min_catalog(session, clock.now(), _with_item(tmp_path, "Hằng năm"))
    milestone = session.get(Milestone, assignment_for(session, "99/KH-TEST:II.9", "so-tttt").milestone_id)
    assert milestone is not None and milestone.due_date == date(2022, 12, 31)


def test_a_reports_day_is_worded_as_the_text_words_it(shipped: Catalog) -> None:
    """61/KH-UBND VI.3.e: "chậm nhất vào ngày 25 tháng cuối quý", the 25th itself; VI.bao-cao-quy:
    "trước ngày 20 tháng cuối quý". Mails quoted the first as "trước ngày 25/09/2022"."""
    items = {item.code: item for plan in shipped.plans for item in plan.items}
    latest = items["61/KH-UBND:VI.3.e"].milestones[-1].deadline
    before = items["61/KH-UBND:VI.bao-cao-quy"].milestones[-1].deadline
    assert latest is not None and latest.phrase.startswith("chậm nhất ngày 25/")
    assert before is not None and before.phrase.startswith("trước ngày 20/")
