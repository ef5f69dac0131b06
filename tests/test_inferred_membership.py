"""A part given through an inferred group (tasks_catalog GroupEntry.inferred: the members of the Ban
Chỉ đạo, whose list, QĐ 1742/QĐ-UBND, is not among the seeds): the body's own reminders and the
secretariat's go, the leaders are not told until the secretariat confirms it (policy
.told_while_withheld), the secretariat is told why; after confirmation the leaders' rungs fire,
from the confirmation on."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
import yaml
from sqlalchemy import update
from sqlmodel import Session, col, select

from dondoc.engine.actors import Actor
from dondoc.engine.clock import LOCAL_TZ, FrozenClock
from dondoc.engine.errors import ConditionNotMet, PermissionDenied
from dondoc.engine.models import Assignment, Event, Notification, PlanItem
from dondoc.engine.services.assignment_filter import AssignmentFilter
from dondoc.engine.services.assignments import Request, act
from dondoc.engine.services.overdue_lists import overdue_now
from dondoc.engine.services.queries import get_assignment
from dondoc.engine.services.queues import UNCONFIRMED_QUEUE, queue_by_slug
from dondoc.engine.settings import Settings
from dondoc.engine.workflow import Action
from dondoc.notifications import build_digests
from dondoc.notifications.outbox import MailSpec, rendered_columns
from dondoc.tasks_catalog.loader import CatalogInvalid, load_catalog
from tests.factories import assignment_for, load_min_catalog
from tests.support.catalogs import copy_catalog
from tests.support.desk import header_counts, queue_rows
from tests.support.sweep import CALENDAR, POLICY, rungs_mailed, swept_daily
from tests.support.web import WebEnv, csrf_of

ITEM = "99/KH-TEST:II.1"
GROUP_NAME = "Thành viên Ban Chỉ đạo"
SECRETARIAT = Actor.parse("secretariat")


def _catalog(tmp_path: Path, *, inferred: bool = True) -> Path:
    """The test catalog with a members' group read as all the sở (inferred), and II.1's implementers
    given as "@thanh-vien-bcd" (Sở Nội vụ, VP UBND) and the districts (a sure group)."""
    directory = copy_catalog(tmp_path)
    agencies = directory / "agencies.yaml"
    data = yaml.safe_load(agencies.read_text(encoding="utf-8"))
    group = {"code": "thanh-vien-bcd", "name": GROUP_NAME, "members": ["@so-ban-nganh"]}
    if inferred:
        group["inferred"] = {"reason": "QĐ 1742/QĐ-UBND không có trong văn bản nguồn"}
    data["groups"].append(group)
    agencies.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    plan = directory / "plans" / "test-plan.yaml"
    text = plan.read_text(encoding="utf-8")
    plan.write_text(
        text.replace(
            'implementers: ["@so-ban-nganh", "@ubnd-cap-huyen"]',
            'implementers: ["@thanh-vien-bcd", "@ubnd-cap-huyen"]',
            1,
        ),
        encoding="utf-8",
    )
    return directory


@pytest.fixture
def loaded(session: Session, clock: FrozenClock, tmp_path: Path) -> dict[str, int]:
    load_min_catalog(session, clock.now(), _catalog(tmp_path))
    session.execute(update(PlanItem).values(priority=False))  # the normal ladder
    session.commit()
    return {code: assignment_for(session, ITEM, code).id or 0 for code in ("so-noi-vu", "ubnd-binh-son", "so-tttt")}


def test_the_catalog_marks_only_the_parts_resting_on_the_inferred_group(
    session: Session, loaded: dict[str, int]
) -> None:
    parts = {code: session.get_one(Assignment, i) for code, i in loaded.items()}
    assert parts["so-noi-vu"].inferred_group == "thanh-vien-bcd"  # reached through the inferred group alone
    assert parts["ubnd-binh-son"].inferred_group is None  # a sure group
    assert parts["so-tttt"].inferred_group is None  # named: the lead, though a member of the group too


def test_the_leaders_are_not_told_of_an_unconfirmed_part_and_the_secretariat_is_told_why(
    session: Session, clock: FrozenClock, loaded: dict[str, int]
) -> None:
    mails = swept_daily(session, clock, date(2022, 7, 20))  # due Thu 30/06/2022; nobody acts
    unsure, sure = loaded["so-noi-vu"], loaded["ubnd-binh-son"]
    leaders = {(r, who) for r, who, _ in rungs_mailed(mails, unsure) if who in ("vice-chair", "chair")}
    assert leaders == set()
    assert {
        ("qua-han", "agency", date(2022, 7, 1)),  # the body's own rungs go
        ("qua-han", "secretariat", date(2022, 7, 1)),
        ("qua-han-3", "secretariat", date(2022, 7, 5)),  # in the vice-chair's place
        ("qua-han-7", "secretariat", date(2022, 7, 11)),  # in the chair's place
    } <= rungs_mailed(mails, unsure)
    withheld = {m.data.get("withheld_from") for m in mails.values() if m.assignment_id == unsure}
    assert {"vice-chair", "chair"} <= withheld
    # a body of a sure group is escalated as before
    assert {("qua-han-3", "vice-chair", date(2022, 7, 5)), ("qua-han-7", "chair", date(2022, 7, 11))} <= rungs_mailed(
        mails, sure
    )
    # the secretariat's digest says why the leaders were not told
    settings = Settings(_env_file=None, demo=True, base_url="http://dondoc.test")  # type: ignore[call-arg]
    made = {d.recipient_role: d for d in build_digests(session, now=clock.now(), settings=settings, calendar=CALENDAR)}
    text = made["secretariat"].body_text
    lines = [line for line in text.splitlines() if ITEM in line and "Sở Nội vụ" in line]
    why = f"vì cơ quan thuộc nhóm «{GROUP_NAME}» theo danh sách suy đoán, chưa được Tổ giúp việc xác nhận giao"
    assert any(f"quá hạn 15 ngày làm việc; chưa báo cáo Trưởng Ban Chỉ đạo {why}" in line for line in lines)
    assert all(why in line for line in lines)  # each row of the part says it
    assert not [line for line in text.splitlines() if "UBND huyện Bình Sơn" in line and why in line]
    assert f"nhóm «{GROUP_NAME}»" in (made["secretariat"].body_html or "")
    assert unsure not in {row["assignment_id"] for g in made["chair"].data["groups"] for row in g["rows"]}


PARTNERED = "99/KH-TEST:II.9"


def test_the_secretariat_is_told_the_leaders_are_kept_only_from_a_part_they_would_hear_of(
    session: Session, clock: FrozenClock, tmp_path: Path
) -> None:
    """Sở Nội vụ holds, through the same unconfirmed group, an implementer's part (II.1) and a partner's
    (II.9), both far past the leaders' rungs. No rung to the leaders fires for a partner (policy.yaml
    ``roles: [lead, implementer]``): the 2022 replay's digest of 14/10/2022 said of four partners of
    04/KH-BCĐ:II.4 "không báo cáo Lãnh đạo Ban Chỉ đạo vì … chưa được Tổ giúp việc xác nhận giao", as if
    confirming them would change what the leaders hear. The partner's row names the group, nothing of
    the leaders."""
    directory = _catalog(tmp_path)
    plan = directory / "plans" / "test-plan.yaml"
    plan.write_text(
        plan.read_text(encoding="utf-8")
        + f"""  - code: "{PARTNERED}"
    section: "II.9"
    title: "Phối hợp theo nhóm suy đoán"
    content: "Phối hợp cung cấp thông tin."
    source: "Mục II.9"
    lead: [so-tttt]
    partners: ["@thanh-vien-bcd"]
    deadline: "trước ngày 30/6/2022"
