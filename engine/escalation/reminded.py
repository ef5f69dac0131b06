"""Whether the body that holds work has been reminded of it since a day: the one rule read by what
tells the leaders that the secretariat reminded the bodies ("Tổ giúp việc đã nhắc các cơ quan theo
quy định": the leaders' digest, the escalation mail).

Said of a body that received work from another after its date (a succession, or the secretariat
naming it for work left by a body that ended: engine.status.received_after_due). The ladder keeps its
position across a transfer, so its rungs to the body (the reminders before the date, the overdue
notice on the day after it) came before the body received the work and went to the body that held it
then: the 2025 replay told the chair, of Sở KH&CN's part received on 05/03/2025 and due 25/12/2024,
that the secretariat had reminded the bodies, when every reminder had gone to Sở TT&TT and Sở KH&CN
had only the mail telling it of the work it took over.

That mail tells the body, though, that the part is already late and by how many working days
(notifications.inherited; the secretariat's decision naming a body writes the same kind:
engine.services.request_mails): it is, for work received late, what the one notice "overdue at issue"
is for a plan issued after one of its own dates, the rung before a ladder counted from that day. So
three things are said of such a part (:class:`Heard`): its holder was reminded of it since it received
it (nothing more said); it was told of it by the transfer's mail only ("mới báo cơ quan khi chuyển giao …,
chưa nhắc lại"); it heard nothing of it ("chưa nhắc cơ quan kể từ ngày nhận chuyển giao"). The words say
"nhận chuyển giao", never "tiếp nhận": the product's "tiếp nhận" is a body acknowledging its work."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select as core_select
from sqlmodel import Session, col

from dondoc.engine.actors import Recipient
from dondoc.engine.clock import LocalDays
from dondoc.engine.db import id_batches
from dondoc.engine.escalation.hearing import HEARD_STATUSES
from dondoc.engine.escalation.policy import TRIGGERS, Trigger
from dondoc.engine.models import Agency, Assignment, Notification
from dondoc.engine.services.request_mails import REQUEST_MAIL_KINDS
from dondoc.engine.services.successions import INHERITED_KIND
from dondoc.engine.workflow import Action

# The mails that chase a body about its part (the ladder's rungs to it): not the notice of work given
# (Trigger.ASSIGNED), nor the secretariat's own rung on a report it has not verified; nor the mail
# telling a successor of the work it took over (RECEIPT_KINDS: read apart).
REMINDER_KINDS = frozenset(
    TRIGGERS[trigger].kind for trigger in Trigger if trigger not in (Trigger.ASSIGNED, Trigger.UNVERIFIED)
)
# The mails telling a body of the work it received: a succession's (one mail per body and succession,
# its parts in ``data["assignment_ids"]``) and the secretariat's decision naming it (one per part).
RECEIPT_KINDS = frozenset({INHERITED_KIND, REQUEST_MAIL_KINDS[Action.REASSIGN]})
AGENCY = Recipient.AGENCY.value


@dataclass(frozen=True)
class Heard:
    """What the holders of some parts heard of them since a day (:func:`heard_since`)."""

    reminded: frozenset[int] = frozenset()  # a mail of REMINDER_KINDS
    told_on: Mapping[int, date] = field(default_factory=dict)  # a mail of RECEIPT_KINDS: its first local day

    def told_only(self, assignment_id: int) -> date | None:
        """The day the receipt mail told its holder of the part, if nothing reminded it since."""
        return None if assignment_id in self.reminded else self.told_on.get(assignment_id)

    def nothing(self, assignment_id: int) -> bool:
        """Whether its holder heard nothing of the part since (neither reminded nor told on receipt)."""
        return assignment_id not in self.reminded and assignment_id not in self.told_on


def heard_since(session: Session, since: Mapping[int, date], tz: ZoneInfo) -> Heard:
    """Of the assignments of ``since`` (assignment id -> a local day), what their holder (the body that
    holds each now) heard of each on or after that day: a mail of REMINDER_KINDS about it, or one of
    RECEIPT_KINDS listing it, addressed to that body (the ``recipient_agency`` the sweep and the
    successions' mails write in their data; a decision's mail to a body's role, the body that holds its
    part: notifications.addressee), sent or waiting to be sent (hearing.HEARD_STATUSES: a failed
    or skipped mail told nobody). Statements a list (of 500 ids), not a row: the receipt mails of a
    succession name their parts in JSON, read in Python (a few rows a body and succession)."""
    if not since:
        return Heard()
    local = LocalDays(tz)
    earliest = local.start_of_day(min(since.values()))
    ids = sorted(since)
    holders: dict[int, str] = {}
    reminded: set[int] = set()
    told: dict[int, date] = {}

    def heard(assignment_id: int, kind: str, role: str, data: dict[str, Any] | None, day: date, about: bool) -> None:
        # the body a mail is for (notifications.addressee): the one its data names (the sweep's, the
        # successions'), else, for the decision's mail to a body's role about this part, its holder
        decision = about and kind in RECEIPT_KINDS and role == AGENCY
        body = (data or {}).get("recipient_agency") or (holders.get(assignment_id) if decision else None)
        if body != holders.get(assignment_id) or day < since[assignment_id]:
            return  # another body's (the one that held it before), or before its holder received it
        if kind in RECEIPT_KINDS:
            told[assignment_id] = min(day, told.get(assignment_id, day))
        else:
            reminded.add(assignment_id)

    mails = core_select(
        col(Notification.assignment_id),
        col(Notification.kind),
        col(Notification.recipient_role),
        col(Notification.created_at),
        col(Notification.data),
    ).where(col(Notification.status).in_(sorted(HEARD_STATUSES)), col(Notification.created_at) >= earliest)
    for chunk in id_batches(ids):
        holders.update(
            (int(i), code)
            for i, code in session.execute(
                core_select(col(Assignment.id), col(Agency.code))
                .join(Agency, col(Agency.id) == col(Assignment.agency_id))
                .where(col(Assignment.id).in_(chunk))
            )
        )
        # the rungs about each part, and the decisions naming its holder (one mail a part)
        about = mails.where(
            col(Notification.assignment_id).in_(chunk),
            col(Notification.kind).in_(sorted(REMINDER_KINDS | RECEIPT_KINDS)),
        )
        for assignment_id, kind, role, created_at, data in session.execute(about):
            heard(int(assignment_id), kind, role, data, local.local_date(created_at), True)
    # the successions' mails: one a body and succession, its parts named in its data
    listing = mails.where(col(Notification.assignment_id).is_(None), col(Notification.kind).in_(sorted(RECEIPT_KINDS)))
    for _, kind, role, created_at, data in session.execute(listing):
        for i in {int(i) for i in (data or {}).get("assignment_ids") or []} & since.keys():
            heard(i, kind, role, data, local.local_date(created_at), False)
    return Heard(frozenset(reminded), told)
