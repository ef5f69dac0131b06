"""Notes beneath a document's quoted wording on the bodies it names that have ended since.

The catalog keeps each document's wording as written (an item's title and content), so a mail or
a page quoting it can ask the reader to act towards a body that no longer exists: 61/KH-UBND's
quarterly report is "gửi về Sở Thông tin và Truyền thông", which ended on 28/02/2025. Beneath the
quote, never inside it, each such body gets one note computed on the day it is read: when it ended
and how (successions.yaml), who does its work now (for a split, each successor with its functions;
for a dissolution, none: the secretariat decides), and, where the text sends something to it and it
was the committee's standing agency, who holds that seat that day (the roster). The one function
the mails (notifications.context) and the pages (web.pages) read: :func:`ended_name_notes`.

The bodies are found by the catalog's names and aliases (tasks_catalog.names, the importer's index),
as a body's name is written in prose: a name that begins as an official body's does ("Sở …", "UBND
…"; not "Bình Sơn", "STTTT") and is written with its capital. What has ended is read once per
session and day (mails are rendered in batches) and each text's notes once; a catalog load, the one
writer of agencies, successions and the roster, forgets them (:func:`forget_ended_names`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

from sqlalchemy import select as core_select
from sqlmodel import Session, col, select

from dondoc.engine.actors import Recipient
from dondoc.engine.db import plain
from dondoc.engine.escalation.recipients import ended_agencies, secretariat_agency_id
from dondoc.engine.models import Agency, AgencyGroup, CommitteeMember, Succession
from dondoc.engine.services.successions import KIND_LABELS_VI
from dondoc.engine.vi_format import vn_date
from dondoc.tasks_catalog.names import OFFICIAL_START, NameIndex

NOTE = "Ghi chú:"  # how each note begins, on every surface
_CACHE = "dondoc.ended_names"  # the session.info key of the day's EndedNames
WHO_DECIDES = "Tổ giúp việc quyết định cơ quan nhận nhiệm vụ của cơ quan này"
# the name is where something is sent: "gửi (về) Sở …", "báo cáo Sở …", or "… về/cho Sở …" after a
# verb of sending in the same clause ("gửi báo cáo về Sở …")
_SEND = r"gửi|nộp|chuyển|báo cáo"
_TO = r"về|cho|đến|tới|lên"
_SENT_TO = re.compile(rf"(?:\b(?:{_SEND})(?:\s+(?:{_TO}))?|\b(?:{_TO}))\s*$", re.I)
_SENDING = re.compile(rf"\b(?:{_SEND})\b", re.I)
_CLAUSE = re.compile(r"[,;:()]")


@dataclass(frozen=True)
class _Body:
    id: int
    code: str
    name: str
    valid_from: date | None
    valid_to: date | None


@dataclass(frozen=True)
class _Ending:
    """How a body ended: the first succession that names it, or only its validity."""

    on: date  # its first day gone
    kind: str | None  # a succession's kind; None: ended by its validity alone
    successors: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (code, functions)


@dataclass
class EndedNames:
    """The bodies ended on ``day`` and what the notes say of each; the notes of each text read."""

    day: date
    index: NameIndex | None = None  # None: nothing has ended that day
    bodies: dict[str, _Body] = field(default_factory=dict)  # every agency by code
    gone: frozenset[str] = frozenset()  # the codes ended on ``day``
    endings: dict[str, _Ending] = field(default_factory=dict)
    was_standing: frozenset[str] = frozenset()  # bodies that held the standing agency's seat
    standing: str | None = None  # the name of the standing agency on ``day``
    _notes: dict[tuple[tuple[str, ...], date | None], list[str]] = field(default_factory=dict)

    def notes(self, texts: Sequence[str | None], written_on: date | None = None) -> list[str]:
        """One note per ended body ``texts`` name, in the order first named (a document written
        on or after a body's end, ``written_on``, cannot mean it)."""
        if self.index is None:
            return []
        key = (tuple(t or "" for t in texts), written_on)
        if key not in self._notes:
            self._notes[key] = self._compose(key[0], written_on)
        return self._notes[key]

    def _compose(self, texts: tuple[str, ...], written_on: date | None) -> list[str]:
        assert self.index is not None
        named: dict[str, bool] = {}  # code → whether something is sent to it
        for text in texts:
            for code, match in self.index.bodies_in(text):
                if code in self.gone and self._meant(code, written_on):
                    named[code] = named.get(code, False) or _sent_to(match.string[: match.start()])
        notes: list[str] = []
        told: set[str] = set()
        for code, sent in named.items():
            self._tell(code, sent, notes, told)
        return notes

    def _meant(self, code: str, written_on: date | None) -> bool:
        """Whether a document written on ``written_on`` can mean the body ``code`` by its name: it
        existed that day ("Ban Chỉ đạo" in a plan of 2019 is the committee of then, not the one set
        up in 2021 that the catalog's alias names)."""
        if written_on is None:
            return True
        since = self.bodies[code].valid_from
        return (since is None or since <= written_on) and written_on < self.endings[code].on

    def _tell(self, code: str, sent: bool, notes: list[str], told: set[str]) -> None:
        """The note on ``code``, then on each of its successors that has ended too."""
        if code in told:
            return
        told.add(code)
        body, ending = self.bodies[code], self.endings[code]
        said = f"{NOTE} {body.name} không còn từ ngày {vn_date(ending.on)}"
        if ending.kind is None:
            said += f"; danh mục không ghi cơ quan kế nhiệm: {WHO_DECIDES}"
        elif ending.kind == "dissolve" or not ending.successors:
            said += f" (giải thể); không có cơ quan kế nhiệm cùng loại: {WHO_DECIDES}"
        else:
            by = _listed([self._successor(c, functions) for c, functions in ending.successors])
            said += f" ({KIND_LABELS_VI[ending.kind]}); nhiệm vụ của cơ quan này nay do {by} đảm nhận"
        if sent and code in self.was_standing and self.standing:
            said += f"; báo cáo, văn bản gửi {body.name} nay gửi {self.standing} (Cơ quan Thường trực Ban Chỉ đạo)"
        notes.append(said + ".")
        for successor, _ in ending.successors:  # what is sent to the body goes where its note says
            if successor in self.gone:
                self._tell(successor, False, notes, told)

    def _successor(self, code: str, functions: tuple[str, ...]) -> str:
        name = self.bodies[code].name if code in self.bodies else code
        return f"{name} ({'; '.join(functions)})" if functions else name


def ended_name_notes(
    session: Session, day: date, texts: Sequence[str | None], written_on: date | None = None
) -> list[str]:
    """The notes to write beneath ``texts`` (a document's wording, quoted) read on ``day``, one per
    body they name that has ended by then (the text as written, never changed: the notes say the
    rest). ``written_on``: the document's issue day, when known."""
    return ended_names(session, day).notes(texts, written_on)


def ended_names(session: Session, day: date) -> EndedNames:
    """What has ended on ``day``, read once per session and day."""
    held = session.info.get(_CACHE)
    if not isinstance(held, EndedNames) or held.day != day:
        held = _read(session, day)
        session.info[_CACHE] = held
    return held


def forget_ended_names(session: Session) -> None:
    """Read again what has ended, next time: the catalog's agencies, successions or roster changed."""
    session.info.pop(_CACHE, None)


def _read(session: Session, day: date) -> EndedNames:
    gone_ids = ended_agencies(session, day)
    if not gone_ids:  # most days of most years: two small reads, nothing else
        return EndedNames(day)
    columns = (Agency.id, Agency.code, Agency.name, Agency.short, Agency.aliases, Agency.valid_from, Agency.valid_to)
    rows = plain(session, core_select(*(col(c) for c in columns)).order_by(col(Agency.id))).all()
    groups = session.exec(select(AgencyGroup.code, AgencyGroup.name, AgencyGroup.aliases).order_by(col(AgencyGroup.id)))
    named = [(n, code) for _, code, name, short, aliases, _, _ in rows for n in (name, short, *(aliases or ()))]
    named += [(n, f"@{code}") for code, name, aliases in groups for n in (name, *(aliases or ()))]
    bodies = {row[1]: _Body(row[0] or 0, row[1], row[2], row[5], row[6]) for row in rows}
    gone = frozenset(b.code for b in bodies.values() if b.id in gone_ids)
    endings: dict[str, _Ending] = {}
    for succession in session.exec(
        select(Succession)
        .where(col(Succession.effective_on) <= day)
        .order_by(col(Succession.effective_on), col(Succession.id))
    ):
        successors = tuple((s["agency"], tuple(s.get("functions") or ())) for s in succession.successors)
        for code in succession.from_codes:
            endings.setdefault(code, _Ending(succession.effective_on, succession.kind, successors))
    for code in gone - endings.keys():  # ended by its own validity, no succession recorded
        valid_to = bodies[code].valid_to
        endings[code] = _Ending(valid_to + timedelta(days=1) if valid_to else day, None)
    seats = session.exec(
        select(CommitteeMember.agency_id).where(
            CommitteeMember.role == Recipient.SECRETARIAT.value, col(CommitteeMember.agency_id).is_not(None)
        )
    ).all()
    by_id = {b.id: b for b in bodies.values()}
    standing = secretariat_agency_id(session, day)
    return EndedNames(
        day,
        index=_prose_index(tuple(named)),
        bodies=bodies,
        gone=gone,
        endings=endings,
        was_standing=frozenset(by_id[s].code for s in seats if s in by_id),
        standing=by_id[standing].name if standing in by_id and standing not in gone_ids else None,
    )


@lru_cache(maxsize=4)
def _prose_index(named: tuple[tuple[str, str], ...]) -> NameIndex:
    """The index of the names a body is written by in prose (an official body's: OFFICIAL_START),
    built once per directory."""
    return NameIndex((name, code) for name, code in named if OFFICIAL_START.match(name))


def _sent_to(before: str) -> bool:
    """Whether the words before a name send something to it (in the same clause)."""
    clause = _CLAUSE.split(before)[-1]
    return _SENT_TO.search(clause) is not None and _SENDING.search(clause) is not None


def _listed(names: list[str]) -> str:
    """ "A", "A và B", "A, B và C"."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " và " + names[-1]