""",
        encoding="utf-8",
    )
    load_min_catalog(session, clock.now(), directory)
    session.execute(update(PlanItem).values(priority=False))  # the normal ladder
    session.commit()
    partner = assignment_for(session, PARTNERED, "so-noi-vu")
    assert (partner.role, partner.inferred_group) == ("partner", "thanh-vien-bcd")
    swept_daily(session, clock, date(2022, 7, 20))  # due Thu 30/06/2022, 15 working days late; nobody acts
    settings = Settings(_env_file=None, demo=True, base_url="http://dondoc.test")  # type: ignore[call-arg]
    made = {d.recipient_role: d for d in build_digests(session, now=clock.now(), settings=settings, calendar=CALENDAR)}
    text = made["secretariat"].body_text
    group = f"cơ quan thuộc nhóm «{GROUP_NAME}» theo danh sách suy đoán, chưa được Tổ giúp việc xác nhận giao"
    implementer = [line for line in text.splitlines() if ITEM in line and "Sở Nội vụ" in line]
    partners = [line for line in text.splitlines() if PARTNERED in line and "Sở Nội vụ" in line]
    assert implementer and all(f"Ban Chỉ đạo vì {group}" in line for line in implementer)
    assert partners and all(group in line for line in partners)  # the guess is still the secretariat's to settle
    assert not [line for line in partners if "báo cáo" in line or "Lãnh đạo" in line or "Trưởng ban" in line]
    html = made["secretariat"].body_html or ""
    partner_rows = [row for row in html.split("<tr>") if PARTNERED in row and "Sở Nội vụ" in row]
    assert partner_rows and all(group in row and "báo cáo" not in row for row in partner_rows)
    assert partner.id not in {row["assignment_id"] for g in made["chair"].data["groups"] for row in g["rows"]}
    # the lead asked to chase that part is told it rests on the guess, as the partner's own mail says
    to_lead = session.exec(
        select(Notification).where(Notification.assignment_id == partner.id, Notification.recipient_role == "lead")
    ).all()
    told = f"(Phần việc của Sở Nội vụ được giao vì thuộc nhóm «{GROUP_NAME}» theo danh sách Tổ giúp việc suy đoán"

    def rendered(m: Notification) -> str:  # as delivery renders a decided row
        spec = MailSpec(
            m.dedupe_key, m.kind, m.recipient_role, m.recipient_email, m.recipient_name,
            m.assignment_id, m.policy_version, False, m.data,
        )  # fmt: skip
        columns = rendered_columns(session, spec, now=clock.now(), settings=settings)
        return " ".join(columns["body_text"].split()) + " ".join((columns["body_html"] or "").split())

    assert to_lead and all(rendered(m).count(told) == 2 for m in to_lead)  # the text and the html
    assert {m.kind for m in to_lead} >= {"partner_input"}
    lead = assignment_for(session, PARTNERED, "so-tttt")  # its own part: nothing of the kind
    own = session.exec(select(Notification).where(Notification.assignment_id == lead.id)).all()
    assert own and not [m for m in own if "Tổ giúp việc suy đoán" in rendered(m)]


def test_after_confirmation_the_leaders_rungs_fire_from_that_day(
    session: Session, clock: FrozenClock, loaded: dict[str, int]
) -> None:
    unsure = loaded["so-noi-vu"]
    swept_daily(session, clock, date(2022, 9, 5))  # the leaders' rungs (05/07, 11/07) are far behind the look-back
    clock.set(datetime(2022, 9, 6, 10, 0, tzinfo=LOCAL_TZ))
    act(session, unsure, Request(Action.CONFIRM_MEMBERSHIP, SECRETARIAT, comment="QĐ 1742"), now=clock.now())
    session.commit()
    clock.set(datetime(2022, 9, 7, 8, 0, tzinfo=LOCAL_TZ))
    mails = swept_daily(session, clock, date(2022, 9, 8))
    leaders = {(r, who, day) for r, who, day in rungs_mailed(mails, unsure) if who in ("vice-chair", "chair")}
    assert leaders == {("qua-han-3", "vice-chair", date(2022, 9, 7)), ("qua-han-7", "chair", date(2022, 9, 7))}
    event = session.exec(
        select(Event).where(Event.assignment_id == unsure, Event.action == Action.CONFIRM_MEMBERSHIP.value)
    ).one()
    assert event.data == {"group": "thanh-vien-bcd"} and event.at == datetime(2022, 9, 6, 10, 0, tzinfo=LOCAL_TZ)


def test_the_leaders_page_leaves_out_an_unconfirmed_part_until_confirmed(
    session: Session, clock: FrozenClock, loaded: dict[str, int]
) -> None:
    unsure = loaded["so-noi-vu"]
    clock.set(datetime(2022, 7, 20, 10, 0, tzinfo=LOCAL_TZ))
    roles = POLICY.leader_roles()
    leaders = {r.view.id for r in overdue_now(session, clock.now(), CALENDAR, roles=roles, limit=500)}
    board = {r.view.id for r in overdue_now(session, clock.now(), CALENDAR, limit=500)}
    assert unsure in board and unsure not in leaders and loaded["ubnd-binh-son"] in leaders
    act(session, unsure, Request(Action.CONFIRM_MEMBERSHIP, SECRETARIAT), now=clock.now())
    session.commit()
    assert unsure in {r.view.id for r in overdue_now(session, clock.now(), CALENDAR, roles=roles, limit=500)}


def test_the_queue_lists_the_parts_and_the_rule_book_confirms_each_once(
    session: Session, clock: FrozenClock, loaded: dict[str, int]
) -> None:
    unsure = loaded["so-noi-vu"]
    clock.set(datetime(2022, 7, 20, 10, 0, tzinfo=LOCAL_TZ))
    queue = queue_by_slug(UNCONFIRMED_QUEUE)
    rows = queue.rows(session, clock.now(), CALENDAR, clock, AssignmentFilter())
    assert {r.agency for r in rows} == {"Sở Nội vụ", "Văn phòng UBND tỉnh"} and len(rows) == 4  # two milestones each
    assert {r.detail for r in rows} == {f"Thuộc nhóm «{GROUP_NAME}» theo danh sách suy đoán"}
    assert queue.count(session, clock.now(), clock, AssignmentFilter()) == 4
    assert get_assignment(session, unsure, clock.now()).unconfirmed_group == GROUP_NAME
    with pytest.raises(PermissionDenied):
        act(session, unsure, Request(Action.CONFIRM_MEMBERSHIP, Actor.parse("agency:so-noi-vu")), now=clock.now())
    session.rollback()
    act(session, unsure, Request(Action.CONFIRM_MEMBERSHIP, SECRETARIAT), now=clock.now())
    session.commit()
    assert queue.count(session, clock.now(), clock, AssignmentFilter()) == 3
    assert get_assignment(session, unsure, clock.now()).unconfirmed_group is None
    clock.advance(timedelta(minutes=5))
    with pytest.raises(ConditionNotMet, match="không chờ xác nhận giao"):
        act(session, unsure, Request(Action.CONFIRM_MEMBERSHIP, SECRETARIAT), now=clock.now())
    with pytest.raises(ConditionNotMet):  # a part named surely has nothing to confirm
        act(session, loaded["ubnd-binh-son"], Request(Action.CONFIRM_MEMBERSHIP, SECRETARIAT), now=clock.now())


def test_a_part_verified_before_it_was_confirmed_can_still_be_confirmed(
    session: Session, clock: FrozenClock, loaded: dict[str, int]
) -> None:
    """The secretariat verified a body's report before confirming the body was the group's: the part
    stayed out of every rate for good ("+1 chưa xác nhận giao, không tính"), and out of the queue that
    asks for the confirmation (33 such parts in the demo). It stays in the queue, and confirming it
    puts it back in the rates."""
    from dondoc.engine.reports.rates import agency_rates

    unsure = loaded["so-noi-vu"]
    body = Actor.agency("so-noi-vu")
    clock.set(datetime(2022, 6, 20, 9, 0, tzinfo=LOCAL_TZ))
    for action in (Action.ACKNOWLEDGE, Action.REPORT):
        act(session, unsure, Request(action, body, comment="Đã hoàn thành."), now=clock.now())
    clock.advance(timedelta(days=1))
    act(session, unsure, Request(Action.VERIFY, SECRETARIAT), now=clock.now())
    session.commit()
    clock.set(datetime(2022, 7, 20, 10, 0, tzinfo=LOCAL_TZ))
    queue = queue_by_slug(UNCONFIRMED_QUEUE)
    assert unsure in {r.id for r in queue.rows(session, clock.now(), CALENDAR, clock, AssignmentFilter())}

    def rated() -> tuple[int, int, int]:
        (row,) = [
            r
            for r in agency_rates(session, start=date(2022, 1, 1), end=date(2022, 12, 31), now=clock.now())
            if r.agency_code == "so-noi-vu"
        ]
        return row.tasks_due, row.tasks_on_time, row.tasks_unconfirmed

    due, on_time, unconfirmed = rated()
    assert unconfirmed >= 1
    act(session, unsure, Request(Action.CONFIRM_MEMBERSHIP, SECRETARIAT, comment="QĐ 1742"), now=clock.now())
    session.commit()
    assert rated() == (due + 1, on_time + 1, unconfirmed - 1)
    assert unsure not in {r.id for r in queue.rows(session, clock.now(), CALENDAR, clock, AssignmentFilter())}


def test_the_queue_counts_the_days_waiting_from_the_tracking_start_when_given_before_it(
    session: Session, clock: FrozenClock, loaded: dict[str, int]
) -> None:
    """A part given before the committee began tracking with dondoc had not waited for the secretariat
    since its giving day (the README's real start, tracking from 01/11/2026: the 2022 parts of
    04/KH-BCĐ said 1186 working days), as "Cần phân công" counts an item from the tracking start."""
    from dondoc.engine.services.tracking import set_tracking_start

    queue = queue_by_slug(UNCONFIRMED_QUEUE)
    clock.set(datetime(2022, 7, 20, 10, 0, tzinfo=LOCAL_TZ))  # a Wednesday
    given = {r.since for r in queue.rows(session, clock.now(), CALENDAR, clock, AssignmentFilter())}
    assert given == {date(2022, 3, 1)}
    set_tracking_start(session, date(2022, 7, 18))  # the Monday
    session.commit()
    rows = queue.rows(session, clock.now(), CALENDAR, clock, AssignmentFilter())
    assert {r.since for r in rows} == given  # the day given is still the day given
    assert {r.days_waiting for r in rows} == {2}  # Monday and Tuesday, not since March
    # and the line says from which day it counts them: "Giao ngày 01/03/2022 | 2" had read as a slip
    said = f"Thuộc nhóm «{GROUP_NAME}» theo danh sách suy đoán; số ngày chờ tính từ ngày bắt đầu theo dõi 18/07/2022"
    assert {r.detail for r in rows} == {said}


def test_a_later_load_marks_parts_made_before_and_confirms_those_named_surely(
    session: Session, clock: FrozenClock, tmp_path: Path
) -> None:
    load_min_catalog(session, clock.now(), _catalog(tmp_path / "sure", inferred=False))
    part = assignment_for(session, ITEM, "so-noi-vu")
    assert part.inferred_group is None
    clock.advance(timedelta(days=1))
    load_min_catalog(session, clock.now(), _catalog(tmp_path / "inferred"))  # the catalog learns it is inferred
    session.refresh(part)
    assert part.inferred_group == "thanh-vien-bcd" and part.membership_confirmed_at is None
    clock.advance(timedelta(days=1))
    load_min_catalog(session, clock.now(), _catalog(tmp_path / "sure-again", inferred=False))  # the list is known
    session.refresh(part)
    assert part.membership_confirmed_at == clock.now()
    actions = session.exec(select(Event.action).where(Event.assignment_id == part.id).order_by(col(Event.id))).all()
    assert actions == ["assign", "catalog_membership_inferred", "catalog_membership_confirmed"]


def test_an_inferred_group_needs_its_reason_and_is_no_member_of_another(tmp_path: Path) -> None:
    directory = _catalog(tmp_path)
    agencies = directory / "agencies.yaml"
    data = yaml.safe_load(agencies.read_text(encoding="utf-8"))
    data["groups"][-1]["inferred"] = {"reason": ""}
    data["groups"].append({"code": "rong-hon", "name": "Nhóm rộng hơn", "members": ["@thanh-vien-bcd"]})
    agencies.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(CatalogInvalid) as refused:
        load_catalog(directory)
    said = str(refused.value)
    assert "inferred.reason" in said
    data["groups"][-2]["inferred"] = {"reason": "suy đoán"}
    agencies.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(CatalogInvalid, match='group "@thanh-vien-bcd" is inferred'):
        load_catalog(directory)


def test_the_shipped_catalog_marks_the_members_of_the_committee_as_inferred() -> None:
    catalog = load_catalog()
    assert catalog.groups["thanh-vien-bcd"].inferred is not None
    (annual,) = [i for p in catalog.plans for i in p.items if i.code == "04/KH-BCĐ:III.2.bao-cao-nam"]
    marked = annual.milestones[0].inferred
    assert marked and set(marked.values()) == {"thanh-vien-bcd"}
    assert "so-tttt" not in marked and not any(code.startswith("ubnd-") for code in marked)


def test_the_desk_confirms_in_bulk_from_its_queue(web: WebEnv) -> None:
    """The queue "Chờ xác nhận giao" is counted on the board's header and lists the parts; the bulk
    "Xác nhận giao" confirms them through the rule book and refuses a part named surely."""
    unsure, sure = web.assignment(ITEM, "so-noi-vu"), web.assignment(ITEM, "ubnd-binh-son")
    with Session(web.engine) as session:  # the shipped test catalog has no inferred group: mark one part
        session.execute(update(Assignment).where(col(Assignment.id) == unsure).values(inferred_group="so-ban-nganh"))
        session.commit()
    web.login()
    assert header_counts(web.client.get("/board").text)[UNCONFIRMED_QUEUE] == 1
    assert queue_rows(web.client, UNCONFIRMED_QUEUE) == [str(unsure)]
    page = web.client.get(f"/board/assignments/{unsure}").text
    assert 'id="form-confirm-membership"' in page and "thuộc nhóm «Các sở, ban, ngành» theo danh sách suy đoán" in page
    token = csrf_of(web.client.get("/board/assignments").text)
    response = web.client.post(
        "/board/bulk", data={"csrf": token, "id": [str(unsure), str(sure)], "action": "confirm_membership"}
    )
    assert response.status_code == 200 and "đã thực hiện 1, bị từ chối 1" in response.text
    assert "không chờ xác nhận giao" in response.text.split('id="bulk-refused"', 1)[1]
    assert queue_rows(web.client, UNCONFIRMED_QUEUE) == []
    with Session(web.engine) as session:
        assert session.get_one(Assignment, unsure).membership_confirmed_at is not None


def test_the_body_is_told_it_was_given_the_part_by_the_secretariats_reading_of_the_group(
    session: Session, clock: FrozenClock, loaded: dict[str, int]
) -> None:
    """Sở Nội vụ was chased for 04/KH-BCĐ's work as a member of the Ban Chỉ đạo, a list the texts do
    not give: its mails say so, and whom to tell if it is not a member; once confirmed, they do not."""
    from dondoc.notifications.context import assignment_context, common_context
    from dondoc.notifications.render import render

    settings = Settings(demo=True)
    said = "vì thuộc nhóm «Thành viên Ban Chỉ đạo» theo danh sách Tổ giúp việc suy đoán"

    def reminder(assignment_id: int, agency: str) -> str:
        facts = assignment_context(
            session, assignment_id, role="agency", email=f"{agency}@dondoc.example", data={}, now=clock.now(),
            settings=settings,
        )  # fmt: skip
        mail = render("reminder", {**common_context("agency", None, settings=settings), **facts, "a": facts})
        return " ".join(mail.text.split()) + " ".join(mail.html.split())

    assert said in reminder(loaded["so-noi-vu"], "so-noi-vu")
    assert "đề nghị báo Tổ giúp việc" in reminder(loaded["so-noi-vu"], "so-noi-vu")
    assert "suy đoán" not in reminder(loaded["ubnd-binh-son"], "ubnd-binh-son")  # a sure group
    act(session, loaded["so-noi-vu"], Request(Action.CONFIRM_MEMBERSHIP, SECRETARIAT), now=clock.now())
    session.commit()
    assert "suy đoán" not in reminder(loaded["so-noi-vu"], "so-noi-vu")


def _open_and_verified_unconfirmed(web: WebEnv) -> tuple[int, int]:
    """Sở Nội vụ's implementer's part of II.1 (open) and its partner's part of II.3 (verified at issue),
    both marked as given through the inferred group "so-ban-nganh", not confirmed."""
    implementer = web.assignment(ITEM, "so-noi-vu")
    partner = web.assignment("99/KH-TEST:II.3", "so-noi-vu")
    with Session(web.engine) as session:
        marked = col(Assignment.id).in_([implementer, partner])
        session.execute(update(Assignment).where(marked).values(inferred_group="so-ban-nganh"))
        session.commit()
    return implementer, partner


def test_the_confirmation_form_says_the_leaders_wait_for_it_only_of_a_part_they_would_hear_of(web: WebEnv) -> None:
    """The part's page offers "Xác nhận giao" with why the body holds the part; that the leaders are not
    told of its lateness until then is said of an implementer's part, not of a partner's (no rung to
    the leaders fires for its role, confirmed or not: policy.Policy.leader_bound)."""
    implementer, partner = _open_and_verified_unconfirmed(web)
    web.login()
    leaders = "Lãnh đạo Ban Chỉ đạo chưa được báo cáo khi quá hạn"
    group = "thuộc nhóm «Các sở, ban, ngành» theo danh sách suy đoán"
    cancel = "hủy nếu cơ quan không thuộc nhóm"
    page = " ".join(web.client.get(f"/board/assignments/{implementer}").text.split())
    assert 'id="form-confirm-membership"' in page and f"{group}: {leaders}" in page and cancel in page
    page = " ".join(web.client.get(f"/board/assignments/{partner}").text.split())
    assert 'id="form-confirm-membership"' in page and group in page and leaders not in page
    # verified: the rule book offers no cancelling, and the page does not say to (the 2022 replay's 33)
    assert 'id="form-cancel"' not in page and cancel not in page


def test_a_finished_part_waiting_for_confirmation_says_it_is_done(web: WebEnv) -> None:
    """ "Chờ xác nhận giao" lists a part verified at issue beside open ones, as confirming it still
    decides what the rates count; its note says the work is done, an open part's does not."""
    open_part, done_part = _open_and_verified_unconfirmed(web)
    with Session(web.engine) as session:
        now = web.clock.now()
        rows = queue_by_slug(UNCONFIRMED_QUEUE).rows(session, now, CALENDAR, web.clock, AssignmentFilter())
    notes = {row.id: row.detail for row in rows}
    done = "phần việc đã hoàn thành (Tổ giúp việc đã xác nhận kết quả)"
    assert set(notes) == {open_part, done_part}
    assert notes[done_part].endswith(f"; {done}") and done not in notes[open_part]
    assert notes[open_part] == "Thuộc nhóm «Các sở, ban, ngành» theo danh sách suy đoán"


