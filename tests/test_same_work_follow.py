"""The same work in two documents, after the load: a verification of an agency's work is followed by
its work on every milestone linked (``same_work_as``, stored in ``same_work_link``) to that item.

Before, the links were read at the catalog load alone: work verified later left its copy in the
other document open, and the sweep reminded and escalated it up to the chair for work already done
(the demo: 1834/UBND-KGVX item 2's radio milestone, the same work as 117/KH-UBND II.4.c).
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlmodel import Session, select

from dondoc.engine.actors import Actor
from dondoc.engine.clock import FrozenClock
from dondoc.engine.models import Assignment, Event, SameWorkLink, State
from dondoc.engine.services.assignments import Request, act, apply_step
from dondoc.engine.services.same_work import counterparts
from dondoc.engine.status import Category, category
from dondoc.engine.workflow import Action
from tests.factories import assignment_for, load_min_catalog
from tests.test_catalog_same_work import OTHER, OTHER_PLAN, _events, _linked_catalog

CHAIN = "plans/third-plan.yaml"
CHAIN_PLAN = """plan:
  number: "97/TB-TEST"
  kind: thong_bao
  issued: 2022-01-20
  issuer: "UBND tỉnh"
  title: "Thông báo thử nghiệm thứ ba"
  year: 2022
items:
  - code: "97/TB-TEST:1"
    section: "1"
    title: "Phân loại hệ thống thông tin (nhắc lại)"
    content: "Phân loại hệ thống thông tin."
    source: "Mục 1"
    lead: [so-tttt]
    deadline: "trước ngày 15/02/2022"
    same_work_as: ["98/TB-TEST:2"]
"""
SECRETARIAT = Actor.parse("secretariat")


def _done(
    session: Session, clock: FrozenClock, row: Assignment, agency_code: str = "so-tttt", *, verify: bool = True
) -> None:
    """The agency acknowledges and reports, the secretariat verifies: each step through ``act``, committed."""
    agency = Actor.agency(agency_code)
    for action in (Action.ACKNOWLEDGE, Action.REPORT):
        _step(session, clock, row, Request(action, agency, comment="Đã hoàn thành."))
    if verify:
        _verify(session, clock, row)


def _verify(session: Session, clock: FrozenClock, row: Assignment) -> None:
    _step(session, clock, row, Request(Action.VERIFY, SECRETARIAT))


def _step(session: Session, clock: FrozenClock, row: Assignment, request: Request) -> None:
    clock.advance(timedelta(hours=1))
    act(session, row.id or 0, request, now=clock.now())
    session.commit()


def _loaded(session: Session, clock: FrozenClock, tmp_path: Path) -> tuple[Assignment, Assignment, Assignment]:
    """The linked catalog loaded: so-tttt's 98/TB-TEST:2#2, and its two milestones of 99/KH-TEST:II.1 it follows."""
    load_min_catalog(session, clock.now(), _linked_catalog(tmp_path))
    follower = assignment_for(session, "98/TB-TEST:2", "so-tttt", seq=2)
    first, second = (assignment_for(session, "99/KH-TEST:II.1", "so-tttt", seq=s) for s in (1, 2))
    return follower, first, second


def _fresh(session: Session, row: Assignment) -> Assignment:
    found = session.get(Assignment, row.id, populate_existing=True)
    assert found is not None
    return found


