"""Plans and items as the secretariat browses them, each with every assignment."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from sqlmodel import Session, select
from starlette.responses import Response

from dondoc.engine.clock import ensure_aware
from dondoc.engine.errors import NotFound
from dondoc.engine.models import ITEM_ORDER, Agency, Plan, PlanItem, Role
from dondoc.engine.models.assignments import ROLE_LABELS_VI, ROLE_RANK, role_label
from dondoc.engine.reports.history import plans_then
from dondoc.engine.services.assignment_filter import AssignmentFilter
from dondoc.engine.services.board_then import board_then
from dondoc.engine.services.ended_names import ended_name_notes
from dondoc.engine.services.priorities import item_priorities
from dondoc.engine.services.provinces import of_province
from dondoc.engine.services.queries import category_counts
from dondoc.engine.services.reached_through import reached_through
from dondoc.engine.services.successions import exists_on
from dondoc.engine.services.web_queries import (
    filtered_rewritten,
    filtered_views,
    held_at,
    histories,
    plans_with_items,
)
from dondoc.engine.views import AssignmentView, EventView
from dondoc.web.context import WebContext, ctx
from dondoc.web.filters import filter_of, list_reading, reads
from dondoc.web.inputs import Id
from dondoc.web.pages import actor_names
from dondoc.web.principal import Principal, secretariat_principal
from dondoc.web.templating import render

router = APIRouter(prefix="/board", tags=["pages: secretariat"], include_in_schema=False)
Context = Annotated[WebContext, Depends(ctx)]
Secretariat = Annotated[Principal, Depends(secretariat_principal)]


@router.get("/plans", dependencies=[reads()])
def plans(request: Request, context: Context, principal: Secretariat) -> Response:
    now = context.clock.now()
    with context.db() as session:
        # at a look-back, the rows rewritten since as they stood then, and the plans that existed then
        then = board_then(session, now, context.clock)
        catalog = plans_with_items(session, plans_then(session, now, then))
        # "Được giao": the work given by now, not cancelled (a later quarter's report is nobody's yet)
        counts = {c.key: c for c in category_counts(session, now, by="plan", given_only=True, then=then)}
    return render(request, "plans.html", principal=principal, catalog=catalog, counts=counts)


@router.get("/plans/{plan_id}")
def plan(request: Request, plan_id: Id, context: Context, principal: Secretariat) -> Response:
    """The plan's items with their assignments; the filter in the query string narrows both."""
    now = context.clock.now()
    where = filter_of(request, PLAN_FILTER_FIELDS)
    with context.db() as session:
        found = session.get(Plan, plan_id)
        if found is None:
            raise NotFound("plan", plan_id)
        items = list(session.exec(select(PlanItem).where(PlanItem.plan_id == plan_id).order_by(*ITEM_ORDER)))
        # at a look-back before a transfer, each part under the body that held it then, as the board
        # of that instant counts it, selected and offered by it (the desk's list alike: held_at)
        bound = held_at(session, now, replace(where, plan="").bound(session, context.clock))
        # at a look-back, the rows rewritten since listed and filtered as they stood then, as the
        # desk's list of that instant (board_then, filtered_rewritten)
        reading = list_reading(session, now, context.clock, where, bound)
        rows = filtered_views(session, now, bound, Plan.id == plan_id, limit=PAGE_ROWS + 1, rewritten=reading.rewritten)
        choices = reading.choices
        priorities = item_priorities(session, plan_id)
    cut, rows = len(rows) > PAGE_ROWS, rows[:PAGE_ROWS]
    by_item: dict[str, list[AssignmentView]] = {}
    for row in rows:
        by_item.setdefault(row.item_code, []).append(row)
    for parts in by_item.values():
        _lead_first(parts)
    if replace(where, plan="").active:
        items = [item for item in items if item.code in by_item]
    return render(
        request,
        "plan.html",
        principal=principal,
        plan=found,
        items=items,
        by_item=by_item,
        priorities=priorities,
        cut=cut,
        page_rows=PAGE_ROWS,
        f=where,
        fields=PLAN_FILTER_FIELDS,
        action=f"/board/plans/{plan_id}",
        **choices,
    )


