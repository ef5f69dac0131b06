"""Vietnamese text folded for search: without diacritics, lower case, đ → d.

"Bảo đảm an toàn" and "bao dam an toan" fold to the same text, so a clerk finds an item typing
either way. The folded text is stored (``plan_item.search_text``, ``agency.search_text``) and
matched with LIKE, which works the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from sqlalchemy import event


def fold(text: str | None) -> str:
    """``text`` without combining marks, lower case, đ/Đ as d, runs of spaces as one."""
    decomposed = unicodedata.normalize("NFD", (text or "").replace("đ", "d").replace("Đ", "D"))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.lower().split())


def search_words(query: str | None) -> list[str]:
    """The words of a search box, folded; an item matches when it holds every one."""
    return fold(query).split()


def item_search_text(code: str, title: str) -> str:
    """What an item is found by: its code and its title."""
    return fold(f"{code} {title}")


def agency_search_text(code: str, name: str, short: str) -> str:
    """What an agency is found by: its code, its name and its short name."""
    return fold(f"{code} {name} {short}")


def keep_folded(cls: type[Any], compute: Any) -> None:
    """Fill ``cls.search_text`` from ``compute(row)`` whenever the ORM inserts or updates a row."""

    def fill(_mapper: Any, _connection: Any, target: Any) -> None:
        target.search_text = compute(target)

    event.listen(cls, "before_insert", fill)
    event.listen(cls, "before_update", fill)
