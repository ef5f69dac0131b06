"""Phrases that name nobody ("các cơ quan, đơn vị liên quan"): the secretariat's queue "Cần phân
công" and the one way to name the bodies.

The catalog records such a phrase on the item (``PlanItem.unnamed``) and creates no assignment
for it. The secretariat names the agencies here: each gets one assignment per milestone, created
by the same path as the catalog's (``assignment_creation.create_assignments``, event ``assign``) but with
the secretariat as actor, ``assigned_at`` = now (its ladder starts that day) and the milestone's
due date. A later catalog load keeps these assignments and does not report them as orphaned.
Flushes only: the caller commits.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import ColumnElement, Text, and_, cast, literal
from sqlmodel import Session, col, select

from dondoc.engine.actors import Actor, ActorKind
from dondoc.engine.clock import LocalDays
from dondoc.engine.errors import InvalidInput, NotFound, PermissionDenied
from dondoc.engine.models import Agency, Assignment, Milestone, Plan, PlanItem, Role
from dondoc.engine.models.assignments import OPEN_STATE_VALUES, ROLE_LABELS_VI
from dondoc.engine.services.assignment_creation import NewAssignment, create_assignments
from dondoc.engine.services.assignments import bring_partners
from dondoc.engine.services.permissions import actor_words
from dondoc.engine.services.provinces import province_of_item, refuse_other_province
from dondoc.engine.services.successions import refuse_unless_exists
from dondoc.engine.vi_format import shown_code
from dondoc.engine.workcalendar import WorkCalendar


@dataclass(frozen=True)
class UnnamedItem:
    """One row of the queue "Cần phân công"."""

    item_id: int
    code: str
    title: str
    plan_number: str
    issued: date
    phrases: list[tuple[str, str]]  # (role, phrase as written)


def unnamed_condition() -> ColumnElement[bool]:
    """SQL: the item has a phrase that names nobody and no body named yet (the JSON list is not
    empty: both backends store it as written, ``[]`` when empty). The two texts are plain bound
    values, not an expanding list: the statement's SQL is made once, not again at each execution."""
    return and_(col(PlanItem.named_at).is_(None), cast(PlanItem.unnamed, Text).not_in([literal("[]"), literal("")]))


def unnamed_items(session: Session) -> list[UnnamedItem]:
    """Items with a phrase that names nobody and no bodies named yet, oldest plan first."""
    rows = session.exec(
        select(PlanItem, Plan)
        .join(Plan, col(PlanItem.plan_id) == col(Plan.id))
        .where(unnamed_condition())
        .order_by(col(Plan.issued), col(PlanItem.id))
    ).all()
    return [
        UnnamedItem(
            item.id or 0,
            item.code,
            item.title,
            plan.number,
            plan.issued,
            [(entry["role"], entry["phrase"]) for entry in item.unnamed],
        )
        for item, plan in rows
        if item.unnamed
    ]


