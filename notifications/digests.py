"""The daily digests: one mail per leader and one for the secretariat, per local day.

Leaders (standing vice-chair, chair) get every HELD escalation addressed to them whose
assignment is still open, grouped by agency, on working days only (a setting). The secretariat
gets the board's counts at the same instant (:func:`board_summary`, the one query of both), its
held items that are still relevant and the mails that failed since its previous digest.

Everything a digest says is computed when it is built, from the database: lateness in working
days is counted from the assignment's due date to the digest's day, never copied from the
moment an escalation was decided. A digest still undelivered after its day is built again
before sending (:func:`rebuild`, called by the delivery worker). Held rows stay held (an
escalation stays in the leaders' digest every day until the assignment moves); a digest lists
the ids of the rows it carries (``data["carried"]``) and its delivery marks them
(``carried_by_id``).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import Select

from dondoc.engine.actors import RECIPIENT_LABELS_VI, Recipient
from dondoc.engine.clock import local_date
from dondoc.engine.escalation.facts import working_days_overdue
from dondoc.engine.escalation.recheck import judge
from dondoc.engine.escalation.recipients import committee_addresses
from dondoc.engine.models import (
    TERMINAL_STATE_VALUES,
    Agency,
    Assignment,
    Milestone,
    Notification,
    NotificationStatus,
    PlanItem,
)
from dondoc.engine.services.explanations import Exchange, latest_explanations
from dondoc.engine.services.web_queries import board_summary
from dondoc.engine.settings import Settings
from dondoc.engine.status import Category
from dondoc.engine.workcalendar import WorkCalendar
from dondoc.notifications.context import format_date
from dondoc.notifications.outbox import MailSpec, enqueue, exists

DIGEST_ROLES = (Recipient.VICE_CHAIR, Recipient.CHAIR, Recipient.SECRETARIAT)  # in the order they are queued
SECRETARIAT_KINDS = ("unacknowledged", "overdue", "report_unverified")
MAX_FAILED_LISTED = 100


def digest_key(role: str, now: datetime, settings: Settings) -> str:
    """``digest:<role>:<YYYY-MM-DD>`` for the local day of ``now``."""
    return f"digest:{role}:{local_date(now, settings.tz).isoformat()}"


def working_days_late(due_at: datetime | None, now: datetime, calendar: WorkCalendar, settings: Settings) -> int | None:
    """Working days from the due day to ``now``'s day, as the sweep counts them; None with no due date."""
    if due_at is None:
        return None
    return working_days_overdue(local_date(due_at, settings.tz), local_date(now, settings.tz), calendar)


_HELD_COLUMNS: Select[*tuple[Any, ...]] = Select(  # what select() builds; it types at most four columns
    col(Notification.id),
    col(Notification.kind),
    col(Notification.data),
    col(Notification.recipient_email),
    col(Notification.recipient_name),
    col(Assignment.id).label("assignment_id"),
    col(Assignment.state),
    col(Assignment.due_at),
    col(Assignment.snoozed_until),
    col(Assignment.waiting_condition_since),
    col(PlanItem.code).label("item_code"),
    col(PlanItem.title).label("item_title"),
    col(Agency.name).label("agency_name"),
)


