"""The daily digests: one mail per leader and one for the secretariat, per local day.

Leaders (standing vice-chair, chair) get every HELD escalation addressed to them whose
assignment is still open, grouped by agency, on working days only (a setting); a snooze does not
take a row off (policy.snooze_pauses), and the row says until when the body's reminders are paused. The secretariat
gets the board's counts at the same instant (:func:`board_tallies`: the board's totals, counted
by the board's own rows and categories), its held items that are still relevant, the overdue
work whose reminders it snoozed (counted in the board's overdue figure, so listed apart rather than
left out: :func:`_snoozed_overdue`) and the mails that failed since its previous digest.

Everything a digest says is computed when it is built, from the database: lateness in working
days is counted from the assignment's due date to the digest's day, never copied from the
moment an escalation was decided (what one build reads once and shares between its digests is
read at its instant: :class:`Reading`). A digest still undelivered after its day is built again
before sending (:func:`rebuild`, called by the delivery worker). Held rows stay held (an
escalation stays in the leaders' digest every day until the assignment moves); a digest lists
the ids of the rows it carries (``data["carried"]``) and its delivery marks them
(``carried_by_id``). A leader's digest says once what the history recorded since its previous sent
digest that puts an escalation it was told of in doubt (notifications.doubted), and is sent for that alone.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from functools import cached_property
from typing import Any

from sqlalchemy import bindparam, func
from sqlalchemy import select as core_select
from sqlmodel import Session, col, select

from dondoc.engine.actors import RECIPIENT_LABELS_VI, Recipient
from dondoc.engine.clock import LocalDays, local_date
from dondoc.engine.escalation.facts import working_days_overdue, working_days_waiting
from dondoc.engine.escalation.policy import HELD_KINDS, TRIGGERS, Policy, Trigger, Withheld, load_policy, withheld_why
from dondoc.engine.escalation.recheck import FACTS, facts_of, judge
from dondoc.engine.escalation.recipients import Person, committee_addresses, ended_agencies, seat_mailbox
from dondoc.engine.escalation.reminded import Heard, heard_since
from dondoc.engine.escalation.sweep import rung_day
from dondoc.engine.models import (
    TERMINAL_STATE_VALUES,
    Agency,
    Assignment,
    Milestone,
    Notification,
    NotificationStatus,
    Plan,
    PlanItem,
    SweepRun,
)
from dondoc.engine.models.assignments import role_label, unconfirmed
from dondoc.engine.models.plans import LEAD_HEADING, PRIORITY
from dondoc.engine.reports.counted import waiting_words
from dondoc.engine.services.asked_of import handed_on_askers
from dondoc.engine.services.assignment_filter import AssignmentFilter
from dondoc.engine.services.explanations import (
    Exchange,
    extension_waiting,
    latest_explanations,
    open_extension_requests,
)
from dondoc.engine.services.extension_queue import pending_extensions
from dondoc.engine.services.inferred_parts import INFERRED_GROUP_NAME, guessed_for_predecessor_vi, guessed_members
from dondoc.engine.services.overdue_lists import overdue_count, overdue_now, pretracking_count
from dondoc.engine.services.queues import (
    EXPLANATION_QUEUE,
    EXTENSION_QUEUE,
    REASSIGN_QUEUE,
    any_reassignment,
    queue_by_slug,
)
from dondoc.engine.services.returned import returned_said
from dondoc.engine.services.snoozes import snoozed_at
from dondoc.engine.services.transfer_origins import Received, late_of, received_on
from dondoc.engine.services.web_queries import (
    board_tallies,
    unacknowledged,
    unacknowledged_backlog,
    unacknowledged_parts,
)
from dondoc.engine.settings import Settings
from dondoc.engine.status import Category, extension_note
from dondoc.engine.textfold import vi_sort_key
from dondoc.engine.vi_format import vn_date
from dondoc.engine.workcalendar import WorkCalendar
from dondoc.notifications.context import before_kept_said, day_off, format_date, given_late, standing_since
from dondoc.notifications.desk_queues import desk_queues
from dondoc.notifications.doubted import doubt_rows, doubted_since
from dondoc.notifications.outbox import MailSpec, enqueue

DIGEST_ROLES = (Recipient.VICE_CHAIR, Recipient.CHAIR, Recipient.SECRETARIAT)  # in the order they are queued
# Held kinds the secretariat's digest lists in another kind's section: work overdue the day it was
# given (a plan issued after its own date) is overdue work like any other.
SECRETARIAT_SECTION_OF = {"overdue_at_issue": "overdue"}
# its sections, in their order: the kinds it carries (policy.HELD_KINDS, the one table of them)
SECRETARIAT_KINDS = tuple(k for k in HELD_KINDS[Recipient.SECRETARIAT] if k not in SECRETARIAT_SECTION_OF)
MAX_FAILED_LISTED = 100
EXTENSIONS_LISTED = 100  # the secretariat digest's undecided extension requests, the longest waiting first
REASSIGNMENTS_LISTED = 20  # its work waiting in "Cần phân công lại", the oldest first (the count says all)
EXPLANATIONS_LISTED = 20  # the explanation requests waiting in "Chờ giải trình", the oldest first (ditto)
SNOOZED_LISTED = 50  # its overdue work whose reminders it paused: this year's first, the longest late first


def digest_key(role: str, now: datetime, settings: Settings) -> str:
    """``digest:<role>:<YYYY-MM-DD>`` for the local day of ``now``."""
    return f"digest:{role}:{local_date(now, settings.tz).isoformat()}"


def working_days_late(due_at: datetime | None, now: datetime, calendar: WorkCalendar, settings: Settings) -> int | None:
    """Working days from the due day to ``now``'s day, as the sweep counts them; None with no due date."""
    if due_at is None:
        return None
    return working_days_overdue(local_date(due_at, settings.tz), local_date(now, settings.tz), calendar)


def digest_day(role: Recipient, day: date, settings: Settings, calendar: WorkCalendar) -> bool:
    """Whether ``role`` gets a digest on ``day``: a leader's waits for a working day (when
    ``settings.digest_working_days_only``), the secretariat's does not."""
    if role is Recipient.SECRETARIAT or not settings.digest_working_days_only:
        return True
    return calendar.is_working_day(day)


