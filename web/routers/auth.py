"""Secretariat login and logout (session cookie; the session is renewed at login)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from starlette.responses import RedirectResponse, Response

from dondoc.engine.services.accounts import authenticate, end_sessions
from dondoc.engine.services.login_throttle import LoginLocked
from dondoc.web.context import WebContext, ctx
from dondoc.web.csrf import check_csrf
from dondoc.web.filters import reads
from dondoc.web.inputs import Short
from dondoc.web.templating import render

router = APIRouter(tags=["pages: secretariat"])


def _safe_next(target: str | None) -> str:
    """Only a local path: never send someone to another site after login."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/board"


@router.get("/", include_in_schema=False)
def home() -> Response:
    return RedirectResponse("/board", status_code=303)


@router.get("/login", include_in_schema=False, dependencies=[reads("next")])
def login_form(request: Request, next: str | None = None) -> Response:
    return render(request, "login.html", next=_safe_next(next), failed=False, locked="")


@router.post("/login", include_in_schema=False)
def login(
    request: Request,
    context: Annotated[WebContext, Depends(ctx)],
    username: Annotated[Short, Form()] = "",
    password: Annotated[Short, Form()] = "",
    csrf: Annotated[Short, Form()] = "",
    next: Annotated[Short, Form()] = "/board",
) -> Response:
    """Throttled per account and per client address (engine.services.login_throttle): 429 when locked."""
    check_csrf(request, csrf)
    address = request.client.host if request.client else "unknown"
    try:
        with context.db() as session:
            user = authenticate(session, username, password, now=context.login_now(), address=address)
            name = (user.display_name or user.username) if user else None
            generation = user.session_generation if user else None
    except LoginLocked as exc:
        return render(request, "login.html", 429, next=_safe_next(next), failed=True, locked=str(exc))
    if user is None:
        return render(request, "login.html", 401, next=_safe_next(next), failed=True, locked="")
    request.session.clear()  # a fresh session (and CSRF token) after login
    request.session.update(user=user.username, name=name, gen=generation)
    return RedirectResponse(_safe_next(next), status_code=303)


@router.post("/logout", include_in_schema=False)
def logout(
    request: Request, context: Annotated[WebContext, Depends(ctx)], csrf: Annotated[Short, Form()] = ""
) -> Response:
    """Ends every session of the account (its session generation moves on), not only this cookie."""
    check_csrf(request, csrf)
    username = request.session.get("user")
    if username:
        with context.db() as session:
            end_sessions(session, str(username))
    request.session.clear()
    return RedirectResponse("/login", status_code=303)
