"""Agency phrases to codes through the directory's names and aliases (tasks_catalog/agencies.yaml).

A role phrase ("Sở Tài chính, Sở Kế hoạch và Đầu tư và các cơ quan liên quan") is scanned for the
longest known name at each place (certain); what is left is matched fuzzily (rapidfuzz, guessed)
or, when it names nobody ("các cơ quan, đơn vị liên quan"), recorded under ``unnamed``.
"""

from __future__ import annotations

import copy
import re
import unicodedata
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import yaml
from pydantic import ValidationError
from rapidfuzz import fuzz, process

from dondoc.importer.errors import ImportRefused
from dondoc.importer.model import CERTAIN, GUESSED, NOT_FOUND
from dondoc.tasks_catalog.loader import default_catalog_dir
from dondoc.tasks_catalog.names import OFFICIAL_START, TRIM, NameIndex, name_key
from dondoc.tasks_catalog.schema import Directory

# a phrase that names nobody: the catalog's unnamed: rule (SCHEMA.md)
# The kinds a collective lists ("các sở, ban, ngành, UBND các huyện, thị xã, thành phố và địa phương"),
# joined by commas, "và" or nothing ("các sở ngành")
_KIND = r"(?:(?:ubnd|ủy ban nhân dân)\s+(?:các\s+)?huyện|sở|ban ngành|ban|ngành|địa phương|huyện|thị xã|thành phố)"
_KINDS = rf"{_KIND}(?:\s*(?:,|\bvà\b)?\s*(?:các\s+)?{_KIND})*"
# A named body, as its name is written (capitals, case-sensitive: "Sở Tài chính", "UBND các huyện", "Báo
# Quảng Ngãi"; not "báo chí", "trụ sở", "thuộc UBND tỉnh"): the words before "liên quan" never run over one
# ("các cơ quan báo chí, Sở Tài chính và UBND các huyện có liên quan" leaves Sở Tài chính named)
_NAMED = r"(?-i:\b(?:Sở|Ủy ban|Công an|Bảo hiểm|Văn phòng|Đài|Báo)\s+[A-ZĐ]|\bUBND\s+(?:các|[A-ZĐ]))"
# Phrases that name nobody: "các cơ quan, đơn vị liên quan", and a collective narrowed to "those
# concerned" ("các sở, ngành liên quan", "các địa phương có liên quan", "UBND các huyện … liên quan"):
# which of them is the secretariat's to say, not every body of the group.
_UNNAMED = re.compile(
    rf"(?:các\s+)?(?:cơ quan|đơn vị|tổ chức|doanh nghiệp|thành viên)(?:(?!{_NAMED})[^;])*?(?:có\s+)?liên quan"
    rf"|các\s+{_KINDS}\s+(?:có\s+)?liên quan"
    rf"|(?:ubnd|ủy ban nhân dân)\s+các\s+{_KINDS}\s+(?:có\s+)?liên quan"
    r"|các cơ quan được giao[^;]*"
    # "các cơ quan, đơn vị", "các đơn vị", "các cơ quan" closing a phrase or a part of it: nobody named
    r"|các\s+(?:cơ quan|đơn vị)(?:\s*,\s*(?:cơ quan|đơn vị))?(?=\s*(?:;|$))",
    re.I,
)
_SO_LIST = re.compile(r"các sở:\s*([^;]+)", re.I)
_TRIM = TRIM
_FUZZY_MIN = 88
_NOT_AGENCIES = {
    "~",
    "các",
    "và",
    "tỉnh",
    "nêu trên",
    "trên địa bàn tỉnh",
    "trên địa bàn",  # "… trên địa bàn tỉnh" once "tỉnh" is cut: where, not who
    "người dân",
    "doanh nghiệp",
    "cơ quan",
    "đơn vị",
}
# collective words the directory has no alias for: read as a group, marked guessed
_COLLECTIVE = {
    "địa phương": "@ubnd-cap-huyen",
    "các địa phương": "@ubnd-cap-huyen",
    "địa phương trên địa bàn": "@ubnd-cap-huyen",
}


# "các cơ quan, đơn vị nêu trên", "các sở, ngành nêu trên", "các đơn vị trên": the "Kính gửi:" list
_BACK_REFERENCE = re.compile(
    r"(?:thủ trưởng\s+)?(?:các\s+)?(?:(?:sở|ban|ngành|ban ngành|cơ quan|đơn vị|địa phương|tổ chức)[,\s]+)*"
    r"(?:(?:nêu|kể|ở)\s+trên\b|(?:đơn vị|cơ quan)\s+trên(?=\s*(?:[;,.]|$|và\b)))",
    re.I,
)
# only the list as a whole ("các cơ quan, đơn vị nêu trên") is sure; "các sở, … nêu trên" may mean part of it
_PURE_BACK_REFERENCE = re.compile(r"^(?:các\s+)?(?:cơ quan,?\s*)?(?:đơn vị\s+)?(?:nêu|kể|ở)?\s*trên$", re.I)


