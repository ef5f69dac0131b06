"""The Jinja2 environment (autoescape always on), Vietnamese formatting, and ``render``."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import jinja2
from fastapi import Request
from fastapi.templating import Jinja2Templates
from markupsafe import Markup
from starlette.responses import HTMLResponse

from dondoc.engine.actors import AGENCY_RECIPIENTS
from dondoc.engine.as_written import quoted
from dondoc.engine.clock import DEFAULT_DAYS
from dondoc.engine.deadlines import unsaid_condition
from dondoc.engine.errors import InvalidInput
from dondoc.engine.history_labels import ACTOR_LABELS_VI, EVENT_LABELS_VI, event_notes, given_apart
from dondoc.engine.mail_labels import MAIL_KIND_LABELS_VI, MAIL_STATUS_LABELS_VI, mail_recipient_label, mail_state_label
from dondoc.engine.models.assignments import NOT_GIVEN_VI, ROLE_LABELS_VI, STATE_LABELS_VI
from dondoc.engine.role_words import action_label, event_label, report_form_words
from dondoc.engine.services.actor_names import actor_label, actor_words
from dondoc.engine.services.explanations import extension_asked_words, handed_on_words
from dondoc.engine.services.indicators import JUDGED_BY_TOLERANCE, progress_legend
from dondoc.engine.services.successions import never_given_to
from dondoc.engine.status import (
    CATEGORY_LABELS_VI,
    Category,
    asked_day_off_words,
    day_off_words,
    given_late_words,
    working_days_words,
)
from dondoc.engine.vi_format import issued_words, parse_day, shown_code, vn_count, vn_date, vn_datetime, vn_percent
from dondoc.engine.workflow import ACTION_LABELS_VI, TRANSITIONS, Action, Need
from dondoc.web.actions import names_last_step
from dondoc.web.assignment_rows import assignment_rows, deadline_words, said_given_late
from dondoc.web.csrf import csrf_token
from dondoc.web.escaping import milestone_mark, options
from dondoc.web.extension_rows import extension_rows
from dondoc.web.queue_rows import queue_rows
from dondoc.web.reassignment_rows import reassignment_rows

_env = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=True,  # every variable is escaped, in .html and .svg alike
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    # The templates are the package's files: they change with a new release, which restarts the
    # server. Jinja's default (True) asks the file system for each template's mtime every time a
    # page extends or includes it (a list page: five calls to stat).
    auto_reload=False,
)
templates = Jinja2Templates(env=_env)


def file_size(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB".replace(".", ",") if size >= 1024 * 1024 else f"{max(1, size // 1024)} KB"


def iso_day(text: str | None) -> str:
    """A day or instant an event's data holds as ISO text (``2023-01-03T23:59:59+07:00``), as
    dd/mm/yyyy: the day as written, in the zone it was written in."""
    return vn_date(date.fromisoformat(text[:10])) if text else ""


def input_day(text: str | None) -> str:
    """A day of a filter as ``<input type="date">`` takes it (yyyy-mm-dd): a bookmark's
    ``due_from=01/06/2022`` filtered right, but the field showed empty and the next "Lọc" dropped it."""
    if not text:
        return ""
    try:
        return parse_day(text, "Ngày").isoformat()
    except InvalidInput:
        return text


def given_late(view: Any) -> str:
    """The day an assignment was given (dd/mm/yyyy) when that came after its own date
    (engine.status.given_after_due: a plan issued after it, a body named after it), else "": an
    overdue row's days are counted from the date, and the reader sees since when the body has had it.
    Never of work the text records as done when it was issued ("Tháng 02/2022 (đã hoàn thành)"): the
    text says it was done by its date, not that the body received it late."""
    if not said_given_late(getattr(view, "deadline_kind", None), view.due_at, view.assigned_at):
        return ""
    return vn_date(view.assigned_at, DEFAULT_DAYS.tz)


def issued(plan: Any) -> str:
    """A plan's date as its text gives it: dd/mm/yyyy, or as written when the text gives no whole
    day ("ngày … tháng 01 năm 2022"), with the day counted from."""
    said = issued_words(plan.issued, plan.issued_as_written)
    return f"ngày {said}" if plan.issued_as_written else said


def deadline_note(view: Any) -> Markup:
    """A view's deadline phrase, or that its date was extended, as the list rows say it
    (web.assignment_rows.deadline_words)."""
    of_period = bool(getattr(view, "period_phrase", False))  # a recurring report's: the catalog's phrase
    return Markup(
        deadline_words(view.deadline_phrase, view.due_at, view.original_due_at, view.written_due, of_period=of_period)
    )


def date_note(view: Any) -> Markup:
    """What is said of a view's date without its phrase (web.assignment_rows.deadline_words)."""
    return Markup(
        deadline_words(view.deadline_phrase, view.due_at, view.original_due_at, view.written_due, phrase=False)
    )


