"""``dondoc agencies …``: record what happened to an agency (a succession) in the installation's catalog."""

from __future__ import annotations

from typing import Annotated

import typer

from dondoc.cli.context import app_context
from dondoc.engine.errors import InvalidInput
from dondoc.jobs import run_catalog_load
from dondoc.tasks_catalog.recorder import KINDS, succession_recorded

app = typer.Typer(help="Agencies: record a succession (rename, merge, split, absorb, dissolve).", no_args_is_help=True)


@app.command()
def succeed(
    ctx: typer.Context,
    old: Annotated[list[str], typer.Argument(help="the agency (or agencies, for a merge) that end")],
    on: Annotated[str, typer.Option("--on", help="the first day of the successors, YYYY-MM-DD")],
    kind: Annotated[str, typer.Option("--kind", help=" | ".join(KINDS))],
    source: Annotated[str, typer.Option("--source", help="the legal source (number, date, issuer)")],
    by: Annotated[list[str] | None, typer.Option("--by", help="a successor (repeat for a split)")] = None,
    function: Annotated[
        list[str] | None, typer.Option("--function", help='for a split: "CODE=function" (repeat)')
    ] = None,
    unconfirmed: Annotated[bool, typer.Option("--unconfirmed", help="the source could not be checked")] = False,
    apply: Annotated[bool, typer.Option("--apply/--no-apply", help="load the catalog now")] = True,
) -> None:
    """Write the succession into DONDOC_CATALOG_LOCAL_DIR/successions.yaml (checked with the whole
    catalog first: nothing is written if it is refused), then load the catalog: on its date the old
    body's open work passes on, or waits in "Cần phân công lại"."""
    context = app_context(ctx, writes=apply)
    functions: dict[str, list[str]] = {}
    for pair in function or []:
        code, sep, what = pair.partition("=")
        if not sep or not what.strip():
            raise InvalidInput(f'--function "{pair}": viết MÃ_CƠ_QUAN=chức năng')
        functions.setdefault(code.strip(), []).append(what.strip())
    settings = context.settings
    with succession_recorded(
        local_dir=settings.catalog_local_dir,
        catalog_dir=settings.catalog_dir,
        old=old,
        by=by or [],
        on=on,
        kind=kind,
        source=source,
        functions=functions,
        confirmed=not unconfirmed,
    ) as entry:
        report = (
            run_catalog_load(
                context.engine,
                now=context.clock.now(),
                catalog_dir=settings.catalog_dir,
                local=context.clock,
                local_dir=settings.catalog_local_dir,
                settings=settings,
            )
            if apply
            else None
        )
    typer.echo(f"Đã ghi nhận lần tổ chức lại {entry.key} vào {settings.catalog_local_dir}")
    if report is not None:
        for line in report.changes:
            typer.echo(f"  {line}")
