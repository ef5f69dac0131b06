"""The ``digests`` flow: :func:`dondoc.jobs.run_digests` (one digest per leader role per day)."""

from __future__ import annotations

from datetime import datetime

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from dondoc import jobs
from dondoc.flows.common import database, load_settings, resolve_now, settings_for_run
from dondoc.summaries import Summary, headline, summarise


@task(name="queue-digests", retries=2, retry_delay_seconds=30, cache_policy=NO_CACHE)
def queue_digests(now: datetime) -> Summary:
    """Queue today's digests in one transaction; at most one per role and local day, so a rerun adds none."""
    settings = load_settings()
    with database(settings) as engine:
        queued = jobs.run_digests(engine, now=now, settings=settings)
    get_run_logger().info("%s", headline(queued))
    return summarise(queued)


@flow(name="digests")
def digests(now: datetime | None = None) -> Summary:
    """Queue the daily digests for the chair, the standing vice-chair and the secretariat; ``deliver`` sends them.

    The summary of ``dondoc digest --json``."""
    return queue_digests(resolve_now(now, settings_for_run()))
