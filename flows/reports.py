"""The ``periodic-reports`` flow: :func:`dondoc.jobs.run_periodic_reports` (the report mailed on its due date)."""

from __future__ import annotations

from datetime import datetime

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from dondoc import jobs
from dondoc.flows.common import database, load_settings, resolve_now, settings_for_run
from dondoc.summaries import Summary, headline, summarise


@task(name="queue-periodic-reports", retries=2, retry_delay_seconds=30, cache_policy=NO_CACHE)
def queue_periodic_reports(now: datetime) -> Summary:
    """Queue today's report mails in one transaction; dedupe keys per period and role, so a rerun adds none."""
    settings = load_settings()
    with database(settings) as engine:
        queued = jobs.run_periodic_reports(engine, now=now, settings=settings)
    get_run_logger().info("%s", headline(queued))
    return summarise(queued)


@flow(name="periodic-reports")
def periodic_reports(now: datetime | None = None) -> Summary:
    """On a summary report's due date, queue the report for the chair and the standing vice-chair.

    ``deliver`` sends it."""
    return queue_periodic_reports(resolve_now(now, settings_for_run()))
