"""A proposed item or reporting duty, each field with where it was read and how sure the reading is."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

CERTAIN, GUESSED, NOT_FOUND = "chắc chắn", "đoán", "không tìm thấy"


@dataclass
class Trace:
    ref: str
    confidence: str
    note: str = ""


@dataclass
class Proposal:
    """One item (``kind="item"``) of the draft: catalog fields plus a trace per field."""

    section: str
    title: str
    content: str
    ref: str
    roles_as_written: dict[str, str] = field(default_factory=dict)
    lead: list[str] = field(default_factory=list)
    implementers: list[str] = field(default_factory=list)
    partners: list[str] = field(default_factory=list)
    unnamed: list[dict[str, str]] = field(default_factory=list)
    deadline: str | None = None
    precondition: str | None = None  # a condition the text sets next to the date ("Khi có hướng dẫn của Bộ …")
    milestones: list[dict[str, Any]] = field(default_factory=list)  # label, deadline; priority where the text flags it
    done_at_issue: bool = False
    priority: bool = False
    indicators: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    trace: dict[str, Trace] = field(default_factory=dict)

    def mark(self, name: str, ref: str, confidence: str, note: str = "") -> None:
        self.trace[name] = Trace(ref, confidence, note)


@dataclass
class ReportProposal:
    section: str
    content: str
    ref: str
    reporters: list[str]
    recipient: str | None
    period: str
    deadline: str | None
    trace: dict[str, Trace] = field(default_factory=dict)