def test_verifying_the_linked_work_later_verifies_the_follower_at_its_times(
    session: Session, clock: FrozenClock, tmp_path: Path
) -> None:
    follower, first, second = _loaded(session, clock, tmp_path)
    assert follower.state == State.ASSIGNED
    _done(session, clock, first)
    assert _fresh(session, follower).state == State.ASSIGNED  # one of the agency's two milestones there is open
    _done(session, clock, second, verify=False)  # reported, not yet verified
    follower, second = _fresh(session, follower), _fresh(session, second)
    # the agency reported this work, under the other document: not to be reminded nor escalated as unreported
    assert follower.state == State.REPORTED and follower.reported_at == second.reported_at
    reported = clock.now()
    _verify(session, clock, second)
    follower, second = _fresh(session, follower), _fresh(session, second)
    assert follower.state == State.VERIFIED and follower.progress == 100
    assert follower.reported_at == second.reported_at and follower.verified_at == second.verified_at
    moves = [(e.action, e.actor, e.from_state, e.to_state, e.at) for e in _events(session, follower.id)[1:]]
    assert moves == [
        ("catalog_same_work", "system", "assigned", "reported", reported),
        ("catalog_same_work", "system", "reported", "verified", clock.now()),
    ]
    last = _events(session, follower.id)[-1]
    assert last.data["linked_assignments"] == [first.id, second.id] and "99/KH-TEST:II.1" in (last.comment or "")
    # the sweep has nothing left to remind or escalate: the copy is done, late as the linked work was
    later = clock.now() + timedelta(days=30)
    assert category(follower.state, follower.due_at, follower.reported_at, None, later) is Category.DONE_LATE


def test_another_agency_on_the_follower_is_left_alone(session: Session, clock: FrozenClock, tmp_path: Path) -> None:
    load_min_catalog(session, clock.now(), _linked_catalog(tmp_path))
    absent = assignment_for(session, "98/TB-TEST:1", "ubnd-ly-son")  # on 98/TB-TEST:1, not on 99/KH-TEST:II.3
    for seq in (1, 2):
        _done(session, clock, assignment_for(session, "99/KH-TEST:II.1", "so-tttt", seq=seq))
    assert _fresh(session, absent).state == State.ASSIGNED
    assert [e.action for e in _events(session, absent.id)] == ["assign"]


def test_a_chain_of_links_follows_in_the_same_step(session: Session, clock: FrozenClock, tmp_path: Path) -> None:
    catalog = _linked_catalog(tmp_path)
    (catalog / CHAIN).write_text(CHAIN_PLAN, encoding="utf-8")
    load_min_catalog(session, clock.now(), catalog)
    third = assignment_for(session, "97/TB-TEST:1", "so-tttt")  # follows both of so-tttt's 98/TB-TEST:2
    assert third.state == State.ASSIGNED  # 98/TB-TEST:2#2 is open
    for seq in (1, 2):
        _done(session, clock, assignment_for(session, "99/KH-TEST:II.1", "so-tttt", seq=seq))
    third = _fresh(session, third)
    assert third.state == State.VERIFIED
    assert _events(session, third.id)[-1].at == clock.now()  # the verification's own instant


def test_a_link_removed_from_the_catalog_is_no_longer_followed(
    session: Session, clock: FrozenClock, tmp_path: Path
) -> None:
    catalog = _linked_catalog(tmp_path)
    load_min_catalog(session, clock.now(), catalog)
    assert len(session.exec(select(SameWorkLink)).all()) == 3  # 98/TB-TEST:1, and 98/TB-TEST:2's two milestones
    (catalog / OTHER).write_text(OTHER_PLAN.replace(', same_work_as: ["99/KH-TEST:II.1"]', ""), encoding="utf-8")
    clock.advance(timedelta(days=1))
    report = load_min_catalog(session, clock.now(), catalog)
    assert report.updated["same_work_link"] == 1
    assert [link.linked_code for link in session.exec(select(SameWorkLink))] == ["99/KH-TEST:II.3"] * 2
    follower = assignment_for(session, "98/TB-TEST:2", "so-tttt", seq=2)
    for seq in (1, 2):
        _done(session, clock, assignment_for(session, "99/KH-TEST:II.1", "so-tttt", seq=seq))
    assert _fresh(session, follower).state == State.ASSIGNED


def test_a_verification_with_no_link_writes_nothing_more(session: Session, clock: FrozenClock, tmp_path: Path) -> None:
    load_min_catalog(session, clock.now(), _linked_catalog(tmp_path))
    row = assignment_for(session, "99/KH-TEST:II.1", "so-noi-vu")  # followed by nothing (so-noi-vu is on no follower)
    before = len(session.exec(select(Event)).all())
    _done(session, clock, row, "so-noi-vu")
    assert len(session.exec(select(Event)).all()) == before + 3


