"""Apply a validated catalog to the database: create what is new, update wording, keep state.

Loading the same catalog twice changes nothing. A changed catalog updates texts, adds
items, milestones and assignments, and never deletes an assignment or touches its state
or history; an agency dropped from an item is reported, not removed (the secretariat
cancels it if that is what was meant). Flushes only: the caller commits.

Written in bulk (engine.services.catalog_rows, engine.services.assignment_creation): a kind of row
costs a read of its table and one INSERT and one UPDATE statement, not a SELECT and a flush per
row. Those writes go past the session's objects, so a load that changed something expires them.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from typing import Any

from sqlalchemy import Table, bindparam, update
from sqlalchemy import select as core_select
from sqlmodel import Session, col, select

from dondoc.engine.clock import DEFAULT_DAYS, LocalDays
from dondoc.engine.db import INT_MAX, id_batches
from dondoc.engine.deadlines import Deadline, DeadlineKind
from dondoc.engine.errors import InvalidInput
from dondoc.engine.models import (
    PLAN_BLOCK,
    TERMINAL_STATE_VALUES,
    Agency,
    AgencyGroup,
    AgencyGroupMember,
    AgencyTransfer,
    Assignment,
    CommitteeMember,
    CommitteeRole,
    Event,
    Indicator,
    IndicatorTarget,
    Milestone,
    Plan,
    PlanItem,
    Succession,
)
from dondoc.engine.models.assignments import RESWEEP, State
from dondoc.engine.models.plans import LATEST_FIRST
from dondoc.engine.services import catalog_words as words
from dondoc.engine.services.assignment_creation import NewAssignment, create_assignments
from dondoc.engine.services.assignment_writes import compare_and_set
from dondoc.engine.services.catalog_rows import Key, Upserted, delete_ids, insert_rows, upsert_rows
from dondoc.engine.services.ended_names import forget_ended_names
from dondoc.engine.services.history_order import refuse_backdating
from dondoc.engine.services.same_work import ACTION as SAME_WORK
from dondoc.engine.services.same_work import last_state_actions, settle, store_links, windows
from dondoc.engine.services.step_log import record
from dondoc.engine.services.successions import Part, close_waiting, standing_in_the_way
from dondoc.engine.textfold import agency_search_text, item_search_text
from dondoc.engine.vi_format import shown_code, vn_date
from dondoc.engine.workcalendar import WorkCalendar
from dondoc.tasks_catalog.conventions import convention_label
from dondoc.tasks_catalog.membership import as_of
from dondoc.tasks_catalog.places import text_places
from dondoc.tasks_catalog.resolved import Catalog, ResolvedItem, ResolvedMilestone, ResolvedPlan

CATALOG_ACTOR = "catalog"


@dataclass
class SyncReport:
    """What a load did, per kind of row: created / updated counts, and the changes and the orphaned
    assignments as the secretariat reads them (engine.services.catalog_words: Vietnamese lines)."""

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


_AGENCY: Table = Agency.__table__  # type: ignore[attr-defined]
_GROUP: Table = AgencyGroup.__table__  # type: ignore[attr-defined]
_MEMBER: Table = AgencyGroupMember.__table__  # type: ignore[attr-defined]
_COMMITTEE: Table = CommitteeMember.__table__  # type: ignore[attr-defined]
_SUCCESSION: Table = Succession.__table__  # type: ignore[attr-defined]
_PLAN: Table = Plan.__table__  # type: ignore[attr-defined]
_ITEM: Table = PlanItem.__table__  # type: ignore[attr-defined]
_MILESTONE: Table = Milestone.__table__  # type: ignore[attr-defined]
_INDICATOR: Table = Indicator.__table__  # type: ignore[attr-defined]
_TARGET: Table = IndicatorTarget.__table__  # type: ignore[attr-defined]
_ASSIGNMENT: Table = Assignment.__table__  # type: ignore[attr-defined]
_TRANSFER: Table = AgencyTransfer.__table__  # type: ignore[attr-defined]


class _Sync:
    """Each kind of row in bulk (engine.services.catalog_rows): one read of the table, one INSERT
    of what is new, one UPDATE of what changed; new rows get the ids the catalog's order gives."""

    def __init__(
        self, session: Session, catalog: Catalog, now: datetime, calendar: WorkCalendar, local: LocalDays
    ) -> None:
        self.session, self.catalog, self.now, self.calendar = session, catalog, now, calendar
        self.local = local  # due dates end at the end of their day in the configured zone
        self.report = SyncReport()
        self.agency_ids: dict[str, int] = {}
        self.milestone_ids: dict[tuple[str, int], int] = {}
        self.new: list[NewAssignment] = []
        session.flush()  # anything pending goes first: the rest is written on the connection
        self.connection = session.connection()

    def upsert(
        self,
        table: Table,
        keys: tuple[str, ...],
        wanted: list[tuple[Key, dict[str, Any]]],
        label: Callable[[Key], str],
        **kw: Any,
    ) -> Upserted:
        """Bulk upsert (catalog_rows.upsert_rows); counts and reports what it created and changed
        (``label``: the row as the secretariat knows it, catalog_words)."""
        done = upsert_rows(self.connection, table, keys, wanted, **kw)
        if done.created:
            self.report.created[table.name] += len(done.created)
        new = dict(wanted)
        for key, old in done.changed.items():
            self.report.updated[table.name] += 1
            self.report.changes.append(words.changed(label(key), words.field_words(table.name, old, new[key])))
        return done

    # -- directory -----------------------------------------------------------------------
    def directory(self) -> None:
        agencies = self.upsert(
            _AGENCY,
            ("code",),
            [((code,), entry.model_dump(exclude={"code", "part_of"})) for code, entry in self.catalog.agencies.items()],
            lambda key: words.agency_row(self.catalog.agencies[key[0]].short, key[0]),
            derived=lambda key, v: {
                "search_text": agency_search_text(key[0], v["name"], v["short"], v.get("aliases") or ())
            },
        )
        self.agency_ids = {code: agencies.ids[(code,)] for code in self.catalog.agencies}
        groups = self.upsert(
            _GROUP,
            ("code",),
            [((code,), {"name": g.name, "aliases": g.aliases}) for code, g in self.catalog.groups.items()],
            lambda key: words.group_row(self.catalog.groups[key[0]].name, key[0]),
        )
        self._members({code: groups.ids[(code,)] for code in self.catalog.groups})
        self._committee()
        self._successions()

    def _successions(self) -> None:
        """The catalog's successions, kept as loaded (a changed one is updated; none is deleted)."""
        wanted: list[tuple[Key, dict[str, Any]]] = [
            (
                (entry.key,),
                {
                    "kind": entry.kind,
                    "effective_on": entry.on,
                    "from_codes": list(entry.from_),
                    "successors": [t.model_dump() for t in entry.to],
                    "source": entry.source,
                    "confirmed": entry.confirmed,
                },
            )
            for entry in self.catalog.successions
        ]
        self.upsert(
            _SUCCESSION, ("key",), wanted, lambda key: words.succession_row(key[0]), on_insert={"loaded_at": self.now}
        )

    def _members(self, group_ids: dict[str, int]) -> None:
        have: dict[int, dict[int, int]] = defaultdict(dict)  # group id -> agency id -> row id
        for row_id, group_id, agency_id in self.connection.execute(
            select(_MEMBER.c.id, _MEMBER.c.group_id, _MEMBER.c.agency_id)
        ):
            have[group_id][agency_id] = row_id
        gone: list[int] = []
        added: list[dict[str, int]] = []
        for code, group_id in group_ids.items():
            wanted = {self.agency_ids[c] for c in self.catalog.expanded_groups[code]}
            rows = have.get(group_id, {})
            if wanted == set(rows):
                continue
            gone += [row_id for agency_id, row_id in rows.items() if agency_id not in wanted]
            added += [{"group_id": group_id, "agency_id": a} for a in sorted(wanted - set(rows))]
            (self.report.updated if rows else self.report.created)["agency_group_member"] += len(wanted ^ set(rows))
            if rows:
                group = words.group_row(self.catalog.groups[code].name, code)
                self.report.changes.append(words.changed(group, [words.FIELDS_VI["agency_group"]["members"]]))
        delete_ids(self.connection, _MEMBER, gone)
        insert_rows(self.connection, _MEMBER, added)

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
        columns = ("role", "title", "name", "email", "agency_id", "valid_from", "valid_to")
        rows = self.connection.execute(select(_COMMITTEE.c.id, *(_COMMITTEE.c[c] for c in columns))).all()
        have = {tuple(r[1:]) for r in rows}
        if wanted == have:
            return
        delete_ids(self.connection, _COMMITTEE, [r.id for r in rows])
        insert_rows(
            self.connection, _COMMITTEE, [dict(zip(columns, seat, strict=True)) for seat in sorted(wanted, key=str)]
        )
        (self.report.updated if have else self.report.created)["committee_member"] += len(wanted)
        if have:
            roster = words.FIELDS_VI["committee_member"]["roster"]
            self.report.changes.append(words.changed(words.COMMITTEE_ROW, [roster]))

    # -- plans ---------------------------------------------------------------------------
    def plans(self) -> None:
        """Plans, then their items, milestones and indicators (each kind in one go), then the assignments."""
        plans = self.catalog.plans
        plan_ids = self.upsert(
            _PLAN,
            ("number",),
            [((p.meta.number,), p.meta.model_dump(exclude={"number"})) for p in plans],
            lambda key: words.plan_row(key[0]),
        ).ids
        items = [(plan, item) for plan in plans for item in plan.items]
        upserted = self.upsert(
            _ITEM,
            ("code",),
            [((item.code,), _item_values(plan_ids[(plan.meta.number,)], item)) for plan, item in items],
            lambda key: words.item_row(key[0]),
            derived=lambda key, v: {"search_text": item_search_text(key[0], v["title"])},
        )
        item_ids = upserted.ids
        self._positions(plans, {code for (code,) in upserted.created})
        milestones = [(plan, item, m) for plan, item in items for m in item.milestones]
        wanted = [
            ((item_ids[(item.code,)], m.seq), self._milestone_values(m, plan.meta.year, plan.meta.issued))
            for plan, item, m in milestones
        ]
        codes = {item_ids[(item.code,)]: item.code for _, item in items}
        done = self.upsert(
            _MILESTONE, ("item_id", "seq"), wanted, lambda key: words.milestone_row(codes[key[0]], key[1])
        )
        for key, values in wanted:
            if "due_date" in done.changed.get(key, {}):
                self._move_due(done.ids[key], done.changed[key]["due_date"], values["due_date"])
        self.milestone_ids = {
            (item.code, m.seq): done.ids[(item_ids[(item.code,)], m.seq)] for _, item, m in milestones
        }
        self._indicators([(item_ids[(item.code,)], item) for _, item in items])
        self._links(milestones)
        self._assignments(milestones)

    def _positions(self, plans: list[ResolvedPlan], new: set[str]) -> None:
        """Every item's position (engine.models.ITEM_ORDER): its plan's rank in LATEST_FIRST × PLAN_BLOCK
        plus its place in the plan's text (tasks_catalog.places; a plan no longer in the catalog keeps
        its items' order), written where it differs. Not a change of any item: a plan some of whose
        items (of those loaded before, ``new`` aside) now stand in another order among themselves is
        reported in one line, their content unchanged; a plan's new rank alone is not reported."""
        placed = {code: place for plan in plans for code, place in text_places(plan).items()}
        in_order = self.connection.execute(core_select(_PLAN.c.id, _PLAN.c.number).order_by(*LATEST_FIRST)).all()
        ranks = {plan.id: rank for rank, plan in enumerate(in_order, start=1)}
        numbers = {plan.id: plan.number for plan in in_order}
        rows = self.connection.execute(core_select(_ITEM.c.id, _ITEM.c.code, _ITEM.c.plan_id, _ITEM.c.position)).all()
        by_plan: dict[int, list[Any]] = {}
        for row in sorted(rows, key=lambda r: (r.position, r.code)):  # each plan's items in their order so far
            by_plan.setdefault(row.plan_id, []).append(row)
        if (len(ranks) + 1) * PLAN_BLOCK > INT_MAX or any(len(held) >= PLAN_BLOCK for held in by_plan.values()):
            raise InvalidInput(
                f"không xếp được thứ tự nhiệm vụ: tối đa {PLAN_BLOCK - 1} nhiệm vụ một văn bản,"
                f" {INT_MAX // PLAN_BLOCK - 1} văn bản"
            )
        moves = []
        for plan_id, held in by_plan.items():
            # a plan no longer in the catalog: its items as they stood, after any the catalog places
            place = {row.code: placed.get(row.code, len(held) + n) for n, row in enumerate(held, 1)}
            ordered = sorted(held, key=lambda r: place[r.code])
            moves += [
                {"item_id": row.id, "position": ranks[plan_id] * PLAN_BLOCK + n}
                for n, row in enumerate(ordered, 1)
                if row.position != ranks[plan_id] * PLAN_BLOCK + n
            ]
            before = [row.code for row in held if row.code not in new]
            after = [row.code for row in ordered if row.code not in new]
            moved = sum(a != b for a, b in zip(before, after, strict=True))
            if moved:
                self.report.updated["plan"] += 1
                self.report.changes.append(words.reordered(numbers[plan_id], moved))
        if moves:
            self.connection.execute(
                update(_ITEM).where(_ITEM.c.id == bindparam("item_id")).values(position=bindparam("position")), moves
            )

    def _milestone_values(self, milestone: ResolvedMilestone, year: int, issued: date) -> dict[str, Any]:
        deadline = milestone.deadline
        # the plan year's end, given periodic work with no span, is no document's date: the
        # secretariat's, marked as the conventions' are (tasks_catalog.conventions), and kept from the
        # leaders by the same rule (policy.withheld_why)
        year_end = _year_end_default(deadline)
        return {
            "label": convention_label(milestone.label or f"Năm {year}") if year_end else milestone.label,
            "phrase": deadline.phrase if deadline else None,
            "kind": deadline.kind.value if deadline else "none",
            "start_date": _start_date(deadline, issued),
            "due_date": _due_date(deadline, year),
            "recurrence": deadline.recurrence if deadline else None,
            "condition": deadline.condition if deadline else None,
            "period_code": milestone.period_code,
            "cutoff_start": milestone.cutoff_start,
            "cutoff_end": milestone.cutoff_end,
            "priority": milestone.priority,
            "due_by_convention": milestone.due_by_convention or year_end,
        }

    def _effective_due_at(self, due: date | None) -> datetime | None:
        return self.local.end_of_day(self.calendar.effective_due(due)) if due else None

    def _move_due(self, milestone_id: int, old: date | None, new: date | None) -> None:
        """The catalog moved a date: follow it, except where an extension was granted."""
        old_at, new_at = self._effective_due_at(old), self._effective_due_at(new)
        rows = self.session.exec(select(Assignment).where(Assignment.milestone_id == milestone_id)).all()
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

    def _assignments(self, milestones: list[tuple[ResolvedPlan, ResolvedItem, ResolvedMilestone]]) -> None:
        """Queue the assignments the catalog names and nobody holds yet (create_new writes them, in
        this order); follow a changed role; report the ones the catalog no longer names."""
        ids = set(self.milestone_ids.values())
        held: dict[int, list[tuple[int, int, str]]] = defaultdict(list)  # milestone id -> (id, agency, role)
        marks: dict[int, tuple[str | None, bool, bool]] = {}  # id -> (inferred group, confirmed, open)
        for row_id, milestone_id, agency_id, role, group, confirmed, state in self.connection.execute(
            core_select(
                _ASSIGNMENT.c.id,
                _ASSIGNMENT.c.milestone_id,
                _ASSIGNMENT.c.agency_id,
                _ASSIGNMENT.c.role,
                _ASSIGNMENT.c.inferred_group,
                _ASSIGNMENT.c.membership_confirmed_at,
                _ASSIGNMENT.c.state,
            ).order_by(_ASSIGNMENT.c.id)
        ):
            if milestone_id in ids:
                held[milestone_id].append((row_id, agency_id, role))
                marks[row_id] = (group, confirmed is not None, state not in TERMINAL_STATE_VALUES)
        origins: dict[int, int] = {}  # the agency an assignment was with before its first transfer
        if held:
            for assignment_id, agency_id in self.connection.execute(
                select(_TRANSFER.c.assignment_id, _TRANSFER.c.from_agency_id).order_by(_TRANSFER.c.id)
            ):
                origins.setdefault(assignment_id, agency_id)
        left: list[tuple[int, str]] = []  # (assignment id, as said) of the bodies no longer named
        for plan, item, milestone in milestones:
            milestone_id = self.milestone_ids[(item.code, milestone.seq)]
            rows = held[milestone_id]
            roles = item.roles_on(milestone)
            wanted = {self.agency_ids[code]: role for code, role in roles.items()}
            # a body the catalog names in the role it holds is that row, whoever held it first (a
            # catalog edited after a succession names the successor); an assignment passed to a
            # successor is still the one the catalog names for its origin
            exact = {agency_id: (row_id, role) for row_id, agency_id, role in rows if wanted.get(agency_id) == role}
            existing = {
                origins.get(row_id, agency_id): (row_id, role)
                for row_id, agency_id, role in rows
                if (row_id, role) not in exact.values()
            }
            holding = {(agency_id, role): row_id for row_id, agency_id, role in rows}
            issued_at = self.local.start_of_day(plan.meta.issued)
            deadline = milestone.deadline
            if milestone.period_code and deadline and deadline.start:
                # a period's report is owed from the period's start, not from the plan's issue
                issued_at = max(issued_at, self.local.start_of_day(deadline.start))
            done = item.done_at_issue or bool(deadline and deadline.done)
            issue = self._issue(milestone)  # the work is a loaded plan's issue: done on its day
            done = done or issue is not None
            due_at = self._effective_due_at(_due_date(deadline, plan.meta.year))
            # done in a period the text names ("Tháng 02/2022 (đã hoàn thành)"): from its first day
            done_from = self.local.start_of_day(deadline.start) if done and deadline and deadline.start else None
            for code, role in roles.items():
                agency_id = self.agency_ids[code]
                found = exact.get(agency_id) or existing.pop(agency_id, None)
                if found is None and self._born_ended(code, role, roles, as_of(deadline, plan.meta.issued)):
                    continue
                inferred = None if done else milestone.inferred.get(code)
                if found is None:
                    self.new.append(
                        NewAssignment(
                            milestone_id,
                            agency_id,
                            role,
                            due_at,
                            issued_at,
                            done,
                            inferred,
                            done_from,
                            done_at=issue[0] if issue else None,
                            comment=issue[1] if issue else None,
                        )
                    )
                    self.report.created["assignment"] += 1
                    continue
                if found[1] == role:
                    self._follow_inference(found[0], inferred, marks[found[0]])
                else:
                    row = self.session.get_one(Assignment, found[0])
                    other = holding.get((row.agency_id, role))
                    if other is not None:  # the body holds that role already (one part per role): left as is
                        said = words.assignment_row(found[0], item.code, milestone.seq, self._bodies[agency_id])
                        self.report.orphaned.append(words.role_taken(said, role, other, row.role))
                        continue
                    self._event(row, "catalog_role_changed", row.state, {"from_role": row.role, "to_role": role})
                    compare_and_set(self.session, row, {"role": role})
                    holding[(row.agency_id, role)] = row.id or 0
                    self.report.updated["assignment"] += 1
                    self._follow_inference(found[0], inferred, marks[found[0]])
            left += [
                (row_id, words.assignment_row(row_id, item.code, milestone.seq, self._bodies[origin]))
                for origin, (row_id, _) in existing.items()
            ]
        named = _named_by_secretariat(self.session, [row_id for row_id, _ in left])
        for row_id, said in left:
            if row_id in named:
                continue  # named by the secretariat for a phrase that names nobody: theirs, not the catalog's
            self.report.orphaned.append(words.no_longer_named(said))

    def _issue(self, milestone: ResolvedMilestone) -> tuple[datetime, str, str] | None:
        """The milestone's work done on the issue day of the plan ``done_by_issue_of`` names, when this
        load holds that plan and its day has come: (that day's first instant, what says so, the number).
        A replay loads each plan on its issue day: until then the work is owed."""
        number = milestone.done_by_issue_of
        meta = next((p.meta for p in self.catalog.plans if p.meta.number == number), None)
        if meta is None or self.local.start_of_day(meta.issued) > self.now:
            return None
        day = vn_date(meta.issued)
        said = (
            f"Văn bản {shown_code(meta.number)}, ban hành ngày {day} ({meta.title}), "
            f"là việc mốc này yêu cầu: hoàn thành ngày {day}."
        )
        return self.local.start_of_day(meta.issued), said, meta.number

    def done_by_issue(self) -> None:
        """Each part of a milestone whose work is a loaded plan's issue (``done_by_issue_of``) stands
        verified at that day, by an event now: open or reported work (the issue verifies it), and work
        the catalog had recorded done otherwise (following the same work's window, in a database
        loaded before the catalog said so). A part the secretariat verified, or cancelled, is theirs."""
        for _, item, milestone in self._milestones_done_by_issue():
            issue = self._issue(milestone)
            if issue is None:
                continue
            at, said, number = issue
            rows = self.session.exec(
                select(Assignment)
                .where(Assignment.milestone_id == self.milestone_ids[(item.code, milestone.seq)])
                .order_by(col(Assignment.id))
            ).all()
            by_catalog = _done_by_catalog(self.session, [r.id or 0 for r in rows if r.state == State.VERIFIED.value])
            for row in rows:
                if row.state == State.CANCELLED.value:
                    continue
                if row.state == State.VERIFIED.value and (
                    row.id not in by_catalog or (row.reported_at == at and row.done_from is None)
                ):
                    continue
                data = {"done_by_issue_of": number, "done_at": at.isoformat()}
                self._event(row, DONE_BY_ISSUE, State.VERIFIED.value, data, comment=said)
                record(self.session, row.id or 0, DONE_BY_ISSUE, State.VERIFIED.value, said)
                changes = {"reported_at": at, "verified_at": at, "done_from": None, "progress": 100}
                compare_and_set(self.session, row, {"state": State.VERIFIED.value, **changes})
                close_waiting(self.session, row.id or 0, decided_by=CATALOG_ACTOR, now=self.now)
                self.report.updated["assignment"] += 1
                bodies = words.assignment_row(row.id or 0, item.code, milestone.seq, self._bodies[row.agency_id])
                self.report.changes.append(words.done_by_issue(bodies, number, vn_date(at)))

    def _milestones_done_by_issue(self) -> list[tuple[ResolvedPlan, ResolvedItem, ResolvedMilestone]]:
        return [
            (plan, item, m)
            for plan in self.catalog.plans
            for item in plan.items
            for m in item.milestones
            if m.done_by_issue_of is not None
        ]

    def _follow_inference(self, row_id: int, inferred: str | None, mark: tuple[str | None, bool, bool]) -> None:
        """An open part made before the catalog marked its group inferred is marked now (it was never
        confirmed: nothing cleared a mark it never had); one the catalog now names surely (the list
        narrowed to the decision's own, or the body named) is confirmed by the catalog. Each with its event."""
        group, confirmed, open_ = mark
        if not open_ or confirmed or (group is None) == (inferred is None):
            return
        row = self.session.get_one(Assignment, row_id)
        if inferred is not None:
            self._event(row, "catalog_membership_inferred", row.state, {"group": inferred})
            compare_and_set(self.session, row, {"inferred_group": inferred})
        else:
            self._event(row, "catalog_membership_confirmed", row.state, {"group": group})
            compare_and_set(self.session, row, {"membership_confirmed_at": self.now})
        self.report.updated["assignment"] += 1

    def _born_ended(self, code: str, role: str, named: dict[str, str], day: date) -> bool:
        """Whether a part for ``code`` in ``role`` on a milestone dated ``day`` would be born already
        passed on: the body had ended before this load (a succession, or its own end, recorded before
        today) and before ``day``, and every successor of it already holds that share by the same
        milestone, so that the succession would only queue the part as their duplicate
        (successions.standing_in_the_way: a part other than a lead's does not pass to a body holding
        one; a lead's passes to any body holding no lead). Such a part is not made: a 2019 plan's
        "UBND các huyện" loaded in 2022, after Tây Trà's merger into Trà Bồng (01/02/2020) was
        recorded, made 74 parts for Tây Trà due up to 2025, each then waiting as a duplicate of Trà
        Bồng's own. A lead's part whose successor is named only as a partner is made, and waits for
        the secretariat to name who leads (the milestone keeps its lead); a body that ended after the
        load keeps the parts made while it existed."""
        ended = self.catalog.agencies[code].valid_to
        if ended is None or ended >= min(day, self.local.local_date(self.now)):
            return False
        successors = self._successors.get(code, set())
        return bool(successors) and all(s in named and self._in_the_way(named[s], role) for s in successors)

    @staticmethod
    def _in_the_way(held: str, role: str) -> bool:
        """Whether a body this load gives a part in ``held`` would refuse one more in ``role``: a
        duplicate the succession would queue (successions.standing_in_the_way, the one rule)."""
        return standing_in_the_way([Part(0, held, State.ASSIGNED.value)], role, other_leads=True).refused is not None

    @cached_property
    def _bodies(self) -> dict[int, str]:
        """agency id -> the body as the report names it (catalog_words.body), as this load left the directory."""
        rows = self.connection.execute(core_select(_AGENCY.c.id, _AGENCY.c.short, _AGENCY.c.code))
        return {agency_id: words.body(short, code) for agency_id, short, code in rows}

    @cached_property
    def _successors(self) -> dict[str, set[str]]:
        """agency -> the bodies its successions name as taking its work (none for a dissolution)."""
        found: dict[str, set[str]] = defaultdict(set)
        for entry in self.catalog.successions:
            for old in entry.from_:
                found[old] |= {to.agency for to in entry.to}
        return found

    def _indicators(self, items: list[tuple[int, ResolvedItem]]) -> None:
        wanted: list[tuple[Key, dict[str, Any]]] = []
        for item_id, item in items:
            for indicator in item.indicators:
                entry = indicator.entry
                low, high = entry.target_range or (None, None)
                values = {
                    "name": entry.name,
                    "unit": entry.unit,
                    "comparison": entry.comparison,
                    "target": entry.target,
                    "target_min": low,
                    "target_max": high,
                    "milestone_seq": entry.milestone,
                }
                wanted.append(((item_id, entry.code), values))
        codes = {item_id: item.code for item_id, item in items}
        done = self.upsert(
            _INDICATOR, ("item_id", "code"), wanted, lambda key: words.indicator_row(codes[key[0]], key[1])
        )
        ids = done.ids
        columns = ("agency_id", "scope", "target", "target_min", "target_max")
        have: dict[int, list[Any]] = defaultdict(list)
        for row in self.connection.execute(
            select(_TARGET.c.id, _TARGET.c.indicator_id, *(_TARGET.c[c] for c in columns))
        ):
            have[row.indicator_id].append(row)
        gone: list[int] = []
        added: list[dict[str, Any]] = []
        for item_id, item in items:
            for indicator in item.indicators:
                indicator_id = ids[(item_id, indicator.entry.code)]
                targets = {
                    (self.agency_ids[agency], scope, target, *(rng or (None, None)))
                    for agency, scope, target, rng in indicator.targets
                }
                rows = have.get(indicator_id, [])
                before = {tuple(r[2:]) for r in rows}
                if targets == before:
                    continue
                gone += [r.id for r in rows]
                added += [
                    dict(zip(columns, t, strict=True)) | {"indicator_id": indicator_id}
                    for t in sorted(targets, key=str)
                ]
                (self.report.updated if before else self.report.created)["indicator_target"] += len(targets)
        delete_ids(self.connection, _TARGET, gone)
        insert_rows(self.connection, _TARGET, added)
        self._same_targets(items, ids, new={ids[key] for key in done.created})

    def _same_targets(self, items: list[tuple[int, ResolvedItem]], ids: dict[Key, int], new: set[int]) -> None:
        """Each indicator's ``same_as`` and ``same_measure_as`` as the id of the indicator it names
        (validated at load: of another plan, in this catalog); an indicator whose link was removed loses it.
        An indicator this load ``new``ly created is counted as created, not as updated: on a fresh
        database ``init`` had listed a dozen "changed" links and "cập nhật 12 chỉ tiêu"."""
        by_code = {
            (item.code, i.entry.code): ids[(item_id, i.entry.code)] for item_id, item in items for i in item.indicators
        }
        mine = set(by_code.values())  # this catalog's indicators: no other row's link is touched
        said = {i: words.indicator_row(item_code, code) for (item_code, code), i in by_code.items()}
        for link_field, column in (("same_as", "same_as_id"), ("same_measure_as", "same_measure_id")):
            # a link to a plan not issued yet by this load (a replay loads the plans day by day:
            # 04/KH-BCĐ of 10/03 names 1834/UBND-KGVX of 22/04) is made by the load that has both
            wanted = {
                ids[(item_id, i.entry.code)]: by_code[(link.item, link.indicator)]
                for item_id, item in items
                for i in item.indicators
                if (link := getattr(i.entry, link_field)) is not None and (link.item, link.indicator) in by_code
            }
            have: dict[int, int | None] = {
                row[0]: row[1] for row in self.connection.execute(select(_INDICATOR.c.id, _INDICATOR.c[column]))
            }
            for indicator_id in sorted(mine):
                if have.get(indicator_id) != wanted.get(indicator_id):
                    self.connection.execute(
                        _INDICATOR.update()
                        .where(_INDICATOR.c.id == indicator_id)
                        .values({column: wanted.get(indicator_id)})
                    )
                    if indicator_id not in new:
                        self.report.updated["indicator"] += 1
                        fields = words.field_words(_INDICATOR.name, {link_field: have.get(indicator_id)}, {})
                        self.report.changes.append(words.changed(said[indicator_id], fields))

    # -- the same work in two documents (engine.services.same_work) --------------------------
    def _links(self, milestones: list[tuple[ResolvedPlan, ResolvedItem, ResolvedMilestone]]) -> None:
        """Store each milestone's ``same_work_as``, so that a verification later is followed too."""
        wanted = {self.milestone_ids[(item.code, m.seq)]: m.same_work_as for _, item, m in milestones}
        added, removed = store_links(self.connection, wanted)
        if added:
            self.report.created["same_work_link"] += added
        if removed:
            self.report.updated["same_work_link"] += removed

    def same_work(self) -> None:
        """Move each assignment of a linked milestone, or of an item one names, as the same work stands
        in the other document (engine.services.same_work.settle)."""
        linked = [
            self.milestone_ids[(item.code, m.seq)]
            for plan in self.catalog.plans
            for item in plan.items
            for m in item.milestones
            if m.same_work_as
        ]
        names = {i: (code, seq) for (code, seq), i in self.milestone_ids.items()}
        for followed in settle(self.session, linked, now=self.now, actor=CATALOG_ACTOR):
            self.report.updated["assignment"] += 1
            code, seq = names[followed.milestone_id]
            said = words.assignment_row(followed.assignment_id, code, seq, self._bodies[followed.agency_id])
            self.report.changes.append(words.same_work(said, followed.codes, followed.state))
        # followed before the work it follows held its window (a database from before migration 0037)
        for followed in windows(self.session, linked, now=self.now, actor=CATALOG_ACTOR):
            self.report.updated["assignment"] += 1
            code, seq = names[followed.milestone_id]
            said = words.assignment_row(followed.assignment_id, code, seq, self._bodies[followed.agency_id])
            self.report.changes.append(words.done_window(said))

    def done_windows(self) -> None:
        """Parts done at issue within a period the text names ("Tháng 02/2022 (đã hoàn thành)") and
        written with no window (a database from before migration 0037: ``done_from`` came with it, and
        a load made only new rows with theirs) take it, as the text gives it: their creation
        (``import_done``) reads it from the row, so no event is added. A part someone has stepped since
        (returned, reported again) is theirs. Once: a row with its window is not read again."""
        for _, item, milestone in self._done_in_a_period():
            deadline = milestone.deadline
            assert deadline is not None and deadline.start is not None  # _done_in_a_period's
            since = self.local.start_of_day(deadline.start)
            rows = self.session.exec(
                select(Assignment)
                .where(
                    Assignment.milestone_id == self.milestone_ids[(item.code, milestone.seq)],
                    Assignment.state == State.VERIFIED.value,
                    col(Assignment.done_from).is_(None),
                    col(Assignment.reported_at) > since,
                )
                .order_by(col(Assignment.id))
            ).all()
            created = _done_by_catalog(self.session, [r.id or 0 for r in rows], ("import_done",))
            for row in rows:
                if row.id not in created:
                    continue
                compare_and_set(self.session, row, {"done_from": since})
                self.report.updated["assignment"] += 1
                said = words.assignment_row(row.id or 0, item.code, milestone.seq, self._bodies[row.agency_id])
                self.report.changes.append(words.done_window(said))

    def _done_in_a_period(self) -> list[tuple[ResolvedPlan, ResolvedItem, ResolvedMilestone]]:
        return [
            (plan, item, m)
            for plan in self.catalog.plans
            for item in plan.items
            for m in item.milestones
            if (item.done_at_issue or (m.deadline is not None and m.deadline.done))
            and m.deadline is not None
            and m.deadline.start is not None
            and self._issue(m) is None
        ]

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
                comment=kw.get("comment"),
                data=data,
            )
        )


