"""The rule of provinces (engine.provinces) read from the database: which bodies a plan's work may
be given to, for the pickers that offer bodies and the services that accept one."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TypeVar

from sqlmodel import Session, col, select

from dondoc.engine.errors import InvalidInput
from dondoc.engine.escalation.recipients import committee_name_on
from dondoc.engine.models import Agency, Assignment, Milestone, Plan, PlanItem
from dondoc.engine.provinces import province_ends, refusal

COMMITTEE_WORDS = "Ban Chỉ đạo"  # before any committee is dated in the directory

T = TypeVar("T")


def ends_of_provinces(session: Session) -> dict[str, date]:
    """Each province other than the committee's whose bodies have all ended, with its last day."""
    statement = select(col(Agency.province), col(Agency.valid_to)).where(col(Agency.province).is_not(None))
    rows = session.exec(statement).all()
    return province_ends((str(province), valid_to) for province, valid_to in rows)


def province_of_item(session: Session, item_id: int) -> str | None:
    """The province of the plan that holds item ``item_id`` (None: the committee's)."""
    statement = select(Plan.province).join(PlanItem, col(PlanItem.plan_id) == col(Plan.id))
    statement = statement.where(PlanItem.id == item_id)
    return session.exec(statement).first()


def province_of_milestone(session: Session, milestone_id: int) -> str | None:
    """The province of the plan that holds milestone ``milestone_id`` (None: the committee's)."""
    statement = (
        select(Plan.province)
        .join(PlanItem, col(PlanItem.plan_id) == col(Plan.id))
        .join(Milestone, col(Milestone.item_id) == col(PlanItem.id))
        .where(Milestone.id == milestone_id)
    )
    return session.exec(statement).first()


def provinces_of_assignments(session: Session, ids: list[int]) -> dict[int, str]:
    """Of ``ids``, the assignments of a plan of a province other than the committee's, with it."""
    if not ids:
        return {}
    statement = (
        select(Assignment.id, Plan.province)
        .join(Milestone, col(Milestone.id) == col(Assignment.milestone_id))
        .join(PlanItem, col(PlanItem.id) == col(Milestone.item_id))
        .join(Plan, col(Plan.id) == col(PlanItem.plan_id))
        .where(col(Assignment.id).in_(ids), col(Plan.province).is_not(None))
    )
    return {int(assignment_id or 0): str(province) for assignment_id, province in session.exec(statement)}


def refuse_other_province(session: Session, agency: Agency, plan: str | None, day: date) -> None:
    """InvalidInput, one Vietnamese sentence, when ``agency`` is not of the province of a plan of
    province ``plan`` on ``day`` (engine.provinces.refusal)."""
    ends = ends_of_provinces(session) if agency.province is not None or plan is not None else {}
    committee = committee_name_on(session, day) or COMMITTEE_WORDS
    why = refusal(agency.name, agency.province, plan, day, ends, committee)
    if why is not None:
        raise InvalidInput(why)


def of_province(session: Session, bodies: Iterable[tuple[T, str | None]], plan: str | None, day: date) -> list[T]:
    """Of (anything, its body's province), those a plan of province ``plan`` may give work to on ``day``:
    what a picker offers."""
    ends = ends_of_provinces(session)
    return [thing for thing, its in bodies if refusal("", its, plan, day, ends, "") is None]
