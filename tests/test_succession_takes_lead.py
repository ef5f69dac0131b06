"""A lead's part passes to a successor that partnered the same milestone, on both databases.

Sở TT&TT ended in 2025 and Sở KH&CN took its work over; Sở KH&CN partnered 26 of the lead parts
Sở TT&TT still had open. A body could hold one part of a milestone: those lead parts waited in
"Cần phân công lại" where choosing Sở KH&CN was refused ("đã có nhiệm vụ này"), and cancelling
them (the replay's secretariat did) left the milestone with no lead. Now the successor takes the
lead, its open partner part ends by the same decision, and its partner input already reported stays.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import Session, col, select

from dondoc.engine.actors import SECRETARIAT, Actor
from dondoc.engine.errors import InvalidInput
from dondoc.engine.models import Agency, Assignment, Event, Milestone, Notification, PlanItem, State
from dondoc.engine.services.assignments import Request, act
from dondoc.engine.services.successions import (
    WHY_HELD,
    WHY_TAKES_LEAD,
    Part,
    pending_assignment_ids,
    standing_in_the_way,
    waiting_transfers,
)
from dondoc.engine.workflow import Action
from tests.factories import assignment_for
from tests.support.catalogs import edit
from tests.support.successions import (
    PARTNERED_II_1,
    PLAN,
    SOURCE,
    apply,
    at,
    load,
    succession_catalog,
    successions_yaml,
)

II_1 = "99/KH-TEST:II.1"


def _start(session: Session, tmp_path: Path, old: str, new: str, *, partners: bool) -> None:
    """II.1 led by Sở TT&TT; ``old`` absorbed into ``new`` on 01/08/2022. With ``partners``, Sở Nội
    vụ partners II.1 (instead of implementing it with the other departments)."""
    body = f"from: [{old}]\n    to: [{{agency: {new}}}]"
    catalog = succession_catalog(tmp_path, successions_yaml("absorb", body))
    if partners:
        edit(catalog, PLAN, *PARTNERED_II_1)
    load(session, catalog, at("2022-03-02"))


def _parts(session: Session, code: str) -> list[tuple[str, str]]:
    """(role, state) of every part ``code`` holds of II.1's second milestone, by role."""
    rows = session.exec(
        select(Assignment.role, Assignment.state)
        .join(Agency, col(Agency.id) == col(Assignment.agency_id))
        .join(Milestone, col(Milestone.id) == col(Assignment.milestone_id))
        .join(PlanItem, col(PlanItem.id) == col(Milestone.item_id))
        .where(Agency.code == code, PlanItem.code == II_1, Milestone.seq == 2)
    )
    return sorted((str(role), str(state)) for role, state in rows)


def test_the_rule_of_who_may_take_over_a_part() -> None:
    partner_open, partner_reported = Part(7, "partner", "in_progress"), Part(8, "partner", "reported")
    assert standing_in_the_way([], "lead").refused is None
    assert standing_in_the_way([partner_open], "lead").closes == (7,)
    assert standing_in_the_way([partner_reported], "lead").closes == ()  # its input, reported, stays
    assert standing_in_the_way([Part(9, "implementer", "assigned")], "lead").closes == ()  # its own work stays
    assert "phối hợp" in (standing_in_the_way([partner_reported], "partner").refused or "")
    assert "đã chủ trì" in (standing_in_the_way([Part(9, "lead", "assigned")], "partner").refused or "")
    assert standing_in_the_way([Part(9, "lead", "cancelled")], "lead").refused  # one part per role, any state
    assert standing_in_the_way([Part(9, "lead", "assigned")], "implementer").refused is None