class Reading:
    """What one build of the digests reads or counts once at ``now`` and shares between its digests
    (and between the rows of each): the held rows of the roles it builds for, the committee's
    roster on ``now``'s day, each due date's working days late and its printed date.

    A Reading lives for one build (one transaction, one instant) and is never kept, so everything
    it holds is what a fresh computation at ``now`` gives: the held rows (with their assignments)
    and the roster are read at the first digest that needs them, and making a digest writes only
    its own outbox row (and its link's grant), never a held row, an assignment or the roster, so
    the next digest of the build would read the same; the working days late of a due date are
    :func:`working_days_late` of that very due date at ``now`` and its printed date ``format_date``
    of that instant (both keyed by the instant).
    """

    def __init__(
        self,
        session: Session,
        now: datetime,
        settings: Settings,
        calendar: WorkCalendar,
        roles: tuple[Recipient, ...] = DIGEST_ROLES,
    ) -> None:
        self.session, self.now, self.settings, self.calendar = session, now, settings, calendar
        self.roles = roles  # whose held rows are read (in one query)
        self.today = local_date(now, settings.tz)
        self._late: dict[datetime, int | None] = {}
        self._printed: dict[datetime, str | None] = {}

    def digest_day(self, role: Recipient) -> bool:
        return digest_day(role, self.today, self.settings, self.calendar)

    @cached_property
    def policy(self) -> Policy:
        return load_policy(self.settings.policy_file)

    @cached_property
    def committee(self) -> dict[Recipient, Person]:
        """The committee's addresses on ``now``'s day."""
        return committee_addresses(self.session, self.today)

    @cached_property
    def gone(self) -> set[int]:
        """The agencies that no longer exist today (recipients.ended_agencies, the sweep's own rule)."""
        return ended_agencies(self.session, self.today)

    @cached_property
    def held(self) -> dict[Recipient, list[Any]]:
        """The held rows of each role of ``roles`` (of its HELD_KINDS) whose assignment is still
        open, newest first: rows of _HELD, one query for all roles."""
        kinds = sorted({kind for role in self.roles for kind in HELD_KINDS[role]})
        params = {"roles": [role.value for role in self.roles], "kinds": kinds}
        found: dict[Recipient, list[Any]] = {role: [] for role in self.roles}
        wanted = {role.value: (found[role], HELD_KINDS[role]) for role in self.roles}
        for held in self.core().execute(_HELD, params):
            rows, of_role = wanted[held.recipient_role]
            if held.kind in of_role:
                rows.append(held)
        return found

    @cached_property
    def received(self) -> dict[int, Received]:
        """How the body holding each held row's assignment today came to hold it, when a transfer
        passed it (transfer_origins.received_on): one statement a build, not one a row."""
        ids = sorted({held.assignment_id for rows in self.held.values() for held in rows})
        return received_on(self.session, ids, self.today)

    @cached_property
    def received_late(self) -> dict[int, Received]:
        """Those of :attr:`received` their holder received after their date (transfer_origins.late_of,
        the test the agency pages, the leaders' lists and the periodic report read): said with their
        lateness; work held before its date is late on its own account."""
        due = {held.assignment_id: held.due_at for rows in self.held.values() for held in rows}
        return late_of(self.received, due, self.settings.tz)

    def late(self, due_at: datetime | None) -> int | None:
        """:func:`working_days_late` of ``due_at`` at ``now``."""
        if due_at is None:
            return None
        if due_at not in self._late:
            self._late[due_at] = working_days_late(due_at, self.now, self.calendar, self.settings)
        return self._late[due_at]

    def printed(self, instant: datetime | None) -> str | None:
        """``format_date`` of ``instant``."""
        if instant is None:
            return None
        if instant not in self._printed:
            self._printed[instant] = format_date(instant, self.settings)
        return self._printed[instant]

    def core(self) -> Any:
        """The session's connection for a Core read, pending ORM changes flushed first (what the
        ORM would do before its own query: they are read too)."""
        if self.session.autoflush:
            self.session.flush()
        return self.session.connection()


# The held rows of some recipient roles and kinds whose assignment is still open, newest first:
# the columns a digest row needs (not whole outbox rows, each with its rendered bodies), built once
# (the roles and the kinds are its parameters) and read through Core.
_HELD = (
    core_select(
        col(Notification.id),
        col(Notification.kind),
        col(Notification.created_at).label("decided_at"),
        col(Notification.recipient_role),
        col(Notification.data),
        col(Notification.recipient_email),
        col(Notification.recipient_name),
        col(Assignment.id).label("assignment_id"),
        col(Assignment.state),
        col(Assignment.due_at),
        col(Assignment.snoozed_until),
        col(Assignment.waiting_condition_since),
        col(Assignment.inferred_group),
        col(Assignment.membership_confirmed_at),
        INFERRED_GROUP_NAME,
        col(PlanItem.code).label("item_code"),
        col(PlanItem.title).label("item_title"),
        col(Agency.name).label("agency_name"),
        col(Assignment.agency_id),
        col(Agency.valid_to).label("agency_valid_to"),
        col(Assignment.role),
        col(Milestone.label).label("milestone_label"),
        col(Milestone.kind).label("milestone_kind"),
        col(Milestone.start_date).label("milestone_start"),
        col(Milestone.due_date).label("milestone_due"),
        col(Milestone.phrase).label("deadline_phrase"),
        col(Milestone.period_code),
        col(Assignment.original_due_at),
        col(Plan.issued).label("plan_issued"),
        col(Assignment.assigned_at),
        col(Assignment.reported_at),
        LEAD_HEADING,
        PRIORITY,
        *FACTS,  # what the pre-send re-check reads beside the assignment (recheck.judge)
    )
    .join(Assignment, col(Notification.assignment_id) == col(Assignment.id))
    .join(Milestone, col(Assignment.milestone_id) == col(Milestone.id))
    .join(PlanItem, col(Milestone.item_id) == col(PlanItem.id))
    .join(Plan, col(PlanItem.plan_id) == col(Plan.id))
    .join(Agency, col(Assignment.agency_id) == col(Agency.id))
    .where(col(Notification.status) == NotificationStatus.HELD.value)
    .where(col(Notification.recipient_role).in_(bindparam("roles", expanding=True)))
    .where(col(Notification.kind).in_(bindparam("kinds", expanding=True)))
    .where(col(Assignment.state).not_in(TERMINAL_STATE_VALUES))
    .order_by(col(Notification.created_at).desc(), col(Notification.id).desc())
)


