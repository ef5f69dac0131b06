"""``dondoc import FILE``: a document to a draft plan in the catalog's YAML shape."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from dondoc.cli.context import app_context
from dondoc.importer.agencies import AgencyDirectory
from dondoc.importer.draft import build_draft
from dondoc.importer.reading import read_document
from dondoc.importer.writing import render


def import_document(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="tệp DOCX, PDF (có lớp chữ, không phải ảnh quét), TXT hoặc Markdown")],
    out: Annotated[
        Path | None, typer.Option("--out", help="ghi bản nháp vào tệp này (mặc định: in ra màn hình)")
    ] = None,
    directory: Annotated[
        Path | None, typer.Option("--dir", help="thư mục danh mục có tệp agencies.yaml để nhận ra tên các cơ quan")
    ] = None,
) -> None:
    """Đọc một văn bản thành bản nháp kế hoạch: mỗi trường kèm nơi đọc (dòng nguồn) và độ tin cậy."""
    context = app_context(ctx, writes=False)
    catalog_dir = directory or context.settings.catalog_dir
    today = context.clock.local_date(context.clock.now())  # the year of a document with no issue date
    draft = build_draft(read_document(file), AgencyDirectory.load(catalog_dir), today=today)
    text = render(draft)
    if out is None:
        typer.echo(text, nl=False)
        return
    if out.exists():
        raise typer.BadParameter(f"tệp {out} đã có; chọn tên khác", param_hint="--out")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    typer.echo(f"đã ghi bản nháp {out}: {len(draft.items)} nhiệm vụ, {len(draft.unread)} điểm chưa đọc được")
