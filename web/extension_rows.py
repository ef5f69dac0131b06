"""The rows of the extension-request queue (web/templates/extensions.html), written in one pass:
what the template's loop wrote, byte for byte, each value escaped as autoescape escapes it.

Each row carries its two decision forms; through the template a page of 100 rows cost ~2 ms of
Jinja's generated code (~30 pieces and ~23 escapes a row), more than the page's statements."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from markupsafe import Markup

from dondoc.engine.services.extension_queue import ENDED_WORDS, PAST_WORDS, PendingExtension
from dondoc.engine.status import asked_day_off_words
from dondoc.engine.vi_format import shown_code, vn_date, vn_datetime
from dondoc.web.escaping import milestone_mark, text

# A body that has ended since it asked: no mail reaches it, and who takes its work is the secretariat's to decide.
_ENDED = f'<br><span class="tag ended">{text(ENDED_WORDS)}</span>'


# A day asked for that has passed while the request waited: the form is pre-filled with it all the same.
_PAST = f'<br><span class="tag warn">{text(PAST_WORDS)}</span>'


def _day_off(asked: date | None) -> str:
    """A day asked for that is a day off, said as the secretariat's mail says it
    (engine.status.asked_day_off_words): the date that applies if agreed is the next working day."""
    words = asked_day_off_words(asked)
    return f" ({text(words)})" if words else ""


def _asked_by(handed_on_by: str | None) -> str:
    """A request of the body that held the part before a succession: whose it is, beneath the body
    that holds it now (the secretariat's answer goes to that one)."""
    return f'<br><span class="muted">Đề nghị của {text(handed_on_by)}</span>' if handed_on_by else ""


def _lead_dates(lead_dates: str | None) -> str:
    """A partner's part: its leads' dates in force, beneath the body (partner_dates.lead_dates_words)."""
    return f'<br><span class="muted lead-date">{text(lead_dates)}</span>' if lead_dates else ""


def _after_lead(after_lead: str | None) -> str:
    """A partner's day asked for after a lead's date, beneath the day (partner_dates.after_leads_words)."""
    return f'<br><span class="tag warn after-lead">{text(after_lead)}</span>' if after_lead else ""


def extension_rows(rows: Iterable[PendingExtension], csrf: str, back: str = "") -> Markup:
    """One ``<tr>`` per pending request: the item (linked) and its plan, the agency, the due date in
    force with its category, the date asked for (a day off: the day it becomes) with the reason and
    when it was asked, the working days waited, and the decisions the rule book allows the reader
    (``r.allowed``): extend (the date field pre-filled with the date asked for) and refuse (with a
    reason); each form carries ``back``, the queue as the page shows it (filter and page), to return
    to once decided."""
    token = f'<input type="hidden" name="csrf" value="{text(csrf)}">'
    if back:
        token += f'<input type="hidden" name="back" value="{text(back)}">'
    lines = []
    for r in rows:
        a = r.assignment
        id_, version = a.id, a.version
        lines.append(
            f'    <tr data-id="{id_}" id="extension-{id_}">\n'
            f'      <td><a href="/board/assignments/{id_}">{text(shown_code(a.item_code))}</a> — {text(a.item_title)}'
            f"{milestone_mark(a.milestone_label)}"
            f'<br><span class="muted">{text(shown_code(a.plan_number))}</span></td>\n'
            f"      <td>{text(a.agency_name)}{_ENDED if r.ended else ''}{_asked_by(r.handed_on_by)}"
            f"{_lead_dates(r.lead_dates)}</td>\n"
            f'      <td>{text(vn_date(a.due_at))}<br><span class="cat cat-{text(a.category)}">'
            f"{text(a.category_label)}</span></td>\n"
            f"      <td>đến ngày <strong>{text(vn_date(r.requested_due))}</strong>{_day_off(r.requested_due)}"
            f"{_PAST if r.past else ''}{_after_lead(r.after_lead)}"
            f"<br><q>{text(r.reason)}</q>"
            f'<br><span class="muted">{text(vn_datetime(r.asked_at))}</span></td>\n'
            f'      <td class="num">{r.days_waiting}</td>\n'
            "      <td>\n"
        )
        if "extend" in r.allowed:
            lines.append(
                f'        <form method="post" action="/board/de-nghi-gia-han/{id_}" class="inline"'
                f' id="form-extend-{id_}">\n'
                f'          {token}<input type="hidden" name="version" value="{version}">'
                '<input type="hidden" name="action" value="extend">\n'
                '          <label>Gia hạn đến <input type="date" name="due" required'
                f' value="{text(r.requested_due or "")}"></label>\n'
                '          <button type="submit">Gia hạn</button>\n'
                "        </form>\n"
            )
        if "refuse_extension" in r.allowed:
            lines.append(
                f'        <form method="post" action="/board/de-nghi-gia-han/{id_}" class="inline"'
                f' id="form-refuse-{id_}">\n'
                f'          {token}<input type="hidden" name="version" value="{version}">'
                '<input type="hidden" name="action" value="refuse_extension">\n'
                '          <label>Lý do từ chối <input name="comment" required></label>\n'
                '          <button type="submit">Từ chối</button>\n'
                "        </form>\n"
            )
        lines.append("      </td>\n    </tr>\n")
    return Markup("".join(lines))