def _held(reading: Reading, role: Recipient) -> list[dict[str, Any]]:
    """Held rows for ``role`` that are still true now, one per (kind, assignment), as digest rows,
    the latest first (most working days late now)."""
    rows: dict[tuple[str, int], dict[str, Any]] = {}
    # each held row is judged on its assignment as the query read it, now.
    for held in reading.held[role]:
        key = (SECRETARIAT_SECTION_OF.get(held.kind, held.kind), held.assignment_id)  # one line per section
        if not _true_now(reading, held):
            continue  # a stale decision is left out
        if key in rows:  # the newest decision per assignment is listed; the older ones are carried too
            rows[key]["carried"].append(held.id)
            continue
        due = held.data.get("due_at")
        late = _given_late(held.due_at, held.assigned_at, held.plan_issued, reading.settings)
        given_after = bool(late["issued"] or late["given_date"])  # given after its date: late from that day
        # a report waiting for the secretariat: the work is in, late only if its report came after its
        # date; what is late now is the verification (24/03: four reports sent on 17/03, due 20/03, were
        # listed "quá hạn 2 ngày làm việc")
        waiting = held.kind == UNVERIFIED and held.reported_at is not None
        moved = reading.received.get(held.assignment_id)  # how its holder came to hold it, if passed on
        received = reading.received_late.get(held.assignment_id)  # … after its date: said with its lateness
        # kept from the leaders only when a rung of the policy would tell them of its role (a partner's
        # part never reaches them: nothing is withheld of it, confirmed or not)
        withheld = withheld_why(
            held.inferred_group,
            held.membership_confirmed_at,
            bool(held.due_by_convention),
            leader_bound=reading.policy.leader_bound(held.role, bool(held.priority)),
        )
        rows[key] = {
            "notification_id": held.id,
            "carried": [held.id],
            "kind": held.kind,
            "assignment_id": held.assignment_id,
            "item_code": held.item_code,
            "item_title": held.item_title,
            "agency_name": held.agency_name,
            # a body that no longer exists: nobody there to chase; the secretariat reassigns or cancels
            "agency_ended_on": vn_date(held.agency_valid_to) if held.agency_id in reading.gone else None,
            # its body ended and it waits in "Cần phân công lại" (listed there too: _explain_sections)
            "waiting_transfer": bool(held.waiting_transfer),
            # which obligation of the item (two rows of one item differ by it), and the body's part in it
            "milestone_label": held.milestone_label,
            "role": role_label(held.role, held.lead_heading).lower(),
            # the text's "nhiệm vụ trọng tâm" (the milestone's flag, else its item's): the chair asks for these first
            "priority": bool(held.priority),
            # given after its date (the plan issued after it, or the body named after it): late from
            # the day it was given, not by the count alone
            **late,
            "due_date": reading.printed(datetime.fromisoformat(due) if due else held.due_at),
            # a date an extension moved: said so, with the text's first date, as the leaders' page says it
            "extended": extension_note(held.deadline_phrase, held.due_at, held.original_due_at, reading.settings.tz),
            # the secretariat paused the body's reminders (policy.snooze_pauses): the leaders' rows stay,
            # and say so with the day the pause lasts to (the body is not being chased meanwhile)
            "snoozed_until": reading.printed(held.snoozed_until)
            if held.snoozed_until is not None and held.snoozed_until > reading.now
            else None,
            # the text's day, when the day-off rule moved the date ("Năm 2022": 31/12, due 03/01/2023)
            "day_off": day_off(held.milestone_due, held.original_due_at, held.due_at, reading.settings),
            # "trước ngày X" due at the end of X: the text's words and the secretariat's reading, as the
            # part's own mails and the pages say it (the chair read "hạn 20/09/2022" of "trước ngày 20")
            "before_kept": before_kept_said(
                held.deadline_phrase,
                held.plan_issued.year,
                held.due_at,
                reading.settings,
                of_period=held.period_code is not None,
            ),
            # a standing duty ("kể từ ngày …"): no end date by design, not one still to be set
            "standing_since": standing_since(held.milestone_kind, held.milestone_start, held.due_at),
            "working_days_overdue": None if waiting else reading.late(held.due_at),
            **(
                _report_waiting(reading, held.due_at, held.reported_at, held.assigned_at if given_after else None)
                if waiting
                else {}
            ),
            # given after its date: the working days since the day it was given, beside those since its date
            "days_since_given": reading.late(held.assigned_at) if not waiting and given_after else None,
            # received from another body (a succession) after its date: from whom, on which day, and
            # the working days since, said first (engine.status.given_late_words)
            **_received(reading, None if waiting else received),
            # the secretariat's: it passed to its holder after this row was decided, so the rung was of the
            # body that held it then, not of its holder now (the 2025 replay listed Sở KH&CN, named on
            # 05/03/2025, under "đã đôn đốc" for a rung of October 2024 that had chased Sở TT&TT)
            **(
                {"passed_after": _passed_after(reading, moved, held.decided_at)}
                if role is Recipient.SECRETARIAT
                else {}
            ),
            "recipient_email": held.recipient_email,
            "recipient_name": held.recipient_name,
            # the body is given it through an inferred group, not confirmed yet (said of any role: the
            # secretariat confirms or cancels it from its queue), judged now
            "unconfirmed_group": held.inferred_group_name or held.inferred_group
            if unconfirmed(held.inferred_group, held.membership_confirmed_at)
            else None,
            # the leaders are not told of it (policy.withheld_why, told_while_withheld), and the row says
            # why: that group, or its date is the secretariat's convention, no document's (a partner's
            # part: nothing to say of the leaders; its milestone's label names the convention)
            "leaders_kept": withheld is not None,
            "by_convention": withheld is Withheld.CONVENTION,
            # the leader a rung would have reached, when this row was written in its place
            "withheld_from": RECIPIENT_LABELS_VI.get(held.data.get("withheld_from") or "", None),
        }
    # a part given through the group to a body that has since ended: the guess was about that body, not
    # about its successor, the row's body (the one clause of engine.services.inferred_parts)
    members = guessed_members(reading.session, [r["assignment_id"] for r in rows.values() if r["unconfirmed_group"]])
    for row in rows.values():
        member = members.get(row["assignment_id"])
        row["guessed_before"] = (
            guessed_for_predecessor_vi(row["unconfirmed_group"], member, row["agency_name"])
            if member and row["unconfirmed_group"]
            else None
        )
    return sorted(
        rows.values(), key=lambda r: (-(r["working_days_overdue"] or r.get("days_waiting") or 0), r["item_code"])
    )


