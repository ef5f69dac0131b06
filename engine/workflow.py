"""The transition table of an assignment: the one place that says what may happen.

    assigned ──acknowledge──▶ in_progress ──report──▶ reported ──verify──▶ verified
                                  ▲                      │
                                  └──────return──────────┘   (any open state) ──cancel──▶ cancelled

``progress``, ``request_extension``, ``extend``, ``refuse_extension`` (the secretariat says no to
an open extension request, with its reason), ``snooze``, ``request_explanation`` (a leader
asks an agency to explain a delay: yêu cầu giải trình), ``explain`` (its answer),
``await_condition`` (the secretariat records that the milestone's precondition is not met yet:
the ladder pauses and the row is "chờ điều kiện"), ``condition_met`` (the wait ends) and
``reassign`` (the secretariat names the body that takes over the work of an agency a succession
or its own validity ended, while it waits in "Cần phân công lại": engine.services.successions) and
``confirm_membership`` (the secretariat confirms a part given through an inferred group: "Chờ
xác nhận giao") keep the state and are recorded all the same.

Besides source states and who may act, a transition names the conditions that must hold at
the moment (``overdue``, ``open_explanation_request`` …; they apply to every actor the row
allows), the inputs it needs, and whether files may come with it. The engine evaluates the
conditions (engine.services.permissions); every surface reads the verdicts from there.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from dondoc.engine.actors import LEADERS, ActorKind
from dondoc.engine.models.assignments import OPEN_STATES, State


class Action(StrEnum):
    ACKNOWLEDGE = "acknowledge"
    PROGRESS = "progress"
    REPORT = "report"
    VERIFY = "verify"
    RETURN = "return"
    CANCEL = "cancel"
    REQUEST_EXTENSION = "request_extension"
    EXTEND = "extend"
    REFUSE_EXTENSION = "refuse_extension"
    SNOOZE = "snooze"
    REQUEST_EXPLANATION = "request_explanation"
    EXPLAIN = "explain"
    AWAIT_CONDITION = "await_condition"
    CONDITION_MET = "condition_met"
    REASSIGN = "reassign"
    CONFIRM_MEMBERSHIP = "confirm_membership"


ACTION_LABELS_VI = {
    Action.ACKNOWLEDGE: "Tiếp nhận",
    Action.PROGRESS: "Cập nhật tiến độ",
    Action.REPORT: "Báo cáo kết quả",
    Action.VERIFY: "Xác nhận hoàn thành",
    Action.RETURN: "Trả lại",
    Action.CANCEL: "Hủy",
    Action.REQUEST_EXTENSION: "Đề nghị gia hạn",
    Action.EXTEND: "Gia hạn",
    Action.REFUSE_EXTENSION: "Từ chối gia hạn",
    Action.SNOOZE: "Tạm dừng nhắc việc",
    Action.REQUEST_EXPLANATION: "Yêu cầu giải trình",
    Action.EXPLAIN: "Giải trình",
    Action.AWAIT_CONDITION: "Chờ điều kiện",
    Action.CONDITION_MET: "Đã có điều kiện",
    Action.REASSIGN: "Phân công lại",
    Action.CONFIRM_MEMBERSHIP: "Xác nhận giao",
}


class Need(StrEnum):
    """Inputs an action cannot go without."""

    COMMENT = "comment"
    DUE = "due"
    PERCENT = "percent"
    AGENCY = "agency"  # the code of the agency that takes the work over


class Condition(StrEnum):
    """A fact about the assignment at the moment that a transition may require."""

    OVERDUE = "overdue"  # its category is "đang thực hiện quá hạn" (engine.status)
    OPEN_EXPLANATION_REQUEST = "open_explanation_request"  # a request_explanation not yet answered
    NO_OPEN_EXPLANATION_REQUEST = "no_open_explanation_request"
    OPEN_EXTENSION_REQUEST = "open_extension_request"  # a request_extension not yet extended or refused
    NO_OPEN_EXTENSION_REQUEST = "no_open_extension_request"
    HAS_PRECONDITION = "has_precondition"  # the milestone names a condition that comes with its date
    WAITING_CONDITION = "waiting_condition"  # the secretariat marked the precondition as not met yet
    NOT_WAITING_CONDITION = "not_waiting_condition"
    WAITING_TRANSFER = "waiting_transfer"  # in "Cần phân công lại": its agency ended, no successor named yet
    NOT_WAITING_TRANSFER = "not_waiting_transfer"  # its agency still holds it: someone there to act or answer
    HAS_DUE_DATE = "has_due_date"  # a date to move: not a standing duty, nor work waiting for one
    # its body is reached only through an inferred group (Assignment.inferred_group), not yet confirmed
    MEMBERSHIP_UNCONFIRMED = "membership_unconfirmed"
    # given by now (``Assignment.assigned_at``): a later quarter's report waits for the quarter's first
    # day, a plan's work for its issue day; its body neither acknowledges, reports nor asks more time before
    GIVEN = "given"


# The date an action takes, as its forms name it: a refusal of the date says which one it is.
DUE_LABELS_VI = {
    Action.EXTEND: "Gia hạn đến ngày",
    Action.SNOOZE: "Tạm dừng nhắc việc đến ngày",
    Action.REQUEST_EXTENSION: "Hạn đề nghị",
}

# Why the action is refused when the condition does not hold: shown to the person as it is.
CONDITION_REFUSALS_VI = {
    Condition.OVERDUE: "chỉ thực hiện được khi nhiệm vụ đang thực hiện quá hạn",
    Condition.OPEN_EXPLANATION_REQUEST: "không có yêu cầu giải trình nào đang chờ trả lời",
    Condition.NO_OPEN_EXPLANATION_REQUEST: "đã có yêu cầu giải trình đang chờ cơ quan trả lời",
    Condition.OPEN_EXTENSION_REQUEST: "không có đề nghị gia hạn nào đang chờ quyết định",
    Condition.NO_OPEN_EXTENSION_REQUEST: "đã có đề nghị gia hạn đang chờ Tổ giúp việc quyết định",
    Condition.HAS_PRECONDITION: "mốc thời hạn này không kèm điều kiện nào",
    Condition.WAITING_CONDITION: "nhiệm vụ không ở trạng thái chờ điều kiện",
    Condition.NOT_WAITING_CONDITION: "nhiệm vụ đang chờ điều kiện",
    Condition.WAITING_TRANSFER: "nhiệm vụ không chờ phân công lại (không ở danh sách Cần phân công lại)",
    Condition.NOT_WAITING_TRANSFER: (
        "cơ quan được giao đã không còn (tổ chức lại, hoặc không còn theo danh mục cơ quan), "
        "không ai ở đó thực hiện hay trả lời; "
        "nhiệm vụ đang chờ Tổ giúp việc phân công lại (danh sách Cần phân công lại)"
    ),
    Condition.HAS_DUE_DATE: "nhiệm vụ chưa có thời hạn để gia hạn (nhiệm vụ thường xuyên hoặc chưa xác định thời hạn)",
    Condition.MEMBERSHIP_UNCONFIRMED: (
        "phần việc không chờ xác nhận giao (cơ quan được văn bản nêu rõ, hoặc Tổ giúp việc đã xác nhận)"
    ),
    Condition.GIVEN: "nhiệm vụ chưa được giao",  # engine.services.permissions adds the giving day
}


@dataclass(frozen=True)
class Transition:
    sources: frozenset[State]
    target: State | None  # None: the state stays as it is
    who: frozenset[ActorKind]
    needs: frozenset[Need] = frozenset()
    conditions: frozenset[Condition] = frozenset()  # must all hold, whoever of ``who`` acts
    files: bool = False  # attachments may come with it (evidence, progress, an explanation)
    # who may act instead of the part's body once that body has ended (engine.escalation.recipients.
    # ended_agencies): nobody is left there to act, no link of it works, and its mails go to the
    # secretariat, which answers for it
    in_place: frozenset[ActorKind] = frozenset()

    def target_from(self, state: State) -> State:
        return self.target or state


_OPEN = OPEN_STATES
_AGENCY = frozenset({ActorKind.AGENCY})
_SECRETARIAT = frozenset({ActorKind.SECRETARIAT})
# A body a succession (or its validity) ended neither acts nor is asked: its work waits for the secretariat (reassign).
_HOLDER_ACTS = frozenset({Condition.NOT_WAITING_TRANSFER})
# The body acts on its work from the day it is given (a later quarter's report was reported, and counted
# done on time, before its quarter began).
_GIVEN_ACTS = _HOLDER_ACTS | {Condition.GIVEN}

TRANSITIONS: dict[Action, Transition] = {
    Action.ACKNOWLEDGE: Transition(frozenset({State.ASSIGNED}), State.IN_PROGRESS, _AGENCY, conditions=_GIVEN_ACTS),
    Action.PROGRESS: Transition(
        frozenset({State.IN_PROGRESS}), None, _AGENCY, frozenset({Need.PERCENT}), _GIVEN_ACTS, files=True
    ),
    # A report says what was done (or names the document that reports it: "Văn bản số … ngày …"),
    # files or not: the secretariat verifies what it reads; a partner's is its input to the lead.
    Action.REPORT: Transition(
        frozenset({State.IN_PROGRESS}), State.REPORTED, _AGENCY, frozenset({Need.COMMENT}), _GIVEN_ACTS, files=True
    ),
    Action.VERIFY: Transition(frozenset({State.REPORTED}), State.VERIFIED, _SECRETARIAT),
    Action.RETURN: Transition(
        frozenset({State.REPORTED}), State.IN_PROGRESS, _SECRETARIAT, frozenset({Need.COMMENT}), _HOLDER_ACTS
    ),
    Action.CANCEL: Transition(_OPEN | {State.REPORTED}, State.CANCELLED, _SECRETARIAT, frozenset({Need.COMMENT})),
    # One extension request at a time: the next waits for the secretariat's answer to the last.
    # Asking for more time: on work that has a date (the secretariat sets one where none is, by "extend").
    Action.REQUEST_EXTENSION: Transition(
        _OPEN,
        None,
        _AGENCY,
        frozenset({Need.DUE, Need.COMMENT}),
        frozenset({Condition.HAS_DUE_DATE, Condition.NO_OPEN_EXTENSION_REQUEST}) | _GIVEN_ACTS,
    ),
    # The secretariat may extend on its own; an open extension request is answered by it too.
    Action.EXTEND: Transition(_OPEN, None, _SECRETARIAT, frozenset({Need.DUE})),
    # Refusing an extension request: the comment is the reason the agency is told.
    Action.REFUSE_EXTENSION: Transition(
        _OPEN, None, _SECRETARIAT, frozenset({Need.COMMENT}), frozenset({Condition.OPEN_EXTENSION_REQUEST})
    ),
    Action.SNOOZE: Transition(_OPEN, None, _SECRETARIAT, frozenset({Need.DUE})),
    # Explaining a delay: only while overdue, and one request at a time (the secretariat too).
    Action.REQUEST_EXPLANATION: Transition(
        _OPEN,
        None,
        LEADERS | _SECRETARIAT,
        frozenset({Need.COMMENT}),
        frozenset({Condition.OVERDUE, Condition.NO_OPEN_EXPLANATION_REQUEST}) | _HOLDER_ACTS,
    ),
    # A request for an explanation is answered whatever became of the work since: reported late, or
    # verified, the delay it asks about happened all the same, and the leader who asked waits for the
    # answer (a report had left it unanswerable, "Đang chờ trả lời" forever). Not cancelled work.
    # Work verified before its body ended stays with that body (a succession passes open work only):
    # the secretariat answers in its place, or the request waited for ever with nobody to answer it.
    Action.EXPLAIN: Transition(
        _OPEN | {State.REPORTED, State.VERIFIED},
        None,
        _AGENCY,
        frozenset({Need.COMMENT}),
        frozenset({Condition.OPEN_EXPLANATION_REQUEST}) | _HOLDER_ACTS,
        files=True,
        in_place=_SECRETARIAT,
    ),
    # A precondition not met yet (the milestone's ``condition``): the ladder pauses until it is.
    Action.AWAIT_CONDITION: Transition(
        _OPEN,
        None,
        _SECRETARIAT,
        frozenset({Need.COMMENT}),
        frozenset({Condition.HAS_PRECONDITION, Condition.NOT_WAITING_CONDITION}),
    ),
    Action.CONDITION_MET: Transition(_OPEN, None, _SECRETARIAT, conditions=frozenset({Condition.WAITING_CONDITION})),
    # The work of a body a succession (or its validity) ended, waiting in "Cần phân công lại" (reported work too):
    # only the secretariat names who takes it over.
    Action.REASSIGN: Transition(
        _OPEN | {State.REPORTED},
        None,
        _SECRETARIAT,
        frozenset({Need.AGENCY}),
        frozenset({Condition.WAITING_TRANSFER}),
    ),
    # A body given the work only through a group whose member list is inferred (the catalog's
    # reading, not the texts'): the secretariat confirms it is that body's, and from then on the
    # leaders hear of its lateness (engine.escalation.policy.told_while_withheld). Or it cancels.
    # Verified work too: a part verified before it was confirmed is out of every rate until it is.
    Action.CONFIRM_MEMBERSHIP: Transition(
        _OPEN | {State.REPORTED, State.VERIFIED},
        None,
        _SECRETARIAT,
        conditions=frozenset({Condition.MEMBERSHIP_UNCONFIRMED}),
    ),
}
FILE_ACTIONS = frozenset(action for action, t in TRANSITIONS.items() if t.files)
