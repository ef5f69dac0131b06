"""Page models shared by the secretariat's, the leaders' and the agencies' pages."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session

from dondoc.engine.services.explanations import open_explanation_requests, open_extension_requests
from dondoc.engine.services.permissions import allowed_now
from dondoc.engine.services.queries import get_assignment
from dondoc.engine.services.web_queries import attachments_of, board_summary, overdue_assignments, partner_assignments
from dondoc.engine.vi_format import vn_percent
from dondoc.engine.workflow import FILE_ACTIONS, Action
from dondoc.web.charts import board_chart
from dondoc.web.principal import Principal


def board_context(session: Session, now: datetime, *, overdue_limit: int = 50) -> dict[str, Any]:
    """Counts, the per-agency table with its chart, and the most overdue assignments."""
    summary = board_summary(session, now)
    overdue = overdue_assignments(session, now, limit=overdue_limit)
    chart = board_chart(summary.agencies, {r.code: vn_percent(r.on_time_rate) for r in summary.agencies})
    pending = open_explanation_requests(session, [v.id for v in overdue])
    return {"summary": summary, "overdue": overdue, "chart": chart, "explanations": pending, "now": now}


def assignment_context(session: Session, principal: Principal, assignment_id: int, now: datetime) -> dict[str, Any]:
    """One assignment with history, files, partners (for its lead) and what this principal may do."""
    detail = get_assignment(session, assignment_id, now)
    principal.check_can_see(detail)
    partners = partner_assignments(session, now, assignment_id) if detail.role == "lead" else []
    files = attachments_of(session, [detail.id])
    possible = [a.value for a in allowed_now(session, assignment_id, principal.actor, now=now)]
    return {
        "a": detail,
        "partners": partners,
        "files": files.get(detail.id, []),
        "partner_reports": _partner_inputs(session, partners, now),
        "possible": possible,  # what the engine would accept from this principal now: the forms shown
        "with_files": [a.value for a in FILE_ACTIONS],
        "explanation": open_explanation_requests(session, [detail.id]).get(detail.id),
        "extension": open_extension_requests(session, [detail.id]).get(detail.id),
        "Action": Action,
    }


def _partner_inputs(session: Session, partners: list[Any], now: datetime) -> dict[int, str]:
    """The last comment each partner sent with a report or progress update (its input to the lead)."""
    found: dict[int, str] = {}
    for partner in partners:
        for event in reversed(get_assignment(session, partner.id, now).history):
            if event.action in ("report", "progress") and event.comment:
                found[partner.id] = event.comment
                break
    return found
