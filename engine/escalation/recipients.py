"""Who a rule's recipient names resolve to, loaded once per sweep; the committee's addresses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from sqlalchemy import Date, bindparam, or_
from sqlmodel import Session, col, select

from dondoc.engine.actors import AGENCY_RECIPIENTS, COMMITTEE_RECIPIENTS, RECIPIENT_LABELS_VI, Recipient
from dondoc.engine.db import id_batches, plain
from dondoc.engine.models import Agency, Assignment, CommitteeMember, Role, Succession


@dataclass(frozen=True)
class Person:
    key: str  # agency code or committee recipient (engine.actors.Recipient): part of the dedupe key
    email: str
    name: str | None

    @property
    def heard_as(self) -> str:
        """The mailbox a step counts this one by (engine.escalation.hearing): its address; a body with
        none (:func:`unaddressed`), the body itself: two such bodies are two, each told in words that it
        was not reached."""
        return self.email or f"no-address:{self.key}"


# What a mail to a body with no address in the catalog is, written as failed (the secretariat's "Thư gửi
# lỗi"): it reached nobody, and the two ways on (notifications.failed: "Gửi lại", "Đánh dấu đã xử lý").
UNREACHED_WORDS = (
    "thư chưa đến được ai; bổ sung địa chỉ thư của cơ quan trong danh mục rồi gửi lại, "
    "hoặc báo trực tiếp cho cơ quan và đánh dấu đã xử lý"
)


def no_address_words(name: str) -> str:
    """Why a mail to the body ``name`` goes nowhere: it has no address in the catalog."""
    return f"{name} chưa có địa chỉ thư trong danh mục"


# The same of a committee seat nobody holds with an address on the day (the roster: committee_member).
SEAT_UNREACHED_WORDS = (
    "thư chưa đến được ai; bổ sung địa chỉ thư của người giữ vị trí trong danh sách Ban Chỉ đạo rồi gửi lại, "
    "hoặc báo trực tiếp và đánh dấu đã xử lý"
)


def unreached_words(recipient_role: str, name: str) -> str:
    """The error line of a mail written to nobody: a body's with no address in the catalog, or a
    committee seat's that nobody holds with an address on the day."""
    if recipient_role in {r.value for r in COMMITTEE_RECIPIENTS}:
        return f"{name} chưa có địa chỉ thư trong danh sách Ban Chỉ đạo: {SEAT_UNREACHED_WORDS}"
    return f"{no_address_words(name)}: {UNREACHED_WORDS}"


def unaddressed(code: str, name: str) -> Person:
    """The mailbox of a body with no address: none (its mail is written failed, in words that say so)."""
    return Person(code, "", name)


def body_mailbox(code: str, email: str | None, name: str) -> Person:
    """The mailbox of the catalog's body ``code``: its address, else none (:func:`unaddressed`)."""
    return Person(code, email, name) if email else unaddressed(code, name)


def unheld(seat: str) -> Person:
    """The mailbox of a committee seat nobody holds with an address on the day: none (its mail is written
    failed, in words that say so: :func:`unreached_words`, to be sent once the roster has the address)."""
    return Person(seat, "", RECIPIENT_LABELS_VI[seat])


def seat_mailbox(committee: dict[Recipient, Person], seat: Recipient) -> Person:
    """Where a mail to ``seat`` goes: its holder's mailbox on the day (``committee``:
    :func:`committee_addresses`), else :func:`unheld`. The one rule for every mail to a seat: the
    sweep's ladder and its digests, the periodic report, the requests between people."""
    return committee.get(seat) or unheld(seat.value)


def committee_addresses(session: Session, day: date) -> dict[Recipient, Person]:
    """Who the secretariat, the vice-chair and the chair are on ``day`` and where they are mailed:
    per seat, the first roster row (committee_member) held that day with an email (the roster is
    dated: an escalation goes to whoever holds the seat on the day it is decided). The sweep, the
    digests and the periodic report all ask here."""
    rows = session.exec(_seats_held_on(day).where(col(CommitteeMember.email).is_not(None)))
    found: dict[Recipient, Person] = {}
    for member in rows:
        recipient = Recipient(member.role)
        if recipient not in found and member.email:
            found[recipient] = Person(recipient.value, member.email, member.name or member.title)
    return found