def _lead_first(rows: list[AssignmentView]) -> None:
    """One item's parts, each milestone's lead first, then its implementers, then its partners (a
    lead sat 14th of 21, between two partners, in the agencies' order); by agency within a role."""
    rows.sort(key=lambda r: (r.milestone_seq, ROLE_RANK.get(r.role, len(ROLE_RANK))))


PLAN_FILTER_FIELDS = ("q", "agency", "group", "role", "state", "category", "due_from", "due_to", "priority")
# A plan's or an item's page lists every part up to this many; past it, the page says it is cut and
# links to the full list (61/KH-UBND's quarterly report item alone holds 867 parts, 2019–2025)
PAGE_ROWS = 5000


@router.get("/items/{item_id}", dependencies=[reads("done")])
def item(request: Request, item_id: Id, context: Context, principal: Secretariat) -> Response:
    now = context.clock.now()  # one instant: the parts' categories, and the bodies that exist that day
    with context.db() as session:
        found = session.get(PlanItem, item_id)
        if found is None:
            raise NotFound("item", item_id)
        plan_row = session.get(Plan, found.plan_id)
        # the plan's page of this one item, unfiltered: at a look-back before a transfer, each part under
        # the body that held it then (held_at); a row rewritten since as it stood then, one written since
        # left out (board_then, filtered_rewritten); its history up to the instant
        bound = held_at(session, now, AssignmentFilter().bound(session, context.clock))
        rewritten = filtered_rewritten(session, now, bound, board_then(session, now, context.clock))
        rows = filtered_views(session, now, bound, PlanItem.id == item_id, limit=PAGE_ROWS + 1, rewritten=rewritten)
        cut, rows = len(rows) > PAGE_ROWS, rows[:PAGE_ROWS]
        _lead_first(rows)
        events = {
            key: [EventView.model_validate(e, from_attributes=True) for e in value if ensure_aware(e.at) <= now]
            for key, value in histories(session, [r.id for r in rows]).items()
        }
        # the bodies the secretariat may name for a phrase that names nobody (engine.services.naming)
        today = context.clock.local_date(now)
        every: Iterable[Agency] = session.exec(select(Agency).order_by(Agency.code)) if found.unnamed else ()
        existing = [(a, a.province) for a in every if exists_on(a.valid_from, a.valid_to, today)]
        agencies = of_province(session, existing, plan_row.province if plan_row else None, today)
        names = actor_names(session, events.values())
        # beneath the wording, kept as written: each body it names that has ended by today
        notes = ended_name_notes(session, today, (found.title, found.content), plan_row.issued if plan_row else None)
        as_written = roles_as_written(session, found, rows)
    return render(
        request,
        "item.html",
        principal=principal,
        item=found,
        plan=plan_row,
        rows=rows,
        cut=cut,
        page_rows=PAGE_ROWS,
        events=events,
        actor_names=names,
        agencies=agencies,
        ended_notes=notes,
        as_written=as_written,
        ROLE_CHOICES=ROLE_LABELS_VI,
    )


def roles_as_written(session: Session, item: PlanItem, rows: list[AssignmentView]) -> list[tuple[str, str, str]]:
    """The bodies the text names in each role, in its own words and role headings ("Cơ quan tham
    mưu"), beside the parts the catalog read into them; and, for a role with no part on the page
    whose phrase the catalog reads as a group reached through a body holding another role, why
    (engine.services.reached_through: 61/KH-UBND PL.II.25's "Các Trung tâm Y tế, Bệnh viện liên quan",
    through Sở Y tế, the lead, had left its partners on no row of the page, with nothing said)."""
    written = item.roles_as_written or {}
    heading = written.get("lead_heading")
    roles = (("lead", Role.LEAD), ("implementers", Role.IMPLEMENTER), ("partners", Role.PARTNER))
    held = {r.role for r in rows}
    holders = {r.agency_code: role_label(r.role, heading).lower() for r in sorted(rows, key=_by_rank, reverse=True)}
    found = []
    for key, role in roles:
        phrase = str(written.get(key) or "").strip()
        if not phrase:
            continue
        why = None if role.value in held else reached_through(session, phrase, holders)
        label = role_label(role.value, heading)
        found.append((label, phrase, f"không có phần việc {label.lower()} riêng: {why}" if why else ""))
    return found


def _by_rank(row: AssignmentView) -> int:
    return ROLE_RANK.get(row.role, len(ROLE_RANK))