def _held(
    session: Session, role: str, kinds: tuple[str, ...], now: datetime, settings: Settings, calendar: WorkCalendar
) -> list[dict[str, Any]]:
    """Held rows for ``role`` that are still true now, one per (kind, assignment), as digest rows,
    the latest first (most working days late now)."""
    statement = (
        _HELD_COLUMNS.join(Assignment, Notification.assignment_id == Assignment.id)  # type: ignore[arg-type]
        .join(Milestone, Assignment.milestone_id == Milestone.id)  # type: ignore[arg-type]
        .join(PlanItem, Milestone.item_id == PlanItem.id)  # type: ignore[arg-type]
        .join(Agency, Assignment.agency_id == Agency.id)  # type: ignore[arg-type]
        .where(Notification.status == NotificationStatus.HELD.value, Notification.recipient_role == role)
        .where(col(Notification.kind).in_(kinds), col(Assignment.state).not_in(TERMINAL_STATE_VALUES))
        .order_by(col(Notification.created_at).desc(), col(Notification.id).desc())
    )
    rows: dict[tuple[str, int], dict[str, Any]] = {}
    # The columns a digest row needs, not whole outbox rows (each carries its rendered bodies);
    # each held row is judged on its assignment as this query read it, now.
    held: Any  # a row of _HELD_COLUMNS, read by name
    for held in session.exec(statement):
        key = (held.kind, held.assignment_id)
        if judge(held.kind, held.data, held, now) is not None:
            continue  # a stale decision is left out
        if key in rows:  # the newest decision per assignment is listed; the older ones are carried too
            rows[key]["carried"].append(held.id)
            continue
        due = held.data.get("due_at")
        rows[key] = {
            "notification_id": held.id,
            "carried": [held.id],
            "kind": held.kind,
            "assignment_id": held.assignment_id,
            "item_code": held.item_code,
            "item_title": held.item_title,
            "agency_name": held.agency_name,
            "due_date": format_date(datetime.fromisoformat(due) if due else held.due_at, settings),
            "working_days_overdue": working_days_late(held.due_at, now, calendar, settings),
            "recipient_email": held.recipient_email,
            "recipient_name": held.recipient_name,
        }
    return sorted(rows.values(), key=lambda r: (-(r["working_days_overdue"] or 0), r["item_code"]))


def _recipient(
    session: Session, role: Recipient, rows: list[dict[str, Any]], now: datetime, settings: Settings
) -> tuple[str, str | None] | None:
    """The committee roster's address for ``role`` on ``now``'s day; else the address the held rows carry."""
    person = committee_addresses(session, local_date(now, settings.tz)).get(role)
    if person is not None:
        return person.email, person.name
    return (rows[0]["recipient_email"], rows[0]["recipient_name"]) if rows else None


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


