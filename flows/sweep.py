"""The ``sweep`` flow: one pass of :func:`dondoc.jobs.run_sweep` (decisions into the outbox)."""

from __future__ import annotations

from datetime import datetime

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from dondoc import jobs
from dondoc.flows.common import database, load_settings, resolve_now, settings_for_run
from dondoc.summaries import Summary, headline, summarise


@task(name="sweep-pass", retries=2, retry_delay_seconds=30, cache_policy=NO_CACHE)
def sweep_pass(now: datetime) -> Summary:
    """Run one sweep at ``now`` in its own transaction; the summary of ``dondoc sweep --json``.

    Safe to retry and to run beside another sweep: a failed pass rolls back whole, and each
    decision has a dedupe key (``INSERT … ON CONFLICT DO NOTHING``).
    """
    settings = load_settings()
    with database(settings) as engine:
        result = jobs.run_sweep(engine, now=now, settings=settings)
    get_run_logger().info("%s", headline(result))
    return summarise(result)


@flow(name="sweep")
def sweep(now: datetime | None = None) -> Summary:
    """Decide reminders and escalations at ``now`` (default: the system clock) into the outbox."""
    return sweep_pass(resolve_now(now, settings_for_run()))
