"""The periodic jobs as plain functions: APScheduler calls them in one process, Prefect flows
call the very same functions in production. Each owns its transaction."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine

from dondoc.engine.clock import DEFAULT_DAYS, LocalDays
from dondoc.engine.db import transaction
from dondoc.engine.escalation.policy import Policy, load_policy
from dondoc.engine.escalation.sweep import Decision, SweepResult, sweep
from dondoc.engine.services.catalog_sync import SyncReport, sync_catalog
from dondoc.engine.settings import Settings
from dondoc.engine.workcalendar import WorkCalendar
from dondoc.tasks_catalog.loader import load_catalog


def run_sweep(
    engine: Engine,
    *,
    now: datetime,
    settings: Settings,
    policy: Policy | None = None,
    calendar: WorkCalendar | None = None,
) -> SweepResult:
    """One sweep pass; its decisions become outbox rows in the same transaction."""
    from dondoc.notifications.outbox import MailSpec, enqueue

    policy = policy or load_policy(settings.policy_file)
    calendar = calendar or WorkCalendar.default()
    with transaction(engine) as session:

        def to_outbox(decision: Decision) -> bool:
            return enqueue(session, MailSpec(**asdict(decision)), now=now, settings=settings) is not None

        return sweep(session, now, policy=policy, calendar=calendar, enqueue=to_outbox, local=LocalDays(settings.tz))


def run_delivery(engine: Engine, *, now: datetime, settings: Settings, **options: Any) -> Any:
    """Send what is due in the outbox (SMTP, or the mail drop when no SMTP is set)."""
    from dondoc.notifications.delivery import deliver

    return deliver(engine, now=now, settings=settings, **options)


def run_digests(engine: Engine, *, now: datetime, settings: Settings) -> list[Any]:
    """Queue today's digests for the chair, the standing vice-chair and the secretariat."""
    from dondoc.notifications.digests import build_digests

    with transaction(engine) as session:
        return build_digests(session, now=now, settings=settings)


def run_periodic_reports(engine: Engine, *, now: datetime, settings: Settings) -> list[str]:
    """On a summary report's due date, mail the report to the chair and the standing vice-chair."""
    from dondoc.report_job import run_periodic_reports as run

    return run(engine, now=now, settings=settings)


def run_catalog_load(
    engine: Engine, *, now: datetime, catalog_dir: Path | None = None, local: LocalDays = DEFAULT_DAYS
) -> SyncReport:
    """Validate the catalog whole (CatalogInvalid lists every problem), then apply it in one transaction.
    Due dates end at the end of their day in ``local`` (a clock, or ``LocalDays(settings.tz)``)."""
    catalog = load_catalog(catalog_dir)
    with transaction(engine) as session:
        return sync_catalog(session, catalog, now=now, calendar=WorkCalendar.default(), local=local)
