"""Open work follows the bodies that succeed an agency (engine.models.successions).

On a succession's date (tasks_catalog/successions.yaml), every open assignment of a body that ended
passes to its successor: automatically for a rename, a merge or an absorption; through the
secretariat's queue "Cần phân công lại" for a split by function or a dissolution (no successor of
the same kind), and for a successor that holds another part of the same milestone, which would stand in
the way, end, or stay beside it (:func:`standing_in_the_way`, the one rule). A transfer keeps the
state, the due date and the ladder's position (``assigned_at`` and every past event stay); it is an
event in the assignment's history naming from, to, the legal source and who decided. A succession
applied after its date (loaded late) is recorded when it is applied, with "effective on" beside it:
history is never backdated (engine.services.history_order). The successor is mailed the list of
the work it inherited. A body that ended by its own validity (``valid_to``) with no succession
recorded is read as a succession that names nobody (:func:`validity_end`): its open work waits in
"Cần phân công lại" as a dissolved body's does, for the secretariat to name who takes it over.
Flushes only: the caller commits.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from operator import itemgetter
from typing import Any

from sqlalchemy import bindparam, update
from sqlalchemy import select as core_select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from dondoc.engine.clock import DEFAULT_DAYS, LocalDays
from dondoc.engine.db import id_batches
from dondoc.engine.errors import DomainError, InvalidInput, NotFound
from dondoc.engine.escalation.lead_done import still_to_report
from dondoc.engine.escalation.recipients import ended_agencies
from dondoc.engine.models import (
    TERMINAL_STATE_VALUES,
    Agency,
    AgencyTransfer,
    Assignment,
    Event,
    Milestone,
    Notification,
    PlanItem,
    Role,
    Succession,
    TransferStatus,
)
from dondoc.engine.models.assignments import NOT_GIVEN_VI, ROLE_LABELS_VI, ROLE_RANK, STATE_LABELS_VI, State, role_label
from dondoc.engine.services.assignment_filter import AssignmentFilter
from dondoc.engine.services.assignment_writes import compare_and_set
from dondoc.engine.services.history_order import last_events_at, refuse_backdating, refuse_before
from dondoc.engine.services.part_words import part_words
from dondoc.engine.services.provinces import of_province, province_of_milestone, refuse_other_province
from dondoc.engine.services.waiting_work import not_given_among, not_given_waiting_vi
from dondoc.engine.vi_format import vn_count

SUCCESSION_ACTOR = "catalog"
INHERITED_KIND = "inherited_work"  # the mail telling a body of the work it took over
AUTOMATIC_KINDS = frozenset({"rename", "merge", "absorb"})
# A kind as a sentence names it, alone or in brackets ("không còn (giải thể, không có cơ quan kế nhiệm
# cùng loại; căn cứ: …)"): no brackets of its own, which would nest.
KIND_LABELS_VI = {
    "rename": "đổi tên",
    "merge": "hợp nhất",
    "split": "tách theo chức năng",
    "absorb": "sáp nhập",
    "dissolve": "giải thể, không có cơ quan kế nhiệm cùng loại",
    # not a catalog kind: a body ended by its validity alone (:func:`validity_end`). Said as what is
    # known, the catalog's end of it, not why: UBND Tây Trà's had read "hết thời hạn hoạt động" of a
    # district merged into Trà Bồng (NQ 867/NQ-UBTVQH14), a succession the catalog does not record
    "expire": "theo danh mục cơ quan, chưa ghi nhận cơ quan kế nhiệm",
}
VALIDITY_KIND = "expire"
VALIDITY_KEY = "het-hieu-luc"  # the key its transfers carry (no Succession row has it)
WHY_SPLIT = "Cơ quan cũ được tách theo chức năng: Tổ giúp việc chọn cơ quan kế nhiệm"
WHY_DISSOLVE = "Cơ quan cũ không còn, không có cơ quan kế nhiệm cùng loại: Tổ giúp việc chọn cơ quan nhận"
WHY_EXPIRED = (
    "Cơ quan cũ không còn theo danh mục cơ quan, chưa ghi nhận cơ quan kế nhiệm: Tổ giúp việc chọn cơ quan nhận"
)
WHY_HELD = "Cơ quan kế nhiệm đã có nhiệm vụ này: Tổ giúp việc quyết định"
WHY_NAMED_SINCE = "Cơ quan kế nhiệm được ghi nhận khi phần việc đã chờ phân công lại: Tổ giúp việc chọn cơ quan nhận"
# the part's giving day came when the body had already ended: it was never its work (the queue's
# reason and the history say so before the reason the succession gives)
NEVER_GIVEN_VI = "Phần việc này đến ngày {day} mới giao, khi {old} đã không còn: chưa giao cho cơ quan nào"
# the successor holds another part of the milestone (another role): never passed on silently
HOLDS_ANOTHER_PART = "Cơ quan kế nhiệm đang có phần việc khác của nhiệm vụ này"
WHY_TAKES_LEAD = (
    f"{HOLDS_ANOTHER_PART}: Tổ giúp việc giao cơ quan kế nhiệm chủ trì (phần việc đó sẽ bị hủy) hoặc chọn cơ quan khác"
)
WHY_KEEPS = (
    f"{HOLDS_ANOTHER_PART}: Tổ giúp việc giao cơ quan kế nhiệm chủ trì (vẫn giữ phần việc đó, vì nhiệm vụ còn "
    "cơ quan chủ trì khác) hoặc chọn cơ quan khác"
)
# the mail telling a body of work it took over, of its own other parts of the milestone still open
# (kept beside the lead where other leads go on: :func:`kept_vi`)
KEPT_VI = "Quý cơ quan vẫn giữ phần việc {parts} của nhiệm vụ này"


@dataclass(frozen=True)
class Part:
    """A part a body holds of a milestone."""

    id: int
    role: str
    state: str

    @property
    def words(self) -> str:
        """The part as a sentence names it: "phối hợp (đã giao)"."""
        return f"{ROLE_LABELS_VI[Role(self.role)].lower()} ({STATE_LABELS_VI[State(self.state)].lower()})"


@dataclass(frozen=True)
class InTheWay:
    """What a body's own parts of a milestone make of its taking over one more part of it."""

    refused: str | None = None  # why it cannot hold it (a Vietnamese clause naming no body)
    closes: tuple[Part, ...] = ()  # its parts that end when it takes the lead (by the secretariat's decision)
    keeps: tuple[Part, ...] = ()  # its open parts that stay beside the lead it takes (other leads go on)

    @property
    def waits(self) -> str | None:
        """Why a part waits for the secretariat rather than pass on by itself (None: it passes): any
        of these is the secretariat's to decide, told what the body holds."""
        if self.refused:
            return WHY_HELD
        return WHY_TAKES_LEAD if self.closes else WHY_KEEPS if self.keeps else None


def still_open(parts: Sequence[Part]) -> tuple[Part, ...]:
    """Of a body's parts of a milestone, those not yet closed: what taking the lead ends, or leaves
    beside it (:func:`standing_in_the_way`), and what its mail says it keeps (:func:`kept_vi`)."""
    return tuple(p for p in parts if p.state not in TERMINAL_STATE_VALUES)