def _true_now(reading: Reading, held: Any) -> bool:
    """Whether the held row ``held`` (of _HELD) still says what is true at the reading's instant."""
    return judge(held.kind, held.data, held, reading.now, **facts_of(held)) is None


def told_untrue(
    session: Session, role: str, carried: Iterable[int], *, now: datetime, settings: Settings, calendar: WorkCalendar
) -> bool:
    """Whether a digest to ``role`` built earlier in its day tells of a held row (``carried``) that
    is no longer true at ``now``: the agency reported, the date was extended, … since it was built.
    Sent as it was built (the relay down at 07:30, back at 10:00), it listed work reported at 09:00
    as overdue and "chưa báo cáo kết quả"; such a digest is built again before it leaves (:func:`rebuild`)."""
    reading = Reading(session, now, settings, calendar, (Recipient(role),))
    true_now = {held.id for held in reading.held[Recipient(role)] if _true_now(reading, held)}
    return not set(carried) <= true_now


UNVERIFIED = "report_unverified"


def _report_waiting(
    reading: Reading, due_at: datetime | None, reported_at: datetime, given_at: datetime | None = None
) -> dict[str, Any]:
    """A waiting report's line: the day it was sent, whether after its date (as the board judges it:
    ``reported_at`` past ``due_at``; a Saturday's report of Friday's work is late, by less than a
    working day) and by how many working days, and the working days it has waited since. ``given_at``:
    the work was given after its date, then: the working days from that day to the report, said first,
    as its page says them (engine.status.reported_given_late_words)."""
    tz = reading.settings.tz
    reported_day = local_date(reported_at, tz)
    late = due_at is not None and reported_at > due_at
    after = working_days_overdue(local_date(due_at, tz), reported_day, reading.calendar) if late and due_at else None
    given_day = local_date(given_at, tz) if given_at is not None and late else None
    return {
        "reported_date": reading.printed(reported_at),
        "reported_on_time": due_at is not None and not late,
        "reported_late": after,
        "reported_since_given": None
        if given_day is None
        else working_days_overdue(given_day, reported_day, reading.calendar),
        "reported_given_on": None if given_day is None else vn_date(given_day),
        "days_waiting": working_days_waiting(reported_day, reading.today, reading.calendar),
    }


def _given_late(
    due_at: datetime | None, given: datetime | None, issued: date | None, settings: Settings
) -> dict[str, Any]:
    """A digest row's note on work given after its own date: ``issued``, the plan's issue day
    (dd/mm/yyyy) when the plan itself came after the date; ``given_date``, the day the body was
    given it when that came after the date but the plan did not; else both None."""
    late = given_late(due_at, given, issued, settings)
    if late["given_date"] is None:
        return {"issued": None, "given_date": None}
    if late["plan_after_due"]:
        return {"issued": vn_date(issued), "given_date": None}
    return {"issued": None, "given_date": late["given_date"]}


def _received(reading: Reading, received: Received | None) -> dict[str, Any]:
    """A digest row's note on work its body received from another after its date: the body's name
    (``received_from``), the day (``received_date``, dd/mm/yyyy) and the working days since
    (``days_since_received``); all None for any other row."""
    if received is None:
        return {"received_from": None, "received_date": None, "days_since_received": None}
    return {
        "received_from": received.from_name,
        "received_date": vn_date(received.on),
        "days_since_received": working_days_overdue(received.on, reading.today, reading.calendar),
    }


def _passed_after(reading: Reading, received: Received | None, decided_at: datetime) -> dict[str, str] | None:
    """A held row's note on the part's passing to its holder after the row was decided (``decided_at``,
    the row's writing; ``received``, how its holder came to hold it: transfer_origins.received_on): the
    day the row was decided (``told``), the body it passed from (``from``) and the day (``on``), all
    dd/mm/yyyy; None when its holder held it that day (a transfer of the same day is not told apart)."""
    if received is None:
        return None
    told = local_date(decided_at, reading.settings.tz)
    if received.on <= told:
        return None
    return {"told": vn_date(told), "from": received.from_name, "on": vn_date(received.on)}


def _explanation(asked: Exchange, settings: Settings) -> dict[str, Any]:
    """What a digest row says of the assignment's latest request for an explanation (JSON-able)."""
    return {
        "question": asked.question,
        "asked_by": RECIPIENT_LABELS_VI.get(asked.asked_by, asked.asked_by),
        "asked_date": format_date(asked.asked_at, settings),
        "answered": asked.answer is not None,
        "reply": asked.reply,
        "answered_date": format_date(asked.answered_at, settings),
    }


def _carried(rows: list[dict[str, Any]]) -> list[int]:
    return sorted(i for row in rows for i in row["carried"])


def _heard(reading: Reading, rows: list[dict[str, Any]]) -> Heard:
    """What the bodies of ``rows`` heard of the parts they received from another after their date (the
    rows that say so: :func:`_received`) since the day they received them
    (engine.escalation.reminded.heard_since): every rung of the ladder to a body came before it
    received the work, and went to the body that held it then; the mail telling it of the work it
    received said it was late."""
    received = {row["assignment_id"]: reading.received[row["assignment_id"]].on for row in rows if row["received_from"]}
    return heard_since(reading.session, received, reading.settings.tz)


def _left_waiting(reading: Reading, role: Recipient) -> int:
    """How many parts of the held rows for ``role`` are left out only because they wait in "Cần phân
    công lại" now (recheck.judge's last reason: their body ended, nobody holds them): the digest says
    how many, in the words of the leaders' page (counted.waiting_words); the 2025 replay's digests went
    from 4 parts to 3 with nothing said."""
    left = {
        held.assignment_id
        for held in reading.held[role]
        if held.waiting_transfer
        and judge(held.kind, held.data, held, reading.now, **(facts_of(held) | {"waiting_transfer": False})) is None
    }
    return len(left)


