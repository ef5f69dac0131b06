"""The whole parsed catalog as one JSON-ready document (shape: tasks_catalog/README.md).

Only plain JSON values: text, numbers, booleans, null, lists and objects; dates are ISO
``YYYY-MM-DD``. Ordering is deterministic: agencies and groups by code, plans by number,
items, milestones, indicators and reporting duties in the order of their file (the order of
the document), resolved agencies in the order of resolution (as listed, groups expanded in
their member order).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from dondoc.engine.actors import Leader
from dondoc.tasks_catalog.resolved import Catalog, ResolvedIndicator, ResolvedItem, ResolvedMilestone, ResolvedPlan
from dondoc.tasks_catalog.schema import AgencyEntry, Committee, GroupEntry, Person, ReportingEntry

__all__ = ["EXPORT_VERSION", "catalog_to_dict"]

EXPORT_VERSION = 2  # bump when the shape below changes incompatibly (2: committee key "vice-chair")
ROLES = ("lead", "implementer", "partner")


def catalog_to_dict(catalog: Catalog) -> dict[str, Any]:
    """The catalog with every agency resolved and every deadline phrase parsed."""
    return {
        "version": EXPORT_VERSION,
        "counts": {number: dict(counts) for number, counts in sorted(catalog.counts().items())},
        "agencies": [_agency(catalog.agencies[code]) for code in sorted(catalog.agencies)],
        "groups": [_group(catalog.groups[code], catalog.expanded_groups[code]) for code in sorted(catalog.groups)],
        "committee": _committee(catalog.committee),
        "plans": [_plan(plan, catalog) for plan in sorted(catalog.plans, key=lambda p: p.meta.number)],
    }


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _number(value: float | None) -> int | float | None:
    """30.0 -> 30, 65.5 stays 65.5: targets read as the document writes them."""
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


def _range(value: tuple[float, float] | None) -> list[int | float | None] | None:
    return [_number(value[0]), _number(value[1])] if value else None


def _agency(agency: AgencyEntry) -> dict[str, Any]:
    return {
        "code": agency.code,
        "name": agency.name,
        "short": agency.short,
        "kind": agency.kind,
        "aliases": list(agency.aliases),
        "email": agency.email,
        "valid_from": _iso(agency.valid_from),
        "valid_to": _iso(agency.valid_to),
        "province": agency.province,  # None: the committee's own province (engine.provinces)
    }


def _group(group: GroupEntry, expanded: list[str]) -> dict[str, Any]:
    return {
        "code": group.code,
        "name": group.name,
        "aliases": list(group.aliases),
        # as written: agency codes and "@group" codes, or {code, valid_from, valid_to, notes} for a dated member
        "members": [m if isinstance(m, str) else m.model_dump(mode="json") for m in group.members],
        "agencies": list(expanded),  # expanded: agency codes only
        # the catalog's reading of a member list the texts do not give, and why (None: a list as written)
        "inferred": group.inferred.reason if group.inferred is not None else None,
        "notes": group.notes,
    }


def _person(person: Person) -> dict[str, Any]:
    return {"title": person.title, "name": person.name, "email": person.email, "agency": person.agency}


def _committee(committee: Committee) -> dict[str, Any]:
    return {
        "name": committee.name,
        "chair": _person(committee.chair),
        Leader.VICE_CHAIR.value: _person(committee.vice_chair),
        "secretariat": _person(committee.secretariat),
        "members": list(committee.members),
        "notes": committee.notes,
    }


def _plan(plan: ResolvedPlan, catalog: Catalog) -> dict[str, Any]:
    meta = plan.meta
    return {
        "number": meta.number,
        "kind": meta.kind,
        "issued": _iso(meta.issued),
        "issued_as_written": meta.issued_as_written,
        "issuer": meta.issuer,
        "title": meta.title,
        "year": meta.year,
        "province": meta.province,  # None: the committee's own province
        "source_file": meta.source_file,
        "file": plan.file,
        "notes": meta.notes,
        "items": [_item(item, catalog) for item in plan.items],
        "reporting": [_reporting(entry, catalog, plan.meta.issued) for entry in plan.reporting],
    }


def _item(item: ResolvedItem, catalog: Catalog) -> dict[str, Any]:
    roles: dict[str, list[str]] = {role: [] for role in ROLES}
    for agency, role in item.roles.items():
        roles[role].append(agency)
    return {
        "code": item.code,
        "kind": item.kind,
        "section": item.section,
        "title": item.title,
        "content": item.content,
        "source": item.source,
        "roles_as_written": {key: item.roles_as_written[key] for key in sorted(item.roles_as_written)},
        "roles": roles,
        "unnamed": [{"role": role, "phrase": phrase} for role, phrase in item.unnamed],  # names nobody
        "priority": item.priority,
        "done_at_issue": item.done_at_issue,
        "notes": item.notes,
        "milestones": [_milestone(milestone, item.priority, catalog) for milestone in item.milestones],
        "indicators": [_indicator(indicator) for indicator in item.indicators],
    }


def _milestone(milestone: ResolvedMilestone, item_priority: bool, catalog: Catalog) -> dict[str, Any]:
    deadline = milestone.deadline
    meaning: dict[str, Any] = (
        deadline.to_dict()
        if deadline is not None
        else {
            "phrase": None,
            "kind": None,
            "due": None,
            "start": None,
            "recurrence": None,
            "condition": None,
            "done": False,
        }
    )
    return {
        "seq": milestone.seq,
        "label": milestone.label,
        "phrase": meaning["phrase"],
        "kind": meaning["kind"],
        "start": meaning["start"],
        "due": meaning["due"],
        "recurrence": meaning["recurrence"],
        "condition": meaning["condition"],
        "done": meaning["done"],
        # "nhiệm vụ trọng tâm": the milestone's own flag where the text gives one, else the item's
        "priority": item_priority if milestone.priority is None else milestone.priority,
        # the plan whose issue is this milestone's work, and the day it was done (validated: in the catalog)
        "done_by_issue_of": _done_by_issue(milestone.done_by_issue_of, catalog),
    }


def _done_by_issue(number: str | None, catalog: Catalog) -> dict[str, Any] | None:
    if number is None:
        return None
    issued = next((p.meta.issued for p in catalog.plans if p.meta.number == number), None)
    return {"plan": number, "issued": _iso(issued)}


def _indicator(indicator: ResolvedIndicator) -> dict[str, Any]:
    entry = indicator.entry
    return {
        "code": entry.code,
        "name": entry.name,
        "unit": entry.unit,
        "comparison": entry.comparison,
        "target": _number(entry.target),
        "target_range": _range(entry.target_range),
        # the same target stated by another plan: "<item code>#<indicator code>"
        "same_as": f"{entry.same_as.item}#{entry.same_as.indicator}" if entry.same_as else None,
        # the same measure with another target: "<item code>#<indicator code>"
        "same_measure_as": (
            f"{entry.same_measure_as.item}#{entry.same_measure_as.indicator}" if entry.same_measure_as else None
        ),
        "notes": entry.notes,
        "by_group": [
            {
                "agencies": list(group.agencies),
                "target": _number(group.target),
                "target_range": _range(group.target_range),
                "notes": group.notes,
            }
            for group in entry.by_group
        ],
        "targets": [
            {"agency": agency, "scope": scope, "target": _number(target), "target_range": _range(target_range)}
            for agency, scope, target, target_range in indicator.targets
        ],
    }


def _reporting(entry: ReportingEntry, catalog: Catalog, issued: date) -> dict[str, Any]:
    """The reporters as the plan named them: its groups read as late as its bodies go (membership.read_on)."""
    reporters: list[str] = []
    for ref in entry.reporters:
        reporters += catalog.members_read(ref[1:], issued) if ref.startswith("@") else [ref]
    return {
        "code": entry.code,
        "title": entry.title,
        "content": entry.content,
        "source": entry.source,
        "reporters_as_written": list(entry.reporters),
        "reporters": list(dict.fromkeys(reporters)),
        "recipient": entry.recipient,
        "period": entry.period,
        "due_day": entry.due_day,
        "due_month_offset": entry.due_month_offset,
        "cutoff_start_day": entry.cutoff_start_day,
        "cutoff_end_day": entry.cutoff_end_day,
        "first_period": entry.first_period,
        "last_period": entry.last_period,
        "deadline": entry.deadline,
        "label": entry.label,
        "notes": entry.notes,
    }
