"""A partner's date follows its lead's extension (engine.services.partner_dates).

Before: the secretariat extended Sở TT&TT (chủ trì) to 30/09; its partners stayed at 30/06, read
"quá hạn" on every page, counted late in the rates, and were reminded for input nobody needed yet.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlmodel import Session, col, select

from dondoc.engine.actors import SECRETARIAT, Actor
from dondoc.engine.clock import LOCAL_TZ, FrozenClock
from dondoc.engine.models import Assignment, Event, Notification, PlanItem
from dondoc.engine.status import Category, category
from dondoc.engine.workflow import Action
from tests.factories import assignment_for, load_min_catalog, step
from tests.support.catalogs import MIN_CATALOG

ITEM = "99/KH-TEST:II.1"  # lead Sở TT&TT; here Sở Nội vụ and VP UBND are made its partners
NEW_DAY = date(2022, 9, 30)


@pytest.fixture
def parts(session: Session, clock: FrozenClock) -> dict[str, Assignment]:
    load_min_catalog(session, clock.now(), MIN_CATALOG)
    found = {code: assignment_for(session, ITEM, code) for code in ("so-tttt", "so-noi-vu", "vp-ubnd")}
    for code in ("so-noi-vu", "vp-ubnd"):
        found[code].role = "partner"
        session.add(found[code])
    clock.set(datetime(2022, 7, 15, 9, 0, tzinfo=LOCAL_TZ))  # due 30/06/2022: every part overdue
    session.commit()
    return found


def _fresh(session: Session, a: Assignment) -> Assignment:
    session.expire_all()
    found = session.get(Assignment, a.id)
    assert found is not None
    return found


def _day(a: Assignment) -> date:
    assert a.due_at is not None
    return a.due_at.astimezone(LOCAL_TZ).date()


def _category(a: Assignment, now: datetime) -> Category:
    return category(a.state, a.due_at, a.reported_at, None, now, a.closed_at, assigned_at=a.assigned_at)


def _extensions(session: Session, a: Assignment) -> list[Event]:
    statement = select(Event).where(Event.assignment_id == a.id, Event.action == Action.EXTEND.value)
    return list(session.exec(statement.order_by(col(Event.id))))


def test_the_partners_follow_the_leads_extension(
    session: Session, clock: FrozenClock, parts: dict[str, Assignment]
) -> None:
    step(session, clock, parts["so-tttt"], Action.EXTEND, SECRETARIAT, due=NEW_DAY, comment="Chờ kinh phí.")
    for code in ("so-noi-vu", "vp-ubnd"):
        partner = _fresh(session, parts[code])
        assert _day(partner) == NEW_DAY
        assert partner.original_due_at is not None
        assert partner.original_due_at.astimezone(LOCAL_TZ).date() == date(2022, 6, 30)  # the first date is kept
        assert _category(partner, clock.now()) is Category.ON_TRACK  # no longer told late
        (event,) = _extensions(session, partner)
        assert event.actor == SECRETARIAT.label and event.data["to_due"].startswith("2022-09-30")
        assert (
            event.comment == "Theo thời hạn của cơ quan chủ trì Sở Thông tin và Truyền thông, nay là ngày 30/09/2022."
        )
        assert event.data["follows_lead"] == parts["so-tttt"].id
    told = session.exec(select(Notification).where(Notification.kind == "extension_granted")).all()
    assert sorted(n.recipient_email for n in told) == [
        "so-noi-vu@dondoc.example",
        "so-tttt@dondoc.example",
        "vp-ubnd@dondoc.example",
    ]
    partner_mail = next(n for n in told if n.recipient_email == "vp-ubnd@dondoc.example")
    assert partner_mail.data["follows_lead_name"] == "Sở Thông tin và Truyền thông"
    lead_mail = next(n for n in told if n.recipient_email == "so-tttt@dondoc.example")
    assert lead_mail.data["partners_following"] == ["Sở Nội vụ", "Văn phòng UBND tỉnh"]  # the lead is told who followed


def test_a_partner_done_ahead_or_waiting_for_its_own_request_is_left(
    session: Session, clock: FrozenClock, parts: dict[str, Assignment]
) -> None:
    vp, noi_vu = parts["vp-ubnd"], parts["so-noi-vu"]
    asked = date(2022, 10, 31)
    step(session, clock, vp, Action.REQUEST_EXTENSION, Actor.agency("vp-ubnd"), comment="Chờ số liệu.", due=asked)
    step(session, clock, noi_vu, Action.ACKNOWLEDGE, Actor.agency("so-noi-vu"))
    step(session, clock, noi_vu, Action.REPORT, Actor.agency("so-noi-vu"), comment="Ý kiến của Sở Nội vụ.")
    step(session, clock, parts["so-tttt"], Action.EXTEND, SECRETARIAT, due=NEW_DAY)
    assert _extensions(session, vp) == [] and _day(_fresh(session, vp)) == date(2022, 6, 30)  # the queue decides it
    assert _extensions(session, noi_vu) == []  # its input is in
    step(session, clock, vp, Action.EXTEND, SECRETARIAT, due=asked)
    step(session, clock, parts["so-tttt"], Action.EXTEND, SECRETARIAT, due=date(2022, 10, 14))
    assert _day(_fresh(session, vp)) == asked and len(_extensions(session, vp)) == 1  # later than the lead: left


def test_with_two_leads_the_partner_takes_the_earliest_and_is_told_why(
    session: Session, clock: FrozenClock, parts: dict[str, Assignment]
) -> None:
    second, partner = parts["so-noi-vu"], parts["vp-ubnd"]
    second.role = "lead"
    partner.due_at = datetime(2022, 6, 15, 23, 59, 59, tzinfo=LOCAL_TZ)  # its own earlier date
    session.add_all([second, partner])
    session.commit()
    step(session, clock, second, Action.EXTEND, SECRETARIAT, due=date(2022, 8, 31))
    assert _extensions(session, partner) == []  # Sở TT&TT is still due 30/06: not moved to a day gone
    step(session, clock, parts["so-tttt"], Action.EXTEND, SECRETARIAT, due=NEW_DAY)
    partner = _fresh(session, partner)
    assert _day(partner) == date(2022, 8, 31)  # Sở Nội vụ needs the input by then
    (event,) = _extensions(session, partner)
    assert event.comment == "Theo thời hạn của cơ quan chủ trì Sở Nội vụ, nay là ngày 31/08/2022."  # the earliest


def test_an_implementers_or_a_partners_extension_moves_nobody_else(
    session: Session, clock: FrozenClock, parts: dict[str, Assignment]
) -> None:
    implementer = parts["so-noi-vu"]
    implementer.role = "implementer"
    session.add(implementer)
    session.commit()
    step(session, clock, implementer, Action.EXTEND, SECRETARIAT, due=NEW_DAY)
    step(session, clock, parts["vp-ubnd"], Action.EXTEND, SECRETARIAT, due=date(2022, 8, 31))
    assert _extensions(session, parts["so-tttt"]) == []
    assert len(_extensions(session, parts["vp-ubnd"])) == 1 and len(_extensions(session, implementer)) == 1


def test_a_partner_sent_back_or_refused_comes_to_its_leads_date(
    session: Session, clock: FrozenClock, parts: dict[str, Assignment]
) -> None:
    """Left at its date while its input was in, or while its own request waited, a partner read
    "quá hạn" again once its report was sent back or its request refused."""
    vp, noi_vu = parts["vp-ubnd"], parts["so-noi-vu"]
    step(
        session,
        clock,
        vp,
        Action.REQUEST_EXTENSION,
        Actor.agency("vp-ubnd"),
        comment="Chờ số liệu.",
        due=date(2022, 11, 30),
    )
    step(session, clock, noi_vu, Action.ACKNOWLEDGE, Actor.agency("so-noi-vu"))
    step(session, clock, noi_vu, Action.REPORT, Actor.agency("so-noi-vu"), comment="Ý kiến.")
    step(session, clock, parts["so-tttt"], Action.EXTEND, SECRETARIAT, due=NEW_DAY)
    assert _day(_fresh(session, vp)) == _day(_fresh(session, noi_vu)) == date(2022, 6, 30)
    step(session, clock, noi_vu, Action.RETURN, SECRETARIAT, comment="Thiếu danh sách.")
    assert _day(_fresh(session, noi_vu)) == NEW_DAY and _day(_fresh(session, vp)) == date(2022, 6, 30)
    step(session, clock, vp, Action.REFUSE_EXTENSION, SECRETARIAT, comment="Theo thời hạn của cơ quan chủ trì.")
    for partner in (vp, noi_vu):
        assert _day(_fresh(session, partner)) == NEW_DAY and len(_extensions(session, partner)) == 1


def test_a_partner_without_a_date_takes_the_date_the_secretariat_sets_for_its_lead(
    session: Session, clock: FrozenClock, parts: dict[str, Assignment]
) -> None:
    """A milestone waiting for a date: "Đặt hạn" on the lead alone left its partners with none, never
    asked for their input."""
    for a in parts.values():
        a.due_at = None
        session.add(a)
    session.commit()
    step(session, clock, parts["so-tttt"], Action.EXTEND, SECRETARIAT, due=NEW_DAY)
    assert {_day(_fresh(session, parts[code])) for code in ("so-noi-vu", "vp-ubnd")} == {NEW_DAY}


def test_a_partner_whose_history_is_ahead_is_left_and_the_lead_is_extended(
    session: Session, clock: FrozenClock, parts: dict[str, Assignment]
) -> None:
    """A step is never written before the last one of a history: the partner whose history holds a
    later instant was refused, and the lead's extension with it."""
    vp = parts["vp-ubnd"]
    step(session, clock, vp, Action.ACKNOWLEDGE, Actor.agency("vp-ubnd"))
    clock.advance(timedelta(hours=-2))
    step(session, clock, parts["so-tttt"], Action.EXTEND, SECRETARIAT, due=NEW_DAY)
    assert _day(_fresh(session, parts["so-tttt"])) == NEW_DAY
    assert _extensions(session, vp) == [] and _day(_fresh(session, parts["so-noi-vu"])) == NEW_DAY


