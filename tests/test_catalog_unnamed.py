"""A phrase that names nobody ("các cơ quan, đơn vị liên quan") creates no assignment; the
secretariat names the bodies later (engine.services.naming) and a reload keeps what it named."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, update
from sqlmodel import Session, select

from dondoc.engine.actors import SECRETARIAT, Actor
from dondoc.engine.clock import LOCAL_TZ, FrozenClock
from dondoc.engine.errors import InvalidInput, PermissionDenied
from dondoc.engine.models import Agency, Assignment, Event, Indicator, Milestone, Notification, PlanItem
from dondoc.engine.services.assignments import Request, act
from dondoc.engine.services.indicator_views import agency_indicator
from dondoc.engine.services.indicators import answers
from dondoc.engine.services.naming import name_agencies, unnamed_items
from dondoc.engine.settings import Settings
from dondoc.engine.workcalendar import WorkCalendar
from dondoc.engine.workflow import Action
from dondoc.notifications.context import assignment_context, common_context
from dondoc.notifications.render import render
from dondoc.tasks_catalog.loader import CatalogInvalid, load_catalog
from tests.factories import assignment_for, load_min_catalog
from tests.support.catalogs import MIN_CATALOG, edit
from tests.support.unnamed import ONLY_UNNAMED, WITH_PARTNER, unnamed_catalog

OBJECTIVES = "61/KH-UBND:I.2.b"  # the plan's targets for 2021 - 2025: its section names no body
# Bodies that only the former group "co-quan-lien-quan" ever gave a role (never named by any text).
ONLY_IN_THE_OLD_GROUP = ["cuc-thong-ke"]


def _agencies_of(session: Session, item_code: str) -> set[str]:
    rows = session.exec(
        select(Agency.code)
        .join(Assignment, Assignment.agency_id == Agency.id)
        .join(Milestone, Assignment.milestone_id == Milestone.id)
        .join(PlanItem, Milestone.item_id == PlanItem.id)
        .where(PlanItem.code == item_code)
    )
    return set(rows)


def _agency_id(session: Session, code: str) -> int:
    return session.exec(select(Agency.id).where(Agency.code == code)).one() or 0


def _item_id(session: Session, code: str) -> int:
    found = session.exec(select(PlanItem).where(PlanItem.code == code)).one()
    assert found.id is not None
    return found.id


def _name(session: Session, clock: FrozenClock, item: str, choices: list[tuple[str, str]]) -> list[Assignment]:
    return name_agencies(
        session,
        _item_id(session, item),
        choices,
        actor=SECRETARIAT,
        username="tgv",
        now=clock.now(),
        calendar=WorkCalendar.default(),
        local=clock,
    )


# -- the shipped catalog ---------------------------------------------------------------------------
def test_shipped_catalog_records_every_unnamed_phrase_and_no_group_for_it() -> None:
    catalog = load_catalog()
    assert "co-quan-lien-quan" not in catalog.groups
    unnamed = {item.code: item.unnamed for plan in catalog.plans for item in plan.items if item.unnamed}
    assert len(unnamed) == 26  # tasks_catalog/README.md's table: 24, then 61/KH-UBND I.2.a and I.2.b
    assert unnamed["117/KH-UBND:II.4.b"][0][0] == "implementer"
    assert unnamed["117/KH-UBND:II.4.b"][0][1].startswith("Các cơ quan được giao nhiệm vụ tại Công văn số 1446")
    assert unnamed["117/KH-UBND:II.4.đ"] == [("partner", "các cơ quan, đơn vị liên quan")]
    # a description names nobody either: the enterprises the Ministry names as leading
    assert unnamed["/TB-UBND:II.3.d"][0][1].startswith("các doanh nghiệp lớn, có uy tín")
    assert "doanh-nghiep-so" not in catalog.groups
    for plan in catalog.plans:
        for item in plan.items:
            for role, phrase in item.unnamed:
                key = {"lead": "lead", "implementer": "implementers", "partner": "partners"}[role]
                assert phrase.casefold() in item.roles_as_written[key].casefold(), item.code


def test_shipped_catalog_gives_no_role_to_a_body_only_the_phrase_covered() -> None:
    catalog = load_catalog()
    items = {item.code: item for plan in catalog.plans for item in plan.items}
    # II.4.b: the lead stays; the bodies of Công văn 1446 are not guessed
    assert items["117/KH-UBND:II.4.b"].roles == {"so-tttt": "lead"}
    # II.4.đ: the named partner stays, nobody else
    assert items["117/KH-UBND:II.4.đ"].roles == {"so-tttt": "lead", "so-khdt": "partner"}
    # 04/KH-BCĐ:II.10: "các thành viên Ban Chỉ đạo có liên quan" is not all members
    assert items["04/KH-BCĐ:II.10"].roles == {"so-tttt": "lead", "vp-ubnd": "partner"}
    # 04/KH-BCĐ:II.7: only the bodies with a member in the team of QĐ 1439 (not among the seeds), not
    # every sở and district: the secretariat names them
    assert items["04/KH-BCĐ:II.7"].roles == {"so-tttt": "lead"}
    phrase = items["04/KH-BCĐ:II.7"].unnamed[0][1]
    assert phrase.startswith("Các sở, ban ngành, UBND các huyện, thị xã, thành phố có thành viên tham gia")
    # /TB-UBND:II.3.d: no enterprise the text does not name (they came from another document's list)
    assert items["/TB-UBND:II.3.d"].roles == {"so-tttt": "lead"}
    everyone = {code for item in items.values() for code in item.roles}
    for code in ONLY_IN_THE_OLD_GROUP:
        assert code not in everyone, code


def test_shipped_catalog_creates_no_assignment_for_the_phrase(session: Session, clock: FrozenClock) -> None:
    from dondoc.engine.services.catalog_sync import sync_catalog

    sync_catalog(session, load_catalog(), now=clock.now(), calendar=WorkCalendar.default())
    assert _agencies_of(session, "117/KH-UBND:II.4.b") == {"so-tttt"}
    assert _agencies_of(session, "1834/UBND-KGVX:4") == {"so-khdt", "so-cong-thuong", "nhnn", "cuc-thue"}
    for code in ONLY_IN_THE_OLD_GROUP:
        count = session.exec(select(func.count()).select_from(Assignment).join(Agency).where(Agency.code == code)).one()
        assert count == 0, code
    assert len(unnamed_items(session)) == 26  # the catalog's 26: none is named yet


def test_the_plans_own_targets_name_nobody_and_wait_to_be_named(session: Session, clock: FrozenClock) -> None:
    """61/KH-UBND I.2.b, the province's targets for 2021 - 2025 (seed 002, lines 43-57), names no body.
    The catalog had made Sở TT&TT its lead and every sở and district its implementers (read into
    VI.3.b and VI.7): parts overdue in January 2026 that climbed to the chair for targets the text
    gives nobody. It has no part and waits in "Cần phân công"; its eleven targets stay, those set per
    level answered by that level's bodies, the others by the lead the secretariat names."""
    from dondoc.engine.services.catalog_sync import sync_catalog

    sync_catalog(session, load_catalog(), now=clock.now(), calendar=WorkCalendar.default())
    assert _agencies_of(session, OBJECTIVES) == set()
    queue = {row.code: row.phrases for row in unnamed_items(session)}
    assert queue[OBJECTIVES] == [("lead", "chưa xác định")]
    assert queue["61/KH-UBND:I.2.a"] == [("lead", "chưa xác định")]
    item_id = _item_id(session, OBJECTIVES)
    indicators = {i.code: i for i in session.exec(select(Indicator).where(Indicator.item_id == item_id))}
    assert len(indicators) == 11
    per_level = {(a.agency_id, a.target) for a in answers(session, indicators["ho-so-cong-viec-tren-mang"])}
    noi_vu, binh_son = (_agency_id(session, code) for code in ("so-noi-vu", "ubnd-binh-son"))
    # "90% … tại tỉnh, 80% … tại cấp huyện và 60% … tại cấp xã": a district answers for its communes too
    assert {(noi_vu, 90), (binh_son, 80), (binh_son, 60)} <= per_level
    page = agency_indicator(
        session, agency_id=binh_son, indicator_id=indicators["ho-so-cong-viec-tren-mang"].id or 0, now=clock.now()
    )
    assert page.item_code == OBJECTIVES
    assert answers(session, indicators["ho-so-dvctt-34"]) == []  # nobody until a lead is named
    _name(session, clock, OBJECTIVES, [("so-tttt", "lead")])
    assert [a.agency_id for a in answers(session, indicators["ho-so-dvctt-34"])] == [_agency_id(session, "so-tttt")]
    assert OBJECTIVES not in {row.code for row in unnamed_items(session)}