def _leader_spec(reading: Reading, role: Recipient, key: str) -> MailSpec | None:
    settings = reading.settings
    if not reading.digest_day(role):
        return None  # a day off: the held rows wait for the next working day's digest
    rows = _held(reading, role)
    # what it was told before that the history has since put in doubt: said once, in this digest
    doubts = doubt_rows(reading.session, doubted_since(reading.session, role, key, reading.now), settings)
    if not rows and not doubts:
        return None
    recipient = seat_mailbox(reading.committee, role)  # whoever holds the seat on the day, else nobody: failed
    ids = [row["assignment_id"] for row in rows]
    explained = latest_explanations(reading.session, ids)
    returned = returned_said(reading.session, ids, now=reading.now, tz=settings.tz)
    extensions = open_extension_requests(reading.session, ids)
    handed = handed_on_askers(reading.session, extensions)  # asked by the body that held the part before
    heard = _heard(reading, rows)
    by_agency: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        # received after its date, its body not reminded since (and not paused: the snooze says it):
        # told of it only by the mail of its receipt (the day it was), or told nothing
        received = bool(row["received_from"]) and not row["snoozed_until"]
        told = heard.told_only(row["assignment_id"]) if received else None
        row["told_on_receipt"] = vn_date(told) if told is not None else None
        row["unreminded"] = received and heard.nothing(row["assignment_id"])
        asked = explained.get(row["assignment_id"])
        row["explanation"] = _explanation(asked, settings) if asked is not None else None
        # reported, and returned to complete: not work its body never reported (the opening says how many)
        row["returned"] = returned.get(row["assignment_id"])
        extension = extensions.get(row["assignment_id"])
        row["extension"] = (
            None
            if extension is None
            else extension_waiting(
                extension, reading.today, reading.calendar, settings.tz, handed.get(row["assignment_id"])
            )
        )
        by_agency[row["agency_name"]].append(row)
    groups = [
        {
            "agency_name": name,
            "ended_on": items[0]["agency_ended_on"],
            "count": len(items),
            "tasks": len({row["item_code"] for row in items}),
            "rows": items,
        }
        for name, items in sorted(by_agency.items(), key=lambda kv: (-len(kv[1]), vi_sort_key(kv[0])))
    ]
    day = reading.today.strftime("%d/%m/%Y")
    # a row is one body's part of a task: 64 parts may be 3 tasks (a quarterly report owed by 30 bodies)
    tasks = len({row["item_code"] for row in rows})
    data = {
        "day": day,
        "total": len(rows),
        "tasks": tasks,
        "priority": sum(1 for row in rows if row["priority"]),
        # the rows whose bodies' reminders the secretariat paused: "Tổ giúp việc đã nhắc …" is not said of them
        "paused": sum(1 for row in rows if row["snoozed_until"]),
        # nor of those its body received after their date and was not reminded of since (_heard): told
        # of them only when it received them, or told nothing
        "told_on_receipt": sum(1 for row in rows if row["told_on_receipt"]),
        "unreminded": sum(1 for row in rows if row["unreminded"]),
        # rows reported whose report the secretariat returned: "chưa báo cáo kết quả" is not said of them
        "returned": sum(1 for row in rows if row["returned"]),
        # rows received after their date lead with the days since received, fewer than the rungs'
        # figure: the opening says its figure counts from the date (engine.status.given_late_words)
        "received_late": sum(1 for row in rows if row["received_from"]),
        # the rungs that bring a row to this leader, in working days late (policy.yaml), if one can be said
        "thresholds": reading.policy.leader_thresholds(role),
        # the parts it was to hear of that now wait in "Cần phân công lại": said, as its page says it
        "waiting_note": waiting_words(_left_waiting(reading, role), "phần việc quá hạn", verb="Không nêu"),
        "groups": groups,
        "doubts": doubts,
        "carried": _carried(rows),
    }
    return MailSpec(
        key,
        "digest_leader",
        role,
        recipient.email,
        recipient.name,
        None,
        None,
        held=False,
        data=data,
    )


# Whether any mail failed (an index range on (status, next_attempt_at)); when the previous
# secretariat digest was made: the latest one but today's (the end of its kind's range in
# ix_notification_kind_created) that was sent. One that failed (the seat with no address, its mailbox
# refusing it) told nobody: the mails it alone listed had been in no digest anyone read, only in the
# queue's count. Nor one still pending: rebuilt before it leaves, it had counted from itself (and listed
# none of the mails it was made for), and replaced unsent by the next day's, it had passed its mails on
# to no digest. A mail may so be listed in two digests; never in none.
_ANY_FAILED = (
    core_select(col(Notification.id)).where(col(Notification.status) == NotificationStatus.FAILED.value).limit(1)
)
_PREVIOUS_SECRETARIAT = core_select(func.max(col(Notification.created_at))).where(
    col(Notification.kind) == "digest_secretariat",
    col(Notification.dedupe_key) != bindparam("today_key"),
    col(Notification.status) == NotificationStatus.SENT.value,
)
# The failed mails (all of them, or those whose last attempt came after ``since``), oldest first:
# the columns the digest lists.
_FAILED_COLUMNS = core_select(
    col(Notification.id),
    col(Notification.kind),
    col(Notification.recipient_email),
    col(Notification.recipient_name),
    col(Notification.subject),
    col(Notification.attempts),
    col(Notification.last_error),
).where(col(Notification.status) == NotificationStatus.FAILED.value)
_FAILED = _FAILED_COLUMNS.order_by(col(Notification.id))
_FAILED_SINCE = _FAILED_COLUMNS.where(col(Notification.next_attempt_at) > bindparam("since")).order_by(
    col(Notification.id)
)


def _failed_since_previous(reading: Reading, key: str) -> tuple[int, list[dict[str, Any]], list[dict[str, Any]]]:
    """Mails that failed since the previous secretariat digest (a failed row's next_attempt_at is when):
    how many; those that failed on an address, listed each; and those written to nobody (a body with
    no address in the catalog, a seat nobody holds with one: engine.escalation.recipients), one line per
    recipient with how many of each kind and their numbers (:func:`_unreached`)."""
    connection = reading.core()
    if connection.execute(_ANY_FAILED).first() is None:
        return 0, [], []  # none failed, ever: none since any digest (the previous one is not looked for)
    previous = connection.execute(_PREVIOUS_SECRETARIAT, {"today_key": key}).scalar_one()
    if previous is None:
        failed = connection.execute(_FAILED).all()
    else:
        failed = connection.execute(_FAILED_SINCE, {"since": previous}).all()
    addressed = [row._asdict() for row in failed if row.recipient_email]
    return len(failed), addressed[:MAX_FAILED_LISTED], _unreached(row for row in failed if not row.recipient_email)


