"""Whether a partner's input is still waited for: the column the sweep and the pre-send re-check
both read (policy.TriggerSpec.while_lead_open says which triggers care)."""

from __future__ import annotations

from sqlalchemy import and_, case, exists, false
from sqlalchemy.orm import aliased
from sqlmodel import col

from dondoc.engine.models import Assignment
from dondoc.engine.models.assignments import OPEN_STATE_VALUES, Role

# A partner's row: whether its milestone has a lead and every lead has reported (reported or
# verified): its input is then waited for by nobody. Read for partners alone (a CASE: the
# subqueries run for their rows only), over the index on milestone_id. Any statement that reads
# ``Assignment`` may add it as a column.
_LEAD, _OPEN_LEAD = aliased(Assignment), aliased(Assignment)
LEAD_DONE = case(
    (
        col(Assignment.role) == Role.PARTNER.value,
        and_(
            exists().where(col(_LEAD.milestone_id) == col(Assignment.milestone_id), col(_LEAD.role) == Role.LEAD.value),
            ~exists().where(
                col(_OPEN_LEAD.milestone_id) == col(Assignment.milestone_id),
                col(_OPEN_LEAD.role) == Role.LEAD.value,
                col(_OPEN_LEAD.state).in_(OPEN_STATE_VALUES),
            ),
        ),
    ),
    else_=false(),
).label("lead_done")
