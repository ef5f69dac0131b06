"""The Jinja2 environment (autoescape always on), Vietnamese formatting, and ``render``."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import jinja2
from fastapi import Request
from fastapi.templating import Jinja2Templates
from starlette.responses import HTMLResponse

from engine.clock import LOCAL_TZ
from engine.models.assignments import ROLE_LABELS_VI, STATE_LABELS_VI
from engine.status import CATEGORY_LABELS_VI, Category
from engine.workflow import ACTION_LABELS_VI
from web.csrf import csrf_token

_env = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=True,  # every variable is escaped, in .html and .svg alike
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
templates = Jinja2Templates(env=_env)


def vn_date(value: datetime | date | None) -> str:
    """``30/06/2022``; an instant is read in local time; ``—`` for none."""
    if value is None:
        return "—"
    if isinstance(value, datetime):
        value = value.astimezone(LOCAL_TZ).date()
    return value.strftime("%d/%m/%Y")


def vn_datetime(value: datetime | None) -> str:
    return value.astimezone(LOCAL_TZ).strftime("%d/%m/%Y %H:%M") if value else "—"


def percent(value: float | None) -> str:
    """``87,5 %`` the Vietnamese way (decimal comma); ``—`` when there is no rate."""
    return "—" if value is None else f"{value * 100:.1f}".replace(".", ",") + " %"


def file_size(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB".replace(".", ",") if size >= 1024 * 1024 else f"{max(1, size // 1024)} KB"


_env.filters.update(d=vn_date, dt=vn_datetime, pct=percent, size=file_size)
_env.globals.update(
    CATEGORIES=list(Category),
    CATEGORY_LABELS=CATEGORY_LABELS_VI,
    ROLE_LABELS=ROLE_LABELS_VI,
    STATE_LABELS=STATE_LABELS_VI,
    ACTION_LABELS=ACTION_LABELS_VI,
)


def render(request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """Render a page; every page gets the CSRF token for its forms."""
    context.setdefault("principal", None)
    context.setdefault("max_mb", request.app.state.ctx.max_upload_bytes // (1024 * 1024))
    return templates.TemplateResponse(
        request, name, {"csrf": csrf_token(request), **context}, status_code=status_code
    )
