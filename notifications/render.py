"""Jinja2 rendering of the Vietnamese emails: three templates per kind.

``<kind>.subject.j2`` (one line), ``<kind>.txt.j2`` (plain text) and ``<kind>.html.j2``
(HTML, autoescaped). Undefined names are errors, so a template cannot silently lose a fact.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, TemplateNotFound, select_autoescape
from markupsafe import Markup, escape

from dondoc.engine.actors import AGENCY_RECIPIENTS, LEADER_RECIPIENTS
from dondoc.engine.mail_labels import mail_kind_label
from dondoc.engine.role_words import send_words, send_words_of, sent_words
from dondoc.engine.services.explanations import extension_waiting_words
from dondoc.engine.services.indicators import progress_legend
from dondoc.engine.services.snoozes import snoozed_words
from dondoc.engine.status import (
    asked_day_off_words,
    given_late_words,
    lateness_in_subject,
    reported_given_late_words,
    working_days_words,
)
from dondoc.engine.vi_format import shown_code, vn_count
from dondoc.tasks_catalog.cycles import period_in_sentence

KINDS = (
    "new_assignment",
    "inherited_work",  # a successor is told the open work it took over (engine.services.successions)
    "reminder",
    "unacknowledged",
    "overdue",
    "overdue_at_issue",
    "partner_input",
    "report_unverified",
    "escalation",
    "digest_leader",
    "digest_secretariat",
    # requests between people and their answers (engine.services.request_mails)
    "explanation_request",
    "explanation_answer",
    "extension_request",
    "extension_granted",
    "extension_refused",
    "report_returned",
    "assignment_cancelled",
    "partner_input_received",
)
REPORT_KINDS = ("periodic_report",)  # about a period, not one assignment: facts from MailSpec.data (dondoc.report_job)
SUBJECT_PREFIX = "[Đôn đốc]"


@dataclass(frozen=True)
class Rendered:
    """One rendered email: subject (a single line), plain text and HTML bodies."""

    subject: str
    text: str
    html: str


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The shared environment: autoescape for ``.html.j2``, StrictUndefined, no autoreload;
    every template knows which recipient roles are agencies and which are leaders."""
    env = Environment(
        loader=PackageLoader("dondoc.notifications", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html.j2",), default_for_string=False, default=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    env.filters["lines"] = lines
    env.filters["shown_code"] = shown_code  # a code whose document number is blank: "…/TB-UBND:II.3.b"
    env.filters["num"] = vn_count  # a count as a page writes it (1.626): the digests' totals reach thousands
    env.filters["working_days"] = working_days_words  # whole working days late: "dưới 1" for none yet
    env.filters["mail_kind"] = mail_kind_label  # a kind of mail by its Vietnamese name, as the outbox names it
    env.globals["agency_roles"] = sorted(AGENCY_RECIPIENTS)
    env.globals["leader_roles"] = sorted(LEADER_RECIPIENTS)
    env.globals["extension_waiting"] = extension_waiting_words  # as the leaders' page says it too
    env.globals["snoozed_words"] = snoozed_words  # as the leaders' page says it too
    env.globals["asked_day_off"] = asked_day_off_words  # a day off asked for: as the queue and the pages say it
    env.filters["in_sentence"] = period_in_sentence  # "Năm 2022" inside a sentence: "năm 2022"
    env.globals["given_late_words"] = given_late_words  # work given after its date: as the pages say it too
    env.globals["lateness_in_subject"] = lateness_in_subject  # a subject's figure: the body's own, as its facts say
    env.globals["reported_given_late_words"] = reported_given_late_words  # its report, waiting: as its page says
    # what a body sends for its part: a partner its input to the lead, never a report (as its page says)
    env.globals["sent_words"] = sent_words
    env.globals["send_words"] = send_words
    env.globals["send_words_of"] = send_words_of
    env.globals["progress_legend"] = progress_legend  # what «Gần đạt», «Chưa đạt» mean: as the report says it
    return env


def lines(text: str) -> Markup:
    """``text`` escaped, its line breaks kept as ``<br>``: a document's own sub-lines ("- Nội dung: …"
    under an item's title) stay lines in a mail's HTML table cell, where white space collapses."""
    return Markup("<br>\n").join(escape(line) for line in str(text).splitlines())


def render(kind: str, context: dict[str, Any]) -> Rendered:
    """Render the three parts of an email of ``kind`` with ``context``."""
    if kind not in KINDS + REPORT_KINDS:
        raise ValueError(f'no templates for mail kind "{kind}"; known kinds: {", ".join(KINDS + REPORT_KINDS)}')
    env = environment()
    try:
        parts = [env.get_template(f"{kind}.{part}.j2").render(context) for part in ("subject", "txt", "html")]
    except TemplateNotFound as exc:
        raise ValueError(f'template "{exc.name}" is missing') from None
    subject = " ".join(parts[0].split())  # one line, whatever the data holds
    if not subject.startswith(SUBJECT_PREFIX):
        subject = f"{SUBJECT_PREFIX} {subject}"
    return Rendered(subject=subject, text=parts[1], html=parts[2])
