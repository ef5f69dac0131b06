"""``dondoc db …`` and ``dondoc init``."""

from __future__ import annotations

from typing import Annotated

import typer

from dondoc.cli.catalog_cmd import load
from dondoc.cli.context import app_context
from dondoc.cli.status_cmd import status
from dondoc.engine import migrate
from dondoc.engine.services.tracking import open_before_tracking, set_tracking_start, tracking_start
from dondoc.engine.vi_format import parse_day

app = typer.Typer(help="Lược đồ cơ sở dữ liệu (Alembic migration).", no_args_is_help=True)


@app.command()
def upgrade(
    ctx: typer.Context,
    revision: Annotated[
        str, typer.Argument(help="phiên bản lược đồ cần nâng cấp tới (head: phiên bản mới nhất)")
    ] = "head",
) -> None:
    """Tạo hoặc nâng cấp lược đồ (không làm gì nếu lược đồ đã ở phiên bản mới nhất)."""
    engine = app_context(ctx, writes=False, creates=True).engine
    migrate.upgrade(engine, revision)
    typer.echo(f"Cơ sở dữ liệu ở phiên bản {migrate.current_revision(engine)} ({engine.url.render_as_string()})")


@app.command()
def current(ctx: typer.Context) -> None:
    """In phiên bản lược đồ của cơ sở dữ liệu và phiên bản mới nhất mà mã nguồn cần."""
    engine = app_context(ctx, writes=False).engine
    typer.echo(f"Phiên bản hiện tại: {migrate.current_revision(engine)}; mã nguồn cần: {migrate.head_revision(engine)}")


def _moved_words(before: int, after: int) -> str:
    """What moving the tracking start changes: how many open parts, due before the start, of plans
    issued before it, are no longer chased, or are chased from the next sweep (escalations included)."""
    if after > before:
        return (
            f"{after - before} phần việc chưa hoàn thành nay có hạn trước ngày bắt đầu theo dõi: "
            "không còn bị nhắc, báo quá hạn"
        )
    if after < before:
        return (
            f"{before - after} phần việc chưa hoàn thành nay được theo dõi: lần quét tới nhắc việc, "
            "báo quá hạn và chuyển cấp như mọi việc quá hạn"
        )
    return "không phần việc chưa hoàn thành nào đổi cách theo dõi"


def init(
    ctx: typer.Context,
    start: Annotated[
        str | None,
        typer.Option(
            "--tracking-start",
            help="ngày Ban Chỉ đạo bắt đầu theo dõi bằng dondoc, YYYY-MM-DD (mặc định: hôm nay, hoặc ngày đã đặt "
            "trước đó): các mốc có hạn trước ngày này, thuộc văn bản ban hành trước ngày này, không bị nhắc việc, "
            "báo quá hạn hay chuyển cấp",
        ),
    ] = None,
) -> None:
    """Nâng cấp cơ sở dữ liệu, nạp danh mục kèm theo, đặt ngày bắt đầu theo dõi và hiện số liệu bảng theo dõi."""
    given = parse_day(start, "--tracking-start") if start is not None else None  # before anything is written
    # and what would refuse it halfway, before the schema is made: a --now away from the clock, and
    # the address and key the catalog's mails are signed and linked with (a refused init had left a
    # migrated database with no catalog)
    context = app_context(ctx, creates=True)
    context.settings.links_base()
    context.settings.signing_key()
    upgrade(ctx)
    load(ctx)
    with context.transaction() as session:
        day = was = tracking_start(session)
        if given is not None or day is None:
            day = given or context.clock.local_date(context.clock.now())
            before = open_before_tracking(session)
            set_tracking_start(session, day, local=context.clock)
            after = open_before_tracking(session)
    typer.echo(f"Ngày bắt đầu theo dõi: {day:%d/%m/%Y}")
    if was is not None and was != day:  # moved: the secretariat is told what it changes, not left to find out
        typer.echo(f"  (trước đây: {was:%d/%m/%Y}; {_moved_words(before, after)})")
    status(ctx)
