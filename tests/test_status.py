"""Derived categories: the rule, and the SQL roll-up that must agree with it."""

from __future__ import annotations

import itertools
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import update
from sqlmodel import Session, col, select

from dondoc.engine.clock import LOCAL_TZ, FrozenClock
from dondoc.engine.models import AgencyTransfer, Assignment, Installation, Milestone, Plan, PlanItem, State
from dondoc.engine.services.queries import category_counts, list_assignments
from dondoc.engine.services.tracking import set_tracking_start
from dondoc.engine.status import (
    CATEGORY_CODES,
    LATE_CATEGORIES,
    Category,
    Suffix,
    at_now,
    before_tracking,
    category,
    category_at_now,
    category_code_marked_at_now,
    category_sql,
    held_until,
    moved_off_day,
)
from tests.factories import load_min_catalog
from tests.support.catalogs import MIN_CATALOG

NOW = datetime(2022, 7, 1, 9, 0, tzinfo=LOCAL_TZ)
DUE = datetime(2022, 6, 30, 23, 59, 59, tzinfo=LOCAL_TZ)
# a mark after the done and the late rows of the work given after NOW (of the matrix)
SUFFIX = Suffix(col(Assignment.assigned_at) > NOW, "~", frozenset({Category.DONE_ON_TIME, *LATE_CATEGORIES}))


@pytest.mark.parametrize(
    ("state", "due", "reported", "start", "expected"),
    [
        (State.ASSIGNED, DUE, None, None, Category.OVERDUE),
        (State.IN_PROGRESS, DUE + timedelta(days=2), None, None, Category.ON_TRACK),
        (State.ASSIGNED, DUE + timedelta(days=200), None, date(2023, 1, 1), Category.NOT_YET_DUE),
        (State.ASSIGNED, None, None, None, Category.WAITING),
        (State.IN_PROGRESS, None, None, date(2022, 6, 1), Category.STANDING),  # kể từ ngày …: never overdue
        # a standing duty not begun ("kể từ ngày 01/01/2023" read in 2022): not a standing duty in force,
        # nor "chưa đến hạn" (it has no due date): its own category
        (State.ASSIGNED, None, None, date(2023, 1, 1), Category.STANDING_NOT_BEGUN),
        (State.IN_PROGRESS, None, None, date(2023, 1, 1), Category.STANDING_NOT_BEGUN),
        (State.VERIFIED, None, NOW, date(2022, 6, 1), Category.DONE_ON_TIME),
        (State.REPORTED, DUE, DUE - timedelta(hours=1), None, Category.DONE_ON_TIME),
        (State.VERIFIED, DUE, DUE + timedelta(seconds=1), None, Category.DONE_LATE),
        (State.REPORTED, None, NOW, None, Category.DONE_ON_TIME),
        (State.CANCELLED, DUE, None, None, Category.CANCELLED),
    ],
)
def test_category_rule(state: State, due, reported, start, expected: Category) -> None:
    assert category(state.value, due, reported, start, NOW) == expected


def test_work_done_after_the_instant_judged_is_still_open_then() -> None:
    later = NOW + timedelta(days=3)
    assert category(State.VERIFIED.value, DUE, later, None, NOW) == Category.OVERDUE
    assert category(State.REPORTED.value, DUE + timedelta(days=10), later, None, NOW) == Category.ON_TRACK
    assert category(State.VERIFIED.value, DUE, later, None, later) == Category.DONE_LATE
    assert category(State.CANCELLED.value, DUE, None, None, NOW, closed_at=later) == Category.OVERDUE
    assert category(State.CANCELLED.value, DUE, None, None, later, closed_at=later) == Category.CANCELLED


def test_a_marked_precondition_waits_from_the_instant_marked() -> None:
    marked = NOW - timedelta(days=3)
    assert category(State.IN_PROGRESS.value, DUE, None, None, NOW, waiting_since=marked) == Category.WAITING
    assert category(State.ASSIGNED.value, DUE, None, None, marked - timedelta(seconds=1), waiting_since=marked) == (
        Category.ON_TRACK
    )
    # Done or cancelled work is judged as such, marked or not.
    assert category(State.REPORTED.value, DUE, DUE, None, NOW, waiting_since=marked) == Category.DONE_ON_TIME
    assert category(State.CANCELLED.value, DUE, None, None, NOW, waiting_since=marked) == Category.CANCELLED


