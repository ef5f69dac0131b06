"""The form on an item page that names the bodies
behind a phrase that names nobody (engine.services.naming does the work); the queue "Cần phân
công" is one of engine.services.queues.QUEUES, listed by web.routers.queues."""

from __future__ import annotations

from itertools import zip_longest
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from sqlmodel import col, select
from starlette.responses import RedirectResponse, Response

from dondoc.engine.errors import InvalidInput
from dondoc.engine.models import Agency
from dondoc.engine.services.naming import name_agencies
from dondoc.web.context import WebContext, ctx
from dondoc.web.csrf import check_csrf
from dondoc.web.inputs import Id, Short
from dondoc.web.principal import Principal, secretariat_principal

router = APIRouter(prefix="/board", tags=["pages: secretariat"], include_in_schema=False)
Context = Annotated[WebContext, Depends(ctx)]
Secretariat = Annotated[Principal, Depends(secretariat_principal)]


@router.post("/items/{item_id}/name")
def name(
    request: Request,
    item_id: Id,
    context: Context,
    principal: Secretariat,
    csrf: Annotated[Short, Form()] = "",
    agency: Annotated[list[Short] | None, Form()] = None,
    role: Annotated[list[Short] | None, Form()] = None,
) -> Response:
    """One (agency, role) pair per filled row of the form; empty rows are ignored."""
    check_csrf(request, csrf)
    rows = list(zip_longest(agency or [], role or [], fillvalue=""))
    pairs = [(code, r) for code, r in rows if code.strip()]
    missing = [code for code, r in pairs if not r.strip()]
    with context.db() as session:
        if missing:  # else the engine heard no row at all, and said "no body chosen"; named as the form shows them
            names = dict(session.exec(select(Agency.code, Agency.name).where(col(Agency.code).in_(missing))).all())
            raise InvalidInput(f"Chưa chọn vai trò cho {', '.join(names.get(code, code) for code in missing)}.")
        name_agencies(
            session,
            item_id,
            pairs,
            actor=principal.actor,
            username=principal.username,
            now=context.clock.now(),
            calendar=context.calendar,
            local=context.clock,
        )
    return RedirectResponse(f"/board/items/{item_id}?done=name", status_code=303)
