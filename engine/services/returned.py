"""Work whose report the secretariat returned: the one reading of it.

A returned report puts the part back in progress (workflow: reported --return--> in_progress), so
late work the body did report, and had sent back to complete, reads like work never reported. Who
tells the leaders of late work (their digest, notifications.digests; their page, web.pages) says so
with :func:`returned_reports`, in the words of :func:`returned_words`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import case
from sqlalchemy import func as sql_func
from sqlmodel import Session, col, select

from dondoc.engine.models import Assignment, Event
from dondoc.engine.models.assignments import Role, State
from dondoc.engine.role_words import send_words
from dondoc.engine.vi_format import vn_date
from dondoc.engine.workflow import Action

# The instant a part in progress was last given back by a return (NULL: never returned), as a column any
# statement reading ``Assignment`` may add (the sweep does): a return puts the part in progress, and a
# part in progress has sent no report since its last return. Read for parts in progress alone (a
# CASE: the subquery runs for their rows only), over ix_event_action (action, assignment_id).
RETURNED_AT = case(
    (
        col(Assignment.state) == State.IN_PROGRESS.value,
        select(sql_func.max(col(Event.at)))
        .where(col(Event.action) == Action.RETURN.value, col(Event.assignment_id) == col(Assignment.id))
        .correlate(Assignment)
        .scalar_subquery(),
    ),
    else_=None,
).label("returned_at")


@dataclass(frozen=True)
class Returned:
    """A part's latest report, returned and not sent again since: when it was sent, when returned, why."""

    reported_at: datetime
    returned_at: datetime
    reason: str | None
    due_at: datetime | None  # the part's date in force: whether the report was sent within it
    role: str = Role.IMPLEMENTER.value  # the part's: a partner's report is its input to the lead


def returned_reports(session: Session, assignment_ids: list[int], *, now: datetime) -> dict[int, Returned]:
    """Assignment id → its last report returned by the secretariat, for those of ``assignment_ids``
    whose latest report or return by ``now`` is a return (one sent again since is not returned any
    more). As of ``now``: a page read at a past instant (a look-back) does not say of a report that it
    was returned days after that instant."""
    if not assignment_ids:
        return {}
    statement = (
        select(Event, col(Assignment.due_at), col(Assignment.role))
        .join(Assignment, col(Assignment.id) == col(Event.assignment_id))
        .where(
            col(Event.assignment_id).in_(assignment_ids),
            col(Event.action).in_([Action.REPORT.value, Action.RETURN.value]),
            col(Event.at) <= now,
        )
        .order_by(col(Event.assignment_id), col(Event.at), col(Event.id))
    )
    last_report: dict[int, datetime] = {}
    found: dict[int, Returned] = {}
    for event, due_at, role in session.exec(statement):
        if event.action == Action.REPORT.value:
            last_report[event.assignment_id] = event.at
            found.pop(event.assignment_id, None)
        elif event.assignment_id in last_report:
            reported = last_report[event.assignment_id]
            found[event.assignment_id] = Returned(reported, event.at, event.comment or None, due_at, role)
    return found


def returned_said(session: Session, assignment_ids: list[int], *, now: datetime, tz: ZoneInfo) -> dict[int, str]:
    """Assignment id → :func:`returned_words` of its report returned (:func:`returned_reports`), for
    those of ``assignment_ids`` that have one: what the pages that list or show a part say beside its state,
    the digests' rows and the overdue mail."""
    return {key: returned_words(back, tz) for key, back in returned_reports(session, assignment_ids, now=now).items()}


def returned_words(back: Returned, tz: ZoneInfo) -> str:
    """ "Cơ quan đã báo cáo kết quả ngày 20/06/2022, trong thời hạn; Tổ giúp việc trả lại ngày 13/07/2022
    để bổ sung, hoàn thiện: «…»": what the leaders' digest and their page say of a part
    :func:`returned_reports` found (a partner's: "đã gửi ý kiến, kết quả phối hợp", its input to the
    lead, engine.role_words.send_words). Whether the report was sent within the part's date in force
    ("trong thời hạn", or "sau thời hạn"; nothing for a part with no date), judged as its category
    judges a report (engine.status.category: on time up to the date's instant): the chair, told the
    part is late, had not been told that the body reported within its date and the return came after."""
    when = ""
    if back.due_at is not None:
        when = ", trong thời hạn" if back.reported_at <= back.due_at else ", sau thời hạn"
    said = (
        f"Cơ quan đã {send_words(back.role)} ngày {vn_date(back.reported_at, tz)}{when}; "
        f"Tổ giúp việc trả lại ngày {vn_date(back.returned_at, tz)} để bổ sung, hoàn thiện"
    )
    return f"{said}: «{back.reason}»" if back.reason else said
