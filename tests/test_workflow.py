"""The whole (state, action, actor) matrix of the transition table, on both databases.

The matrix runs with every named condition met (the assignment is overdue; an explanation is
asked for before ``explain``, answered before ``request_explanation``; the milestone has a
precondition, not yet marked as awaited before ``await_condition`` and marked before
``condition_met``; the agency ended and the work waits in "Cần phân công lại" before ``reassign``;
the body reached through an inferred group alone, not confirmed, before ``confirm_membership``);
the cells that depend on a condition are then run with it unmet, and refused.
"""

from __future__ import annotations

import itertools
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import delete, func, update
from sqlmodel import Session, select

from dondoc.engine.actors import Actor
from dondoc.engine.clock import LOCAL_TZ, FrozenClock, end_of_day
from dondoc.engine.errors import (
    ConditionNotMet,
    Conflict,
    InvalidInput,
    NotFound,
    PermissionDenied,
    TransitionNotAllowed,
)
from dondoc.engine.models import Agency, AgencyTransfer, Assignment, Event, Milestone, State, Succession, TransferStatus
from dondoc.engine.models.assignments import STATE_LABELS_VI
from dondoc.engine.services.assignments import Request, act, parse_action
from dondoc.engine.services.explanations import open_explanation_requests, open_extension_requests
from dondoc.engine.workflow import ACTION_LABELS_VI, TRANSITIONS, Action
from tests.factories import assignment_for, load_min_catalog
from tests.support.catalogs import MIN_CATALOG

