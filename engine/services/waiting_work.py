"""The work waiting in "Cần phân công lại" and the part of it never given: one rule for every surface.

Work of a body that ended waits for the secretariat's decision from the moment its transfer is
queued (engine.services.asked_of.waiting_transfer_sql, as it stood at an instant). Of it, the parts
whose giving day comes on or after the body's end (a later quarter's report) were never given to that
body and are given to nobody until the secretariat names one (engine.status.given_by_sql: not given
by the instant, held back or not yet due). They wait all the same: the queue lists them, the board's
note on ended bodies counts them in its "đang chờ" figure, the old link's page in its "đang chờ Tổ giúp
việc phân công lại" (:func:`not_given_among`), and each says how many of its figure they are
(:func:`not_given_waiting_vi`); ``dondoc status`` counts them in "Chưa đến hạn / Trong đó chưa giao"
and says so under its table."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import and_
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col

from dondoc.engine.db import id_batches
from dondoc.engine.models import Agency, Assignment
from dondoc.engine.services.asked_of import waiting_transfer_sql
from dondoc.engine.status import given_by_sql
from dondoc.engine.vi_format import vn_count


def waiting_sql(at: Any) -> ColumnElement[bool]:
    """The assignment waits in "Cần phân công lại" at ``at`` (an instant or engine.status.NOW)."""
    waits: ColumnElement[bool] = waiting_transfer_sql(col(Assignment.id), at)
    return waits


def not_given_waiting_sql(at: Any) -> ColumnElement[bool]:
    """Of :func:`waiting_sql`, the parts given to nobody at ``at``: their giving day came, or will
    come, after their body ended. The rest of the waiting work was given to that body."""
    return and_(~given_by_sql(at), waiting_sql(at))


def not_given_waiting(session: Session, now: datetime) -> dict[str, int]:
    """Per body (its code), how many parts :func:`not_given_waiting_sql` counts at ``now``."""
    statement = (
        sa.select(col(Agency.code), sa.func.count())
        .select_from(Assignment)
        .join(Agency, col(Agency.id) == col(Assignment.agency_id))
        .where(not_given_waiting_sql(now))
        .group_by(col(Agency.code))
    )
    return {str(code): int(n) for code, n in session.execute(statement)}


def not_given_among(session: Session, assignment_ids: Sequence[int], now: datetime) -> int:
    """How many of ``assignment_ids`` :func:`not_given_waiting_sql` counts at ``now``: a figure of
    waiting work read per body it came from (successions.work_left, the old link's), by this rule."""
    counted = sa.select(sa.func.count()).select_from(Assignment).where(not_given_waiting_sql(now))
    return sum(
        int(session.execute(counted.where(col(Assignment.id).in_(batch))).scalar_one())
        for batch in id_batches(assignment_ids)
    )


def not_given_waiting_vi(count: int) -> str:
    """What the part of a waiting figure never given is, after the figure: "trong đó 3 phần việc …"."""
    return f"trong đó {vn_count(count)} phần việc chưa giao cho cơ quan nào: đến ngày giao thì cơ quan đã không còn"
