"""Dated group membership and the precedence of roles within one item.

A group member carries a validity period (its own ``valid_from`` / ``valid_to`` in the group, narrowed
by the agency's): a group is expanded *as of a date* — a milestone's date, or the plan's issue date
when the milestone has none (:func:`as_of`).

Roles: an agency named explicitly (by its code) in an item keeps the role it is named in, whatever
group it also belongs to; only agencies reached solely through groups take a group's role. Within
each of the two tiers the first of lead → implementer → partner wins. So "Chủ trì: các sở, ban
ngành; Phối hợp: Sở TT&TT" makes Sở TT&TT a partner, not a lead through "các sở, ban ngành".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from dondoc.engine.deadlines import Deadline

ROLE_ORDER = ("lead", "implementer", "partner")


@dataclass(frozen=True)
class Validity:
    valid_from: date | None = None
    valid_to: date | None = None

    def holds_on(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)

    def narrowed(self, other: Validity) -> Validity:
        """The period both hold (the later start, the earlier end)."""
        starts = [d for d in (self.valid_from, other.valid_from) if d is not None]
        ends = [d for d in (self.valid_to, other.valid_to) if d is not None]
        return Validity(max(starts) if starts else None, min(ends) if ends else None)

    @property
    def open_ended(self) -> bool:
        return self.valid_to is None

    def __str__(self) -> str:
        start = f"{self.valid_from:%d/%m/%Y}" if self.valid_from else "…"
        end = f"{self.valid_to:%d/%m/%Y}" if self.valid_to else "…"
        return f"{start}–{end}"

    def absence(self, body: str, day: date, when: str) -> str:
        """Why ``body``, of this validity, cannot be given work read on ``day`` (it does not hold then),
        in one Vietnamese sentence; ``when``: what ``day`` is ("ngày ban hành văn bản", "ngày xác định
        cơ quan thực hiện mốc 1"): "UBND huyện Tây Trà không còn từ ngày 01/02/2020, trước ngày ban hành
        văn bản (05/03/2022)."."""
        if self.valid_to is not None and self.valid_to < day:
            ended = self.valid_to + timedelta(days=1)
            return f"{body} không còn từ ngày {ended:%d/%m/%Y}, trước {when} ({day:%d/%m/%Y})."
        assert self.valid_from is not None and day < self.valid_from, (self, day)  # it does not hold on ``day``
        return f"{body} có từ ngày {self.valid_from:%d/%m/%Y}, sau {when} ({day:%d/%m/%Y})."


# group code -> [(agency code, validity of its membership, narrowed by the agency's own validity)]
DatedGroups = dict[str, list[tuple[str, Validity]]]


def members_on(groups: DatedGroups, group: str, day: date | None) -> list[str]:
    """The agencies of ``group`` on ``day``; ``None``: the current members (no end date)."""
    if day is None:
        return [code for code, validity in groups[group] if validity.open_ended]
    return [code for code, validity in groups[group] if validity.holds_on(day)]


def as_of(deadline: Deadline | None, issued: date) -> date:
    """The date a milestone's groups are read at: its due date, else its start, else the plan's issue."""
    if deadline is not None and deadline.due is not None:
        return deadline.due
    if deadline is not None and deadline.start is not None:
        return deadline.start
    return issued


def read_on(day: date, issued: date, succession_dates: Iterable[date]) -> date:
    """The date a plan's agencies are read at: ``day`` (a milestone's), but never past the day before
    the first succession after the plan was issued. A plan names the bodies of its time; work due after
    a succession reaches the successor by the succession's transfer (engine.services.successions),
    not by the catalog naming a body the text never knew."""
    later = [on for on in succession_dates if on > issued]
    return min(day, min(later) - timedelta(days=1)) if later else day


def resolve_roles(groups: DatedGroups, refs_by_role: tuple[list[str], ...], day: date) -> dict[str, str]:
    """agency -> role for one milestone. ``refs_by_role`` are the lead, implementer and partner
    references (agency codes or "@group"), already checked to exist. The order of the result is the
    order the references are written in (lead list first), as before."""
    return resolve_parts(groups, refs_by_role, day)[0]


def resolve_parts(
    groups: DatedGroups, refs_by_role: tuple[list[str], ...], day: date, inferred: frozenset[str] = frozenset()
) -> tuple[dict[str, str], dict[str, str]]:
    """:func:`resolve_roles`, and the agencies whose part rests on an inferred group alone (agency ->
    that group's code): the role it holds is given it by a group of ``inferred`` and by no sure
    reference (its code, or a group not inferred) in that same role. When unsure, it is marked: the
    secretariat confirms it (tasks_catalog/README.md, "Inferred groups")."""
    explicit: dict[str, str] = {}
    via_group: dict[str, str] = {}
    via_inferred: dict[tuple[str, str], str] = {}  # (agency, role) -> the first inferred group giving it
    sure: set[tuple[str, str]] = set()  # (agency, role) some sure reference gives
    order: list[str] = []
    for role, refs in zip(ROLE_ORDER, refs_by_role, strict=True):
        for ref in refs:
            if ref.startswith("@"):
                for agency in members_on(groups, ref[1:], day):
                    via_group.setdefault(agency, role)
                    order.append(agency)
                    if ref[1:] in inferred:
                        via_inferred.setdefault((agency, role), ref[1:])
                    else:
                        sure.add((agency, role))
            else:
                explicit.setdefault(ref, role)
                sure.add((ref, role))
                order.append(ref)
    roles = {agency: explicit.get(agency) or via_group[agency] for agency in dict.fromkeys(order)}
    unsure = {
        agency: via_inferred[(agency, role)]
        for agency, role in roles.items()
        if (agency, role) not in sure and (agency, role) in via_inferred
    }
    return roles, unsure
