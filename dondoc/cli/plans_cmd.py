"""``dondoc plans …``: opt a plan in to tracking before the installation's tracking start."""

from __future__ import annotations

from typing import Annotated

import typer

from dondoc.cli.context import app_context
from dondoc.engine.services.tracking import track_plan

app = typer.Typer(
    help="Văn bản: chọn văn bản được theo dõi cả các mốc trước ngày bắt đầu theo dõi.", no_args_is_help=True
)

NumberArgument = Annotated[str, typer.Argument(help="số văn bản, ví dụ 61/KH-UBND")]


@app.command()
def track(ctx: typer.Context, number: NumberArgument) -> None:
    """Theo dõi toàn bộ văn bản: các mốc có hạn trước ngày bắt đầu theo dõi lại được đôn đốc và hiện trong danh sách."""
    with app_context(ctx).transaction() as session:
        rows = track_plan(session, number)
    typer.echo(
        f"{number}: theo dõi cả các mốc trước ngày bắt đầu theo dõi ({rows} phần việc được xét lại ở lần quét tới)"
    )


@app.command()
def untrack(ctx: typer.Context, number: NumberArgument) -> None:
    """Hủy lệnh plans track: các mốc có hạn trước ngày bắt đầu theo dõi lại không được theo dõi."""
    with app_context(ctx).transaction() as session:
        rows = track_plan(session, number, tracked=False)
    typer.echo(f"{number}: không theo dõi các mốc trước ngày bắt đầu theo dõi ({rows} phần việc được xét lại)")
