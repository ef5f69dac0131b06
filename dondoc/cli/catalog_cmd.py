"""``dondoc catalog …``: validate, export and load the plans of tasks_catalog/."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from dondoc.cli.context import app_context
from dondoc.cli.output import emit_json, table
from dondoc.cli.progress import progress
from dondoc.jobs import run_catalog_load
from dondoc.tasks_catalog.loader import CatalogInvalid, load_catalog
from dondoc.tasks_catalog.places import unplaced

app = typer.Typer(help="Danh mục văn bản, cơ quan và thời hạn trong tasks_catalog/.", no_args_is_help=True)

DirOption = Annotated[
    Path | None,
    typer.Option("--dir", exists=True, file_okay=False, help="thư mục danh mục (mặc định: danh mục kèm theo dondoc)"),
]
JsonOption = Annotated[bool, typer.Option("--json", help="xuất kết quả dạng JSON (cho chương trình khác đọc)")]
LocalDirOption = Annotated[
    Path | None,
    typer.Option(
        "--local-dir",
        exists=True,
        file_okay=False,
        help="thư mục danh mục của đơn vị (mặc định: DONDOC_CATALOG_LOCAL_DIR)",
    ),
]


def _catalog_dir(ctx: typer.Context, directory: Path | None) -> Path | None:
    return directory or app_context(ctx, writes=False).settings.catalog_dir


def _local_dir(ctx: typer.Context, directory: Path | None) -> Path | None:
    """The installation's own catalog folder (DONDOC_CATALOG_LOCAL_DIR: its plans and successions),
    read with the shipped one."""
    return directory or app_context(ctx, writes=False).settings.catalog_local_dir


@app.command()
def validate(ctx: typer.Context, directory: DirOption = None, local_dir: LocalDirOption = None) -> None:
    """Kiểm tra mọi tệp danh mục (cả thư mục danh mục của đơn vị); in ra từng lỗi, hoặc số lượng nếu hợp lệ."""
    try:
        catalog = load_catalog(_catalog_dir(ctx, directory), _local_dir(ctx, local_dir))
    except CatalogInvalid as exc:
        for problem in exc.problems:
            typer.echo(f"lỗi: {problem}", err=True)
        typer.echo(f"{len(exc.problems)} lỗi", err=True)
        raise typer.Exit(1) from None
    counts = catalog.counts()
    table(
        ["Văn bản", "Nhiệm vụ", "Mốc", "Chỉ tiêu", "Phần việc", "Báo cáo định kỳ"],
        [[number, *c.values()] for number, c in counts.items()],
    )
    typer.echo(
        f"Danh mục hợp lệ: {len(catalog.agencies)} cơ quan, {len(catalog.groups)} nhóm cơ quan, {len(counts)} văn bản"
    )
    for plan in catalog.plans:  # its items then listed in the file's order, not the text's (tasks_catalog.places)
        if codes := unplaced(plan):
            typer.echo(
                f"Lưu ý: {plan.meta.number}: nguồn của {', '.join(codes)} không ghi dòng hay đoạn của văn bản,"
                " nên các nhiệm vụ của văn bản này được xếp theo thứ tự trong tệp, không theo văn bản"
            )
    if catalog.successions:
        unconfirmed = sum(1 for s in catalog.successions if not s.confirmed)
        typer.echo(f"Tổ chức lại: {len(catalog.successions)} lần ({unconfirmed} lần căn cứ chưa xác minh)")


@app.command()
def export(
    ctx: typer.Context,
    directory: DirOption = None,
    fmt: Annotated[str, typer.Option("--format", help="hiện chỉ có json")] = "json",
) -> None:
    """In toàn bộ danh mục đã đọc thành một tài liệu JSON (cấu trúc: tasks_catalog/README.md)."""
    from dondoc.tasks_catalog.export import catalog_to_dict

    if fmt != "json":
        raise typer.BadParameter(f'không có định dạng "{fmt}"; dùng json', param_hint="--format")
    catalog = load_catalog(_catalog_dir(ctx, directory), _local_dir(ctx, None))
    typer.echo(json.dumps(catalog_to_dict(catalog), ensure_ascii=False, indent=2))


@app.command()
def load(
    ctx: typer.Context, directory: DirOption = None, local_dir: LocalDirOption = None, as_json: JsonOption = False
) -> None:
    """Nạp danh mục: tạo mới hoặc cập nhật văn bản, nhiệm vụ, mốc và phần việc; giữ nguyên trạng thái, nhật ký.

    Việc tổ chức lại đã đến ngày hiệu lực thì chuyển ngay các phần việc chưa hoàn thành của cơ quan cũ
    (đã giao, đang thực hiện, đã báo cáo chờ xác nhận) cho cơ quan kế nhiệm, hoặc để chờ Tổ giúp việc
    quyết định ở "Cần phân công lại" (ghi nhận có hiệu lực từ ngày đó)."""
    context = app_context(ctx)
    with progress("Nạp danh mục kế hoạch", quiet=as_json) as tell:
        report = run_catalog_load(
            context.engine,
            now=context.clock.now(),
            catalog_dir=_catalog_dir(ctx, directory),
            local=context.clock,
            local_dir=_local_dir(ctx, local_dir),
            settings=context.settings,
            progress=tell,
        )
    if as_json:
        emit_json(report.to_dict())
        return
    from dondoc.summaries import headline  # the job modules it reads load when a load has run, not at start

    typer.echo(headline(report))  # one line for a load, whoever runs it
    for line in report.changes + report.orphaned:
        typer.echo(f"  {line}")
