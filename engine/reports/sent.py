"""The periodic reports mailed to the leaders (report_job): when each period's was built, so that the
secretariat can read the report the chair was sent, and every later reading of the period says
how it differs from that one.

The six-month report of 2022 was mailed on 20/06, its figures of 07:00 that day ("0 phần việc quá
hạn"); the same period downloaded in July counted to 30/06 (9 overdue), under the same title, with no
word of the other. A report is rebuilt at the instant it was mailed, not kept as a file: its figures
are judged from the history as it stood then (engine.reports.history), which is append-only."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from dondoc.engine.clock import ensure_aware
from dondoc.engine.models import Notification

KIND = "periodic_report"


def mailed_at(session: Session, period_code: str) -> datetime | None:
    """The instant the report of ``period_code`` was built for the leaders' mail (the first of its mails:
    one a leader, all built at once; report_job.dedupe_key), or None when it was never mailed."""
    first = session.exec(
        select(func.min(col(Notification.created_at))).where(
            col(Notification.kind) == KIND, col(Notification.dedupe_key).startswith(f"{KIND}:{period_code}:")
        )
    ).one()
    return ensure_aware(first) if first is not None else None


def mailed_periods(session: Session) -> list[tuple[str, datetime]]:
    """Every period whose report was mailed to the leaders, with the instant built, the latest first."""
    rows = session.exec(
        select(col(Notification.dedupe_key), col(Notification.created_at)).where(col(Notification.kind) == KIND)
    ).all()
    first: dict[str, datetime] = {}
    for key, created in rows:
        period = key.split(":")[1]
        at = ensure_aware(created)
        if period not in first or at < first[period]:
            first[period] = at
    # the latest first; periods mailed by one run (one instant) by their code, not the database's order
    return sorted(first.items(), key=lambda pair: (pair[1], pair[0]), reverse=True)
