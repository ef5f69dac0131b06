"""The secretariat's queue "Đề nghị gia hạn": extension requests waiting for a decision, oldest first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import cache

from sqlmodel import Session, col, select

from dondoc.engine.actors import Actor
from dondoc.engine.clock import DEFAULT_DAYS, LocalDays
from dondoc.engine.escalation.facts import working_days_waiting
from dondoc.engine.escalation.recipients import ended_agencies
from dondoc.engine.models import Agency
from dondoc.engine.models.assignments import Role
from dondoc.engine.services.assignment_filter import AssignmentFilter
from dondoc.engine.services.explanations import handed_on_words
from dondoc.engine.services.partner_dates import after_leads_words, lead_dates_words, partners_lead_dates
from dondoc.engine.services.permissions import allowed_for_many
from dondoc.engine.services.queries import VIEW_WIDTH, to_view
from dondoc.engine.services.queues import EXTENSION_QUEUE, QueueRow, queue_by_slug
from dondoc.engine.status import asked_day_off_words
from dondoc.engine.vi_format import vn_date
from dondoc.engine.views import AssignmentView
from dondoc.engine.workcalendar import WorkCalendar
from dondoc.engine.workflow import Action

EVERY = AssignmentFilter()
DECISIONS = (Action.EXTEND, Action.REFUSE_EXTENSION)  # what the queue offers on each request
# What a line says of a body that has ended since it asked (PendingExtension.ended): no mail reaches it,
# and who takes its work is the secretariat's to decide.
ENDED_WORDS = (
    "Cơ quan đã không còn: quyết định không gửi thư cho ai; Tổ giúp việc quyết định cơ quan nhận phần việc này"
)
# and of a day asked for that has passed while the request waited (PendingExtension.past)
PAST_WORDS = "ngày đề nghị đã qua: chọn ngày khác nếu gia hạn"


@dataclass(frozen=True)
class PendingExtension:
    """One open extension request with its assignment as the board shows it."""

    assignment: AssignmentView
    asked_at: datetime
    asked_by: str
    reason: str
    requested_due: date | None
    days_waiting: int  # working days since it was asked, at the moment the queue is read
    allowed: frozenset[str] = frozenset()  # the actions the reader may take on it now (the rule book's)
    ended: bool = False  # the body has ended since it asked (recipients.ended_agencies): no mail reaches it
    past: bool = False  # the day asked for has passed while the request waited
    # asked by the body that held the part before a succession passed it on, as the row names it
    # (explanations.handed_on_words); None: asked by the body that holds it
    handed_on_by: str | None = None
    # a partner's part: its leads' dates in force (partner_dates.lead_dates_words), and the day asked
    # for said when it comes after one of them (partner_dates.after_leads_words): the secretariat decides
    lead_dates: str | None = None
    after_lead: str | None = None


def pending_extensions(
    session: Session,
    now: datetime,
    calendar: WorkCalendar,
    *,
    local: LocalDays = DEFAULT_DAYS,
    reader: Actor | None = None,
    where: AssignmentFilter = EVERY,
    limit: int | None = None,
    offset: int = 0,
) -> list[PendingExtension]:
    """Open extension requests on open assignments (a cancelled or finished one has nothing to
    extend), the longest waiting first: the rows of the desk's queue of that name, whose count the
    board shows (engine.services.queues), with the day asked for; ``where`` narrows them as the
    queue's filter does, ``limit`` and ``offset`` give one page of them. With ``reader``, which of
    the decisions the queue offers (extend, refuse) the rule book lets that actor take on each
    (engine.services.permissions.allowed_for_many)."""
    queue = queue_by_slug(EXTENSION_QUEUE)
    today = local.local_date(now)
    rows = queue.fetch(session, now, local, where, limit, offset)
    # A row has the columns of the assignment and of its milestone the rule book reads (queries.VIEW_WIDTH).
    allowed = allowed_for_many(session, [(r, r) for r in rows], reader, now=now, actions=DECISIONS) if reader else {}
    waited = cache(lambda day: working_days_waiting(day, today, calendar))  # rows share their days
    gone = ended_agencies(session, today)
    partners = [row.id for row in rows if row.role == Role.PARTNER.value]
    leads = partners_lead_dates(session, partners) if partners else {}
    before = _handed_on(session, {row[VIEW_WIDTH + 2] for row in rows if row[VIEW_WIDTH + 2] != row.agency_code})
    found = []
    for row in rows:
        asked_at, reason, asked_by, data = row[VIEW_WIDTH:]
        raw = (data or {}).get("requested_due")
        requested = date.fromisoformat(raw) if raw else None
        view = to_view(row, now)
        its_leads = leads.get(row.id, [])
        lead_word = view.lead_label.lower()
        found.append(
            PendingExtension(
                view,
                asked_at,
                asked_by,
                reason or "",
                requested,
                waited(local.local_date(asked_at)),
                frozenset(a.value for a in allowed.get(row.id, [])),
                row.agency_id in gone,
                requested is not None and requested < today,
                before.get(asked_by) if asked_by != row.agency_code else None,
                lead_dates_words(its_leads, lead_word, local) if its_leads else None,
                after_leads_words(requested, its_leads, lead_word, local),
            )
        )
    return found


def queue_lines(
    session: Session,
    now: datetime,
    calendar: WorkCalendar,
    local: LocalDays,
    where: AssignmentFilter = EVERY,
    limit: int | None = None,
    offset: int = 0,
) -> list[QueueRow]:
    """The queue's lines as its CSV and XLSX list them (engine.services.queues: Queue.rows), read as
    its page reads them (:func:`pending_extensions`), each note saying what the page's row says: whose
    request it is when another body holds the part now, the day asked for (a day off: the day it would
    be; passed: said so), the date in force, a partner's leads' dates (and a day asked for after one),
    the body's reason, and a body that has ended."""
    return [
        _line(p, local)
        for p in pending_extensions(session, now, calendar, local=local, where=where, limit=limit, offset=offset)
    ]


def _line(p: PendingExtension, local: LocalDays) -> QueueRow:
    a, asked = p.assignment, p.requested_due
    by = f"Đề nghị của {p.handed_on_by}: " if p.handed_on_by else ""
    off = asked_day_off_words(asked)
    to = f"đến ngày {vn_date(asked)}{f' ({off})' if off else ''}" if asked else "không ghi ngày"
    past = f" ({PAST_WORDS})" if p.past else ""
    due = f"; hạn hiện tại {vn_date(local.local_date(a.due_at))}" if a.due_at is not None else ""
    lead = f"; {p.lead_dates}" if p.lead_dates else ""
    after = f"; {p.after_lead}" if p.after_lead else ""
    reason = f": «{p.reason}»" if p.reason else ""
    ended = f". {ENDED_WORDS}" if p.ended else ""
    return QueueRow(
        "assignment",
        a.id or 0,
        a.item_code,
        a.item_title,
        a.agency_name,
        a.plan_number,
        local.local_date(p.asked_at),
        p.days_waiting,
        f"{by}{to}{past}{due}{lead}{after}{reason}{ended}",
        a,
        a.milestone_label,
    )


def _handed_on(session: Session, codes: set[str]) -> dict[str, str]:
    """The bodies of ``codes`` (requests asked by a body that has since handed its part on) as a
    row names them: read only when a row of the page has one."""
    if not codes:
        return {}
    found = dict(session.exec(select(Agency.code, Agency.name).where(col(Agency.code).in_(sorted(codes)))).all())
    return {code: handed_on_words(found.get(code, code)) for code in codes}
