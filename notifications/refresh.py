"""A mail left undelivered past the day it was decided is rendered again before it is sent, with
the figures of the day it leaves (issue 13: never sent with yesterday's figures).

Digests are built again whole (:func:`dondoc.notifications.digests.rebuild`); a mail about an
assignment keeps its decision (kind, recipient, rung) and has its day-dependent facts counted
again from the assignment's due date, as the sweep counts them.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Table, exists
from sqlmodel import Session

from dondoc.engine.clock import local_date
from dondoc.engine.escalation.facts import LATENESS_FACTS, lateness, working_days_waiting
from dondoc.engine.models import Assignment, Event, Notification
from dondoc.engine.models.assignments import OPEN_STATE_VALUES
from dondoc.engine.services.request_mails import (
    inputs_all_in,
    inputs_told_since,
    is_partner_cancelled_copy,
    listed_still_held,
)
from dondoc.engine.services.successions import INHERITED_KIND
from dondoc.engine.settings import Settings
from dondoc.engine.workcalendar import WorkCalendar
from dondoc.notifications import digests
from dondoc.notifications.asked import digest_asked_untrue
from dondoc.notifications.desk_queues import desk_untrue
from dondoc.notifications.outbox import DATA_KINDS, DIGEST_KINDS, MailSpec


def is_stale(kind: str, created_at: datetime, now: datetime, settings: Settings) -> bool:
    """Whether a row of ``kind`` made at ``created_at`` is rendered again before sending at ``now``:
    after its local day, for digests and mails about assignments (not periodic reports)."""
    if kind in DATA_KINDS and kind not in DIGEST_KINDS:
        return False
    return local_date(created_at, settings.tz) < local_date(now, settings.tz)


_EVENT: Table = Event.__table__  # type: ignore[attr-defined]
_OUTBOX: Table = Notification.__table__  # type: ignore[attr-defined]

# Whether the part an outbox row tells of has an event after the row was rendered: a column of the
# delivery's one read of the row (notifications.claims.prepare), one probe of ix_event_assignment_at.
# The row's created_at is when it was first rendered; a row rendered again as it left and not sent
# (its attempt failed) is rendered again on its next attempt, as a stale one is. An event of the
# same instant is one the mail was rendered after (a service writes the event, then the mail).
EVENT_SINCE = (
    exists()
    .where(_EVENT.c.assignment_id == _OUTBOX.c.assignment_id, _EVENT.c.at > _OUTBOX.c.created_at)
    .label("event_since")
)


def part_moved(kind: str, data: dict[str, Any], state: str | None, *, event_since: bool) -> bool:
    """Whether a mail of ``kind`` about a part (its ``data``; the part's ``state`` now, None if there is
    no such part: then the mail's re-check decides, notifications.claims) tells of the part
    as it no longer stands: its history moved after the mail was rendered (``event_since``,
    :data:`EVENT_SINCE`), or its state is not the one the sweep decided on (``data["state"]``: an
    action of the same instant). Rendered again before it leaves, so that its state, date and lateness
    are those of the leaving instant (the 2022 replay's notice that left at 08:05 said "Đã giao" of a
    part acknowledged at 08:04)."""
    if kind in DATA_KINDS or state is None:
        return False
    return event_since or data.get("state", state) != state


def digest_untrue(session: Session, role: str, data: dict[str, Any], *, now: datetime, settings: Settings) -> bool:
    """Whether a digest to ``role`` (its ``data``) says what no longer holds at ``now``: a held row
    it carries no longer true (digests.told_untrue), a body's extension request its leaders' rows
    say waiting that was answered since, or silent on one sent since (notifications.asked), or the
    secretariat's list of undecided extension requests, or of unanswered explanation requests,
    other than it stands (digests.extensions_untrue, digests.explanations_untrue), or the desk's
    other queues' counts other than they stand (desk_queues.desk_untrue).
    Rendered again before it is sent, as a stale one is."""
    calendar = WorkCalendar.default()
    return (
        digests.told_untrue(session, role, data.get("carried", ()), now=now, settings=settings, calendar=calendar)
        or digest_asked_untrue(session, data)
        or digests.extensions_untrue(session, data, now=now, settings=settings, calendar=calendar)
        or digests.explanations_untrue(session, data, now=now, settings=settings, calendar=calendar)
        or desk_untrue(session, data, now=now, settings=settings)
    )


def refreshed_facts(
    data: dict[str, Any],
    due_at: datetime | None,
    today: date,
    calendar: WorkCalendar,
    settings: Settings,
    given_at: datetime | None = None,
) -> dict[str, Any]:
    """``data`` with the day-dependent facts the sweep stored counted again for ``today``."""
    facts = dict(data)
    counted = dict.fromkeys(LATENESS_FACTS, 0)
    if due_at is not None:
        given = local_date(given_at, settings.tz) if given_at is not None else None
        counted = lateness(local_date(due_at, settings.tz), today, calendar, given)
    facts.update((name, value) for name, value in counted.items() if name in facts)
    if "working_days_waiting" in facts and facts.get("anchor"):
        since = facts.get("counted_from") or facts["anchor"]  # the notice day, when it is not the anchor's
        facts["working_days_waiting"] = working_days_waiting(date.fromisoformat(since), today, calendar)
    return facts


def rerendered(
    session: Session, row: Notification, *, now: datetime, settings: Settings, calendar: WorkCalendar | None = None
) -> tuple[MailSpec | None, str | None]:
    """The spec ``row`` is rendered from again at ``now``, or (None, why it is not sent)."""
    calendar = calendar or WorkCalendar.default()
    if row.kind in DIGEST_KINDS:
        return digests.rebuild(session, row, now=now, settings=settings, calendar=calendar)
    assignment = session.get(Assignment, row.assignment_id) if row.assignment_id is not None else None
    # work reported (or closed) is late no more: its mail counts no days past the date
    due_at = assignment.due_at if assignment is not None and assignment.state in OPEN_STATE_VALUES else None
    given_at = assignment.assigned_at if assignment is not None else None
    data = refreshed_facts(row.data, due_at, local_date(now, settings.tz), calendar, settings, given_at)
    if is_partner_cancelled_copy(row.kind, row.recipient_role) and assignment is not None:
        # a partner's part cancelled, told to its lead: whether the rest are in is read as it leaves
        # (an input sent back meanwhile: the copy still tells of the cancellation, and asks nothing)
        # said only if so when decided and still so: a copy decided without it is no second "đủ ý kiến"
        # beside the partner's own mail that says so (partner_input_received)
        all_in = bool(row.data.get("partners_all_in")) and inputs_all_in(session, assignment)
        data = data | {"partners_all_in": all_in and not inputs_told_since(session, assignment, row.created_at)}
    if gathered(row.kind, row.assignment_id, row.data):
        listed = list(row.data["assignment_ids"])
        held = listed_still_held(session, listed, str(row.data.get("recipient_agency", "")))
        if not held:
            return None, GONE_ELSEWHERE
        if held != listed:  # a part named for another body since: its own mail tells that body
            events = dict(zip(listed, row.data.get("event_ids") or [], strict=False))
            data = data | {"assignment_ids": held, "event_ids": [events.get(i) for i in held]}
    return MailSpec.of_row(row, data), None


GONE_ELSEWHERE = "Các phần việc thư kể đã được phân công cho cơ quan khác trước khi thư đi."


def gathered(kind: str, assignment_id: int | None, data: dict[str, Any]) -> bool:
    """Whether an outbox row is the one mail a bulk reassignment gathered for a body
    (engine.services.request_mails.gather_reassigned): its parts are re-checked as it leaves."""
    return kind == INHERITED_KIND and assignment_id is None and bool(data.get("event_ids"))
