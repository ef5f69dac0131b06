"""``dondoc simulate``: replay a period day by day with seeded agency behaviour."""

from __future__ import annotations

from typing import Annotated

import typer

from dondoc.cli.context import app_context
from dondoc.cli.numbers import whole_number
from dondoc.cli.output import emit_json
from dondoc.cli.progress import progress
from dondoc.cli.simulate_text import echo_summary
from dondoc.engine.clock import LocalDays
from dondoc.engine.settings import DEFAULT_SECRET_KEY
from dondoc.engine.vi_format import parse_day
from dondoc.simulation.replay import check_window, prepare, replay
from dondoc.simulation.report import summarise
from dondoc.simulation.successions import succession_summary


def simulate(
    ctx: typer.Context,
    start: Annotated[str, typer.Option("--from", help="ngày đầu, YYYY-MM-DD")],
    end: Annotated[str, typer.Option("--to", help="ngày cuối, YYYY-MM-DD")],
    seed: Annotated[
        int,
        typer.Option(
            parser=whole_number(), help="seed ngẫu nhiên cho cách các cơ quan xử lý (cùng seed, cùng kết quả)"
        ),
    ] = 1,
    reset: Annotated[
        bool,
        typer.Option(
            "--reset", help="xóa dữ liệu đã có trong cơ sở dữ liệu diễn lại (do simulate hoặc serve --demo tạo)"
        ),
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="xuất kết quả dạng JSON (cho chương trình khác đọc)")] = False,
) -> None:
    """Diễn lại từng ngày của một khoảng thời gian trên một cơ sở dữ liệu trống.

    Nạp danh mục rồi diễn lại: các cơ quan xử lý công việc, lần quét nhắc việc và chuyển cấp, thư được
    ghi vào thư mục lưu thư. Cơ sở dữ liệu được giữ nguyên như sau khi diễn lại, để xem bảng theo dõi
    và báo cáo."""
    context = app_context(ctx, writes=False, creates=True)  # it keeps its own days; it makes the database
    first, last = parse_day(start, "--from"), parse_day(end, "--to")
    check_window(first, last)  # before --reset wipes anything
    # A replay never mails anyone: always the mail drop; demo signing when no key is set.
    settings = context.settings.model_copy(
        update={"smtp_host": None, "demo": context.settings.demo or context.settings.secret_key == DEFAULT_SECRET_KEY}
    )
    prepare(context.engine, reset=reset, maildrop=settings.maildrop_dir)
    with progress(f"Diễn lại {first:%d/%m/%Y}–{last:%d/%m/%Y}", quiet=as_json) as tell:
        stats = replay(
            context.engine,
            start=first,
            end=last,
            seed=seed,
            settings=settings,
            catalog_dir=settings.catalog_dir,
            progress=tell,
        )
    with context.transaction() as session:
        local = LocalDays(settings.tz)
        summary = summarise(session, now=local.at(last, 23, 59), maildrop=settings.maildrop_dir, local=local)
        reorganisation = (
            succession_summary(session, local=local, window=(first, last))
            if stats.transferred or stats.queued
            else None
        )
    result = {
        "from": first.isoformat(),
        "to": last.isoformat(),
        "seed": seed,
        "sweeps": stats.sweeps,
        "actions": stats.actions,
        "refused_actions": stats.refused,
        "refused_by": stats.refused_by,
        # steps drawn for work the body had already done under another document (same_work)
        "skipped_same_work": stats.skipped_same_work,
        "delivered": stats.delivered,  # notifications sent
        "mails": stats.mails,  # the mails written: fewer, a lead's list carrying several notifications
        **summary,
    }
    if reorganisation is not None:  # the replay crossed a succession date
        result["reorganisation"] = reorganisation
    if as_json:
        emit_json(result)
        return
    echo_summary(result, maildrop=settings.maildrop_dir)