def test_the_desk_cancels_in_bulk_parts_of_a_body_that_is_no_member(web: WebEnv) -> None:
    """A body the secretariat finds is no member of the group: its parts in "Chờ xác nhận giao" are
    cancelled in bulk, each through the rule book with the reason its body is told; without a reason
    nothing is cancelled, and a part already cancelled is refused with why."""
    first, second = web.assignment(ITEM, "so-noi-vu"), web.assignment(ITEM, "vp-ubnd")
    with Session(web.engine) as session:
        session.execute(
            update(Assignment).where(col(Assignment.id).in_([first, second])).values(inferred_group="so-ban-nganh")
        )
        session.commit()
    web.login()
    list_page = web.client.get(f"/board/{UNCONFIRMED_QUEUE}").text
    assert '<option value="cancel">Hủy</option>' in list_page
    token = csrf_of(list_page)
    ticked = {"csrf": token, "id": [str(first), str(second)], "action": "cancel"}
    refused = web.client.post("/board/bulk", data=ticked)
    assert refused.status_code == 422 and "Hủy" in refused.text
    assert queue_rows(web.client, UNCONFIRMED_QUEUE) == [str(first), str(second)]  # nothing cancelled
    reason = "Sở không là thành viên Ban Chỉ đạo theo Quyết định kiện toàn"
    done = web.client.post("/board/bulk", data=ticked | {"comment": reason})
    assert done.status_code == 200 and "đã thực hiện 2, bị từ chối 0" in done.text
    assert queue_rows(web.client, UNCONFIRMED_QUEUE) == []
    again = web.client.post("/board/bulk", data=ticked | {"comment": reason})
    assert "đã thực hiện 0, bị từ chối 2" in again.text
    with Session(web.engine) as session:
        for assignment_id in (first, second):
            assert session.get_one(Assignment, assignment_id).state == "cancelled"
            (told,) = session.exec(
                select(Notification).where(
                    col(Notification.assignment_id) == assignment_id,
                    col(Notification.kind) == "assignment_cancelled",
                )
            ).all()
            assert reason in str(told.data)


