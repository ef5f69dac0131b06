"""Text clean-up shared by the readers: NFC, markup of extracted text, wrapped lines."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection

_MARKUP = [
    (re.compile(r"</?(b|i|u|strong|em|br)\s*/?>", re.I), ""),
    (re.compile(r"~~"), ""),
    (re.compile(r"\*{1,3}"), ""),
    (re.compile(r"^#{1,6}\s+"), ""),
    (re.compile(r"\[\^?\d+\]"), ""),  # footnote markers [1] / [^1]
    (re.compile(r"(?<=[A-Za-zÀ-ỹ.,;)])\^\d+"), ""),  # footnote markers word^1
]
_SPACES = re.compile(r"[ \t\u00a0]+")
_PAGE_NUMBER = re.compile(r"^(trang\s*)?[-–]?\s*\d{1,3}\s*[-–]?(\s*/\s*\d{1,3})?$", re.I)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def clean(text: str) -> str:
    """One line of extracted text without markup, in NFC, with single spaces."""
    # control characters a scan or a word processor leaves (a bell, a form feed): invisible in a form,
    # and the review form refuses them (engine.text_limits), so the draft could never be saved
    text = _CONTROLS.sub(" ", nfc(text))
    for pattern, repl in _MARKUP:
        text = pattern.sub(repl, text)
    return _SPACES.sub(" ", text).strip()


def is_page_number(text: str) -> bool:
    return bool(_PAGE_NUMBER.match(text.strip()))


_ENDS = (".", ";", ":", "!", "?", ")", "”", '"')
_MARKER = re.compile(r"^([IVX]+\.|\d+(\.\d+)*\.|[a-zđ]\)|[-–+•])\s")


def continues(previous: str, following: str) -> bool:
    """Whether ``following`` carries on the sentence ``previous`` (a line broken across pages)."""
    if not previous or not following or previous.endswith(_ENDS):
        return False
    if _MARKER.match(following):
        return False
    return following[0].islower()


TITLE_MAX = 200  # characters of a title the draft proposes from a longer text


def shortened(text: str, limit: int = TITLE_MAX) -> str:
    """``text`` whole when it fits in ``limit`` characters, else cut after the last whole word that fits
    and ended with "…", so that nobody reads it as the whole (a title had been cut mid-word,
    "… và Phát triển ", with nothing to show it)."""
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:-") + "…"


def free_code(base: str, used: Collection[str]) -> str:
    """``base``, or the first of ``base-2``, ``base-3``, … not in ``used``: a code drafted twice in one
    document (two targets, two reports of one section) told apart."""
    code, n = base, 2
    while code in used:
        code, n = f"{base}-{n}", n + 1
    return code
