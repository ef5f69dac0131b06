"""The ``digests`` flow: :func:`dondoc.jobs.run_digests` (one digest per leader role per day)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from dondoc import jobs
from dondoc.flows.common import database, load_settings, resolve_now


@task(name="queue-digests", retries=2, retry_delay_seconds=30, cache_policy=NO_CACHE)
def queue_digests(now: datetime) -> list[dict[str, Any]]:
    """Queue today's digests in one transaction; at most one per role and local day, so a rerun adds none."""
    settings = load_settings()
    with database(settings) as engine:
        made = jobs.run_digests(engine, now=now, settings=settings)
    rows = [{"to": n.recipient_role, "email": n.recipient_email, "subject": n.subject} for n in made]
    get_run_logger().info("digests at %s: %d queued", now.isoformat(), len(rows))
    return rows


@flow(name="digests")
def digests(now: datetime | None = None) -> list[dict[str, Any]]:
    """Queue the daily digests for the chair, the standing vice-chair and the secretariat; ``deliver`` sends them."""
    return queue_digests(resolve_now(now, load_settings()))
