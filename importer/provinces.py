"""Whom a draft plan's work may go to, on the import's review (engine.provinces, the one rule).

The draft is read as the loader will read the published plan: of its own province (``plan.province``;
unset: the committee's), with the bodies of its time, those existing on its issue date (a plan names
the bodies of its time: tasks_catalog.membership.read_on). A group may be given the work when its
members of that day may. The review's picker offers those; saving the review refuses any other with
the rule's one line, naming the item and the body.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from dondoc.engine.provinces import province_ends, refusal
from dondoc.tasks_catalog.membership import Validity
from dondoc.tasks_catalog.schema import Directory, MemberEntry


def plan_scope(plan: dict[str, Any]) -> tuple[str | None, date]:
    """The draft plan's province (None: the committee's) and the day its bodies are read on."""
    return plan.get("province"), date.fromisoformat(plan["issued"])


def refusals(directory: Directory, province: str | None, day: date) -> dict[str, str | None]:
    """Each agency code and ``@group`` existing on ``day``, with why it may not be given the work of a
    plan of ``province`` (engine.provinces.refusal; a group: its first member that may not), or None;
    and each agency code of the directory not existing on ``day``, with why (it ended before, or began
    after: tasks_catalog.membership.Validity.absence): none of those is offered, and saving refuses it."""
    agencies = {a.code: a for a in directory.agencies}
    groups = {g.code: g for g in directory.groups}
    ends = province_ends((a.province, a.valid_to) for a in agencies.values())
    committee = directory.committee.name
    said: dict[str, str | None] = {}
    absent: dict[str, str] = {}  # a body of the directory that does not exist on ``day``: why, never offered
    for a in agencies.values():
        validity = Validity(a.valid_from, a.valid_to)
        if validity.holds_on(day):
            said[a.code] = refusal(a.name, a.province, province, day, ends, committee)
        else:
            absent[a.code] = validity.absence(a.name, day, "ngày ban hành văn bản")

    def members(code: str, seen: tuple[str, ...]) -> list[str]:
        found = []
        for member in groups[code].members if code not in seen else ():
            entry = member if isinstance(member, MemberEntry) else MemberEntry(code=member)
            if not Validity(entry.valid_from, entry.valid_to).holds_on(day):
                continue
            if entry.code.startswith("@") and entry.code[1:] in groups:
                found += members(entry.code[1:], (*seen, code))
            elif entry.code in said:
                found.append(entry.code)
        return found

    for code in groups:
        day_members = members(code, ())
        if day_members:
            said[f"@{code}"] = next((said[m] for m in day_members if said[m] is not None), None)
    return said | absent