def standing_in_the_way(parts: Sequence[Part], role: str, *, other_leads: bool) -> InTheWay:
    """The one rule of who may take over a part of a milestone it may already have parts of.

    A body with no part of the milestone takes any part. A lead's part passes to a body that holds
    no lead of it: where it is the milestone's only lead still to report (``other_leads`` False: no
    other lead's part is open), the body now leads the item alone, and its other parts not yet closed
    end (it gives no input to itself, nor reports a share of its own beside the lead's report; what it
    wrote stays in the history); where other leads are still to report, its input and its share are
    theirs too and stay (``keeps``). Either way the body would end up with the lead beside another
    part of its own, ended or kept: that is the secretariat's decision, told what the body holds, never
    a silent transfer (:attr:`InTheWay.waits`). Any other part does not pass to a body that already
    holds one: a duplicate, which the secretariat decides. (The database holds a body to one part per
    role.)"""
    if not parts:
        return InTheWay()
    lead = next((p for p in parts if p.role == Role.LEAD.value), None)
    if role == Role.LEAD.value and lead is None:
        open_parts = still_open(parts)
        return InTheWay(keeps=open_parts) if other_leads else InTheWay(closes=open_parts)
    held = lead or next((p for p in parts if p.role == role), None) or parts[0]
    return InTheWay(refused=f"đã có phần việc {held.words} của nhiệm vụ này")


def _other_leads(session: Session, row: Assignment, gone: set[int]) -> bool:
    """Whether the milestone of ``row`` has another lead still to report that goes on: its part open,
    its body not one that ended (``gone``: a lead of a body merged into the same successor is the
    successor's own to come, not another's to give input to: recipients.ended_agencies)."""
    statement = select(Assignment.agency_id).where(
        Assignment.milestone_id == row.milestone_id, Assignment.id != row.id, still_to_report(Assignment)
    )
    return any(agency_id not in gone for agency_id in session.exec(statement))


@dataclass
class TransferReport:
    """What one pass did: assignments passed on, assignments put in the queue, mails per successor."""

    transferred: list[tuple[int, str, str, str]] = field(default_factory=list)  # (id, from, to, succession)
    queued: list[tuple[int, str, str]] = field(default_factory=list)  # (id, from, succession)
    late: list[str] = field(default_factory=list)  # successions applied after their date

    def to_dict(self) -> dict[str, Any]:
        return {"transferred": len(self.transferred), "queued": len(self.queued), "recorded_late": self.late}


@dataclass(frozen=True)
class RecordedBy:
    """Who recorded the succession ``key`` and had it applied at once (the secretariat's page
    /board/to-chuc-lai): the history names them on its events (``actor`` as engine.actors.Actor.label
    writes it, and the ``account``), as every other step of the secretariat. The passing stays the
    succession's own (``decided_by``: :data:`SUCCESSION_ACTOR`): nobody chose the body that takes it."""

    key: str
    actor: str
    account: str | None = None


def apply_due_successions(
    session: Session,
    *,
    now: datetime,
    local: LocalDays = DEFAULT_DAYS,
    notify: Any = None,
    recorded_by: RecordedBy | None = None,
) -> TransferReport:
    """Pass every open assignment of a body whose succession date has come; idempotent. Then put in
    "Cần phân công lại" the open work of every body ended by its own validity that no succession
    names (:func:`validity_end`): nobody else would ever give it to a body that exists.

    ``notify(agency, assignment_ids, succession)`` is called once per successor that inherited work
    and still exists today (the job puts a mail in the outbox there): of successions applied in one
    pass, a body one of them created and a later one ended is not asked to take work it no longer can.
    ``recorded_by``: the events of that succession are its recorder's (any other applied in the same
    pass, or a body ended by its validity, stays the catalog's)."""
    today = local.local_date(now)
    report = TransferReport()
    every = session.exec(select(Succession).order_by(col(Succession.effective_on), col(Succession.id))).all()
    successions = [s for s in every if s.effective_on <= today]
    named = {code for s in every for code in s.from_codes}  # a succession passes their work on, on its date
    expired = [a for a in session.exec(select(Agency).where(col(Agency.valid_to) < today)) if a.code not in named]
    if not successions and not expired:  # most days: nothing has come, two queries (and no agency read)
        session.flush()
        return report
    agencies = {a.id: a for a in session.exec(select(Agency))}
    by_code = {a.code: a for a in agencies.values()}
    gone = ended_agencies(session, today)
    if expired:
        _queue_expired(session, [agencies[b.id] for b in expired], now, today, local, report)
    for succession in successions:
        by = (
            (recorded_by.actor, recorded_by.account)
            if recorded_by is not None and recorded_by.key == succession.key
            else (SUCCESSION_ACTOR, None)
        )
        from_ids = [by_code[c].id for c in succession.from_codes if c in by_code]
        rows = session.exec(
            select(Assignment)
            .where(col(Assignment.agency_id).in_(from_ids), col(Assignment.state).not_in(TERMINAL_STATE_VALUES))
            .order_by(col(Assignment.id))
        ).all()
        waiting = _pending_ids(session, [r.id or 0 for r in rows])
        _named_since(session, succession, waiting)
        rows = [r for r in rows if r.id not in waiting]
        if not rows:
            continue
        if succession.effective_on < today:
            report.late.append(succession.key)
        inherited: dict[int, list[int]] = defaultdict(list)
        target = by_code.get(succession.successors[0]["agency"]) if succession.kind in AUTOMATIC_KINDS else None
        # read once for the whole succession, not per row: the milestones the successor holds
        # (a transfer below adds its milestone) and each row's last event (history moves forward)
        held = _parts_held(session, target.id or 0) if target is not None else {}
        last = last_events_at(session, [r.id or 0 for r in rows])
        for row in rows:
            old = agencies[row.agency_id]
            refuse_before(row.id or 0, now, last.get(row.id or 0))
            parts = held.get(row.milestone_id, []) if target is not None else []
            way = (
                standing_in_the_way(parts, row.role, other_leads=bool(parts) and _other_leads(session, row, gone))
                if target is not None
                else None
            )
            if way is not None and way.waits:
                # a state changes only by the secretariat's decision (engine.workflow): parts to
                # close wait for it as a duplicate does, and so do parts a body would hold beside it
                _queue(session, row, old, succession, way.waits, now, local, by=by)
                report.queued.append((row.id or 0, old.code, succession.key))
            elif target is not None:
                on = succession.effective_on  # passed by the succession itself: on its date, even if applied late
                _transfer(session, row, old, target, succession, now, on, decided_by=SUCCESSION_ACTOR, by=by)
                held.setdefault(row.milestone_id, []).append(Part(row.id or 0, row.role, row.state))
                inherited[target.id or 0].append(row.id or 0)
                report.transferred.append((row.id or 0, old.code, target.code, succession.key))
            else:
                why = WHY_SPLIT if succession.kind == "split" else WHY_DISSOLVE
                _queue(session, row, old, succession, why, now, local, by=by)
                report.queued.append((row.id or 0, old.code, succession.key))
        if notify is not None:
            for agency_id, ids in inherited.items():
                # a successor that has itself ended by today (a later succession of this same pass, or
                # its validity) is told nothing: the work passes on from it, or waits, in this pass
                if agency_id not in gone:
                    notify(agencies[agency_id], ids, succession)
    session.flush()
    return report