COMMITTEE_KIND = "bcd"  # the directory's kind of the steering committees and their working group


def committee_name_on(session: Session, day: date) -> str | None:
    """The name of the steering committee that exists on ``day``: of the bodies of kind "bcd" the
    catalog dates (``valid_from``: the working group and the 2018 committee carry no dates), the one
    valid that day, the latest started (bcd-cds until 28/02/2025, then the merged bcd-khcn-cds, whose
    date a succession set); None before any."""
    statement = (
        select(col(Agency.name))
        .where(col(Agency.kind) == COMMITTEE_KIND, col(Agency.valid_from).is_not(None), col(Agency.valid_from) <= day)
        .where(or_(col(Agency.valid_to).is_(None), col(Agency.valid_to) >= day))
        .order_by(col(Agency.valid_from).desc(), col(Agency.id).desc())
    )
    return session.exec(statement).first()


def _seats_held_on(day: date) -> Any:
    """The roster rows of the committee's seats held on ``day``, in roster order."""
    return (
        select(CommitteeMember)
        .where(col(CommitteeMember.role).in_([r.value for r in COMMITTEE_RECIPIENTS]))
        .where(or_(col(CommitteeMember.valid_from).is_(None), col(CommitteeMember.valid_from) <= day))
        .where(or_(col(CommitteeMember.valid_to).is_(None), col(CommitteeMember.valid_to) >= day))
        .order_by(col(CommitteeMember.id))
    )


def secretariat_agency_id(session: Session, day: date) -> int | None:
    """The agency that is the committee's standing agency (the secretariat) on ``day``, as the
    dated roster says: the body that owes the committee's own periodic report that day."""
    for member in session.exec(_seats_held_on(day).where(CommitteeMember.role == Recipient.SECRETARIAT.value)):
        if member.agency_id is not None:
            return int(member.agency_id)
    return None


def ended_agencies(session: Session, day: date) -> set[int]:
    """The agencies that no longer exist on ``day``: ended by a succession, or by their own validity
    (``valid_to`` before it: UBND Tây Trà, merged into Trà Bồng in 2020, recorded as a validity
    only). They hear nothing more: a mail to a body that is no more reaches nobody, and their open
    work is the secretariat's to decide (passed on, waiting in "Cần phân công lại", or still held)."""
    successions, ended = _ended_statements()
    codes = sorted({c for (from_codes,) in plain(session, successions, {"day": day}) for c in from_codes})
    return {agency_id for (agency_id,) in plain(session, ended, {"day": day, "codes": codes})}


@cache
def _ended_statements() -> tuple[Any, Any]:
    """:func:`ended_agencies`'s two statements, built once (plain columns on the session's connection:
    read on every page of a queue, where the ORM's statement and result cost ~0.2 ms each)."""
    day = bindparam("day", type_=Date())
    successions = select(col(Succession.from_codes)).where(col(Succession.effective_on) <= day)
    ended = select(col(Agency.id)).where(
        or_(col(Agency.valid_to) < day, col(Agency.code).in_(bindparam("codes", expanding=True)))
    )
    return successions, ended


def agency_mailbox(body: Person, agency_id: int, gone: set[int], committee: dict[Recipient, Person]) -> Person:
    """Where a mail to the agency ``agency_id`` goes: its own mailbox (``body``, :func:`body_mailbox`:
    none when the catalog has no address for it), or, once it has ended (``gone``: ended_agencies),
    the secretariat's seat, who owns the decision on its open work (:func:`seat_mailbox`: none when
    nobody holds the seat with an address that day). Never nobody: a mailbox with no address has its
    mail written failed, in words that say whose address is missing (notifications.outbox.insert), and
    sent from "Thư gửi lỗi" once it is in. The one rule for every mail to an agency: the sweep's ladder
    (:class:`Directory`), the requests between people, a failed mail sent again (notifications.addressee).
    A mail to a body that had ended while the seat had no address had been dropped without a word."""
    if agency_id in gone:
        return seat_mailbox(committee, Recipient.SECRETARIAT)
    return body


