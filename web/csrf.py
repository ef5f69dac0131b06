"""CSRF protection: a random token kept in the signed session cookie, echoed by every form."""

from __future__ import annotations

import hmac
import secrets

from fastapi import Request

from dondoc.engine.errors import DomainError


class CsrfRejected(DomainError):
    """A form came without the page's CSRF token (or with someone else's)."""

    code = "csrf_rejected"

    def __init__(self) -> None:
        super().__init__("Biểu mẫu thiếu mã bảo mật hoặc mã đã cũ. Vui lòng tải lại trang rồi gửi lại.")


def csrf_token(request: Request) -> str:
    """This browser session's token, created on first use."""
    token = request.session.get("csrf")
    if not token:
        token = request.session["csrf"] = secrets.token_urlsafe(32)
    return str(token)


def check_csrf(request: Request, submitted: str | None) -> None:
    """Refuse a POST whose form token does not match the session's."""
    expected = request.session.get("csrf")
    if not expected or not submitted or not hmac.compare_digest(str(expected), submitted):
        raise CsrfRejected()
