"""Read, validate and resolve the catalog: every error names file, line, item and what is wrong.

Nothing is half-loaded: :func:`load_catalog` either returns a whole :class:`Catalog` or
raises :class:`CatalogInvalid` with every problem found.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, timedelta
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from dondoc.engine.actors import Recipient
from dondoc.engine.deadlines import Deadline, DeadlineKind, DeadlinePhraseError, before_date_due, parse_deadline
from dondoc.engine.errors import DomainError
from dondoc.engine.provinces import province_ends, refusal
from dondoc.tasks_catalog.conventions import CONVENTIONS_FILE, convention_label, with_convention_days
from dondoc.tasks_catalog.cycles import PeriodError, periods
from dondoc.tasks_catalog.local import plan_files
from dondoc.tasks_catalog.membership import DatedGroups, Validity, as_of, members_on, read_on, resolve_parts
from dondoc.tasks_catalog.resolved import Catalog, ResolvedIndicator, ResolvedItem, ResolvedMilestone, ResolvedPlan
from dondoc.tasks_catalog.schema import (
    Conventions,
    Directory,
    GroupEntry,
    ItemEntry,
    MemberEntry,
    MilestoneEntry,
    PlanFile,
    ReportingEntry,
    SuccessionEntry,
    SuccessionsFile,
)
from dondoc.tasks_catalog.yamlio import YamlError, line_of, read_yaml

# An agency named explicitly keeps its named role over one it only gets through a group; within each
# tier the first of lead -> implementer -> partner wins (tasks_catalog.membership).
# The former group of "các cơ quan, đơn vị liên quan": such a phrase names nobody, so it is
# written under an item's ``unnamed:`` and creates no assignment (README "names nobody").
UNNAMED_GROUP = "co-quan-lien-quan"
SUCCESSIONS_FILE = "successions.yaml"


@dataclass(frozen=True)
class _IndicatorLink:
    """An indicator's link to another (``same_as``, ``same_measure_as``), as the checks of it read it."""

    plan: ResolvedPlan
    item: ResolvedItem
    indicator: ResolvedIndicator
    key: tuple[str, str]  # the item and indicator codes it names
    there: ResolvedPlan | None  # the plan of the indicator it names (None: no such indicator)
    theirs: ResolvedIndicator | None
    path: Path
    line: int
    said: str  # the link as a problem about it begins


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    code: str | None
    message: str
    vi: str | None = None  # the reason in Vietnamese, where a person records the data (successions)
    # item ``code`` gives work to a body it may not (of another province: engine.provinces; not existing
    # on the day its work is read), said in ``vi`` of the item alone (the import's publish says it so)
    item: bool = False

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.code + ': ' if self.code else ''}{self.message}"


class CatalogInvalid(DomainError):
    code = "catalog_invalid"

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        first = str(problems[0]) if problems else "no problems"
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(f"catalog invalid: {first}{more}")


def default_catalog_dir() -> Path:
    return Path(str(resources.files("dondoc.tasks_catalog")))


def load_catalog(directory: Path | None = None, local_dir: Path | None = None) -> Catalog:
    """Load ``agencies.yaml``, ``successions.yaml`` and ``plans/*.yaml`` under ``directory``, and the
    installation's own catalog folder ``local_dir`` with it (its ``plans/*.yaml``, tasks_catalog/local.py,
    and its ``successions.yaml``; a missing folder or file is an empty one)."""
    return _Loader(directory or default_catalog_dir(), local_dir).load()