def extension_asked(view: Any, names: dict[str, str] | None = None) -> str | None:
    """The part's extension request waiting for the secretariat's answer, beside its date, as every
    mail about the part says it while it waits (engine.services.explanations.extension_asked_words,
    notifications.asked); None when none waits (answered, or left unanswerable by a report). A
    request of the body that held the part before a succession names it (``names``: the page's
    agencies by code; explanations.handed_on_words): its successor's page had said it as its own."""
    for asked in view.requests:
        if asked.kind == Action.REQUEST_EXTENSION.value and asked.answer is None and asked.answerable:
            due = DEFAULT_DAYS.local_date(view.due_at) if view.due_at is not None else None
            whose = None
            if asked.asked_by != view.agency_code:
                whose = handed_on_words((names or {}).get(asked.asked_by, asked.asked_by))
            return extension_asked_words(asked.requested_due, DEFAULT_DAYS.local_date(asked.asked_at), due, whose)
    return None


def unsaid(view: Any) -> str | None:
    """An assignment's condition, unless its deadline phrase, shown above it, says it already."""
    return unsaid_condition(view.condition, view.deadline_phrase)


_env.filters.update(
    issued=issued,
    unsaid=unsaid,
    extension_asked=extension_asked,
    handed_on=handed_on_words,
    given_late=given_late,
    d=vn_date,
    dt=vn_datetime,
    pct=vn_percent,
    num=vn_count,  # a count a person reads (1.626); never in an attribute, which scripts read as an integer
    working_days=working_days_words,  # whole working days late: "dưới 1" for none yet, as every mail says it
    size=file_size,
    options=options,
    isoday=iso_day,
    input_day=input_day,
    shown_code=shown_code,  # a code whose document number is blank: "…/TB-UBND:II.3.b"; links keep the code
)
_env.filters["assignment_rows"] = assignment_rows  # the list's rows (web/templates/assignments.html)
# the civil-code rule where a day asked for fell on a day off (an event's ISO day): web/templates/_marks.html
_env.filters["day_off_moved"] = lambda asked: day_off_words(date.fromisoformat(asked[:10]))
# a day asked for that is a day off, as the secretariat's mail says it (web/templates/_requests.html, the queue)
_env.filters["asked_day_off"] = asked_day_off_words
_env.filters["date_note"] = date_note  # a plan's and an item's pages: beside the date, without the phrase
_env.filters["deadline_words"] = deadline_note  # the overdue lists (web/templates/_overdue.html)
_env.filters["milestone"] = lambda label: Markup(milestone_mark(label))  # as every list row marks it
_env.filters["extension_rows"] = extension_rows  # the extension queue's rows (web/templates/extensions.html)
_env.filters["queue_rows"] = queue_rows  # every other queue's rows (web/templates/queue.html)
_env.filters["reassignment_rows"] = reassignment_rows  # "Cần phân công lại" (web/templates/reassignment.html)


