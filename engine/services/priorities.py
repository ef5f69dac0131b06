"""Which items of a plan are key tasks ("nhiệm vụ trọng tâm") as a whole, and which only in part: a
milestone's flag where the catalog gives one, else its item's (engine.models.plans.PRIORITY_SQL, the
one rule). 1834/UBND-KGVX item 2 flags only its radio bullet ("nhiệm vụ trọng tâm thuộc diện Ủy ban
Quốc gia về chuyển đổi số theo dõi"); its plan's page had tagged the whole item, its five other
targets with it."""

from __future__ import annotations

from collections import defaultdict

from sqlmodel import Session, col, select

from dondoc.engine.models import Milestone, PlanItem
from dondoc.engine.models.plans import PRIORITY_SQL


def item_priorities(session: Session, plan_id: int) -> dict[int, bool | None]:
    """Per item of the plan (by id) that has milestones: True when every milestone is a key task,
    False when none is, None when some are (each part then says its own: ``AssignmentView.priority``)."""
    statement = (
        select(col(Milestone.item_id), PRIORITY_SQL)
        .join(PlanItem, col(PlanItem.id) == col(Milestone.item_id))
        .where(col(PlanItem.plan_id) == plan_id)
    )
    flags: dict[int, set[bool]] = defaultdict(set)
    for item_id, flag in session.exec(statement):
        flags[item_id].add(bool(flag))
    return {item_id: None if len(found) > 1 else found.pop() for item_id, found in flags.items()}