# -- synthetic catalogs ----------------------------------------------------------------------------
def test_the_old_group_reference_is_a_validation_error(tmp_path: Path) -> None:
    directory = unnamed_catalog(tmp_path)
    line = edit(
        directory, "plans/test-plan.yaml", "partners: [so-noi-vu]", 'partners: [so-noi-vu, "@co-quan-lien-quan"]'
    )
    with pytest.raises(CatalogInvalid) as caught:
        load_catalog(directory)
    message = str(caught.value.problems[0])
    assert "99/KH-TEST:II.9" in message and "names nobody" in message and "plans/test-plan.yaml:" in message
    assert line > 0


def test_an_unnamed_phrase_must_stand_in_its_roles_text(tmp_path: Path) -> None:
    directory = unnamed_catalog(tmp_path)
    edit(directory, "plans/test-plan.yaml", 'phrase: "các cơ quan có liên quan"', 'phrase: "các doanh nghiệp"')
    with pytest.raises(CatalogInvalid) as caught:
        load_catalog(directory)
    assert 'unnamed phrase "các doanh nghiệp" (partner) is not in roles_as_written.partners' in str(caught.value)


def test_an_item_with_nobody_at_all_is_still_an_error(tmp_path: Path) -> None:
    directory = unnamed_catalog(tmp_path)
    edit(
        directory, "plans/test-plan.yaml", '    unnamed: [{role: lead, phrase: "Các cơ quan, đơn vị liên quan"}]\n', ""
    )
    with pytest.raises(CatalogInvalid) as caught:
        load_catalog(directory)
    assert "99/KH-TEST:II.8" in str(caught.value) and "no agency is responsible" in str(caught.value)