def _named_since(session: Session, succession: Succession, waiting: set[int]) -> None:
    """The parts of ``waiting`` that wait because their body ended by its validity alone
    (:func:`validity_end`), now that ``succession`` names that body: they wait on for the secretariat,
    under ``succession`` (its kind, ground and successors, which the queue offers), no longer
    "chưa ghi nhận cơ quan kế nhiệm". The history keeps what was true when they were put there."""
    if not waiting:
        return
    session.execute(
        update(AgencyTransfer)
        .where(
            col(AgencyTransfer.assignment_id).in_(sorted(waiting)),
            col(AgencyTransfer.status) == TransferStatus.PENDING.value,
            col(AgencyTransfer.succession_key) == VALIDITY_KEY,
        )
        .values(succession_key=succession.key, effective_on=succession.effective_on, reason=WHY_NAMED_SINCE)
    )


def validity_end(code: str, last_day: date, now: datetime) -> Succession:
    """The end of body ``code`` by its own validity (its ``valid_to``: ``last_day``), no succession
    recorded (UBND Tây Trà, 2020), as a succession naming nobody: what the queueing of its open work,
    the secretariat's decision and the mail to the body named read of it. Never stored: the catalog
    records no such succession (``now``: when it is read)."""
    return Succession(
        key=VALIDITY_KEY,
        kind=VALIDITY_KIND,
        effective_on=last_day + timedelta(days=1),
        from_codes=[code],
        successors=[],
        source=f"danh mục cơ quan (hoạt động đến hết ngày {last_day:%d/%m/%Y})",
        loaded_at=now,
    )


def queued_validity_end(code: str, effective_on: date, now: datetime) -> Succession:
    """:func:`validity_end` as the transfers of ``code``'s queued work recorded it: their
    ``effective_on`` is its first day without the body (what the queue, the secretariat's decision
    and the replay's read back)."""
    return validity_end(code, effective_on - timedelta(days=1), now)


def _queue_expired(
    session: Session, bodies: list[Agency], now: datetime, today: date, local: LocalDays, report: TransferReport
) -> None:
    """Put in "Cần phân công lại" the open work ``bodies`` still hold, each ended by its validity
    alone (one statement for all of them: most hold none, or wait already)."""
    by_id = {b.id: b for b in bodies}
    rows = session.exec(
        select(Assignment)
        .where(col(Assignment.agency_id).in_(list(by_id)), col(Assignment.state).not_in(TERMINAL_STATE_VALUES))
        .order_by(col(Assignment.id))
    ).all()
    waiting = _pending_ids(session, [r.id or 0 for r in rows])
    rows = [r for r in rows if r.id not in waiting]
    last = last_events_at(session, [r.id or 0 for r in rows])
    for row in rows:
        old = by_id[row.agency_id]
        assert old.valid_to is not None  # the caller's reading: ended by its validity
        ending = validity_end(old.code, old.valid_to, now)
        if ending.effective_on < today and f"{VALIDITY_KEY}:{old.code}" not in report.late:
            report.late.append(f"{VALIDITY_KEY}:{old.code}")
        refuse_before(row.id or 0, now, last.get(row.id or 0))
        _queue(session, row, old, ending, WHY_EXPIRED, now, local)
        report.queued.append((row.id or 0, old.code, ending.key))


def _ending(session: Session, transfer: AgencyTransfer, old: Agency, now: datetime) -> Succession:
    """The succession ``transfer`` of ``old``'s work names: the catalog's, or ``old``'s end by its
    validity as the transfer recorded it (:func:`validity_end`), which no row holds."""
    found = session.exec(select(Succession).where(Succession.key == transfer.succession_key)).first()
    return found or queued_validity_end(old.code, transfer.effective_on, now)


def _pending_ids(session: Session, ids: list[int]) -> set[int]:
    if not ids:
        return set()
    return set(
        session.exec(
            select(AgencyTransfer.assignment_id).where(
                col(AgencyTransfer.assignment_id).in_(ids), AgencyTransfer.status == TransferStatus.PENDING.value
            )
        )
    )


def pending_assignment_ids(session: Session) -> set[int]:
    """Assignments waiting in "Cần phân công lại": their ladder goes to the secretariat."""
    return set(
        session.exec(select(AgencyTransfer.assignment_id).where(AgencyTransfer.status == TransferStatus.PENDING.value))
    )


def _parts_held(session: Session, agency_id: int, milestone_id: int | None = None) -> dict[int, list[Part]]:
    """milestone id -> the parts ``agency_id`` holds of it (of one milestone, if given)."""
    statement = select(Assignment.milestone_id, Assignment.id, Assignment.role, Assignment.state).where(
        Assignment.agency_id == agency_id
    )
    if milestone_id is not None:
        statement = statement.where(Assignment.milestone_id == milestone_id)
    held: dict[int, list[Part]] = defaultdict(list)
    for milestone, part_id, role, state in session.exec(statement):
        held[milestone].append(Part(part_id or 0, str(role), str(state)))
    return held


def _facts(succession: Succession, now: datetime, today: date | None = None) -> dict[str, Any]:
    return {
        "succession": succession.key,
        "kind": succession.kind,
        "source": succession.source,
        "confirmed": succession.confirmed,
        "effective_on": succession.effective_on.isoformat(),
        "recorded_at": now.isoformat(),
    }


def _transfer(
    session: Session,
    row: Assignment,
    old: Agency,
    new: Agency,
    succession: Succession,
    now: datetime,
    passed_on: date,
    *,
    decided_by: str,
    account: str | None = None,
    by: tuple[str, str | None] | None = None,
) -> None:
    """``row`` passes from ``old`` to ``new`` on ``passed_on`` (transfer_origins.held_then reads it): the
    succession's date, or for work that waited in "Cần phân công lại", the day of the decision. Its
    event is ``decided_by``'s (with ``account``), or ``by`` (actor, account) when another recorded
    the succession the passing is its own (:class:`RecordedBy`)."""
    actor, account = by if by is not None else (decided_by, account)
    refuse_backdating(session, row.id or 0, now)
    data = _facts(succession, now) | {
        "from": old.code,
        "from_name": old.name,
        "to": new.code,
        "to_name": new.name,
        "decided_by": decided_by,
    }
    session.add(
        Event(
            assignment_id=row.id or 0,
            at=now,
            actor=actor,
            actor_account=account,
            action="agency_transfer",
            from_state=row.state,
            to_state=row.state,
            comment=(
                f"Chuyển từ {old.name} sang {new.name} ({KIND_LABELS_VI[succession.kind]}, "
                f"hiệu lực từ {succession.effective_on:%d/%m/%Y}; căn cứ: {succession.source})."
            ),
            data=data,
        )
    )
    compare_and_set(session, row, {"agency_id": new.id})
    pending = session.exec(
        select(AgencyTransfer).where(
            AgencyTransfer.assignment_id == row.id, AgencyTransfer.status == TransferStatus.PENDING.value
        )
    ).first()
    if pending is not None:
        pending.status, pending.to_agency_id, pending.passed_on = TransferStatus.DONE, new.id, passed_on
        pending.decided_by, pending.decided_at = decided_by, now
        return
    session.add(
        AgencyTransfer(
            assignment_id=row.id or 0,
            succession_key=succession.key,
            from_agency_id=old.id or 0,
            to_agency_id=new.id,
            effective_on=succession.effective_on,
            passed_on=passed_on,
            recorded_at=now,
            status=TransferStatus.DONE,
            decided_by=decided_by,
            decided_at=now,
        )
    )


