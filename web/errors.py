"""One place maps every error to HTTP: JSON ``{"error", "message"}`` for /api, a Vietnamese page
for the rest. Domain errors, request validation, HTTP errors (unknown path, wrong method, a body
that cannot be parsed or is too large) and the edge's own refusals (web/limits.py) all go through
:func:`error_response`, so no error reaches a client in another shape."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.types import Scope

from dondoc.engine.errors import (
    Backdated,
    ConditionNotMet,
    Conflict,
    DomainError,
    InvalidInput,
    NotFound,
    PermissionDenied,
    TransitionNotAllowed,
)
from dondoc.engine.links import LinkInvalid
from dondoc.engine.pydantic_vi import reason_vi
from dondoc.engine.services.successions import AgencySucceeded
from dondoc.engine.text_limits import control_problem
from dondoc.web.csrf import CsrfRejected
from dondoc.web.inputs import IF_MATCH_PATTERN, QUERY_PATTERN, TEXT_PATTERN
from dondoc.web.limits import MAX_FORM_FIELDS, MAX_SELECTION
from dondoc.web.principal import LoginRequired, Unauthorized
from dondoc.web.templating import render


class ErrorBody(BaseModel):
    """Every API error: a stable code for programs, a Vietnamese sentence for people."""

    error: str = Field(examples=["not_found"], description="a stable code")
    message: str = Field(examples=["Không tìm thấy: assignment 7 not found"], description="in Vietnamese")
    detail: Any | None = Field(default=None, description="the engine's own text, or the fields refused")


_ERROR = {"model": ErrorBody}
# What every /api/v1 route may answer besides 200 (declared in the OpenAPI document).
API_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {**_ERROR, "description": "the body cannot be read (not JSON, not UTF-8)"},
    401: {**_ERROR, "description": "no or unknown API token"},
    403: {**_ERROR, "description": "not yours, or read-only for this role"},
    404: {**_ERROR, "description": "no such row"},
    413: {**_ERROR, "description": "the body is over the limit"},
    422: {**_ERROR, "description": "invalid input (the fields refused in detail)"},
}
CONFLICT: dict[int | str, dict[str, Any]] = {
    409: {**_ERROR, "description": "wrong state, a condition not met, or a stale version; nothing written"}
}

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
    (Conflict, 409, "Phần việc đã thay đổi"),  # by whom, the message says (one's own step, or another's)
    (InvalidInput, 422, "Dữ liệu không hợp lệ"),
]
# Errors whose own message is already a Vietnamese sentence for the person.
_VIETNAMESE = (ConditionNotMet, Backdated, LinkInvalid, CsrfRejected, AgencySucceeded)

HTTP_TITLES = {
    400: ("bad_request", "Yêu cầu không hợp lệ: không đọc được nội dung gửi lên (JSON sai hoặc không phải UTF-8)."),
    401: ("unauthorized", "Chưa xác thực."),
    403: ("forbidden", "Không có quyền truy cập."),
    404: ("not_found", "Không tìm thấy địa chỉ này."),
    405: ("method_not_allowed", "Phương thức này không dùng được với địa chỉ này."),
    413: ("too_large", "Nội dung gửi lên quá lớn."),
}


def classify(exc: DomainError) -> tuple[int, str]:
    if isinstance(exc, Conflict) and exc.never_had:  # nobody else changed it (Conflict says why)
        return 409, "Phiên bản không khớp với dữ liệu hiện tại"
    for cls, status, title in STATUS:
        if isinstance(exc, cls):
            return status, title
    return 400, "Yêu cầu không hợp lệ"


def titled(title: str, said: str) -> str:
    """An error's words after its title, the title said once: "Không tìm thấy: phần việc 7" had read
    "Không tìm thấy: Không tìm thấy phần việc 7" where the engine's message begins with it."""
    return said if said.startswith(title) else f"{title}: {said}"


def explain_vi(exc: DomainError, *, page: bool = True) -> str:
    """A Vietnamese sentence for the person; the engine's own message follows as the detail.

    A stale version names the part's latest change (engine.errors.Conflict), on a page as the page
    was opened, to a program (``page`` False: the API) as the version it read."""
    if isinstance(exc, Conflict) and exc.never_had:
        return "Phiên bản gửi lên không khớp với phần việc này. Vui lòng tải lại trang và thực hiện lại."
    if isinstance(exc, Conflict):
        return exc.page_words() if page else str(exc)
    if isinstance(exc, _VIETNAMESE):
        return str(exc)
    return ""


