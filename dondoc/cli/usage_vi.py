"""Typer's usage errors (an unknown option, a missing argument, a value its type refuses) said in
Vietnamese, as every other error of ``dondoc`` is.

Typer (its vendored click) writes them in English and has no message catalog to swap: the
exceptions carry the parameter they are about, and a refused value carries pydantic's error as
its cause, which engine.pydantic_vi says in Vietnamese. The few messages that carry only text
(no such command, extra arguments, an option without its value) are matched on that text; one
this table does not know stays in English rather than be lost.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from pydantic import ValidationError
from typer._click.exceptions import BadParameter, MissingParameter, NoSuchOption
from typer.exceptions import TyperException

from dondoc.engine.pydantic_vi import reason_vi

_KINDS = {"argument": "đối số", "option": "tùy chọn"}

# Messages that carry only their text, as typer words them, and how they are said here.
_TEXTS: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...] = (
    (
        re.compile(r"No such command (?P<name>'[^']*')\.(?: Did you mean (?P<hint>.*)\?)?$"),
        lambda m: f"không có lệnh {m['name']}" + (f" (có phải: {m['hint']}?)" if m["hint"] else ""),
    ),
    (re.compile(r"Missing command\.$"), lambda m: "thiếu lệnh (xem --help)"),
    (re.compile(r"Got unexpected extra argument(?:s|\(s\))? \((?P<args>.*)\)$"), lambda m: f"thừa đối số: {m['args']}"),
    (
        re.compile(r"Option (?P<name>.+) requires an argument\.$"),
        lambda m: f"tùy chọn {m['name']} cần một giá trị",
    ),
    (
        re.compile(r"Option (?P<name>.+) requires (?P<n>\d+) arguments\.$"),
        lambda m: f"tùy chọn {m['name']} cần {m['n']} giá trị",
    ),
    (
        re.compile(r"Option (?P<name>.+) does not take a value\.$"),
        lambda m: f"tùy chọn {m['name']} không nhận giá trị",
    ),
    (
        re.compile(r"Argument (?P<name>.+) takes (?P<n>\d+) values\.$"),
        lambda m: f"đối số {m['name']} cần {m['n']} giá trị",
    ),
    (re.compile(r"(?P<what>\w+) (?P<path>'.*') does not exist\.$"), lambda m: f"{m['path']} không tồn tại"),
    (re.compile(r"(?P<what>\w+) (?P<path>'.*') is a file\.$"), lambda m: f"{m['path']} là một tệp, cần một thư mục"),
    (
        re.compile(r"(?P<what>\w+) (?P<path>'.*') is a directory\.$"),
        lambda m: f"{m['path']} là một thư mục, cần một tệp",
    ),
    (re.compile(r"(?P<what>\w+) (?P<path>'.*') is not readable\.$"), lambda m: f"không đọc được {m['path']}"),
    (re.compile(r"(?P<what>\w+) (?P<path>'.*') is not writable\.$"), lambda m: f"không ghi được vào {m['path']}"),
)


def _text_vi(message: str) -> str:
    for pattern, said in _TEXTS:
        found = pattern.match(message)
        if found:
            return said(found)
    return message


def _hint(exc: BadParameter) -> str:
    if exc.param_hint is not None:
        hints = exc.param_hint
        return hints if isinstance(hints, str) else " / ".join(repr(hint) for hint in hints)
    return exc.param.get_error_hint() if exc.param is not None else ""


def usage_message(exc: TyperException) -> str:
    """The one line ``dondoc`` prints for a usage error of typer's, in Vietnamese."""
    if isinstance(exc, NoSuchOption):
        message = f"không có tùy chọn {exc.option_name}"
        return f"{message} (có phải: {', '.join(sorted(exc.possibilities))}?)" if exc.possibilities else message
    if isinstance(exc, MissingParameter):
        kind = exc.param_type or (exc.param.param_type_name if exc.param is not None else "")
        return f"thiếu {_KINDS.get(kind, 'tham số')} {_hint(exc)}".rstrip()
    if isinstance(exc, BadParameter):
        cause = exc.__cause__
        reason = reason_vi(cause.errors()[0]) if isinstance(cause, ValidationError) else _text_vi(exc.message)
        hint = _hint(exc)
        return f"giá trị không hợp lệ cho {hint}: {reason}" if hint else f"giá trị không hợp lệ: {reason}"
    return _text_vi(exc.format_message())
