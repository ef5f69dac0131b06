"""``dondoc users …``, ``dondoc links …``, ``dondoc tokens …``: who may use the web app.

Registered in engine.cli.main as three sub-apps; nothing here imports FastAPI.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from dondoc.cli.context import app_context
from dondoc.cli.output import RowId
from dondoc.engine import links
from dondoc.engine.actors import Leader
from dondoc.engine.services.successions import refuse_if_succeeded
from dondoc.engine.services.web_queries import agency_by_code
from dondoc.engine.settings import LINK_DAYS_MAX

users_app = typer.Typer(help="Secretariat accounts for the web board.", no_args_is_help=True)
links_app = typer.Typer(help="Signed links for agencies and leaders (as sent in emails).", no_args_is_help=True)
tokens_app = typer.Typer(help="API tokens for /api/v1.", no_args_is_help=True)

SubjectArg = Annotated[str, typer.Argument(help="an agency code (so-tttt), chair or vice-chair")]


@users_app.command("add")
def add_user(
    ctx: typer.Context,
    username: str,
    password_stdin: Annotated[bool, typer.Option("--password-stdin", help="read the password from stdin")] = False,
    name: Annotated[str | None, typer.Option(help="display name, e.g. Tổ giúp việc")] = None,
) -> None:
    """Create a secretariat account (or set a new password, ending its sessions); the password is prompted for."""
    from dondoc.engine.services.accounts import add_user as create

    password = _password(password_stdin)
    context = app_context(ctx)
    with context.transaction() as session:
        user = create(session, username, password, now=context.clock.now(), display_name=name)
    typer.echo(f"Tài khoản {user.username} đã sẵn sàng")


@users_app.command("passwd")
def passwd(
    ctx: typer.Context,
    username: str,
    password_stdin: Annotated[bool, typer.Option("--password-stdin", help="read the password from stdin")] = False,
) -> None:
    """Set a new password for an account; every session of the account ends at once."""
    from dondoc.engine.services.accounts import set_password

    password = _password(password_stdin)
    context = app_context(ctx)
    with context.transaction() as session:
        user = set_password(session, username, password)
    typer.echo(f"Tài khoản {user.username}: đã đặt mật khẩu mới, mọi phiên đăng nhập đã kết thúc")


@users_app.command("deactivate")
def deactivate(ctx: typer.Context, username: str) -> None:
    """Stop an account from logging in; every session of it ends at once (``users add`` re-activates)."""
    from dondoc.engine.services.accounts import deactivate as stop

    context = app_context(ctx)
    with context.transaction() as session:
        user = stop(session, username)
    typer.echo(f"Đã khóa tài khoản {user.username}, mọi phiên đăng nhập đã kết thúc")


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    while True:  # click's own confirmation says its prompts and its mismatch in English
        first = str(typer.prompt("Mật khẩu", hide_input=True))
        if first == str(typer.prompt("Nhập lại mật khẩu", hide_input=True)):
            return first
        typer.echo("Hai lần nhập không khớp; nhập lại.", err=True)


def _subject(ctx: typer.Context, who: str, *, issuing: bool = False) -> str:
    """The link subject of an agency code or a leader; ``issuing``: a body a succession has ended
    by today is refused, naming its successors (its link would open on the 410 page saying so)."""
    leader = Leader.from_subject(f"leader:{who}")
    if leader is not None:
        return leader.subject
    context = app_context(ctx)
    with context.transaction() as session:
        agency = agency_by_code(session, who)  # NotFound for a typo, before anything is written
        if issuing:
            refuse_if_succeeded(session, agency, context.clock.local_date(context.clock.now()))
    return links.agency_subject(who)


def _url(base: str, subject: str, token: str) -> str:
    prefix = "leaders" if subject.startswith("leader:") else "a"
    return f"{base.rstrip('/')}/{prefix}/{token}"


@links_app.command("issue")
def issue(
    ctx: typer.Context,
    who: SubjectArg,
    days: Annotated[
        int | None, typer.Option(min=1, max=LINK_DAYS_MAX, help="valid for this many days (default DONDOC_LINK_DAYS)")
    ] = None,
) -> None:
    """Print a link for an agency or a leader, valid under the current generation."""
    context = app_context(ctx)
    base = context.settings.links_base()  # an unset DONDOC_BASE_URL is refused before a link is made
    subject = _subject(ctx, who, issuing=True)
    with context.transaction() as session:
        token = links.issue_token(
            session,
            subject,
            now=context.clock.now(),
            secret=context.settings.signing_key(),
            days=days or context.settings.link_days,
        )
    typer.echo(_url(base, subject, token))


@links_app.command("revoke")
def revoke(ctx: typer.Context, who: SubjectArg) -> None:
    """Revoke every link of an agency or leader until they are re-issued."""
    context = app_context(ctx)
    subject = _subject(ctx, who)
    with context.transaction() as session:
        links.revoke(session, subject, now=context.clock.now())
    typer.echo(f"Đã thu hồi mọi đường liên kết của {subject}")


@links_app.command("reissue")
def reissue(ctx: typer.Context, who: SubjectArg) -> None:
    """Revoke all earlier links and print a new one."""
    context = app_context(ctx)
    base = context.settings.links_base()
    subject = _subject(ctx, who, issuing=True)
    with context.transaction() as session:
        generation = links.reissue(session, subject, now=context.clock.now())
        token = links.issue_token(
            session,
            subject,
            now=context.clock.now(),
            secret=context.settings.signing_key(),
            days=context.settings.link_days,
        )
    typer.echo(f"Lần cấp thứ {generation}: {_url(base, subject, token)}")


@tokens_app.command("create")
def create_token(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="what the token is for")],
    role: Annotated[str, typer.Option(help="secretariat, agency, chair or vice-chair")] = "secretariat",
    agency: Annotated[str | None, typer.Option(help="agency code (role agency)")] = None,
) -> None:
    """Create an API token and print it once (only its hash is kept)."""
    from dondoc.engine.services.accounts import create_token as create

    context = app_context(ctx)
    with context.transaction() as session:
        if agency:  # a body a succession ended gets no token, as it gets no link (links issue)
            refuse_if_succeeded(session, agency_by_code(session, agency), context.clock.local_date(context.clock.now()))
        row, clear = create(session, name, role, now=context.clock.now(), agency_code=agency)
    typer.echo(f"Mã truy cập {row.id} ({role}{' ' + agency if agency else ''}; chỉ hiện một lần): {clear}")


@tokens_app.command("revoke")
def revoke_token(ctx: typer.Context, token_id: RowId) -> None:
    """Revoke an API token by its id."""
    from dondoc.engine.services.accounts import revoke_token as revoke_row

    context = app_context(ctx)
    with context.transaction() as session:
        revoke_row(session, token_id, now=context.clock.now())
    typer.echo(f"Đã thu hồi mã truy cập {token_id}")