def refusal_line(exc: DomainError) -> str:
    """Why a row was refused, in one line (a bulk summary): the title and the engine's words, or, of a
    stale version, the sentence naming the change, which says the title already; the part, which the
    row names, said "phần việc này"."""
    said = exc.page_words() if isinstance(exc, Conflict) and not exc.never_had else titled(classify(exc)[1], str(exc))
    named = exc.part_said
    if named:  # the row names the part already: "Phần việc này", not its body and item a second time
        said = said.replace(named, f"{'P' if named[:1].isupper() else 'p'}hần việc này", 1)
    return said


# The link an error page of a single step gives where the part changed meanwhile (409).
PART_PAGE_AGAIN = "Mở lại trang phần việc để xem tình trạng hiện tại"


def reopen_at(request: Request, href: str, words: str = PART_PAGE_AGAIN) -> None:
    """Where a single step's form leads back to, as it is now (the part's page, or the queue the step was
    taken from), should the step be refused because the part changed meanwhile (409): its error page
    links there. It had said to press the browser's "Quay lại", which shows the page as it was opened,
    the stale one its sentence says to leave. Set by the step's route before the step is tried."""
    request.state.reopen = (href, words)


def _reopen(request: Request, status: int) -> tuple[str, str] | None:
    """The link :func:`reopen_at` set, for a refusal because the part changed (409) only: a refusal
    of what was typed keeps the browser's "Quay lại", which keeps the typing."""
    return getattr(request.state, "reopen", None) if status == 409 else None


def _is_api(scope: Scope) -> bool:
    return str(scope.get("path", "")).startswith("/api/")


def error_response(
    scope: Scope,
    status: int,
    code: str,
    message: str,
    *,
    title: str | None = None,
    detail: Any = None,
    headers: dict[str, str] | None = None,
) -> Response:
    """The one error answer: JSON ``{"error", "message"[, "detail"]}`` on /api, the error page elsewhere."""
    if _is_api(scope):
        if status == 401:
            headers = {**(headers or {}), "WWW-Authenticate": "Bearer"}
        body: dict[str, Any] = {"error": code, "message": message}
        if detail is not None:
            body["detail"] = jsonable_encoder(detail)
        return JSONResponse(body, status_code=status, headers=headers)
    request = Request(scope)
    text_detail = detail if isinstance(detail, str) else ""
    # with no title of its own the message is the page's heading, said once (it was said twice)
    sentence = message if title else ""
    response = render(request, "error.html", status, title=title or message, sentence=sentence, detail=text_detail)
    response.headers.update(headers or {})
    return response


async def domain_error_handler(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, DomainError)
    if isinstance(exc, LoginRequired) and not _is_api(request.scope):
        # the path (as decoded) quoted whole: one holding "&" had been cut there, its rest a query name
        return RedirectResponse(f"/login?next={quote(request.scope['path'], safe='/')}", status_code=303)
    status, title = classify(exc)
    if _is_api(request.scope):
        message = explain_vi(exc, page=False) or titled(title, str(exc))
        return error_response(request.scope, status, exc.code, message, detail=str(exc))
    sentence = explain_vi(exc)
    # a sentence already said is not said twice; nor a stale version's, in other words (its versions)
    detail = "" if str(exc) == sentence or (isinstance(exc, Conflict) and not exc.never_had) else str(exc)
    reopen = _reopen(request, status)
    return render(request, "error.html", status, title=title, sentence=sentence, detail=detail, reopen=reopen)


def _where(error: dict[str, Any]) -> str:
    loc = [str(part) for part in error.get("loc", ())]
    return ".".join(loc) or "?"


def _pattern_vi(pattern: str, given: Any) -> str:
    """Why a value did not match one of :mod:`dondoc.web.inputs`' patterns, said as the person needs it."""
    if pattern == IF_MATCH_PATTERN:
        return 'không phải số phiên bản (ví dụ "3")'
    if pattern in (TEXT_PATTERN, QUERY_PATTERN):
        return (control_problem(given) if isinstance(given, str) else None) or "chứa ký tự điều khiển không được phép"
    return "không đúng định dạng"


