"""A number as a person types it, one rule for the web's forms and the command line: ASCII digits
with a sign, and for a decimal one point between digits. Python's int() and float() (and pydantic's
lax reading) took "1_0" as 10, "٣" (an Arabic-Indic three) as 3, "10.0" as a whole 10, "1e-400"
as 0, and each had been recorded."""

from __future__ import annotations

import re

_WHOLE = re.compile(r"[+-]?[0-9]+")
_DECIMAL = re.compile(r"[+-]?[0-9]+(\.[0-9]+)?")


def whole(text: str) -> int | None:
    """``text`` (surrounding spaces aside) as a whole number; None when it is not one."""
    clean = text.strip()
    return int(clean) if _WHOLE.fullmatch(clean) else None


def decimal(text: str) -> float | None:
    """``text`` (surrounding spaces aside) as a decimal with a point; None when it is not one."""
    clean = text.strip()
    return float(clean) if _DECIMAL.fullmatch(clean) else None
