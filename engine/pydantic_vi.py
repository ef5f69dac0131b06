"""Pydantic's reasons for refusing a value, said in Vietnamese: one table for the web's forms and
API (web.errors) and the command line's arguments and settings (cli.usage_vi)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic_core import ErrorDetails

PatternReason = Callable[[str, Any], str]  # (the pattern, the value given) → why it does not match
SHOWN_MAX = 60  # characters of a refused value quoted back


def _shown(given: Any) -> str:
    """The refused value as the reason quotes it: cut past SHOWN_MAX, and a lone surrogate (not UTF-8,
    which a JSON escape can carry) written as its escape, so that the answer itself can be sent."""
    if not isinstance(given, str | int):
        return "giá trị này"
    text = str(given).encode("utf-8", "backslashreplace").decode("utf-8")
    return f'"{text[:SHOWN_MAX]}…"' if len(text) > SHOWN_MAX else f'"{text}"'


def reason_vi(error: ErrorDetails, pattern_reason: PatternReason | None = None) -> str:
    """Pydantic's reason for ``error`` (one of ``ValidationError.errors()``) in Vietnamese: the kinds
    a person meets in words, any other as a Vietnamese sentence naming pydantic's code (it had been
    pydantic's English). ``pattern_reason`` says why a value does not match a pattern of the
    caller's (default: "không đúng định dạng")."""
    kind, given, ctx = error.get("type", ""), error.get("input"), error.get("ctx") or {}
    shown = _shown(given)
    match kind:
        case "enum" | "literal_error":
            # pydantic lists the choices "'a', 'b' or 'c'": its last word in Vietnamese
            expected = str(ctx.get("expected", "")).replace("' or '", "' hoặc '")
            return f"không có {shown}; chọn một trong: {expected}"
        case "int_parsing" | "int_type" | "int_from_float":
            return f"cần một số nguyên, nhận được {shown}"
        case "float_parsing" | "float_type":
            return f"cần một số, nhận được {shown}"
        case "finite_number":  # NaN or Infinity, which Python's JSON reads
            return "phải là một số hữu hạn (không nhận NaN hay Infinity)"
        case "greater_than_equal":
            return f"phải từ {ctx.get('ge')} trở lên, nhận được {shown}"
        case "greater_than":  # a strict bound: "from X up" would admit X itself
            return f"phải lớn hơn {ctx.get('gt')}, nhận được {shown}"
        case "less_than_equal":
            return f"phải nhỏ hơn hoặc bằng {ctx.get('le')}, nhận được {shown}"
        case "less_than":
            return f"phải nhỏ hơn {ctx.get('lt')}, nhận được {shown}"
        case "too_long":
            return f"không được quá {ctx.get('max_length')} phần tử"
        case "too_short":
            return f"cần ít nhất {ctx.get('min_length')} phần tử"
        case "list_type" | "tuple_type" | "set_type":
            return "cần một danh sách"
        case "string_unicode":
            return "không phải văn bản UTF-8 hợp lệ"
        case "extra_forbidden":
            return "trường này không được phép"
        case "missing":
            return "thiếu giá trị bắt buộc"
        case "bool_parsing" | "bool_type":
            return f"cần có hoặc không (1 hoặc 0), nhận được {shown}"
        case "string_too_long":
            return f"dài quá {ctx.get('max_length')} ký tự"
        case "string_too_short":
            return f"cần ít nhất {ctx.get('min_length')} ký tự"
        case "string_pattern_mismatch":
            pattern = str(ctx.get("pattern", ""))
            return pattern_reason(pattern, given) if pattern_reason else "không đúng định dạng"
        case "date_parsing" | "date_type" | "date_from_datetime_parsing" | "date_from_datetime_inexact":
            return f"không phải là một ngày (YYYY-MM-DD), nhận được {shown}"
        case "datetime_parsing" | "datetime_type" | "datetime_from_date_parsing":
            return f"không phải là một thời điểm (YYYY-MM-DDTHH:MM), nhận được {shown}"
        case "json_invalid":
            return "nội dung gửi không phải JSON đọc được"
        case "dict_type" | "model_type" | "model_attributes_type":
            return "cần một đối tượng JSON ({...})"
        case "string_type":
            return f"cần một chuỗi ký tự, nhận được {shown}"
        case "value_error":
            reason = str(ctx.get("error", "")) or str(error.get("msg", "")).removeprefix("Value error, ")
            # a form field sent as text where a file is expected (FastAPI's UploadFile check, in English)
            return "không phải là tệp" if "UploadFile" in reason else reason
    # a kind not listed above: said in Vietnamese all the same, with pydantic's code for the reader who needs it
    return f"giá trị không hợp lệ ({kind}), nhận được {shown}"