def test_a_returned_report_takes_the_follower_back_to_work(
    session: Session, clock: FrozenClock, tmp_path: Path
) -> None:
    follower, first, second = _loaded(session, clock, tmp_path)
    _done(session, clock, first)
    _done(session, clock, second, verify=False)
    assert _fresh(session, follower).state == State.REPORTED
    _step(session, clock, second, Request(Action.RETURN, SECRETARIAT, comment="Thiếu phụ lục"))
    follower = _fresh(session, follower)
    assert follower.state == State.IN_PROGRESS and follower.reported_at is None
    last = _events(session, follower.id)[-1]
    assert (last.action, last.from_state, last.to_state) == ("catalog_same_work", "reported", "in_progress")
    assert "trả lại" in (last.comment or "")
    # reported again and verified: the follower follows again
    _step(session, clock, second, Request(Action.REPORT, Actor.agency("so-tttt"), comment="Đã hoàn thành."))
    _verify(session, clock, second)
    assert _fresh(session, follower).state == State.VERIFIED


def test_a_report_on_the_copy_reports_the_work_it_names(session: Session, clock: FrozenClock, tmp_path: Path) -> None:
    """Behind: Lý Sơn reported 1834/UBND-KGVX:2's radio milestone itself, and was escalated to the
    chair on 117/KH-UBND II.4.c, the same work. A report on the copy is a report on what it names."""
    follower, first, second = _loaded(session, clock, tmp_path)
    _done(session, clock, follower, verify=False)  # reported on this document by the agency itself
    reported = _fresh(session, follower).reported_at
    for row in (_fresh(session, first), _fresh(session, second)):
        assert row.state == State.REPORTED and row.reported_at == reported
        last = _events(session, row.id)[-1]
        assert (last.action, last.actor, last.to_state) == ("catalog_same_work", "system", "reported")
        assert "98/TB-TEST:2" in (last.comment or "")
    _verify(session, clock, follower)
    assert {_fresh(session, r).state for r in (first, second)} == {State.VERIFIED}


def test_a_returned_report_on_the_copy_takes_the_work_it_names_back(
    session: Session, clock: FrozenClock, tmp_path: Path
) -> None:
    follower, first, second = _loaded(session, clock, tmp_path)
    _done(session, clock, follower, verify=False)
    _step(session, clock, follower, Request(Action.RETURN, SECRETARIAT, comment="Thiếu phụ lục"))
    for row in (_fresh(session, first), _fresh(session, second)):
        assert row.state == State.IN_PROGRESS and row.reported_at is None


def test_a_report_the_agency_made_itself_is_not_taken_back(
    session: Session, clock: FrozenClock, tmp_path: Path
) -> None:
    """Only a state given by a step holds the same work up: the copy's own report stays when one of
    the reports it propped up (not its own) is returned."""
    follower, first, second = _loaded(session, clock, tmp_path)
    _done(session, clock, follower, verify=False)  # reported by the agency itself; both of II.1 follow
    _step(session, clock, second, Request(Action.RETURN, SECRETARIAT, comment="Thiếu phụ lục"))
    assert _fresh(session, second).state == State.IN_PROGRESS
    follower = _fresh(session, follower)
    assert follower.state == State.REPORTED and [e.action for e in _events(session, follower.id)] == [
        "assign",
        "acknowledge",
        "report",
    ]
    assert _fresh(session, first).state == State.REPORTED  # still the copy's report, not returned


def test_the_replays_step_follows_too(session: Session, clock: FrozenClock, tmp_path: Path) -> None:
    """``apply_step`` (the web, the CLI, the replay) is the same step as ``act``: it is followed alike."""
    follower, first, second = _loaded(session, clock, tmp_path)
    _done(session, clock, first)
    agency = Actor.agency("so-tttt")
    for action in (Action.ACKNOWLEDGE, Action.REPORT):
        clock.advance(timedelta(hours=1))
        apply_step(session, second.id or 0, Request(action, agency, comment="Đã hoàn thành."), now=clock.now())
    session.commit()
    assert _fresh(session, follower).state == State.REPORTED


