"""Apply a validated catalog to the database: create what is new, update wording, keep state.

Loading the same catalog twice changes nothing. A changed catalog updates texts, adds
items, milestones and assignments, and never deletes an assignment or touches its state
or history; an agency dropped from an item is reported, not removed (the secretariat
cancels it if that is what was meant). Flushes only: the caller commits.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import update
from sqlmodel import Session, col, select

from dondoc.engine.clock import DEFAULT_DAYS, LocalDays
from dondoc.engine.deadlines import Deadline, DeadlineKind
from dondoc.engine.models import (
    TERMINAL_STATE_VALUES,
    Agency,
    AgencyGroup,
    AgencyGroupMember,
    Assignment,
    CommitteeMember,
    CommitteeRole,
    Event,
    Indicator,
    IndicatorTarget,
    Milestone,
    Plan,
    PlanItem,
    State,
    Succession,
)
from dondoc.engine.models.assignments import RESWEEP
from dondoc.engine.services.assignment_creation import NewAssignment, create_assignments
from dondoc.engine.services.assignment_writes import compare_and_set
from dondoc.engine.services.history_order import refuse_backdating
from dondoc.engine.services.transfer_origins import transfer_origins
from dondoc.engine.workcalendar import WorkCalendar
from dondoc.tasks_catalog.resolved import Catalog, ResolvedIndicator, ResolvedItem, ResolvedMilestone

CATALOG_ACTOR = "catalog"


@dataclass
class SyncReport:
    """What a load did, per kind of row: created / updated counts and readable changes."""

    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    changes: list[str] = field(default_factory=list)
    orphaned: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)

    def to_dict(self) -> dict[str, Any]:
        return {
            "created": dict(self.created),
            "updated": dict(self.updated),
            "changes": self.changes,
            "orphaned": self.orphaned,
        }


def _apply(row: Any, values: dict[str, Any]) -> list[str]:
    """Set the fields that differ; return their names."""
    changed = [name for name, value in values.items() if getattr(row, name) != value]
    for name in changed:
        setattr(row, name, values[name])
    return changed


class _Sync:
    def __init__(
        self, session: Session, catalog: Catalog, now: datetime, calendar: WorkCalendar, local: LocalDays
    ) -> None:
        self.session, self.catalog, self.now, self.calendar = session, catalog, now, calendar
        self.local = local  # due dates end at the end of their day in the configured zone
        self.report = SyncReport()
        self.agency_ids: dict[str, int] = {}
        self.new: list[NewAssignment] = []

    def upsert(self, model: Any, key: dict[str, Any], values: dict[str, Any], label: str) -> Any:
        row = self.session.exec(select(model).filter_by(**key)).first()
        if row is None:
            row = model(**key, **values)
            self.session.add(row)
            self.session.flush()
            self.report.created[model.__tablename__] += 1
            return row
        changed = _apply(row, values)
        if changed:
            self.report.updated[model.__tablename__] += 1
            self.report.changes.append(f"{label}: {', '.join(changed)} changed")
        return row

    # -- directory -----------------------------------------------------------------------
    def directory(self) -> None:
        for code, entry in self.catalog.agencies.items():
            values = entry.model_dump(exclude={"code"})
            self.agency_ids[code] = self.upsert(Agency, {"code": code}, values, f"agency {code}").id
        for code, group in self.catalog.groups.items():
            row = self.upsert(
                AgencyGroup, {"code": code}, {"name": group.name, "aliases": group.aliases}, f"group {code}"
            )
            self._members(row, self.catalog.expanded_groups[code])
        self._committee()
        self._successions()

    def _successions(self) -> None:
        """The catalog's successions, kept as loaded (a changed one is updated; none is deleted)."""
        for entry in self.catalog.successions:
            values: dict[str, Any] = {
                "kind": entry.kind,
                "effective_on": entry.on,
                "from_codes": list(entry.from_),
                "successors": [t.model_dump() for t in entry.to],
                "source": entry.source,
                "confirmed": entry.confirmed,
            }
            row = self.session.exec(select(Succession).where(Succession.key == entry.key)).first()
            if row is None:
                self.session.add(Succession(key=entry.key, loaded_at=self.now, **values))
                self.report.created["succession"] += 1
            elif _apply(row, values):
                self.report.updated["succession"] += 1
                self.report.changes.append(f"succession {entry.key} changed")

    def _members(self, group: AgencyGroup, codes: list[str]) -> None:
        wanted = {self.agency_ids[c] for c in codes}
        rows = self.session.exec(select(AgencyGroupMember).where(AgencyGroupMember.group_id == group.id)).all()
        have = {r.agency_id for r in rows}
        if wanted == have:
            return
        for row in rows:
            if row.agency_id not in wanted:
                self.session.delete(row)
        for agency_id in wanted - have:
            self.session.add(AgencyGroupMember(group_id=group.id or 0, agency_id=agency_id))
        (self.report.updated if have else self.report.created)["agency_group_member"] += len(wanted ^ have)
        if have:
            self.report.changes.append(f"group {group.code}: members changed")

    def _committee(self) -> None:
        committee = self.catalog.committee
        seats = [
            (CommitteeRole.CHAIR.value, committee.chair),
            (CommitteeRole.VICE_CHAIR.value, committee.vice_chair),
            (CommitteeRole.SECRETARIAT.value, committee.secretariat),
            *((seat.role, seat) for seat in committee.roster),
        ]
        wanted = {
            (
                role,
                person.title,
                person.name,
                person.email,
                self.agency_ids.get(person.agency or ""),
                person.valid_from,
                person.valid_to,
            )
            for role, person in seats
        }
        for code in committee.members:
            agency = self.catalog.agencies[code]
            wanted.add(
                (
                    CommitteeRole.MEMBER.value,
                    agency.name,
                    None,
                    agency.email,
                    self.agency_ids[code],
                    agency.valid_from,
                    agency.valid_to,
                )
            )
        rows = self.session.exec(select(CommitteeMember)).all()
        have = {(r.role, r.title, r.name, r.email, r.agency_id, r.valid_from, r.valid_to) for r in rows}
        if wanted == have:
            return
        for row in rows:
            self.session.delete(row)
        self.session.flush()
        for role, title, name, email, agency_id, valid_from, valid_to in sorted(wanted, key=str):
            self.session.add(
                CommitteeMember(
                    role=CommitteeRole(role),
                    title=title,
                    name=name,
                    email=email,
                    agency_id=agency_id,
                    valid_from=valid_from,
                    valid_to=valid_to,
                )
            )
        (self.report.updated if have else self.report.created)["committee_member"] += len(wanted)
        if have:
            self.report.changes.append("committee roster changed")

    # -- plans ---------------------------------------------------------------------------
    def plans(self) -> None:
        for plan in self.catalog.plans:
            meta = plan.meta
            row = self.upsert(Plan, {"number": meta.number}, meta.model_dump(exclude={"number"}), f"plan {meta.number}")
            issued_at = self.local.start_of_day(meta.issued)
            for item in plan.items:
                self._item(row, item, issued_at)

    def _item(self, plan: Plan, item: ResolvedItem, issued_at: datetime) -> None:
        values = {
            "plan_id": plan.id,
            "kind": item.kind,
            "section": item.section,
            "title": item.title,
            "content": item.content,
            "source": item.source,
            "roles_as_written": item.roles_as_written,
            "priority": item.priority,
            "done_at_issue": item.done_at_issue,
            "notes": item.notes,
            "unnamed": [{"role": role, "phrase": phrase} for role, phrase in item.unnamed],
        }
        row = self.upsert(PlanItem, {"code": item.code}, values, f"item {item.code}")
        for milestone in item.milestones:
            self._milestone(row, item, milestone, issued_at)
        for indicator in item.indicators:
            self._indicator(row, indicator)

    def _milestone(
        self, item_row: PlanItem, item: ResolvedItem, milestone: ResolvedMilestone, issued_at: datetime
    ) -> None:
        deadline = milestone.deadline
        due = self._due_date(deadline, item_row)
        values = {
            "label": milestone.label,
            "phrase": deadline.phrase if deadline else None,
            "kind": deadline.kind.value if deadline else "none",
            "start_date": deadline.start if deadline else None,
            "due_date": due,
            "recurrence": deadline.recurrence if deadline else None,
            "condition": deadline.condition if deadline else None,
            "period_code": milestone.period_code,
            "cutoff_start": milestone.cutoff_start,
            "cutoff_end": milestone.cutoff_end,
        }
        existing = self.session.exec(
            select(Milestone).where(Milestone.item_id == item_row.id, Milestone.seq == milestone.seq)
        ).first()
        old_due = existing.due_date if existing else None
        row = self.upsert(
            Milestone, {"item_id": item_row.id, "seq": milestone.seq}, values, f"milestone {item.code}#{milestone.seq}"
        )
        if existing is not None and old_due != due:
            self._move_due(row, old_due, due)
        done = item.done_at_issue or bool(deadline and deadline.done)
        if milestone.period_code and deadline and deadline.start:
            # a period's report is owed from the period's start, not from the plan's issue
            issued_at = max(issued_at, self.local.start_of_day(deadline.start))
        self._assignments(row, item, item.roles_on(milestone), issued_at, done)

    def _due_date(self, deadline: Deadline | None, item_row: PlanItem) -> date | None:
        """The date the text sets; recurring work with no span is due at the end of the plan year."""
        if deadline is None:
            return None
        if deadline.kind is DeadlineKind.RECURRING and deadline.due is None:
            plan = self.session.get(Plan, item_row.plan_id)
            return date(plan.year, 12, 31) if plan else None
        return deadline.due

    def _effective_due_at(self, due: date | None) -> datetime | None:
        return self.local.end_of_day(self.calendar.effective_due(due)) if due else None

    def _move_due(self, milestone: Milestone, old: date | None, new: date | None) -> None:
        """The catalog moved a date: follow it, except where an extension was granted."""
        old_at, new_at = self._effective_due_at(old), self._effective_due_at(new)
        rows = self.session.exec(select(Assignment).where(Assignment.milestone_id == milestone.id)).all()
        for assignment in rows:
            if assignment.due_at != old_at:
                continue  # extended or set by the secretariat: theirs wins
            compare_and_set(self.session, assignment, {"due_at": new_at, "original_due_at": new_at})
            self._event(
                assignment,
                "catalog_due_changed",
                assignment.state,
                {
                    "from_due": old_at.isoformat() if old_at else None,
                    "to_due": new_at.isoformat() if new_at else None,
                },
            )
            self.report.updated["assignment"] += 1

    def _assignments(
        self, milestone: Milestone, item: ResolvedItem, roles: dict[str, str], issued_at: datetime, done: bool
    ) -> None:
        rows = self.session.exec(select(Assignment).where(Assignment.milestone_id == milestone.id)).all()
        origins = transfer_origins(self.session, [row.id for row in rows if row.id is not None])
        # an assignment passed to a successor is still the one the catalog names for its origin
        existing = {origins.get(row.id or 0, row.agency_id): row for row in rows}
        due_at = self._effective_due_at(milestone.due_date)
        for code, role in roles.items():
            agency_id = self.agency_ids[code]
            row = existing.pop(agency_id, None)
            if row is not None:
                if row.role != role:
                    self._event(row, "catalog_role_changed", row.state, {"from_role": row.role, "to_role": role})
                    compare_and_set(self.session, row, {"role": role})
                    self.report.updated["assignment"] += 1
                continue
            self._create_assignment(milestone, agency_id, role, due_at, issued_at, done)
        named = _named_by_secretariat(self.session, [row.id for row in existing.values() if row.id is not None])
        for row in existing.values():
            if row.id in named:
                continue  # named by the secretariat for a phrase that names nobody: theirs, not the catalog's
            self.report.orphaned.append(f"assignment {row.id} ({item.code}#{milestone.seq}) no longer in the catalog")

    # -- the same work in two documents ---------------------------------------------------
    def same_work(self) -> None:
        """Bring each assignment whose milestone is the same work as done work of another plan to done.

        Per agency: an agency's assignment follows its own assignments on the linked items, when all
        of them are verified; an agency absent from a linked item is left as it is. Repeated until
        nothing moves, so a chain of links settles in one load; a second load finds nothing to do.
        """
        linked = [(item, m) for plan in self.catalog.plans for item in plan.items for m in item.milestones]
        linked = [(item, m) for item, m in linked if m.same_work_as]
        for _ in range(len(linked) + 1):
            if not [moved for item, m in linked if (moved := self._follow(item, m))]:
                return

    def _follow(self, item: ResolvedItem, milestone: ResolvedMilestone) -> bool:
        row = self.session.exec(
            select(Milestone)
            .join(PlanItem, col(Milestone.item_id) == col(PlanItem.id))
            .where(PlanItem.code == item.code, Milestone.seq == milestone.seq)
        ).one()
        moved = False
        for code in item.roles_on(milestone):
            agency_id = self.agency_ids[code]
            assignment = self.session.exec(
                select(Assignment).where(Assignment.milestone_id == row.id, Assignment.agency_id == agency_id)
            ).first()
            if assignment is None or assignment.state in TERMINAL_STATE_VALUES:
                continue
            done = self._done_work(milestone.same_work_as, agency_id)
            if done:
                self._close_as_same_work(assignment, item, milestone, code, done)
                moved = True
        return moved

    def _done_work(self, codes: tuple[str, ...], agency_id: int) -> list[Assignment]:
        """The agency's assignments on the items ``codes`` (those it is named on), if it has some and
        all of them are verified; else none. A cancelled one is not done work: nothing follows it."""
        rows = self.session.exec(
            select(Assignment)
            .join(Milestone, col(Assignment.milestone_id) == col(Milestone.id))
            .join(PlanItem, col(Milestone.item_id) == col(PlanItem.id))
            .where(col(PlanItem.code).in_(codes), Assignment.agency_id == agency_id)
            .order_by(col(Assignment.id))
        ).all()
        if not rows or any(r.state != State.VERIFIED for r in rows):
            return []
        return list(rows)

    def _close_as_same_work(
        self,
        assignment: Assignment,
        item: ResolvedItem,
        milestone: ResolvedMilestone,
        agency: str,
        done: list[Assignment],
    ) -> None:
        """Verified at the linked work's time (never later than it was done): the event is now, the times are theirs."""
        verified_at = max(r.verified_at or r.reported_at or self.now for r in done)
        reported_at = max(r.reported_at or r.verified_at or self.now for r in done)
        on_time = assignment.due_at is None or reported_at <= assignment.due_at
        codes = ", ".join(milestone.same_work_as)
        self.session.add(
            Event(
                assignment_id=assignment.id or 0,
                at=self.now,
                actor=CATALOG_ACTOR,
                action="catalog_same_work",
                from_state=assignment.state,
                to_state=State.VERIFIED.value,
                comment=f"Cùng một nhiệm vụ với {codes} (đã hoàn thành, đã xác nhận): trạng thái theo nhiệm vụ đó.",
                data={
                    "same_work_as": list(milestone.same_work_as),
                    "linked_assignments": [r.id for r in done],
                    "done_at": reported_at.isoformat(),
                    "on_time": on_time,
                },
            )
        )
        compare_and_set(
            self.session,
            assignment,
            {"state": State.VERIFIED, "reported_at": reported_at, "verified_at": verified_at, "progress": 100},
        )
        self.report.updated["assignment"] += 1
        self.report.changes.append(
            f"assignment {assignment.id} ({item.code}#{milestone.seq}, {agency}): same work as {codes}, verified"
        )

    def _create_assignment(
        self, milestone: Milestone, agency_id: int, role: str, due_at: datetime | None, issued_at: datetime, done: bool
    ) -> None:
        """Queued: the load creates every new assignment at once (create_new), in this order."""
        self.new.append(NewAssignment(milestone.id or 0, agency_id, role, due_at, issued_at, done))
        self.report.created["assignment"] += 1

    def create_new(self) -> None:
        create_assignments(self.session, self.new, now=self.now, actor=CATALOG_ACTOR)
        self.new.clear()

    def _event(self, assignment: Assignment, action: str, to_state: str, data: dict[str, Any], **kw: Any) -> None:
        refuse_backdating(self.session, assignment.id or 0, self.now)
        self.session.add(
            Event(
                assignment_id=assignment.id or 0,
                at=self.now,
                actor=CATALOG_ACTOR,
                action=action,
                from_state=kw.get("from_state", assignment.state),
                to_state=to_state,
                data=data,
            )
        )

    def _indicator(self, item_row: PlanItem, indicator: ResolvedIndicator) -> None:
        entry = indicator.entry
        low, high = entry.target_range or (None, None)
        values = {
            "name": entry.name,
            "unit": entry.unit,
            "comparison": entry.comparison,
            "target": entry.target,
            "target_min": low,
            "target_max": high,
        }
        row = self.upsert(Indicator, {"item_id": item_row.id, "code": entry.code}, values, f"indicator {entry.code}")
        wanted = {
            (self.agency_ids[agency], scope, target, *(rng or (None, None)))
            for agency, scope, target, rng in indicator.targets
        }
        rows = self.session.exec(select(IndicatorTarget).where(IndicatorTarget.indicator_id == row.id)).all()
        have = {(r.agency_id, r.scope, r.target, r.target_min, r.target_max) for r in rows}
        if wanted == have:
            return
        for target_row in rows:
            self.session.delete(target_row)
        self.session.flush()
        for agency_id, scope, target, low, high in wanted:
            self.session.add(
                IndicatorTarget(
                    indicator_id=row.id,
                    agency_id=agency_id,
                    scope=scope,
                    target=target,
                    target_min=low,
                    target_max=high,
                )
            )
        (self.report.updated if have else self.report.created)["indicator_target"] += len(wanted)


