"""``dondoc db …`` and ``dondoc init``."""

from __future__ import annotations

from typing import Annotated

import typer

from dondoc.cli.catalog_cmd import load
from dondoc.cli.context import app_context
from dondoc.cli.status_cmd import status
from dondoc.engine import migrate

app = typer.Typer(help="Database schema (Alembic migrations).", no_args_is_help=True)


@app.command()
def upgrade(ctx: typer.Context, revision: Annotated[str, typer.Argument()] = "head") -> None:
    """Create or migrate the schema (a no-op when it is up to date)."""
    engine = app_context(ctx).engine
    migrate.upgrade(engine, revision)
    typer.echo(f"database at revision {migrate.current_revision(engine)} ({engine.url.render_as_string()})")


@app.command()
def current(ctx: typer.Context) -> None:
    """Print the schema revision of the database and the newest one the code knows."""
    engine = app_context(ctx).engine
    typer.echo(f"current: {migrate.current_revision(engine)}  head: {migrate.head_revision(engine)}")


def init(ctx: typer.Context) -> None:
    """Upgrade the database, load the shipped catalog and show the board counts."""
    upgrade(ctx)
    load(ctx)
    status(ctx)