OWN, OTHER = "so-noi-vu", "ubnd-binh-son"
ACTORS = {
    "own agency": Actor.agency(OWN),
    "other agency": Actor.agency(OTHER),
    "secretariat": Actor.parse("secretariat"),
    "vice-chair": Actor.parse("vice-chair"),
    "chair": Actor.parse("chair"),
}
# Written out by hand, not derived from engine.workflow, so that this test can fail.
ALLOWED = {
    (State.ASSIGNED, Action.ACKNOWLEDGE, "own agency"),
    (State.IN_PROGRESS, Action.PROGRESS, "own agency"),
    (State.IN_PROGRESS, Action.REPORT, "own agency"),
    (State.REPORTED, Action.VERIFY, "secretariat"),
    (State.REPORTED, Action.RETURN, "secretariat"),
    (State.ASSIGNED, Action.CANCEL, "secretariat"),
    (State.IN_PROGRESS, Action.CANCEL, "secretariat"),
    (State.REPORTED, Action.CANCEL, "secretariat"),
    (State.ASSIGNED, Action.REQUEST_EXTENSION, "own agency"),
    (State.IN_PROGRESS, Action.REQUEST_EXTENSION, "own agency"),
    (State.ASSIGNED, Action.EXTEND, "secretariat"),
    (State.IN_PROGRESS, Action.EXTEND, "secretariat"),
    (State.ASSIGNED, Action.REFUSE_EXTENSION, "secretariat"),
    (State.IN_PROGRESS, Action.REFUSE_EXTENSION, "secretariat"),
    (State.ASSIGNED, Action.SNOOZE, "secretariat"),
    (State.IN_PROGRESS, Action.SNOOZE, "secretariat"),
    (State.ASSIGNED, Action.EXPLAIN, "own agency"),
    (State.IN_PROGRESS, Action.EXPLAIN, "own agency"),
    # a request about a delay is owed after the report too (the chair's had been left unanswerable)
    (State.REPORTED, Action.EXPLAIN, "own agency"),
    (State.VERIFIED, Action.EXPLAIN, "own agency"),
    (State.ASSIGNED, Action.AWAIT_CONDITION, "secretariat"),
    (State.IN_PROGRESS, Action.AWAIT_CONDITION, "secretariat"),
    (State.ASSIGNED, Action.CONDITION_MET, "secretariat"),
    (State.IN_PROGRESS, Action.CONDITION_MET, "secretariat"),
    (State.ASSIGNED, Action.REASSIGN, "secretariat"),
    (State.IN_PROGRESS, Action.REASSIGN, "secretariat"),
    (State.REPORTED, Action.REASSIGN, "secretariat"),
    # a part given through an inferred group: the secretariat confirms it is that body's
    (State.ASSIGNED, Action.CONFIRM_MEMBERSHIP, "secretariat"),
    (State.IN_PROGRESS, Action.CONFIRM_MEMBERSHIP, "secretariat"),
    (State.REPORTED, Action.CONFIRM_MEMBERSHIP, "secretariat"),
    (State.VERIFIED, Action.CONFIRM_MEMBERSHIP, "secretariat"),
}
ALLOWED |= {
    (state, Action.REQUEST_EXPLANATION, who)
    for state in (State.ASSIGNED, State.IN_PROGRESS)
    for who in ("secretariat", "vice-chair", "chair")
}
TARGET = {
    Action.ACKNOWLEDGE: State.IN_PROGRESS,
    Action.REPORT: State.REPORTED,
    Action.VERIFY: State.VERIFIED,
    Action.RETURN: State.IN_PROGRESS,
    Action.CANCEL: State.CANCELLED,
}
WHO = {
    Action.ACKNOWLEDGE: "own agency",
    Action.PROGRESS: "own agency",
    Action.REPORT: "own agency",
    Action.REQUEST_EXTENSION: "own agency",
    Action.VERIFY: "secretariat",
    Action.RETURN: "secretariat",
    Action.CANCEL: "secretariat",
    Action.EXTEND: "secretariat",
    Action.REFUSE_EXTENSION: "secretariat",
    Action.SNOOZE: "secretariat",
    Action.EXPLAIN: "own agency",
    Action.AWAIT_CONDITION: "secretariat",
    Action.CONDITION_MET: "secretariat",
    Action.REASSIGN: "secretariat",
    Action.CONFIRM_MEMBERSHIP: "secretariat",
}
LEADER_ACTIONS = {Action.REQUEST_EXPLANATION}
ORIGINAL_DUE = end_of_day(date(2022, 6, 30))
AFTER_DUE = datetime(2022, 7, 5, 9, 0, tzinfo=LOCAL_TZ)  # ORIGINAL_DUE has passed: open work is overdue
# The cells that depend on a condition, and how to break it: (action, condition) -> what the test sets up.
CONDITIONAL = {
    (Action.REQUEST_EXPLANATION, "overdue"): {"overdue": False, "pending": False},
    (Action.REQUEST_EXPLANATION, "no_open_explanation_request"): {"overdue": True, "pending": True},
    (Action.EXPLAIN, "open_explanation_request"): {"overdue": True, "pending": False},
    (Action.AWAIT_CONDITION, "has_precondition"): {"overdue": True, "pending": False, "precondition": False},
    (Action.AWAIT_CONDITION, "not_waiting_condition"): {"overdue": True, "pending": False, "waiting": True},
    (Action.CONDITION_MET, "waiting_condition"): {"overdue": True, "pending": False, "waiting": False},
    (Action.REFUSE_EXTENSION, "open_extension_request"): {"overdue": True, "pending": False},
    (Action.REQUEST_EXTENSION, "no_open_extension_request"): {"overdue": True, "pending": False, "extension": True},
    (Action.REQUEST_EXTENSION, "has_due_date"): {"overdue": False, "pending": False, "undated": True},
    (Action.REASSIGN, "waiting_transfer"): {"overdue": True, "pending": False},  # no transfer waits
    # the body a succession ended neither acts nor is asked: its work waits in "Cần phân công lại"
    (Action.ACKNOWLEDGE, "not_waiting_transfer"): {"overdue": False, "pending": False, "transfer": True},
    (Action.PROGRESS, "not_waiting_transfer"): {"overdue": False, "pending": False, "transfer": True},
    (Action.REPORT, "not_waiting_transfer"): {"overdue": False, "pending": False, "transfer": True},
    (Action.REQUEST_EXTENSION, "not_waiting_transfer"): {"overdue": False, "pending": False, "transfer": True},
    (Action.REQUEST_EXPLANATION, "not_waiting_transfer"): {"overdue": True, "pending": False, "transfer": True},
    (Action.EXPLAIN, "not_waiting_transfer"): {"overdue": True, "pending": True, "transfer": True},
    (Action.RETURN, "not_waiting_transfer"): {"overdue": False, "pending": False, "transfer": True},
    (Action.CONFIRM_MEMBERSHIP, "membership_unconfirmed"): {"overdue": True, "pending": False},  # named surely
    # work not given yet (a later quarter's report, given on the quarter's first day): its page said
    # "Chưa giao (giao ngày 01/04/2022)" and took the body's acknowledgement, report and extension
    # request, and the report of a quarter not begun counted as done on time from its giving day
    (Action.ACKNOWLEDGE, "given"): {"overdue": False, "pending": False, "not_given": True},
    (Action.PROGRESS, "given"): {"overdue": False, "pending": False, "not_given": True},
    (Action.REPORT, "given"): {"overdue": False, "pending": False, "not_given": True},
    (Action.REQUEST_EXTENSION, "given"): {"overdue": False, "pending": False, "not_given": True},
}
GIVEN_LATER = datetime(2022, 4, 1, 0, 0, tzinfo=LOCAL_TZ)  # after the not-overdue clock of 02/03/2022
NEXT = "so-ke-nhiem"  # the body a reassign names: it holds no milestone of the item
PRECONDITION = "Khi có hướng dẫn của Bộ Thông tin và Truyền thông"