def _queue(
    session: Session,
    row: Assignment,
    old: Agency,
    succession: Succession,
    why: str,
    now: datetime,
    local: LocalDays = DEFAULT_DAYS,
    by: tuple[str, str | None] = (SUCCESSION_ACTOR, None),
) -> None:
    """Put ``row`` in "Cần phân công lại" (the caller has refused backdating), by ``by`` (actor,
    account: the succession's own, or who recorded it, :class:`RecordedBy`).

    A part whose giving day is on or after the succession's date (a quarter's report of a body that
    ended on the quarter's eve) was never given to the body that ended: the transfer says so
    (``never_given``: nobody is given it until the secretariat names a body, engine.status.held_back_sql),
    and so do its reason and the history, never "đã giao" to that body.

    The row's version moves, as with any change to an assignment, and the row stays locked until
    this transaction ends (PostgreSQL; SQLite has one writer): a person's action on it read before
    (a verification that could not see the pending transfer, and would leave a verified task
    waiting for a new body) is refused as a Conflict instead of committing beside it."""
    compare_and_set(session, row, {})
    given_on = local.local_date(row.assigned_at)
    never_given = given_after_end(succession, row.assigned_at, local) is not None
    if never_given:
        why = f"{NEVER_GIVEN_VI.format(day=f'{given_on:%d/%m/%Y}', old=old.name)}; {why}"
    session.add(
        Event(
            assignment_id=row.id or 0,
            at=now,
            actor=by[0],
            actor_account=by[1],
            action="transfer_pending",
            from_state=row.state,
            to_state=row.state,
            comment=f"{old.name} không còn từ {succession.effective_on:%d/%m/%Y}. {why}.",
            data=_facts(succession, now)
            | {"from": old.code, "from_name": old.name, "reason": why}
            | ({"never_given": True, "given_on": given_on.isoformat()} if never_given else {}),
        )
    )
    session.add(
        AgencyTransfer(
            assignment_id=row.id or 0,
            succession_key=succession.key,
            from_agency_id=old.id or 0,
            effective_on=succession.effective_on,
            recorded_at=now,
            status=TransferStatus.PENDING,
            reason=why,
            never_given=never_given,
        )
    )


def handover(data: dict[str, Any], parts: int) -> str:
    """How an ``inherited_work`` mail of ``parts`` parts hands them to its body, from its data: "given"
    when the body that ended was never given any of them (each given on or after its end: ``never_given``,
    or the secretariat's decision on one, ``never_given_on``): the mail gives them, "thay" that body;
    "passed" when that body held every one: the mail passes them on as they stood, "từ" that body;
    "mixed" otherwise. Its heading (subject and title) and its opening read this, each in its words."""
    fresh = data.get("never_given") or {}
    if data.get("never_given_on") or (fresh and len(fresh) == parts):
        return "given"
    return "mixed" if fresh else "passed"


def given_after_end(succession: Succession, assigned_at: datetime, local: LocalDays = DEFAULT_DAYS) -> date | None:
    """The giving day of a part given on or after ``succession``'s date, which the body that ended was
    never given (that body no longer existed then); None for a part given while it existed. The one
    rule of it: the queue says so (:func:`_queue`), and so does a successor's mail of what it
    took over automatically (notifications.inherited)."""
    return given_after(succession.effective_on, assigned_at, local)


def given_after(effective_on: date, assigned_at: datetime, local: LocalDays = DEFAULT_DAYS) -> date | None:
    """:func:`given_after_end` of a succession dated ``effective_on``, as a transfer's event records it
    (its ``effective_on``): what says whom an inferred group's guess was meant for of a part a transfer
    has since passed on (engine.services.inferred_parts.predecessor). A part the secretariat's decision
    gave (:func:`take_over` moved its giving to the decision, after that date) reads as it did."""
    given_on = local.local_date(assigned_at)
    return given_on if given_on >= effective_on else None


@dataclass(frozen=True)
class NeverGiven:
    """A part never given to the body it was made for: that body had ended before its giving day."""

    day: date  # the day the part was to be given
    from_name: str  # the body that had ended
    until: datetime | None  # the secretariat's decision (a body named, or the part cancelled); None: it waits

    def unheld(self, at: datetime) -> bool:
        """Whether the part was still nobody's at ``at`` (its state "assigned" then meant "not given")."""
        return self.until is None or at <= self.until

    def words(self) -> str:
        """The history's words for the giving that never was, instead of "Đã giao" (the part's page
        and ``dondoc assignments show`` say it alike)."""
        return f"{NOT_GIVEN_VI}: đến ngày {self.day:%d/%m/%Y} mới giao, khi {self.from_name} đã không còn"


def never_given_to(history: Sequence[Any], assigned_at: datetime, local: LocalDays = DEFAULT_DAYS) -> NeverGiven | None:
    """When the body a part was made for had ended before its giving day (:func:`_queue`): that day,
    the body and the decision, for its history to say so rather than "Đã giao"; else None.
    ``history`` is the part's events in order (anything with ``action``, ``at`` and ``data``). Read
    from the queueing's event: its mark, or, for one written before the mark (migration 0029), its
    succession's date against the part's giving day, which no decision had moved then."""
    for index, event in enumerate(history):
        if event.action != "transfer_pending":
            continue
        data = event.data or {}
        on, given_on = data.get("effective_on"), local.local_date(assigned_at)
        if data.get("never_given"):
            given_on = date.fromisoformat(data["given_on"])
        elif not on or given_on < date.fromisoformat(on):
            continue
        decided = (e.at for e in history[index + 1 :] if e.action in ("agency_transfer", "cancel"))
        return NeverGiven(given_on, str(data.get("from_name", "")), next(decided, None))
    return None