SECOND_COPY = "plans/fourth-plan.yaml"
SECOND_COPY_PLAN = (
    CHAIN_PLAN.replace("97/TB-TEST", "96/TB-TEST")
    .replace("thứ ba", "thứ tư")
    .replace('["98/TB-TEST:2"]', '["99/KH-TEST:II.1"]')
)


def test_no_report_props_itself_up(session: Session, clock: FrozenClock, tmp_path: Path) -> None:
    """Two copies of one item: a report on one reports the item, and the item the other copy. When
    the first report is returned, the item's and the other copy's go with it: the other copy's
    report, taken by following, does not keep the item reported."""
    catalog = _linked_catalog(tmp_path)
    (catalog / SECOND_COPY).write_text(SECOND_COPY_PLAN, encoding="utf-8")
    load_min_catalog(session, clock.now(), catalog)
    copy, other_copy = (
        assignment_for(session, "98/TB-TEST:2", "so-tttt", seq=2),
        assignment_for(session, "96/TB-TEST:1", "so-tttt"),
    )
    items = [assignment_for(session, "99/KH-TEST:II.1", "so-tttt", seq=s) for s in (1, 2)]
    _done(session, clock, copy, verify=False)
    assert {_fresh(session, r).state for r in (*items, other_copy)} == {State.REPORTED}
    _step(session, clock, copy, Request(Action.RETURN, SECRETARIAT, comment="Thiếu phụ lục"))
    assert {_fresh(session, r).state for r in (*items, other_copy)} == {State.IN_PROGRESS}


def test_a_copy_verified_by_following_leaves_the_queue_of_work_to_reassign(
    session: Session, clock: FrozenClock, tmp_path: Path
) -> None:
    """Verified work waits for no successor: act closes its place in "Cần phân công lại", and so
    does a verification taken by following."""
    from datetime import date

    from dondoc.engine.models import AgencyTransfer, TransferStatus

    follower, first, second = _loaded(session, clock, tmp_path)
    waiting = AgencyTransfer(
        assignment_id=follower.id or 0,
        succession_key="test",
        from_agency_id=follower.agency_id,
        effective_on=date(2022, 3, 1),
        recorded_at=clock.now(),
        status=TransferStatus.PENDING,
        reason="chờ Tổ giúp việc quyết định",
    )
    session.add(waiting)
    session.commit()
    for row in (first, second):
        _done(session, clock, row)
    assert _fresh(session, follower).state == State.VERIFIED
    session.refresh(waiting)
    assert (waiting.status, waiting.decided_by) == (TransferStatus.CLOSED, "system")


def test_the_same_work_is_counted_once_in_a_bodys_rates(session: Session, clock: FrozenClock, tmp_path: Path) -> None:
    """Sở TT&TT's rate counted 117/KH-UBND II.4.c and 1834/UBND-KGVX item 2, the same work reported
    the same second, as two tasks due: the copy (the milestone that names the other document's
    item) is counted once, under the work it names, when both are counted in the period."""
    from datetime import date, datetime

    from sqlalchemy import delete

    from dondoc.engine.clock import LOCAL_TZ
    from dondoc.engine.reports.rates import agency_rates

    follower, first, second = _loaded(session, clock, tmp_path)
    _done(session, clock, first)
    _done(session, clock, second)
    assert _fresh(session, follower).state == State.VERIFIED.value  # followed: one piece of work
    year_end = datetime(2022, 12, 31, 23, 0, tzinfo=LOCAL_TZ)

    def tasks(end: date = date(2022, 12, 31)) -> tuple[int, int]:
        found = agency_rates(session, start=date(2022, 1, 1), end=end, now=year_end)
        rates = {r.agency_code: r for r in found}
        return rates["so-tttt"].tasks_due, rates["so-tttt"].tasks_on_time

    # January-February: the two copies due 15/02 are counted, both done late by that date: the work
    # they name is not (II.1's dates are later; II.3 was not yet given, the catalog loaded on 02/03),
    # so nothing is counted twice and nothing is dropped for a counterpart that is not there
    assert tasks(date(2022, 2, 28)) == (2, 0)

    # II.1's two milestones and II.3, all done on time; each of 98/TB-TEST's three milestones names
    # one of them, two of them dated 15/02, earlier than the work they name: the work is counted by
    # its earliest date (II.1's two milestones once, as the one 98/TB-TEST:2#2 names, done late by it).
    # II.3's piece is counted by 98/TB-TEST:2#1's 15/02, inside the "Tháng 02/2022" II.3's plan records
    # it done in, with no day: neither way (engine.status.done_day_unknown), and not on time by II.3
    assert tasks() == (1, 0)
    session.execute(delete(SameWorkLink))  # the counterfactual: the same rows, as six pieces of work
    assert tasks() == (5, 4)
    session.rollback()