def test_load_creates_no_assignment_for_the_phrase(session: Session, clock: FrozenClock, tmp_path: Path) -> None:
    load_min_catalog(session, clock.now(), unnamed_catalog(tmp_path))
    assert _agencies_of(session, ONLY_UNNAMED) == set()
    assert _agencies_of(session, WITH_PARTNER) == {"so-tttt", "so-noi-vu"}
    queue = unnamed_items(session)
    assert [row.code for row in queue] == [ONLY_UNNAMED, WITH_PARTNER]
    assert queue[1].phrases == [("partner", "các cơ quan có liên quan")]


def test_naming_creates_assignments_from_today_with_the_event_and_a_reload_keeps_them(
    session: Session, clock: FrozenClock, tmp_path: Path
) -> None:
    directory = unnamed_catalog(tmp_path)
    load_min_catalog(session, clock.now(), directory)
    clock.advance(timedelta(days=10))
    created = _name(session, clock, WITH_PARTNER, [("vp-ubnd", "partner"), ("ubnd-ly-son", "implementer")])
    session.commit()
    assert len(created) == 2
    assert _agencies_of(session, WITH_PARTNER) == {"so-tttt", "so-noi-vu", "vp-ubnd", "ubnd-ly-son"}
    catalog_row = session.exec(
        select(Assignment)
        .join(Agency)
        .join(Milestone)
        .join(PlanItem)
        .where(PlanItem.code == WITH_PARTNER, Agency.code == "so-noi-vu")
    ).one()
    for row in created:
        assert row.assigned_at == clock.now() and row.due_at == catalog_row.due_at
        event = session.exec(select(Event).where(Event.assignment_id == row.id)).one()
        assert (event.action, event.actor, event.at) == ("assign", "secretariat", clock.now())
        assert event.data["named_by"] == "secretariat" and event.data["user"] == "tgv"
    assert [row.code for row in unnamed_items(session)] == [ONLY_UNNAMED]
    item = session.get(PlanItem, _item_id(session, WITH_PARTNER))
    assert item is not None and item.named_by == "tgv" and item.named_at == clock.now()

    clock.advance(timedelta(days=1))
    report = load_min_catalog(session, clock.now(), directory)
    assert report.orphaned == [] and not report.changed
    assert _agencies_of(session, WITH_PARTNER) == {"so-tttt", "so-noi-vu", "vp-ubnd", "ubnd-ly-son"}
    assert [row.code for row in unnamed_items(session)] == [ONLY_UNNAMED]