@dataclass(frozen=True)
class WaitingTransfer:
    """One row of the queue "Cần phân công lại"."""

    assignment_id: int
    item_code: str
    item_title: str
    milestone_seq: int
    from_code: str
    from_name: str
    succession: str
    kind: str
    effective_on: date
    source: str
    reason: str
    candidates: list[tuple[str, str, list[str]]]  # (code, name, functions) the succession names
    # per candidate's code, what its own parts of the milestone make of choosing it (standing_in_the_way)
    ways: dict[str, InTheWay] = field(default_factory=dict)
    lead_heading: str | None = None  # the text's heading of the lead, when not "chủ trì"
    version: int = 0  # the assignment's, as the queue showed it: its form sends it (a stale page is refused)


def waiting_transfers(
    session: Session,
    now: datetime,
    *,
    local: LocalDays = DEFAULT_DAYS,
    where: AssignmentFilter | None = None,
    limit: int | None = None,
    offset: int = 0,
    backlog: bool | None = None,
) -> list[WaitingTransfer]:
    """The queue, oldest succession first: the rows of the desk's queue of that name, whose count
    the board shows (engine.services.queues: one statement for both), read as columns, no entity
    loaded; ``where`` narrows them as the queue's filter does, ``limit`` and ``offset`` give one
    page of them, ``backlog`` one part of them (Queue.fetch: False the tracked work, True the
    pre-tracking backlog, None both). ``now`` only binds the statement's category (which nothing
    here reads)."""
    from dondoc.engine.services.queries import VIEW_NAMES, VIEW_WIDTH  # they read this module's rule book
    from dondoc.engine.services.queues import REASSIGN_QUEUE, TRANSFER_NAMES, queue_by_slug

    queue = queue_by_slug(REASSIGN_QUEUE)
    rows = queue.fetch(session, now, local, where or AssignmentFilter(), limit, offset, backlog)
    if not rows:
        return []
    agencies = {agency_id: (code, name) for agency_id, code, name in session.execute(_AGENCY_NAMES)}
    names = dict(agencies.values())
    # a line's values by position (a driver row's attribute costs ~1 µs: eight a line were ~1 ms of a
    # page of 100): what it shows of the assignment, then the transfer's columns
    shown = itemgetter(
        *(
            VIEW_NAMES.index(name)
            for name in ("id", "item_code", "item_title", "milestone_seq", "lead_heading", "version")
        )
    )
    after = {name: VIEW_WIDTH + i for i, name in enumerate(TRANSFER_NAMES)}
    transfer = itemgetter(*(after[name] for name in ("reason", "from_agency_id", "succession_key", "effective_on")))
    lines = [(shown(row), transfer(row)) for row in rows]
    keys = sorted({key for _, (_, _, key, _) in lines})
    successions = {  # each succession's candidates, named once for all its rows
        key: (kind, source, _candidates(to, names))
        for key, kind, source, to in session.execute(_SUCCESSIONS, {"keys": keys})
    }
    codes = {c[0] for _, _, cs in successions.values() for c in cs}
    ways = _ways(session, [line[0][0] for line in lines], codes, local.local_date(now))
    waiting = []
    for shown_row, (reason, from_agency_id, key, effective_on) in lines:
        assignment_id, item_code, item_title, seq, heading, version = shown_row
        old_code, old_name = agencies[from_agency_id]
        if key in successions:
            kind, source, candidates = successions[key]
        else:  # ended by its validity alone: no succession names a body (validity_end)
            ending = queued_validity_end(old_code, effective_on, now)
            kind, source, candidates = ending.kind, ending.source, []
        waiting.append(
            WaitingTransfer(
                assignment_id,
                item_code,
                item_title,
                seq,
                old_code,
                old_name,
                key,
                kind,
                effective_on,
                source,
                reason or "",
                list(candidates),
                ways.get(assignment_id, {}),
                heading,
                version,
            )
        )
    return waiting


def _ways(session: Session, ids: list[int], codes: set[str], today: date) -> dict[int, dict[str, InTheWay]]:
    """waiting assignment -> candidate's code -> what choosing the candidate would meet, where its own
    parts of the milestone stand in the way or end: what ``take_over`` would judge (two statements for
    the page's rows, two more where a candidate holds a part)."""
    if not ids or not codes:
        return {}
    rows = session.execute(_MILESTONE_ROLES, {"ids": ids}).all()
    milestones = sorted({milestone_id for _, milestone_id, _ in rows})
    parts: dict[tuple[int, str], list[Part]] = defaultdict(list)
    open_leads: dict[int, dict[int, int]] = defaultdict(dict)  # milestone -> lead part -> its agency
    for part_id, milestone_id, agency_id, code, role, state, open_lead in session.execute(
        _PARTS_AND_LEADS, {"milestones": milestones, "codes": sorted(codes)}
    ):
        if code in codes:
            parts[(milestone_id, code)].append(Part(part_id, role, state))
        if open_lead:
            open_leads[milestone_id][part_id] = agency_id
    if not parts:
        return {}
    gone = ended_agencies(session, today)
    found: dict[int, dict[str, InTheWay]] = defaultdict(dict)
    for assignment_id, milestone_id, role in rows:
        others = any(part != assignment_id and agency not in gone for part, agency in open_leads[milestone_id].items())
        for code in codes:
            held = parts.get((milestone_id, code))
            if held:
                found[assignment_id][code] = standing_in_the_way(held, role, other_leads=others)
    return found


def offered_ways(session: Session, assignment_id: int, codes: Sequence[str], today: date) -> dict[str, InTheWay]:
    """What choosing each body of ``codes`` for the waiting ``assignment_id`` would meet, by code, for
    those holding a part of its milestone (:func:`_ways`, the queue's reading): the part's own page
    offers every body, and says so of each before the clerk chooses."""
    return _ways(session, [assignment_id], set(codes), today).get(assignment_id, {})


_STILL_TO_REPORT = still_to_report(Assignment)
_MILESTONE_ROLES = select(Assignment.id, Assignment.milestone_id, Assignment.role).where(
    col(Assignment.id).in_(bindparam("ids", expanding=True))
)
_PARTS_AND_LEADS = (
    core_select(
        col(Assignment.id),
        col(Assignment.milestone_id),
        col(Assignment.agency_id),
        col(Agency.code),
        col(Assignment.role),
        col(Assignment.state),
        _STILL_TO_REPORT,
    )
    .join(Agency, col(Agency.id) == col(Assignment.agency_id))
    .where(col(Assignment.milestone_id).in_(bindparam("milestones", expanding=True)))
    .where(col(Agency.code).in_(bindparam("codes", expanding=True)) | _STILL_TO_REPORT)
)


def _candidates(successors: list[dict[str, Any]], names: dict[str, str]) -> list[tuple[str, str, list[str]]]:
    """A succession's successors as the queue offers them: (code, name, functions), the name as
    the directory has it (the code when the directory has no such body yet)."""
    return [(s["agency"], names.get(s["agency"], s["agency"]), list(s.get("functions", []))) for s in successors]


_AGENCY_NAMES = select(Agency.id, Agency.code, Agency.name)
_SUCCESSIONS = select(Succession.key, Succession.kind, Succession.source, Succession.successors).where(
    col(Succession.key).in_(bindparam("keys", expanding=True))
)