def test_late_work_is_not_made_on_time_by_a_later_plans_record_of_it(
    session: Session, clock: FrozenClock, tmp_path: Path
) -> None:
    """The 2022 replay: the Thông báo gave Sở TT&TT "trước ngày 15/02/2022", reported on 24/02; the
    plan issued after it records the same work "Tháng 02/2022 (đã hoàn thành)", done on its 28/02 by
    the catalog. The rates counted that record, on time by construction (Sở TT&TT 7/7, not 6/7): the
    work is counted once, by its earliest date in force, late."""
    from datetime import date, datetime

    from sqlalchemy import delete

    from dondoc.engine.clock import LOCAL_TZ
    from dondoc.engine.reports.counted import done_on_time
    from dondoc.engine.reports.rates import agency_rates
    from tests.support.catalogs import copy_catalog

    link = '"Việc đã xong ở kế hoạch kia", deadline: "trước ngày 15/02/2022", same_work_as: ["99/KH-TEST:II.3"]}'
    catalog = copy_catalog(tmp_path)
    (catalog / OTHER).write_text(OTHER_PLAN.replace(link, link.replace(', same_work_as: ["99/KH-TEST:II.3"]', "")))
    clock.set(datetime(2022, 1, 20, 8, 0, tzinfo=LOCAL_TZ))
    load_min_catalog(session, clock.now(), catalog)  # the Thông báo's milestone not yet linked
    given = assignment_for(session, "98/TB-TEST:2", "so-tttt")
    clock.set(datetime(2022, 2, 24, 8, 0, tzinfo=LOCAL_TZ))
    _done(session, clock, given, verify=False)  # late: due 15/02
    clock.set(datetime(2022, 3, 10, 8, 0, tzinfo=LOCAL_TZ))
    (catalog / OTHER).write_text(OTHER_PLAN)  # the plan of 01/03 read with it: the same work
    load_min_catalog(session, clock.now(), catalog)
    record = assignment_for(session, "99/KH-TEST:II.3", "so-tttt")
    assert record.state == State.VERIFIED and record.reported_at == record.due_at  # on time by construction
    given = _fresh(session, given)
    assert given.due_at is not None and given.reported_at is not None
    assert given.reported_at > given.due_at  # its own report's time: verified as the record is, still late

    def tasks() -> tuple[int, int, int]:
        found = agency_rates(session, start=date(2022, 1, 1), end=date(2022, 3, 31), now=clock.now())
        rates = {r.agency_code: r for r in found}["so-tttt"]
        return rates.tasks_due, rates.tasks_on_time, rates.tasks_late

    # the Thông báo's 15/02 and the plan's record of 28/02: one piece, counted late; and 98/TB-TEST:2#2
    # (15/02), still open, whose work (II.1) falls due later (98/TB-TEST:1, due 31/03, not yet judged)
    assert tasks() == (2, 0, 1)
    linked = done_on_time(session, clock.now())  # the trend's on-time line, of every body and year
    session.execute(delete(SameWorkLink))  # the counterfactual: the record counted on its own, on time
    assert tasks() == (3, 1, 1)
    # on the line, neither the record nor 98/TB-TEST:1 (done ahead of its 31/03 by following it): one
    # piece with the Thông báo's 15/02, done late
    assert done_on_time(session, clock.now()) == linked + 2
    session.rollback()