@pytest.fixture
def loaded(session: Session, clock: FrozenClock) -> Assignment:
    load_min_catalog(session, clock.now(), MIN_CATALOG)
    session.add(Agency(code=NEXT, name="Sở Kế nhiệm", short="Sở KN", kind="so", email="kn@dondoc.example"))
    session.add(
        Succession(
            key="test-tach",
            kind="split",
            effective_on=date(2022, 7, 1),
            from_codes=["co-quan-da-giai-the"],  # ends no agency of the test: only the transfer waits
            successors=[{"agency": NEXT, "functions": ["chuyển đổi số"]}],
            source="Quyết định thử",
            loaded_at=clock.now(),
        )
    )
    session.commit()
    return assignment_for(session, "99/KH-TEST:II.1", OWN)


def _events(session: Session, assignment_id: int) -> int:
    return session.exec(select(func.count()).select_from(Event).where(Event.assignment_id == assignment_id)).one()


def _put_in(session: Session, assignment_id: int, state: State) -> None:
    """In ``state``, with its own agency again and no transfer waiting."""
    own = select(Agency.id).where(Agency.code == OWN).scalar_subquery()
    session.execute(delete(AgencyTransfer).where(AgencyTransfer.assignment_id == assignment_id))  # type: ignore[arg-type]
    session.execute(
        update(Assignment)
        .where(Assignment.id == assignment_id)
        .values(
            state=state.value,
            version=1,
            due_at=ORIGINAL_DUE,
            waiting_condition_since=None,
            agency_id=own,
            inferred_group=None,
            membership_confirmed_at=None,
        )
    )
    session.commit()


def _wait_for_transfer(session: Session, assignment_id: int, at: datetime) -> None:
    """Its agency ended (succession "test-tach"): the work waits in "Cần phân công lại"."""
    own = session.exec(select(Agency.id).where(Agency.code == OWN)).one()
    session.add(
        AgencyTransfer(
            assignment_id=assignment_id,
            succession_key="test-tach",
            from_agency_id=own,
            effective_on=date(2022, 7, 1),
            recorded_at=at,
            status=TransferStatus.PENDING,
        )
    )
    session.commit()


