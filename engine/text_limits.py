"""What free text (a comment, a reason, a note) may hold, on every surface: the web's forms and
API check it as they read a request (dondoc.web.inputs), and the engine again before it writes
(engine.services.assignments), so the CLI and the bulk forms are held to the same rule."""

from __future__ import annotations

import unicodedata

TEXT_MAX = 4000  # characters of a comment, a reason, a note
_ALLOWED_CONTROLS = {"\t", "\n", "\r"}


def control_problem(text: str) -> str | None:
    """Why ``text`` cannot be stored as it is, in Vietnamese, or None: a control character (NUL,
    which PostgreSQL text cannot hold, and the rest; tab and line breaks pass) or a lone surrogate
    (not UTF-8)."""
    for ch in text:
        code = ord(ch)
        if (code < 0x20 and ch not in _ALLOWED_CONTROLS) or code == 0x7F:
            return f"chứa ký tự điều khiển không được phép (mã {code:#04x})"
        if 0xD800 <= code <= 0xDFFF:
            return "chứa ký tự không hợp lệ (không phải UTF-8)"
    return None


def text_problem(text: str, longest: int = TEXT_MAX) -> str | None:
    """Why free text cannot be stored, in Vietnamese, or None: longer than ``longest``, or a
    character above."""
    if len(text) > longest:
        return f"dài {len(text)} ký tự, quá {longest} ký tự cho phép"
    return control_problem(text)


def blank(text: str | None) -> bool:
    """Whether ``text`` says nothing: empty, spaces, or invisible format characters alone (a
    zero-width space "\u200b" had passed as a reason for cancelling)."""
    return not any(not ch.isspace() and unicodedata.category(ch) != "Cf" for ch in text or "")
