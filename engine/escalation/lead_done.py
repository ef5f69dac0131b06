"""Whether a partner's input is still waited for: the column the sweep and the pre-send re-check
both read (policy.TriggerSpec.while_lead_open says which triggers care)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from functools import cache
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from sqlalchemy import Date, Select, and_, bindparam, case, exists, false, literal_column
from sqlalchemy import select as core_select
from sqlalchemy.orm import aliased
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col

from dondoc.engine.clock import DEFAULT_DAYS, local_date
from dondoc.engine.db import id_batches
from dondoc.engine.models import Agency, Assignment, Milestone
from dondoc.engine.models.assignments import OPEN_STATE_VALUES, Role
from dondoc.engine.services.transfer_origins import join_holder
from dondoc.engine.status import NOW, at_now, state_at_now
from dondoc.engine.vi_format import vn_date

if TYPE_CHECKING:
    from dondoc.engine.reports.history import Then


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


# The day whose holders name the leads (a look-back's: engine.services.queries.held_on), bound.
HELD_ON = bindparam("held_on", type_=Date())


@cache
def _leads_then(held: bool) -> Select[Any]:
    """Each lead of the milestones of the partners' parts bound as ``ids`` that existed at the bound
    NOW (a lead given since was none of its leads then), with the partner's id, its state then
    (engine.status.state_at_now), its last report, whether an event rewrote it since (its history
    says how it stood then), and the name of its body (with ``held``, the one that held it on the
    bound HELD_ON: transfer_origins.join_holder). Built once: executed with ``at_now``'s values."""
    # engine.reports reads the escalation policy, which reads this module
    from dondoc.engine.reports.history import changed_after_sql, created_after_sql

    partner = aliased(Assignment)
    statement = (
        core_select(
            col(partner.id),
            col(Assignment.id),
            state_at_now().label("lead_state_then"),
            col(Assignment.reported_at),
            col(Assignment.id).in_(changed_after_sql(NOW)),
            col(Agency.name),
        )
        .select_from(Assignment)
        .join(Milestone, col(Milestone.id) == col(Assignment.milestone_id))
        .join(partner, col(partner.milestone_id) == col(Assignment.milestone_id))
    )
    statement = join_holder(statement, HELD_ON if held else None).where(
        col(partner.id).in_(bindparam("ids", expanding=True)),
        is_lead(Assignment),
        col(Assignment.id).not_in(created_after_sql(NOW)),
    )
    ordered: Select[Any] = statement.order_by(col(partner.id), col(Agency.name), col(Agency.id))
    return ordered


def unwaited_at(
    session: Session,
    partner_ids: Iterable[int],
    now: datetime,
    held: date | None = None,
    then: Then | None = None,
) -> dict[int, tuple[list[str], datetime | None]]:
    """Of the partners' parts ``partner_ids``, those whose input nobody waited for at ``now``, each
    with the names of its leads and their last report by ``now`` (None when every lead was
    cancelled): the one rule the part's page and the board's overdue rows read, at today's instant
    the queue's condition (:data:`LEADS_DONE`: a lead, and none still to report). Each lead stands
    in the state it stood in at ``now`` (engine.status.state_at_now: a report, a verification, a
    cancellation after ``now`` had not happened then); one rewritten since (a report returned after
    ``now``) as its history says it stood then (engine.services.board_then: ``then``, read at ``now``,
    when the caller has it); a lead given since was none of its leads then. ``held`` (a look-back's
    day, engine.services.queries.held_on): each lead named by the body that held it that day
    (transfer_origins.join_holder), as the page of that instant names the bodies. One statement a
    batch of ids (engine.db.id_batches), none without ids; board_then's reads besides, at a
    look-back after a rewrite of a lead, when ``then`` is not given."""
    statement = _leads_then(held is not None)
    values = at_now(now) | {"held_on": held}
    rows: list[Any] = []
    for batch in id_batches(partner_ids):  # a board's workbook lists up to 100,000 rows
        rows += session.execute(statement, values | {"ids": batch}).all()
    stood = {lead: (state, reported) for _, lead, state, reported, _, _ in rows}
    rewritten = {lead for _, lead, _, _, since, _ in rows if since}
    if rewritten:
        from dondoc.engine.services.board_then import board_then, state_then  # it reads the views of queries

        then = then if then is not None else board_then(session, now)
        stood |= {i: (state_then(then, i), then.facts(i).reported_at) for i in rewritten if i in then}
    leads: dict[int, list[tuple[int, str]]] = {}
    for partner_id, lead, *_, name in rows:
        leads.setdefault(int(partner_id), []).append((lead, str(name)))
    unwaited: dict[int, tuple[list[str], datetime | None]] = {}
    for partner_id, its in leads.items():
        if any(stood[lead][0] in OPEN_STATE_VALUES for lead, _ in its):
            continue
        reports = [r for lead, _ in its if (r := stood[lead][1]) is not None and r <= now]
        unwaited[partner_id] = [name for _, name in its], max(reports) if reports else None
    return unwaited


def unwaited_of(
    session: Session,
    parts: Iterable[Any],
    now: datetime,
    held: date | None,
    tz: ZoneInfo = DEFAULT_DAYS.tz,
    then: Then | None = None,
) -> dict[int, str]:
    """Of the listed parts ``parts`` (views: ``id``, ``role``, ``lead_label``), the partners' whose
    input nobody waited for at ``now`` (:func:`unwaited_at`, the one rule; ``held``, ``then``: as
    it reads them), each with what is said of it (:func:`unwaited_words`): the part's page, and the
    board's overdue lists on the row, as the queue "Phối hợp không còn được chờ" lists it. None read
    when no part is a partner's."""
    partners = {int(p.id): p for p in parts if p.role == Role.PARTNER.value}
    if not partners:
        return {}
    said: dict[int, str] = {}
    for partner, (leads, reported) in unwaited_at(session, partners, now, held, then).items():
        on = local_date(reported, tz) if reported is not None else None
        said[partner] = unwaited_words(on, partners[partner].lead_label.lower(), leads)
    return said