def waiting_for_transfer(session: Session, assignment_id: int) -> bool:
    """The assignment waits in "Cần phân công lại" (the condition ``waiting_transfer`` of the table)."""
    return bool(_pending_ids(session, [assignment_id]))


def take_over(
    session: Session,
    row: Assignment,
    agency_code: str,
    *,
    decided_by: str,
    now: datetime,
    local: LocalDays = DEFAULT_DAYS,
    close: Callable[[int, str], None],
    account: str | None = None,
) -> Assignment:
    """The body the secretariat named (one that exists today) takes over a waiting assignment.

    Who may and when is the transition table's (``reassign``: engine.workflow), which ``act``
    applies before it calls here; this checks the body named and writes the transfer. A body that
    takes a lead over from one it partnered has its open partner parts closed first, each by
    ``close(assignment id, reason)`` (``act`` passes the rule book's cancellation, by the same
    secretariat)."""
    transfer = session.exec(
        select(AgencyTransfer).where(
            AgencyTransfer.assignment_id == row.id, AgencyTransfer.status == TransferStatus.PENDING.value
        )
    ).first()
    if transfer is None:  # the table's condition holds: another transaction decided in between
        said = part_words(session, row.id or 0)
        raise InvalidInput(f"{said[:1].upper()}{said[1:]} không chờ phân công lại")
    new = receiving_body(session, agency_code, local.local_date(now))
    refuse_other_province(session, new, province_of_milestone(session, row.milestone_id), local.local_date(now))
    old = session.get(Agency, transfer.from_agency_id)
    if old is None:
        raise NotFound("agency", transfer.from_agency_id)
    succession = _ending(session, transfer, old, now)
    parts = _parts_held(session, new.id or 0, row.milestone_id).get(row.milestone_id, [])
    gone = ended_agencies(session, local.local_date(now)) if parts else set()
    way = standing_in_the_way(parts, row.role, other_leads=bool(parts) and _other_leads(session, row, gone))
    if way.refused:
        raise InvalidInput(f"{new.name} {way.refused}; chọn cơ quan khác hoặc hủy phần việc này")
    if way.closes:
        item = session.exec(
            select(PlanItem)
            .join(Milestone, col(Milestone.item_id) == col(PlanItem.id))
            .where(Milestone.id == row.milestone_id)
        ).one()
        lead_word = role_label(Role.LEAD.value, item.roles_as_written.get("lead_heading")).lower()  # or "tham mưu"
        for part in way.closes:
            close(
                part.id,
                f"{new.name} được giao {lead_word} nhiệm vụ này thay {old.name} ({KIND_LABELS_VI[succession.kind]}, "
                f"từ ngày {succession.effective_on:%d/%m/%Y}), nên phần việc {ROLE_LABELS_VI[Role(part.role)].lower()} "
                f"của {new.name} ở nhiệm vụ này không còn phải thực hiện.",
            )
    # it waited: it passes on the day of the decision, never before the succession's date
    passed_on = max(transfer.effective_on, local.local_date(now))
    if transfer.never_given and row.assigned_at < now:
        # never given to the body that ended: given to the body named now, whose ladder starts today
        # (and, named after its date, it was given late: engine.status.given_after_due)
        compare_and_set(session, row, {"assigned_at": now})
    _transfer(session, row, old, new, succession, now, passed_on, decided_by=decided_by, account=account)
    session.flush()
    return row


def told_by_transfer(session: Session, ids: Sequence[int]) -> set[int]:
    """Of ``ids``, the parts their holder was told of, as work it is given, by the mail of the transfer
    that gave them to it: an ``inherited_work`` mail listing the part, written by the transfer to its
    holder (the same transaction), and that transfer on or after the part's giving. The one rule of
    which mail tells a body of work it takes over on or after its giving day: the transfer's, never a
    second notice of work given beside it (policy.TriggerSpec.told_by_decision). It holds for

    - a part the secretariat's decision gave (never given to the body that ended, given to the body
      named at the decision: :func:`take_over`): that decision's mail says so (engine.services.request_mails);
    - a part an automatic transfer (rename, merge, absorption) passed on on or after its giving day:
      given on the succession's date itself (the quarter's reports of a body renamed that day), or
      given to the body that ended shortly before and not yet announced (given on a Saturday, the
      notice due on the Monday that is the succession's date). The successor's ``inherited_work``
      (notifications.inherited) lists it, and says of a part the body that ended was never given
      that it was not, and is the successor's from its giving day.

    Read from the outbox, not from the transfer alone: a transfer whose mail was not written (no
    mail settings at a catalog load) leaves the notice of work given to be sent (a lost notice is the
    worst error). A part passed on before its giving (a later quarter, listed months ahead) is not
    told by that mail: its notice comes on its giving day, as every body's does."""
    candidates: dict[int, datetime] = {}
    for batch in id_batches(ids):
        statement = (
            core_select(col(AgencyTransfer.assignment_id), col(AgencyTransfer.decided_at))
            .join(Assignment, col(Assignment.id) == col(AgencyTransfer.assignment_id))
            .where(
                col(AgencyTransfer.assignment_id).in_(batch),
                col(AgencyTransfer.status) == TransferStatus.DONE.value,
                col(AgencyTransfer.to_agency_id) == col(Assignment.agency_id),
                col(AgencyTransfer.decided_at) >= col(Assignment.assigned_at),
            )
        )
        for assignment_id, decided_at in session.execute(statement):
            if decided_at is not None:
                candidates[int(assignment_id)] = max(decided_at, candidates.get(int(assignment_id), decided_at))
    if not candidates:
        return set()
    mails = core_select(col(Notification.assignment_id), col(Notification.data), col(Notification.created_at)).where(
        col(Notification.kind) == INHERITED_KIND, col(Notification.created_at) >= min(candidates.values())
    )
    found: set[int] = set()
    for assignment_id, data, created_at in session.execute(mails):
        listed = [assignment_id] if assignment_id is not None else (data or {}).get("assignment_ids", [])
        found.update(int(i) for i in listed if i in candidates and created_at >= candidates[int(i)])
    return found


def receiving_body(session: Session, agency_code: str, today: date) -> Agency:
    """The body a decision names to take work over: one that exists ``today`` (InvalidInput, one
    line, otherwise). Each decision asks it (:func:`take_over`); a bulk decision once before its rows."""
    code = agency_code.strip()
    new = session.exec(select(Agency).where(Agency.code == code)).first()
    if new is None:
        raise InvalidInput(f'không có cơ quan mã "{code}"')
    refuse_unless_exists(new, today)
    return new


def other_parts(session: Session, assignment_id: int) -> list[Part]:
    """The other parts the holder of ``assignment_id`` has of its milestone, by role (a successor
    that took a lead over holds its partner part beside it: the notice of the decision says how it
    stands now)."""
    row = session.get(Assignment, assignment_id)
    if row is None:
        return []
    parts = _parts_held(session, row.agency_id, row.milestone_id).get(row.milestone_id, [])
    return sorted((p for p in parts if p.id != assignment_id), key=lambda p: ROLE_RANK[p.role])