def _set_precondition(session: Session, assignment_id: int, precondition: bool, waiting_since: datetime | None) -> None:
    """Give the assignment's milestone a precondition (or none), and mark it as awaited since ``waiting_since``."""
    assignment = session.get(Assignment, assignment_id, populate_existing=True)
    assert assignment is not None
    session.execute(
        update(Milestone)
        .where(Milestone.id == assignment.milestone_id)
        .values(condition=PRECONDITION if precondition else None)
    )
    session.execute(
        update(Assignment).where(Assignment.id == assignment_id).values(waiting_condition_since=waiting_since)
    )
    session.commit()


def _set_pending(session: Session, assignment_id: int, pending: bool, at: datetime) -> None:
    """Ask for an explanation, or answer the one asked, unless it already stands so."""
    if (assignment_id in open_explanation_requests(session, [assignment_id])) == pending:
        return
    action, actor = ("request_explanation", "chair") if pending else ("explain", OWN)
    session.add(Event(assignment_id=assignment_id, at=at, actor=actor, action=action, comment="?", data={}))
    session.commit()


def _ask_for_extension(session: Session, assignment_id: int, at: datetime) -> None:
    """An open extension request, unless one stands."""
    if assignment_id not in open_extension_requests(session, [assignment_id]):
        data = {"requested_due": "2022-12-20"}
        session.add(Event(assignment_id=assignment_id, at=at, actor=OWN, action="request_extension", data=data))
        session.commit()


def _answer_extension(session: Session, assignment_id: int, at: datetime) -> None:
    """No open extension request: the one standing is refused."""
    if assignment_id in open_extension_requests(session, [assignment_id]):
        session.add(Event(assignment_id=assignment_id, at=at, actor="secretariat", action="refuse_extension", data={}))
        session.commit()


def _meet_conditions(session: Session, assignment_id: int, action: Action, at: datetime) -> None:
    if action is Action.REFUSE_EXTENSION:
        _ask_for_extension(session, assignment_id, at)
    if action is Action.REQUEST_EXTENSION:
        _answer_extension(session, assignment_id, at)
    if action in (Action.EXPLAIN, Action.REQUEST_EXPLANATION):
        _set_pending(session, assignment_id, action is Action.EXPLAIN, at)
    if action in (Action.AWAIT_CONDITION, Action.CONDITION_MET):
        _set_precondition(session, assignment_id, True, at if action is Action.CONDITION_MET else None)
    if action is Action.REASSIGN:
        _wait_for_transfer(session, assignment_id, at)
    if action is Action.CONFIRM_MEMBERSHIP:  # given through an inferred group, not confirmed yet
        session.execute(
            update(Assignment).where(Assignment.id == assignment_id).values(inferred_group="thanh-vien-bcd")
        )
        session.commit()


def test_the_whole_matrix(session: Session, clock: FrozenClock, loaded: Assignment) -> None:
    clock.set(AFTER_DUE)
    outcomes: dict[tuple[State, Action, str], str] = {}
    for state, action, actor_name in itertools.product(State, Action, ACTORS):
        _put_in(session, loaded.id, state)
        _meet_conditions(session, loaded.id, action, clock.now())
        before = _events(session, loaded.id)
        request = Request(action, ACTORS[actor_name], comment="lý do", due=date(2022, 12, 20), percent=40, agency=NEXT)
        try:
            result = act(session, loaded.id, request, now=clock.now())
        except (PermissionDenied, TransitionNotAllowed) as exc:
            session.rollback()
            outcomes[(state, action, actor_name)] = type(exc).__name__
            assert _events(session, loaded.id) == before, "a refusal writes nothing"
            current = session.get(Assignment, loaded.id, populate_existing=True)
            assert (current.state, current.version) == (state.value, 1)
            if isinstance(exc, TransitionNotAllowed):
                # said in words, the state's and the action's names, not the table's codes
                said = str(exc)
                assert f'"{STATE_LABELS_VI[state]}"' in said and f'"{ACTION_LABELS_VI[action]}"' in said, said
                assert f"({action.value})" not in said and "request_extension" not in said, said
            continue
        session.commit()
        outcomes[(state, action, actor_name)] = "ok"
        assert result.version == 2
        assert result.state == TARGET.get(action, state).value
        assert _events(session, loaded.id) == before + 1
    allowed = {key for key, outcome in outcomes.items() if outcome == "ok"}
    assert allowed == ALLOWED
    for (state, action, actor_name), outcome in outcomes.items():
        if outcome == "ok":
            continue
        may = (
            actor_name in ("secretariat", "vice-chair", "chair")
            if action in LEADER_ACTIONS
            else actor_name == WHO[action]
        )
        expected = "TransitionNotAllowed" if may else "PermissionDenied"
        assert outcome == expected, (state, action, actor_name)