def _unreached(rows: Iterable[Any]) -> list[dict[str, Any]]:
    """The failed mails written to nobody, one entry per recipient (its name), in the order of its first
    mail: how many, how many of each kind (in the order first written), and their numbers. A body with
    no address may miss 30 mails in a day (the 2022 replay's Sở Tài chính on 26/12/2022): its reason,
    the same for each, is said once, not 30 times in 30 lines."""
    found: dict[str, dict[str, Any]] = {}
    for row in rows:
        entry = found.setdefault(row.recipient_name or "", {"kinds": {}, "ids": []})
        entry["kinds"][row.kind] = entry["kinds"].get(row.kind, 0) + 1
        entry["ids"].append(row.id)
    return [
        {"name": name, "count": len(entry["ids"]), "kinds": list(entry["kinds"].items()), "ids": entry["ids"]}
        for name, entry in found.items()
    ]


def _waiting_extensions(reading: Reading) -> tuple[int, list[dict[str, Any]]]:
    """The agencies' extension requests the secretariat has not decided, the longest waiting first
    (the queue "Đề nghị gia hạn", engine.services.extension_queue, as its page lists them): told in
    its digest every day they wait, not only in the one mail sent when each was asked (a request left
    59 working days undecided while the ladder took the work to the chair). A request the body that
    held the part before a succession sent says whose it is, as the queue does. How many, and the
    first ``EXTENSIONS_LISTED``: the count is the queue's own past them (the section's figure had been
    the length of its list, so never more than 100)."""
    local = LocalDays(reading.settings.tz)
    found = pending_extensions(reading.session, reading.now, reading.calendar, local=local, limit=EXTENSIONS_LISTED)
    count = len(found)
    if count >= EXTENSIONS_LISTED:
        count = queue_by_slug(EXTENSION_QUEUE).count(reading.session, reading.now, local, AssignmentFilter())
    return count, [
        {
            "assignment_id": row.assignment.id,  # what the check before it leaves compares (:func:`extensions_untrue`)
            "item_code": row.assignment.item_code,
            "item_title": row.assignment.item_title,
            "agency_name": row.assignment.agency_name,
            "asked_date": vn_date(local.local_date(row.asked_at)),
            "working_days_waiting": row.days_waiting,
            "reason": row.reason,
        }
        | ({"asked_by": row.handed_on_by} if row.handed_on_by else {})
        for row in found
    ]


def extensions_untrue(
    session: Session, data: dict[str, Any], *, now: datetime, settings: Settings, calendar: WorkCalendar
) -> bool:
    """Whether a secretariat digest built earlier in its day (its ``data``) lists the undecided
    extension requests other than they stand at ``now``: one answered since still listed as waiting
    (the clerk opened the queue to decide it again), one sent since left out. Built again before it
    leaves (:func:`rebuild`), as a leaders' digest whose rows say of a request what no longer holds
    is (notifications.asked). A leaders' digest lists none: False."""
    if "extensions" not in data:
        return False
    reading = Reading(session, now, settings, calendar, (Recipient.SECRETARIAT,))
    count, rows = _waiting_extensions(reading)
    return bool(data["extensions"] != rows or data.get("counts", {}).get("extend", len(rows)) != count)


def _waiting_reassignments(reading: Reading) -> tuple[int, list[dict[str, Any]], int]:
    """The work of bodies that ended, waiting in "Cần phân công lại" (engine.services.queues) for the
    secretariat to name who takes it over or cancel it: how many, and the oldest. Nobody is chased for
    it meanwhile, so the secretariat is told every day it waits (the 2025 replay put 398 parts there
    on 01/03 and no mail said so until the secretariat's next digest with other news, on 17/03).
    Counted and listed as the queue's page lists it by default, the tracked work; the pre-tracking
    backlog waiting there (never chased, listed apart on the page) only counted, the third value."""
    if not any_reassignment(reading.session):
        return 0, [], 0
    queue = queue_by_slug(REASSIGN_QUEUE)
    local = LocalDays(reading.settings.tz)
    every = AssignmentFilter()
    backlog = queue.count(reading.session, reading.now, local, every, backlog=True)
    count = queue.count(reading.session, reading.now, local, every, backlog=False)
    if not count:
        return 0, [], backlog
    found = queue.rows(
        reading.session, reading.now, reading.calendar, local, every, limit=REASSIGNMENTS_LISTED, backlog=False
    )
    return (
        count,
        [
            {
                "item_code": row.code,
                "item_title": row.title,
                # which obligation and which part: an item's three milestones read as one line three times
                "milestone_label": row.view.milestone_label if row.view else None,
                "role": row.view.role_label.lower() if row.view else "",
                "agency_name": row.agency,
                "since": vn_date(row.since),
                "working_days_waiting": row.days_waiting,
            }
            for row in found
        ],
        backlog,
    )


def _waiting_explanations(reading: Reading) -> tuple[int, list[dict[str, Any]]]:
    """The explanation requests (of a leader or the secretariat) no body has answered yet, waiting in
    "Chờ giải trình" (engine.services.queues): how many, and the oldest, counted and listed as the
    queue's page lists them by default. The body owes the answer and nobody reminds it (the request
    was mailed once, at once), so the secretariat follows them up; said when there is a digest,
    never a reason for one (the secretariat has nothing to decide: the queue's page has them)."""
    queue = queue_by_slug(EXPLANATION_QUEUE)
    local = LocalDays(reading.settings.tz)
    every = AssignmentFilter()
    count = queue.count(reading.session, reading.now, local, every)
    if not count:
        return 0, []
    found = queue.rows(reading.session, reading.now, reading.calendar, local, every, limit=EXPLANATIONS_LISTED)
    return count, [
        {
            "assignment_id": row.id,  # what the check before it leaves compares (:func:`explanations_untrue`)
            "item_code": row.code,
            "item_title": row.title,
            "milestone_label": row.milestone,
            "agency_name": row.agency,
            "asked_date": vn_date(row.since),
            "working_days_waiting": row.days_waiting,
        }
        for row in found
    ]


def explanations_untrue(
    session: Session, data: dict[str, Any], *, now: datetime, settings: Settings, calendar: WorkCalendar
) -> bool:
    """Whether a secretariat digest built earlier in its day (its ``data``) lists the unanswered
    explanation requests other than they stand at ``now``: one answered since still said "chưa được
    trả lời", one asked since left out of the count. Built again before it leaves (:func:`rebuild`),
    as one whose undecided extension requests changed is (:func:`extensions_untrue`). A leaders'
    digest, or one built before it listed them, lists none: False."""
    if "explanations" not in data:
        return False
    reading = Reading(session, now, settings, calendar, (Recipient.SECRETARIAT,))
    count, rows = _waiting_explanations(reading)
    return bool(data["explanations"] != rows or data.get("counts", {}).get("explain", 0) != count)