@dataclass
class Resolution:
    codes: list[str] = field(default_factory=list)
    unnamed: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    confidence: str = CERTAIN
    notes: list[str] = field(default_factory=list)


class AgencyDirectory:
    def __init__(self, directory: Directory) -> None:
        self.directory = directory
        # the catalog's one index of names (tasks_catalog.names), groups after the agencies
        self.index = NameIndex(
            [(name, a.code) for a in directory.agencies for name in [a.name, a.short, *a.aliases]]
            + [(name, f"@{g.code}") for g in directory.groups for name in [g.name, *g.aliases]]
        )
        self.names = self.index.names
        # a bare name ("Xây dựng", "Tài chính" of "các sở: Xây dựng, Tài chính") counts only capitalised
        self.bare = sorted(
            {n for a in directory.agencies for n in a.aliases if n[:1].isupper() and not OFFICIAL_START.match(n)},
            key=len,
            reverse=True,
        )
        self._by_length = self.index.by_length
        self.addressees: list[str] = []  # the document's "Kính gửi:" list, for "nêu trên"
        self._pattern = self.index.pattern

    @classmethod
    def load(cls, catalog_dir: Path | None = None) -> AgencyDirectory:
        path = (catalog_dir or default_catalog_dir()) / "agencies.yaml"
        try:
            return cls(Directory.model_validate(yaml.safe_load(path.read_text(encoding="utf-8"))))
        except (OSError, UnicodeDecodeError, yaml.YAMLError, ValidationError) as exc:
            # the directory the names are read against: refused in one line, as a document is
            raise ImportRefused(f"Không đọc được danh mục cơ quan {path}: {_first_line(exc)}") from exc

    def with_addressees(self, addressees: list[str]) -> AgencyDirectory:
        """This directory reading "nêu trên" as ``addressees`` (the document's "Kính gửi:" list)."""
        other = copy.copy(self)
        other.addressees = list(addressees)
        return other

    def _back_reference(self, phrase: str) -> tuple[str, str, bool]:
        """``phrase`` with each back-reference replaced by the addressees; a note; sure or not."""
        if not self.addressees or not _BACK_REFERENCE.search(phrase):
            return phrase, "", True
        found = [m.group(0) for m in _BACK_REFERENCE.finditer(phrase)]
        sure = all(_PURE_BACK_REFERENCE.match(re.sub(r"^thủ trưởng\s+", "", f.strip(), flags=re.I)) for f in found)
        expanded = _BACK_REFERENCE.sub(lambda _: " ; " + "; ".join(self.addressees) + " ; ", phrase)
        note = "“nêu trên” đọc là danh sách Kính gửi: " + "; ".join(self.addressees)
        return expanded, note, sure

    def _group_names(self, text: str) -> list[tuple[int, int]]:
        """The spans of ``text`` that the bare names' blanking leaves alone: a group's name ("các cơ sở y
        tế"), and an agency's name written as a name, with its capital ("Ban Chỉ đạo xây dựng Chính quyền
        điện tử tỉnh", bcd-cqdt: its "xây dựng" is no verb); not "cơ sở y tế", which holds "sở y tế"."""
        return [
            m.span()
            for m in self._pattern.finditer(text)
            if self.names.get(name_key(m.group(1)), "")[:1] == "@" or m.group(1)[:1].isupper()
        ]

    def exact(self, phrase: str) -> str | None:
        return self.names.get(name_key(phrase))

    def resolve(self, phrase: str) -> Resolution:
        """Codes named in ``phrase`` (in order, no repeats), the phrases naming nobody, the leftovers."""
        out = Resolution()
        phrase, back_note, sure = self._back_reference(phrase)
        text = phrase.strip(_TRIM)
        # a group's name the bare word stands in stays the group's ("các cơ sở y tế" is no "Y tế"); an
        # agency's does not: "sở y tế" would be read in "cơ sở y tế", a health facility
        named = self._group_names(text)
        for bare in self.bare:  # a verb such as "xây dựng" is no agency
            blanked = re.sub(rf"(?<!\w){re.escape(bare[0].lower() + bare[1:])}(?!\w)", partial(_blank, named), text)
            if blanked != text:  # the spans moved
                text, named = blanked, self._group_names(blanked)
        for match in list(_UNNAMED.finditer(text)):
            out.unnamed.append(match.group(0).strip(_TRIM))
        text = _UNNAMED.sub(" ; ", text)
        text = _SO_LIST.sub(lambda m: " ; ".join(f"Sở {p.strip()}" for p in m.group(1).split(",")), text)
        key = name_key(text)
        position = 0
        leftovers: list[str] = []
        for match in self._pattern.finditer(key):
            leftovers.append(key[position : match.start()])
            position = match.end()
            self._add(out, self.names[match.group(1)])
        leftovers.append(key[position:])
        for rest in leftovers:
            for piece in re.split(r"[,;]| và ", rest):
                piece = re.sub(r"^(các|của|với|và)\s+|\s+(tỉnh|trên địa bàn tỉnh)$", "", piece.strip(_TRIM + " "))
                if len(piece) < 4 or piece in _NOT_AGENCIES:
                    continue
                if piece in _COLLECTIVE:
                    self._add(out, _COLLECTIVE[piece])
                    out.confidence = GUESSED
                    out.notes.append(f'"{original(piece, phrase)}" đọc là {_COLLECTIVE[piece]}')
                    continue
                self._fuzzy(piece, original(piece, phrase), out)
        if out.unknown and out.confidence == CERTAIN:
            out.confidence = GUESSED
        if back_note:
            out.notes.append(back_note)
            if not sure:
                out.confidence = GUESSED
        if any(c.startswith("@") for c in out.codes) and any(_listed_with(u, phrase) for u in out.unnamed):
            # "Các sở, ban, ngành, địa phương, đơn vị liên quan": does "liên quan" narrow the groups too?
            out.confidence = GUESSED
            out.notes.append("“liên quan” có thể chỉ một phần các nhóm cơ quan nêu trong câu: Tổ giúp việc xem lại")
        if not out.codes and not out.unnamed:
            out.confidence = NOT_FOUND
        return out

    def _add(self, out: Resolution, code: str) -> None:
        if code not in out.codes:
            out.codes.append(code)

    def _fuzzy(self, piece: str, words: str, out: Resolution) -> None:
        """``piece`` (a key) matched fuzzily; ``words``: the document's own, quoted in what is said."""
        best = process.extractOne(piece, self._by_length, scorer=fuzz.ratio, score_cutoff=_FUZZY_MIN)
        if best is None:
            out.unknown.append(words)
            return
        self._add(out, self.names[best[0]])
        out.confidence = GUESSED
        out.notes.append(f'"{words}" ≈ "{best[0]}" ({best[1]:.0f}%)')


