"""The simulated secretariat decides the work waiting in "Cần phân công lại" (a replay only).

Its policy, plausible for a Tổ giúp việc: each waiting assignment is decided on the
``DECIDE_AFTER``-th working day after it entered the queue, through ``act`` like any decision
(the transition table's ``reassign``, or ``cancel``):

- a split by function: the successor whose functions the item's title and content name most
  (diacritics-insensitive); if none is named, the first successor listed;
- a dissolution (a district-level body; its work goes to communes, which the committee does not
  track), or a body ended by its validity alone with no successor recorded (UBND Tây Trà, 2020):
  the assignment is cancelled, with the reason;
- a successor with other parts of a milestone whose lead passes to it: it is named all the same,
  and takes the lead (``act`` ends those parts where it is the only lead still to report, and
  they stay beside the lead where other leads go on: engine.services.successions.standing_in_the_way);
- a successor that already holds a part in the way (a merge of two holders of one role, or a
  partner's part where the successor leads): the duplicate is cancelled.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.engine import Engine
from sqlmodel import col, select

from dondoc.engine.actors import SECRETARIAT
from dondoc.engine.clock import LocalDays
from dondoc.engine.db import transaction
from dondoc.engine.errors import DomainError
from dondoc.engine.models import Agency, AgencyTransfer, Assignment, Milestone, PlanItem, Succession, TransferStatus
from dondoc.engine.services.assignments import Request, act
from dondoc.engine.services.request_mails import gather_reassigned
from dondoc.engine.services.successions import VALIDITY_KIND, queued_validity_end
from dondoc.engine.textfold import fold
from dondoc.engine.workcalendar import WorkCalendar
from dondoc.engine.workflow import Action

DECIDE_AFTER = 3  # working days in the queue before the secretariat decides


@dataclass
class Decisions:
    reassigned: int = 0
    cancelled: int = 0
    refused: int = 0


def decide_waiting(engine: Engine, day: date, *, at: datetime, calendar: WorkCalendar, local: LocalDays) -> Decisions:
    """Decide every waiting assignment whose time has come on ``day`` (each in its own transaction)."""
    decisions = Decisions()
    with transaction(engine) as session:
        rows = session.exec(
            select(AgencyTransfer, PlanItem, Succession)
            .join(Assignment, col(AgencyTransfer.assignment_id) == col(Assignment.id))
            .join(Milestone, col(Assignment.milestone_id) == col(Milestone.id))
            .join(PlanItem, col(Milestone.item_id) == col(PlanItem.id))
            .join(Succession, col(Succession.key) == col(AgencyTransfer.succession_key), isouter=True)
            .where(AgencyTransfer.status == TransferStatus.PENDING.value)
            .order_by(col(AgencyTransfer.id))
        ).all()
        if not rows:  # most days: nothing waits, one query
            return decisions
        bodies = {a.id: a for a in session.exec(select(Agency))}
        due = []
        for t, item, succession in rows:
            if calendar.add_working_days(local.local_date(t.recorded_at), DECIDE_AFTER) > day:
                continue
            body = bodies[t.from_agency_id]
            # no row: the body ended by its validity alone (engine.services.successions.validity_end)
            ending = succession or queued_validity_end(body.code, t.effective_on, t.recorded_at)
            due.append((t.assignment_id, _choice(item, ending), body.name, ending))
    batch = f"replay:{at.isoformat()}"  # the day's decisions: one mail per body named (request_mails.gather_reassigned)
    named: list[int] = []
    for assignment_id, successor, old, succession in due:
        choose = Request(Action.REASSIGN, SECRETARIAT, agency=successor, batch=batch)
        if successor is not None and _try(engine, assignment_id, choose, at, calendar, local):
            decisions.reassigned += 1
            named.append(assignment_id)
            continue
        if succession.kind == "dissolve":
            why = (
                f"{old} không còn từ ngày {succession.effective_on:%d/%m/%Y}, không có cơ quan kế nhiệm cùng loại: "
                "nhiệm vụ do cấp xã thực hiện, Ban Chỉ đạo dừng theo dõi"
            )
        elif succession.kind == VALIDITY_KIND:
            why = (
                f"{old} không còn từ ngày {succession.effective_on:%d/%m/%Y}, chưa ghi nhận cơ quan kế nhiệm: "
                "Ban Chỉ đạo dừng theo dõi phần việc này"
            )
        else:
            why = f"Cơ quan kế nhiệm đã có nhiệm vụ này: theo dõi một lần ở cơ quan kế nhiệm ({succession.source})"
        if _try(engine, assignment_id, Request(Action.CANCEL, SECRETARIAT, comment=why), at, calendar, local):
            decisions.cancelled += 1
        else:
            decisions.refused += 1
    if named:
        with transaction(engine) as session:
            gather_reassigned(session, batch, named, now=at)
    return decisions


def _choice(item: PlanItem, succession: Succession) -> str | None:
    """The successor the item's words point to (most functions named), else the first listed; None
    for a dissolution or a successor that would hold the task twice (decided by ``act``)."""
    successors = succession.successors
    if not successors:
        return None
    text = fold(f"{item.title} {item.content}")
    scores = [sum(fold(f) in text for f in s.get("functions", [])) for s in successors]
    best = max(range(len(successors)), key=lambda i: (scores[i], -i))
    return str(successors[best]["agency"])


def _try(
    engine: Engine, assignment_id: int, request: Request, at: datetime, calendar: WorkCalendar, local: LocalDays
) -> bool:
    try:
        with transaction(engine) as session:
            act(session, assignment_id, request, now=at, calendar=calendar, local=local)
    except DomainError:
        return False
    return True