def test_a_lead_told_of_a_partners_part_is_not_told_it_was_given_that_part(
    session: Session, clock: FrozenClock, loaded: dict[str, int]
) -> None:
    """The lead (Sở TT&TT) is mailed about Sở Nội vụ's unconfirmed part (the partner's missing input,
    the overdue notice): the note "Quý cơ quan được giao phần việc này … đề nghị báo Tổ giúp việc" is
    the part's body's to read, not the lead's, which would be asked about a membership not its own.
    The lead is told, of Sở Nội vụ, that its part rests on the guess, and asked nothing of it."""
    from dondoc.notifications.context import assignment_context, common_context
    from dondoc.notifications.render import render

    settings = Settings(demo=True)

    def mail(kind: str, role: str, email: str) -> str:
        facts = assignment_context(
            session, loaded["so-noi-vu"], role=role, email=email, data={}, now=clock.now(), settings=settings
        )
        extra = {"agency_name": facts["agency_name"], "recipient_role": role}
        done = render(kind, {**common_context(role, None, settings=settings), **facts, **extra, "a": facts})
        return " ".join(done.text.split()) + " ".join(done.html.split())

    for kind in ("partner_input", "overdue"):
        to_lead = mail(kind, "lead", "so-tttt@dondoc.example")
        assert "Quý cơ quan được giao phần việc này" not in to_lead and "đề nghị báo Tổ giúp việc" not in to_lead
        assert to_lead.count("(Phần việc của Sở Nội vụ được giao vì thuộc nhóm «Thành viên Ban Chỉ đạo»") == 2, kind
        assert "Quý cơ quan được giao phần việc này" in mail(kind, "agency", "so-noi-vu@dondoc.example"), kind


def test_a_body_whose_inferred_part_is_cancelled_is_not_asked_to_report_its_membership(
    session: Session, clock: FrozenClock, loaded: dict[str, int]
) -> None:
    """The secretariat cancels Sở Nội vụ's part ("không thuộc thành phần"): the mail telling it so does
    not ask it, beneath, to tell the secretariat if it is not a member of the group."""
    from dondoc.notifications.context import assignment_context, common_context
    from dondoc.notifications.render import render

    settings = Settings(demo=True)
    act(
        session,
        loaded["so-noi-vu"],
        Request(Action.CANCEL, SECRETARIAT, comment="Không thuộc thành phần"),
        now=clock.now(),
    )
    session.commit()
    facts = assignment_context(
        session, loaded["so-noi-vu"], role="agency", email="so-noi-vu@dondoc.example", data={}, now=clock.now(),
        settings=settings,
    )  # fmt: skip
    context = {**common_context("agency", None, settings=settings), **facts, "a": facts}
    mail = render("assignment_cancelled", {**context, "data": {"comment": "Không thuộc thành phần"}})
    assert "Không thuộc thành phần" in mail.text
    assert "suy đoán" not in mail.text + mail.html