def required(action: str, field: str) -> Markup:
    """`` required`` on an action form's field (comment, due, percent, agency) when the transition
    table needs that input for that action (engine.workflow): the form asks what the engine will."""
    return Markup(" required") if Need(field) in TRANSITIONS[Action(action)].needs else Markup("")


def just_done(request: Request, history: list[Any]) -> Any | None:
    """The step a page may say was just recorded (``?done=ACTION``, the redirect after a form): the
    assignment's last event, and only when the URL names its action. The notice states what the
    history holds, not what the URL says: "?done=verify" typed on work in progress, or a page
    reloaded after the report it confirmed was sent back, says nothing."""
    last = history[-1] if history else None
    return last if last is not None and names_last_step(request.query_params.get("done", ""), last.action) else None


def judged_by_tolerance(views: Any) -> bool:
    """Whether any period of the indicator views (engine.services.indicator_views) is judged by
    dondoc's tolerances (engine.services.indicators.JUDGED_BY_TOLERANCE): their table then says what
    those words mean."""
    return any(p.status in JUDGED_BY_TOLERANCE for v in views for t in v.targets for p in t.periods)


_env.globals.update(
    required=required,
    quote_written=quoted,  # a role's phrase as the text wrote it, or that it names no body (engine.as_written)
    given_late_words=given_late_words,  # work given after its date: as the mails and digests say it
    just_done=just_done,
    CATEGORIES=list(Category),
    CATEGORY_LABELS=CATEGORY_LABELS_VI,
    ROLE_LABELS=ROLE_LABELS_VI,
    STATE_LABELS=STATE_LABELS_VI,
    ACTION_LABELS=ACTION_LABELS_VI,
    EVENT_LABELS=EVENT_LABELS_VI,
    # a step's and an event's name by the part's role: a partner's report is its input sent (engine.role_words)
    action_label=action_label,
    event_label=event_label,
    report_form_words=report_form_words,
    ACTOR_LABELS=ACTOR_LABELS_VI,
    MAIL_KIND_LABELS=MAIL_KIND_LABELS_VI,
    MAIL_STATUS_LABELS=MAIL_STATUS_LABELS_VI,
    mail_recipient=mail_recipient_label,  # whom one mail about a part went to (a predecessor by its name)
    mail_state=mail_state_label,  # one mail's state in words (a held row: told in a digest or not)
    never_given_to=never_given_to,  # a part never given to the body it was made for (web/templates/_history.html)
    given_apart=given_apart,  # a giving line recorded on another day than the body is given the work
    event_notes=event_notes,  # a history line's dates and figures, as the command line says them
    # who acted, by name, and the account that acted for it: the command line's and the conflict message's rule
    actor_words=actor_words,
    actor_label=actor_label,  # who asked, answered or uploaded: a role by its title, a body by its name
    NOT_GIVEN=NOT_GIVEN_VI,
    AGENCY_ROLES=sorted(AGENCY_RECIPIENTS),  # whose mails an agency's page lists
    # the filter form's fixed lists as (value, label) rows (web/templates/_filter.html); the roles'
    # is read with each page (web.filters.filter_choices: its words name the texts' headings of the lead)
    STATE_CHOICES=[(state.value, label) for state, label in STATE_LABELS_VI.items()],
    CATEGORY_CHOICES=[(category.value, CATEGORY_LABELS_VI[category]) for category in Category],
    # what «Gần đạt» and «Chưa đạt» mean, under a table that shows either (the report says it too)
    progress_legend=progress_legend,
    judged_by_tolerance=judged_by_tolerance,
)


def render(request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """Render a page; every page gets the CSRF token for its forms."""
    context.setdefault("principal", None)
    context.setdefault("committee", request.app.state.ctx.committee_name())  # the banner's, of the day
    context.setdefault("max_mb", request.app.state.ctx.max_upload_bytes // (1024 * 1024))
    return templates.TemplateResponse(request, name, {"csrf": csrf_token(request), **context}, status_code=status_code)
