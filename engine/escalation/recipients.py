"""Who a rule's recipient names resolve to, loaded once per sweep; the committee's addresses."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from dondoc.engine.actors import AGENCY_RECIPIENTS, COMMITTEE_RECIPIENTS, Recipient
from dondoc.engine.models import Agency, Assignment, CommitteeMember, Role


@dataclass(frozen=True)
class Person:
    key: str  # agency code or committee recipient (engine.actors.Recipient): part of the dedupe key
    email: str
    name: str | None


def committee_addresses(session: Session) -> dict[Recipient, Person]:
    """Who the secretariat, the vice-chair and the chair are and where they are mailed: per
    seat, the first roster row (committee_member) with an email. The sweep, the digests and
    the periodic report all ask here."""
    rows = session.exec(
        select(CommitteeMember)
        .where(col(CommitteeMember.role).in_([r.value for r in COMMITTEE_RECIPIENTS]))
        .where(col(CommitteeMember.email).is_not(None))
        .order_by(col(CommitteeMember.id))
    )
    found: dict[Recipient, Person] = {}
    for member in rows:
        recipient = Recipient(member.role)
        if recipient not in found and member.email:
            found[recipient] = Person(recipient.value, member.email, member.name or member.title)
    return found


class Directory:
    """Agencies' and the committee's mailboxes; leads per milestone, fetched on demand."""

    def __init__(self, session: Session) -> None:
        self.session = session
        agencies = session.exec(select(Agency.id, Agency.code, Agency.email, Agency.name))
        self._people = {agency_id: Person(code, email, name) for agency_id, code, email, name in agencies if email}
        self.committee = committee_addresses(session)
        self._leads: dict[int, list[int]] = {}

    def agency(self, agency_id: int) -> Person | None:
        return self._people.get(agency_id)

    def preload_leads(self, milestone_ids: set[int]) -> None:
        """Fetch the lead agencies of many milestones at once (not one query per row)."""
        wanted = sorted(milestone_ids - self._leads.keys())
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            for milestone_id in chunk:
                self._leads[milestone_id] = []
            statement = select(Assignment.milestone_id, Assignment.agency_id).where(
                col(Assignment.milestone_id).in_(chunk), Assignment.role == Role.LEAD.value
            )
            for milestone_id, agency_id in self.session.exec(statement):
                self._leads[milestone_id].append(agency_id)

    def leads(self, milestone_id: int) -> list[int]:
        if milestone_id not in self._leads:
            self.preload_leads({milestone_id})
        return self._leads[milestone_id]

    def resolve(self, recipient: str, agency_id: int, milestone_id: int) -> list[Person]:
        """``agency``/``partner``: the assignment's agency; ``lead``: other lead agencies."""
        if recipient == Recipient.LEAD:
            return [p for lead in self.leads(milestone_id) if lead != agency_id and (p := self.agency(lead))]
        if recipient in AGENCY_RECIPIENTS:
            person = self.agency(agency_id)
            return [person] if person else []
        person = self.committee.get(Recipient(recipient))
        return [person] if person else []
