"""Target figures ("Tỷ lệ … đạt 80%", "đạt từ 65 - 70%", "trên 50%") in an item's wording."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

_NUMBER = r"(\d{1,3}(?:[.,]\d+)?)"
_FIGURE = re.compile(rf"(?:(?P<lo>{_NUMBER[1:-1]})\s*%?\s*[-–]\s*)?(?P<hi>{_NUMBER[1:-1]})\s*%")
_CLAUSE = re.compile(r"(?<=[;.])\s+(?=\S)|;\s*")


def _slug(text: str, used: set[str]) -> str:
    ascii_text = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    ascii_text = "".join(c for c in ascii_text if not unicodedata.combining(c)).lower()
    words = [w for w in re.split(r"[^a-z0-9]+", ascii_text) if w and w not in {"ty", "le", "cac", "va", "cua", "dat"}]
    base = "-".join(words[:5]) or "chi-tieu"
    code, n = base, 2
    while code in used:
        code, n = f"{base}-{n}", n + 1
    used.add(code)
    return code


def _comparison(before: str) -> str:
    tail = before[-25:].casefold()
    if re.search(r"\b(không quá|tối đa)\s*$", tail):
        return "<="
    if re.search(r"\btrên:?\s*$", tail):
        return ">"
    return ">="


def find_targets(text: str) -> list[dict[str, Any]]:
    """One indicator per clause that states a percentage; further figures in that clause are by group."""
    indicators: list[dict[str, Any]] = []
    used: set[str] = set()
    for clause in _CLAUSE.split(text):
        clause = clause.strip(" +-–")
        matches = list(_FIGURE.finditer(clause))
        if not matches:
            continue
        first = matches[0]
        name = clause[: first.start()].strip(" :,")
        name = re.sub(
            r"\s*(phải\s+)?(đạt|đạt tỷ lệ|tối thiểu|trên|từ|phấn đấu|phần đầu)(\s+(tối thiểu|trên|từ))*:?$",
            "",
            name,
            flags=re.I,
        ).strip(" :,")
        if len(name) < 8:
            name = clause.strip(" .")
        indicator: dict[str, Any] = {"code": _slug(name, used), "name": name[:200], "unit": "%"}
        hi = float(first.group("hi").replace(",", "."))
        if first.group("lo"):
            indicator["target_range"] = [float(first.group("lo").replace(",", ".")), hi]
        else:
            indicator["target"] = hi
        indicator["comparison"] = _comparison(clause[: first.start()])
        extra = []
        for previous, m in zip(matches, matches[1:], strict=False):
            value = float(m.group("hi").replace(",", "."))
            between = clause[previous.end() : m.start()]
            after = clause[m.end() : m.end() + 12]
            grouped = (after.strip().startswith("đối với") or re.search(r"\bcủa\b", between)) and value != hi
            if grouped:
                extra.append(value)
            else:
                indicators.append(indicator)
                name = clause[previous.end() : m.start()].strip(" ,:;") or name
                indicator = {"code": _slug(name, used), "name": name[:200], "unit": "%", "target": value}
                indicator["comparison"] = _comparison(clause[: m.start()])
                if m.group("lo"):
                    del indicator["target"]
                    indicator["target_range"] = [float(m.group("lo").replace(",", ".")), value]
        if extra:
            indicator["notes"] = "Các mức khác trong cùng câu (theo nhóm cơ quan, cần xác định): " + ", ".join(
                f"{v:g}%" for v in extra
            )
        indicators.append(indicator)
    return indicators
