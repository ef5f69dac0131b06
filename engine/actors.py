"""Who acts: an agency (by code), the secretariat, a leader who may only read, or the system."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from dondoc.engine.errors import InvalidInput


class ActorKind(StrEnum):
    AGENCY = "agency"
    SECRETARIAT = "secretariat"
    VICE_CHAIR = "vice-chair"
    CHAIR = "chair"
    SYSTEM = "system"


LEADERS = frozenset({ActorKind.VICE_CHAIR, ActorKind.CHAIR})


@dataclass(frozen=True)
class Actor:
    kind: ActorKind
    agency_code: str | None = None

    @classmethod
    def parse(cls, text: str) -> Actor:
        """``secretariat``, ``vice-chair``, ``chair``, ``system``, or an agency code."""
        value = text.strip().lower()
        if not value:
            raise InvalidInput("an actor is required: an agency code, secretariat, vice-chair or chair")
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
