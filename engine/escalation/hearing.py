"""One mailbox hears a step once.

A step is the mails one decision writes about one piece of work: a rung of the ladder for an
assignment (or a plan's new work) on its anchor day (the sweep), or the mails of one event of a
request between people to a body and the committee's seats (engine.services.request_mails). When
two recipients of a step share a mailbox — a body and the secretariat (the Tổ giúp việc's agency is
a body too), two seats or two bodies at one address, a body that has ended and the secretariat that
answers for it — that mailbox gets one mail of the step: the first in the step's order.

The sweep and the request mails decide so (:class:`Hearers`).
"""

from __future__ import annotations


def mailbox(email: str) -> str:
    """The mailbox an address reaches: addresses that differ only in case are one mailbox."""
    return email.casefold()


class Hearers:
    """The mailboxes a step has addressed so far."""

    def __init__(self) -> None:
        self._heard: set[str] = set()

    def first(self, email: str) -> bool:
        """Whether ``email``'s mailbox has not heard the step yet: if so, it hears it now."""
        box = mailbox(email)
        if box in self._heard:
            return False
        self._heard.add(box)
        return True
