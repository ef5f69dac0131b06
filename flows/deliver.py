"""The ``deliver`` flow: send the outbox, one Prefect task per batch, each retried on its own.

The loop is :func:`notifications.delivery.deliver_batches`, the one the CLI and the embedded
scheduler run: batch after batch until a batch claims fewer rows than ``batch_size`` or finds
the sender down. Each batch is :func:`notifications.delivery.deliver_batch` as a task: lease up
to ``batch_size`` due rows to the run's worker id (``FOR UPDATE SKIP LOCKED`` on PostgreSQL),
re-check and send each over one SMTP session, record every outcome under the lease, and give
back the rows it did not attempt. Several flow runs at once (two workers, or a run that
outlasts its minute) therefore take disjoint batches: nothing is sent twice, nothing skipped.
"""

from __future__ import annotations

import logging
from datetime import datetime

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from dondoc.flows.common import database, load_settings, resolve_now, settings_for_run
from dondoc.notifications.delivery import DeliveryReport, default_worker_id, deliver_batches
from dondoc.notifications.delivery import deliver_batch as deliver_one_batch
from dondoc.summaries import Summary, headline, summarise


@task(name="deliver-batch", retries=3, retry_delay_seconds=[10, 30, 60], cache_policy=NO_CACHE)
async def deliver_batch(now: datetime, batch_size: int, max_attempts: int, worker_id: str) -> DeliveryReport:
    """One batch as a task. A retry claims afresh: rows the failed attempt sent are sent, the rest
    were released (or, if the process died, their 10-minute lease keeps them from this run)."""
    settings = load_settings()
    with database(settings) as engine:
        report = await deliver_one_batch(
            engine, now=now, settings=settings, batch_size=batch_size, worker_id=worker_id, max_attempts=max_attempts
        )
    if report.claimed:
        get_run_logger().info("batch of %s: %s", worker_id, headline(report))
    return report


@flow(name="deliver")
async def deliver(now: datetime | None = None, batch_size: int = 100, max_attempts: int = 8) -> Summary:
    """Send every row due at ``now`` (default: the system clock), batch after batch, until none is left.

    Rows enqueued after ``now`` wait for the next run, so a run always ends. The summary of
    ``dondoc deliver --json``.
    """
    at, worker_id = resolve_now(now, settings_for_run()), default_worker_id()
    report = await deliver_batches(
        lambda: deliver_batch(at, batch_size, max_attempts, worker_id), batch_size=batch_size
    )
    get_run_logger().log(logging.WARNING if report.sender_down else logging.INFO, "%s", headline(report))
    return summarise(report)
