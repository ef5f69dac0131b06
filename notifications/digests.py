"""The daily digests: one mail per leader and one for the secretariat, per local day.

Leaders (standing vice-chair, chair) get every HELD escalation addressed to them whose
assignment is still open, grouped by agency. The secretariat gets its held items that are
still relevant plus the mails that failed since its previous digest. Held rows are left
untouched: an escalation stays in the leaders' digest every day until the assignment moves.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from dondoc.engine.actors import Recipient
from dondoc.engine.clock import local_date
from dondoc.engine.escalation.recheck import skip_reason
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
from dondoc.engine.settings import Settings
from dondoc.notifications.context import format_date
from dondoc.notifications.outbox import MailSpec, enqueue, exists

DIGEST_ROLES = (Recipient.VICE_CHAIR, Recipient.CHAIR, Recipient.SECRETARIAT)  # in the order they are queued
SECRETARIAT_KINDS = ("unacknowledged", "overdue", "report_unverified")
MAX_FAILED_LISTED = 100


def digest_key(role: str, now: datetime, settings: Settings) -> str:
    """``digest:<role>:<YYYY-MM-DD>`` for the local day of ``now``."""
    return f"digest:{role}:{local_date(now, settings.tz).isoformat()}"


def _held(
    session: Session, role: str, kinds: tuple[str, ...], now: datetime, settings: Settings
) -> list[dict[str, Any]]:
    """Held rows for ``role`` that are still true now, one per (kind, assignment), as digest rows."""
    statement = (
        select(Notification, PlanItem, Agency, Assignment)
        .join(Assignment, Notification.assignment_id == Assignment.id)  # type: ignore[arg-type]
        .join(Milestone, Assignment.milestone_id == Milestone.id)  # type: ignore[arg-type]
        .join(PlanItem, Milestone.item_id == PlanItem.id)  # type: ignore[arg-type]
        .join(Agency, Assignment.agency_id == Agency.id)  # type: ignore[arg-type]
        .where(Notification.status == NotificationStatus.HELD.value, Notification.recipient_role == role)
        .where(col(Notification.kind).in_(kinds), col(Assignment.state).not_in(TERMINAL_STATE_VALUES))
        .order_by(col(Notification.created_at).desc(), col(Notification.id).desc())
    )
    rows: dict[tuple[str, int], dict[str, Any]] = {}
    for notification, item, agency, assignment in session.exec(statement):
        key = (notification.kind, assignment.id or 0)
        if key in rows or skip_reason(session, notification, now) is not None:
            continue  # the newest decision per assignment wins; a stale one is left out
        due = notification.data.get("due_at")
        rows[key] = {
            "notification_id": notification.id,
            "kind": notification.kind,
            "assignment_id": assignment.id,
            "item_code": item.code,
            "item_title": item.title,
            "agency_name": agency.name,
            "due_date": format_date(datetime.fromisoformat(due) if due else assignment.due_at, settings),
            "working_days_overdue": notification.data.get("working_days_overdue"),
            "recipient_email": notification.recipient_email,
            "recipient_name": notification.recipient_name,
        }
    return sorted(rows.values(), key=lambda r: (-(r["working_days_overdue"] or 0), r["item_code"]))


def _recipient(session: Session, role: Recipient, rows: list[dict[str, Any]]) -> tuple[str, str | None] | None:
    """The committee roster's address for ``role``; else the address the held rows carry."""
    person = committee_addresses(session).get(role)
    if person is not None:
        return person.email, person.name
    return (rows[0]["recipient_email"], rows[0]["recipient_name"]) if rows else None


def _leader_spec(session: Session, role: Recipient, now: datetime, settings: Settings) -> MailSpec | None:
    rows = _held(session, role, ("escalation",), now, settings)
    recipient = _recipient(session, role, rows)
    if not rows or recipient is None:
        return None
    by_agency: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_agency[row["agency_name"]].append(row)
    groups = [
        {"agency_name": name, "count": len(items), "rows": items}
        for name, items in sorted(by_agency.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    ]
    data = {"day": local_date(now, settings.tz).strftime("%d/%m/%Y"), "total": len(rows), "groups": groups}
    return MailSpec(
        digest_key(role, now, settings),
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


def _secretariat_spec(session: Session, now: datetime, settings: Settings) -> MailSpec | None:
    rows = _held(session, "secretariat", SECRETARIAT_KINDS, now, settings)
    failed_count, failed = _failed_since_previous(session, now, settings)
    recipient = _recipient(session, Recipient.SECRETARIAT, rows)
    if (not rows and not failed_count) or recipient is None:
        return None
    sections = [
        {"kind": kind, "count": len(items), "rows": items}
        for kind in SECRETARIAT_KINDS
        for items in [[r for r in rows if r["kind"] == kind]]
    ]
    counts = {s["kind"]: s["count"] for s in sections} | {"open": len(rows), "failed": failed_count}
    data = {
        "day": local_date(now, settings.tz).strftime("%d/%m/%Y"),
        "sections": sections,
        "failed": failed,
        "counts": counts,
    }
    return MailSpec(
        digest_key("secretariat", now, settings),
        "digest_secretariat",
        "secretariat",
        recipient[0],
        recipient[1],
        None,
        None,
        held=False,
        data=data,
    )


def build_digests(session: Session, *, now: datetime, settings: Settings) -> list[Notification]:
    """Enqueue today's digests (pending rows, sent by the normal delivery); the rows made.

    At most one per recipient role per local day; none when there is nothing to say.
    Flushes, never commits.
    """
    made: list[Notification] = []
    for role in DIGEST_ROLES:
        if exists(session, digest_key(role, now, settings)):
            continue
        spec = (
            _secretariat_spec(session, now, settings)
            if role is Recipient.SECRETARIAT
            else _leader_spec(session, role, now, settings)
        )
        notification = enqueue(session, spec, now=now, settings=settings) if spec else None
        if notification is not None:
            made.append(notification)
    return made
