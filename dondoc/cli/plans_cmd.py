"""``dondoc plans …``: opt a plan in to tracking before the installation's tracking start."""

from __future__ import annotations

from typing import Annotated

import typer

from dondoc.cli.context import app_context
from dondoc.engine.services.tracking import track_plan

app = typer.Typer(help="Plans: which are tracked before the tracking start.", no_args_is_help=True)

NumberArgument = Annotated[str, typer.Argument(help="the plan's number, e.g. 61/KH-UBND")]


@app.command()
def track(ctx: typer.Context, number: NumberArgument) -> None:
    """Track the whole plan: its milestones due before the tracking start are escalated and listed again."""
    with app_context(ctx).transaction() as session:
        rows = track_plan(session, number)
    typer.echo(
        f"{number}: theo dõi cả các mốc trước ngày bắt đầu theo dõi ({rows} phần việc được xét lại ở lần quét tới)"
    )


@app.command()
def untrack(ctx: typer.Context, number: NumberArgument) -> None:
    """Undo ``track``: its milestones due before the tracking start are left out again."""
    with app_context(ctx).transaction() as session:
        rows = track_plan(session, number, tracked=False)
    typer.echo(f"{number}: không theo dõi các mốc trước ngày bắt đầu theo dõi ({rows} phần việc được xét lại)")
