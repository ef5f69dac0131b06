"""``dondoc status``: counts in the Government Office's categories."""

from __future__ import annotations

from typing import Annotated

import typer

from dondoc.cli.context import app_context
from dondoc.cli.output import emit_json, table
from dondoc.engine.services.queries import category_counts
from dondoc.engine.status import CATEGORY_LABELS_VI, Category

_BY_LABELS_VI = {"agency": "Cơ quan", "plan": "Văn bản", "item": "Nhiệm vụ"}  # the first column of --by


def status(
    ctx: typer.Context,
    by: Annotated[
        str | None, typer.Option("--by", help="agency (cơ quan), plan (văn bản) hoặc item (nhiệm vụ)")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="xuất kết quả dạng JSON (cho chương trình khác đọc)")] = False,
) -> None:
    """Số phần việc theo từng phân loại: tất cả, hoặc theo cơ quan, văn bản, nhiệm vụ."""
    if by not in (None, "agency", "plan", "item"):
        raise typer.BadParameter(f'"{by}" không phải agency, plan hay item', param_hint="--by")
    context = app_context(ctx, writes=False)
    now = context.clock.now()
    with context.transaction() as session:
        rows = category_counts(session, now, by=by)  # type: ignore[arg-type]
    if as_json:
        emit_json({"now": now.isoformat(), "by": by, "rows": [r.model_dump() for r in rows]})
        return
    categories = list(Category)
    headers = ([_BY_LABELS_VI[by]] if by else []) + [CATEGORY_LABELS_VI[c] for c in categories] + ["Tổng"]
    table(headers, [([r.key] if by else []) + [r.counts[c.value] for c in categories] + [r.total] for r in rows])
