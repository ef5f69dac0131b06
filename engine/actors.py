"""Who acts and who hears: agencies, the secretariat, the committee's two leaders, the system.

One vocabulary for all of it. The standing vice-chair (Phó Trưởng ban Thường trực) is
``vice-chair`` and the chair (Trưởng Ban Chỉ đạo) is ``chair``: on the command line
(``--as vice-chair``, ``dondoc links issue vice-chair``, ``dondoc tokens create --role vice-chair``),
in the policy and catalog YAML, and in every stored value (actors in the history, API token
roles, link subjects ``leader:vice-chair``, roster roles, outbox recipient roles, dedupe keys).
Rows written before migration 0007 spelled the vice-chair ``vice_chair`` or
``standing_vice_chair``; :func:`fold` still reads those spellings on input (YAML files, a link
or token made by hand), and nothing writes them.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from dondoc.engine.errors import InvalidInput


class Leader(StrEnum):
    """The committee's leaders: they read the board and get escalations in a daily digest."""

    CHAIR = "chair"
    VICE_CHAIR = "vice-chair"

    @property
    def subject(self) -> str:
        """The subject of this leader's signed links (engine.links)."""
        return f"leader:{self.value}"

    @classmethod
    def from_subject(cls, subject: str) -> Leader | None:
        """The leader a link subject names (an older spelling folded), or None."""
        prefix, _, name = fold(subject).partition(":")
        return next((leader for leader in cls if prefix == "leader" and name == leader.value), None)


class Recipient(StrEnum):
    """Whom a policy rule, and the outbox row it makes, is addressed to."""

    AGENCY = "agency"  # the assignment's agency
    LEAD = "lead"  # the item's lead agency, if another
    PARTNER = "partner"  # a partner of the item (trigger partner_input)
    SECRETARIAT = "secretariat"
    VICE_CHAIR = Leader.VICE_CHAIR.value
    CHAIR = Leader.CHAIR.value


AGENCY_RECIPIENTS = frozenset({Recipient.AGENCY, Recipient.LEAD, Recipient.PARTNER})
LEADER_RECIPIENTS = frozenset(Recipient(leader.value) for leader in Leader)
COMMITTEE_RECIPIENTS = (Recipient.SECRETARIAT, Recipient.VICE_CHAIR, Recipient.CHAIR)  # seats on the roster

# How a mail and a page name each recipient (shown to users: Vietnamese).
RECIPIENT_LABELS_VI: dict[str, str] = {
    Recipient.AGENCY: "cơ quan được giao",
    Recipient.LEAD: "cơ quan chủ trì",
    Recipient.PARTNER: "cơ quan phối hợp",
    Recipient.SECRETARIAT: "Tổ giúp việc",
    Recipient.VICE_CHAIR: "Phó Trưởng ban Thường trực",
    Recipient.CHAIR: "Trưởng Ban Chỉ đạo",
}

# Older spellings of the vice-chair, read on input only (see the module's docstring).
OLD_SPELLINGS: dict[str, str] = {"vice_chair": Leader.VICE_CHAIR.value, "standing_vice_chair": Leader.VICE_CHAIR.value}


def fold(text: str) -> str:
    """``text`` with an older spelling of a role in its last ``:``-part replaced by the one
    spelling (``vice_chair`` → ``vice-chair``, ``leader:vice_chair`` → ``leader:vice-chair``);
    anything else unchanged."""
    head, colon, name = text.rpartition(":")
    return head + colon + OLD_SPELLINGS.get(name, name)


class ActorKind(StrEnum):
    AGENCY = "agency"
    SECRETARIAT = "secretariat"
    VICE_CHAIR = Leader.VICE_CHAIR.value
    CHAIR = Leader.CHAIR.value
    SYSTEM = "system"


LEADERS = frozenset(ActorKind(leader.value) for leader in Leader)  # actors who read, and may ask for an explanation


@dataclass(frozen=True)
class Actor:
    kind: ActorKind
    agency_code: str | None = None

    @classmethod
    def parse(cls, text: str) -> Actor:
        """``secretariat``, ``vice-chair``, ``chair``, ``system``, or an agency code."""
        value = fold(text.strip().lower())
        if not value:
            raise InvalidInput("Cần nêu người thực hiện: mã cơ quan, secretariat, vice-chair hoặc chair")
        for kind in ActorKind:
            if kind is not ActorKind.AGENCY and value == kind.value:
                return cls(kind)
        return cls(ActorKind.AGENCY, value)

    @classmethod
    def agency(cls, code: str) -> Actor:
        return cls(ActorKind.AGENCY, code)

    @property
    def label(self) -> str:
        """How the actor is written in the history."""
        return self.agency_code if self.kind is ActorKind.AGENCY and self.agency_code else self.kind.value


SECRETARIAT = Actor(ActorKind.SECRETARIAT)
SYSTEM = Actor(ActorKind.SYSTEM)