def test_work_not_given_yet_is_not_yet_due_whatever_its_row_says() -> None:
    """A plan loaded before its issue day: before ``assigned_at`` nothing of it is late or done."""
    given = NOW + timedelta(days=20)
    assert category(State.ASSIGNED.value, DUE, None, None, NOW, assigned_at=given) == Category.NOT_YET_DUE
    assert category(State.VERIFIED.value, DUE, DUE, None, NOW, assigned_at=given) == Category.NOT_YET_DUE
    assert category(State.ASSIGNED.value, DUE, None, None, given, assigned_at=given) == Category.OVERDUE


def test_due_instant_is_the_boundary() -> None:
    assert category("assigned", DUE, None, None, DUE) == Category.ON_TRACK
    assert category("assigned", DUE, None, None, DUE + timedelta(seconds=1)) == Category.OVERDUE


def test_sql_rollup_agrees_with_the_rule(session: Session, clock: FrozenClock) -> None:
    load_min_catalog(session, clock.now(), MIN_CATALOG)
    assignments = session.exec(select(Assignment).order_by(Assignment.id)).all()
    dues = [None, DUE, DUE + timedelta(days=30)]
    reports = [None, DUE - timedelta(days=1), DUE + timedelta(days=3)]
    combos = itertools.cycle(itertools.product(State, dues, reports))
    waits = itertools.cycle([None, None, NOW - timedelta(days=30)])  # marked before some instants judged
    # given before every instant judged, or after some of them (a plan loaded before its issue day)
    given = itertools.cycle([NOW - timedelta(days=200)] * 6 + [NOW + timedelta(days=10)])
    for assignment, (state, due, reported), waiting, assigned in zip(assignments, combos, waits, given, strict=False):
        closed = reported if state == State.CANCELLED else None  # cancelled at some instants, not yet at others
        session.execute(
            update(Assignment)
            .where(Assignment.id == assignment.id)
            .values(
                state=state.value,
                due_at=due,
                reported_at=reported,
                closed_at=closed,
                waiting_condition_since=waiting,
                assigned_at=assigned,
            )
        )
    session.execute(update(Milestone).where(Milestone.seq == 2).values(start_date=date(2022, 8, 1)))
    # work never given to a body that ended (successions.never_given): waiting still, or decided (the
    # body named, or the part cancelled) at an instant judged, before one, or after one
    agency = assignments[0].agency_id
    decisions = [("pending", None), ("done", NOW), ("closed", NOW - timedelta(days=90)), ("closed", NOW + timedelta(1))]
    for assignment, (status, decided) in zip(assignments[1::5], decisions, strict=False):
        session.add(
            AgencyTransfer(
                assignment_id=assignment.id or 0,
                succession_key="test",
                from_agency_id=agency,
                effective_on=date(2022, 1, 1),
                recorded_at=NOW - timedelta(days=100),
                status=status,
                reason="giải thể",
                decided_at=decided,
                never_given=True,
            )
        )
    session.commit()
    for now in (NOW - timedelta(days=60), NOW, NOW + timedelta(days=90)):
        views = list_assignments(session, now)
        assert any(not view.given and view.assigned_at <= now for view in views)  # held back then
        # Each view's category (the SQL's, read with its row) is the rule's for that row.
        assert {view.id: view.category for view in views} == _by_the_rule(session, now)
        by_rule: dict[str, int] = {}
        for view in views:
            by_rule[view.category] = by_rule.get(view.category, 0) + 1
        if now > NOW + timedelta(days=60):  # the matrix reaches the categories this rule adds (its start: 01/08)
            assert by_rule.get(Category.STANDING.value) and by_rule.get(Category.WAITING.value), by_rule
        else:  # before that start, the same rows with no due date: standing duties not begun, in the SQL too
            assert by_rule.get(Category.STANDING_NOT_BEGUN.value), by_rule
        (total,) = category_counts(session, now)
        assert {k: v for k, v in total.counts.items() if v} == by_rule
        assert total.total == len(views) == len(assignments)
        per_agency = category_counts(session, now, by="agency")
        assert sum(row.total for row in per_agency) == total.total
        for wanted in by_rule:
            assert len(list_assignments(session, now, status=wanted)) == by_rule[wanted]
        # The CASE built once with now as parameters answers as the one built with now's values.
        joined = select(Assignment.id, category_sql(now)).join(Milestone).order_by(Assignment.id)
        bound = select(Assignment.id, category_at_now()).join(Milestone).order_by(Assignment.id)
        assert session.execute(bound, at_now(now)).all() == session.execute(joined).all()
        assert {c for _, c in session.execute(joined)} == set(by_rule)
    # With a tracking start after the plan's issue, some of the same rows are before tracking.
    set_tracking_start(session, date(2022, 7, 1))
    session.commit()
    for now in (NOW - timedelta(days=60), NOW, NOW + timedelta(days=90)):
        judged = {view.id: view.category for view in list_assignments(session, now)}
        assert judged == _by_the_rule(session, now)
        assert Category.BEFORE_TRACKING.value in judged.values()