def _snoozed_overdue(reading: Reading) -> tuple[int, list[dict[str, Any]]]:
    """The overdue work whose reminders the secretariat paused (policy.snooze_pauses: its own rows
    too, so none is in the section of work chased): how many, and the first, by the board's own
    overdue rule (engine.services.overdue_lists), each with the day its pause lasts to. The board
    counts it overdue, and so do the digest's figures: listed apart, it is not a gap between them (a
    snoozed part was left out of the list and told as "chưa có trong danh sách này")."""
    local = LocalDays(reading.settings.tz)
    found = overdue_now(reading.session, reading.now, reading.calendar, limit=SNOOZED_LISTED, local=local, snoozed=True)
    if not found:
        return 0, []
    count = len(found)
    if count >= SNOOZED_LISTED:
        count = overdue_count(reading.session, reading.now, local=local, snoozed=True)
    paused = snoozed_at(reading.session, [row.view.id for row in found], reading.now)
    return count, [
        {
            "item_code": row.view.item_code,
            "item_title": row.view.item_title,
            "milestone_label": row.view.milestone_label,
            "priority": row.view.priority,
            "role": row.view.role_label.lower(),
            "agency_name": row.view.agency_name,
            "due_date": vn_date(row.view.due_at, local.tz),
            "working_days_overdue": row.working_days_late,
            "snoozed_until": vn_date(paused[row.view.id], local.tz) if row.view.id in paused else None,
        }
        for row in found
    ]


def board_counts(session: Session, now: datetime) -> dict[str, int]:
    """The secretariat digest's counts at ``now``: the board's overdue tile and its "Chờ xác nhận"
    list (state reported), read from the board's own counting (:func:`board_tallies`, the totals
    of :func:`board_summary`), and the work given and not yet acknowledged (:func:`unacknowledged`:
    not every assignment in the state, some of which are not given yet)."""
    board = board_tallies(session, now)
    return {
        "unacknowledged": unacknowledged(session, now),
        "overdue": board.totals[Category.OVERDUE.value],
        "report_unverified": board.states.get("reported", 0),
    }


def _explain_sections(reading: Reading, sections: list[dict[str, Any]]) -> None:
    """What the secretariat digest's sections say beside their rows (in place). The unacknowledged
    section: why the rest of its count is not listed (``rest``, by :func:`_unacknowledged_rest`;
    its count had read 116 over 63 rows, the 53 said nowhere). The overdue section: how many of
    its rows are in the unacknowledged list too (``also_unacknowledged``): given, never
    acknowledged, now overdue. Both: how many of its rows wait in "Cần phân công lại"
    (``also_reassign``: their body ended, the digest lists them under "Phần việc chờ phân công lại"
    too; the 2025 replay listed 4 overdue and 1 unacknowledged in both with nothing said). True in
    each list and counted in each figure, as the board counts them (a part may be in three), and
    said once so that it does not read as a double count."""
    by_kind = {section["kind"]: section for section in sections}
    for section in sections:
        if section["kind"] in ("overdue", UNACKNOWLEDGED):
            section["also_reassign"] = sum(1 for row in section["rows"] if row.get("waiting_transfer"))
    overdue = by_kind.get("overdue")
    unacknowledged = by_kind.get(UNACKNOWLEDGED)
    if unacknowledged is None:
        return
    listed = {row["assignment_id"] for row in unacknowledged["rows"]}
    unacknowledged["rest"], unacknowledged["rungs"] = _unacknowledged_rest(reading, listed)
    if overdue is not None:
        overdue["also_unacknowledged"] = sum(1 for row in overdue["rows"] if row["assignment_id"] in listed)


UNACKNOWLEDGED = TRIGGERS[Trigger.UNACKNOWLEDGED].kind
_FIRST_SWEEP = core_select(func.min(col(SweepRun.now)))  # the ladder's first pass (None: none yet)


def _unacknowledged_rest(reading: Reading, listed: set[int]) -> tuple[dict[str, int], list[int | None]]:
    """The work given and not acknowledged (what the digest's count counts: :func:`unacknowledged_parts`)
    that its list does not carry (``listed``), by why, in this order: ``reassign``, it waits in "Cần
    phân công lại" (its body ended: nobody is chased for it until the secretariat decides, and the
    digest counts it in that section too; the 2025 replay said 33 such parts were "giao từ trước khi
    hệ thống bắt đầu đôn đốc"); ``young``, the first rung "chưa tiếp nhận" to
    the secretariat (policy.first_rung, counted as the sweep counts it: sweep.rung_day) has not come;
    ``snoozed``, its reminders paused (policy.snooze_pauses); ``waiting``, its precondition not met
    (the ladder waits for it); ``untold``, no rung of its ladder reaches the secretariat; ``before``,
    that rung's day came before the reach of the ladder's first pass (the first sweep looks back
    ``lookback_days``, no further: 53 parts of a 2019 plan, given in April 2019 and never
    acknowledged, were in the count of every 2022 digest and chased by no rung); ``other``, none of
    these (the board lists it). With the first rung's working days, of the ordinary and of the
    priority ladder."""
    rungs = {
        priority: reading.policy.first_rung(Trigger.UNACKNOWLEDGED, Recipient.SECRETARIAT.value, priority)
        for priority in (False, True)
    }
    rest = dict.fromkeys(("reassign", "young", "snoozed", "waiting", "untold", "before", "other"), 0)
    tz = reading.settings.tz
    first_pass = reading.core().execute(_FIRST_SWEEP).scalar_one()
    reach = None if first_pass is None else local_date(first_pass - timedelta(days=reading.policy.lookback_days), tz)
    for part in unacknowledged_parts(reading.session, reading.now):
        if part.id in listed:
            continue
        k = rungs[bool(part.priority)]
        if part.waiting_transfer:
            why = "reassign"
        elif part.snoozed_until is not None and part.snoozed_until > reading.now:
            why = "snoozed"
        elif part.waiting_condition_since is not None and part.waiting_condition_since <= reading.now:
            why = "waiting"
        elif k is None:
            why = "untold"
        elif (
            rung := rung_day(Trigger.UNACKNOWLEDGED, k, local_date(part.assigned_at, tz), calendar=reading.calendar)
        ) > reading.today:
            why = "young"
        elif reach is not None and rung < reach:
            why = "before"
        else:
            why = "other"
        rest[why] += 1
    return rest, [rungs[False], rungs[True]]


