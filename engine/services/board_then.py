"""The board at a past instant (a look-back: the clock's instant before what the database holds).

A row says what is true now. The board judges it at its instant as the category does (engine.status),
which is right for what stamps an instant (a report, a verification, a cancellation after the
instant leave the row judging it as it stood), not for what rewrites the row (a report returned
clears its time, an extension moves its date, …: engine.reports.history.REWRITES). The rows such an
event touched after the board's instant are counted and listed as their history says they stood then
(:func:`board_then`, the past periods' replay: engine.reports.history.changed_after), the rest as the
row says; and so are they in the lists the board links to, the desk's filtered list and an agency's
own (:func:`view_then`, :func:`row_then`: engine.services.web_queries.filtered_rewritten,
agency_rewritten). At today's instant there is none: one probe of the history's index, and every
statement of the board and of those lists is the one it always was.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlmodel import Session

from dondoc.engine.clock import DEFAULT_DAYS, LocalDays
from dondoc.engine.models import OPEN_STATE_VALUES, State
from dondoc.engine.reports.history import (
    Then,
    changed_after,
    changed_or_created_after,
    created_after_sql,
    happened_after,
)
from dondoc.engine.services.queries import VIEW_NAMES, ViewRow
from dondoc.engine.status import (
    CATEGORY_CODES,
    GIVEN_LATE,
    LATE_CATEGORIES,
    LATE_WORDS,
    NOT_GIVEN,
    Category,
    category_label,
    days_late,
    given_after_due,
    open_state_at,
)
from dondoc.engine.views import AssignmentView


def board_then(session: Session, now: datetime, local: LocalDays = DEFAULT_DAYS) -> Then:
    """The rows rewritten after ``now`` (the board's instant), with their history, and the rows written
    after it (``Then.unborn``: a plan the catalog loaded since, issued after ``now``, whose work did
    not exist then; the board of 15/06/2022 had counted 117/KH-UBND's, issued on 27/07, under
    "Chưa đến hạn"): empty at today's, after one probe of the history's index (whether any event came
    after ``now``, ``Then.later``; then, at a look-back, whether any rewrote or wrote a row)."""
    later = happened_after(session, now)
    if not later or session.execute(changed_or_created_after(now)).first() is None:
        return Then(now, {}, {}, None, local.tz, later=later)
    then = changed_after(session, now, local)
    unborn = frozenset(int(i) for i in session.execute(created_after_sql(now)).scalars())
    if not unborn:
        return then
    static = {i: s for i, s in then.static.items() if i not in unborn}
    happened = {i: h for i, h in then.happened.items() if i not in unborn}
    return Then(now, static, happened, then.installation, local.tz, unborn)


def code_then(then: Then, assignment_id: int) -> tuple[Category, str]:
    """The row's category at ``then.instant`` from its history, and its code as the board strings it
    (engine.status.category_code_marked_at_now: ``NOT_GIVEN`` after work not yet given,
    ``GIVEN_LATE`` after late work given after its own date, by the date then in force)."""
    static = then.static[assignment_id]
    judged = then.category(assignment_id)
    if judged is Category.NOT_YET_DUE and static.assigned_at is not None and static.assigned_at > then.instant:
        return judged, CATEGORY_CODES[Category.NOT_YET_DUE] + NOT_GIVEN  # not cancelled by then (status.category)
    code = CATEGORY_CODES[judged]
    if judged in LATE_CATEGORIES and given_after_due(then.facts(assignment_id).due_at, static.assigned_at, then.tz):
        code += GIVEN_LATE
    return judged, code


def state_then(then: Then, assignment_id: int) -> str:
    """The row's workflow state at ``then.instant`` (a report returned since: "reported" then)."""
    return then.facts(assignment_id).state or State.ASSIGNED.value


def _stood(assignment_id: int, then: Then) -> dict[str, Any]:
    """What a row says that a rewrite may have changed since ``then.instant``, as its history says it
    stood then: its state, date in force, last report and category (the one source of
    :func:`view_then` and :func:`row_then`)."""
    facts = then.facts(assignment_id)
    return {
        "state": facts.state,
        "category": then.category(assignment_id).value,
        "due_at": facts.due_at,
        "reported_at": facts.reported_at,
        "done_from": facts.done_from,
    }


def view_then(view: AssignmentView, then: Then) -> AssignmentView:
    """``view`` (read at ``then.instant``) as its history says it stood then: its state, date in
    force, last report, category and days late (engine.services.queries.to_view's words)."""
    if view.id not in then:
        return view
    stood = _stood(view.id, then)
    # its history reads no acknowledgement: open then, in progress once acknowledged by then
    stood["state"] = (
        open_state_at(stood["state"], view.acknowledged_at, then.instant)
        if stood["state"] in OPEN_STATE_VALUES
        else stood["state"]
    )
    judged = stood["category"]
    late = days_late(stood["due_at"], stood["reported_at"], then.instant) if judged in LATE_WORDS else 0
    label = category_label(judged, stood["due_at"], stood["reported_at"], stood["done_from"])
    return view.model_copy(update=stood | {"category_label": label, "days_late": late})


_AT = {name: VIEW_NAMES.index(name) for name in ("state", "category", "due_at", "reported_at", "done_from")}


def row_then(row: Sequence[Any], then: Then) -> Sequence[Any]:
    """A plain row of engine.services.queries.base_query (a list's page, read at ``then.instant``)
    as its history says it stood then: the values :func:`view_then` sets (the page writes the days
    late of them)."""
    if row[0] not in then:
        return row
    values = list(row)
    for name, value in _stood(row[0], then).items():
        values[_AT[name]] = value
    return ViewRow._make(values)
