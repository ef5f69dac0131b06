"""The catalog after validation: every code resolved, every phrase parsed."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from dondoc.engine.deadlines import Deadline
from dondoc.tasks_catalog.membership import DatedGroups, members_on, read_on
from dondoc.tasks_catalog.schema import (
    AgencyEntry,
    Committee,
    GroupEntry,
    IndicatorEntry,
    PlanMeta,
    ReportingEntry,
    SuccessionEntry,
)


@dataclass(frozen=True)
class ResolvedMilestone:
    seq: int
    label: str | None
    deadline: Deadline | None  # None: the text gives no deadline; the secretariat sets one
    # one period of a recurring report (tasks_catalog.cycles): its code and data cut-off window
    period_code: str | None = None
    cutoff_start: date | None = None
    cutoff_end: date | None = None
    # agency code -> role on this milestone: groups are read as of the milestone's date (tasks_catalog.membership)
    roles: dict[str, str] = field(default_factory=dict)
    # item codes of other plans describing the same work: this milestone follows their done work
    same_work_as: tuple[str, ...] = ()
    # the number of the plan whose issue is this milestone's work: done on its issue day
    done_by_issue_of: str | None = None
    priority: bool | None = None  # this milestone's own "nhiệm vụ trọng tâm"; None: the item's
    # agency code -> the inferred group its part on this milestone rests on alone (membership.resolve_parts)
    inferred: dict[str, str] = field(default_factory=dict)
    # the date is the secretariat's convention (``dates: convention``), not the document's
    due_by_convention: bool = False


@dataclass(frozen=True)
class ResolvedIndicator:
    entry: IndicatorEntry
    # (agency code, scope group or "", target, (min, max) or None)
    targets: list[tuple[str, str, float | None, tuple[float, float] | None]]


@dataclass
class ResolvedItem:
    code: str
    kind: str  # "task" | "report"
    section: str
    title: str
    content: str
    source: str
    roles_as_written: dict[str, str]
    priority: bool
    done_at_issue: bool
    notes: str | None
    milestones: list[ResolvedMilestone]
    roles: dict[str, str]  # agency code -> role ("lead" | "implementer" | "partner"), over all milestones
    indicators: list[ResolvedIndicator] = field(default_factory=list)
    # "chưa xác định cơ quan": (role, phrase as written) of each phrase that names nobody
    unnamed: list[tuple[str, str]] = field(default_factory=list)

    def roles_on(self, milestone: ResolvedMilestone) -> dict[str, str]:
        """The agencies that owe ``milestone`` (the item's roles for a milestone built without its own)."""
        return milestone.roles or self.roles


@dataclass
class ResolvedPlan:
    meta: PlanMeta
    file: str
    items: list[ResolvedItem]
    reporting: list[ReportingEntry]


@dataclass
class Catalog:
    agencies: dict[str, AgencyEntry]
    groups: dict[str, GroupEntry]
    expanded_groups: dict[str, list[str]]
    committee: Committee
    plans: list[ResolvedPlan]
    successions: list[SuccessionEntry] = field(default_factory=list)
    dated_groups: DatedGroups = field(default_factory=dict)

    def members_read(self, group: str, issued: date, day: date | None = None) -> list[str]:
        """``group``'s agencies for a plan issued on ``issued``, read on ``day`` (default: as late as the
        plan's bodies go, tasks_catalog.membership.read_on)."""
        when = read_on(day or date.max, issued, (s.on for s in self.successions))
        if when == date.max:
            return members_on(self.dated_groups, group, None)
        return members_on(self.dated_groups, group, when)

    def counts(self) -> dict[str, dict[str, int]]:
        """Per plan number: items, milestones, indicators and expanded assignments."""
        return {
            plan.meta.number: {
                "items": len(plan.items),
                "milestones": sum(len(item.milestones) for item in plan.items),
                "indicators": sum(len(item.indicators) for item in plan.items),
                "assignments": sum(len(item.roles_on(m)) for item in plan.items for m in item.milestones),
                "reporting_duties": len(plan.reporting),
            }
            for plan in self.plans
        }
