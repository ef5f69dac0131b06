"""What ``serve`` and ``scheduler`` check before they listen or schedule.

A process that starts must be able to do its work: the escalation policy and the catalog read and
validate, the database answers, and its schema is at the code's head. The first failure stops the
start with one line (the CLI's error handler prints it); nothing is half-started.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import Engine

from dondoc.cli.db_errors import UPGRADE_HINT
from dondoc.engine import migrate
from dondoc.engine.errors import ConfigError
from dondoc.engine.escalation.policy import load_policy
from dondoc.engine.settings import Settings
from dondoc.tasks_catalog.loader import load_catalog


class SchemaNotAtHead(ConfigError):
    code = "schema_not_at_head"

    def __init__(self, current: str | None, head: str | None) -> None:
        super().__init__(
            f"lược đồ cơ sở dữ liệu ở phiên bản {current or '(trống)'}, mã nguồn cần {head}: {UPGRADE_HINT}"
        )


def check_ready(settings: Settings, engine: Engine, *, catalog_dir: Path | None = None) -> None:
    """PolicyInvalid, CatalogInvalid, a database error or SchemaNotAtHead: the first that fails."""
    load_policy(settings.policy_file)
    load_catalog(catalog_dir or settings.catalog_dir, settings.catalog_local_dir)  # as `catalog load` reads it
    current = migrate.current_revision(engine)  # connects: a refused or damaged database fails here
    head = migrate.head_revision(engine)
    if current != head:
        raise SchemaNotAtHead(current, head)