def _secretariat_spec(reading: Reading, key: str) -> MailSpec | None:
    rows = _held(reading, Recipient.SECRETARIAT)
    # a part whose report the secretariat returned says so, as the leaders' rows do: not work never reported
    ids = [row["assignment_id"] for row in rows]
    returned = returned_said(reading.session, ids, now=reading.now, tz=reading.settings.tz)
    for row in rows:
        row["returned"] = returned.get(row["assignment_id"])
    failed_count, failed, unreached = _failed_since_previous(reading, key)
    extend_count, extensions = _waiting_extensions(reading)
    # the backlog waiting there is said beside the count, never a reason for a digest (nobody chases it)
    reassign_count, reassignments, reassign_backlog = _waiting_reassignments(reading)
    # every other queue of the desk with work waiting on the secretariat (the board header's counts)
    queues = desk_queues(reading.session, reading.now, reading.settings)
    if not rows and not failed_count and not extensions and not reassign_count and not queues:
        return None
    # whoever holds the seat on the day, else nobody: the digest is written failed, in words (it had not
    # been written at all on a day with nothing held, its failed mails and waiting requests told to nobody)
    recipient = seat_mailbox(reading.committee, Recipient.SECRETARIAT)
    # said when there is a digest, never a reason for one (the snooze paused the secretariat's
    # reminding; an explanation waits on its body, not on the secretariat): read only then
    snoozed_count, snoozed = _snoozed_overdue(reading)
    explain_count, explanations = _waiting_explanations(reading)
    sections = [
        {"kind": kind, "count": len(items), "rows": items}
        for kind in SECRETARIAT_KINDS
        for items in [[r for r in rows if SECRETARIAT_SECTION_OF.get(r["kind"], r["kind"]) == kind]]
    ]
    _explain_sections(reading, sections)
    counts = board_counts(reading.session, reading.now) | {"listed": len(rows), "failed": failed_count}
    data = {
        "day": reading.today.strftime("%d/%m/%Y"),
        # the instant its figures were counted: a digest is built before its delivery sends it
        "counted_at": reading.now.astimezone(reading.settings.tz).strftime("%H:%M ngày %d/%m/%Y"),
        "sections": sections,
        "failed": failed,
        "unreached": unreached,
        "extensions": extensions,
        "reassignments": reassignments,
        "explanations": explanations,
        "snoozed": snoozed,
        "queues": queues,
        "counts": counts
        | {
            "reassign": reassign_count,
            "reassign_backlog": reassign_backlog,
            "extend": extend_count,
            "explain": explain_count,
            "snoozed": snoozed_count,
            # open work due before the tracking start (the board's "Tồn đọng trước khi theo dõi"): in no
            # figure above, said beside the overdue one, which the 2022 demo's digest gave with no word of it
            "backlog": pretracking_count(reading.session, reading.now),
            # of it, the work never acknowledged: in no figure either, said beside the unacknowledged one
            # (a replay's digest of 07/01/2022 gave 51 with no word of 66 more)
            "unacknowledged_backlog": unacknowledged_backlog(reading.session, reading.now),
        },
        "carried": _carried(rows),
    }
    return MailSpec(
        key,
        "digest_secretariat",
        "secretariat",
        recipient.email,
        recipient.name,
        None,
        None,
        held=False,
        data=data,
    )


def _spec(reading: Reading, role: Recipient, key: str) -> MailSpec | None:
    if role is Recipient.SECRETARIAT:
        return _secretariat_spec(reading, key)
    return _leader_spec(reading, role, key)


def rebuild(
    session: Session, digest: Notification, *, now: datetime, settings: Settings, calendar: WorkCalendar | None = None
) -> tuple[MailSpec | None, str | None]:
    """A digest still undelivered after its day, or telling of a row no longer true
    (:func:`told_untrue`), built again at ``now``: (the spec to render and send, None) or (None,
    why it is not sent).

    The rebuilt digest is today's (it takes today's key, so no second one is made today); when
    another digest of today to the same role exists already, that one says it all and this one is
    not sent; nor is one with nothing left to say, or a leader's on a day off.
    """
    calendar = calendar or WorkCalendar.default()
    role = Recipient(digest.recipient_role)
    key = digest_key(role, now, settings)
    today = session.exec(select(Notification.id).where(Notification.dedupe_key == key)).first()
    if today is not None and today != digest.id:
        return None, f"Đã có bản tổng hợp hôm nay (thư số {today}) thay cho thư này."
    reading = Reading(session, now, settings, calendar, (role,))
    if not reading.digest_day(role):
        return None, "Ngày nghỉ: các dòng giữ lại chờ bản tổng hợp của ngày làm việc kế tiếp."
    spec = _spec(reading, role, key)
    return (spec, None) if spec is not None else (None, "Đến lúc gửi không còn gì để báo cáo.")


def build_digests(
    session: Session, *, now: datetime, settings: Settings, calendar: WorkCalendar | None = None
) -> list[Notification]:
    """Enqueue today's digests (pending rows, sent by the normal delivery); the rows made.

    At most one per recipient role per local day; none when there is nothing to say, and no
    leader's on a day off (``settings.digest_working_days_only``). Flushes, never commits.
    """
    calendar = calendar or WorkCalendar.default()
    keys = {role: digest_key(role, now, settings) for role in DIGEST_ROLES}
    # Which of today's keys exist, asked once: making one role's digest writes no other role's key.
    made_before = set(
        session.exec(select(Notification.dedupe_key).where(col(Notification.dedupe_key).in_(keys.values())))
    )
    today = local_date(now, settings.tz)
    roles = tuple(r for r in DIGEST_ROLES if keys[r] not in made_before and digest_day(r, today, settings, calendar))
    reading = Reading(session, now, settings, calendar, roles)
    made: list[Notification] = []
    for role in roles:
        spec = _spec(reading, role, keys[role])
        notification = enqueue(session, spec, now=now, settings=settings) if spec else None
        if notification is not None:
            made.append(notification)
    return made
