"""``dondoc agencies …``: record what happened to an agency (a succession) in the installation's catalog."""

from __future__ import annotations

from typing import Annotated

import typer

from dondoc.cli.context import app_context
from dondoc.engine.errors import InvalidInput
from dondoc.engine.services.successions import KIND_LABELS_VI
from dondoc.jobs import run_catalog_load
from dondoc.tasks_catalog.recorder import KINDS, succession_recorded

app = typer.Typer(
    help="Cơ quan, đơn vị: ghi nhận việc tổ chức lại (đổi tên, hợp nhất, tách theo chức năng, sáp nhập, giải thể).",
    no_args_is_help=True,
)


@app.command()
def succeed(
    ctx: typer.Context,
    old: Annotated[list[str], typer.Argument(help="mã cơ quan không còn (hợp nhất: ghi nhiều mã)")],
    on: Annotated[str, typer.Option("--on", help="ngày hiệu lực, ngày đầu tiên cơ quan kế nhiệm đảm nhận, YYYY-MM-DD")],
    kind: Annotated[str, typer.Option("--kind", help=" | ".join(f"{k} ({KIND_LABELS_VI[k]})" for k in KINDS))],
    source: Annotated[str, typer.Option("--source", help="căn cứ pháp lý (số, ngày, cơ quan ban hành văn bản)")],
    by: Annotated[
        list[str] | None,
        typer.Option("--by", help="mã cơ quan kế nhiệm (tách theo chức năng: lặp lại cho từng cơ quan)"),
    ] = None,
    function: Annotated[
        list[str] | None,
        typer.Option("--function", help='tách theo chức năng: "MÃ_CƠ_QUAN=chức năng" (lặp lại, mỗi lần một chức năng)'),
    ] = None,
    unconfirmed: Annotated[
        bool, typer.Option("--unconfirmed", help="chưa đối chiếu được văn bản gốc của căn cứ")
    ] = False,
    apply: Annotated[bool, typer.Option("--apply/--no-apply", help="nạp danh mục ngay")] = True,
) -> None:
    """Ghi nhận một lần tổ chức lại cơ quan vào danh mục của đơn vị, rồi nạp danh mục.

    Ghi vào DONDOC_CATALOG_LOCAL_DIR/successions.yaml sau khi kiểm tra cùng toàn bộ danh mục (nếu không
    hợp lệ thì không ghi gì). Đến ngày hiệu lực, các phần việc chưa hoàn thành của cơ quan cũ (đã giao,
    đang thực hiện, đã báo cáo chờ xác nhận) được chuyển cho cơ quan kế nhiệm, hoặc chờ Tổ giúp việc
    quyết định ở "Cần phân công lại"."""
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
