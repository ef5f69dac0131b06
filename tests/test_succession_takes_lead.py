"""A lead's part passes to a successor that partnered the same milestone, on both databases.

Sở TT&TT ended in 2025 and Sở KH&CN took its work over; Sở KH&CN partnered 26 of the lead parts
Sở TT&TT still had open. A body could hold one part of a milestone: those lead parts waited in
"Cần phân công lại" where choosing Sở KH&CN was refused ("đã có nhiệm vụ này"), and cancelling
them (the replay's secretariat did) left the milestone with no lead. Now the successor takes the
lead; where it is then the milestone's only lead still to report, its other parts end by the same
decision (successions.standing_in_the_way); where other leads are still to report, they stay.
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
    WHY_KEEPS,
    WHY_TAKES_LEAD,
    InTheWay,
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
    apply,
    at,
    load,
    succession_catalog,
    successions_yaml,
)

II_1 = "99/KH-TEST:II.1"
CO_LED_II_1 = (
    '"Các sở, ban, ngành, UBND các huyện."}\n    lead: [so-tttt]',
    '"Các sở."}\n    lead: [so-tttt, vp-ubnd]',
)


def _start(session: Session, tmp_path: Path, old: str, new: str, *, partners: bool, co_lead: bool = False) -> Path:
    """II.1 led by Sở TT&TT; ``old`` absorbed into ``new`` on 01/08/2022. With ``partners``, Sở Nội
    vụ partners II.1 (instead of implementing it with the other departments); with ``co_lead``, VP
    UBND leads it beside Sở TT&TT."""
    body = f"from: [{old}]\n    to: [{{agency: {new}}}]"
    catalog = succession_catalog(tmp_path, successions_yaml("absorb", body))
    if partners:
        edit(catalog, PLAN, *PARTNERED_II_1)
    if co_lead:
        edit(
            catalog,
            PLAN,
            '"Các sở, ban, ngành, UBND các huyện."}\n    lead: [so-tttt]',
            '"Các sở."}\n    lead: [so-tttt, vp-ubnd]',
        )
    load(session, catalog, at("2022-03-02"))
    return catalog


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
    partner, reported = Part(7, "partner", "in_progress"), Part(8, "partner", "reported")
    implementer, lead = Part(9, "implementer", "assigned"), Part(10, "lead", "assigned")
    assert standing_in_the_way([], "lead", other_leads=False) == InTheWay()
    assert standing_in_the_way([], "partner", other_leads=True) == InTheWay()
    # the only lead still to report: the body's parts not yet closed end (its words stay in the history)
    assert standing_in_the_way([partner], "lead", other_leads=False).closes == (partner,)
    assert standing_in_the_way([reported], "lead", other_leads=False).closes == (reported,)
    assert standing_in_the_way([implementer], "lead", other_leads=False).closes == (implementer,)
    assert standing_in_the_way([Part(11, "partner", "cancelled")], "lead", other_leads=False) == InTheWay()
    # other leads still to report: its input and its share are theirs too, and stay beside the lead;
    # never silently: the secretariat is told what the body keeps (an open part of another role)
    assert standing_in_the_way([partner, implementer], "lead", other_leads=True) == InTheWay(
        keeps=(partner, implementer)
    )
    assert standing_in_the_way([Part(11, "partner", "cancelled")], "lead", other_leads=True) == InTheWay()
    # any other part to a body that holds one: a duplicate, the secretariat decides
    refused = standing_in_the_way([lead], "partner", other_leads=False).refused
    assert refused == "đã có phần việc chủ trì (đã giao) của nhiệm vụ này"
    assert standing_in_the_way([implementer], "partner", other_leads=True).refused == (
        "đã có phần việc thực hiện (đã giao) của nhiệm vụ này"
    )
    assert "chủ trì (đã hủy)" in (
        standing_in_the_way([Part(12, "lead", "cancelled")], "lead", other_leads=False).refused or ""
    )


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
    assert ended.comment == (
        "Sở Nội vụ được giao chủ trì nhiệm vụ này thay Sở Thông tin và Truyền thông (sáp nhập, từ ngày "
        "01/08/2022), nên phần việc phối hợp của Sở Nội vụ ở nhiệm vụ này không còn phải thực hiện."
    )
    # the body hears of both: its partner part closed, the lead it inherited
    kinds = {
        (n.assignment_id, n.kind)
        for n in session.exec(select(Notification).where(Notification.recipient_email == "so-noi-vu@dondoc.example"))
    }
    assert {(partner.id, "assignment_cancelled"), (lead.id, "inherited_work")} <= kinds
    # a reload of the catalog neither recreates the old body's part nor orphans the new one
    catalog = tmp_path / "catalog"
    reload = load(session, catalog, at("2022-08-04"))
    assert reload.created.get("assignment", 0) == 0 and not [
        o for o in reload.orphaned if f"(nhiệm vụ {II_1}, mốc 2," in o
    ]


def test_partner_input_reported_ends_too_and_stays_in_the_history(session: Session, tmp_path: Path) -> None:
    """Returned later, a reported partner part would have asked the body for input to itself."""
    _start(session, tmp_path, "so-tttt", "so-noi-vu", partners=True)
    lead = assignment_for(session, II_1, "so-tttt", seq=2)
    partner = assignment_for(session, II_1, "so-noi-vu", seq=2)
    for action in (Action.ACKNOWLEDGE, Action.REPORT):
        act(
            session,
            partner.id or 0,
            Request(action, Actor.agency("so-noi-vu"), comment="Ý kiến của Sở Nội vụ."),
            now=at("2022-05-02"),
        )
    session.commit()
    assert (lead.id, "so-tttt", "test-absorb") in apply(session, at("2022-08-01")).queued
    act(session, lead.id or 0, Request(Action.REASSIGN, SECRETARIAT, agency="so-noi-vu"), now=at("2022-08-03"))
    session.commit()
    assert _parts(session, "so-noi-vu") == [("lead", "assigned"), ("partner", "cancelled")]
    said = session.exec(select(Event.comment).where(Event.assignment_id == partner.id, Event.action == "report")).one()
    assert said == "Ý kiến của Sở Nội vụ."


def test_where_other_leads_are_still_to_report_the_lead_waits_and_the_body_keeps_its_parts(
    session: Session, tmp_path: Path
) -> None:
    """II.1 led by Sở TT&TT and VP UBND, partnered by Sở Nội vụ, which absorbs Sở TT&TT: it would hold
    a lead and a partner part of one milestone. That is not passed on silently (01/03/2025: VP UBND
    got Sở Ngoại vụ's lead beside its own partner part, told nobody): the lead waits, the queue says
    what choosing Sở Nội vụ keeps, and named, the body holds both, as the secretariat was told."""
    _start(session, tmp_path, "so-tttt", "so-noi-vu", partners=True, co_lead=True)
    lead = assignment_for(session, II_1, "so-tttt", seq=2)
    report = apply(session, at("2022-08-01"))
    assert (lead.id, "so-tttt", "test-absorb") in report.queued and not report.transferred
    (entry,) = [w for w in waiting_transfers(session, at("2022-08-01")) if w.assignment_id == lead.id]
    assert entry.reason == WHY_KEEPS
    assert entry.reason.startswith("Cơ quan kế nhiệm đang có phần việc khác của nhiệm vụ này: ")
    way = entry.ways["so-noi-vu"]
    assert [p.role for p in way.keeps] == ["partner"] and not way.closes and way.refused is None
    assert _parts(session, "so-noi-vu") == [("partner", "assigned")]
    act(session, lead.id or 0, Request(Action.REASSIGN, SECRETARIAT, agency="so-noi-vu"), now=at("2022-08-03"))
    session.commit()
    assert _parts(session, "so-noi-vu") == [("lead", "assigned"), ("partner", "assigned")]


def test_co_leads_merged_into_their_partner_leave_it_one_part(session: Session, tmp_path: Path) -> None:
    """Sở TT&TT and VP UBND lead II.1 and both merge into Sở Nội vụ, its partner: neither lead is
    "another lead still to report" for the other (each is the successor's own to come), so its
    partner part ends when it takes the first; the second is a duplicate."""
    body = "from: [so-tttt, vp-ubnd]\n    to: [{agency: so-noi-vu}]"
    catalog = succession_catalog(tmp_path, successions_yaml("merge", body))
    edit(catalog, PLAN, *PARTNERED_II_1)
    edit(catalog, PLAN, *CO_LED_II_1)
    load(session, catalog, at("2022-03-02"))
    first, second = (assignment_for(session, II_1, code, seq=2) for code in ("so-tttt", "vp-ubnd"))
    queued = apply(session, at("2022-08-01")).queued
    assert (first.id, "so-tttt", "test-merge") in queued and (second.id, "vp-ubnd", "test-merge") in queued
    waiting = {w.assignment_id: w for w in waiting_transfers(session, at("2022-08-01"))}
    assert waiting[first.id].reason == waiting[second.id].reason == WHY_TAKES_LEAD
    assert [p.role for p in waiting[first.id].ways["so-noi-vu"].closes] == ["partner"]
    act(session, first.id or 0, Request(Action.REASSIGN, SECRETARIAT, agency="so-noi-vu"), now=at("2022-08-03"))
    session.commit()
    assert _parts(session, "so-noi-vu") == [("lead", "assigned"), ("partner", "cancelled")]
    with pytest.raises(InvalidInput, match=r"Sở Nội vụ đã có phần việc chủ trì \(đã giao\)"):
        act(session, second.id or 0, Request(Action.REASSIGN, SECRETARIAT, agency="so-noi-vu"), now=at("2022-08-03"))
    session.rollback()


def test_a_lead_passes_to_a_body_that_implements_the_milestone_whose_share_ends(
    session: Session, tmp_path: Path
) -> None:
    """Sở Nội vụ implements II.1 with the other departments; taking Sở TT&TT's lead, it reports for the
    item as its lead: its own share beside the lead's report would be reminded and counted twice."""
    catalog = _start(session, tmp_path, "so-tttt", "so-noi-vu", partners=False)
    lead = assignment_for(session, II_1, "so-tttt", seq=2)
    assert (lead.id, "so-tttt", "test-absorb") in apply(session, at("2022-08-01")).queued
    act(session, lead.id or 0, Request(Action.REASSIGN, SECRETARIAT, agency="so-noi-vu"), now=at("2022-08-03"))
    session.commit()
    assert _parts(session, "so-noi-vu") == [("implementer", "cancelled"), ("lead", "assigned")]
    # the catalog, edited to name the successor as the lead, finds its lead and fails on nothing
    edit(
        catalog,
        PLAN,
        '"Các sở, ban, ngành, UBND các huyện."}\n    lead: [so-tttt]',
        '"Các sở."}\n    lead: [so-noi-vu]',
    )
    load(session, catalog, at("2022-08-04"))  # its cancelled share had been made the lead: a UNIQUE violation
    assert _parts(session, "so-noi-vu") == [("implementer", "cancelled"), ("lead", "assigned")]
    changed = select(Event).where(Event.assignment_id == lead.id, Event.action == "catalog_role_changed")
    assert session.exec(changed).first() is None


def test_no_other_part_passes_to_a_body_that_holds_one(session: Session, tmp_path: Path) -> None:
    """A partner's or an implementer's part where the successor leads (or holds the same role) waits:
    the secretariat decides the duplicate."""
    _start(session, tmp_path, "so-noi-vu", "so-tttt", partners=True)
    partner = assignment_for(session, II_1, "so-noi-vu", seq=2)
    assert (partner.id, "so-noi-vu", "test-absorb") in apply(session, at("2022-08-01")).queued
    (entry,) = [w for w in waiting_transfers(session, at("2022-08-01")) if w.assignment_id == partner.id]
    assert entry.reason == WHY_HELD
    assert entry.ways["so-tttt"].refused == "đã có phần việc chủ trì (đã giao) của nhiệm vụ này"
    with pytest.raises(InvalidInput, match=r"Sở Thông tin và Truyền thông đã có phần việc chủ trì \(đã giao\)"):
        act(session, partner.id or 0, Request(Action.REASSIGN, SECRETARIAT, agency="so-tttt"), now=at("2022-08-03"))
    session.rollback()
    assert _parts(session, "so-tttt") == [("lead", "assigned")]


def test_an_implementers_part_waits_where_the_successor_leads(session: Session, tmp_path: Path) -> None:
    _start(session, tmp_path, "so-noi-vu", "so-tttt", partners=False)
    implementer = assignment_for(session, II_1, "so-noi-vu", seq=2)
    assert (implementer.id, "so-noi-vu", "test-absorb") in apply(session, at("2022-08-01")).queued
    assert _parts(session, "so-tttt") == [("lead", "assigned")]
