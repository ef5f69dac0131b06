"""The headers every response carries (an ASGI middleware): no inline script, no framing, no
Referer, nothing cached.

Written as a plain ASGI middleware rather than with ``@app.middleware("http")``: Starlette's
BaseHTTPMiddleware runs every request through an extra task and a response stream, a visible part
of a small page's cost; here the headers are only added to the response's start message.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# No inline script anywhere; the token in an agency's URL must not leak in a Referer.
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; "
    "script-src 'none'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}
# The import review page reads deadlines as they are typed: one same-origin script file, no inline.
REVIEW_CSP = SECURITY_HEADERS["Content-Security-Policy"].replace("script-src 'none'", "script-src 'self'")


def headers_for(path: str) -> dict[str, str]:
    """The security headers of a response to ``path`` (a header the response set itself is kept)."""
    found = dict(SECURITY_HEADERS)
    if path == "/api/docs":
        del found["Content-Security-Policy"]  # Swagger UI runs inline script
    elif path.startswith("/board/import/"):
        found["Content-Security-Policy"] = REVIEW_CSP
    return found


class SecurityHeaders:
    """Adds :func:`headers_for` to every HTTP response, unless the response set the header."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        wanted = headers_for(scope["path"])

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in wanted.items():
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, with_headers)