def test_an_extension_at_the_instant_work_was_given_is_mailed_all_the_same(
    session: Session, clock: FrozenClock
) -> None:
    """A frozen clock (`serve --demo`, a `--now` of the plan's issue day) gives work and extends it at
    one instant: only the extension of a partner named in that very step is left to its
    new-assignment mail (a first version judged by the instant and left this body unaware of its new date)."""
    clock.set(datetime(2022, 3, 1, 0, 0, tzinfo=LOCAL_TZ))  # `--now 2022-03-01`: the plan's issue day, 00:00
    load_min_catalog(session, clock.now(), MIN_CATALOG)
    given = assignment_for(session, "99/KH-TEST:II.1", "so-noi-vu")
    assert given.assigned_at == clock.now()
    act(session, given.id or 0, Request(Action.EXTEND, SECRETARIAT, due=date(2022, 11, 30)), now=clock.now())
    session.commit()
    granted = session.exec(select(Notification.assignment_id).where(Notification.kind == "extension_granted")).all()
    assert granted == [given.id]


def test_naming_an_item_with_nobody_named_gives_it_its_first_assignments(
    session: Session, clock: FrozenClock, tmp_path: Path
) -> None:
    load_min_catalog(session, clock.now(), unnamed_catalog(tmp_path))
    created = _name(session, clock, ONLY_UNNAMED, [("so-noi-vu", "lead")])
    assert [row.role for row in created] == ["lead"]
    assert _agencies_of(session, ONLY_UNNAMED) == {"so-noi-vu"}


def test_a_bad_agency_code_is_refused_and_nothing_is_written(
    session: Session, clock: FrozenClock, tmp_path: Path
) -> None:
    load_min_catalog(session, clock.now(), unnamed_catalog(tmp_path))
    before = session.exec(select(func.count()).select_from(Assignment)).one()
    with pytest.raises(InvalidInput) as caught:
        _name(session, clock, WITH_PARTNER, [("vp-ubnd", "partner"), ("so-khong-co", "partner")])
    assert str(caught.value) == 'Không có cơ quan mã "so-khong-co" trong danh mục.'
    assert "\n" not in str(caught.value)
    session.rollback()
    assert session.exec(select(func.count()).select_from(Assignment)).one() == before
    assert len(unnamed_items(session)) == 2


def test_a_body_that_does_not_exist_today_is_refused(session: Session, clock: FrozenClock, tmp_path: Path) -> None:
    """Work is given now: a body founded later (or ended) is refused, naming it and the day, and
    the item's form does not offer it."""
    load_min_catalog(session, clock.now(), unnamed_catalog(tmp_path))
    today = clock.local_date(clock.now())
    session.execute(update(Agency).where(Agency.code == "vp-ubnd").values(valid_from=today + timedelta(days=1)))
    session.commit()
    before = session.exec(select(func.count()).select_from(Assignment)).one()
    with pytest.raises(InvalidInput) as caught:
        _name(session, clock, WITH_PARTNER, [("vp-ubnd", "partner")])
    later = today + timedelta(days=1)
    assert (
        str(caught.value)
        == f"Vào ngày {today:%d/%m/%Y}, Văn phòng UBND tỉnh chưa thành lập (từ ngày {later:%d/%m/%Y})."
    )
    session.rollback()
    session.execute(
        update(Agency).where(Agency.code == "vp-ubnd").values(valid_from=None, valid_to=today - timedelta(days=1))
    )
    session.commit()
    with pytest.raises(InvalidInput) as caught:  # ended: said so, with its last day
        _name(session, clock, WITH_PARTNER, [("vp-ubnd", "partner")])
    ended = today - timedelta(days=1)
    assert (
        str(caught.value)
        == f"Vào ngày {today:%d/%m/%Y}, Văn phòng UBND tỉnh đã kết thúc hoạt động (ngày {ended:%d/%m/%Y})."
    )
    session.rollback()
    assert session.exec(select(func.count()).select_from(Assignment)).one() == before
    session.execute(update(Agency).where(Agency.code == "vp-ubnd").values(valid_from=None, valid_to=today))
    session.commit()
    assert {a.agency_id for a in _name(session, clock, WITH_PARTNER, [("vp-ubnd", "partner")])}  # its last day: fine


def test_only_the_secretariat_names(session: Session, clock: FrozenClock, tmp_path: Path) -> None:
    load_min_catalog(session, clock.now(), unnamed_catalog(tmp_path))
    # in words: it read 'so-tttt không được thực hiện "name agencies": …'
    refusal = "Sở Thông tin và Truyền thông không được xác định cơ quan thực hiện: chỉ Tổ giúp việc"
    with pytest.raises(PermissionDenied, match=f"^{refusal}"):
        name_agencies(
            session,
            _item_id(session, WITH_PARTNER),
            [("vp-ubnd", "partner")],
            actor=Actor.agency("so-tttt"),
            username=None,
            now=clock.now(),
            calendar=WorkCalendar.default(),
            local=clock,
        )


