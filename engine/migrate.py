"""Schema migrations with Alembic, configured in code (no alembic.ini to find)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import MetaData, text
from sqlalchemy.engine import Engine

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema up to ``revision``; a no-op when it is already there."""
    command.upgrade(alembic_config(engine), revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Step the schema back to ``revision`` (``base`` drops every table)."""
    command.downgrade(alembic_config(engine), revision)


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision(engine: Engine) -> str | None:
    return ScriptDirectory.from_config(alembic_config(engine)).get_current_head()


def wipe(engine: Engine) -> None:
    """Drop every table of the database's schema with its triggers, and the trigger functions of
    dondoc's migrations (``dondoc_*``, PostgreSQL), whatever revision it is at. Stepping the
    migrations down cannot always do it: 0026's downgrade cannot put back a unique constraint that
    the rows break (a body holding two parts of one milestone), and a failed step leaves its work
    table behind. The history's append-only triggers forbid deleting its rows, not dropping them."""
    with engine.begin() as connection:
        if connection.dialect.name == "sqlite":
            connection.exec_driver_sql("PRAGMA foreign_keys = OFF")  # a table's drop is not a delete of its rows
            for (name,) in connection.execute(text("SELECT name FROM sqlite_master WHERE type = 'trigger'")).all():
                connection.exec_driver_sql(f'DROP TRIGGER IF EXISTS "{name}"')
        tables = MetaData()
        tables.reflect(connection)
        tables.drop_all(connection)
        if connection.dialect.name == "postgresql":
            functions = connection.execute(
                text(
                    "SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
                    "WHERE n.nspname = current_schema() AND p.proname LIKE 'dondoc\\_%'"
                )
            ).scalars()
            for signature in list(functions):
                connection.exec_driver_sql(f"DROP FUNCTION IF EXISTS {signature} CASCADE")
        if connection.dialect.name == "sqlite":
            connection.exec_driver_sql("PRAGMA foreign_keys = ON")