def name_agencies(
    session: Session,
    item_id: int,
    choices: Sequence[tuple[str, str]],
    *,
    actor: Actor,
    username: str | None,
    now: datetime,
    calendar: WorkCalendar,
    local: LocalDays,
) -> list[Assignment]:
    """Name the bodies behind an item's unnamed phrase: ``choices`` are (agency code, role).

    Everything is checked before anything is written; a refusal is one Vietnamese sentence.
    """
    if actor.kind is not ActorKind.SECRETARIAT:
        raise PermissionDenied(
            actor_words(session, actor), "xác định cơ quan thực hiện", "chỉ Tổ giúp việc xác định cơ quan thực hiện"
        )
    item = session.get(PlanItem, item_id)
    if item is None:
        raise NotFound("item", item_id)
    if not item.unnamed:
        raise InvalidInput(f"Nhiệm vụ {shown_code(item.code)} không có cơ quan chưa xác định.")
    if item.named_at is not None:
        raise InvalidInput(f"Nhiệm vụ {shown_code(item.code)} đã được Tổ giúp việc phân công cơ quan.")
    if not choices:
        raise InvalidInput("Chưa chọn cơ quan nào để phân công.")
    agencies: list[tuple[Agency, str]] = []
    province, today = province_of_item(session, item_id), local.local_date(now)
    for code, role in choices:
        agency = session.exec(select(Agency).where(Agency.code == code.strip())).first()
        if agency is None:
            raise InvalidInput(f'Không có cơ quan mã "{code.strip()}" trong danh mục.')
        refuse_unless_exists(agency, today)  # work is given now, to a body of now
        refuse_other_province(session, agency, province, today)  # and of the plan's province
        if role not in ROLE_LABELS_VI:
            raise InvalidInput(f'Vai trò "{role}" không hợp lệ (chủ trì, thực hiện hoặc phối hợp).')
        if any(agency.id == chosen.id for chosen, _ in agencies):
            raise InvalidInput(f"Cơ quan {agency.short} được chọn hai lần.")
        agencies.append((agency, role))
    milestones = session.exec(select(Milestone).where(Milestone.item_id == item_id).order_by(col(Milestone.seq))).all()
    label = username or actor.label
    data = {"named_by": ActorKind.SECRETARIAT.value, "user": label, "phrases": [e["phrase"] for e in item.unnamed]}
    comment = f"Tổ giúp việc phân công ({label}) thay cho cụm từ chưa xác định cơ quan"
    ids = [milestone.id for milestone in milestones]
    pairs = select(Assignment.milestone_id, Assignment.agency_id, Assignment.role, Assignment.state).where(
        col(Assignment.milestone_id).in_(ids)
    )
    have: set[tuple[int, int]] = set()
    leads_open: dict[int, bool] = {}  # milestone → whether a lead of it has its part still open
    for milestone_id, agency_id, held_role, state in session.exec(pairs):
        have.add((milestone_id, agency_id))
        if held_role == Role.LEAD.value:
            leads_open[milestone_id] = leads_open.get(milestone_id, False) or state in OPEN_STATE_VALUES
    new: list[NewAssignment] = []
    for agency, role in agencies:
        # a milestone it holds already (the catalog's: kept), or, for a partner, one whose leads have all
        # reported: no input is waited for there (a partner named so was told it was 66 days late)
        given = [
            m
            for m in milestones
            if (m.id, agency.id) not in have and not (role == Role.PARTNER.value and leads_open.get(m.id or 0) is False)
        ]
        if not given:
            held = any((m.id, agency.id) in have for m in milestones)
            why = (
                "đã có phần việc ở mọi mốc của nhiệm vụ này"
                if held
                else "cơ quan chủ trì đã báo cáo mọi mốc của nhiệm vụ này: không còn ý kiến phối hợp nào được chờ"
            )
            raise InvalidInput(f"Không phân công {agency.short} ({ROLE_LABELS_VI[Role(role)].lower()}): {why}.")
        for milestone in given:
            due = milestone.due_date
            due_at = local.end_of_day(calendar.effective_due(due)) if due else None
            done = item.done_at_issue or milestone.kind == "done"
            start = milestone.start_date  # done in a period the text names: from its first day
            done_from = local.start_of_day(start) if done and start else None
            new.append(
                NewAssignment(milestone.id or 0, agency.id or 0, Role(role).value, due_at, now, done, None, done_from)
            )
    created = create_assignments(session, new, now=now, actor=actor.label, comment=comment, data=data)
    item.named_at, item.named_by = now, label
    session.add(item)
    session.flush()
    for milestone in milestones:  # a partner named after its lead was extended: its date follows the lead's
        bring_partners(session, milestone.id or 0, actor, username, now, calendar, local, named=set(created))
    return list(session.exec(select(Assignment).where(col(Assignment.id).in_(created)).order_by(col(Assignment.id))))