@pytest.mark.parametrize(("action", "condition"), sorted(CONDITIONAL))
def test_conditional_cells_are_refused_when_their_condition_fails(
    session: Session, clock: FrozenClock, loaded: Assignment, action: Action, condition: str
) -> None:
    setup = CONDITIONAL[(action, condition)]
    clock.set(AFTER_DUE if setup["overdue"] else datetime(2022, 3, 2, 8, 0, tzinfo=LOCAL_TZ))
    cells = [(state, who) for state, a, who in ALLOWED if a is action]
    assert cells, "every conditional action has allowed cells"
    for state, actor_name in cells:
        _put_in(session, loaded.id, state)
        _set_pending(session, loaded.id, setup["pending"], clock.now())
        if setup.get("extension"):
            _ask_for_extension(session, loaded.id, clock.now())
        if setup.get("transfer"):
            _wait_for_transfer(session, loaded.id, clock.now())
        waiting_since = clock.now() - timedelta(days=1) if setup.get("waiting") else None
        _set_precondition(session, loaded.id, setup.get("precondition", True), waiting_since)
        due = None if setup.get("undated") else ORIGINAL_DUE  # a standing duty, or work waiting for a date
        given = {"assigned_at": GIVEN_LATER} if setup.get("not_given") else {}
        session.execute(update(Assignment).where(Assignment.id == loaded.id).values(due_at=due, **given))
        session.commit()
        before = _events(session, loaded.id)
        request = Request(action, ACTORS[actor_name], comment="lý do")
        with pytest.raises(ConditionNotMet) as refused:
            act(session, loaded.id, request, now=clock.now())
        session.rollback()
        assert refused.value.condition == condition, (state, actor_name)
        assert "Không thể" in str(refused.value) and _events(session, loaded.id) == before
        if setup.get("not_given"):  # says from which day the body can act on it
            assert "chưa được giao (giao ngày 01/04/2022)" in str(refused.value), str(refused.value)


def test_every_condition_of_the_table_is_broken_by_a_test() -> None:
    assert set(CONDITIONAL) == {(a, c.value) for a, t in TRANSITIONS.items() for c in t.conditions}


def test_unconditional_cells_do_not_depend_on_the_conditions(
    session: Session, clock: FrozenClock, loaded: Assignment
) -> None:
    """Not overdue and an explanation pending: every other allowed cell is still allowed."""
    conditional = {a for a, _ in CONDITIONAL}
    for state, action, actor_name in sorted(c for c in ALLOWED if c[1] not in conditional):
        _put_in(session, loaded.id, state)
        _set_pending(session, loaded.id, True, clock.now())
        _set_precondition(session, loaded.id, True, clock.now() - timedelta(days=1))  # waiting, with a precondition
        request = Request(action, ACTORS[actor_name], comment="lý do", due=date(2022, 12, 20), percent=40)
        act(session, loaded.id, request, now=clock.now())
        session.rollback()


def test_leaders_only_read(session: Session, clock: FrozenClock, loaded: Assignment) -> None:
    with pytest.raises(PermissionDenied, match="chỉ xem"):
        act(session, loaded.id, Request(Action.VERIFY, Actor.parse("chair")), now=clock.now())


