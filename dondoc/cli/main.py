"""The ``dondoc`` command. Errors end in one line on stderr and a non-zero exit code."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Annotated

import typer
from alembic.util import CommandError
from pydantic import ValidationError
from sqlalchemy.exc import SQLAlchemyError

from dondoc.cli import (
    agencies_cmd,
    assignments_cmd,
    catalog_cmd,
    db_cmd,
    import_cmd,
    indicators_cmd,
    jobs_cmd,
    outbox_cmd,
    plans_cmd,
    report_cmd,
    serve_cmd,
    simulate_cmd,
    status_cmd,
    web_cmd,
)
from dondoc.cli.context import AppContext
from dondoc.cli.db_errors import describe
from dondoc.cli.usage_vi import usage_message
from dondoc.engine.clock import FrozenClock, SystemClock, parse_instant
from dondoc.engine.errors import DomainError
from dondoc.engine.pydantic_vi import reason_vi
from dondoc.engine.settings import Settings

app = typer.Typer(
    name="dondoc",
    help="Theo dõi, đôn đốc nhiệm vụ của Ban Chỉ đạo: nhiệm vụ trong các kế hoạch, văn bản và thời hạn thực hiện.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.add_typer(db_cmd.app, name="db")
app.add_typer(catalog_cmd.app, name="catalog")
app.add_typer(agencies_cmd.app, name="agencies")
app.add_typer(assignments_cmd.app, name="assignments")
app.add_typer(plans_cmd.app, name="plans")
app.command("status")(status_cmd.status)
app.command("init")(db_cmd.init)
app.command("report")(report_cmd.report)
app.command("import")(import_cmd.import_document)
app.add_typer(jobs_cmd.policy_app, name="policy")
app.add_typer(indicators_cmd.app, name="indicators")
app.add_typer(web_cmd.users_app, name="users")
app.add_typer(web_cmd.links_app, name="links")
app.add_typer(web_cmd.tokens_app, name="tokens")
app.add_typer(outbox_cmd.app, name="outbox")
for _job in (
    jobs_cmd.sweep,
    jobs_cmd.deliver,
    jobs_cmd.digest,
    jobs_cmd.scheduler,
    simulate_cmd.simulate,
    serve_cmd.serve,
):
    app.command(_job.__name__)(_job)


@app.callback()
def root(
    ctx: typer.Context,
    now: Annotated[
        str | None,
        typer.Option(
            "--now",
            help="Chạy như thể bây giờ là thời điểm này (ngày/giờ ISO; không ghi múi giờ thì theo DONDOC_TIMEZONE)",
        ),
    ] = None,
    database_url: Annotated[
        str | None,
        typer.Option(
            "--database-url", envvar="DONDOC_DATABASE_URL", help="URL kết nối cơ sở dữ liệu (dạng SQLAlchemy)"
        ),
    ] = None,
) -> None:
    overrides = {"database_url": database_url} if database_url else {}
    settings = Settings(**overrides)  # type: ignore[arg-type]
    # an empty --now (a script's unset variable) is refused, not read as the real clock
    clock = FrozenClock(parse_instant(now, settings.tz), settings.tz) if now is not None else SystemClock(settings.tz)
    ctx.obj = AppContext(settings=settings, clock=clock)
    ctx.call_on_close(ctx.obj.close)


def run(argv: Sequence[str] | None = None) -> None:
    """Entry point: run the app on ``argv`` (default: the command line), every expected failure one line."""
    try:
        code = app(args=argv, standalone_mode=False)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        _fail("đã dừng", 130)
    except typer.exceptions.TyperException as exc:  # usage errors, bad parameters (cli/usage_vi.py)
        if not exc.format_message():  # "no arguments": the help text was printed already
            sys.exit(exc.exit_code)
        _fail(usage_message(exc), exc.exit_code)
    except DomainError as exc:
        _fail(str(exc), 1)
    except ValidationError as exc:
        first = exc.errors()[0]
        _fail(f"thiết lập không hợp lệ {'.'.join(map(str, first['loc']))}: {reason_vi(first)}", 2)
    except ValueError as exc:
        _fail(str(exc), 2)
    except (SQLAlchemyError, CommandError) as exc:  # every database failure, named (cli/db_errors.py)
        _fail(describe(exc), 1)
    except OSError as exc:  # a file or folder given that cannot be read or written (-o a folder, --out /proc/x)
        where = f"{exc.filename}: " if exc.filename else ""
        _fail(f"không đọc hoặc ghi được {where}{exc.strerror or exc}", 1)
    sys.exit(code if isinstance(code, int) else 0)


def _fail(message: str, code: int) -> None:
    print(f"dondoc: lỗi: {message}", file=sys.stderr)
    sys.exit(code)
