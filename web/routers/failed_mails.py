"""The failed mails' two answers on their queue ("Thư gửi lỗi"): send the ticked mails again, or
mark them dealt with and why (notifications.failed, which ``dondoc outbox`` calls too); a page says
what was done and what was refused, and why."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from sqlmodel import col, select
from starlette.responses import Response

from dondoc.engine.errors import InvalidInput
from dondoc.engine.mail_labels import mail_kind_label
from dondoc.engine.models import Notification
from dondoc.notifications.failed import dismiss, resend
from dondoc.web.context import WebContext, ctx
from dondoc.web.csrf import check_csrf
from dondoc.web.inputs import Short, Text, back_to, row_number
from dondoc.web.principal import Principal, secretariat_principal
from dondoc.web.templating import render

router = APIRouter(prefix="/board", tags=["pages: secretariat"], include_in_schema=False)
Context = Annotated[WebContext, Depends(ctx)]
Secretariat = Annotated[Principal, Depends(secretariat_principal)]
ANSWERS = {"resend": "Gửi lại thư", "dismiss": "Đánh dấu thư đã xử lý"}
QUEUE = "/board/thu-loi"


@router.post("/thu-loi")
def answer(
    request: Request,
    context: Context,
    principal: Secretariat,
    csrf: Annotated[Short, Form()] = "",
    action: Annotated[Short, Form()] = "",
    reason: Annotated[Text, Form()] = "",
    back: Annotated[Text, Form()] = "",  # the page with its filter: a search of 50 letters passed 200
    id: Annotated[list[Short] | None, Form()] = None,  # noqa: A002 - the checkboxes' name
) -> Response:
    check_csrf(request, csrf)
    if action not in ANSWERS:
        raise InvalidInput(f'Không có thao tác "{action}" với thư gửi lỗi: chọn Gửi lại hoặc Đánh dấu đã xử lý.')
    ids = []
    for value in id or []:
        number = row_number(value)
        if number is None:
            raise InvalidInput(f'"{value}" không phải số thư.')
        ids.append(number)
    now = context.clock.now()
    with context.db() as session:
        if action == "resend":
            outcome = resend(session, ids, now, settings=context.settings)
        else:
            outcome = dismiss(session, ids, now, by=principal.username or principal.name, reason=reason)
        # each mail as the queue showed it (its page shows no number): its kind, to whom, its subject
        found = session.exec(
            select(Notification.id, Notification.kind, Notification.recipient_email, Notification.subject).where(
                col(Notification.id).in_(ids)
            )
        ).all()
    described = {i: f"{mail_kind_label(kind)} gửi {email}: «{subject}»" for i, kind, email, subject in found}
    return render(
        request,
        "failed_mails_result.html",
        principal=principal,
        action_label=ANSWERS[action],
        done=outcome.done,
        refused=outcome.refused,
        answered=outcome.answered,
        readdressed=outcome.readdressed,
        described=described,
        back=back_to(back, QUEUE),
    )