def test_one_piece_of_work_is_counted_by_its_earliest_date_in_force() -> None:
    """engine.services.same_work.copies over rows alone: of equal dates the work named counts, as
    before; a chain is one piece; a date given after it had passed counts last."""
    from datetime import datetime

    from dondoc.engine.clock import LOCAL_TZ
    from dondoc.engine.services.same_work import Part, copies

    def due(day: int, month: int = 2) -> datetime:
        return datetime(2022, month, day, 23, 59, 59, tzinfo=LOCAL_TZ)

    links = {10: {"B:1"}, 20: {"C:1"}}  # A's milestone 10 names B:1; B's milestone 20 names C:1
    a, b, c = (Part(1, "x", "A:1", 10, due(15)), Part(2, "x", "B:1", 20, due(15)), Part(3, "x", "C:1", 30, due(15)))
    assert copies(links, [a, b]) == {1: "B:1"}  # a tie: the work named, as before
    assert copies(links, [a, b, c]) == {1: "C:1", 2: "C:1"}  # a chain, end to end: one piece
    earlier = a._replace(due_at=due(10))
    assert copies(links, [earlier, b]) == {2: "A:1"}
    assert copies(links, [earlier, b, c]) == {2: "A:1", 3: "A:1"}
    assert copies(links, [a, b._replace(due_at=due(10)), c]) == {1: "B:1", 3: "B:1"}
    # a plan issued after its date, recording the work done (the catalog made its report time up)
    recorded = b._replace(due_at=due(1), given_after_due=True)
    assert copies(links, [a, recorded]) == {2: "A:1"}
    assert copies(links, [recorded]) == {}  # alone, it is counted
    # another agency's rows are its own work
    assert copies(links, [earlier, b._replace(agency="y")]) == {}
    # a milestone that names an item of two milestones: earlier than both, it counts the whole once
    parts = [a._replace(due_at=due(10)), b, Part(4, "x", "B:1", 21, due(20))]
    assert copies({10: {"B:1"}}, parts) == {2: "A:1", 4: "A:1"}
    assert copies({10: {"B:1"}}, [a, b, Part(4, "x", "B:1", 21, due(15))]) == {1: "B:1"}  # ties: as before
    # the mirror: two milestones of one item naming one work are two works, each a piece with it
    # (the Thông báo's II.3.b, its Quy chế and its Kế hoạch, both naming 04/KH-BCĐ II.1, which
    # records them done after their date): each counts itself, the record of both neither
    quy_che, ke_hoach = Part(5, "x", "T:1", 50, due(15)), Part(6, "x", "T:1", 51, due(15))
    record = Part(7, "x", "K:1", 70, due(28), given_after_due=True)
    assert copies({50: {"K:1"}, 51: {"K:1"}}, [quy_che, ke_hoach, record]) == {7: "T:1"}
    # an earlier date in force named by both counts them once, as an item of two milestones above
    assert copies(
        {50: {"K:1"}, 51: {"K:1"}}, [quy_che, ke_hoach, record._replace(due_at=due(10), given_after_due=False)]
    ) == {5: "K:1", 6: "K:1"}
    # with a third document's row naming the same work, it goes with each of the two
    other = Part(8, "x", "U:1", 80, due(20))
    assert copies({50: {"K:1"}, 51: {"K:1"}, 80: {"K:1"}}, [quy_che, ke_hoach, record, other]) == {7: "T:1", 8: "T:1"}


