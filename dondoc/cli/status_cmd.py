"""``dondoc status``: counts in the Government Office's categories."""

from __future__ import annotations

from typing import Annotated

import typer

from dondoc.cli.context import app_context
from dondoc.cli.output import emit_json, table
from dondoc.engine.clock import LocalDays
from dondoc.engine.services.board_then import board_then
from dondoc.engine.services.history_order import replay_lived_note
from dondoc.engine.services.queries import category_counts
from dondoc.engine.services.waiting_work import not_given_waiting
from dondoc.engine.status import CATEGORY_LABELS_VI, Category
from dondoc.engine.vi_format import vn_count
from dondoc.engine.views import CategoryCounts

NOT_GIVEN_HEADER = "Trong đó chưa giao"
TOTAL_HEADER = "Tổng số phần việc"  # the board's tile: every part but the cancelled
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
        # at a look-back (--now), the rows written or rewritten since as they stood then, as the board counts them
        then = board_then(session, now, LocalDays(context.settings.tz))
        rows = category_counts(session, now, by=by, then=then)  # type: ignore[arg-type]
        lived = replay_lived_note(session, now, context.settings.tz)
        waiting = sum(not_given_waiting(session, now).values())
    if lived is not None:
        typer.echo(lived, err=True)  # beside the figures, never inside the JSON a program reads
    if as_json:
        emit_json({"now": now.isoformat(), "by": by, "rows": [r.model_dump() for r in rows]})
        return
    _table(rows, by)
    note = _not_given_note(sum(r.not_given for r in rows), waiting)
    if note:
        typer.echo(note)


def _table(rows: list[CategoryCounts], by: str | None) -> None:
    """The counts as the board's tiles give them: "Tổng số phần việc" leaves out the cancelled parts,
    which come after it; beside "Chưa đến hạn", how many of them are not yet given (its tile counts
    them with a note; the board's agency table and chart leave them out)."""
    cancelled = Category.CANCELLED.value
    columns = [(CATEGORY_LABELS_VI[c], c.value) for c in Category if c is not Category.CANCELLED]
    columns.insert(1 + [key for _, key in columns].index(Category.NOT_YET_DUE.value), (NOT_GIVEN_HEADER, "not_given"))
    columns += [(TOTAL_HEADER, "total"), (CATEGORY_LABELS_VI[Category.CANCELLED], cancelled)]

    def cell(row: CategoryCounts, key: str) -> int:
        if key == "not_given":
            return row.not_given
        return row.total - row.counts[cancelled] if key == "total" else row.counts[key]

    headers = ([_BY_LABELS_VI[by]] if by else []) + [header for header, _ in columns]
    table(headers, [([r.key] if by else []) + [cell(r, key) for _, key in columns] for r in rows])


def _not_given_note(count: int, waiting: int = 0) -> str:
    """What the column beside "Chưa đến hạn" means, when it counts anything (the board's tile says it too),
    and how many of those parts are of a body that ended, never to be given to it: they wait in "Cần
    phân công lại" (``waiting``: engine.services.waiting_work), shown under the body that ended."""
    if not count:
        return ""
    ended = (
        f"; trong đó {vn_count(waiting)} phần việc của cơ quan đã không còn, sẽ không giao cho cơ quan đó "
        "mà đang chờ Tổ giúp việc phân công lại (mục «Cần phân công lại»)"
        if waiting
        else ""
    )
    return (
        f'Cột "Chưa đến hạn" tính cả {vn_count(count)} phần việc chưa giao đến nay '
        f'(như báo cáo định kỳ của các kỳ sau, chưa đến ngày giao), ở cột "{NOT_GIVEN_HEADER}"{ended}; '
        f'"{TOTAL_HEADER}" không kể phần việc đã hủy.'
    )