def beside_vi(holder: str, parts: Sequence[Part]) -> list[str]:
    """How the other parts of a milestone a body named to take work over stand (:func:`other_parts`),
    one sentence each, capitalised: what the secretariat is told after its decision, single or in bulk
    (a part ended as the body took the lead, or kept beside it)."""
    return [
        f"Phần việc {role_label(p.role).lower()} của {holder} ở nhiệm vụ này: {STATE_LABELS_VI[State(p.state)]}"
        for p in parts
    ]


def kept_beside(session: Session, assignment_ids: Sequence[int]) -> dict[int, list[Part]]:
    """Per part of ``assignment_ids``, the other parts its holder has of its milestone still open
    (:func:`still_open`), by role, those listed in ``assignment_ids`` left out (received with it, not
    kept): one statement for a mail's list."""
    if not assignment_ids:
        return {}
    mine = aliased(Assignment)
    statement = (
        select(mine.id, Assignment.id, Assignment.role, Assignment.state)
        .join(
            Assignment,
            (col(Assignment.milestone_id) == col(mine.milestone_id))
            & (col(Assignment.agency_id) == col(mine.agency_id)),
        )
        .where(col(mine.id).in_(list(assignment_ids)), col(Assignment.id).not_in(list(assignment_ids)))
    )
    found: dict[int, list[Part]] = defaultdict(list)
    for listed, part_id, role, state in session.exec(statement):
        found[int(listed or 0)].append(Part(part_id or 0, str(role), str(state)))
    return {i: sorted(still_open(parts), key=lambda p: ROLE_RANK[p.role]) for i, parts in found.items()}


def kept_vi(parts: Sequence[Part]) -> str | None:
    """What a body told of work it took over hears of its own other parts of the milestone still open
    (:func:`kept_beside`: a lead taken where other leads go on leaves them its own, as the queue told
    the secretariat before it chose), in the role's words; None when it keeps none."""
    kept = still_open(parts)
    if not kept:
        return None
    return KEPT_VI.format(parts=", ".join(ROLE_LABELS_VI[Role(p.role)].lower() for p in kept))


def kept_said(session: Session, assignment_ids: Sequence[int]) -> dict[str, str]:
    """Per part of ``assignment_ids`` (its id as text), what its mail says its holder keeps beside it
    (:func:`kept_vi` of :func:`kept_beside`), for those that keep any, read now: what the mail said is
    kept with it and read again as it leaves (notifications.claims), so a part cancelled or finished
    meanwhile is not said kept."""
    kept = kept_beside(session, assignment_ids)
    said = {str(i): kept_vi(kept.get(i, [])) for i in assignment_ids}
    return {i: words for i, words in said.items() if words}


def close_waiting(session: Session, assignment_id: int, *, decided_by: str, now: datetime) -> None:
    """A waiting assignment was cancelled, or its report verified: it leaves "Cần phân công lại" (no
    body takes it over)."""
    for transfer in session.exec(
        select(AgencyTransfer).where(
            AgencyTransfer.assignment_id == assignment_id, AgencyTransfer.status == TransferStatus.PENDING.value
        )
    ):
        transfer.status, transfer.decided_by, transfer.decided_at = TransferStatus.CLOSED, decided_by, now
        session.add(transfer)
    session.flush()


def reassign_choices(
    session: Session, assignment_id: int, today: date
) -> tuple[list[tuple[str, str, list[str]]], list[tuple[str, str]]]:
    """For a waiting assignment: the bodies its succession names (code, name, functions), then every
    agency that exists ``today`` (code, name), by name; both of its plan's province (engine.provinces)."""
    found = session.exec(
        select(Succession)
        .join(AgencyTransfer, col(AgencyTransfer.succession_key) == col(Succession.key))
        .where(AgencyTransfer.assignment_id == assignment_id, AgencyTransfer.status == TransferStatus.PENDING.value)
    ).first()
    agencies = session.execute(_AGENCIES_BY_NAME).all()
    names = {code: name for code, name, _, _, _ in agencies}
    provinces = {code: its for code, _, _, _, its in agencies}
    row = session.get(Assignment, assignment_id)
    province = province_of_milestone(session, row.milestone_id) if row is not None else None
    candidates = _candidates(found.successors if found else [], names)
    named = of_province(session, [(c, provinces.get(c[0])) for c in candidates], province, today)
    return named, _existing(session, agencies, today, province)


def existing_agencies(session: Session, today: date, province: str | None = None) -> list[tuple[str, str]]:
    """Every agency that exists ``today`` (code, name), by name: the bodies work of a plan of
    ``province`` (None: the committee's) can be given to."""
    return _existing(session, session.execute(_AGENCIES_BY_NAME).all(), today, province)


_AGENCIES_BY_NAME = core_select(
    col(Agency.code), col(Agency.name), col(Agency.valid_from), col(Agency.valid_to), col(Agency.province)
).order_by(col(Agency.name), col(Agency.id))  # a tie (two bodies of one name) in the order recorded


def _existing(session: Session, agencies: Sequence[Any], today: date, province: str | None) -> list[tuple[str, str]]:
    living = [((code, name), its) for code, name, since, until, its in agencies if exists_on(since, until, today)]
    return of_province(session, living, province, today)


def exists_on(valid_from: date | None, valid_to: date | None, day: date) -> bool:
    """Whether a body with these dates of validity exists on ``day``: the one rule for whom work
    can be given to (a successor chosen, a body named for a phrase that names nobody)."""
    return (valid_from is None or valid_from <= day) and (valid_to is None or valid_to >= day)


def refuse_unless_exists(agency: Agency, day: date) -> None:
    """InvalidInput, one Vietnamese sentence, for a body that did not exist yet or no longer did on
    ``day``, saying which, and from or until when (:func:`exists_on` says whether)."""
    if exists_on(agency.valid_from, agency.valid_to, day):
        return
    if agency.valid_from is not None and agency.valid_from > day:
        raise InvalidInput(
            f"Vào ngày {day:%d/%m/%Y}, {agency.name} chưa thành lập (từ ngày {agency.valid_from:%d/%m/%Y})."
        )
    assert agency.valid_to is not None  # exists_on said no, and not for its start
    raise InvalidInput(
        f"Vào ngày {day:%d/%m/%Y}, {agency.name} đã kết thúc hoạt động (ngày {agency.valid_to:%d/%m/%Y})."
    )


def successor_of(session: Session, code: str) -> tuple[Succession, list[Agency]] | None:
    """The succession that ended agency ``code`` and its successors, if one did."""
    for succession in session.exec(select(Succession).order_by(col(Succession.effective_on))):
        if code in succession.from_codes:
            codes = [s["agency"] for s in succession.successors]
            found = session.exec(select(Agency).where(col(Agency.code).in_(codes))).all()
            return succession, sorted(found, key=lambda a: codes.index(a.code))
    return None


