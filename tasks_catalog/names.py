"""The catalog's names of its bodies, found in a text: the one matcher of names and aliases.

Every name, short name and alias of the directory (tasks_catalog/agencies.yaml) is spelled one way
(:func:`name_key`: "Ủy ban nhân dân" as "UBND", "&" as "và", dashes and dots as spaces), and a text
is scanned for the longest known name at each place. The importer reads a document's role phrases
with it (importer.agencies); the mails and pages find, in the wording they quote, the bodies that
have ended since (engine.services.ended_names).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator

TRIM = " ,;.:-–"
# how an official body's name begins ("Sở …", "UBND …", "Ban …"): a name that does not ("Bình Sơn",
# "Kế hoạch và Đầu tư", "STTTT") is a place, a field of work or a document number's letters in prose
OFFICIAL_START = re.compile(
    r"^(sở|văn phòng|vp|ubnd|ủy ban|ban|công an|cục|kho bạc|kbnn|ngân hàng|nhnn|bảo hiểm|bhxh|đài|báo|tỉnh đoàn"
    r"|bưu điện|thanh tra|bộ|các|thủ trưởng|chủ tịch|vnpt|viettel|trung tâm|tổ|thành viên|tập đoàn)\b",
    re.I,
)


def spelled(text: str) -> str:
    """``text`` spelled as names are compared, its letters' case kept (a name in prose is written
    with its capital: :meth:`NameIndex.bodies_in`)."""
    text = unicodedata.normalize("NFC", text).replace("&", " và ").replace("-", " ").replace("–", " ")
    text = re.sub(r"\bủy ban nhân dân\b", "UBND", text, flags=re.I)
    text = re.sub(r"\bthủ trưởng\b|\bchủ tịch\b", " ", text, flags=re.I)
    return re.sub(r"[\s.]+", " ", text).strip(TRIM + " ")


def name_key(text: str) -> str:
    """``text`` as a key of the index: :func:`spelled`, case folded."""
    return spelled(text).casefold()


class NameIndex:
    """Codes by name: ``named`` is (name, code) pairs, the first code given a name keeps it."""

    def __init__(self, named: Iterable[tuple[str, str]]) -> None:
        self.names: dict[str, str] = {}
        for name, code in named:
            self.names.setdefault(name_key(name), code)
        self.by_length = sorted(self.names, key=len, reverse=True)
        alternatives = "|".join(re.escape(n) for n in self.by_length if n) or r"(?!)"  # no name: matches nothing
        # case-insensitive: a key (folded) and a text spelled with its case kept are read alike
        self.pattern = re.compile(r"(?<!\w)(" + alternatives + r")(?!\w)", re.I)

    def bodies_in(self, text: str) -> Iterator[tuple[str, re.Match[str]]]:
        """The code of every name written in ``text`` as a body's name is written, with a capital
        ("Sở Thông tin và Truyền thông", "UBND huyện Bình Sơn"; not "trụ sở thông tin"), each with
        its match in ``text`` :func:`spelled`."""
        for match in self.pattern.finditer(spelled(text)):
            code = self.names.get(match.group(1).casefold())
            if code is not None and match.group(1)[:1].isupper():
                yield code, match
