"""The periodic jobs as plain functions: APScheduler calls them in one process, Prefect flows
call the very same functions in production. Each owns its transaction and returns a typed
result; :mod:`dondoc.summaries` turns any of them into the one summary the CLI prints and a
flow run returns."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from dondoc.engine.clock import DEFAULT_DAYS, LocalDays
from dondoc.engine.db import transaction
from dondoc.engine.errors import Conflict
from dondoc.engine.escalation.policy import Policy, load_policy
from dondoc.engine.escalation.sweep import Decision, SweepResult, sweep
from dondoc.engine.models import Notification
from dondoc.engine.services.catalog_sync import SyncReport, sync_catalog
from dondoc.engine.services.successions import TransferReport
from dondoc.engine.settings import Settings
from dondoc.engine.workcalendar import WorkCalendar
from dondoc.tasks_catalog.loader import load_catalog

if TYPE_CHECKING:  # the notifications package is imported when a job runs, not when the CLI starts
    from dondoc.notifications.delivery import DeliveryReport
    from dondoc.notifications.senders import Sender


@dataclass(frozen=True)
class QueuedMail:
    """One mail a job put in the outbox (``deliver`` sends it)."""

    dedupe_key: str
    to: str  # recipient role: chair, vice-chair, secretariat, …
    email: str
    subject: str

    @classmethod
    def of(cls, row: Notification) -> QueuedMail:
        return cls(row.dedupe_key, row.recipient_role, row.recipient_email, row.subject)


@dataclass(frozen=True)
class QueuedMails:
    """What the digests job or the periodic reports job queued at ``now`` (nothing on a rerun)."""

    job: Literal["digests", "periodic_reports"]
    now: datetime
    mails: tuple[QueuedMail, ...]

    @classmethod
    def of(
        cls, job: Literal["digests", "periodic_reports"], now: datetime, rows: Iterable[Notification]
    ) -> QueuedMails:
        return cls(job, now, tuple(QueuedMail.of(row) for row in rows))


def run_sweep(
    engine: Engine,
    *,
    now: datetime,
    settings: Settings,
    policy: Policy | None = None,
    calendar: WorkCalendar | None = None,
) -> SweepResult:
    """One sweep pass; its decisions become outbox rows in the same transaction. A succession whose
    date has come is applied first, in its own transaction (run_successions: idempotent), so the
    scheduler and the Prefect flow need no job of their own for it."""
    from dondoc.notifications.outbox import MailSpec, insert

    policy = policy or load_policy(settings.policy_file)
    calendar = calendar or WorkCalendar.default()
    run_successions(engine, now=now, settings=settings)
    with transaction(engine) as session:

        def to_outbox(decision: Decision) -> bool:
            # the pass has read which keys exist (sweep._existing_keys): new keys only come here
            spec = MailSpec(**asdict(decision))
            return insert(session, spec, now=now, settings=settings, key_checked=True) is not None

        return sweep(session, now, policy=policy, calendar=calendar, enqueue=to_outbox, local=LocalDays(settings.tz))


def run_delivery(
    engine: Engine,
    *,
    now: datetime,
    settings: Settings,
    batch_size: int = 100,
    max_attempts: int = 8,
    sender: Sender | None = None,
    runner: asyncio.Runner | None = None,
) -> DeliveryReport:
    """Send what is due in the outbox (SMTP, or the mail drop when no SMTP is set, unless ``sender``
    is given), batch after batch; on ``runner``'s event loop if given (see delivery.deliver)."""
    from dondoc.notifications.delivery import deliver

    return deliver(
        engine,
        now=now,
        settings=settings,
        sender=sender,
        batch_size=batch_size,
        max_attempts=max_attempts,
        runner=runner,
    )


def run_digests(
    engine: Engine, *, now: datetime, settings: Settings, calendar: WorkCalendar | None = None
) -> QueuedMails:
    """Queue today's digests for the chair, the standing vice-chair and the secretariat."""
    from dondoc.notifications.digests import build_digests

    with transaction(engine) as session:
        return QueuedMails.of("digests", now, build_digests(session, now=now, settings=settings, calendar=calendar))


def run_periodic_reports(engine: Engine, *, now: datetime, settings: Settings) -> QueuedMails:
    """On a summary report's due date, mail the report to the chair and the standing vice-chair."""
    from dondoc.report_job import run_periodic_reports as run

    keys = run(engine, now=now, settings=settings)
    if not keys:
        return QueuedMails("periodic_reports", now, ())
    with Session(engine) as session:
        rows = session.exec(
            select(Notification).where(col(Notification.dedupe_key).in_(keys)).order_by(col(Notification.id))
        )
        return QueuedMails.of("periodic_reports", now, rows)


def run_catalog_load(
    engine: Engine,
    *,
    now: datetime,
    catalog_dir: Path | None = None,
    local: LocalDays = DEFAULT_DAYS,
    local_dir: Path | None = None,
    settings: Settings | None = None,
    progress: Callable[[int, int], None] | None = None,
    issued_by: date | None = None,
) -> SyncReport:
    """Validate the catalog whole (CatalogInvalid lists every problem), then apply it in one transaction.
    Due dates end at the end of their day in ``local`` (a clock, or ``LocalDays(settings.tz)``).
    ``local_dir`` is the installation's own catalog folder, read with the shipped one. A succession whose
    date has come passes its open work in the same transaction (recorded now, "effective on" its date);
    with ``settings`` the successors are mailed what they inherited. ``progress`` hears of its two
    steps: (1, 2) once the catalog is read and valid, (2, 2) once applied. ``issued_by``: only the
    plans issued by that day (a replay loads each plan on the day it was issued, as a secretariat would)."""
    catalog = load_catalog(catalog_dir, local_dir)
    if issued_by is not None:
        catalog = replace(catalog, plans=[p for p in catalog.plans if p.meta.issued <= issued_by])
    if progress:
        progress(1, 2)
    with transaction(engine) as session:
        report = sync_catalog(session, catalog, now=now, calendar=WorkCalendar.default(), local=local)
        transfers = _apply_successions(session, now=now, local=local, settings=settings)
        if transfers.transferred or transfers.queued:
            report.updated["assignment"] += len(transfers.transferred)
            report.changes.append(
                f"Tổ chức lại: {len(transfers.transferred)} phần việc đã chuyển cho cơ quan kế nhiệm, "
                f"{len(transfers.queued)} phần việc chờ ở Cần phân công lại"
            )
    if progress:
        progress(2, 2)
    return report


SUCCESSION_ATTEMPTS = 3


def run_successions(engine: Engine, *, now: datetime, settings: Settings) -> TransferReport:
    """Pass the open work of the bodies whose succession date has come (daily, before the sweep).

    A person who changed one of the assignments meanwhile (a Conflict: nothing of this pass was
    written) has committed by the time it is seen, so the pass is run again on what is now there,
    up to SUCCESSION_ATTEMPTS times: a racing click does not cost the sweep that follows its run."""
    attempt = 1
    while True:
        try:
            with transaction(engine) as session:
                return _apply_successions(session, now=now, local=LocalDays(settings.tz), settings=settings)
        except Conflict:
            if attempt == SUCCESSION_ATTEMPTS:
                raise
            attempt += 1


def _apply_successions(
    session: Session, *, now: datetime, local: LocalDays, settings: Settings | None
) -> TransferReport:
    from dondoc.notifications.inherited import apply_successions

    return apply_successions(session, now=now, local=local, settings=settings)
