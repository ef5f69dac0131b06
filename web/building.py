"""While the demo database is being built: one page on every path, then the real app.

``serve --demo`` starts listening at once. Until its replay has finished, every request gets
"Đang dựng dữ liệu minh họa … %" (HTTP 503 with ``Retry-After``, the page reloads itself every
two seconds); once the app is handed over (:meth:`Handover.ready`), every request goes to it.
"""

from __future__ import annotations

import threading
from collections.abc import Awaitable, Callable, MutableMapping
from html import escape
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

REFRESH_SECONDS = 2

PAGE = """<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta http-equiv="refresh" content="{refresh}">
<title>Đang dựng dữ liệu minh họa … {percent} %</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 36rem; margin: 4rem auto; color: #222; }}
.bar {{ background: #eee; border-radius: 4px; height: 1.2rem; overflow: hidden; }}
.bar span {{ display: block; height: 100%; background: #2a6ebb; width: {percent}%; }}
</style>
</head>
<body>
<h1>Đang dựng dữ liệu minh họa … {percent} %</h1>
<div class="bar" role="progressbar" aria-valuemin="0" aria-valuemax="100" aria-valuenow="{percent}"><span></span></div>
<p>{detail}</p>
<p>Trang tự tải lại sau {refresh} giây; bảng theo dõi hiện ra ngay khi dữ liệu dựng xong.</p>
</body>
</html>
"""

FAILED = """<!doctype html>
<html lang="vi">
<head><meta charset="utf-8"><title>Không dựng được dữ liệu minh họa</title></head>
<body><h1>Không dựng được dữ liệu minh họa</h1><p>{error}</p><p>Xem nhật ký của lệnh
<code>dondoc serve --demo</code>.</p></body>
</html>
"""


class Handover:
    """An ASGI app: the building page until :meth:`ready` hands over the real app."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._app: ASGIApp | None = None
        self._done, self._total = 0, 0
        self._error: str | None = None

    def progress(self, done: int, total: int) -> None:
        """The replay's progress: ``done`` of ``total`` days (callable from any thread)."""
        with self._lock:
            self._done, self._total = done, total

    def ready(self, app: ASGIApp) -> None:
        with self._lock:
            self._app = app

    def failed(self, error: str) -> None:
        with self._lock:
            self._error = error

    @property
    def percent(self) -> int:
        with self._lock:
            return int(100 * self._done / self._total) if self._total else 0

    def page(self) -> tuple[int, str]:
        """The status and HTML served while building."""
        with self._lock:
            error, done, total = self._error, self._done, self._total
        if error is not None:
            return 500, FAILED.format(error=escape(error))
        detail = f"Đã diễn lại {done}/{total} ngày của năm kế hoạch." if total else "Đang nạp danh mục kế hoạch."
        return 503, PAGE.format(refresh=REFRESH_SECONDS, percent=self.percent, detail=detail)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        with self._lock:
            app = self._app
        if app is not None:
            await app(scope, receive, send)
            return
        if scope["type"] == "lifespan":  # nothing to start or stop before the hand-over
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        if scope["type"] != "http":
            return
        status, html = self.page()
        body = html.encode()
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [
                    (b"content-type", b"text/html; charset=utf-8"),
                    (b"content-length", str(len(body)).encode()),
                    (b"retry-after", str(REFRESH_SECONDS).encode()),
                    (b"cache-control", b"no-store"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
