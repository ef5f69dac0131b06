"""``dondoc sweep``, ``deliver``, ``digest``, ``scheduler`` and ``policy validate``."""

from __future__ import annotations

import logging
import signal
import threading
from pathlib import Path
from typing import Annotated

import typer

from dondoc import jobs
from dondoc.cli.context import app_context
from dondoc.cli.output import emit_json, table
from dondoc.engine.escalation.policy import load_policy
from dondoc.engine.history_labels import ACTOR_LABELS_VI
from dondoc.engine.mail_labels import mail_kind_label

JsonOption = Annotated[bool, typer.Option("--json", help="xuất kết quả dạng JSON (cho chương trình khác đọc)")]
policy_app = typer.Typer(help="Tệp chính sách nhắc việc và chuyển cấp.", no_args_is_help=True)


def sweep(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Quét một lần ngay (hoặc tại thời điểm --now): quyết định thư nhắc việc, chuyển cấp, đưa vào hộp thư đi."""
    from dondoc.summaries import decisions_by_kind, headline, summarise

    context = app_context(ctx)
    context.settings.links_base()  # mails carry links: an unset DONDOC_BASE_URL is refused first
    result = jobs.run_sweep(context.engine, now=context.clock.now(), settings=context.settings)
    if as_json:
        emit_json(summarise(result))
        return
    typer.echo(headline(result))
    table(
        ["Loại thư → nơi nhận", "Số quyết định"],
        [[_in_words(kind), n] for kind, n in decisions_by_kind(result).items()],
    )


def _in_words(kind_to: str) -> str:
    """``overdue→agency`` as the operator reads it: "Quá hạn → cơ quan được giao"."""
    kind, _, to = kind_to.partition("→")
    return f"{mail_kind_label(kind)} → {ACTOR_LABELS_VI.get(to, to)}"


def deliver(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Gửi một lượt thư đã đến giờ gửi trong hộp thư đi (qua SMTP; chưa đặt SMTP thì ghi vào DONDOC_MAILDROP_DIR)."""
    from dondoc.summaries import headline, summarise

    context = app_context(ctx)
    context.settings.links_base()  # a mail re-rendered before a late send carries links
    report = jobs.run_delivery(context.engine, now=context.clock.now(), settings=context.settings)
    if as_json:
        emit_json(summarise(report))
        return
    typer.echo(headline(report))


def digest(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Đưa các bản tổng hợp của hôm nay vào hộp thư đi; lệnh deliver sẽ gửi đi.

    Bản tổng hợp gửi Trưởng Ban Chỉ đạo, Phó Trưởng ban Thường trực và Tổ giúp việc; bản gửi Lãnh đạo
    chỉ lập vào ngày làm việc (DONDOC_DIGEST_WORKING_DAYS_ONLY)."""
    from dondoc.summaries import headline, summarise

    context = app_context(ctx)
    context.settings.links_base()
    queued = jobs.run_digests(context.engine, now=context.clock.now(), settings=context.settings)
    if as_json:
        emit_json(summarise(queued))
        return
    typer.echo(headline(queued))
    rows = [[ACTOR_LABELS_VI.get(mail.to, mail.to), mail.email, mail.subject] for mail in queued.mails]
    table(["Gửi đến", "Thư điện tử", "Tiêu đề"], rows)


def scheduler(ctx: typer.Context) -> None:
    """Chạy bộ lập lịch tích hợp cho đến khi dừng.

    Quét mỗi giờ, gửi thư mỗi phút, lập bản tổng hợp lúc 07:30 (gửi Lãnh đạo chỉ vào ngày làm việc),
    lập báo cáo định kỳ gửi Lãnh đạo lúc 07:00 vào ngày đến hạn; với SQLite, cập nhật thống kê truy vấn
    (ANALYZE) lúc 02:40."""
    from dondoc.cli.preflight import check_ready
    from dondoc.scheduler import build_scheduler, timetable_words

    context = app_context(ctx)
    context.settings.links_base()  # refuse an unset DONDOC_BASE_URL at start, not in the first mail
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    check_ready(context.settings, context.engine)  # policy, catalog, database, schema: refused at start
    running = build_scheduler(context.engine, context.settings, context.clock)
    running.start()
    typer.echo(f"Bộ lập lịch đang chạy ({timetable_words(job.id for job in running.get_jobs())}); Ctrl+C để dừng")
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    stop.wait()
    running.shutdown()


@policy_app.command("validate")
def validate_policy(
    ctx: typer.Context,
    file: Annotated[
        Path | None,
        typer.Option("--file", help="tệp YAML chính sách (mặc định: DONDOC_POLICY_FILE, hoặc tệp kèm theo dondoc)"),
    ] = None,
) -> None:
    """Kiểm tra chính sách nhắc việc, chuyển cấp; in phiên bản và các quy tắc, hoặc từng lỗi."""
    policy = load_policy(file or app_context(ctx, writes=False).settings.policy_file)
    typer.echo(
        f"Chính sách {policy.version}: {len(policy.rules)} quy tắc, "
        f"{len(policy.priority_rules)} quy tắc cho nhiệm vụ trọng tâm"
    )
    rows = [
        [r.name, r.trigger.value, r.working_days, ", ".join(ACTOR_LABELS_VI.get(to, to) for to in r.to)]
        for r in policy.rules
    ]
    table(["Quy tắc", "Mốc tính", "Số ngày làm việc", "Gửi đến"], rows)