def test_a_successor_that_partnered_takes_the_lead_and_its_partner_part_ends(session: Session, tmp_path: Path) -> None:
    _start(session, tmp_path, "so-tttt", "so-noi-vu", partners=True)
    lead = assignment_for(session, II_1, "so-tttt", seq=2)
    partner = assignment_for(session, II_1, "so-noi-vu", seq=2)
    act(session, lead.id or 0, Request(Action.ACKNOWLEDGE, Actor.agency("so-tttt")), now=at("2022-04-01"))
    session.commit()
    report = apply(session, at("2022-08-01"))
    # a state changes by the secretariat's decision only: the lead waits, and says why
    assert (lead.id, "so-tttt", "test-absorb") in report.queued
    (entry,) = [w for w in waiting_transfers(session, at("2022-08-01")) if w.assignment_id == lead.id]
    assert entry.reason == WHY_TAKES_LEAD and [c[0] for c in entry.candidates] == ["so-noi-vu"]
    assert _parts(session, "so-noi-vu") == [("partner", "assigned")]

    act(
        session,
        lead.id or 0,
        Request(Action.REASSIGN, SECRETARIAT, agency="so-noi-vu", account="tgv1"),
        now=at("2022-08-03"),
    )
    session.commit()
    session.refresh(lead)
    session.refresh(partner)
    # the lead keeps its state, date and history; the body now holds it, and its partner part ended
    assert (lead.agency_id, lead.role, lead.state) == (partner.agency_id, "lead", State.IN_PROGRESS)
    assert lead.id not in pending_assignment_ids(session)
    assert _parts(session, "so-noi-vu") == [("lead", "in_progress"), ("partner", "cancelled")]
    ended = session.exec(select(Event).where(Event.assignment_id == partner.id).order_by(col(Event.id).desc())).first()
    assert ended is not None and (ended.action, ended.actor, ended.actor_account) == ("cancel", "secretariat", "tgv1")
    assert ended.comment is not None
    assert "Sở Nội vụ nay chủ trì nhiệm vụ này, kế thừa Sở Thông tin và Truyền thông" in ended.comment
    assert SOURCE in ended.comment and "phần phối hợp của Sở Nội vụ kết thúc" in ended.comment
    # the body hears of both: its partner part closed, the lead it inherited
    kinds = {
        (n.assignment_id, n.kind)
        for n in session.exec(select(Notification).where(Notification.recipient_email == "so-noi-vu@dondoc.example"))
    }
    assert {(partner.id, "assignment_cancelled"), (lead.id, "inherited_work")} <= kinds
    # a reload of the catalog neither recreates the old body's part nor orphans the new one
    catalog = tmp_path / "catalog"
    reload = load(session, catalog, at("2022-08-04"))
    assert reload.created.get("assignment", 0) == 0 and not [o for o in reload.orphaned if f"({II_1}#2" in o]


def test_partner_input_already_reported_stays(session: Session, tmp_path: Path) -> None:
    _start(session, tmp_path, "so-tttt", "so-noi-vu", partners=True)
    lead = assignment_for(session, II_1, "so-tttt", seq=2)
    partner = assignment_for(session, II_1, "so-noi-vu", seq=2)
    for action in (Action.ACKNOWLEDGE, Action.REPORT):
        act(
            session,
            partner.id or 0,
            Request(action, Actor.agency("so-noi-vu"), comment="Đã hoàn thành."),
            now=at("2022-05-02"),
        )
    session.commit()
    assert (lead.id, "so-tttt", "so-noi-vu", "test-absorb") in apply(
        session, at("2022-08-01")
    ).transferred  # nothing to close
    assert _parts(session, "so-noi-vu") == [("lead", "assigned"), ("partner", "reported")]


def test_a_lead_passes_by_itself_to_a_body_that_implements_the_same_milestone(session: Session, tmp_path: Path) -> None:
    """Sở Nội vụ implements II.1 in its own field; taking Sở TT&TT's lead adds the lead's work to it."""
    _start(session, tmp_path, "so-tttt", "so-noi-vu", partners=False)
    lead = assignment_for(session, II_1, "so-tttt", seq=2)
    assert (lead.id, "so-tttt", "so-noi-vu", "test-absorb") in apply(session, at("2022-08-01")).transferred
    assert _parts(session, "so-noi-vu") == [("implementer", "assigned"), ("lead", "assigned")]


def test_a_partner_part_does_not_pass_to_the_milestones_lead(session: Session, tmp_path: Path) -> None:
    _start(session, tmp_path, "so-noi-vu", "so-tttt", partners=True)
    partner = assignment_for(session, II_1, "so-noi-vu", seq=2)
    assert (partner.id, "so-noi-vu", "test-absorb") in apply(session, at("2022-08-01")).queued
    (entry,) = [w for w in waiting_transfers(session, at("2022-08-01")) if w.assignment_id == partner.id]
    assert entry.reason == WHY_HELD
    with pytest.raises(InvalidInput, match="Sở Thông tin và Truyền thông đã chủ trì nhiệm vụ này"):
        act(session, partner.id or 0, Request(Action.REASSIGN, SECRETARIAT, agency="so-tttt"), now=at("2022-08-03"))
    session.rollback()
    assert _parts(session, "so-tttt") == [("lead", "assigned")]
