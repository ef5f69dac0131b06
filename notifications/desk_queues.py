"""The desk's queues as the secretariat's digest tells them: every queue of the board's header
(engine.services.queues.QUEUES) with rows waiting, counted when the digest is built, in words a
reader away from the board understands (``Queue.told``).

The digest had told four of the eight queues (the reports to verify, the extension requests, the
work to pass on, the explanations owed) and nothing of the others: the 2022 replay's digest of
14/10/2022 said nothing of 26 items whose text names no body, 95 parts given through a guessed group
and not confirmed (a lead's or an implementer's, open, is kept from the leaders until then), 9
partners' parts whose lead had finished; the board's header counted them. A queue added to the
registry is told here with nothing else to write; the four told in lines of their own (with the
rows or the note each needs) are not told twice.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session

from dondoc.engine.clock import LocalDays
from dondoc.engine.services.assignment_filter import AssignmentFilter
from dondoc.engine.services.queues import (
    EXPLANATION_QUEUE,
    EXTENSION_QUEUE,
    QUEUES,
    REASSIGN_QUEUE,
    VERIFY_QUEUE,
)
from dondoc.engine.settings import Settings

# told by lines of their own in the secretariat's digest (notifications.digests._secretariat_spec)
TOLD_APART = frozenset({VERIFY_QUEUE, EXPLANATION_QUEUE, EXTENSION_QUEUE, REASSIGN_QUEUE})


def desk_queues(session: Session, now: datetime, settings: Settings) -> list[dict[str, Any]]:
    """Each queue not told apart that has rows at ``now``, in the header's order: its title, its rows
    in words and how many, counted as the board's header counts it (what its page lists by default:
    for a queue that keeps the pre-tracking backlog apart, the tracked work). Each is work waiting
    on the secretariat, so each is a reason for its digest."""
    local, every = LocalDays(settings.tz), AssignmentFilter()
    told = []
    for queue in QUEUES:
        if queue.slug in TOLD_APART:
            continue
        count = queue.count(session, now, local, every, False if queue.apart else None)
        if count:
            told.append({"slug": queue.slug, "title": queue.title, "said": queue.told, "count": count})
    return told


def desk_untrue(session: Session, data: dict[str, Any], *, now: datetime, settings: Settings) -> bool:
    """Whether a secretariat digest built earlier in its day (its ``data``) tells the queues other
    than they stand at ``now`` (the clerk confirmed the 95 parts at 07:45, the digest built at 07:30
    leaves at 08:00): built again before it leaves (notifications.refresh), as one whose explanation
    requests changed is. A leaders' digest, or one built before it told them, tells none: False."""
    if "queues" not in data:
        return False
    return bool(data["queues"] != desk_queues(session, now, settings))
