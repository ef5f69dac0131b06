"""Vietnamese text folded for search: without diacritics, lower case, đ → d; and as written.

"Bảo đảm an toàn" and "bao dam an toan" fold to the same text, so a clerk finds an item typing
either way; typed with diacritics, the words are meant as written. Both texts are stored, one
after the other (``plan_item.search_text``, ``agency.search_text``), and matched with LIKE, which
works the same on SQLite and PostgreSQL (:func:`search_patterns`).
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


def search_patterns(query: str | None) -> list[str]:
    """The LIKE patterns (escape ``\\``) of a search box over a stored search text (:func:`_searchable`),
    one per word typed, each once; an item matches when it holds every one. What a Vietnamese reader
    means by them:

    - a word typed in full is that whole word: "chu" finds "chữ", "chủ", "chú", "chu", not "chuyển";
    - typed without diacritics, a word is every accent form of it ("so" finds "số", "sổ", "sở");
      typed with diacritics (any word of the search holding a mark, đ included: the keyboard was
      set to Vietnamese), every word is meant as written, the tone wherever it was placed ("thuỷ"
      is "thủy"; "bàn" is not "ban", and in "ký sổ ban" neither is "ban");
    - the last word, when nothing follows it and it is no Vietnamese syllable yet (:func:`is_syllable`:
      "s", "ngh", "chuye"), is a word still being typed: found from a word's start. A space after it,
      or a whole syllable ("chu", "so"), and it is a whole word again;
    - a code, a word holding a digit or a mark ("II.2", "117/KH", "12", "TT&TT"), is found as before:
      the words it holds in a row, the last from a word's start ("II.2" finds II.2.d and II.20, not
      III.2); as written when it holds a diacritic ("II.1.đ" is not II.1.d), which says nothing of
      how the other words were typed ("04/KH-BCĐ an toan": "an toan" is every accent form).

    A box of marks alone is refused: it had listed every part as found. More than
    :data:`MAX_SEARCH_WORDS` different words are refused in one sentence."""
    text = unicodedata.normalize("NFC", query or "")
    tokens = text.split()
    typing = bool(text) and not text[-1].isspace()
    codes = [len(words_of(token).split()) > 1 or any(ch.isdigit() for ch in token) for token in tokens]
    marked = any(_marked(token) for token, code in zip(tokens, codes, strict=True) if not code)
    patterns: list[str] = []
    for index, (token, code) in enumerate(zip(tokens, codes, strict=True)):
        written = _marked(token) if code else marked
        words = written_words(token) if written else words_of(token).split()
        if not words:  # "&", "%": no word
            continue
        unfinished = typing and index == len(tokens) - 1 and not is_syllable(fold(words[0]))
        pattern = _pattern(words, "|" if written else " ", code or unfinished)
        if pattern not in patterns:
            patterns.append(pattern)
    if not patterns and text.strip():  # "%", "*", "&": a search for nothing, not for everything
        raise InvalidInput(f'Ô "Tìm" không có chữ hay số nào để tìm (nhận được "{text.strip()[:40]}").')
    if len(patterns) > MAX_SEARCH_WORDS:
        raise InvalidInput(f'Ô "Tìm" có tối đa {MAX_SEARCH_WORDS} từ khác nhau (nhận được {len(patterns)}).')
    return patterns


def _marked(text: str) -> bool:
    """Whether ``text`` holds a diacritic (đ included)."""
    return "đ" in text.lower() or any(unicodedata.combining(ch) for ch in unicodedata.normalize("NFD", text))


def _pattern(words: list[str], between: str, from_start: bool) -> str:
    """``words`` in a row in the half of a stored search text whose words ``between`` parts, the last
    one whole or, ``from_start``, from its start."""
    escaped = between.join(words).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{between}{escaped}{'' if from_start else between}%"


def item_search_text(code: str, title: str) -> str:
    """What an item is found by: its code and its title."""
    return _searchable(code, title)


def agency_search_text(code: str, name: str, short: str, aliases: Sequence[str] = ()) -> str:
    """What an agency is found by: its code, its name, its short name and the other names the
    catalog knows it by ("STTTT", "VPUB", "SNV": a clerk's shorthand found nothing)."""
    return _searchable(code, name, short, *aliases)


def _searchable(*parts: str) -> str:
    """``parts`` twice, every mark that is not a letter or a digit read as a space: folded, each word
    between spaces, for a search typed without diacritics; then as written (:func:`written_words`),
    each word between bars, for a search typed with them. "117/KH-UBND:II.2.d Bảo đảm" is stored
    " 117 kh ubnd ii 2 d bao dam |117|kh|ubnd|ii|2|d|bảo|đảm|" (the last two with their hỏi after
    their letters, as :func:`written_words` writes them), so that a search word
    is found as a whole word, or from a word's start (:func:`search_patterns`), in its half alone."""
    text = " ".join(parts)
    return f" {words_of(text)} |{'|'.join(written_words(text))}|"


def words_of(text: str) -> str:
    """``text`` folded, its marks read as spaces, its words one space apart."""
    return " ".join(_MARKS.sub(" ", fold(text)).split())


_MARKS = re.compile(r"[\W_]+")


def written_words(text: str) -> list[str]:
    """The words of ``text`` as written, lower case, its marks read as spaces, each word's tone mark
    (huyền, hỏi, ngã, sắc, nặng) moved after its letters, its other marks (ă, â, ê, ô, ơ, ư, đ) kept:
    "Hoà", "hòa" and "HÒA" are one word (the old and the new rule of where the tone goes), and
    "thống" is stored as "thông" and its sắc, so that "thông", typed so far, is its start."""
    words = _MARKS.sub(" ", unicodedata.normalize("NFC", text).lower()).split()
    return [_tone_last(word) for word in words]


def _tone_last(word: str) -> str:
    decomposed = unicodedata.normalize("NFD", word)
    tones = "".join(ch for ch in decomposed if ch in _TONE)
    return unicodedata.normalize("NFC", "".join(ch for ch in decomposed if ch not in _TONE)) + tones


# Whether a folded word is a whole Vietnamese syllable: an initial consonant (or none), then a rhyme
# (folded: ă, â as a; ê as e; ô, ơ as o; ư as u); "qu" is q before a rhyme of medial u.
_INITIALS = ("ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "th", "tr", *"bcdghklmnprstvx", "")
_RHYMES = frozenset(
    """a e i o u y ai ao au ay eo eu ia iu oi ua ui uu ieu yeu uoi uou oa oe oai oay oao oeo uy uya uyu
    ue uo uay ac ach am an ang anh ap at ec ech em en eng enh ep et ich im in inh ip it oc om on ong op
    ot ooc oong uc um un ung up ut iec iem ien ieng iep iet yem yen yet uoc uom uon uong uop uot oac
    oach oam oan oang oanh oap oat oem oen oet uan uang uat uech uen uenh uet uych uyn uynh uyp uyt
    uyen uyet""".split()
)


def is_syllable(folded: str) -> bool:
    """Whether ``folded`` (a word without diacritics) is a whole Vietnamese syllable ("chu", "so",
    "nghieng", "quynh"), not one still being typed ("s", "ngh", "chuye", "qu") nor a shorthand ("snv")."""
    if folded.startswith("q"):
        rest = folded[1:]
        return rest.startswith("u") and len(rest) > 1 and (rest in _RHYMES or rest[1:] in _RHYMES)
    return any(folded.startswith(initial) and folded[len(initial) :] in _RHYMES for initial in _INITIALS)


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
