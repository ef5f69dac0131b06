"""The sweep reads only rows whose next moment has come; nothing it skips could have fired.

The reference is the sweep with every row's moment reset (every row judged, as if nothing
were known): the incremental pass must decide exactly what that full pass decides.
"""

from __future__ import annotations

import random
import shutil
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, update
from sqlmodel import Session, select

from dondoc.engine.actors import Actor
from dondoc.engine.clock import LOCAL_TZ, FrozenClock, start_of_day
from dondoc.engine.errors import DomainError
from dondoc.engine.escalation.policy import default_policy_path, load_policy
from dondoc.engine.escalation.sweep import _write_moments, sweep
from dondoc.engine.models import Agency, Assignment, PlanItem, SweepRun
from dondoc.engine.models.assignments import NEVER, RESWEEP
from dondoc.engine.services.assignments import Request, act
from dondoc.engine.workflow import Action
from tests.factories import assignment_for, load_min_catalog
from tests.support.catalogs import MIN_CATALOG
from tests.support.sweep import CALENDAR, POLICY, recording_enqueue, run_sweep


def _moment(session: Session, assignment_id: int) -> datetime:
    session.expire_all()
    return session.get(Assignment, assignment_id).next_sweep_at  # type: ignore[union-attr]


def _full_pass_keys(session: Session, now: datetime) -> set[str]:
    """What a pass that judges every row would decide now (rolled back: it leaves no trace)."""
    keys: list[str] = []
    nested = session.begin_nested()
    session.execute(update(Assignment).values(next_sweep_at=RESWEEP))
    sweep(session, now, policy=POLICY, calendar=CALENDAR, enqueue=lambda d: keys.append(d.dedupe_key) or True)
    nested.rollback()
    return set(keys)


def test_any_change_to_a_row_puts_it_back_in_the_sweep(session: Session, clock: FrozenClock) -> None:
    load_min_catalog(session, clock.now(), MIN_CATALOG)
    row = assignment_for(session, "99/KH-TEST:II.1", "so-noi-vu")
    clock.set(datetime(2022, 3, 2, 8, 0, tzinfo=LOCAL_TZ))
    run_sweep(session, clock.now())
    # A priority item given Tue 01/03: the next rung is chua-tiep-nhan-2 on Thu 03/03.
    assert _moment(session, row.id) == start_of_day(date(2022, 3, 3))
    act(session, row.id, Request(Action.ACKNOWLEDGE, Actor.agency("so-noi-vu")), now=clock.now())
    session.commit()
    assert _moment(session, row.id) == RESWEEP  # the trigger, on the service's write
    run_sweep(session, clock.now())
    assert _moment(session, row.id) > clock.now()
    session.execute(
        update(Assignment).where(Assignment.id == row.id).values(snoozed_until=clock.now() + timedelta(days=3))
    )
    session.commit()
    assert _moment(session, row.id) == RESWEEP  # the trigger, on a write that bypasses the services


def test_a_pass_with_nothing_due_reads_no_row(session: Session, clock: FrozenClock) -> None:
    load_min_catalog(session, clock.now(), MIN_CATALOG)
    clock.set(datetime(2022, 3, 2, 8, 0, tzinfo=LOCAL_TZ))
    first = sweep(
        session, clock.now(), policy=POLICY, calendar=CALENDAR, enqueue=recording_enqueue(session, clock.now())
    )
    session.commit()
    total = len(session.exec(select(Assignment.id)).all())
    assert first.candidates == total and first.decisions
    later = clock.now() + timedelta(hours=1)
    again = sweep(session, later, policy=POLICY, calendar=CALENDAR, enqueue=recording_enqueue(session, later))
    session.commit()
    assert again.candidates == 0 and again.decisions == []
    assert session.exec(select(func.count()).select_from(SweepRun)).one() == 1  # the idle pass wrote nothing
    done = assignment_for(session, "99/KH-TEST:II.3", "so-noi-vu")  # verified at import: nothing left to fire
    assert _moment(session, done.id) == NEVER


