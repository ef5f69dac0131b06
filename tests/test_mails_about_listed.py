"""The mails a part's page lists ("Thư đã gửi về nhiệm vụ này") include those that list it among
others: the new-assignment notice of a plan tells a body of all its parts in one mail, with no
``assignment_id`` of its own; the page said "Chưa có thư nào" of a part its body had been mailed."""

from __future__ import annotations

from sqlmodel import Session

from dondoc.engine.clock import FrozenClock
from dondoc.engine.services.queries import mails_about
from tests.factories import assignment_for, load_min_catalog
from tests.support.catalogs import MIN_CATALOG
from tests.support.sweep import run_sweep

ITEM = "99/KH-TEST:II.1"


def test_a_parts_mails_include_the_notice_that_gave_it_among_others(session: Session, clock: FrozenClock) -> None:
    load_min_catalog(session, clock.now(), MIN_CATALOG)
    run_sweep(session, clock.now())
    mine = assignment_for(session, ITEM, "so-noi-vu").id or 0
    other = assignment_for(session, ITEM, "ubnd-binh-son").id or 0
    told = [(m.kind, m.recipient_email) for m in mails_about(session, mine)]
    assert told == [("new_assignment", "so-noi-vu@dondoc.example")]
    # another body's notice listing other parts is not this part's
    assert [m.recipient_email for m in mails_about(session, other)] == ["ubnd-binh-son@dondoc.example"]
