"""Whether a partner's input is still waited for: the column the sweep and the pre-send re-check
both read (policy.TriggerSpec.while_lead_open says which triggers care)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, case, exists, false, func, literal_column
from sqlalchemy import select as core_select
from sqlalchemy.orm import aliased
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, select

from dondoc.engine.clock import DEFAULT_DAYS, local_date
from dondoc.engine.db import id_batches
from dondoc.engine.models import Agency, Assignment, Milestone
from dondoc.engine.models.assignments import OPEN_STATE_VALUES, Role
from dondoc.engine.services.transfer_origins import join_holder
from dondoc.engine.status import state_at_sql
from dondoc.engine.vi_format import vn_date


def is_lead(part: Any) -> ColumnElement[bool]:
    """``part`` (``Assignment`` or an alias of it) is a lead's part. The role is written as a constant,
    not a bound value, so that both databases read it through the partial index of the leads' parts
    (ix_assignment_lead, LEAD_WHERE): a partner's row looks up its milestone's leads there instead of
    reading the milestone's every part (the partners' queue on the board's header: ~80 ms at 100k)."""
    return col(part.role) == literal_column(f"'{Role.LEAD.value}'")


def still_to_report(lead: Any) -> ColumnElement[bool]:
    """``lead`` (``Assignment`` or an alias of it) is a lead's part whose own work is open: the lead
    a partner's input is for, and the one asked to put the inputs together. The one test of it."""
    return and_(is_lead(lead), col(lead.state).in_(OPEN_STATE_VALUES))


# A partner's row: whether its milestone has a lead and every lead has reported (reported or
# verified) or was cancelled: its input is then waited for by nobody. Read for partners alone (a
# CASE: the subqueries run for their rows only), over the partial index of the leads' parts
# (ix_assignment_lead). Any statement that reads ``Assignment`` may add it as a column; the queue
# "Phối hợp không còn được chờ" reads LEADS_DONE as its condition.
_LEAD, _OPEN_LEAD = aliased(Assignment), aliased(Assignment)
# its milestone has a lead and no lead still to report (the test of a partner's row)
LEADS_DONE = and_(
    exists().where(col(_LEAD.milestone_id) == col(Assignment.milestone_id), is_lead(_LEAD)),
    ~exists().where(col(_OPEN_LEAD.milestone_id) == col(Assignment.milestone_id), still_to_report(_OPEN_LEAD)),
)
LEAD_DONE = case((col(Assignment.role) == Role.PARTNER.value, LEADS_DONE), else_=false()).label("lead_done")


def unwaited_words(reported_on: date | None, lead_word: str = "chủ trì", leads: Sequence[str] = ()) -> str:
    """Why nobody waits for a partner's input any more, as the queue "Phối hợp không còn được chờ"
    and the part's own page say it: the last lead's report (its day), or every lead cancelled.
    ``lead_word``: the text's heading for the lead ("chủ trì", "tham mưu"); ``leads``: their names."""
    who = f"cơ quan {lead_word}" + (f" ({', '.join(leads)})" if leads else "")
    if reported_on is None:
        return f"Phần việc của {who} đã hủy: không còn ai chờ ý kiến phối hợp"
    said = f"{who[0].upper()}{who[1:]} đã báo cáo ngày {vn_date(reported_on)}"
    return f"{said}: không còn ai chờ ý kiến phối hợp"


