"""When the ladder starts: the first overdue notice on a working day, the tracking start of the
installation (and plans opted in), and a plan issued after one of its own deadlines."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import update
from sqlmodel import Session, select

from dondoc.engine.clock import LOCAL_TZ, FrozenClock
from dondoc.engine.models import Assignment, Notification, PlanItem
from dondoc.engine.services.overdue_lists import overdue_now
from dondoc.engine.services.queries import category_counts, list_assignments
from dondoc.engine.services.tracking import set_tracking_start, track_plan, tracking_start
from dondoc.engine.settings import Settings
from dondoc.engine.status import Category
from dondoc.notifications.digests import build_digests
from dondoc.notifications.render import render
from tests.factories import assignment_for, load_min_catalog
from tests.support.catalogs import MIN_CATALOG, copy_catalog, edit
from tests.support.sweep import CALENDAR, run_sweep, rungs_of

ITEM = "99/KH-TEST:II.1"


def _sweep_daily(session: Session, clock: FrozenClock, until: date) -> dict[str, date]:
    """Sweep every day at 08:00 up to ``until``; {dedupe_key: day decided}."""
    decided: dict[str, date] = {}
    while clock.now().date() <= until:
        for decision in run_sweep(session, clock.now()):
            assert decision.dedupe_key not in decided, f"decided twice: {decision.dedupe_key}"
            decided[decision.dedupe_key] = clock.now().date()
        clock.advance(timedelta(days=1))
    return decided


def _normal_ladder(session: Session) -> None:
    session.execute(update(PlanItem).values(priority=False))
    session.commit()


# ---- the first overdue notice respects the calendar -----------------------------------------


@pytest.mark.parametrize(
    ("due", "first", "to_vice_chair_on"),
    [
        (date(2022, 7, 1), date(2022, 7, 4), date(2022, 7, 6)),  # due Fri: Mon, then the 3rd working day
        (date(2022, 7, 2), date(2022, 7, 4), date(2022, 7, 6)),  # due Sat (not moved): Mon
        (date(2022, 8, 31), date(2022, 9, 5), date(2022, 9, 7)),  # 01–02/09 Quốc khánh, then a weekend
        (date(2022, 6, 29), date(2022, 6, 30), date(2022, 7, 4)),  # due Wed: the next day, as before
    ],
)
def test_the_first_overdue_notice_goes_on_the_first_working_day_after_due(
    session: Session, clock: FrozenClock, due: date, first: date, to_vice_chair_on: date
) -> None:
    load_min_catalog(session, clock.now(), MIN_CATALOG)
    _normal_ladder(session)
    row = assignment_for(session, ITEM, "so-noi-vu")
    session.execute(
        update(Assignment)
        .where(Assignment.id == row.id)
        .values(due_at=datetime(*due.timetuple()[:3], 23, 59, 59, tzinfo=LOCAL_TZ))
    )
    session.commit()
    clock.set(datetime(2022, 6, 1, 8, 0, tzinfo=LOCAL_TZ))
    rungs = rungs_of(_sweep_daily(session, clock, to_vice_chair_on + timedelta(days=1)), row.id or 0)
    assert {(rule, day) for rule, who, day in rungs if who == "agency" and rule == "qua-han"} == {("qua-han", first)}
    assert ("qua-han-3", "vice-chair", to_vice_chair_on) in rungs
    assert all(CALENDAR.is_working_day(day) for _, _, day in rungs)


# ---- the tracking start ---------------------------------------------------------------------


def test_milestones_before_the_tracking_start_are_shown_but_never_overdue(session: Session, clock: FrozenClock) -> None:
    load_min_catalog(session, clock.now(), MIN_CATALOG)
    _normal_ladder(session)
    set_tracking_start(session, date(2022, 7, 15))  # the plan (01/03) and its 30/06 milestone come before it
    session.commit()
    assert tracking_start(session) == date(2022, 7, 15)
    now = datetime(2022, 7, 20, 9, 0, tzinfo=LOCAL_TZ)
    first = assignment_for(session, ITEM, "so-noi-vu")  # due 30/06
    second = assignment_for(session, ITEM, "so-noi-vu", seq=2)  # due 15/11: tracked
    views = {v.id: v for v in list_assignments(session, now, plan="99/KH-TEST")}
    assert views[first.id].category == Category.BEFORE_TRACKING.value  # visible, in a category of its own
    assert views[first.id].category_label == "Trước khi theo dõi"
    assert views[second.id].category == Category.ON_TRACK.value
    (total,) = category_counts(session, now)
    # II.1's 30/06 milestone (5 agencies) and II.3, done at issue (3): all counted apart
    assert total.counts["truoc_khi_theo_doi"] == 8 and total.counts["dang_thuc_hien_qua_han"] == 0
    assert _overdue(session, now) == []
    clock.set(datetime(2022, 7, 15, 8, 0, tzinfo=LOCAL_TZ))  # the look-back reaches 01/07–11/07's rungs
    decided = _sweep_daily(session, clock, date(2022, 7, 25))
    assert rungs_of(decided, first.id or 0) == set()  # never escalated

    # Opted in by the secretariat: the plan is tracked whole, its rungs in the look-back fire.
    assert track_plan(session, "99/KH-TEST") > 0
    session.commit()
    views = {v.id: v for v in list_assignments(session, now, plan="99/KH-TEST")}
    assert views[first.id].category == Category.OVERDUE.value
    assert first.id in set(_overdue(session, now))
    rungs = rungs_of(_sweep_daily(session, clock, date(2022, 7, 27)), first.id or 0)
    assert {("qua-han", "agency"), ("qua-han-3", "vice-chair"), ("qua-han-7", "chair")} <= {(r, w) for r, w, _ in rungs}


def test_a_plan_issued_after_the_tracking_start_is_tracked_whole(
    session: Session, clock: FrozenClock, tmp_path: Path
) -> None:
    catalog = copy_catalog(tmp_path)
    edit(catalog, "plans/test-plan.yaml", "issued: 2022-03-01", "issued: 2022-06-20")
    load_min_catalog(session, clock.now(), catalog)
    set_tracking_start(session, date(2022, 6, 15))
    session.commit()
    now = datetime(2022, 7, 20, 9, 0, tzinfo=LOCAL_TZ)
    first = assignment_for(session, ITEM, "so-noi-vu")
    assert first.id in set(_overdue(session, now))


def test_no_tracking_start_tracks_everything(session: Session, clock: FrozenClock) -> None:
    load_min_catalog(session, clock.now(), MIN_CATALOG)
    now = datetime(2022, 7, 20, 9, 0, tzinfo=LOCAL_TZ)
    (total,) = category_counts(session, now)
    assert total.counts["truoc_khi_theo_doi"] == 0 and total.counts["dang_thuc_hien_qua_han"] == 5


# ---- a plan issued after one of its own deadlines ---------------------------------------------


@pytest.fixture
def catch_up(session: Session, clock: FrozenClock, tmp_path: Path) -> tuple[int, int]:
    """The minimal plan issued Wed 27/07/2022, after its 30/06 milestone (15/11 still ahead)."""
    catalog = copy_catalog(tmp_path)
    edit(catalog, "plans/test-plan.yaml", "issued: 2022-03-01", "issued: 2022-07-27")
    load_min_catalog(session, clock.now(), catalog)
    _normal_ladder(session)
    set_tracking_start(session, date(2022, 6, 1))
    session.commit()
    return assignment_for(session, ITEM, "so-noi-vu").id or 0, assignment_for(session, ITEM, "so-noi-vu", 2).id or 0


def test_the_secretariat_digest_lists_work_overdue_at_issue_with_the_rest_of_the_overdue_work(
    session: Session, clock: FrozenClock, catch_up: tuple[int, int]
) -> None:
    """Its count said 76 overdue while its list, "đã đôn đốc", held 65: the 11 given after their
    date were told to their agency only. Now the secretariat hears of them the day they are
    given, and its digest lists them in the overdue section, each with the reason."""
    late, _ = catch_up
    clock.set(datetime(2022, 7, 27, 8, 0, tzinfo=LOCAL_TZ))
    run_sweep(session, clock.now())
    at = datetime(2022, 7, 28, 7, 30, tzinfo=LOCAL_TZ)
    made = {row.recipient_role: row for row in build_digests(session, now=at, settings=Settings(demo=True))}
    digest = made["secretariat"]
    overdue = next(section for section in digest.data["sections"] if section["kind"] == "overdue")
    listed = [row["assignment_id"] for row in overdue["rows"]]
    assert late in listed and len(listed) == digest.data["counts"]["overdue"] > 0  # every overdue part, listed
    text = " ".join(digest.body_text.split())
    assert f"Phần việc quá hạn chưa báo cáo — đã đôn đốc ({len(listed)})" in text, digest.body_text
    # late by its date's count (2022-06-30 to 28/07), and by the day it was given: since 27/07, one working day
    said = "quá hạn 1 ngày làm việc kể từ ngày ban hành kế hoạch 27/07/2022 (thời hạn ghi trong kế hoạch đã qua"
    assert said in text
    assert said in digest.body_html
    assert "số liệu tính lúc lập thư, 07:30 ngày 28/07/2022" in text


def test_a_deadline_passed_at_issue_gets_one_notice_then_the_ladder_from_the_issue_day(
    session: Session, clock: FrozenClock, catch_up: tuple[int, int]
) -> None:
    late, normal = catch_up
    clock.set(datetime(2022, 7, 20, 8, 0, tzinfo=LOCAL_TZ))
    decided = _sweep_daily(session, clock, date(2022, 12, 1))
    issued = date(2022, 7, 27)
    assert rungs_of(decided, late) == {
        ("qua-han-khi-ban-hanh", "agency", issued),  # one notice on the day of issue, nothing else that day
        ("qua-han-khi-ban-hanh", "secretariat", issued),  # and the secretariat told, as of any overdue work
        ("qua-han-3", "vice-chair", CALENDAR.add_working_days(issued, 3)),  # Mon 01/08
        ("qua-han-7", "chair", CALENDAR.add_working_days(issued, 7)),  # Fri 05/08
        ("chua-tiep-nhan-3", "agency", date(2022, 8, 1)),
        ("chua-tiep-nhan-5", "agency", date(2022, 8, 3)),
        ("chua-tiep-nhan-5", "secretariat", date(2022, 8, 3)),
    }
    assert CALENDAR.add_working_days(issued, 7) == date(2022, 8, 5)
    # The 15/11 milestone keeps the normal ladder, counted from its due date.
    normal_rungs = {(rule, who, day) for rule, who, day in rungs_of(decided, normal) if rule.startswith("qua-han")}
    assert normal_rungs == {
        ("qua-han", "agency", date(2022, 11, 16)),
        ("qua-han", "lead", date(2022, 11, 16)),
        ("qua-han", "secretariat", date(2022, 11, 16)),
        ("qua-han-3", "vice-chair", CALENDAR.add_working_days(date(2022, 11, 15), 3)),
        ("qua-han-7", "chair", CALENDAR.add_working_days(date(2022, 11, 15), 7)),
    }


def test_the_notice_at_issue_says_both_dates(session: Session, clock: FrozenClock, catch_up: tuple[int, int]) -> None:
    from dondoc.engine.settings import Settings
    from dondoc.notifications.context import assignment_context, common_context

    late, _ = catch_up
    clock.set(datetime(2022, 7, 27, 8, 0, tzinfo=LOCAL_TZ))
    run_sweep(session, clock.now())
    notice = session.exec(
        select(Notification).where(Notification.kind == "overdue_at_issue", Notification.assignment_id == late)
    ).first()
    assert notice is not None and notice.data["issued"] == "2022-07-27"
    settings = Settings(demo=True)
    context = common_context("agency", None, settings=settings)
    facts = assignment_context(
        session, late, role="agency", email=notice.recipient_email, data=notice.data, now=clock.now(), settings=settings
    )
    rendered = render("overdue_at_issue", {**context, **facts, "a": facts})
    assert "Quá hạn khi ban hành" in rendered.subject
    for part in (rendered.text, rendered.html):
        assert "ngày 30/06/2022" in part and "ban hành ngày 27/07/2022" in part
        assert "đã qua trước ngày ban hành" in part
        assert "27/07/2022 (văn bản ban hành ngày 27/07/2022, sau thời hạn)" in part  # the facts' line
        # the body is not asked to explain a delay that came before the plan (rates count the part
        # apart: engine.reports.counted), and its days are counted from both days, each named
        assert "giải trình" not in part and "vẫn tính là đã quá" not in part
        assert "Việc đôn đốc tính từ ngày ban hành" in part
        said = "quá hạn ngay từ ngày ban hành kế hoạch 27/07/2022 (thời hạn ghi trong kế hoạch"
        assert said in " ".join(part.split())
    assert "; 19 ngày làm việc kể từ thời hạn)" in rendered.text


def test_the_chairs_mail_on_work_given_after_its_date_counts_from_the_day_it_was_given_too(
    session: Session, clock: FrozenClock, catch_up: tuple[int, int]
) -> None:
    """The chair's rung on 117/KH-UBND's 30/06 milestone fires on Fri 05/08, 7 working days after the
    plan's issue (27/07): "quá hạn 26 ngày làm việc" alone read as 26 days of the body's delay."""
    from dondoc.engine.settings import Settings
    from dondoc.notifications.context import assignment_context, common_context

    late, _ = catch_up
    clock.set(datetime(2022, 8, 5, 8, 0, tzinfo=LOCAL_TZ))
    run_sweep(session, clock.now())
    told = session.exec(
        select(Notification).where(
            Notification.kind == "escalation",
            Notification.assignment_id == late,
            Notification.recipient_role == "chair",
        )
    ).first()
    assert told is not None and told.data["working_days_since_given"] == 7
    settings = Settings(demo=True)
    facts = assignment_context(
        session, late, role="chair", email=told.recipient_email, data=told.data, now=clock.now(), settings=settings
    )
    rendered = render("escalation", {**common_context("chair", None, settings=settings), **facts, "a": facts})
    flat = " ".join(rendered.text.split())
    # the days the body has had it and the day given first, the days since the text's date second
    said = (
        "Quá hạn: quá hạn 7 ngày làm việc kể từ ngày ban hành kế hoạch 27/07/2022 (thời hạn ghi trong kế hoạch"
        " đã qua trước ngày ban hành; 26 ngày làm việc kể từ thời hạn)"
    )
    assert said in flat
    # and its subject the same first figure, not "quá hạn 26 ngày làm việc"
    assert rendered.subject.endswith(" quá hạn 7 ngày làm việc kể từ ngày ban hành kế hoạch"), rendered.subject


def test_a_request_between_people_about_work_given_after_its_date_counts_from_the_day_given(
    session: Session, clock: FrozenClock, catch_up: tuple[int, int]
) -> None:
    """The secretariat asks for an explanation on Fri 05/08 of 117/KH-UBND-like work issued 27/07 after
    its 30/06 date: the mail read "Số ngày làm việc quá hạn: 26", every other mail and page 7 since the
    plan's issue first (its data held no figure since given to count again when it is rendered)."""
    from dondoc.engine.actors import SECRETARIAT
    from dondoc.engine.services.assignments import Request, act
    from dondoc.engine.workflow import Action
    from dondoc.notifications.outbox import rendered_columns
    from dondoc.notifications.refresh import rerendered

    late, _ = catch_up
    clock.set(datetime(2022, 8, 5, 8, 0, tzinfo=LOCAL_TZ))
    act(session, late, Request(Action.REQUEST_EXPLANATION, SECRETARIAT, comment="Đề nghị giải trình."), now=clock.now())
    session.commit()
    (asked,) = session.exec(
        select(Notification).where(Notification.assignment_id == late, Notification.kind == "explanation_request")
    ).all()
    settings = Settings(demo=True)
    spec, _ = rerendered(session, asked, now=clock.now(), settings=settings)  # as delivery renders it
    assert spec is not None
    text = " ".join(rendered_columns(session, spec, now=clock.now(), settings=settings)["body_text"].split())
    assert "Quá hạn: quá hạn 7 ngày làm việc kể từ ngày ban hành kế hoạch 27/07/2022" in text, text
    assert "Số ngày làm việc quá hạn: 26" not in text