async def validation_error_handler(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    errors = exc.errors()
    fields = ", ".join(_where(e) for e in errors)
    if _is_api(request.scope):
        reason = reason_vi(errors[0], _pattern_vi) if errors else ""
        message = f"Dữ liệu không hợp lệ ở {fields}: {reason}".rstrip(": ")
        # each field's reason in Vietnamese, as ``message`` gives the first's (``type`` stays pydantic's code)
        detail = [{"loc": e.get("loc"), "msg": reason_vi(e, _pattern_vi), "type": e.get("type")} for e in errors]
        return error_response(request.scope, 422, "invalid_input", message, detail=detail)
    said = "; ".join(f"{_field_vi(e)}: {reason_vi(e, _pattern_vi)}" for e in errors)
    return render(
        request, "error.html", 422, title="Dữ liệu không hợp lệ", sentence=f"Vui lòng kiểm tra lại: {said}.", detail=""
    )


# A form's or query's fields as the person knows them (the page's labels), not their names in code.
_FIELDS_VI = {
    "action": "thao tác",
    "comment": "nội dung",
    "due": "ngày",
    "percent": "tỷ lệ hoàn thành (%)",
    "version": "phiên bản",
    "agency": "cơ quan",
    "role": "vai trò",
    "csrf": "mã bảo mật của biểu mẫu",
    "page": "số trang",
    "token": "đường liên kết",
    "item_id": "số hiệu nhiệm vụ",
    "assignment_id": "số hiệu phần việc",  # not "mã nhiệm vụ": the pages call an item's code so
    "plan_id": "mã kế hoạch",
    "files": "tệp gửi kèm",
    "all": "tất cả",
    "username": "tên đăng nhập",
    "password": "mật khẩu",
    "file": "tệp",
    "attachment_id": "mã tệp đính kèm",
    "indicator_id": "mã chỉ tiêu",
    "notification_id": "mã thư",
    "If-Match": "phiên bản (If-Match)",
    "if-match": "phiên bản (If-Match)",
    "reason": "lý do",
    "year": "năm",
    "period": "kỳ",
    "note": "ghi chú",
    "value": "số liệu",
    "scope": "phạm vi",
    "phrase": "thời hạn",
    "format": "định dạng",
    "q": "từ khóa tìm kiếm",
}


def _field_vi(error: dict[str, Any]) -> str:
    """The field a refusal is about, in Vietnamese: the last name of its location (a list's index, as
    pydantic writes "agency.0", is the field's, not a field called "0")."""
    names = [str(part) for part in error.get("loc") or ["?"] if not isinstance(part, int)]
    name = names[-1] if names else "?"
    return _FIELDS_VI.get(name, name)


async def http_error_handler(request: Request, exc: Exception) -> Response:
    """Starlette's and FastAPI's HTTP errors (404 unknown path, 405, 400 unreadable body, 413)."""
    assert isinstance(exc, HTTPException)
    code, default = HTTP_TITLES.get(exc.status_code, ("http_error", "Yêu cầu không thực hiện được."))
    message = exc.detail if exc.status_code == 413 and isinstance(exc.detail, str) else default
    unread = exc.__cause__ or exc.__context__  # Starlette raises its 400 inside the parser's except
    if exc.status_code == 400 and isinstance(unread, MultiPartException):  # a form, not JSON: its own reason
        message = _form_unread(unread.message)
    return error_response(request.scope, exc.status_code, code, message, headers=dict(exc.headers or {}) or None)


def _form_unread(reason: str) -> str:
    """Starlette's refusal of a form it would not read, in words: 2,000 ticked rows were told
    "JSON sai hoặc không phải UTF-8" of a valid form."""
    if reason.startswith("Too many fields"):
        return (
            f"Yêu cầu không hợp lệ: biểu mẫu gửi lên có quá nhiều trường (tối đa {MAX_FORM_FIELDS}); "
            f"thao tác hàng loạt chọn tối đa {MAX_SELECTION} dòng mỗi lần."
        )
    if reason.startswith("Too many files"):
        return "Yêu cầu không hợp lệ: biểu mẫu gửi lên có quá nhiều tệp."
    return "Yêu cầu không hợp lệ: không đọc được biểu mẫu gửi lên."


def install(app: FastAPI) -> None:
    """Register the handlers on ``app``."""
    app.add_exception_handler(DomainError, domain_error_handler)
    app.add_exception_handler(RequestValidationError, validation_error_handler)
    app.add_exception_handler(HTTPException, http_error_handler)