def leads_finished(
    session: Session, partner_id: int, now: datetime, held: date | None = None
) -> tuple[list[str], datetime | None] | None:
    """The names of the leads of the partner's part ``partner_id`` and their last report, when
    nobody waited for its input at ``now`` (the queue's condition, :data:`LEADS_DONE`: a lead, and
    none still to report), each lead in the state it stood in at ``now`` (engine.status.state_at_sql;
    a lead rewritten since, a report returned after ``now``, as its history says it stood then:
    engine.services.board_then); None while a lead was still at work, or when the milestone has no
    lead. Read at a look-back before the lead reported, the page had said nobody waited. ``held`` (a
    look-back's day, engine.services.queries.held_on): each lead named by the body that held it that
    day (transfer_origins.join_holder), as the page of that instant names the bodies. One statement;
    at a look-back after a rewrite of a lead, board_then's reads besides."""
    # engine.reports reads the escalation policy, which reads this module
    from dondoc.engine.reports.history import changed_after_sql, created_after_sql

    milestone = select(Assignment.milestone_id).where(col(Assignment.id) == partner_id).scalar_subquery()
    statement = core_select(
        col(Assignment.id),
        state_at_sql(now),
        col(Assignment.reported_at),
        col(Assignment.id).in_(changed_after_sql(now)),  # rewritten since: read from its history
        col(Agency.name),
    ).select_from(Assignment)
    statement = join_holder(statement.join(Milestone, col(Milestone.id) == col(Assignment.milestone_id)), held)
    statement = statement.where(
        col(Assignment.milestone_id) == milestone,
        is_lead(Assignment),
        col(Assignment.id).not_in(created_after_sql(now)),  # a lead given since was none of its leads then
    )
    rows = session.execute(statement.order_by(col(Agency.name), col(Agency.id))).all()
    stood = {lead: (state, reported) for lead, state, reported, _, _ in rows}
    rewritten = [lead for lead, _, _, since, _ in rows if since]
    if rewritten:
        from dondoc.engine.services.board_then import board_then, state_then  # it reads the views of queries

        then = board_then(session, now)
        stood |= {i: (state_then(then, i), then.facts(i).reported_at) for i in rewritten if i in then}
    if not stood or any(state in OPEN_STATE_VALUES for state, _ in stood.values()):
        return None
    reports = [reported for _, reported in stood.values() if reported is not None and reported <= now]
    return [name for *_, name in rows], max(reports) if reports else None


def unwaited_of(
    session: Session, parts: Iterable[Any], now: datetime, tz: ZoneInfo = DEFAULT_DAYS.tz
) -> dict[int, str]:
    """Of the listed parts ``parts`` (views: ``id``, ``role``, ``lead_label``), the partners' whose
    input nobody waited for at ``now``, each with what the part's page says of it (:func:`unwaited_words`,
    its leads named by the body that held them on ``now``'s day, transfer_origins.join_holder): the
    overdue lists say it on the row, as the queue "Phối hợp không còn được chờ" lists it, by the
    queue's condition (:data:`LEADS_DONE`). One statement, none when no part is a partner's. A lead
    finished after ``now`` (a look-back) had not finished then: its partner is left unsaid (so is one
    whose lead's report was returned since, open now: said of nothing rather than wrongly)."""
    partners = {int(p.id): p for p in parts if p.role == Role.PARTNER.value}
    if not partners:
        return {}
    lead = aliased(Assignment)
    finished = func.coalesce(col(lead.reported_at), col(lead.closed_at)).label("lead_finished_on")
    statement = (
        core_select(col(Assignment.id), col(Agency.name), col(lead.reported_at), finished)
        .select_from(Assignment)
        .join(lead, and_(col(lead.milestone_id) == col(Assignment.milestone_id), is_lead(lead)))
    )
    statement = join_holder(statement, local_date(now, tz), lead).where(LEADS_DONE)
    statement = statement.order_by(col(Agency.name), col(Agency.id))
    leads: dict[int, list[tuple[str, datetime | None, datetime | None]]] = {}
    for batch in id_batches(partners):  # a board's workbook lists up to 100,000 rows
        for partner, name, reported, ended in session.execute(statement.where(col(Assignment.id).in_(batch))):
            leads.setdefault(int(partner), []).append((str(name), reported, ended))
    said: dict[int, str] = {}
    for partner, rows in leads.items():
        if any(ended is None or ended > now for *_, ended in rows):
            continue
        reports = [reported for _, reported, _ in rows if reported is not None]
        on = local_date(max(reports), tz) if reports else None
        said[partner] = unwaited_words(on, partners[partner].lead_label.lower(), [name for name, *_ in rows])
    return said
