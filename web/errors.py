"""One place maps domain errors to HTTP: JSON for /api, a Vietnamese page for the rest."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from starlette.responses import JSONResponse, RedirectResponse, Response

from dondoc.engine.errors import (
    ConditionNotMet,
    Conflict,
    DomainError,
    InvalidInput,
    NotFound,
    PermissionDenied,
    TransitionNotAllowed,
)
from dondoc.engine.links import LinkInvalid
from dondoc.engine.services.successions import AgencySucceeded
from dondoc.web.csrf import CsrfRejected
from dondoc.web.principal import LoginRequired, Unauthorized
from dondoc.web.templating import render

# (status, Vietnamese title) by class; the first match in this order wins.
STATUS: list[tuple[type[DomainError], int, str]] = [
    (NotFound, 404, "Không tìm thấy"),
    (AgencySucceeded, 410, "Cơ quan đã được tổ chức lại"),
    (LinkInvalid, 403, "Đường liên kết không hợp lệ"),
    (CsrfRejected, 403, "Biểu mẫu không hợp lệ"),
    (PermissionDenied, 403, "Không có quyền thực hiện"),
    (Unauthorized, 401, "Chưa xác thực"),
    (TransitionNotAllowed, 409, "Thao tác không phù hợp với trạng thái hiện tại"),
    (ConditionNotMet, 409, "Thao tác chưa thực hiện được lúc này"),
    (Conflict, 409, "Dữ liệu đã được người khác thay đổi"),
    (InvalidInput, 422, "Dữ liệu không hợp lệ"),
]

_LINK_REASONS_VI = {
    "signature": "Đường liên kết bị sai hoặc bị sửa đổi. Vui lòng dùng đúng đường liên kết trong thư điện tử.",
    "expired": "Đường liên kết đã hết hạn. Vui lòng liên hệ Tổ giúp việc để được cấp đường liên kết mới.",
    "revoked": "Đường liên kết đã bị thu hồi. Vui lòng liên hệ Tổ giúp việc để được cấp đường liên kết mới.",
}


def classify(exc: DomainError) -> tuple[int, str]:
    for cls, status, title in STATUS:
        if isinstance(exc, cls):
            return status, title
    return 400, "Yêu cầu không hợp lệ"


def explain_vi(exc: DomainError) -> str:
    """A Vietnamese sentence for the person; the engine's own message follows as the detail."""
    if isinstance(exc, LinkInvalid):
        for key, sentence in _LINK_REASONS_VI.items():
            if key in exc.reason:
                return sentence
    if isinstance(exc, AgencySucceeded):
        return str(exc)
    if isinstance(exc, Conflict):
        return "Nhiệm vụ vừa được cập nhật bởi người khác. Vui lòng tải lại trang và thực hiện lại."
    if isinstance(exc, CsrfRejected):
        return "Biểu mẫu thiếu mã bảo mật. Vui lòng tải lại trang rồi gửi lại."
    return ""


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


async def domain_error_handler(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, DomainError)
    if isinstance(exc, LoginRequired) and not _is_api(request):
        return RedirectResponse(f"/login?next={request.url.path}", status_code=303)
    status, title = classify(exc)
    if _is_api(request):
        headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
        return JSONResponse({"error": exc.code, "message": str(exc)}, status_code=status, headers=headers)
    return render(request, "error.html", status, title=title, sentence=explain_vi(exc), detail=str(exc))


async def validation_error_handler(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    if _is_api(request):
        body = {"error": "invalid_input", "message": "invalid request", "detail": jsonable_encoder(exc.errors())}
        return JSONResponse(body, 422)
    fields = ", ".join(str(e.get("loc", ["?"])[-1]) for e in exc.errors())
    return render(
        request,
        "error.html",
        422,
        title="Dữ liệu không hợp lệ",
        sentence=f"Vui lòng kiểm tra lại: {fields}.",
        detail="",
    )


def install(app: FastAPI) -> None:
    """Register the handlers on ``app``."""
    app.add_exception_handler(DomainError, domain_error_handler)
    app.add_exception_handler(RequestValidationError, validation_error_handler)
