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
from dondoc.engine.models import Agency, AgencyTransfer, Assignment, Milestone, Notification, PlanItem, TransferStatus
from dondoc.engine.services.queries import category_counts
from dondoc.engine.services.transfer_origins import holders_on

_BATCH = 500  # outbox rows read at a time by the summary
# the keys of Notification.data the summary reads: a rung (rule, anchor), a grouped mail's plan, a
# digest's day, a periodic report's period, an escalation's lateness
# "event_ids": the decisions a mail gathered for one body lists (engine.services.request_mails.gather_reassigned)
_KEYS = ("rule", "anchor", "plan_id", "day", "period_code", "working_days_overdue", "event_ids")


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
        *(col(Notification.data)[key] for key in _KEYS),
        col(PlanItem.code),
        col(Milestone.seq),
        col(Agency.code),
        col(Assignment.reported_at),
        col(Assignment.due_at),
        col(Notification.carried_by_id),
    )
    # The few keys of ``data`` it reads, taken out by the database (JSON index: the same values as
    # ``data.get(key)``, None when absent): a digest's data holds its whole list, and a year's
    # digests are tens of MB of JSON. Streamed (yield_per): each row is counted and let go.
    rows = session.exec(
        columns.join(Assignment, col(Notification.assignment_id) == col(Assignment.id), isouter=True)
        .join(Milestone, col(Assignment.milestone_id) == col(Milestone.id), isouter=True)
        .join(PlanItem, col(Milestone.item_id) == col(PlanItem.id), isouter=True)
        .join(Agency, col(Assignment.agency_id) == col(Agency.id), isouter=True)
        .order_by(col(Notification.created_at), col(Notification.id))
        .execution_options(yield_per=_BATCH)
    )
    # work a succession passed on since: named under the body that held it the day of the mail
    # (transfer_origins.held_then), not its successor (a 2024 escalation named Sở KH&CN, created 2025)
    passed = set(
        session.exec(
            select(col(AgencyTransfer.assignment_id)).where(col(AgencyTransfer.status) == TransferStatus.DONE.value)
        )
    )
    then: dict[tuple[int, Any], list[dict[str, Any]]] = {}  # (assignment, day) -> the lines to name again
    total = 0
    by_kind: Counter[str] = Counter()
    by_status: Counter[str] = Counter()
    reminded: Counter[str | None] = Counter()
    escalations = []
    # A decision is its kind, assignment, recipient and rung (rule and anchor day); a digest is its
    # day; a periodic report is its period; a mail gathering a bulk decision's parts, its events.
    decisions: Counter[tuple[Any, ...]] = Counter()
    for (
        kind,
        role,
        status,
        created_at,
        assignment_id,
        email,
        *values,
        item,
        seq,
        agency,
        reported_at,
        due_at,
        by,
    ) in rows:
        data = dict(zip(_KEYS, values, strict=True))
        total += 1
        by_kind[f"{kind}→{role}"] += 1
        by_status[status] += 1
        decisions[
            (
                kind,
                assignment_id,
                email,
                data.get("rule"),
                data.get("anchor"),
                data.get("plan_id"),
                data.get("day"),
                data.get("period_code"),
                str(data.get("event_ids") or ""),
            )
        ] += 1
        line: dict[str, Any] | None = None
        if kind in ("reminder", "unacknowledged", "overdue", "partner_input") and role in ("agency", "partner"):
            line = {"agency": agency, "reminded": True}
        if kind == "escalation":
            line = {
                "date": local.local_date(created_at).isoformat(),
                "to": role,
                "item": item,
                "milestone": seq,
                "agency": agency,
                "due": local.local_date(due_at).isoformat() if due_at else None,
                "reported": local.local_date(reported_at).isoformat() if reported_at else None,
                "rule": data.get("rule"),
                "working_days_overdue": data.get("working_days_overdue"),
                # told in a leader's digest (carried by it); not when it was no longer true as the
                # digest was built (recheck.judge: reported since, waiting in "Cần phân công lại" …),
                # nor yet when no digest has been built since
                "told": by is not None,
            }
            escalations.append(line)
        if line is not None and assignment_id in passed:
            then.setdefault((assignment_id, local.local_date(created_at)), []).append(line)
        elif line is not None and line.pop("reminded", False):
            reminded[agency] += 1
    for line in _named_then(session, then):
        if line.pop("reminded", False):
            reminded[line["agency"]] += 1
    (totals,) = category_counts(session, now)
    return {
        "notifications": {
            "total": total,
            "by_kind": dict(by_kind),
            "by_status": dict(by_status),
        },
        "reminded": dict(sorted(reminded.items(), key=lambda kv: (-kv[1], kv[0] or ""))),
        "escalations": escalations,
        "duplicates": _duplicates(session, decisions, maildrop),
        "final_counts": totals.counts,
    }


def _named_then(session: Session, then: dict[tuple[int, Any], list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """The lines of ``then`` (by assignment and the mail's day), each with its ``agency`` the code of the
    body that held the assignment that day (transfer_origins.holders_on: one statement a day)."""
    by_day: dict[Any, list[int]] = {}
    for assignment_id, day in then:
        by_day.setdefault(day, []).append(assignment_id)
    held = {(a, day): agency for day, ids in by_day.items() for a, agency in holders_on(session, ids, day).items()}
    codes = dict(
        session.exec(select(col(Agency.id), col(Agency.code)).where(col(Agency.id).in_(set(held.values())))).all()
    )
    named = []
    for key, lines in then.items():
        for line in lines:
            if key in held:
                line["agency"] = codes[held[key]]
            named.append(line)
    return named


def _duplicates(session: Session, decisions: Counter[tuple[Any, ...]], maildrop: Path | None) -> dict[str, int]:
    """Zero is the only right answer: same decision twice, or the same mail delivered twice.
    ``decisions``: how many outbox rows each decision (kind, assignment, recipient, rung, day, period) has."""
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