@pytest.mark.parametrize(
    ("action", "state", "request_kwargs", "message"),
    [
        (Action.RETURN, State.REPORTED, {}, "cần ghi rõ nội dung"),
        # a report says what was done: "Đã báo cáo" with nothing to read was accepted (the page's
        # form required words, the API and the CLI did not)
        (Action.REPORT, State.IN_PROGRESS, {}, "Báo cáo cần có nội dung: kết quả đã thực hiện"),
        (Action.REPORT, State.IN_PROGRESS, {"comment": " \n "}, "Báo cáo cần có nội dung: kết quả đã thực hiện"),
        (Action.CANCEL, State.ASSIGNED, {"comment": "  "}, "cần ghi rõ nội dung"),
        (Action.EXTEND, State.ASSIGNED, {}, "cần một ngày"),
        (Action.PROGRESS, State.IN_PROGRESS, {"percent": 130}, "từ 0 đến 100"),
        (Action.EXTEND, State.ASSIGNED, {"due": date(2022, 6, 1)}, "phải sau hạn hiện tại 30/06/2022"),
        (Action.EXTEND, State.ASSIGNED, {"due": date(2022, 1, 1)}, "Gia hạn đến ngày: ngày 01/01/2022 đã qua."),
        (Action.EXPLAIN, State.ASSIGNED, {}, "cần ghi rõ nội dung"),
        (Action.SNOOZE, State.ASSIGNED, {"due": date(2022, 1, 1)}, "đã qua"),
        (Action.REASSIGN, State.ASSIGNED, {}, "cần mã cơ quan nhận"),
        (Action.REASSIGN, State.REPORTED, {"agency": "khong-co"}, 'không có cơ quan mã "khong-co"'),
        (Action.REASSIGN, State.IN_PROGRESS, {"agency": OTHER}, r"đã có phần việc thực hiện \(đã giao\)"),
    ],
)
def test_missing_or_bad_inputs_are_refused(
    session: Session,
    clock: FrozenClock,
    loaded: Assignment,
    action: Action,
    state: State,
    request_kwargs: dict,
    message: str,
) -> None:
    _put_in(session, loaded.id, state)
    _meet_conditions(session, loaded.id, action, clock.now())
    actor = ACTORS[WHO.get(action, "secretariat")]
    with pytest.raises(InvalidInput, match=message):
        act(session, loaded.id, Request(action, actor, **request_kwargs), now=clock.now())


def test_extension_moves_due_keeps_original_and_rolls_off_days_off(
    session: Session, clock: FrozenClock, loaded: Assignment
) -> None:
    from dondoc.engine.workcalendar import WorkCalendar

    secretariat = ACTORS["secretariat"]
    # 02/09/2022 is Quốc khánh: the civil-code rule moves the end to the next working day.
    result = act(
        session,
        loaded.id,
        Request(Action.EXTEND, secretariat, due=date(2022, 9, 2)),
        now=clock.now(),
        calendar=WorkCalendar.default(),
    )
    session.commit()
    assert result.original_due_at == ORIGINAL_DUE
    assert result.due_at is not None and result.due_at.date() > date(2022, 9, 2)
    event = session.exec(select(Event).where(Event.assignment_id == loaded.id).order_by(Event.id.desc())).first()
    assert event.action == "extend" and event.data["from_due"].startswith("2022-06-30")


def test_stale_version_is_a_conflict_and_writes_nothing(
    session: Session, clock: FrozenClock, loaded: Assignment
) -> None:
    own = ACTORS["own agency"]
    act(session, loaded.id, Request(Action.ACKNOWLEDGE, own), now=clock.now())
    session.commit()
    before = _events(session, loaded.id)
    with pytest.raises(Conflict, match="đã thay đổi sau phiên bản 1 đã đọc"):
        act(
            session,
            loaded.id,
            Request(Action.REPORT, own, expected_version=1, comment="Đã hoàn thành."),
            now=clock.now(),
        )
    session.rollback()
    assert _events(session, loaded.id) == before