# how name_key spells what a document may write otherwise: a key's word and the words it stands for
# and the words a bare name's blank (:func:`_blank`, " ~ ") took out: quoted as the document has them
_BLANKED = r"\w+(?:\s+\w+)*?"
_SPELLED_AS = {"ubnd": r"(?:ubnd|ủy\s+ban\s+nhân\s+dân)", "và": r"(?:và|&)", "~": _BLANKED}


def original(piece: str, phrase: str) -> str:
    """The words of ``phrase`` that ``piece`` (a part of its :func:`name_key`: case folded, hyphens
    and dots read as spaces) stands for, as the document writes them ("Quyết định số 1439/QĐ-UBND",
    not "quyết định số 1439/qđ ubnd"); ``piece`` itself if they cannot be found."""
    words = [_SPELLED_AS.get(w, re.escape(w)) for w in piece.split()]
    if words and words[-1] == _BLANKED:  # the last words blanked: up to the phrase's next part
        words[-1] = r"\w+(?:\s+(?!và\b)\w+)*"
    if not words:
        return piece
    pattern = r"(?:[\s.\-–]|thủ trưởng|chủ tịch)+".join(words)
    pattern = (r"(?<!\w)" if piece[0].isalnum() else "") + pattern + (r"(?!\w)" if piece[-1].isalnum() else "")
    found = re.search(pattern, unicodedata.normalize("NFC", phrase), re.I)
    return found.group(0) if found else piece


def _first_line(exc: Exception) -> str:
    """What went wrong, on one line: a missing file, the YAML parser's problem and its place, or the
    first field the schema refused."""
    if isinstance(exc, OSError):
        return "không có tệp hoặc không mở được"
    if isinstance(exc, ValidationError):
        where = ".".join(str(p) for p in exc.errors()[0]["loc"])
        return f"trường {where} không hợp lệ" if where else "tệp rỗng hoặc không đúng cấu trúc"
    mark = getattr(exc, "problem_mark", None)
    where = f" (dòng {mark.line + 1}, cột {mark.column + 1})" if mark is not None else ""
    return f"YAML sai cú pháp{where}"


def _listed_with(unnamed: str, phrase: str) -> bool:
    """Whether a "… liên quan" phrase closes the comma list it stands in ("Các sở, ban, ngành, địa
    phương, đơn vị liên quan": does it narrow the groups before it too?), not a part of its own ("…
    và các cơ quan, đơn vị liên quan", "…, thành phố và cơ quan liên quan")."""
    at = phrase.casefold().find(unnamed.casefold())
    return "liên quan" in unnamed.casefold() and at > 0 and phrase[:at].rstrip().endswith(",")


def _blank(names: list[tuple[int, int]], match: re.Match[str]) -> str:
    """A bare name's words blanked, unless they lie inside one of ``names``, longer than themselves."""
    a, b = match.span()
    if any(start <= a and b <= end and end - start > b - a for start, end in names):
        return match.group(0)
    return " ~ "
