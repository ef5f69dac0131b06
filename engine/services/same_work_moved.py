"""What a body's step moved of its same work elsewhere (engine.services.same_work), said to it.

UBND huyện Bình Sơn sent its partner input on 1834/UBND-KGVX:2; by the rule its part of 117/KH-UBND
II.4.c ("Thực hiện"), the same work, was reported with it, and it was told only "đã gửi kết quả phối
hợp cho cơ quan chủ trì": nothing said that its other duty now stood "Đã báo cáo" and waited for the
secretariat. The page after the step now names each part moved with it and where it stands.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select as core_select
from sqlmodel import Session, col, select

from dondoc.engine.models import Assignment, Event, Milestone, PlanItem, State
from dondoc.engine.models.assignments import STATE_LABELS_VI, role_label
from dondoc.engine.models.plans import LEAD_HEADING
from dondoc.engine.services.same_work import ACTION
from dondoc.engine.vi_format import shown_code
from dondoc.engine.workflow import Action

# the steps after which the rule moves a body's same work (engine.services.assignments._step: a state
# into or out of "reported")
MOVES_SAME_WORK = frozenset({Action.REPORT.value, Action.VERIFY.value, Action.RETURN.value})


@dataclass(frozen=True)
class Moved:
    """A part of the same body the same-work rule moved with a step: its item, milestone, role, state."""

    assignment_id: int
    code: str
    milestone: str | None
    role: str
    to_state: str

    @property
    def said(self) -> str:
        """ "117/KH-UBND:II.4.c (thực hiện) — Đã báo cáo, chờ Tổ giúp việc xác nhận"."""
        label = f", mốc: {self.milestone}" if self.milestone else ""
        state = STATE_LABELS_VI[State(self.to_state)]
        waits = ", chờ Tổ giúp việc xác nhận" if self.to_state == State.REPORTED.value else ""
        return f"{shown_code(self.code)} ({self.role.lower()}{label}) — {state}{waits}"


def moved_with(session: Session, assignment_id: int, at: datetime) -> list[Moved]:
    """The body's other parts the same-work rule moved with the step of ``assignment_id`` at ``at``:
    those whose move followed it (``linked_assignments``), and in turn those that followed them; a part
    sent back to work (its followed report returned) names none, and is one of the step's when moved at
    its instant."""
    agency = select(Assignment.agency_id).where(Assignment.id == assignment_id).scalar_subquery()
    statement = (
        core_select(
            col(Event.assignment_id),
            col(Event.at),
            col(Event.to_state),
            col(Event.data),
            col(PlanItem.code),
            col(Milestone.label),
            col(Assignment.role),
            LEAD_HEADING,
        )
        .join(Assignment, col(Assignment.id) == col(Event.assignment_id))
        .join(Milestone, col(Milestone.id) == col(Assignment.milestone_id))
        .join(PlanItem, col(PlanItem.id) == col(Milestone.item_id))
        .where(col(Event.action) == ACTION, col(Assignment.agency_id) == agency, col(Event.at) >= at)
        .where(col(Event.assignment_id) != assignment_id)
        .order_by(col(Event.id))
    )
    # each part's last move at that instant: a step of the same instant after another (a report verified
    # at once) is the later of the two
    latest = {row[0]: row for row in session.connection().execute(statement) if row[1] == at}
    rows = sorted(latest.values(), key=lambda row: row[0])
    reached, moved = {assignment_id}, dict[int, Moved]()
    grew = True
    while grew:
        grew = False
        for part, _, to_state, data, code, label, role, heading in rows:
            linked = set((data or {}).get("linked_assignments") or ())
            if part in moved or (linked and not linked & reached):
                continue
            moved[part] = Moved(part, code, label, role_label(role, heading), str(to_state))
            reached.add(part)
            grew = True
    return list(moved.values())


def moved_words(moved: Sequence[Moved]) -> str | None:
    """The sentence saying ``moved`` after the step's own notice, or None when it moved nothing."""
    if not moved:
        return None
    return f"Theo quy tắc nhiệm vụ cùng nội dung, cùng được ghi nhận: {'; '.join(m.said for m in moved)}."
