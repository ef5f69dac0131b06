"""The request's outer limits, checked before any router runs (an ASGI middleware).

- The body: at most ``max_body_bytes``, counted while it is read. A declared Content-Length over
  the limit is refused before a byte is read; a body without one (chunked) is cut off as soon as
  the count passes the limit. Either way the answer is 413 in the error shape, and the rest of
  the body is never read. An upload's own 10 MB limit (web/uploads.py) still applies per file.
- The URL: at most MAX_URL_BYTES, and no control character (NUL…) nor invalid UTF-8 in the path
  or the query string, once percent-decoded: 422, before a value can reach the database.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote_to_bytes

from fastapi import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from dondoc.engine.text_limits import control_problem

MAX_URL_BYTES = 4096
MAX_SELECTION = 500  # the rows one bulk action takes (web/routers/bulk.py)
MAX_FORM_FIELDS = 1000  # Starlette's own bound on a form's fields (Request.form's max_fields)


class BodyTooLarge(HTTPException):
    """Raised from ``receive`` when the count passes the limit (FastAPI lets an HTTPException through)."""

    def __init__(self, limit: int) -> None:
        mb = limit / (1024 * 1024)
        size = f"{mb:.0f} MB" if mb >= 1 else f"{max(1, limit // 1024)} KB"
        super().__init__(413, f"Nội dung gửi lên quá lớn: tối đa {size} mỗi yêu cầu.")


def url_problem(scope: Scope) -> str | None:
    """Why the request's path or query cannot be taken, in Vietnamese, or None."""
    raw_path: bytes = scope.get("raw_path") or scope["path"].encode("utf-8", "surrogatepass")
    query: bytes = scope.get("query_string", b"")
    if len(raw_path) + len(query) > MAX_URL_BYTES:
        return f"Địa chỉ quá dài: tối đa {MAX_URL_BYTES} byte."
    for part, where in ((raw_path, "đường dẫn"), (query.replace(b"+", b" "), "tham số truy vấn")):
        try:
            text = unquote_to_bytes(part).decode("utf-8")
        except UnicodeDecodeError:
            return f"Dữ liệu không hợp lệ trong {where}: không phải UTF-8."
        problem = control_problem(text)
        if problem:
            return f"Dữ liệu không hợp lệ trong {where}: {problem}."
    return None


class RequestLimits:
    """Refuses what is too large or cannot be stored before the app reads it."""

    def __init__(self, app: ASGIApp, *, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        problem = url_problem(scope)
        if problem:
            await _refuse(scope, receive, send, 422, "invalid_input", problem)
            return
        limit = self.max_body_bytes
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await _refuse(scope, receive, send, 413, "too_large", BodyTooLarge(limit).detail)
            return
        received = 0
        started = False

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        async def tracked(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, tracked)
        except BodyTooLarge as exc:  # read outside FastAPI's body parsing, so no handler answered
            if started:
                raise
            await _refuse(scope, receive, send, 413, "too_large", str(exc.detail))


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def _refuse(scope: Scope, receive: Receive, send: Send, status: int, code: str, message: Any) -> None:
    from dondoc.web.errors import error_response  # the one place that shapes errors

    response = error_response(scope, status, code, str(message))
    await response(scope, receive, send)
