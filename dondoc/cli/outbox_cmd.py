"""``dondoc outbox …``: the mails that could not be delivered, sent again or marked dealt with
(notifications.failed, which the queue "Thư gửi lỗi" of the web desk calls too)."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from sqlmodel import col, select

from dondoc.cli.context import app_context
from dondoc.cli.numbers import whole_number
from dondoc.cli.output import emit_json, table
from dondoc.engine.clock import local_date
from dondoc.engine.db import INT_MAX
from dondoc.engine.errors import InvalidInput
from dondoc.engine.mail_labels import mail_kind_label
from dondoc.engine.models import Notification, NotificationStatus
from dondoc.engine.vi_format import vn_date
from dondoc.notifications.failed import Outcome, dismiss, resend

app = typer.Typer(help="Hộp thư đi: thư gửi lỗi, gửi lại hoặc đánh dấu đã xử lý.", no_args_is_help=True)
JsonOption = Annotated[bool, typer.Option("--json", help="xuất kết quả dạng JSON (cho chương trình khác đọc)")]
# bounded as every id (output.RowId): past the database's INTEGER a number was a traceback
Ids = Annotated[
    list[int], typer.Argument(parser=whole_number(1, INT_MAX), help="số thư (cột Số của lệnh `dondoc outbox failed`)")
]


@app.command("failed")
def failed(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Liệt kê thư gửi lỗi, cũ nhất lên trước."""
    context = app_context(ctx, writes=False)
    with context.transaction() as session:
        rows = session.exec(
            select(Notification)
            .where(Notification.status == NotificationStatus.FAILED.value)
            .order_by(col(Notification.created_at), col(Notification.id))
        ).all()
        found: list[dict[str, Any]] = [
            {
                "id": n.id,
                "kind": n.kind,
                "recipient": n.recipient_email,
                "recipient_name": n.recipient_name,
                "created": vn_date(local_date(n.created_at)),
                "subject": n.subject,
                "error": n.last_error or "",
            }
            for n in rows
        ]
    if as_json:
        emit_json(found)
        return
    typer.echo(f"{len(found)} thư gửi lỗi")
    table(
        ["Số", "Loại thư", "Gửi đến", "Ngày lập", "Lỗi"],
        [
            [r["id"], mail_kind_label(r["kind"]), r["recipient"] or _unaddressed(r), r["created"], r["error"][:80]]
            for r in found
        ],
    )


def _unaddressed(row: dict[str, Any]) -> str:
    """Whom a mail written with no address was for (a body with none in the catalog)."""
    return f"{row['recipient_name'] or ''} (chưa có địa chỉ thư)".strip()


@app.command("resend")
def resend_mails(ctx: typer.Context, ids: Ids, as_json: JsonOption = False) -> None:
    """Đưa thư gửi lỗi trở lại hộp thư đi; lượt gửi kế tiếp gửi tới người nhận thư theo danh mục ngày gửi lại.

    Địa chỉ đã sửa trong danh mục thì thư đi tới địa chỉ mới, không tới địa chỉ đã lỗi; cơ quan đã không còn
    thì thư tới Tổ giúp việc; không còn tìm được người nhận thì thư bị từ chối, vẫn nằm trong danh sách thư
    gửi lỗi. Hộp thư nhận đã có (hoặc sắp có) thư cùng đợt về cùng việc thì thư không gửi hai lần mà được
    đánh dấu đã xử lý, ghi số thư đã tới hộp thư ấy. Quá ngày lập thì thư được lập lại với số liệu của ngày
    gửi; việc thư hỏi đã được trả lời thì thư không gửi."""
    context = app_context(ctx)
    with context.transaction() as session:
        outcome = resend(session, ids, context.clock.now(), settings=context.settings)
    _said(outcome, "đã đưa lại vào hộp thư đi", as_json)


@app.command("dismiss")
def dismiss_mails(
    ctx: typer.Context,
    ids: Ids,
    reason: Annotated[str, typer.Option("--reason", help="đã xử lý thế nào (ví dụ: đã báo qua điện thoại)")],
    as_json: JsonOption = False,
) -> None:
    """Đánh dấu thư gửi lỗi là đã xử lý (không gửi nữa), ghi lại lý do."""
    context = app_context(ctx)
    with context.transaction() as session:
        outcome = dismiss(session, ids, context.clock.now(), by="dòng lệnh", reason=reason)
    _said(outcome, "đã đánh dấu đã xử lý", as_json)


def _said(outcome: Outcome, done_words: str, as_json: bool) -> None:
    if not outcome.done and not outcome.answered:  # nothing done: an error, in one line
        raise InvalidInput("; ".join(why for _, why in outcome.refused))
    if as_json:
        refused = [{"id": i, "why": why} for i, why in outcome.refused]
        answered = [{"id": i, "why": why} for i, why in outcome.answered]
        moved = [{"id": i, "from": old, "to": new} for i, (old, new) in outcome.readdressed.items()]
        emit_json({"done": outcome.done, "answered": answered, "refused": refused, "readdressed": moved})
        return
    heard = f"{len(outcome.answered)} thư không gửi lại vì người nhận đã có thư cùng đợt (đánh dấu đã xử lý); "
    heard = heard if outcome.answered else ""
    typer.echo(f"{len(outcome.done)} thư {done_words}; {heard}{len(outcome.refused)} thư bị từ chối")
    for mail_id, (old, new) in outcome.readdressed.items():
        typer.echo(f"  - thư số {mail_id} gửi tới {new}, địa chỉ hiện nay của người nhận (không gửi lại tới {old})")
    for _, why in [*outcome.answered, *outcome.refused]:
        typer.echo(f"  - {why}")
