"""Who a mail in the outbox is for, and where that one is mailed on a given day.

A row keeps the address it was written to, but not only that: its role (engine.actors.Recipient),
and for a body the body itself (``data["recipient_agency"]`` of the sweep's and the successions'
mails; a request mail's lead in its key; else the agency of the assignment it is about). A mail that
failed, most often for a wrong or dead address the secretariat then corrects in the catalog, is sent
again to that body's or seat's mailbox on the day it leaves, as the directory of that day resolves it
(engine.escalation.recipients.Directory.mailbox: a body that has ended is the secretariat's to answer
for), never to the address that failed (notifications.failed.resend).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import update
from sqlmodel import Session, col

from dondoc.engine.actors import AGENCY_RECIPIENTS, RECIPIENT_LABELS_VI, Recipient
from dondoc.engine.escalation.recipients import Directory, Person, no_address_words
from dondoc.engine.models import Assignment, Notification, NotificationStatus
from dondoc.engine.services.request_mails import in_place_refusal, lead_in_key, told_in_place_by_key
from dondoc.engine.settings import Settings
from dondoc.engine.vi_format import vn_date
from dondoc.notifications.outbox import MailSpec, rendered_columns

AGENCY_ROLES = frozenset(r.value for r in AGENCY_RECIPIENTS)
SEATS = frozenset(r.value for r in Recipient) - AGENCY_ROLES


@dataclass(frozen=True)
class Addressee:
    """Where a mail goes now: its role (an agency's mail goes to the secretariat, under its role,
    once the body has ended), the mailbox, and the body whose signed link it carries, if one."""

    role: str
    person: Person
    agency: str | None

    def differs(self, row: Any) -> bool:
        """Whether the row is written to another mailbox than this one (address, name or role)."""
        return (self.role, self.person.email, self.person.name) != (
            row.recipient_role,
            row.recipient_email,
            row.recipient_name,
        )


class NothingAsked(str):
    """Why a mail goes nowhere that asks nothing of anyone: the secretariat's own decision on a body
    that has ended (it would be told, in the body's place, what it decided itself), or a step the
    secretariat may not take in the body's place (engine.services.request_mails.in_place_refusal: an
    answer while the part waits for the body it names, a report sent back to be sent again; the body
    it names is told of the request, or of the return, then). Not sending it loses no
    request; any other reason (:func:`addressee`) leaves a mail somebody still needs."""


def addressee(session: Session, directory: Directory, row: Any, day: date, now: datetime) -> Addressee | str:
    """Where ``row`` goes on ``day`` (``directory``'s day, that of ``now``), or why it can go nowhere (a
    line in Vietnamese)."""
    role = row.recipient_role
    if role in SEATS:
        holder = directory.mailbox(role)
        if holder is None or not holder.email:
            return f"ngày {vn_date(day)} không có ai giữ vị trí {RECIPIENT_LABELS_VI[role]} có địa chỉ thư"
        return Addressee(role, holder, None)
    if role not in AGENCY_ROLES:
        return f'không rõ người nhận thư (vai trò "{role}")'
    agency_id = _agency_of(session, directory, row)
    if agency_id is None:
        return "không còn xác định được cơ quan nhận thư trong danh mục"
    name = directory.agency_name(agency_id) or "cơ quan nhận thư"
    # the mailbox every mail to the body is decided for (recipients.agency_mailbox), never an empty
    # address: a failed mail is sent again only to a mailbox that has one
    person = directory.mailbox(role, agency_id)
    if person is None:  # a lead that has ended: another body's news is no work of the secretariat's
        if directory.has_ended(agency_id):
            return f"{name} đã không còn, không còn nhận thư của cơ quan chủ trì"
        return "không còn xác định được cơ quan nhận thư trong danh mục"
    if not person.email:
        if directory.has_ended(agency_id):  # the secretariat's seat, who answers for it, has none
            return f"{name} đã không còn và ngày {vn_date(day)} Tổ giúp việc chưa có địa chỉ thư"
        return no_address_words(name)
    if person.key == Recipient.SECRETARIAT.value:  # the body has ended: the secretariat hears in its place,
        if not told_in_place_by_key(session, row.dedupe_key):  # but not of its own decision
            return NothingAsked(
                f"{name} đã không còn; thư báo quyết định của Tổ giúp việc không gửi lại cho chính Tổ giúp việc"
            )
        if (refused := in_place_refusal(session, row.kind, row.assignment_id, now)) is not None:
            return NothingAsked(
                f"{name} đã không còn; Tổ giúp việc không làm thay được việc thư đề nghị: {refused.rstrip('.')}"
            )
        return Addressee(Recipient.SECRETARIAT.value, person, None)
    return Addressee(role, person, person.key)


def _agency_of(session: Session, directory: Directory, row: Any) -> int | None:
    """The body ``row`` (a mail to an agency's role) is for."""
    code = row.data.get("recipient_agency") or lead_in_key(row.dedupe_key)
    if code:
        return directory.agency_id(str(code))
    if row.recipient_role == Recipient.LEAD.value or row.assignment_id is None:
        return None  # a lead is another body than the assignment's: only its code says which
    assignment = session.get(Assignment, row.assignment_id)
    return assignment.agency_id if assignment is not None else None


def readdress(session: Session, row: Notification, to: Addressee, *, now: datetime, settings: Settings) -> None:
    """Write ``row`` (pending again: being sent again) to ``to``, rendered anew for it at ``now`` (the
    salutation, the link, the headers); the delivery worker renders it again if it leaves on a later day."""
    spec = addressed(MailSpec.of_row(row, row.data), to)
    values = rendered_columns(session, spec, now=now, settings=settings)
    statement = (
        update(Notification)
        .where(col(Notification.id) == row.id, col(Notification.status) == NotificationStatus.PENDING.value)
        .values(**values, recipient_role=to.role)
    )
    session.execute(statement, execution_options={"synchronize_session": False})


def addressed(spec: MailSpec, to: Addressee) -> MailSpec:
    """``spec`` written to ``to``: its role and mailbox, and the body whose signed link it carries
    (``data["recipient_agency"]``, none for a seat: notifications.context.link_for)."""
    data: dict[str, Any] = {k: v for k, v in spec.data.items() if k != "recipient_agency"}
    if to.agency is not None:
        data["recipient_agency"] = to.agency
    return replace(
        spec, recipient_role=to.role, recipient_email=to.person.email, recipient_name=to.person.name, data=data
    )