class _Loader:
    def __init__(self, directory: Path, local_dir: Path | None = None) -> None:
        self.dir = directory
        self.local_dir = local_dir
        self.successions: list[SuccessionEntry] = []
        self.problems: list[Problem] = []
        self._lines: dict[tuple[str, str], list[int]] = {}  # (plan file, item/report code) -> lines
        self._plan_province: str | None = None  # of the plan being read (None: the committee's)
        self._out_of_province: set[tuple[str, str]] = set()  # (item, agency) already said
        self._group_lines: dict[str, int] = {}

    def problem(
        self, path: Path, line: int, code: str | None, message: str, vi: str | None = None, item: bool = False
    ) -> None:
        name = str(path.relative_to(self.dir)) if path.is_relative_to(self.dir) else str(path)
        self.problems.append(Problem(name, line, code, message, vi, item))

    def load(self) -> Catalog:
        self.conventions = self._conventions()
        directory = self._directory()
        plans = [p for p in (self._plan(path, directory) for path in plan_files(self.dir, self.local_dir)) if p]
        if directory is not None and not plans and not self.problems:
            self.problem(self.dir / "plans", 0, None, "no plan files (plans/*.yaml)")
        self._check_unique_codes(plans)
        self._check_same_work(plans)
        self._check_done_by_issue(plans)
        self._check_same_targets(plans)
        self._check_same_measures(plans)
        if self.problems or directory is None:
            raise CatalogInvalid(self.problems)
        agencies, groups, expanded = directory
        return Catalog(agencies, groups, expanded, self._committee, plans, self.successions, self.dated)

    # -- conventions ---------------------------------------------------------------------
    def _conventions(self) -> Conventions:
        """conventions.yaml; without the file, today's readings and no convention days."""
        path = self.dir / CONVENTIONS_FILE
        if not path.is_file():
            return Conventions()
        raw = self._read(path)
        conventions = self._validate(Conventions, raw, path) if raw is not None else None
        return conventions or Conventions()

    # -- the directory -------------------------------------------------------------------
    def _directory(self) -> tuple[dict[str, Any], dict[str, GroupEntry], dict[str, list[str]]] | None:
        path = self.dir / "agencies.yaml"
        raw = self._read(path)
        if raw is None:
            return None
        directory = self._validate(Directory, raw, path)
        if directory is None:
            return None
        self._committee = directory.committee
        agencies = {}
        for index, agency in enumerate(directory.agencies):
            if agency.code in agencies:
                self.problem(path, line_of(raw, ("agencies", index)), agency.code, "duplicate agency code")
            agencies[agency.code] = agency
        self.agencies = agencies
        self._successions(agencies)
        self._parts_of(path, raw, directory.agencies, agencies)
        # the provinces other than the committee's whose bodies have all ended (engine.provinces)
        self._province_ends = province_ends((a.province, a.valid_to) for a in agencies.values())
        groups = {}
        for index, group in enumerate(directory.groups):
            if group.code in groups or group.code in agencies:
                self.problem(path, line_of(raw, ("groups", index)), group.code, "duplicate code")
            groups[group.code] = group
            self._group_lines.setdefault(group.code, line_of(raw, ("groups", index)))
        self.agencies, self.groups = agencies, groups
        self.dated: DatedGroups = {code: self._expand(path, raw, code, ()) for code in groups}
        # the members as the catalog's plans read them: today's, or (once a succession is recorded) those
        # of the day before the first one; a date's members: Catalog.members_read / dated_groups
        first = min((s.on for s in self.successions), default=None)
        day = first - timedelta(days=1) if first else None
        expanded = {code: members_on(self.dated, code, day) for code in groups}
        self.expanded = expanded
        for index, group in enumerate(directory.groups):
            if not self.dated[group.code]:
                self.problem(path, line_of(raw, ("groups", index)), group.code, "group expands to no agency")
            for member in group.members:
                ref = member.code if isinstance(member, MemberEntry) else member
                nested = groups.get(ref[1:]) if ref.startswith("@") else None
                if nested is not None and nested.inferred is not None:
                    self.problem(
                        path,
                        line_of(raw, ("groups", index)),
                        group.code,
                        f'group "{ref}" is inferred: it cannot be a member of another group (its members are '
                        "not sure; name it where the text does)",
                    )
        committee = directory.committee
        for role, person in (
            (Recipient.CHAIR, committee.chair),
            (Recipient.VICE_CHAIR, committee.vice_chair),
            (Recipient.SECRETARIAT, committee.secretariat),
        ):
            if person.agency and person.agency not in agencies:
                self.problem(path, line_of(raw, ("committee", role.value)), role.value, self._unknown(person.agency))
        self._check_roster(path, raw, committee)
        for code in directory.committee.members:
            if code not in agencies:
                self.problem(path, line_of(raw, ("committee",)), "committee.members", self._unknown(code))
        return agencies, groups, expanded

    def _parts_of(self, path: Path, raw: Any, entries: list[Any], agencies: dict[str, Any]) -> None:
        """A body that exists only for another (``part_of``: a committee's working group) ends with it:
        its validity ends on that body's last day (its own ``valid_to``, or the day before its
        succession), unless it ends earlier by its own."""
        for index, entry in enumerate(entries):
            whole = entry.part_of
            if whole is None:
                continue
            line = line_of(raw, ("agencies", index))
            if whole not in agencies or whole == entry.code:
                self.problem(path, line, entry.code, self._unknown(whole), f'không có cơ quan mã "{whole}"')
                continue
            ends, own = agencies[whole].valid_to, agencies[entry.code].valid_to
            if ends is not None and (own is None or own > ends):
                agencies[entry.code] = agencies[entry.code].model_copy(update={"valid_to": ends})

    # -- successions ---------------------------------------------------------------------
    def _succession_files(self) -> list[Path]:
        found = [self.dir / SUCCESSIONS_FILE]
        if self.local_dir is not None:
            found.append(self.local_dir / SUCCESSIONS_FILE)
        return [path for path in found if path.is_file()]

    def _successions(self, agencies: dict[str, Any]) -> None:
        """Read every successions file; check codes, dates, gaps and cycles; end each predecessor's
        validity the day before its succession (an agency's own ``valid_to`` must agree)."""
        ended: dict[str, str] = {}  # agency -> the key of the succession that ends it
        edges: dict[str, set[str]] = {}
        where: dict[str, tuple[Path, int]] = {}
        keys: set[str] = set()
        for path in self._succession_files():
            raw = self._read(path)
            parsed = self._validate(SuccessionsFile, raw, path) if raw is not None else None
            if parsed is None:
                continue
            for index, entry in enumerate(parsed.successions):
                line = line_of(raw, ("successions", index))
                if entry.key in keys:
                    self.problem(
                        path,
                        line,
                        entry.key,
                        "duplicate succession key",
                        f'lần tổ chức lại "{entry.key}" đã được ghi nhận (cùng cơ quan cũ, cùng ngày)',
                    )
                    continue
                keys.add(entry.key)
                if self._succession_ok(path, line, entry, agencies, ended):
                    self.successions.append(entry)
                    where[entry.key] = (path, line)
                    for old in entry.from_:
                        edges.setdefault(old, set()).update(t.agency for t in entry.to)
        for start in sorted(edges):
            cycle = _cycle_from(start, {k: sorted(v) for k, v in edges.items()})
            if cycle:
                key = ended[start]
                path, line = where[key]
                chain = " -> ".join(cycle + [cycle[0]])
                self.problem(path, line, key, f"succession cycle: {chain}", f"kế nhiệm thành vòng: {chain}")
                break
        for entry in self.successions:
            for old in entry.from_:
                agency = agencies[old]
                if agency.valid_to is None:
                    agencies[old] = agency.model_copy(update={"valid_to": entry.on - timedelta(days=1)})

    def _succession_ok(
        self, path: Path, line: int, entry: SuccessionEntry, agencies: dict[str, Any], ended: dict[str, str]
    ) -> bool:
        problems = len(self.problems)
        for code in [*entry.from_, *(t.agency for t in entry.to)]:
            if code not in agencies:
                self.problem(path, line, entry.key, self._unknown(code), f'không có cơ quan mã "{code}"')
        if len(self.problems) > problems:
            return False
        for old in entry.from_:
            agency = agencies[old]
            if agency.valid_from is not None and entry.on <= agency.valid_from:
                self.problem(
                    path,
                    line,
                    entry.key,
                    f'"{old}" exists from {agency.valid_from:%d/%m/%Y}: a succession on '
                    f"{entry.on:%d/%m/%Y} is before the agency existed",
                    f'"{old}" chỉ có từ ngày {agency.valid_from:%d/%m/%Y}: ngày {entry.on:%d/%m/%Y} là trước khi '
                    "cơ quan ra đời",
                )
            if agency.valid_to is not None and agency.valid_to != entry.on - timedelta(days=1):
                self.problem(
                    path,
                    line,
                    entry.key,
                    f'"{old}" ends on {agency.valid_to:%d/%m/%Y} but its succession is on '
                    f"{entry.on:%d/%m/%Y}: a gap or an overlap (valid_to must be the day before)",
                    f'"{old}" kết thúc ngày {agency.valid_to:%d/%m/%Y} mà ngày tổ chức lại là {entry.on:%d/%m/%Y}: '
                    "bị hở hoặc chồng (ngày kết thúc phải là ngày liền trước)",
                )
            if old in ended:
                self.problem(
                    path,
                    line,
                    entry.key,
                    f'"{old}" already ends by succession "{ended[old]}"',
                    f'"{old}" đã kết thúc theo lần tổ chức lại "{ended[old]}"',
                )
            ended.setdefault(old, entry.key)
        for successor in entry.to:
            agency = agencies[successor.agency]
            validity = Validity(agency.valid_from, agency.valid_to)
            if successor.agency in entry.from_:
                self.problem(
                    path,
                    line,
                    entry.key,
                    f'"{successor.agency}" succeeds itself',
                    f'"{successor.agency}" không thể kế nhiệm chính mình',
                )
            elif not validity.holds_on(entry.on):
                self.problem(
                    path,
                    line,
                    entry.key,
                    f'successor "{successor.agency}" does not exist on {entry.on:%d/%m/%Y} '
                    f"(its validity is {validity}): a gap",
                    f'cơ quan kế nhiệm "{successor.agency}" chưa có hoặc đã không còn vào ngày {entry.on:%d/%m/%Y}: '
                    "bị hở",
                )
        return len(self.problems) == problems

    def _check_roster(self, path: Path, raw: Any, committee: Any) -> None:
        """Each later seat names a known agency and starts after the seat's first holder began."""
        for index, seat in enumerate(committee.roster):
            line = line_of(raw, ("committee", "roster", index))
            if seat.agency and seat.agency not in self.agencies:
                self.problem(path, line, seat.role, self._unknown(seat.agency))
            if seat.valid_from is None:
                self.problem(path, line, seat.role, "a later seat on the roster needs valid_from")

    def _expand(self, path: Path, raw: Any, code: str, seen: tuple[str, ...]) -> list[tuple[str, Validity]]:
        """The group's agencies, each with the period it is a member (its entry's, narrowed by the agency's)."""
        if code in seen:
            self.problem(path, self._group_lines.get(code, 0), code, f"group cycle: {' -> '.join(seen + (code,))}")
            return []
        group_index = list(self.groups).index(code)
        members: dict[str, Validity] = {}
        for index, member in enumerate(self.groups[code].members):
            entry = member if isinstance(member, MemberEntry) else MemberEntry(code=member)
            line = line_of(raw, ("groups", group_index, "members", index)) or self._group_lines.get(code, 0)
            own = Validity(entry.valid_from, entry.valid_to)
            if entry.code.startswith("@") and entry.code[1:] in self.groups:
                found = [(a, v.narrowed(own)) for a, v in self._expand(path, raw, entry.code[1:], seen + (code,))]
            elif entry.code in self.agencies:
                agency = self.agencies[entry.code]
                lives = Validity(agency.valid_from, agency.valid_to)
                stated = [d for d in (entry.valid_from, entry.valid_to) if d is not None]
                if any(not lives.holds_on(d) for d in stated):  # a bare member simply inherits the agency's period
                    self.problem(
                        path,
                        line,
                        code,
                        f'group member "{entry.code}" is a member {own} outside the agency\'s validity {lives}',
                    )
                found = [(entry.code, own.narrowed(lives))]
            else:
                self.problem(path, line, code, f"group member {self._unknown(entry.code)}")
                found = []
            for agency_code, validity in found:
                members.setdefault(agency_code, validity)
        return list(members.items())

    def _unknown(self, code: str) -> str:
        names = list(self.agencies) + [f"@{g}" for g in getattr(self, "groups", {})]
        by_alias = {alias.lower(): a.code for a in self.agencies.values() for alias in (a.aliases + [a.name, a.short])}
        close = difflib.get_close_matches(code, names, n=1, cutoff=0.6)
        alias = by_alias.get(code.lower().lstrip("@"))
        hint = f'; did you mean "{alias or close[0]}"?' if (alias or close) else ""
        return f'unknown agency or group "{code}"{hint}'

    # -- plans ---------------------------------------------------------------------------
    def _plan(self, path: Path, directory: object) -> ResolvedPlan | None:
        raw = self._read(path)
        if raw is None:
            return None
        plan_file = self._validate(PlanFile, raw, path)
        if plan_file is None or directory is None:
            return None
        self._plan_province = plan_file.plan.province
        if self._plan_province is not None and all(a.province != self._plan_province for a in self.agencies.values()):
            self.problem(
                path,
                line_of(raw, ("plan",)),
                plan_file.plan.number,
                f'province "{self._plan_province}" is no agency\'s province (agencies.yaml province:)',
            )
        items = [
            self._item(path, line_of(raw, ("items", i)), entry, plan_file.plan.year, plan_file.plan.issued)
            for i, entry in enumerate(plan_file.items)
        ]
        # every reporting duty is an item of kind "report": one milestone (once) or one per period
        items += [
            self._report_item(path, line_of(raw, ("reporting", i)), entry, plan_file.plan.year, plan_file.plan.issued)
            for i, entry in enumerate(plan_file.reporting)
        ]
        # the line of every code, in the order _check_unique_codes meets them (items, then reports)
        located = [(e.code, line_of(raw, ("items", i))) for i, e in enumerate(plan_file.items)]
        located += [(e.code, line_of(raw, ("reporting", i))) for i, e in enumerate(plan_file.reporting)]
        self._lines[(f"plans/{path.name}", "\0plan")] = [line_of(raw, ("plan",))]  # the plan's own line
        for code, code_line in located:
            self._lines.setdefault((f"plans/{path.name}", code), []).append(code_line)
        return ResolvedPlan(plan_file.plan, f"plans/{path.name}", items, plan_file.reporting)

    def _item(self, path: Path, line: int, entry: ItemEntry, year: int, issued: date) -> ResolvedItem:
        if ":" not in entry.code or not entry.code.split(":", 1)[1]:
            self.problem(path, line, entry.code, 'item code must be "<plan number>:<section path>"')
        given: list[MilestoneEntry | None] = [*entry.milestones] or [None]
        refs = tuple(
            self._known_refs(path, line, entry.code, codes)
            for codes in (entry.lead, entry.implementers, entry.partners)
        )
        milestones = [
            self._with_roles(
                path,
                line,
                entry.code,
                ResolvedMilestone(
                    seq,
                    m.label if m else None,
                    self._milestone_deadline(path, line, entry, m, year),
                    same_work_as=tuple(entry.same_work_as if m is None or m.same_work_as is None else m.same_work_as),
                    done_by_issue_of=m.done_by_issue_of if m else None,
                    priority=None if m is None or m.priority == entry.priority else m.priority,
                ),
                self._milestone_refs(path, line, entry, m, refs),
                issued,
            )
            for seq, m in enumerate(given, start=1)
        ]
        roles = _union(milestones)
        self._check_unnamed(path, line, entry)
        if not roles and not entry.unnamed:
            self.problem(
                path,
                line,
                entry.code,
                "no agency is responsible (lead, implementers, partners and unnamed are empty)",
            )
        # targets are judged at the item's last milestone: its groups are read on that date
        judged = self._read_on(as_of(milestones[-1].deadline, issued), issued) if milestones else issued
        indicators = [self._indicator(path, line, entry.code, ind, judged) for ind in entry.indicators]
        for ind in entry.indicators:
            if ind.milestone is not None and ind.milestone > len(milestones):
                self.problem(
                    path,
                    line,
                    entry.code,
                    f"indicator {ind.code}: milestone {ind.milestone}, but the item has {len(milestones)}",
                )
        if len({i.code for i in entry.indicators}) != len(entry.indicators):
            self.problem(path, line, entry.code, "duplicate indicator code within the item")
        return ResolvedItem(
            entry.code,
            "task",
            entry.section,
            entry.title,
            entry.content,
            entry.source,
            entry.roles_as_written.model_dump(exclude_none=True),
            entry.priority,
            entry.done_at_issue,
            entry.notes,
            milestones,
            roles,
            indicators,
            [(u.role, u.phrase) for u in entry.unnamed],
        )

    def _check_unnamed(self, path: Path, line: int, entry: ItemEntry) -> None:
        """Each phrase that names nobody is kept as written: it must stand in its role's text."""
        written = entry.roles_as_written.model_dump()
        for unnamed in entry.unnamed:
            key = (
                "partners" if unnamed.role == "partner" else "implementers" if unnamed.role == "implementer" else "lead"
            )
            text = written.get(key) or ""
            if unnamed.phrase.casefold() not in text.casefold():
                self.problem(
                    path,
                    line,
                    entry.code,
                    f'unnamed phrase "{unnamed.phrase}" ({unnamed.role}) is not in roles_as_written.{key}',
                )

    def _milestone_deadline(
        self, path: Path, line: int, entry: ItemEntry, milestone: MilestoneEntry | None, year: int
    ) -> Deadline | None:
        """The milestone's deadline; a precondition of the text is kept next to its date."""
        phrase = milestone.deadline if milestone else entry.deadline
        deadline = self._deadline(path, line, entry.code, phrase, year)
        precondition = (milestone.precondition if milestone else None) or entry.precondition
        if precondition is None:
            return deadline
        try:
            kind = parse_deadline(precondition).kind
        except DeadlinePhraseError:
            kind = None
        if kind is not DeadlineKind.CONDITION:
            self.problem(
                path,
                line,
                entry.code,
                f'precondition "{precondition}" must be a condition ("Khi …", "Sau khi …", "Theo …")',
            )
            return deadline
        if phrase is None or (deadline is not None and deadline.kind is DeadlineKind.CONDITION):
            self.problem(
                path,
                line,
                entry.code,
                "a precondition goes with a dated deadline; with no date, write it as the deadline",
            )
            return deadline
        if deadline is None:
            return None  # the phrase was refused: already a problem
        condition = "; ".join(c for c in (precondition, deadline.condition) if c)
        return replace(deadline, condition=condition)

    def _report_item(self, path: Path, line: int, entry: ReportingEntry, year: int, issued: date) -> ResolvedItem:
        if entry.period == "once":
            milestones = [
                ResolvedMilestone(1, entry.label, self._deadline(path, line, entry.code, entry.deadline, year))
            ]
        else:
            milestones = self._period_milestones(path, line, entry, year)
        reporters = self._known_refs(path, line, entry.code, entry.reporters)
        # the reporters lead the duty where the text says so (roles_as_written.lead), else they do it
        refs: tuple[list[str], ...] = (reporters, [], []) if entry.roles_as_written.lead else ([], reporters, [])
        milestones = [
            replace(self._with_roles(path, line, entry.code, m, refs, issued), same_work_as=tuple(entry.same_work_as))
            for m in milestones
        ]
        # A body does not report to itself: "các sở … gửi Sở TT&TT" are the other departments (Sở
        # TT&TT's own duty, to the province, is a duty of its own).
        milestones = [
            replace(
                m,
                roles={agency: role for agency, role in m.roles.items() if agency != entry.recipient},
                inferred={agency: group for agency, group in m.inferred.items() if agency != entry.recipient},
            )
            for m in milestones
        ]
        roles = _union(milestones)
        section = entry.code.split(":", 1)[-1]
        return ResolvedItem(
            entry.code,
            "report",
            section,
            entry.title,
            entry.content or entry.title,
            entry.source,
            entry.roles_as_written.model_dump(exclude_none=True),
            False,
            False,
            entry.notes,
            milestones,
            roles,
        )

    def _period_milestones(self, path: Path, line: int, entry: ReportingEntry, year: int) -> list[ResolvedMilestone]:
        """One milestone per period (tasks_catalog.cycles), due on the period's due date.

        With ``dates: convention`` the days come from conventions.yaml: the label says so and the
        phrase is the text's own words (``deadline:``, e.g. "Định kỳ 6 tháng, 1 năm"), not a date
        the text never wrote.
        """
        convention = entry.dates == "convention"
        if convention and entry.deadline is not None:
            self._deadline(path, line, entry.code, entry.deadline, year)  # the text's words must parse
        try:
            found = periods(
                with_convention_days(entry, self.conventions) if convention else entry, plan_year=year, until=year
            )
        except (PeriodError, ValueError) as exc:
            self.problem(path, line, entry.code, str(exc))
            return []
        means = self.conventions.before_date_means
        milestones = []
        for seq, period in enumerate(found, start=1):
            due = before_date_due(period.due, means) if entry.due_before else period.due
            if convention:
                label, phrase = convention_label(period.label), entry.deadline or ""
            else:
                # as the text words the day: "trước ngày 20 tháng cuối quý", or "chậm nhất vào ngày 25" (the day itself)
                words = "trước ngày" if entry.due_before else "chậm nhất ngày"
                label, phrase = period.label, f"{words} {period.due:%d/%m/%Y}"
            deadline = Deadline(phrase, DeadlineKind.DATE, due, start=period.start)
            milestones.append(
                ResolvedMilestone(
                    seq,
                    label,
                    deadline,
                    period.code,
                    period.cutoff_start,
                    period.cutoff_end,
                    due_by_convention=convention,
                )
            )
        return milestones

    def _deadline(self, path: Path, line: int, code: str, phrase: str | None, year: int) -> Deadline | None:
        if phrase is None:
            return None
        try:
            return parse_deadline(phrase, default_year=year, before_date_means=self.conventions.before_date_means)
        except DeadlinePhraseError as exc:
            self.problem(path, line, code, str(exc))
            return None

    def _known_refs(self, path: Path, line: int, code: str, refs: list[str]) -> list[str]:
        """The references that name a known agency or group; every other one is a problem."""
        known = []
        for ref in refs:
            if ref == f"@{UNNAMED_GROUP}":
                self.problem(
                    path,
                    line,
                    code,
                    f'"{ref}" names nobody: write the phrase under unnamed: '
                    '({role: lead|implementer|partner, phrase: "…as written…"}); it creates no assignment',
                )
            elif (ref.startswith("@") and ref[1:] in self.dated) or ref in self.agencies:
                known.append(ref)
            else:
                self.problem(path, line, code, self._unknown(ref))
        return known

    def _milestone_refs(
        self, path: Path, line: int, entry: ItemEntry, milestone: MilestoneEntry | None, refs: tuple[list[str], ...]
    ) -> tuple[list[str], ...]:
        """The item's (lead, implementers, partners), with the milestone's own implementers or
        partners where it narrows them: each must be one of the item's, or a member of a group the
        item names for that role (its validity on the milestone's day is checked with the others)."""
        if milestone is None:
            return refs
        lead, implementers, partners = refs
        narrowed = []
        for role, own, given in (
            ("implementers", milestone.implementers, entry.implementers),
            ("partners", milestone.partners, entry.partners),
        ):
            kept = implementers if role == "implementers" else partners
            if own is not None:
                kept = [r for r in own if self._within(r, given)]
                for ref in own:
                    if not self._within(ref, given):
                        self.problem(
                            path,
                            line,
                            entry.code,
                            f'milestone {role}: "{ref}" is not one of the item\'s {role} {given}, nor a member '
                            "of a group among them; a milestone narrows them, it adds nobody",
                        )
            narrowed.append(kept)
        return lead, narrowed[0], narrowed[1]

    def _within(self, ref: str, given: list[str]) -> bool:
        """Whether ``ref`` is one of ``given``, or an agency of a group among them (at some date),
        or a group all of whose agencies are."""
        if ref in given:
            return True
        if ref.startswith("@"):
            members = self.dated.get(ref[1:], [])
            return bool(members) and all(self._within(code, given) for code, _ in members)
        groups = [g[1:] for g in given if g.startswith("@") and g[1:] in self.dated]
        return any(ref == code for g in groups for code, _ in self.dated[g])

    def _with_roles(
        self, path: Path, line: int, code: str, milestone: ResolvedMilestone, refs: tuple[list[str], ...], issued: date
    ) -> ResolvedMilestone:
        """The milestone with its agencies: groups as of its date, explicit names checked against their validity."""
        day = self._read_on(as_of(milestone.deadline, issued), issued)
        for ref in dict.fromkeys(r for role_refs in refs for r in role_refs if not r.startswith("@")):
            self._check_valid(
                path,
                line,
                code,
                ref,
                day,
                f"milestone {milestone.seq}",
                f"ngày xác định cơ quan thực hiện mốc {milestone.seq}",
            )
        inferred = frozenset(g for g, entry in self.groups.items() if entry.inferred is not None)
        roles, unsure = resolve_parts(self.dated, refs, day, inferred)
        for agency in roles:
            self._check_province(path, line, code, agency, day)
        return replace(milestone, roles=roles, inferred=unsure)

    def _check_province(self, path: Path, line: int, code: str, agency: str, day: date) -> None:
        """A plan's work goes only to bodies of its province (engine.provinces): one line per item and body."""
        entry, plan = self.agencies[agency], self._plan_province
        why = refusal(entry.name, entry.province, plan, day, self._province_ends, self._committee.name)
        if why is None or (code, agency) in self._out_of_province:
            return
        self._out_of_province.add((code, agency))
        theirs, ours = entry.province or "the committee's province", plan or "the committee's province"
        said = f'agency "{agency}" is of {theirs}, not of the plan\'s ({ours}) on {day:%d/%m/%Y}'
        self.problem(path, line, code, said, why, item=True)

    def _read_on(self, day: date, issued: date) -> date:
        return read_on(day, issued, (s.on for s in self.successions))

    def _check_valid(self, path: Path, line: int, code: str, agency: str, day: date, what: str, when: str) -> None:
        """A body named for work read on ``day`` exists then (``what``, ``when``: that day in English and
        in Vietnamese); its Vietnamese line is what the import's publish says (one line, of the item)."""
        entry = self.agencies[agency]
        validity = Validity(entry.valid_from, entry.valid_to)
        if not validity.holds_on(day):
            said = f'agency "{agency}" is used for {what} ({day:%d/%m/%Y}) outside its validity {validity}'
            self.problem(path, line, code, said, validity.absence(entry.name, day, when), item=True)

    def _resolve_codes(self, path: Path, line: int, code: str, codes: list[str], day: date) -> list[str]:
        agencies: list[str] = []
        for ref in self._known_refs(path, line, code, codes):
            if ref.startswith("@"):
                agencies += members_on(self.dated, ref[1:], day)
            else:
                self._check_valid(path, line, code, ref, day, "a target", "ngày xác định cơ quan của chỉ tiêu")
                agencies.append(ref)
        return list(dict.fromkeys(agencies))

    def _indicator(self, path: Path, line: int, code: str, entry: Any, day: date) -> ResolvedIndicator:
        targets = []
        for group in entry.by_group:
            if group.target is None and group.target_range is None:
                self.problem(path, line, code, f"indicator {entry.code}: a group target needs target or target_range")
            scope = ",".join(group.agencies)
            for agency in self._resolve_codes(path, line, code, group.agencies, day):
                targets.append((agency, scope, group.target, group.target_range))
        seen = {(a, s) for a, s, _, _ in targets}
        if len(seen) != len(targets):
            self.problem(path, line, code, f"indicator {entry.code}: an agency has two targets in one scope")
        return ResolvedIndicator(entry, targets)

    # -- common --------------------------------------------------------------------------
    def _check_unique_codes(self, plans: list[ResolvedPlan]) -> None:
        seen: dict[str, str] = {}  # code -> "plans/x.yaml:line" of its first occurrence
        numbers: dict[str, str] = {}
        for plan in plans:
            if plan.meta.number in numbers:
                line = self._lines.get((plan.file, "\0plan"), [0])[0]
                self.problem(
                    self.dir / plan.file, line, plan.meta.number, f"plan number also in {numbers[plan.meta.number]}"
                )
            numbers.setdefault(plan.meta.number, plan.file)
            codes = [item.code for item in plan.items]  # every reporting duty is an item too
            for code in codes:
                lines = self._lines.get((plan.file, code)) or [0]
                line = lines.pop(0) if len(lines) > 1 else lines[0]
                if not code.startswith(plan.meta.number + ":"):
                    self.problem(self.dir / plan.file, line, code, f'item code must start with "{plan.meta.number}:"')
                if code in seen:
                    self.problem(self.dir / plan.file, line, code, f"duplicate item code (also at {seen[code]})")
                    continue
                seen[code] = f"{plan.file}:{line}" if line else plan.file

    def _check_same_work(self, plans: list[ResolvedPlan]) -> None:
        """Every ``same_work_as`` names a known item of another plan, not itself, and the links have no cycle."""
        plan_of = {item.code: plan for plan in plans for item in plan.items}
        links: dict[str, list[str]] = {}
        where: dict[str, tuple[Path, int]] = {}
        for plan in plans:
            for item in plan.items:
                codes = list(dict.fromkeys(c for m in item.milestones for c in m.same_work_as))
                if not codes:
                    continue
                path, line = self.dir / plan.file, self._lines.get((plan.file, item.code), [0])[0]
                where[item.code] = (path, line)
                for milestone in item.milestones:
                    if len(set(milestone.same_work_as)) != len(milestone.same_work_as):
                        self.problem(
                            path, line, item.code, f"same_work_as names an item twice: {milestone.same_work_as}"
                        )
                known = []
                for code in codes:
                    if code == item.code:
                        self.problem(path, line, item.code, "same_work_as names the item itself")
                    elif code not in plan_of:
                        close = difflib.get_close_matches(code, list(plan_of), n=1, cutoff=0.6)
                        hint = f'; did you mean "{close[0]}"?' if close else ""
                        self.problem(path, line, item.code, f'same_work_as: unknown item "{code}"{hint}')
                    elif plan_of[code] is plan:
                        self.problem(
                            path,
                            line,
                            item.code,
                            f'same_work_as: "{code}" is in the same plan; link another plan\'s item',
                        )
                    else:
                        known.append(code)
                links[item.code] = known
        reported: set[frozenset[str]] = set()
        for start in links:
            cycle = _cycle_from(start, links)
            if cycle and frozenset(cycle) not in reported:
                reported.add(frozenset(cycle))
                path, line = where[start]
                self.problem(path, line, start, f"same_work_as cycle: {' -> '.join(cycle + [cycle[0]])}")

    def _check_done_by_issue(self, plans: list[ResolvedPlan]) -> None:
        """Every ``done_by_issue_of`` names a plan of the catalog whose issue day is known, on an item
        the text does not already record done (said in Vietnamese: the catalog's author reads it)."""
        issued = {plan.meta.number: plan.meta for plan in plans}
        for plan in plans:
            for item in plan.items:
                for milestone in item.milestones:
                    number = milestone.done_by_issue_of
                    if number is None:
                        continue
                    line = self._lines.get((plan.file, item.code), [0])[0]
                    said = self._done_by_issue_problem(number, issued, item.done_at_issue)
                    if said:
                        self.problem(self.dir / plan.file, line, item.code, f"done_by_issue_of: {said}", said)

    @staticmethod
    def _done_by_issue_problem(number: str, issued: dict[str, Any], done_at_issue: bool) -> str | None:
        if number not in issued:
            close = difflib.get_close_matches(number, list(issued), n=1, cutoff=0.6)
            hint = f'; có phải "{close[0]}"?' if close else ""
            return f'không có văn bản số "{number}" trong danh mục{hint}'
        if issued[number].issued_as_written:
            return (
                f'văn bản "{number}" không rõ ngày ban hành ("{issued[number].issued_as_written}"), '
                "không dùng làm ngày hoàn thành được"
            )
        if done_at_issue:
            return (
                "nhiệm vụ đã ghi done_at_issue (văn bản ghi đã hoàn thành), không ghi thêm ngày hoàn thành "
                "theo văn bản khác"
            )
        return None

    def _indicator_links(self, plans: list[ResolvedPlan], field: str) -> Iterator[_IndicatorLink]:
        """Every indicator whose ``field`` (``same_as``, ``same_measure_as``) names another, with the
        indicator it names (None: no such indicator) and where the problems of the link are said."""
        found = {
            (item.code, indicator.entry.code): (plan, indicator)
            for plan in plans
            for item in plan.items
            for indicator in item.indicators
        }
        for plan in plans:
            for item in plan.items:
                for indicator in item.indicators:
                    link = getattr(indicator.entry, field)
                    if link is None:
                        continue
                    path, line = self.dir / plan.file, self._lines.get((plan.file, item.code), [0])[0]
                    said = f"indicator {indicator.entry.code}: {field} {link.item}#{link.indicator}"
                    there, theirs = found.get((link.item, link.indicator), (None, None))
                    yield _IndicatorLink(
                        plan, item, indicator, (link.item, link.indicator), there, theirs, path, line, said
                    )

    def _check_same_measures(self, plans: list[ResolvedPlan]) -> None:
        """Every indicator's ``same_measure_as`` names an indicator of another plan's item in the same
        unit that names none itself (its figure is shared with the one named, and through it with the
        targets that restate it)."""
        for k in self._indicator_links(plans, "same_measure_as"):
            if k.theirs is None:
                self.problem(k.path, k.line, k.item.code, f"{k.said}: no such indicator")
            elif k.there is k.plan:
                self.problem(k.path, k.line, k.item.code, f"{k.said} is in the same plan; link another plan's")
            elif k.theirs.entry.same_as is not None or k.theirs.entry.same_measure_as is not None:
                self.problem(k.path, k.line, k.item.code, f"{k.said} names another in turn; link the last one")
            elif k.theirs.entry.unit != k.indicator.entry.unit:
                self.problem(k.path, k.line, k.item.code, f"{k.said} is not the same measure: unit")

    def _check_same_targets(self, plans: list[ResolvedPlan]) -> None:
        """Every indicator's ``same_as`` names an indicator of another plan's item that states the
        same target (unit, comparison, target or range) and names none itself (one link, no chain)."""
        named: dict[tuple[str, str], str] = {}  # the indicator a link names -> the first that names it
        for k in self._indicator_links(plans, "same_as"):
            if k.theirs is None:
                self.problem(k.path, k.line, k.item.code, f"{k.said}: no such indicator")
                continue
            entry, key = k.theirs.entry, k.key
            if k.there is k.plan:
                self.problem(k.path, k.line, k.item.code, f"{k.said} is in the same plan; link another plan's")
            elif entry.same_as is not None:
                self.problem(k.path, k.line, k.item.code, f"{k.said} names another in turn; link the last one")
            elif key in named:  # a figure is shared with the one named, not between those naming it
                self.problem(k.path, k.line, k.item.code, f"{k.said} is already named by {named[key]}; link that one")
            else:
                named[key] = f"{k.item.code}#{k.indicator.entry.code}"
                mine = k.indicator.entry
                differs = [
                    name
                    for name in ("unit", "comparison", "target", "target_range")
                    if getattr(mine, name) != getattr(entry, name)
                ]
                # each body's own target (by_group) where both sides set one for it
                ours = {agency: (t, r) for agency, _, t, r in k.indicator.targets}
                others = {agency: (t, r) for agency, _, t, r in k.theirs.targets}
                overall = (mine.target, mine.target_range)
                if any(ours.get(a, overall) != others.get(a, overall) for a in set(ours) | set(others)):
                    differs.append("a body's target (by_group)")
                if differs:
                    self.problem(k.path, k.line, k.item.code, f"{k.said} is not the same target: {', '.join(differs)}")

    def _read(self, path: Path) -> Any:
        if not path.is_file():
            self.problem(path, 0, None, "file not found")
            return None
        try:
            return read_yaml(path)
        except YamlError as exc:
            self.problem(path, exc.line, None, exc.message)
            return None

    def _validate(self, model: Any, raw: Any, path: Path) -> Any:
        try:
            return model.model_validate(raw)
        except ValidationError as exc:
            for error in exc.errors():
                loc = tuple(error["loc"])
                message = error["msg"]
                if loc[:1] == ("groups",) and loc[-1:] == ("members",) and error["type"] == "too_short":
                    message = "the group has no members, so it expands to no agency"
                vi = getattr((error.get("ctx") or {}).get("error"), "vi", None)  # a succession's shape (ShapeError)
                where = ".".join(map(str, loc))
                self.problem(path, line_of(raw, loc), _code_at(raw, loc), f"{where}: {message}", vi)
            return None


