"""``dondoc report``: the periodic report of a period as HTML (A4), XLSX or Markdown."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from dondoc.cli.context import app_context
from dondoc.cli.progress import progress
from dondoc.engine.escalation.policy import load_policy
from dondoc.engine.reports import FORMATS, build_report, render
from dondoc.engine.reports.labels import file_name
from dondoc.engine.services.history_order import replay_lived_note


def report(
    ctx: typer.Context,
    period: Annotated[
        str, typer.Option("--period", help="kỳ báo cáo: 2022-Q3 (quý), 2022-H1 (6 tháng) hoặc 2022 (năm)")
    ],
    fmt: Annotated[str, typer.Option("--format", help="html, xlsx hoặc md")] = "html",
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="tệp để ghi (mặc định: stdout; riêng xlsx ghi vào bao-cao-<kỳ>.xlsx)"),
    ] = None,
) -> None:
    """Lập báo cáo định kỳ của một kỳ, theo văn bản và theo cơ quan.

    Gồm: số lượng theo phân loại, tỷ lệ, chỉ tiêu, báo cáo trễ hạn hoặc chưa nộp, phần việc quá hạn."""
    if fmt not in FORMATS:
        raise typer.BadParameter(f'"{fmt}" không phải một trong: {", ".join(FORMATS)}', param_hint="--format")
    context = app_context(ctx, writes=False)
    with progress(f"Lập báo cáo {period}") as tell, context.transaction() as session:
        tell(0, 2)
        policy = load_policy(context.settings.policy_file)  # the leaders' rates by body: their page's basis
        data = build_report(session, period_code=period, now=context.clock.now(), local=context.clock, policy=policy)
        note = replay_lived_note(session, context.clock.now(), context.settings.tz)
        tell(1, 2)
        content = render(data, fmt)
        tell(2, 2)
    if output is None and fmt == "xlsx":
        output = Path(file_name(data.period_code, "xlsx"))
    if output is None:
        sys.stdout.buffer.write(content)
    else:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_bytes(content)
        typer.echo(
            f"{data.period_label}: đã ghi {output} ({len(content)} byte; {len(data.by_agency)} cơ quan, "
            f"{len(data.indicators)} dòng chỉ tiêu, {len(data.overdue)} phần việc quá hạn)"
        )
    if note is not None:  # once the report is out: a file that cannot be written is one line alone
        typer.echo(note, err=True)