def test_the_case_by_kind_of_state_answers_as_the_case_written_once(session: Session, clock: FrozenClock) -> None:
    """The marked codes written once per kind of state (the board's summary: each kind without the
    tests its state answers) are the CASE's written once, marks and a suffix included, for every
    state with every date, report and giving day, at instants before, on and after them."""
    load_min_catalog(session, clock.now(), MIN_CATALOG)
    ids = [a.id for a in session.exec(select(Assignment).order_by(Assignment.id))]
    dues = [None, DUE, DUE + timedelta(days=30)]
    reports = [None, DUE - timedelta(days=1), DUE + timedelta(days=3)]
    given = [NOW - timedelta(days=200), DUE + timedelta(hours=2), NOW + timedelta(days=10)]
    combos = list(itertools.product(State, dues, reports, given))
    session.execute(update(Milestone).where(Milestone.seq == 2).values(start_date=date(2022, 8, 1)))
    seen: set[str] = set()
    for first in range(0, len(combos), len(ids)):
        for assignment_id, (state, due, reported, assigned) in zip(ids, combos[first:], strict=False):
            closed = (reported or NOW - timedelta(days=1)) if state == State.CANCELLED else None
            values = {"state": state.value, "due_at": due, "reported_at": reported, "closed_at": closed}
            session.execute(
                update(Assignment).where(Assignment.id == assignment_id).values(assigned_at=assigned, **values)
            )
        for now in (NOW - timedelta(days=60), NOW, NOW + timedelta(days=90)):
            plain, by_state = (
                session.execute(
                    select(Assignment.id, category_code_marked_at_now(SUFFIX, by_state=by_state))
                    .join(Milestone)
                    .order_by(Assignment.id),
                    at_now(now),
                ).all()
                for by_state in (False, True)
            )
            assert by_state == plain
            seen |= {code for _, code in plain}
    # the matrix reached both marks, the suffix on a done and on a late row, and every category
    assert {"0?", "3~", "4!", "4!~", "2!~", "2~"} <= seen
    assert {code[0] for code in seen} == set(CATEGORY_CODES.values()) - {CATEGORY_CODES[Category.BEFORE_TRACKING]}


def _by_the_rule(session: Session, now: datetime) -> dict[int | None, str]:
    """Every assignment's category by :func:`category` in Python, from its entities."""
    installation = session.exec(select(Installation)).first()
    rows = session.exec(select(Assignment, Milestone, Plan).join(Milestone).join(PlanItem).join(Plan))
    held = {t.assignment_id: held_until(t.status, t.decided_at) for t in session.exec(select(AgencyTransfer))}
    return {
        a.id: category(
            a.state,
            a.due_at,
            a.reported_at,
            m.start_date,
            now,
            a.closed_at,
            untracked=before_tracking(a.due_at, p.issued, p.tracked, installation),
            waiting_since=a.waiting_condition_since,
            assigned_at=max(a.assigned_at, held[a.id]) if a.id in held else a.assigned_at,
        ).value
        for a, m, p in rows
    }