def test_rows_are_read_page_by_page_and_each_once(session: Session, clock: FrozenClock) -> None:
    load_min_catalog(session, clock.now(), MIN_CATALOG)
    now = datetime(2022, 7, 12, 8, 0, tzinfo=LOCAL_TZ)
    paged = sweep(session, now, policy=POLICY, calendar=CALENDAR, enqueue=recording_enqueue(session, now), page_size=3)
    session.commit()
    total = len(session.exec(select(Assignment.id)).all())
    assert paged.candidates == total > 3 * 3
    assert session.exec(select(func.count()).select_from(Assignment).where(Assignment.next_sweep_at <= now)).one() == 0
    assert paged.decisions and _full_pass_keys(session, now) == set()  # nothing left undecided


def test_a_row_changed_while_the_pass_judged_it_keeps_its_reset(session: Session, clock: FrozenClock) -> None:
    load_min_catalog(session, clock.now(), MIN_CATALOG)
    row = assignment_for(session, "99/KH-TEST:II.1", "so-noi-vu")
    seen_version = row.version
    act(session, row.id, Request(Action.ACKNOWLEDGE, Actor.agency("so-noi-vu")), now=clock.now())
    session.commit()
    # What a pass that read the row before the change writes:
    _write_moments(session.connection(), {(NEVER, seen_version): [row.id]})
    session.commit()
    assert _moment(session, row.id) == RESWEEP


def test_a_new_policy_or_calendar_judges_every_row_again(session: Session, clock: FrozenClock, tmp_path: Path) -> None:
    load_min_catalog(session, clock.now(), MIN_CATALOG)
    clock.set(datetime(2022, 3, 2, 8, 0, tzinfo=LOCAL_TZ))
    run_sweep(session, clock.now())
    total = len(session.exec(select(Assignment.id)).all())
    edited = tmp_path / "policy.yaml"
    edited.write_text(
        default_policy_path()
        .read_text(encoding="utf-8")
        .replace("working_days: 7, to: [chair]", "working_days: 6, to: [chair]")
    )
    policy = load_policy(edited)
    later = clock.now() + timedelta(hours=1)
    result = sweep(session, later, policy=policy, calendar=CALENDAR, enqueue=recording_enqueue(session, later))
    session.commit()
    assert result.ladder_reset and result.candidates == total
    again = sweep(session, later, policy=policy, calendar=CALENDAR, enqueue=recording_enqueue(session, later))
    assert not again.ladder_reset and again.candidates == 0


def test_a_changed_catalog_judges_unfinished_rows_again(session: Session, clock: FrozenClock) -> None:
    load_min_catalog(session, clock.now(), MIN_CATALOG)
    clock.set(datetime(2022, 3, 2, 8, 0, tzinfo=LOCAL_TZ))
    run_sweep(session, clock.now())
    row = assignment_for(session, "99/KH-TEST:II.1", "so-noi-vu")
    assert _moment(session, row.id) > clock.now()
    session.execute(update(PlanItem).where(PlanItem.code == "99/KH-TEST:II.1").values(title="đổi tên"))
    session.commit()
    load_min_catalog(session, clock.now(), MIN_CATALOG)  # puts the title back: an update
    assert _moment(session, row.id) == RESWEEP


_AGENCY_ACTIONS = (Action.ACKNOWLEDGE, Action.PROGRESS, Action.REPORT, Action.REQUEST_EXTENSION, Action.EXPLAIN)
_SECRETARIAT_ACTIONS = (
    Action.VERIFY,
    Action.RETURN,
    Action.EXTEND,
    Action.SNOOZE,
    Action.CANCEL,
    Action.REQUEST_EXPLANATION,
)