class Directory:
    """Agencies' and the committee's mailboxes on one day; leads per milestone, fetched on demand."""

    def __init__(self, session: Session, day: date) -> None:
        self.session = session
        agencies = session.exec(select(Agency.id, Agency.code, Agency.email, Agency.name)).all()
        self._bodies = {agency_id: body_mailbox(code, email, name) for agency_id, code, email, name in agencies}
        self._ids = {code: agency_id or 0 for agency_id, code, _, _ in agencies}
        self._names = {agency_id: name for agency_id, _, _, name in agencies}
        self.committee = committee_addresses(session, day)
        self._gone = ended_agencies(session, day)
        self._leads: dict[int, list[int]] = {}

    def agency_id(self, code: str) -> int | None:
        """The id of the agency of ``code`` in the catalog, or None."""
        return self._ids.get(code)

    def agency_name(self, agency_id: int) -> str | None:
        return self._names.get(agency_id)

    def has_ended(self, agency_id: int) -> bool:
        return agency_id in self._gone

    def mailbox(self, recipient: str, agency_id: int | None = None) -> Person | None:
        """Where a mail for ``recipient`` goes on the directory's day: for an agency's role, the
        mailbox of the body ``agency_id`` by :func:`agency_mailbox`; for a seat, by
        :func:`seat_mailbox`. Either may have no address (the mail is written failed, in words). None
        only where the mail is for nobody at all: a lead that has ended (another body's news is no
        work of the secretariat's), or a body the catalog does not know."""
        if recipient not in AGENCY_RECIPIENTS:
            return seat_mailbox(self.committee, Recipient(recipient))
        body = self._bodies.get(agency_id) if agency_id is not None else None
        if body is None or agency_id is None or (recipient == Recipient.LEAD and agency_id in self._gone):
            return None
        return agency_mailbox(body, agency_id, self._gone, self.committee)

    def preload_leads(self, milestone_ids: set[int]) -> None:
        """Fetch the lead agencies of many milestones at once (not one query per row), each
        milestone's by name, as the assignment's page lists them (web.pages._leads_of): a partner's
        mail names them in that order, and had named whichever lead the database gave first."""
        for chunk in id_batches(milestone_ids - self._leads.keys()):
            for milestone_id in chunk:
                self._leads[milestone_id] = []
            statement = (
                select(Assignment.milestone_id, Assignment.agency_id)
                .join(Agency, col(Agency.id) == col(Assignment.agency_id))
                .where(col(Assignment.milestone_id).in_(chunk), Assignment.role == Role.LEAD.value)
                .order_by(col(Agency.name), col(Agency.id))
            )
            for milestone_id, agency_id in self.session.exec(statement):
                self._leads[milestone_id].append(agency_id)

    def leads(self, milestone_id: int) -> list[int]:
        if milestone_id not in self._leads:
            self.preload_leads({milestone_id})
        return self._leads[milestone_id]

    def resolve(self, recipient: str, agency_id: int, milestone_id: int) -> list[Person]:
        """``agency``/``partner``: the assignment's agency; ``lead``: other lead agencies; a seat: its
        holder. Each by :meth:`mailbox`: an agency that has ended is never written to (its work waits
        for the secretariat's decision, so the secretariat hears in its place); a body with no address
        in the catalog, or a seat nobody holds with one that day, is resolved all the same, with none:
        its mail (a seat's: the digest its row is held for) is written failed, in words, where the
        secretariat sees it (notifications.outbox.insert); it had been decided for nobody, the body
        never told of its new work, its reminders, "chưa tiếp nhận" or its lateness, no leader told of
        the lateness, and nobody told that they were not."""
        if recipient == Recipient.LEAD:
            leads = [lead for lead in self.leads(milestone_id) if lead != agency_id]
            return [p for lead in leads if (p := self.mailbox(recipient, lead))]
        person = self.mailbox(recipient, agency_id)
        return [person] if person else []