def test_a_partner_named_after_its_lead_was_extended_takes_the_leads_date(
    session: Session, clock: FrozenClock, tmp_path: Path
) -> None:
    """Named with the document's date (31/10) while the lead had been given until 30/11, the partner
    read late a month before anyone needed its input."""
    load_min_catalog(session, clock.now(), unnamed_catalog(tmp_path))
    lead = assignment_for(session, WITH_PARTNER, "so-tttt")
    act(session, lead.id or 0, Request(Action.EXTEND, SECRETARIAT, due=date(2022, 11, 30)), now=clock.now())
    clock.advance(timedelta(minutes=5))
    created = _name(session, clock, WITH_PARTNER, [("vp-ubnd", "partner"), ("ubnd-ly-son", "implementer")])
    session.commit()
    session.expire_all()
    days = {row.role: row.due_at.astimezone(LOCAL_TZ).date() for row in created if row.due_at is not None}
    assert days == {"partner": date(2022, 11, 30), "implementer": date(2022, 10, 31)}  # an implementer owes its own
    # Told once, by its new-assignment mail: it gave 30/11 with the document's 31/10 beside it; an
    # "extended" mail before it ("thời hạn trước: 31/10/2022") was about work the body had not heard of.
    partner = next(row for row in created if row.role == "partner")
    extended = session.exec(select(Event).where(Event.assignment_id == partner.id, Event.action == "extend")).one()
    assert extended.comment == "Theo thời hạn của cơ quan chủ trì Sở Thông tin và Truyền thông, nay là ngày 30/11/2022."
    granted = session.exec(select(Notification.assignment_id).where(Notification.kind == "extension_granted")).all()
    assert lead.id in granted and partner.id not in granted  # the lead's (and the partner the text named), not its
    settings = Settings(_env_file=None, demo=True, base_url="http://dondoc.test", maildrop_dir=tmp_path)  # type: ignore[call-arg]
    now, pid = clock.now(), partner.id or 0
    facts = assignment_context(session, pid, role="agency", email="x@y.vn", data={}, now=now, settings=settings)
    assert (facts["due_date"], facts["first_due_date"]) == ("30/11/2022", "31/10/2022")
    told = render(
        "new_assignment", common_context("agency", "VP UBND tỉnh", settings=settings) | facts | {"assignments": [facts]}
    )
    follows = "theo thời hạn của cơ quan chủ trì Sở Thông tin và Truyền thông"
    assert f"- Thời hạn: 30/11/2022 (đã gia hạn {follows}; thời hạn ban đầu: " in told.text and follows in told.html


def test_naming_gives_nothing_nobody_waits_for_and_says_why(
    session: Session, clock: FrozenClock, tmp_path: Path
) -> None:
    """A partner named on an item whose lead had reported months before was mailed "Quá hạn ngay khi
    giao … 66 ngày" for input nobody waited for; a body named for work it already held was skipped
    with no word."""
    load_min_catalog(session, clock.now(), unnamed_catalog(tmp_path))
    lead = session.exec(
        select(Assignment).join(Agency).join(Milestone).join(PlanItem)
        .where(PlanItem.code == WITH_PARTNER, Agency.code == "so-tttt")
    ).one()  # fmt: skip
    for action in (Action.ACKNOWLEDGE, Action.REPORT):
        clock.advance(timedelta(hours=1))
        act(session, lead.id or 0, Request(action, Actor.agency("so-tttt"), comment="Đã hoàn thành."), now=clock.now())
    session.commit()
    before = session.exec(select(func.count()).select_from(Assignment)).one()
    with pytest.raises(InvalidInput, match=r"Không phân công VP UBND tỉnh \(phối hợp\): cơ quan chủ trì đã báo cáo"):
        _name(session, clock, WITH_PARTNER, [("ubnd-ly-son", "implementer"), ("vp-ubnd", "partner")])
    session.rollback()
    with pytest.raises(InvalidInput, match=r"Không phân công Sở TT&TT \(thực hiện\): đã có phần việc ở mọi mốc"):
        _name(session, clock, WITH_PARTNER, [("so-tttt", "implementer")])
    session.rollback()
    assert session.exec(select(func.count()).select_from(Assignment)).one() == before  # nothing written
    created = _name(session, clock, WITH_PARTNER, [("ubnd-ly-son", "implementer")])  # who still has work: given
    assert len(created) == 1
