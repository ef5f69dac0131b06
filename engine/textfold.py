"""Vietnamese text folded for search: without diacritics, lower case, đ → d.

"Bảo đảm an toàn" and "bao dam an toan" fold to the same text, so a clerk finds an item typing
either way. The folded text is stored (``plan_item.search_text``, ``agency.search_text``) and
matched with LIKE, which works the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence
from typing import Any

from sqlalchemy import event

from dondoc.engine.errors import InvalidInput


def fold(text: str | None) -> str:
    """``text`` without combining marks, lower case, đ/Đ as d, runs of spaces as one."""
    decomposed = unicodedata.normalize("NFD", (text or "").replace("đ", "d").replace("Đ", "D"))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.lower().split())


# The most words a search holds: a title pasted whole (the catalog's longest has 92 words) with its
# code and agency; each word is a condition, and SQLite refuses a statement of ~950 of them
# ("Expression tree is too large"), which had answered a long search with HTTP 500.
MAX_SEARCH_WORDS = 200


def search_words(query: str | None) -> list[str]:
    """The words of a search box, folded, each once (a word of marks alone, "&", is none); an item
    matches when it holds every one. A box of marks alone is refused: it had listed every part as
    found. More than :data:`MAX_SEARCH_WORDS` different words are refused
    in one sentence."""
    words = list(dict.fromkeys(word for word in fold(query).split() if words_of(word)))
    if not words and query and query.strip():  # "%", "*", "&": a search for nothing, not for everything
        raise InvalidInput(f'Ô "Tìm" không có chữ hay số nào để tìm (nhận được "{query.strip()[:40]}").')
    if len(words) > MAX_SEARCH_WORDS:
        raise InvalidInput(f'Ô "Tìm" có tối đa {MAX_SEARCH_WORDS} từ khác nhau (nhận được {len(words)}).')
    return words


def item_search_text(code: str, title: str) -> str:
    """What an item is found by: its code and its title."""
    return _searchable(code, title)


def agency_search_text(code: str, name: str, short: str, aliases: Sequence[str] = ()) -> str:
    """What an agency is found by: its code, its name, its short name and the other names the
    catalog knows it by ("STTTT", "VPUB", "SNV": a clerk's shorthand found nothing)."""
    return _searchable(code, name, short, *aliases)


def _searchable(*parts: str) -> str:
    """``parts`` folded, every mark that is not a letter or a digit read as a space, after a leading
    space: "117/KH-UBND:II.2.d Bảo đảm an toàn" is stored " 117 kh ubnd ii 2 d bao dam an toan",
    so that a search word is found from the start of a word (:func:`search_pattern`)."""
    return " " + words_of(" ".join(parts))


def words_of(text: str) -> str:
    """``text`` folded, its marks read as spaces, its words one space apart."""
    return " ".join(_MARKS.sub(" ", fold(text)).split())


_MARKS = re.compile(r"[\W_]+")


def search_pattern(word: str) -> str:
    """The LIKE pattern (escape ``\\``) of one search word over a stored search text: from the start
    of a word ("he" finds "hệ thống", no longer "nghệ" nor "thể"; "loai" finds "phân loại"); a word
    with marks as the words it holds, in a row ("II.2" finds "II.2.d" and "II.20", no longer
    "III.2"; "KH-UBND:II.2.d" the code it is part of; "TT&TT" finds "Sở TT&TT")."""
    escaped = words_of(word).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"% {escaped}%"


def keep_folded(cls: type[Any], compute: Any) -> None:
    """Fill ``cls.search_text`` from ``compute(row)`` whenever the ORM inserts or updates a row."""

    def fill(_mapper: Any, _connection: Any, target: Any) -> None:
        target.search_text = compute(target)

    event.listen(cls, "before_insert", fill)
    event.listen(cls, "before_update", fill)


# Vietnamese alphabetical order (a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y, the
# Latin letters it lacks in their places), then the tones (ngang, huyền, hỏi, ngã, sắc, nặng):
# "Sở Tài chính" before "Sở Thông tin", which code-point order puts the other way round.
_LETTERS = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_RANK = {letter: index for index, letter in enumerate(_LETTERS)}
_SHAPE = {"\u0306", "\u0302", "\u031b"}  # breve, circumflex, horn: part of the letter (ă, â, ơ …)
_TONE = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}


@functools.lru_cache(maxsize=4096)
def vi_sort_key(text: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """A sort key that orders Vietnamese names as a Vietnamese reader does: letter by letter in the
    Vietnamese alphabet, then by tone; other characters by their code point, after the letters.
    Kept per text: the names sorted are the province's bodies, groups and plans, a few hundred, and
    every list of the desk sorts them again on every request (~20 µs a name to work out)."""
    letters: list[int] = []
    tones: list[int] = []
    for ch in unicodedata.normalize("NFC", text.lower()):
        decomposed = unicodedata.normalize("NFD", ch)
        base = decomposed[0] + "".join(m for m in decomposed[1:] if m in _SHAPE)
        letter = unicodedata.normalize("NFC", base)
        letters.append(_RANK.get(letter, len(_LETTERS) + ord(ch)) if letter not in " " else -1)
        tones.append(next((_TONE[m] for m in decomposed[1:] if m in _TONE), 0))
    return tuple(letters), tuple(tones)