def test_the_rule_book_refuses_before_a_stale_version_is_judged(
    session: Session, clock: FrozenClock, loaded: Assignment
) -> None:
    """Another agency's work, or an action its state refuses, is refused as such, whatever version
    the form carried; only an action the rule book allows is then refused for a stale version."""
    own = ACTORS["own agency"]
    act(session, loaded.id, Request(Action.ACKNOWLEDGE, own), now=clock.now())
    session.commit()
    with pytest.raises(PermissionDenied):
        act(
            session,
            loaded.id,
            Request(Action.REPORT, ACTORS["other agency"], expected_version=1, comment="Đã hoàn thành."),
            now=clock.now(),
        )
    session.rollback()
    with pytest.raises(TransitionNotAllowed):
        act(session, loaded.id, Request(Action.VERIFY, ACTORS["secretariat"], expected_version=1), now=clock.now())
    session.rollback()
    with pytest.raises(Conflict):
        act(
            session,
            loaded.id,
            Request(Action.REPORT, own, expected_version=1, comment="Đã hoàn thành."),
            now=clock.now(),
        )
    session.rollback()


def test_a_refusal_offers_only_what_would_be_accepted_now(
    session: Session, clock: FrozenClock, loaded: Assignment
) -> None:
    """Reporting work not yet acknowledged listed "Giải trình" among what may be done, with no
    request for an explanation open: an offer the rule book would refuse. The hint follows the
    conditions too; once a request is open, it is offered."""
    own = ACTORS["own agency"]
    with pytest.raises(TransitionNotAllowed) as refused:
        act(session, loaded.id, Request(Action.REPORT, own, comment="Đã hoàn thành."), now=clock.now())
    session.rollback()
    hint = str(refused.value).split("lúc này có thể: ", 1)[1]
    assert "Tiếp nhận" in hint and ACTION_LABELS_VI[Action.EXPLAIN] not in hint
    clock.set(datetime(2022, 7, 15, 9, 0, tzinfo=LOCAL_TZ))  # overdue: a leader may ask
    act(session, loaded.id, Request(Action.REQUEST_EXPLANATION, ACTORS["chair"], comment="Vì sao?"), now=clock.now())
    session.commit()
    with pytest.raises(TransitionNotAllowed) as refused:
        act(session, loaded.id, Request(Action.REPORT, own, comment="Đã hoàn thành."), now=clock.now())
    session.rollback()
    assert ACTION_LABELS_VI[Action.EXPLAIN] in str(refused.value).split("lúc này có thể: ", 1)[1]


def test_unknown_things_are_named(session: Session, clock: FrozenClock, loaded: Assignment) -> None:
    with pytest.raises(NotFound, match="Không tìm thấy phần việc 9999"):
        act(session, 9999, Request(Action.VERIFY, ACTORS["secretariat"]), now=clock.now())
    with pytest.raises(NotFound, match="Không tìm thấy cơ quan so-khong-co"):
        act(session, loaded.id, Request(Action.ACKNOWLEDGE, Actor.agency("so-khong-co")), now=clock.now())
    with pytest.raises(InvalidInput, match='Không có thao tác "fly"'):
        parse_action("fly")


def test_events_are_append_only(session: Session, clock: FrozenClock, loaded: Assignment) -> None:
    from sqlalchemy.exc import DBAPIError

    for statement in (update(Event).values(comment="sửa"), Event.__table__.delete()):
        with pytest.raises(DBAPIError, match="append-only"):
            session.execute(statement)
            session.flush()
        session.rollback()


def test_return_clears_the_report_time(session: Session, clock: FrozenClock, loaded: Assignment) -> None:
    own, secretariat = ACTORS["own agency"], ACTORS["secretariat"]
    for action, actor in ((Action.ACKNOWLEDGE, own), (Action.REPORT, own)):
        act(session, loaded.id, Request(action, actor, comment="Đã hoàn thành."), now=clock.now())
        clock.advance(timedelta(days=1))
    result = act(session, loaded.id, Request(Action.RETURN, secretariat, comment="thiếu"), now=clock.now())
    assert result.reported_at is None and result.state == State.IN_PROGRESS
