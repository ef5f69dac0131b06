"""``dondoc users …``, ``dondoc links …``, ``dondoc tokens …``: who may use the web app.

Registered in engine.cli.main as three sub-apps; nothing here imports FastAPI.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from sqlmodel import Session

from dondoc.cli.context import app_context
from dondoc.cli.numbers import whole_number
from dondoc.cli.output import RowId
from dondoc.engine import links
from dondoc.engine.actors import Leader
from dondoc.engine.history_labels import ACTOR_LABELS_VI
from dondoc.engine.services.successions import refuse_if_succeeded
from dondoc.engine.services.web_queries import agency_by_code
from dondoc.engine.settings import LINK_DAYS_MAX

users_app = typer.Typer(help="Tài khoản của Tổ giúp việc trên bảng theo dõi web.", no_args_is_help=True)
links_app = typer.Typer(
    help="Đường liên kết có chữ ký cho cơ quan và Lãnh đạo (như gửi trong thư điện tử).", no_args_is_help=True
)
tokens_app = typer.Typer(help="Mã truy cập API cho /api/v1.", no_args_is_help=True)

SubjectArg = Annotated[
    str,
    typer.Argument(
        help="mã cơ quan (ví dụ so-tttt), chair (Trưởng Ban Chỉ đạo) hoặc vice-chair (Phó Trưởng ban Thường trực)"
    ),
]
Username = Annotated[str, typer.Argument(help="tên đăng nhập của tài khoản, ví dụ thuky")]


@users_app.command("add")
def add_user(
    ctx: typer.Context,
    username: Username,
    password_stdin: Annotated[bool, typer.Option("--password-stdin", help="đọc mật khẩu từ stdin")] = False,
    name: Annotated[str | None, typer.Option(help="tên hiển thị, ví dụ Tổ giúp việc")] = None,
) -> None:
    """Tạo tài khoản Tổ giúp việc, hoặc đặt mật khẩu mới và kết thúc mọi phiên của tài khoản đã có.

    Mật khẩu được hỏi khi chạy lệnh (hoặc đọc từ stdin với --password-stdin)."""
    from dondoc.engine.services.accounts import add_user as create
    from dondoc.engine.services.accounts import find_user

    password = _password(password_stdin)
    context = app_context(ctx)
    with context.transaction() as session:
        before = find_user(session, username)
        was_active = None if before is None else before.active  # read before add_user changes it
        user = create(session, username, password, now=context.clock.now(), display_name=name)
    if was_active is None:
        typer.echo(f"Tài khoản {user.username} đã sẵn sàng")
    else:  # it said "đã sẵn sàng" here too: an existing account's password changed untold
        reopened = "đã mở khóa, " if not was_active else ""
        typer.echo(f"Tài khoản {user.username} đã có: {reopened}đã đặt mật khẩu mới, mọi phiên đăng nhập đã kết thúc")


@users_app.command("passwd")
def passwd(
    ctx: typer.Context,
    username: Username,
    password_stdin: Annotated[bool, typer.Option("--password-stdin", help="đọc mật khẩu từ stdin")] = False,
) -> None:
    """Đặt mật khẩu mới cho một tài khoản; mọi phiên đăng nhập của tài khoản kết thúc ngay."""
    from dondoc.engine.services.accounts import set_password, user_by_name

    context = app_context(ctx)
    with context.transaction() as session:
        user_by_name(session, username)  # an unknown account is said before the password is asked, twice
    password = _password(password_stdin)
    with context.transaction() as session:
        user = set_password(session, username, password)
    typer.echo(f"Tài khoản {user.username}: đã đặt mật khẩu mới, mọi phiên đăng nhập đã kết thúc")


@users_app.command("deactivate")
def deactivate(ctx: typer.Context, username: Username) -> None:
    """Khóa một tài khoản, không cho đăng nhập; mọi phiên đăng nhập kết thúc ngay (mở lại bằng lệnh users add)."""
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
            refuse_if_succeeded(session, agency, context.clock.now(), context.clock)
    return links.agency_subject(who)


def _url(base: str, subject: str, token: str) -> str:
    prefix = "leaders" if subject.startswith("leader:") else "a"
    return f"{base.rstrip('/')}/{prefix}/{token}"


@links_app.command("issue")
def issue(
    ctx: typer.Context,
    who: SubjectArg,
    days: Annotated[
        int | None,
        typer.Option(
            parser=whole_number(1, LINK_DAYS_MAX),
            help=f"số ngày hiệu lực, từ 1 đến {LINK_DAYS_MAX} (mặc định: DONDOC_LINK_DAYS)",
        ),
    ] = None,
) -> None:
    """In đường liên kết cho một cơ quan hoặc Lãnh đạo, có hiệu lực theo lần cấp hiện tại."""
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
    """Thu hồi mọi đường liên kết của một cơ quan hoặc Lãnh đạo cho đến khi được cấp lại."""
    context = app_context(ctx)
    subject = _subject(ctx, who)
    with context.transaction() as session:
        links.revoke(session, subject, now=context.clock.now())
        named = _named(session, who, subject)
    typer.echo(f"Đã thu hồi mọi đường liên kết của {named}")


def _named(session: Session, who: str, subject: str) -> str:
    """Whom the links were for, in words: a leader's title, or an agency's name and code (not the
    link's subject, "agency:so-khcn")."""
    if subject.startswith("leader:"):
        return ACTOR_LABELS_VI.get(who, who)
    return f"{agency_by_code(session, who).name} [{who}]"


@links_app.command("reissue")
def reissue(ctx: typer.Context, who: SubjectArg) -> None:
    """Thu hồi mọi đường liên kết đã cấp và in đường liên kết mới."""
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
    name: Annotated[str, typer.Argument(help="tên mã truy cập, để biết mã dùng vào việc gì")],
    role: Annotated[
        str,
        typer.Option(
            help="secretariat (Tổ giúp việc), agency (cơ quan), chair (Trưởng Ban Chỉ đạo) hoặc "
            "vice-chair (Phó Trưởng ban Thường trực)"
        ),
    ] = "secretariat",
    agency: Annotated[str | None, typer.Option(help="mã cơ quan (khi --role agency)")] = None,
) -> None:
    """Tạo mã truy cập API và in ra một lần duy nhất (hệ thống chỉ lưu giá trị băm của mã)."""
    from dondoc.engine.services.accounts import create_token as create

    context = app_context(ctx)
    with context.transaction() as session:
        if agency:  # a body a succession ended gets no token, as it gets no link (links issue)
            refuse_if_succeeded(session, agency_by_code(session, agency), context.clock.now(), context.clock)
        row, clear = create(session, name, role, now=context.clock.now(), agency_code=agency)
        # whose token, in words: "Sở Nội vụ [so-noi-vu]", "Tổ giúp việc" (not "agency so-noi-vu")
        holder = _named(session, agency, links.agency_subject(agency)) if agency else ACTOR_LABELS_VI[row.role]
    typer.echo(f"Mã truy cập {row.id} ({holder}; chỉ hiện một lần): {clear}")


@tokens_app.command("revoke")
def revoke_token(ctx: typer.Context, token_id: RowId) -> None:
    """Thu hồi mã truy cập API theo số hiệu (id)."""
    from dondoc.engine.services.accounts import revoke_token as revoke_row

    context = app_context(ctx)
    with context.transaction() as session:
        revoke_row(session, token_id, now=context.clock.now())
    typer.echo(f"Đã thu hồi mã truy cập {token_id}")