def _named_by_secretariat(session: Session, assignment_ids: list[int]) -> set[int]:
    """The assignments among ``assignment_ids`` that someone other than the catalog created."""
    if not assignment_ids:
        return set()
    rows = session.exec(
        select(Event.assignment_id).where(
            col(Event.assignment_id).in_(assignment_ids),
            col(Event.action).in_(("assign", "import_done")),
            Event.actor != CATALOG_ACTOR,
        )
    )
    return set(rows)


def sync_catalog(
    session: Session, catalog: Catalog, *, now: datetime, calendar: WorkCalendar, local: LocalDays = DEFAULT_DAYS
) -> SyncReport:
    """Make the database hold ``catalog``; see the module docstring for what is kept.
    Dates are days of ``local`` (the configured zone)."""
    sync = _Sync(session, catalog, now, calendar, local)
    sync.directory()
    sync.plans()
    sync.create_new()
    session.flush()
    sync.same_work()
    session.flush()
    if sync.report.changed:
        # Priority, start dates, leads or the roster may have changed (or arrived) under rows
        # the sweep has scheduled: it judges every unfinished assignment again in its next pass.
        # Only the sweep's schedule is reset here, no field a person edits: the version stays, so
        # nobody's open form turns stale (the one place that writes assignments without compare_and_set).
        session.execute(
            update(Assignment)
            .where(col(Assignment.state).not_in(TERMINAL_STATE_VALUES), col(Assignment.next_sweep_at) > RESWEEP)
            .values(next_sweep_at=RESWEEP)
        )
    return sync.report