def _union(milestones: list[ResolvedMilestone]) -> dict[str, str]:
    """The item's agencies over all its milestones, each with its role on the first milestone it owes
    (a milestone may give a body another role: /TB-UBND II.2.b's review and compilation)."""
    roles: dict[str, str] = {}
    for milestone in milestones:
        for agency, role in milestone.roles.items():
            roles.setdefault(agency, role)
    return roles


def _cycle_from(start: str, links: dict[str, list[str]]) -> list[str] | None:
    """The items of a cycle of ``same_work_as`` links through ``start`` (in order from it), if there is one."""
    stack: list[tuple[str, list[str]]] = [(start, [start])]
    seen: set[str] = set()
    while stack:
        code, trail = stack.pop()
        for nxt in links.get(code, []):
            if nxt == start:
                return trail
            if nxt not in seen:
                seen.add(nxt)
                stack.append((nxt, trail + [nxt]))
    return None


def _code_at(raw: Any, loc: tuple[Any, ...]) -> str | None:
    """The ``code`` of the outermost item or agency on the error's path, to name it."""
    node = raw
    for key in loc:
        try:
            node = node[key]
        except (KeyError, IndexError, TypeError):
            return None
        if isinstance(node, dict) and "code" in node:
            return str(node["code"])
    return None