def test_work_named_after_its_date_is_a_catch_up_order_that_blames_no_plan(
    session: Session, clock: FrozenClock, tmp_path: Path
) -> None:
    """A plan issued in time (01/03/2022) whose item named nobody; the secretariat names Sở Nội vụ on
    Mon 10/10, after the item's date (before 30/9): one notice that day, the ladder from that day,
    and the mails say the body was given the work on 10/10, never that the plan came after its date."""
    from dondoc.engine.actors import SECRETARIAT
    from dondoc.engine.services.naming import name_agencies
    from dondoc.engine.settings import Settings
    from dondoc.engine.workcalendar import WorkCalendar
    from dondoc.notifications.context import assignment_context, common_context
    from tests.support.unnamed import ONLY_UNNAMED, unnamed_catalog

    load_min_catalog(session, clock.now(), unnamed_catalog(tmp_path))
    _normal_ladder(session)
    item = session.exec(select(PlanItem).where(PlanItem.code == ONLY_UNNAMED)).one()
    named_on = date(2022, 10, 10)
    clock.set(datetime(2022, 10, 10, 9, 0, tzinfo=LOCAL_TZ))
    (named,) = name_agencies(
        session,
        item.id or 0,
        [("so-noi-vu", "lead")],
        actor=SECRETARIAT,
        username="tgv",
        now=clock.now(),
        calendar=WorkCalendar.default(),
        local=clock,
    )
    session.commit()
    clock.set(datetime(2022, 10, 10, 10, 0, tzinfo=LOCAL_TZ))
    decided = _sweep_daily(session, clock, date(2022, 10, 25))
    rungs = rungs_of(decided, named.id or 0)
    assert ("qua-han-khi-ban-hanh", "agency", named_on) in rungs
    assert ("qua-han-3", "vice-chair", CALENDAR.add_working_days(named_on, 3)) in rungs  # from the day it was given
    assert not any(rule == "qua-han" for rule, _, _ in rungs)  # no first notice counted from the date
    notice = session.exec(
        select(Notification).where(
            Notification.kind == "overdue_at_issue",
            Notification.assignment_id == named.id,
            Notification.recipient_role == "agency",
        )
    ).one()
    assert ("qua-han-khi-ban-hanh", "secretariat", named_on) in rungs  # held for its digest, as overdue work
    settings = Settings(demo=True)
    for role in ("agency", "secretariat"):
        context = common_context(role, None, settings=settings)
        facts = assignment_context(
            session,
            named.id or 0,
            role=role,
            email=notice.recipient_email,
            data=notice.data,
            now=clock.now(),
            settings=settings,
        )
        rendered = render("overdue_at_issue", {**context, **facts, "a": facts})
        assert "Quá hạn ngay khi giao" in rendered.subject
        assert "\n- Ngày giao: 10/10/2022 (sau thời hạn)\n" in rendered.text  # a line of its own
        for part in (" ".join(rendered.text.split()), rendered.html):  # the text is wrapped
            assert "(ban hành ngày 01/03/2022)" in part
            assert "sau thời hạn ngày 30/09/2022" in part
            assert ("cơ quan ngày 10/10/2022" if role == "agency" else "Ngày 10/10/2022, Sở Nội vụ được giao") in part
            assert "đã qua trước ngày ban hành" not in part  # the plan of 01/03 came before its date
            assert "10/10/2022 (sau thời hạn)" in part  # the facts' line: the day it was given
    escalation = session.exec(
        select(Notification).where(Notification.assignment_id == named.id, Notification.recipient_role == "vice-chair")
    ).first()
    assert escalation is not None
    context = common_context("vice-chair", None, settings=settings)
    facts = assignment_context(
        session,
        named.id or 0,
        role="vice-chair",
        email=escalation.recipient_email,
        data=escalation.data,
        now=clock.now(),
        settings=settings,
    )
    rendered = render(escalation.kind, {**context, **facts, "a": facts})
    for part in (rendered.text, rendered.html):
        assert "10/10/2022 (sau thời hạn)" in part  # the chair reads how long the body has had it


def _overdue(session: Session, now: datetime) -> list[int | None]:
    """The ids on the board's overdue list, whole."""
    return [r.view.id for r in overdue_now(session, now, CALENDAR, limit=5000)]
