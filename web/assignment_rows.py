"""The rows of the secretariat's assignment list (web/templates/assignments.html), written in one
pass: what the template's loop wrote, byte for byte, each value escaped as autoescape escapes it.

A list page shows 100 rows of ~13 values each; through the template each value cost an attribute
lookup and an escape in Jinja's generated code (~0.8 ms a page), here ~0.5 ms."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from operator import itemgetter
from typing import Any

import jinja2
from jinja2.filters import do_truncate
from markupsafe import Markup, escape

from dondoc.engine.clock import DEFAULT_DAYS
from dondoc.engine.date_notes import date_notes
from dondoc.engine.deadlines import DeadlineKind, standing_start
from dondoc.engine.models.assignments import ROLE_LABELS_VI, STATE_LABELS_VI, role_label
from dondoc.engine.services.queries import VIEW_NAMES
from dondoc.engine.status import (
    CATEGORY_LABELS_VI,
    LATE_WORDS,
    Category,
    days_late,
    given_after_due,
    issued_after_due,
    lateness,
    state_at,
)
from dondoc.engine.vi_format import shown_code, vn_date
from dondoc.engine.views import state_label
from dondoc.engine.workcalendar import WorkCalendar
from dondoc.web.escaping import bulk_box, milestone_mark, text


def said_given_late(kind: str | None, due_at: datetime | None, assigned_at: datetime | None) -> bool:
    """Whether a list says a part was given after its own date (engine.status.given_after_due): never
    of work the text records as done when it was issued ("Tháng 02/2022 (đã hoàn thành)": the text
    says it was done by its date, not that the body received it late). The list's rows and the
    template filter ``given_late`` read it."""
    return kind != DeadlineKind.DONE.value and given_after_due(due_at, assigned_at, DEFAULT_DAYS.tz)


# The role, state and category labels, escaped once (a row's role, state and category are the
# enums' values).
_ROLES = {role.value: escape(label) for role, label in ROLE_LABELS_VI.items()}
_STATES = {state.value: escape(label) for state, label in STATE_LABELS_VI.items()}
_CATEGORIES = {category.value: escape(label) for category, label in CATEGORY_LABELS_VI.items()}
# A row's class by its category, as the other lists mark it (_marks.html ``row_class``): overdue work
# is marked for the stylesheet as well as in words.
_ROW_CLASSES = {
    category.value: f"cat-{category.value}" + (" overdue" if category is Category.OVERDUE else "")
    for category in Category
}


# The values the list shows, by position in a row of ``queries.base_query`` (queries.VIEW_NAMES).
_SHOWN = itemgetter(
    *(
        VIEW_NAMES.index(name)
        for name in (
            "id",
            "version",
            "item_code",
            "item_title",
            "agency_name",
            "priority",
            "deadline_kind",
            "deadline_phrase",
            "start_date",
            "due_at",
            "role",
            "state",
            "category",
            "lead_heading",
            "assigned_at",
            "milestone_label",
            "reported_at",
            "original_due_at",
            "written_due",
            "period_phrase",
            "plan_issued",
            "given",
            "acknowledged_at",
            "verified_at",
        )
    )
)


def deadline_words(
    deadline_phrase: str | None,
    due_at: datetime | None,
    original_due_at: datetime | None,
    written: date | None = None,
    *,
    phrase: bool = True,
    of_period: bool = False,
) -> str:
    """What a list says after a row's date (escaped HTML, with its leading space): the text's phrase
    ("“trước ngày 30/6/2022”"), or, for a date moved since, that it was extended and the first date
    the phrase names: "10/03/2023 “Năm 2022”" read as the text's own date; and where a day off moved
    the due day from the text's date ``written``, that it did: "03/01/2023 “Tháng 12/2022”" under
    "the years before" read as a mistake; and where "trước ngày X" is counted through X, that the
    secretariat counts X in, as the mails say (engine.date_notes). The list rows here, the overdue lists
    (``_overdue.html``) and the assignment's page say it alike. ``phrase=False``: the notes alone, for
    a page that shows the phrase apart or not at all (a plan's page, an item's). ``of_period``: a
    recurring report's period, whose phrase the catalog wrote from the text's rule ("trước ngày
    20/03/2022" of 61/KH-UBND's "trước ngày 20 tháng cuối quý"): said in brackets, not quoted as the
    text's words, as the digests say it (notifications.context.before_kept_said)."""
    extended, note = date_notes(deadline_phrase, due_at, original_due_at, written)
    if extended is not None:
        return f' <span class="muted extended">({text(extended)})</span>'
    if of_period and phrase and deadline_phrase:
        said = "; ".join(part for part in (deadline_phrase, note) if part)
        return f' <span class="muted period-phrase">({text(said)})</span>'
    words = f' <span class="muted">“{text(deadline_phrase)}”</span>' if phrase and deadline_phrase else ""
    if note is not None:
        words += f' <span class="muted date-note">({text(note)})</span>'
    return words


@jinja2.pass_environment
def assignment_rows(
    environment: jinja2.Environment, rows: Iterable[Sequence[Any]], now: datetime, calendar: WorkCalendar
) -> Markup:
    """One ``<tr>`` per row: a checkbox for the bulk form, the item (linked, its title cut at 80
    characters) and its milestone, the agency, the role, the due date (a standing duty: from its
    start) with the text's phrase and, for work given after it, the day it was given; the state at
    ``now`` (engine.status.state_at: at a look-back, "Đã xác nhận" had been said of work reported
    after it; work not yet given at ``now``: when it will be, as ``AssignmentView.state_label`` says it) and
    the category, with the working days late of late work (``calendar``, as the board's overdue
    list counts them). A row is one of ``queries.base_query`` (web_queries.filtered_assignments),
    as the driver gives it: its values are read by position."""
    lines = []
    for row in rows:
        (
            id_,
            version,
            item_code,
            item_title,
            agency_name,
            priority,
            kind,
            deadline_phrase,
            start,
            due_at,
            role,
            state,
            category,
            lead_heading,
            assigned_at,
            milestone_label,
            reported_at,
            original_due_at,
            written_due,
            period_phrase,
            plan_issued,
            given_now,
            acknowledged_at,
            verified_at,
        ) = _SHOWN(row)
        code, agency = text(shown_code(item_code)), text(agency_name)
        title = text(do_truncate(environment, item_title, 80, True, "…"))
        tag = ' <span class="tag">trọng tâm</span>' if priority else ""
        standing = standing_start(kind, start, due_at)
        due = "từ " + vn_date(standing) if standing else vn_date(due_at)
        phrase = deadline_words(deadline_phrase, due_at, original_due_at, written_due, of_period=bool(period_phrase))
        shown_role = text(role_label(role, lead_heading)) if lead_heading else _ROLES[role]
        milestone = milestone_mark(milestone_label)
        given_late = said_given_late(kind, due_at, assigned_at)
        by_plan = given_late and issued_after_due(due_at, assigned_at, plan_issued, DEFAULT_DAYS.tz)  # its plan's issue
        # late work given after its date: its lateness says since when first (status.lateness)
        since_given = (
            (
                days_late(assigned_at, reported_at if category == Category.DONE_LATE.value else None, now, calendar),
                vn_date(assigned_at),
            )
            if given_late and category in LATE_WORDS
            else None
        )
        given = (
            f'<br><span class="given-late">giao ngày {vn_date(assigned_at)}, sau thời hạn</span>'
            if given_late and since_given is None
            else ""
        )
        late = (
            f'<br><span class="tag overdue-mark">'
            f"{lateness(category, days_late(due_at, reported_at, now, calendar), since_given, plan_after_due=by_plan)}"
            "</span>"
            if category in LATE_WORDS
            else ""
        )
        # as it stood at ``now`` (a look-back: a report, a verification, a cancellation or an
        # acknowledgement written since is not yet), as the part's page and `assignments list` say it
        shown_state = state_at(state, category, acknowledged_at, reported_at, verified_at, now)
        # not given then: when it will be, unless cancelled (engine.views.state_label)
        said_state = (
            _STATES[shown_state]
            if given_now
            else escape(state_label(shown_state, False, assigned_at, held_back=assigned_at <= now))
        )
        lines.append(
            f'    <tr data-id="{id_}" class="{_ROW_CLASSES[category]}">{bulk_box(id_, version, code, agency)}\n'
            f'      <td><a href="/board/assignments/{id_}">{code}</a> — {title}{milestone}{tag}</td>\n'
            f"      <td>{agency}</td><td>{shown_role}</td><td>{text(due)}{phrase}{given}</td>\n"
            f"      <td>{said_state}</td>"
            f"<td>{_CATEGORIES[category]}{late}</td></tr>\n"
        )
    return Markup("".join(lines))
