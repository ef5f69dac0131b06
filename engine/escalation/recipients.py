"""Who a rule's recipient names resolve to, loaded once per sweep."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from engine.models import Agency, Assignment, CommitteeMember, CommitteeRole, Role

_COMMITTEE = {
    "secretariat": CommitteeRole.SECRETARIAT,
    "vice_chair": CommitteeRole.STANDING_VICE_CHAIR,
    "chair": CommitteeRole.CHAIR,
}


@dataclass(frozen=True)
class Person:
    key: str  # agency code or committee role: part of the dedupe key
    email: str
    name: str | None


class Directory:
    """Agencies' and the committee's mailboxes; leads per milestone, fetched on demand."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.agencies = {a.id: a for a in session.exec(select(Agency))}
        self.committee: dict[str, Person] = {}
        for member in session.exec(select(CommitteeMember)):
            for name, role in _COMMITTEE.items():
                if member.role == role and member.email:
                    self.committee[name] = Person(name, member.email, member.name or member.title)
        self._leads: dict[int, list[int]] = {}

    def agency(self, agency_id: int) -> Person | None:
        agency = self.agencies.get(agency_id)
        if agency is None or not agency.email:
            return None
        return Person(agency.code, agency.email, agency.name)

    def leads(self, milestone_id: int) -> list[int]:
        if milestone_id not in self._leads:
            statement = select(Assignment.agency_id).where(
                Assignment.milestone_id == milestone_id, Assignment.role == Role.LEAD.value
            )
            self._leads[milestone_id] = list(self.session.exec(statement))
        return self._leads[milestone_id]

    def resolve(self, recipient: str, agency_id: int, milestone_id: int) -> list[Person]:
        """``agency``/``partner``: the assignment's agency; ``lead``: other lead agencies."""
        if recipient in ("agency", "partner"):
            person = self.agency(agency_id)
            return [person] if person else []
        if recipient == "lead":
            return [p for lead in self.leads(milestone_id) if lead != agency_id and (p := self.agency(lead))]
        person = self.committee.get(recipient)
        return [person] if person else []