def test_rollup_of_the_minimal_catalog(session: Session, clock: FrozenClock) -> None:
    load_min_catalog(session, clock.now(), MIN_CATALOG)
    (total,) = category_counts(session, NOW)
    # II.1: 5 agencies × 2 milestones (30/6 passed, 15/11 ahead); II.2 waits; II.3 done at issue (3).
    assert total.counts == {
        "chua_den_han": 0,
        "dang_thuc_hien_trong_han": 5,
        "dang_thuc_hien_qua_han": 5,
        "hoan_thanh_dung_han": 3,
        "hoan_thanh_qua_han": 0,
        "cho_dieu_kien": 1,
        "thuong_xuyen": 0,
        "thuong_xuyen_chua_ap_dung": 0,
        "da_huy": 0,
        "truoc_khi_theo_doi": 0,  # no tracking start: everything is tracked
    }
    by_plan = category_counts(session, NOW, by="plan")
    assert [(r.key, r.total) for r in by_plan] == [("99/KH-TEST", 14)]


def test_work_is_given_after_its_date_by_local_days() -> None:
    """The one test of a catch-up order (engine.status.given_after_due), read by the sweep, the
    rates, the mails and the digests: by the days of the zone, not by instants."""
    from dondoc.engine.status import given_after_due

    due = datetime(2022, 6, 30, 23, 59, 59, tzinfo=LOCAL_TZ)
    assert given_after_due(due, datetime(2022, 7, 1, 0, 30, tzinfo=LOCAL_TZ), LOCAL_TZ)  # 30/06 17:30 UTC: the 1st here
    assert not given_after_due(
        due, datetime(2022, 6, 30, 8, 0, tzinfo=LOCAL_TZ), LOCAL_TZ
    )  # on its day: can still be done
    noon = datetime(2022, 6, 30, 12, 0, tzinfo=LOCAL_TZ)  # a due instant before the hour it was given, same day
    assert not given_after_due(noon, datetime(2022, 6, 30, 15, 0, tzinfo=LOCAL_TZ), LOCAL_TZ)
    assert not given_after_due(None, datetime(2022, 7, 27, tzinfo=LOCAL_TZ), LOCAL_TZ)
    assert not given_after_due(due, None, LOCAL_TZ)
    from datetime import UTC

    # as the database gives instants back (UTC): 30/06 17:30 UTC is 01/07 00:30 here, 30/06 16:00 UTC the 30th
    assert given_after_due(due.astimezone(UTC), datetime(2022, 6, 30, 17, 30, tzinfo=UTC), LOCAL_TZ)
    assert not given_after_due(due.astimezone(UTC), datetime(2022, 6, 30, 16, 0, tzinfo=UTC), LOCAL_TZ)


def test_a_day_off_moved_the_due_day_only_where_the_rule_gave_that_day() -> None:
    """31/12/2022, a Saturday, and 02/01/2023, the day off in lieu: due 03/01/2023. A row of the
    same milestone due 30/06/2022 (a date set by hand) was said moved off 31/12 too."""
    end = {"hour": 23, "minute": 59, "second": 59, "tzinfo": LOCAL_TZ}
    written, rolled = date(2022, 12, 31), datetime(2023, 1, 3, **end)
    assert moved_off_day(written, None, rolled, LOCAL_TZ) == written
    assert moved_off_day(written, rolled, rolled, LOCAL_TZ) == written  # the catalog's date stands
    assert moved_off_day(written, None, datetime(2022, 6, 30, **end), LOCAL_TZ) is None
    assert moved_off_day(written, None, datetime(2023, 1, 4, **end), LOCAL_TZ) is None  # not the rolled day
    assert moved_off_day(written, rolled, datetime(2023, 2, 1, **end), LOCAL_TZ) is None  # extended since
    assert moved_off_day(date(2023, 1, 3), None, rolled, LOCAL_TZ) is None  # a working day