TWO_PARTS = "plans/two-parts.yaml"
TWO_PARTS_PLAN = """plan:
  number: "95/TB-TEST"
  kind: thong_bao
  issued: 2022-01-20
  issuer: "UBND tỉnh"
  title: "Thông báo thử nghiệm, hai việc của một mục"
  year: 2022
items:
  - code: "95/TB-TEST:1"
    section: "1"
    title: "Phân loại cấp độ; triển khai phương án"
    content: "Phân loại cấp độ; triển khai phương án bảo đảm an toàn."
    source: "Mục 1"
    lead: [so-tttt]
    deadline: "trước ngày 15/02/2022"
    milestones:
      - {label: "Phân loại cấp độ", deadline: "trước ngày 15/02/2022", same_work_as: ["99/KH-TEST:II.1"]}
      - {label: "Triển khai phương án", deadline: "trước ngày 15/02/2022", same_work_as: ["99/KH-TEST:II.1"]}
"""


def test_two_milestones_of_one_item_naming_one_work_are_each_a_part_of_it(
    session: Session, clock: FrozenClock, tmp_path: Path
) -> None:
    """The Thông báo's II.3.b names 04/KH-BCĐ II.1 ("Quy chế …; Kế hoạch …") from its Quy chế and
    from its Kế hoạch: a report of one of them is not the whole of II.1. The item named follows
    when the agency has reported both, at the later report's time; each is told what the other
    still needs."""
    catalog = _linked_catalog(tmp_path)
    (catalog / TWO_PARTS).write_text(TWO_PARTS_PLAN, encoding="utf-8")
    load_min_catalog(session, clock.now(), catalog)
    one, other = (assignment_for(session, "95/TB-TEST:1", "so-tttt", seq=s) for s in (1, 2))
    items = [assignment_for(session, "99/KH-TEST:II.1", "so-tttt", seq=s) for s in (1, 2)]
    open_before = {_fresh(session, r).state for r in items}
    _done(session, clock, one, verify=False)
    assert {_fresh(session, r).state for r in items} == open_before  # half the work: not followed
    told = counterparts(session.connection(), one.id or 0, one.milestone_id, one.agency_id)
    assert [c.said for c in told] == [
        "99/KH-TEST:II.1 — báo cáo ở nhiệm vụ này được ghi nhận cho 99/KH-TEST:II.1 khi đã báo cáo cả"
        " 95/TB-TEST:1 (mốc: Triển khai phương án); báo cáo ở 99/KH-TEST:II.1 (đủ 2 mốc) được ghi nhận"
        " cho nhiệm vụ này"
    ]
    named = counterparts(session.connection(), items[0].id or 0, items[0].milestone_id, items[0].agency_id)
    assert (
        "95/TB-TEST:1 (mốc: Phân loại cấp độ) — báo cáo ở nhiệm vụ này được ghi nhận cho 95/TB-TEST:1 khi đã"
        " báo cáo cả 99/KH-TEST:II.1 (mốc: Triển khai phương án); báo cáo ở 95/TB-TEST:1 được ghi nhận cho"
        " nhiệm vụ này khi đã báo cáo cả 95/TB-TEST:1 (mốc: Triển khai phương án)"
    ) in [c.said for c in named]
    _done(session, clock, other, verify=False)
    reported = _fresh(session, other).reported_at
    for row in (_fresh(session, r) for r in items):
        assert row.state == State.REPORTED and row.reported_at == reported  # the later report's time
    for row in (one, other):
        _verify(session, clock, row)
    assert {_fresh(session, r).state for r in items} == {State.VERIFIED}


