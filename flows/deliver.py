"""The ``deliver`` flow: send the outbox, one Prefect task per batch, each retried on its own.

A batch is :func:`notifications.delivery.deliver_batch`: lease up to ``batch_size`` due rows
to a fresh worker id (``FOR UPDATE SKIP LOCKED`` on PostgreSQL),
re-check and send each over one SMTP session, record every outcome under the lease, and give
back the rows it did not attempt. Several flow runs at once (two workers, or a run that
outlasts its minute) therefore take disjoint batches: nothing is sent twice, nothing skipped.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from dondoc.flows.common import database, load_settings, resolve_now
from dondoc.notifications.delivery import DeliveryReport
from dondoc.notifications.delivery import deliver_batch as deliver_one_batch

OUTCOMES = ("sent", "skipped", "retry", "failed", "released")


@task(name="deliver-batch", retries=3, retry_delay_seconds=[10, 30, 60], cache_policy=NO_CACHE)
async def deliver_batch(now: datetime, batch_size: int, max_attempts: int) -> DeliveryReport:
    """One batch as a task. A retry claims afresh: rows the failed attempt sent are sent, the
    rest were released (or their 10-minute lease runs out if the process died)."""
    settings = load_settings()
    with database(settings) as engine:
        report = await deliver_one_batch(
            engine, now=now, settings=settings, batch_size=batch_size, max_attempts=max_attempts
        )
    if report.claimed:
        get_run_logger().info("batch %s: %s", report.worker_id, {k: getattr(report, k) for k in OUTCOMES})
    return report


@flow(name="deliver")
async def deliver(now: datetime | None = None, batch_size: int = 100, max_attempts: int = 8) -> dict[str, Any]:
    """Send every row due at ``now`` (default: the system clock), batch after batch, until none is left.

    Rows enqueued after ``now`` wait for the next run, so a run always ends. Totals per outcome.
    """
    at = resolve_now(now, load_settings())
    totals: dict[str, Any] = dict.fromkeys(("batches", "claimed", *OUTCOMES), 0)
    while True:
        report = await deliver_batch(at, batch_size, max_attempts)
        if not report.claimed:
            break
        totals["batches"] += 1
        for key in ("claimed", *OUTCOMES):
            totals[key] += asdict(report)[key]
        if report.sender_down:
            get_run_logger().warning("the mail sender is unavailable; the rest waits for the next run")
            break
        if report.claimed < batch_size:
            break
    return totals
