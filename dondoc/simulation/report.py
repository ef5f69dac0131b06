"""What a replay shows: who was reminded, who was escalated to whom and when, the counts."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from email.parser import BytesHeaderParser
from pathlib import Path
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from dondoc.engine.clock import DEFAULT_DAYS, LocalDays
from dondoc.engine.models import Agency, Assignment, Milestone, Notification, PlanItem
from dondoc.engine.services.queries import category_counts


def summarise(
    session: Session, *, now: datetime, maildrop: Path | None, local: LocalDays = DEFAULT_DAYS
) -> dict[str, Any]:
    # The columns the summary reads, not whole rows (a row carries its rendered bodies and MIME).
    # Outer joins: a digest's row has no assignment, so no item, milestone or agency.
    columns = select(  # type: ignore[call-overload]
        col(Notification.kind),
        col(Notification.recipient_role),
        col(Notification.status),
        col(Notification.created_at),
        col(Notification.assignment_id),
        col(Notification.recipient_email),
        col(Notification.data),
        col(PlanItem.code),
        col(Milestone.seq),
        col(Agency.code),
        col(Assignment.reported_at),
        col(Assignment.due_at),
    )
    rows = session.exec(
        columns.join(Assignment, col(Notification.assignment_id) == col(Assignment.id), isouter=True)
        .join(Milestone, col(Assignment.milestone_id) == col(Milestone.id), isouter=True)
        .join(PlanItem, col(Milestone.item_id) == col(PlanItem.id), isouter=True)
        .join(Agency, col(Assignment.agency_id) == col(Agency.id), isouter=True)
        .order_by(col(Notification.created_at), col(Notification.id))
    ).all()
    reminded: Counter[str | None] = Counter()
    escalations = []
    for kind, role, _, created_at, _, _, data, item, seq, agency, reported_at, due_at in rows:
        if kind in ("reminder", "unacknowledged", "overdue", "partner_input") and role in ("agency", "partner"):
            reminded[agency] += 1
        if kind == "escalation":
            escalations.append(
                {
                    "date": local.local_date(created_at).isoformat(),
                    "to": role,
                    "item": item,
                    "milestone": seq,
                    "agency": agency,
                    "due": local.local_date(due_at).isoformat() if due_at else None,
                    "reported": local.local_date(reported_at).isoformat() if reported_at else None,
                    "rule": data.get("rule"),
                    "working_days_overdue": data.get("working_days_overdue"),
                }
            )
    (totals,) = category_counts(session, now)
    return {
        "notifications": {
            "total": len(rows),
            "by_kind": dict(Counter(f"{r[0]}→{r[1]}" for r in rows)),
            "by_status": dict(Counter(r[2] for r in rows)),
        },
        "reminded": dict(sorted(reminded.items(), key=lambda kv: (-kv[1], kv[0] or ""))),
        "escalations": escalations,
        "duplicates": _duplicates(session, [(r[0], r[4], r[5], r[6]) for r in rows], maildrop),
        "final_counts": totals.counts,
    }


def _duplicates(
    session: Session, rows: list[tuple[str, int | None, str, dict[str, Any]]], maildrop: Path | None
) -> dict[str, int]:
    """Zero is the only right answer: same decision twice, or the same mail delivered twice.
    ``rows``: every outbox row's (kind, assignment_id, recipient_email, data)."""
    # A decision is its kind, assignment, recipient and rung (rule and anchor day); a digest is its
    # day; a periodic report is its period.
    decisions = Counter(
        (k, a, e, d.get("rule"), d.get("anchor"), d.get("plan_id"), d.get("day"), d.get("period_code"))
        for k, a, e, d in rows
    )
    same_key = session.exec(
        select(func.count()).select_from(
            select(Notification.dedupe_key).group_by(Notification.dedupe_key).having(func.count() > 1).subquery()
        )
    ).one()
    ids: Counter[str | None] = Counter()
    if maildrop and maildrop.is_dir():
        headers = BytesHeaderParser()
        for path in maildrop.glob("*.eml"):
            ids[_message_id(headers, path)] += 1
    return {
        "same_dedupe_key": int(same_key),
        "same_decision": sum(n - 1 for n in decisions.values() if n > 1),
        "same_message_delivered": sum(n - 1 for n in ids.values() if n > 1),
    }


def _message_id(headers: BytesHeaderParser, path: Path) -> str | None:
    """The Message-ID of a dropped mail, read from its header block alone (not the whole message)."""
    with path.open("rb") as handle:
        block = bytearray()
        for line in handle:
            block += line
            if line in (b"\r\n", b"\n"):  # the blank line that ends the headers
                break
    return headers.parsebytes(bytes(block))["Message-ID"]
