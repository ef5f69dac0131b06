"""Loading the catalog: idempotent, and a changed catalog never loses state or history."""

from __future__ import annotations

import shutil
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import func
from sqlmodel import Session, SQLModel, select

from dondoc.engine.actors import Actor, Recipient
from dondoc.engine.clock import FrozenClock, local_date
from dondoc.engine.models import Assignment, Event, IndicatorTarget, State
from dondoc.engine.services.assignments import Request, act
from dondoc.engine.workflow import Action
from tests.factories import assignment_for, load_min_catalog
from tests.support.catalogs import MIN_CATALOG, edited_catalog


def _counts(session: Session) -> dict[str, int]:
    return {
        table.name: session.exec(select(func.count()).select_from(table)).one()
        for table in SQLModel.metadata.sorted_tables
    }


def _history(session: Session) -> list[tuple]:
    rows = session.exec(select(Event).order_by(Event.id)).all()
    return [(e.id, e.assignment_id, e.action, e.from_state, e.to_state, e.comment) for e in rows]


def test_loading_twice_changes_nothing(session: Session, clock: FrozenClock) -> None:
    first = load_min_catalog(session, clock.now(), MIN_CATALOG)
    assert first.created["assignment"] == 14 and first.changed
    counts, history = _counts(session), _history(session)
    clock.advance(timedelta(days=3))
    second = load_min_catalog(session, clock.now(), MIN_CATALOG)
    assert not second.changed and second.changes == []
    assert _counts(session) == counts and _history(session) == history


def test_groups_expand_and_roles_do_not_repeat(session: Session, clock: FrozenClock) -> None:
    load_min_catalog(session, clock.now(), MIN_CATALOG)
    lead = assignment_for(session, "99/KH-TEST:II.1", "so-tttt")
    assert lead.role == "lead"  # so-tttt is also in @so-ban-nganh: it keeps the lead role only
    done = assignment_for(session, "99/KH-TEST:II.3", "so-noi-vu")
    assert done.state == State.VERIFIED and done.role == "partner"
    waiting = assignment_for(session, "99/KH-TEST:II.2", "vp-ubnd")
    assert waiting.due_at is None
    targets = session.exec(select(IndicatorTarget)).all()
    assert sorted(t.target for t in targets) == [10, 20, 30, 30, 30]


def test_changed_catalog_updates_wording_adds_items_and_keeps_state(
    session: Session, clock: FrozenClock, tmp_path: Path
) -> None:
    load_min_catalog(session, clock.now(), MIN_CATALOG)
    worked = assignment_for(session, "99/KH-TEST:II.1", "so-noi-vu")
    act(session, worked.id, Request(Action.ACKNOWLEDGE, Actor.agency("so-noi-vu")), now=clock.now())
    extended = assignment_for(session, "99/KH-TEST:II.1", "ubnd-ly-son", seq=2)
    from datetime import date

    act(
        session,
        extended.id,
        Request(Action.EXTEND, Actor.parse("secretariat"), due=date(2022, 12, 20)),
        now=clock.now(),
    )
    session.commit()
    history_before = _history(session)

    report = load_min_catalog(session, clock.now(), edited_catalog(tmp_path))

    assert report.created["plan_item"] == 1 and report.created["assignment"] == 2
    assert "Nhiệm vụ 99/KH-TEST:II.1: đã thay đổi nội dung" in report.changes
    assert _history(session)[: len(history_before)] == history_before
    worked = session.get(Assignment, worked.id, populate_existing=True)
    assert worked.state == State.IN_PROGRESS and worked.version == 2
    # The moved milestone follows the catalog, except where the secretariat extended it.
    moved = assignment_for(session, "99/KH-TEST:II.1", "so-noi-vu", seq=2)
    assert local_date(moved.due_at).isoformat() == "2022-11-30"
    extended = session.get(Assignment, extended.id, populate_existing=True)
    assert local_date(extended.due_at).isoformat() == "2022-12-20"
    new_events = [e for e in _history(session)[len(history_before) :] if e[2] == "catalog_due_changed"]
    assert len(new_events) == 4  # five agencies on milestone 2, one of them extended
    again = load_min_catalog(session, clock.now(), edited_catalog(tmp_path / "again"))
    assert not again.changed


def test_agency_dropped_from_catalog_is_reported_not_deleted(
    session: Session, clock: FrozenClock, tmp_path: Path
) -> None:
    load_min_catalog(session, clock.now(), MIN_CATALOG)
    copy = tmp_path / "catalog"
    shutil.copytree(MIN_CATALOG, copy)
    plan = copy / "plans" / "test-plan.yaml"
    plan.write_text(
        plan.read_text(encoding="utf-8").replace(
            'implementers: ["@so-ban-nganh", "@ubnd-cap-huyen"]', 'implementers: ["@so-ban-nganh"]'
        ),
        encoding="utf-8",
    )
    counts = _counts(session)
    report = load_min_catalog(session, clock.now(), copy)
    assert len(report.orphaned) == 4  # two districts × two milestones
    assert _counts(session)["assignment"] == counts["assignment"]


def test_the_shipped_catalog_loads_on_both_databases_and_again_changes_nothing(
    session: Session, clock: FrozenClock
) -> None:
    from dondoc.tasks_catalog.loader import default_catalog_dir, load_catalog

    catalog = load_catalog()
    first = load_min_catalog(session, clock.now(), default_catalog_dir())
    expected = sum(c["assignments"] for c in catalog.counts().values())
    assert first.created["assignment"] == expected and first.created["plan"] == 5
    counts = _counts(session)
    again = load_min_catalog(session, clock.now(), default_catalog_dir())
    assert not again.changed and _counts(session) == counts
    # a leader is named only on the days the catalog knows the person held the seat: a 2025 mail had
    # said "Kính gửi: Đồng chí Đặng Văn Minh" from the 2022 documents; after 2022, the seat's title
    from dondoc.engine.escalation.recipients import committee_addresses
    from dondoc.notifications.context import salutation

    def chair(day: date) -> str:
        return salutation("chair", committee_addresses(session, day)[Recipient.CHAIR].name)

    assert chair(date(2022, 7, 1)) == "Đồng chí Đặng Văn Minh, Trưởng Ban Chỉ đạo"
    assert chair(date(2023, 2, 1)) == "Trưởng Ban Chỉ đạo (Chủ tịch UBND tỉnh)"
    assert chair(date(2025, 3, 20)).startswith("Trưởng Ban Chỉ đạo về phát triển khoa học, công nghệ")
    vice = committee_addresses(session, date(2025, 3, 20))[Recipient.VICE_CHAIR]
    assert (
        "Trần Phước Hiền" not in salutation("vice-chair", vice.name) and vice.email == "pho-truong-ban@dondoc.example"
    )