def test_the_lead_is_named_by_the_documents_word(
    session: Session, clock: FrozenClock, parts: dict[str, Assignment]
) -> None:
    """04/KH-BCĐ heads its leads "Cơ quan tham mưu": the partner's history says so, as its mails do."""
    item = session.exec(select(PlanItem).where(PlanItem.code == ITEM)).one()
    item.roles_as_written = {**item.roles_as_written, "lead_heading": "Cơ quan tham mưu"}
    session.add(item)
    session.commit()
    step(session, clock, parts["so-tttt"], Action.EXTEND, SECRETARIAT, due=NEW_DAY)
    (event,) = _extensions(session, parts["vp-ubnd"])
    assert event.comment == "Theo thời hạn của cơ quan tham mưu Sở Thông tin và Truyền thông, nay là ngày 30/09/2022."


def _a_late_second_lead(
    session: Session, clock: FrozenClock, parts: dict[str, Assignment]
) -> tuple[Assignment, Assignment]:
    """Sở Nội vụ a second lead, still due 30/06 (late); Sở TT&TT extended to 30/09: the partner, VP UBND,
    is not moved to a day gone while Sở Nội vụ still needs its input. (The second lead, the partner.)"""
    second, partner = parts["so-noi-vu"], parts["vp-ubnd"]
    second.role = "lead"
    session.add(second)
    session.commit()
    step(session, clock, parts["so-tttt"], Action.EXTEND, SECRETARIAT, due=NEW_DAY)
    assert _extensions(session, partner) == []
    return second, partner


def test_when_the_late_one_of_two_leads_is_verified_the_partner_comes_to_the_other_leads_date(
    session: Session, clock: FrozenClock, parts: dict[str, Assignment]
) -> None:
    second, partner = _a_late_second_lead(session, clock, parts)
    step(session, clock, second, Action.ACKNOWLEDGE, Actor.agency("so-noi-vu"))
    step(session, clock, second, Action.REPORT, Actor.agency("so-noi-vu"), comment="Đã xong phần của Sở Nội vụ.")
    assert _extensions(session, partner) == []  # an agency's own report moves no date: only the secretariat extends
    step(session, clock, second, Action.VERIFY, SECRETARIAT)
    assert _day(_fresh(session, partner)) == NEW_DAY  # now only Sở TT&TT waits for it, by 30/09


def test_when_the_late_one_of_two_leads_is_cancelled_so_does_the_partner(
    session: Session, clock: FrozenClock, parts: dict[str, Assignment]
) -> None:
    second, partner = _a_late_second_lead(session, clock, parts)
    step(session, clock, second, Action.CANCEL, SECRETARIAT, comment="Giao Sở TT&TT thực hiện toàn bộ.")
    assert _day(_fresh(session, partner)) == NEW_DAY
