"""One definition of an open request (engine.services.explanations.open_request_condition): the
rule book, the assignment page's list of requests and the desk's queues agree, on both databases,
also on a history that asked twice before the secretariat answered (written before one request
at a time was the rule)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session

from dondoc.engine.actors import Actor
from dondoc.engine.clock import DEFAULT_DAYS, LOCAL_TZ, FrozenClock
from dondoc.engine.errors import ConditionNotMet
from dondoc.engine.models import Assignment, Event, Milestone
from dondoc.engine.services.assignment_filter import AssignmentFilter
from dondoc.engine.services.assignments import Request, act
from dondoc.engine.services.explanations import exchanges, open_extension_requests
from dondoc.engine.services.permissions import allowed_for_many, verdicts
from dondoc.engine.services.queries import get_assignment
from dondoc.engine.services.queues import EXTENSION_QUEUE, queue_by_slug
from dondoc.engine.workflow import Action
from tests.factories import assignment_for, load_min_catalog
from tests.support.catalogs import MIN_CATALOG

OWN = "so-noi-vu"
START = datetime(2022, 7, 1, 9, 0, tzinfo=LOCAL_TZ)


def _event(session: Session, assignment_id: int, hours: int, action: str, actor: str, due: str = "") -> None:
    data = {"requested_due": due} if due else {}
    at = START + timedelta(hours=hours)
    session.add(Event(assignment_id=assignment_id, at=at, actor=actor, action=action, comment=action, data=data))
    session.commit()


def _readings(session: Session, assignment_id: int) -> tuple[set[int], int, bool, bool, list[bool]]:
    """What each reader says: open request ids, the queue's count, the rule book's verdicts on
    refuse_extension and request_extension, and which of the page's requests show as waiting."""
    now = START + timedelta(days=1)
    opened = set(open_extension_requests(session, [assignment_id]))
    queue = queue_by_slug(EXTENSION_QUEUE).count(session, now, DEFAULT_DAYS, AssignmentFilter())
    assignment = session.get(Assignment, assignment_id, populate_existing=True)
    assert assignment is not None
    refuse = verdicts(session, assignment, Actor.parse("secretariat"), now=now)[Action.REFUSE_EXTENSION].allowed
    ask = verdicts(session, assignment, Actor.agency(OWN), now=now)[Action.REQUEST_EXTENSION].allowed
    milestone = session.get(Milestone, assignment.milestone_id)
    assert milestone is not None
    for actor in (Actor.parse("secretariat"), Actor.agency(OWN)):  # a queue's page reads them for many at once
        one = [action for action, verdict in verdicts(session, assignment, actor, now=now).items() if verdict.allowed]
        assert allowed_for_many(session, [(assignment, milestone)], actor, now=now) == {assignment_id: one}
        offered = (Action.REFUSE_EXTENSION, Action.EXTEND)  # only those a page offers: the same verdicts
        some = allowed_for_many(session, [(assignment, milestone)], actor, now=now, actions=offered)
        assert some == {assignment_id: [action for action in one if action in offered]}
    waiting = [r.answer is None for r in get_assignment(session, assignment_id, now).requests]
    return opened, queue, refuse, ask, waiting


def test_every_reader_sees_the_same_open_request(session: Session) -> None:
    load_min_catalog(session, START - timedelta(days=120), MIN_CATALOG)
    assignment_id = assignment_for(session, "99/KH-TEST:II.1", OWN).id
    assert assignment_id is not None
    assert _readings(session, assignment_id) == (set(), 0, False, True, [])
    _event(session, assignment_id, 1, "request_extension", OWN, "2022-12-01")
    assert _readings(session, assignment_id) == ({assignment_id}, 1, True, False, [True])
    _event(session, assignment_id, 2, "request_extension", OWN, "2022-12-15")  # asked again: the latest waits
    assert _readings(session, assignment_id) == ({assignment_id}, 1, True, False, [False, True])
    _event(session, assignment_id, 3, "extend", "secretariat")
    assert _readings(session, assignment_id) == (set(), 0, False, True, [False, False])
    _event(session, assignment_id, 4, "request_extension", OWN, "2022-12-31")
    assert _readings(session, assignment_id) == ({assignment_id}, 1, True, False, [False, False, True])
    # The page tells the replaced request from an answered one.
    found = exchanges(get_assignment(session, assignment_id, START + timedelta(days=1)).history)
    assert [x.answer for x in found] == [Action.REQUEST_EXTENSION, Action.EXTEND, None]
    assert [str(x.requested_due) for x in found] == ["2022-12-01", "2022-12-15", "2022-12-31"]


def test_a_second_request_is_refused_with_one_vietnamese_line(session: Session) -> None:
    clock = FrozenClock(START)
    load_min_catalog(session, START - timedelta(days=120), MIN_CATALOG)
    assignment_id = assignment_for(session, "99/KH-TEST:II.1", OWN).id
    assert assignment_id is not None
    due = START.date() + timedelta(days=60)
    act(session, assignment_id, Request(Action.REQUEST_EXTENSION, Actor.agency(OWN), "xin thêm", due), now=clock.now())
    session.commit()
    again = Request(Action.REQUEST_EXTENSION, Actor.agency(OWN), "xin lần nữa", due + timedelta(days=5))
    try:
        act(session, assignment_id, again, now=clock.now())
    except ConditionNotMet as refused:
        session.rollback()
        assert str(refused).endswith("đã có đề nghị gia hạn đang chờ Tổ giúp việc quyết định.")
        assert refused.condition == "no_open_extension_request"
    else:
        raise AssertionError("a second extension request while the first waits was accepted")
    assert [r.requested_due for r in get_assignment(session, assignment_id, clock.now()).requests] == [due]