def holding_today(session: Session, successors: list[Agency], today: date, seen: set[str]) -> list[Agency]:
    """``successors`` as they stand ``today``: each that a later succession has ended by then replaced
    by the bodies that succession names (none for a dissolution: the secretariat decides), in order,
    once each. A body renamed on 01/08 and the renamed one merged on 01/09: its old link names the
    merged body, not the renamed one that no longer exists."""
    found: list[Agency] = []
    for successor in successors:
        later = successor_of(session, successor.code) if successor.code not in seen else None
        if later is not None and later[0].effective_on <= today:
            now_held = holding_today(session, later[1], today, seen | {successor.code})
        else:
            now_held = [successor]
        found += [a for a in now_held if a.code not in {f.code for f in found}]
    return found


@dataclass(frozen=True)
class WorkLeft:
    """Where the open work a body that ended held stands at an instant: the parts passed on, by the
    body holding them then (the last of a chain of transfers done by then: renamed, then merged),
    the parts waiting for the secretariat in "Cần phân công lại", and those closed while they waited
    (cancelled, or their report verified: no body took them over)."""

    passed: list[tuple[str, int]] = field(default_factory=list)  # (body's name, parts), most parts first
    waiting: int = 0
    closed: int = 0
    # of ``waiting``, the parts given to nobody: their giving day after the body's end (engine.services.waiting_work)
    waiting_not_given: int = 0

    @property
    def total(self) -> int:
        return sum(n for _, n in self.passed) + self.waiting + self.closed


def _stood_at(transfer: AgencyTransfer, now: datetime) -> str:
    """A transfer's state at ``now``: a decision taken after ``now`` (a look-back) had not been taken
    then, so the work still waited (a done transfer never queued is decided as it is recorded)."""
    if transfer.decided_at is not None and transfer.decided_at > now:
        return TransferStatus.PENDING.value
    return TransferStatus(transfer.status).value


def work_left(session: Session, agency_id: int, now: datetime) -> WorkLeft:
    """Where the work ``agency_id`` handed on stands at ``now``: the transfers recorded by then, each
    as it stood then (:func:`_stood_at`), followed along the chain a later succession made of it; of
    the parts waiting, those never given, by waiting_work's rule (not the transfer's mark alone)."""
    from_it = core_select(col(AgencyTransfer.assignment_id)).where(col(AgencyTransfer.from_agency_id) == agency_id)
    rows = session.exec(
        select(AgencyTransfer)
        .where(col(AgencyTransfer.assignment_id).in_(from_it), col(AgencyTransfer.recorded_at) <= now)
        .order_by(col(AgencyTransfer.recorded_at), col(AgencyTransfer.id))
    ).all()
    by_assignment: dict[int, list[AgencyTransfer]] = defaultdict(list)
    for row in rows:
        by_assignment[row.assignment_id].append(row)
    passed: dict[int, int] = defaultdict(int)
    waiting: list[int] = []
    closed = 0
    for assignment_id, transfers in by_assignment.items():
        at = next((i for i, t in enumerate(transfers) if t.from_agency_id == agency_id), None)
        if at is None:
            continue
        state = _stood_at(transfers[at], now)
        while state == TransferStatus.DONE.value:
            holder = transfers[at].to_agency_id
            later = next((i for i in range(at + 1, len(transfers)) if transfers[i].from_agency_id == holder), None)
            if later is None:
                break
            at, state = later, _stood_at(transfers[later], now)
        receiver = transfers[at].to_agency_id
        if state == TransferStatus.DONE.value and receiver is not None:
            passed[receiver] += 1
        elif state == TransferStatus.CLOSED.value:
            closed += 1
        else:
            waiting.append(assignment_id)
    names: dict[int, str] = {
        int(i): str(name)
        for i, name in session.execute(
            core_select(col(Agency.id), col(Agency.name)).where(col(Agency.id).in_(list(passed)))
        )
    }
    by_count = sorted(((names[i], n) for i, n in passed.items()), key=lambda p: (-p[1], p[0]))
    # of the waiting parts, those given to nobody: the one rule of it, as the queue and the board count them
    return WorkLeft(by_count, len(waiting), closed, not_given_among(session, waiting, now))


def succeeded_vi(old: Agency, succession: Succession, successors: list[Agency], work: WorkLeft) -> str:
    """The one sentence on a body that no longer exists (its old link's page, ``links issue``,
    ``tokens create``): when and how it ended (by its own validity alone: :func:`validity_end`, "hết
    thời hạn hoạt động, chưa ghi nhận cơ quan kế nhiệm"), and where its open work stands at the instant read
    (:func:`work_left`): which bodies received how many parts, how many wait for the secretariat,
    how many were closed as they waited. A body named as receiving work received it."""
    if work.total:
        parts = [f"{n} phần việc đã chuyển cho {name}" for name, n in work.passed]
        if work.waiting:
            apart = f" ({not_given_waiting_vi(work.waiting_not_given)})" if work.waiting_not_given else ""
            parts.append(f"{vn_count(work.waiting)} phần việc đang chờ Tổ giúp việc phân công lại{apart}")
        if work.closed:
            parts.append(f"{work.closed} phần việc đã đóng khi chờ (hủy hoặc hoàn thành), không chuyển cho cơ quan nào")
        then = "công việc chưa hoàn thành khi đó: " + "; ".join(parts)  # passed on, waiting or closed since
    elif successors:  # nothing handed on (yet): the successor by the catalog, no claim of work passed
        then = f"cơ quan kế nhiệm: {'; '.join(a.name for a in successors)}; chưa có phần việc nào được chuyển"
    else:
        then = "nhiệm vụ chưa hoàn thành do Tổ giúp việc phân công lại"  # the kind says there is no successor
    return (
        f"{old.name} không còn từ ngày {succession.effective_on:%d/%m/%Y} "
        f"({KIND_LABELS_VI[succession.kind]}): {then}. Căn cứ: {succession.source}."
    )


class AgencySucceeded(DomainError):
    """A body a succession ended: its links stop working and the page says where its work went
    (:func:`succeeded_vi`)."""

    code = "agency_succeeded"

    def __init__(
        self, old: Agency, succession: Succession, successors: list[Agency], work: WorkLeft | None = None
    ) -> None:
        super().__init__(succeeded_vi(old, succession, successors, work or WorkLeft()))
        self.successors = successors


def refuse_if_succeeded(session: Session, agency: Agency, now: datetime, days: LocalDays) -> None:
    """AgencySucceeded when ``agency`` no longer exists on ``now``'s day (``days``): a succession has
    ended it, or its own validity has (the rule the mails follow:
    engine.escalation.recipients.ended_agencies). Its work as it stands at ``now``."""
    today = days.local_date(now)
    found = successor_of(session, agency.code)
    if found is not None and found[0].effective_on <= today:
        successors = holding_today(session, found[1], today, {agency.code})
        raise AgencySucceeded(agency, found[0], successors, work_left(session, agency.id or 0, now))
    if agency.valid_to is not None and agency.valid_to < today:  # its work waits for the secretariat, or went on
        ending = validity_end(agency.code, agency.valid_to, now)
        raise AgencySucceeded(agency, ending, [], work_left(session, agency.id or 0, now))