def _leader_spec(
    session: Session, role: Recipient, now: datetime, settings: Settings, calendar: WorkCalendar, key: str
) -> MailSpec | None:
    if settings.digest_working_days_only and not calendar.is_working_day(local_date(now, settings.tz)):
        return None  # a day off: the held rows wait for the next working day's digest
    rows = _held(session, role, ("escalation",), now, settings, calendar)
    recipient = _recipient(session, role, rows, now, settings)
    if not rows or recipient is None:
        return None
    explained = latest_explanations(session, [row["assignment_id"] for row in rows])
    by_agency: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        asked = explained.get(row["assignment_id"])
        row["explanation"] = _explanation(asked, settings) if asked is not None else None
        by_agency[row["agency_name"]].append(row)
    groups = [
        {"agency_name": name, "count": len(items), "rows": items}
        for name, items in sorted(by_agency.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    ]
    day = local_date(now, settings.tz).strftime("%d/%m/%Y")
    data = {"day": day, "total": len(rows), "groups": groups, "carried": _carried(rows)}
    return MailSpec(
        key,
        "digest_leader",
        role,
        recipient[0],
        recipient[1],
        None,
        None,
        held=False,
        data=data,
    )


def _failed_since_previous(session: Session, now: datetime, settings: Settings) -> tuple[int, list[dict[str, Any]]]:
    """Mails that failed since the previous secretariat digest (a failed row's next_attempt_at is when)."""
    previous = session.exec(
        select(func.max(Notification.created_at)).where(
            Notification.kind == "digest_secretariat",
            Notification.dedupe_key != digest_key("secretariat", now, settings),
        )
    ).one()
    statement = select(Notification).where(Notification.status == NotificationStatus.FAILED.value)
    if previous is not None:
        statement = statement.where(Notification.next_attempt_at > previous)
    failed = session.exec(statement.order_by(col(Notification.id))).all()
    listed = [
        {
            "id": n.id,
            "kind": n.kind,
            "recipient_email": n.recipient_email,
            "subject": n.subject,
            "attempts": n.attempts,
            "last_error": n.last_error,
        }
        for n in failed[:MAX_FAILED_LISTED]
    ]
    return len(failed), listed


def board_counts(session: Session, now: datetime) -> dict[str, int]:
    """The secretariat digest's counts, read from the board's own query at ``now``: what the board's
    "Chờ xác nhận" list (state reported), its assigned list and its overdue tile show."""
    board = board_summary(session, now)
    return {
        "unacknowledged": board.states.get("assigned", 0),
        "overdue": board.totals[Category.OVERDUE.value],
        "report_unverified": board.states.get("reported", 0),
    }


def _secretariat_spec(
    session: Session, now: datetime, settings: Settings, calendar: WorkCalendar, key: str
) -> MailSpec | None:
    rows = _held(session, "secretariat", SECRETARIAT_KINDS, now, settings, calendar)
    failed_count, failed = _failed_since_previous(session, now, settings)
    recipient = _recipient(session, Recipient.SECRETARIAT, rows, now, settings)
    if (not rows and not failed_count) or recipient is None:
        return None
    sections = [
        {"kind": kind, "count": len(items), "rows": items}
        for kind in SECRETARIAT_KINDS
        for items in [[r for r in rows if r["kind"] == kind]]
    ]
    counts = board_counts(session, now) | {"listed": len(rows), "failed": failed_count}
    data = {
        "day": local_date(now, settings.tz).strftime("%d/%m/%Y"),
        "sections": sections,
        "failed": failed,
        "counts": counts,
        "carried": _carried(rows),
    }
    return MailSpec(
        key,
        "digest_secretariat",
        "secretariat",
        recipient[0],
        recipient[1],
        None,
        None,
        held=False,
        data=data,
    )


def _spec(
    session: Session, role: Recipient, now: datetime, settings: Settings, calendar: WorkCalendar, key: str
) -> MailSpec | None:
    if role is Recipient.SECRETARIAT:
        return _secretariat_spec(session, now, settings, calendar, key)
    return _leader_spec(session, role, now, settings, calendar, key)


def rebuild(
    session: Session, digest: Notification, *, now: datetime, settings: Settings, calendar: WorkCalendar | None = None
) -> tuple[MailSpec | None, str | None]:
    """A digest still undelivered after its day, built again at ``now``: (the spec to render and
    send, None) or (None, why it is not sent).

    The rebuilt digest is today's (it takes today's key, so no second one is made today); when
    today's digest to the same role exists already, that one says it all and this one is not
    sent; nor is one with nothing left to say, or a leader's on a day off.
    """
    calendar = calendar or WorkCalendar.default()
    role = Recipient(digest.recipient_role)
    key = digest_key(role, now, settings)
    today = session.exec(select(Notification.id).where(Notification.dedupe_key == key)).first()
    if today is not None:
        return None, f"superseded by today's digest #{today}"
    off = settings.digest_working_days_only and not calendar.is_working_day(local_date(now, settings.tz))
    if off and role is not Recipient.SECRETARIAT:
        return None, "a day off: the held rows wait for the next working day's digest"
    spec = _spec(session, role, now, settings, calendar, key)
    return (spec, None) if spec is not None else (None, "nothing left to report at sending time")


def build_digests(
    session: Session, *, now: datetime, settings: Settings, calendar: WorkCalendar | None = None
) -> list[Notification]:
    """Enqueue today's digests (pending rows, sent by the normal delivery); the rows made.

    At most one per recipient role per local day; none when there is nothing to say, and no
    leader's on a day off (``settings.digest_working_days_only``). Flushes, never commits.
    """
    calendar = calendar or WorkCalendar.default()
    made: list[Notification] = []
    for role in DIGEST_ROLES:
        key = digest_key(role, now, settings)
        if exists(session, key):
            continue
        spec = _spec(session, role, now, settings, calendar, key)
        notification = enqueue(session, spec, now=now, settings=settings) if spec else None
        if notification is not None:
            made.append(notification)
    return made