def test_a_report_the_body_made_on_time_is_not_moved_to_a_later_plans_record_of_it(
    session: Session, clock: FrozenClock, tmp_path: Path
) -> None:
    """The Thông báo gave Sở TT&TT "trước ngày 15/02/2022", reported by it on 07/02; the plan of 01/03
    records the same work "Tháng 02/2022 (đã hoàn thành)", done on its 28/02 by the catalog. Verified
    as that record is, the part had taken the record's 28/02 as its report time: a report the body
    made on 07/02 read 28/02, done late by its 15/02, on the board, its page and in the rates. The
    body's report instant is its own: it stands."""
    from datetime import date, datetime

    from dondoc.engine.clock import LOCAL_TZ
    from dondoc.engine.reports.rates import agency_rates
    from tests.support.catalogs import copy_catalog

    link = '"Việc đã xong ở kế hoạch kia", deadline: "trước ngày 15/02/2022", same_work_as: ["99/KH-TEST:II.3"]}'
    catalog = copy_catalog(tmp_path)
    (catalog / OTHER).write_text(OTHER_PLAN.replace(link, link.replace(', same_work_as: ["99/KH-TEST:II.3"]', "")))
    clock.set(datetime(2022, 1, 20, 8, 0, tzinfo=LOCAL_TZ))
    load_min_catalog(session, clock.now(), catalog)  # the Thông báo's milestone not yet linked
    given = assignment_for(session, "98/TB-TEST:2", "so-tttt")
    clock.set(datetime(2022, 2, 7, 8, 0, tzinfo=LOCAL_TZ))
    _done(session, clock, given, verify=False)  # on time: due 15/02
    reported = _fresh(session, given).reported_at
    assert reported == _events(session, given.id)[-1].at == datetime(2022, 2, 7, 10, 0, tzinfo=LOCAL_TZ)
    clock.set(datetime(2022, 3, 10, 8, 0, tzinfo=LOCAL_TZ))
    (catalog / OTHER).write_text(OTHER_PLAN)  # the plan of 01/03 read with it: the same work
    load_min_catalog(session, clock.now(), catalog)
    record = assignment_for(session, "99/KH-TEST:II.3", "so-tttt")
    assert record.state == State.VERIFIED and record.reported_at == record.due_at  # 28/02, by construction
    given = _fresh(session, given)
    assert given.state == State.VERIFIED and given.verified_at == record.verified_at  # verified as the record is
    assert given.reported_at == reported and given.done_from is None  # reported when the body reported
    moved = _events(session, given.id)[-1]
    assert (moved.action, moved.at) == ("catalog_same_work", clock.now())
    assert moved.data["done_at"] == reported.isoformat() and moved.data["on_time"] is True
    later = clock.now() + timedelta(days=30)
    assert category(given.state, given.due_at, given.reported_at, None, later) is Category.DONE_ON_TIME
    found = agency_rates(session, start=date(2022, 1, 1), end=date(2022, 3, 31), now=clock.now())
    rates = {r.agency_code: r for r in found}["so-tttt"]
    # the Thông báo's 15/02 and the record: one piece, on time by the body's 07/02; 98/TB-TEST:2#2 open
    assert (rates.tasks_due, rates.tasks_on_time, rates.tasks_late) == (2, 1, 0)


def test_a_report_the_body_made_keeps_its_time_when_the_work_it_names_is_verified_later(
    session: Session, clock: FrozenClock, tmp_path: Path
) -> None:
    """After a step: Sở TT&TT reports 98/TB-TEST:2#2 itself; both of II.1's milestones follow. One of
    them is returned, reported again by the body hours later, and both verified: the copy is verified
    with them, its report time still the body's own report on it, not the later report on II.1."""
    follower, first, second = _loaded(session, clock, tmp_path)
    _done(session, clock, follower, verify=False)
    reported = _fresh(session, follower).reported_at
    _step(session, clock, second, Request(Action.RETURN, SECRETARIAT, comment="Thiếu phụ lục"))
    _step(session, clock, second, Request(Action.REPORT, Actor.agency("so-tttt"), comment="Đã bổ sung."))
    assert _fresh(session, second).reported_at == clock.now() != reported
    _verify(session, clock, first)
    _verify(session, clock, second)
    follower = _fresh(session, follower)
    assert follower.state == State.VERIFIED and follower.verified_at == _fresh(session, second).verified_at
    assert follower.reported_at == reported
    moved = _events(session, follower.id)[-1]
    assert (moved.action, moved.from_state, moved.to_state) == ("catalog_same_work", "reported", "verified")
    assert moved.data["done_at"] == reported.isoformat()
