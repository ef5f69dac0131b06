"""The web application: pages for the secretariat, agencies and leaders, and the JSON API."""

from __future__ import annotations

import gc
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from sqlalchemy.engine import Engine
from starlette.middleware.sessions import SessionMiddleware

from dondoc.engine.clock import Clock
from dondoc.engine.settings import Settings
from dondoc.web import errors
from dondoc.web.context import MAX_UPLOAD_BYTES, WebContext, attachments_dir
from dondoc.web.limits import RequestLimits
from dondoc.web.routers import (
    agency,
    api,
    auth,
    board,
    bulk,
    catalog,
    extensions,
    failed_mails,
    importing,
    indicators,
    leaders,
    naming,
    queues,
    reassignment,
    reports,
    secretariat,
    successions,
)
from dondoc.web.security_headers import SecurityHeaders


def settle_heap() -> None:
    """Once, when the app is built and before it serves: the objects the process made to start
    (modules, the app and its routes, mapped tables, SQLAlchemy's caches so far: ~200,000) are
    moved out of the cyclic collector's way (``gc.freeze``, after a collection, so no garbage is
    frozen). Otherwise every full collection walks them all, and a page that makes many objects
    (a queue of hundreds of rows) triggers one every few requests: ~100 ms CPU added to that
    request (bench/README.md, the desk). Reference counting still frees them; only cycles among
    them are kept, and they live as long as the process anyway.

    Then the youngest generation is collected every 50,000 new objects instead of every 700: a
    list page holds a few thousand live objects while it is built (rows, views, strings), and at
    700 the collector walked them five times a page for nothing (they are freed by reference
    counting when the page is sent): ~0.5 ms of a 100-row page, and its slowest requests. Cycles
    still go, a little later (at most ~50,000 objects: a few MB)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 20, 20)


def create_app(
    *,
    settings: Settings,
    engine: Engine,
    clock: Clock,
    login_clock: Clock | None = None,
    attachments: Path | None = None,
    max_upload_bytes: int = MAX_UPLOAD_BYTES,
    max_body_bytes: int | None = None,
) -> FastAPI:
    """Build the app over an engine and a clock (tests pass a FrozenClock); ``login_clock``: the real
    clock login throttling counts in, when ``clock`` may stand still (default: ``clock``).

    Refuses to start with the default secret outside demo mode (settings.signing_key()). A request
    body is cut off past ``max_body_bytes`` (default ``DONDOC_MAX_BODY_MB``) while it is read.
    """
    secret = settings.signing_key()
    app = FastAPI(
        title="dondoc",
        version="1",
        summary="Theo dõi, đôn đốc nhiệm vụ của Ban Chỉ đạo",
        docs_url="/api/docs",
        redoc_url=None,
        openapi_url="/api/v1/openapi.json",
    )
    app.state.ctx = WebContext(
        settings=settings,
        engine=engine,
        clock=clock,
        login_clock=login_clock,
        secret=secret,
        attachments=attachments or attachments_dir(settings),
        max_upload_bytes=max_upload_bytes,
    )
    # Inside the session middleware (its error page carries the session's CSRF token), outside the routes.
    app.add_middleware(RequestLimits, max_body_bytes=max_body_bytes or settings.max_body_mb * 1024 * 1024)
    app.add_middleware(
        SessionMiddleware,
        secret_key=secret,
        session_cookie="dondoc_session",
        max_age=8 * 3600,
        same_site="lax",
        https_only=settings.links_base().startswith("https://"),
    )

    app.add_middleware(SecurityHeaders)  # outside the session middleware, as every response's last word

    errors.install(app)
    for module in (
        auth,
        board,
        bulk,
        queues,
        failed_mails,
        reports,
        catalog,
        importing,
        naming,
        extensions,
        reassignment,
        successions,
        secretariat,
        agency,
        indicators,
        leaders,
        api,
    ):
        # Each router's routes join the app's own list (every route of an APIRouter carries its full
        # path, dependencies and responses): included with include_router, FastAPI 0.150 keeps each
        # router nested and matches a request against the routers in turn, again inside the one that
        # holds it; dondoc's 404 walked them all for 601 µs of CPU, 213 µs as one list
        # (bench/README.md, "Sixteenth pass").
        app.router.routes.extend(module.router.routes)
    app.mount("/static", StaticFiles(directory=Path(__file__).parent / "static"), name="static")
    return app
