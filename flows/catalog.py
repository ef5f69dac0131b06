"""The ``catalog-load`` flow: validate the catalog, then apply it (what ``dondoc catalog load`` does)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from dondoc.engine.clock import LocalDays
from dondoc.flows.common import database, load_settings, resolve_now, settings_for_run
from dondoc.jobs import run_catalog_load
from dondoc.summaries import Summary, headline, summarise


@task(name="sync-catalog", retries=1, retry_delay_seconds=30, cache_policy=NO_CACHE)
def sync(now: datetime, directory: str | None) -> Summary:
    """Load and validate the catalog (every problem raises ``CatalogInvalid``), apply it in one transaction.

    Idempotent: the same catalog loaded twice changes nothing; states and history are kept.
    """
    settings = load_settings()
    with database(settings) as engine:
        directory_path = Path(directory) if directory else settings.catalog_dir
        report = run_catalog_load(
            engine,
            now=now,
            catalog_dir=directory_path,
            local=LocalDays(settings.tz),
            local_dir=settings.catalog_local_dir,
        )
    get_run_logger().info("%s", headline(report))
    return summarise(report)


@flow(name="catalog-load")
def catalog_load(now: datetime | None = None, directory: str | None = None) -> Summary:
    """Apply the catalog (``directory``, else ``DONDOC_CATALOG_DIR``, else the packaged one) at ``now``."""
    return sync(resolve_now(now, settings_for_run()), directory)
