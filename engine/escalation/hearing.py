"""One mailbox hears a step once.

A step is the mails one decision writes about one piece of work: a rung of the ladder for an
assignment (or a plan's new work) on its anchor day (the sweep), or the mails of one event of a
request between people to a body and the committee's seats (engine.services.request_mails). When
two recipients of a step share a mailbox — a body and the secretariat (the Tổ giúp việc's agency is
a body too), two seats or two bodies at one address, a body that has ended and the secretariat that
answers for it — that mailbox gets one mail of the step: the first in the step's order.

The sweep and the request mails decide so (:class:`Hearers`); a failed mail sent again is not sent
to a mailbox that has had, or is to have, a mail of its step (notifications.heard).
"""

from __future__ import annotations

from collections.abc import Iterable

from dondoc.engine.models import NotificationStatus

# The rows of a step whose mailbox has heard it, or is to: sent; waiting to be sent; held for a
# digest (told in every digest while it is true). Not a failed mail, nor a skipped one: their
# mailbox heard nothing of them.
HEARD_STATUSES = frozenset(
    {NotificationStatus.SENT.value, NotificationStatus.PENDING.value, NotificationStatus.HELD.value}
)


def mailbox(email: str) -> str:
    """The mailbox an address reaches: addresses that differ only in case are one mailbox."""
    return email.casefold()


class Hearers:
    """The mailboxes a step has addressed so far, each with what addressed it (``by``)."""

    def __init__(self) -> None:
        self._heard: dict[str, object] = {}

    def first(self, email: str, by: object = True) -> bool:
        """Whether ``email``'s mailbox has not heard the step yet: if so, it hears it now (``by``)."""
        box = mailbox(email)
        if box in self._heard:
            return False
        self._heard[box] = by
        return True

    def heard_by(self, email: str) -> object | None:
        """What told ``email``'s mailbox of the step (the ``by`` it was first addressed with), or None."""
        return self._heard.get(mailbox(email))

    def hear(self, emails: Iterable[str], by: object) -> None:
        """Each of ``emails`` has heard the step (through ``by``), unless it had already."""
        for email in emails:
            self.first(email, by)