# Rows that live by time alone: partners, a start date (FROM_DATE), a period, quarterly reports.
_VARIED_PLAN = """
plan: {number: "98/KH-TEST", kind: ke_hoach, issued: 2022-03-01, issuer: "UBND tỉnh", title: "Thử lịch", year: 2022}
items:
  - {code: "98/KH-TEST:1", section: "1", title: "Có phối hợp", content: "c", source: "s",
     lead: [so-tttt], partners: ["@so-ban-nganh"], deadline: "trước ngày 31/5/2022"}
  - {code: "98/KH-TEST:2", section: "2", title: "Kể từ ngày", content: "c", source: "s",
     lead: [vp-ubnd], implementers: ["@ubnd-cap-huyen"], deadline: "kể từ ngày 01/6/2022"}
  - {code: "98/KH-TEST:3", section: "3", title: "Trong tháng", content: "c", source: "s", priority: true,
     lead: [so-tttt], implementers: ["@so-ban-nganh"], deadline: "Tháng 9/2022"}
  - {code: "98/KH-TEST:4", section: "4", title: "Theo ngày", content: "c", source: "s",
     lead: [so-noi-vu], implementers: ["@so-ban-nganh", "@ubnd-cap-huyen"], deadline: "trước ngày 15/8/2022"}
reporting:
  - {code: "98/KH-TEST:bao-cao-quy", title: "Báo cáo quý", content: "c", source: "s",
     reporters: ["@so-ban-nganh"], recipient: so-tttt, period: quarter, due_day: 20,
     first_period: "2022-Q2", last_period: "2022-Q4"}
"""


@pytest.mark.slow  # nine months, two passes a day
def test_the_incremental_pass_decides_what_a_full_pass_decides(
    session: Session, clock: FrozenClock, tmp_path: Path
) -> None:
    """Nine months, two passes a day, now and then an agency or the secretariat acts; before
    each pass the full pass's decisions are computed (and rolled back), then compared."""
    (tmp_path / "plans").mkdir()
    shutil.copy(MIN_CATALOG / "agencies.yaml", tmp_path / "agencies.yaml")
    (tmp_path / "plans" / "varied.yaml").write_text(_VARIED_PLAN, encoding="utf-8")
    load_min_catalog(session, clock.now(), tmp_path)
    rows = [(a.id, code) for a, code in session.exec(select(Assignment, Agency.code).join(Agency)).all()]
    rng = random.Random(20221)
    day, decided, examined = date(2022, 3, 1), set[str](), 0
    while day <= date(2022, 11, 30):
        for hour in (8, 15):
            now = datetime.combine(day, time(hour), LOCAL_TZ)
            if rng.random() < 0.3:
                _random_action(session, rng, *rng.choice(rows), now)
            expected = _full_pass_keys(session, now)
            got = sweep(session, now, policy=POLICY, calendar=CALENDAR, enqueue=recording_enqueue(session, now))
            session.commit()
            keys = {d.dedupe_key for d in got.decisions}
            assert keys == expected, f"{now}: incremental and full passes differ on {sorted(keys ^ expected)}"
            assert not keys & decided
            decided |= keys
            examined += got.candidates
        day += timedelta(days=1)
    rules = {key.split(":")[0] for key in decided}
    assert {"phoi-hop-5", "nhac-truoc-7", "qua-han-7", "nhac-truoc-10", "qua-han-3"} <= rules, rules
    assert examined < len(rows) * 550 / 5  # most passes read a few rows, not all


def _random_action(session: Session, rng: random.Random, assignment_id: int, agency: str, now: datetime) -> None:
    if rng.random() < 0.6:
        request = Request(
            rng.choice(_AGENCY_ACTIONS),
            Actor.agency(agency),
            comment="ghi chú",
            percent=50,
            due=now.date() + timedelta(days=rng.randint(5, 40)),
        )
    else:
        request = Request(
            rng.choice(_SECRETARIAT_ACTIONS),
            Actor.parse("secretariat"),
            comment="ghi chú",
            due=now.date() + timedelta(days=rng.randint(-3, 40)),
        )
    try:
        act(session, assignment_id, request, now=now, calendar=CALENDAR)
        session.commit()
    except DomainError:
        session.rollback()