# the catalog's record of a part done on the issue day of the plan that is its work
DONE_BY_ISSUE = "catalog_done_by_issue"
# what makes a part done by the catalog's reading, not a person's step
_CATALOG_DONE = ("import_done", SAME_WORK, DONE_BY_ISSUE)


def _done_by_catalog(session: Session, assignment_ids: list[int], actions: tuple[str, ...] = _CATALOG_DONE) -> set[int]:
    """Those of ``assignment_ids`` whose last change of state the catalog made (``actions``: done at
    issue, following the same work, done by an issue), not a person."""
    return {i for i, action in last_state_actions(session, assignment_ids).items() if action in actions}


def _named_by_secretariat(session: Session, assignment_ids: list[int]) -> set[int]:
    """The assignments among ``assignment_ids`` that someone other than the catalog created."""
    named: set[int] = set()
    for batch in id_batches(assignment_ids):
        named.update(
            session.exec(
                select(Event.assignment_id).where(
                    col(Event.assignment_id).in_(batch),
                    col(Event.action).in_(("assign", "import_done")),
                    Event.actor != CATALOG_ACTOR,
                )
            )
        )
    return named


def _item_values(plan_id: int, item: ResolvedItem) -> dict[str, Any]:
    return {
        "plan_id": plan_id,
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


def _due_date(deadline: Deadline | None, year: int) -> date | None:
    """The date the text sets. Periodic work with no span ("hằng năm", "hằng quý") is due at the
    end of the plan year (:func:`_year_end_default`); continuous work ("Thường xuyên") has no date
    at all: a standing duty."""
    if deadline is None:
        return None
    if _year_end_default(deadline):
        return date(year, 12, 31)
    return deadline.due  # None for continuous work


def _year_end_default(deadline: Deadline | None) -> bool:
    """Whether the milestone's date is the plan year's end because the text gives periodic work no
    span ("hằng năm", "định kỳ hàng năm" and no day): a date no document gives, the secretariat's
    convention (Milestone.due_by_convention, its label marked with CONVENTION_NOTE)."""
    return (
        deadline is not None
        and deadline.kind is DeadlineKind.RECURRING
        and deadline.due is None
        and not _continuous(deadline)
    )


def _start_date(deadline: Deadline | None, issued: date) -> date | None:
    """The day the text's work starts; continuous work with no span starts with the plan (issued)."""
    if deadline is None:
        return None
    if _continuous(deadline) and deadline.start is None and deadline.due is None:
        return issued
    return deadline.start


def _continuous(deadline: Deadline) -> bool:
    return deadline.kind is DeadlineKind.RECURRING and deadline.recurrence == "continuous"


def sync_catalog(
    session: Session, catalog: Catalog, *, now: datetime, calendar: WorkCalendar, local: LocalDays = DEFAULT_DAYS
) -> SyncReport:
    """Make the database hold ``catalog``; see the module docstring for what is kept.
    Dates are days of ``local`` (the configured zone)."""
    sync = _Sync(session, catalog, now, calendar, local)
    sync.directory()
    forget_ended_names(session)  # the names, successions and roster a mail's notes read (ended_names)
    sync.plans()
    sync.create_new()
    session.flush()
    sync.done_by_issue()  # before the same work: a part done by an issue follows no other work's window
    sync.done_windows()  # before the same work too: what follows them takes their window
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
        session.expire_all()  # rows written past the ORM: objects already loaded read them again
    return sync.report
