"""The rows of a queue's page (web/templates/queue.html), written in one pass: what the template's
loop wrote, byte for byte, each value escaped as autoescape escapes it (web/escaping.py).

Every queue without a page of its own lists through this; through the template a row cost ~20
pieces and ~10 escapes of Jinja's generated code, a third of a small queue's page."""

from __future__ import annotations

from collections.abc import Iterable

import jinja2
from jinja2.filters import do_truncate
from markupsafe import Markup

from dondoc.engine.services.queues import QueueRow
from dondoc.engine.vi_format import shown_code, vn_date
from dondoc.web.escaping import bulk_box, milestone_mark, text

_LINKS = {"assignment": "/board/assignments/", "item": "/board/items/"}  # what a line's code links to


@jinja2.pass_environment
def queue_rows(environment: jinja2.Environment, rows: Iterable[QueueRow], bulk: bool, mails: bool = False) -> Markup:
    """One ``<tr>`` per line: with ``bulk``, a checkbox for the bulk form (with ``mails``, for the
    failed mails' form: the mail's id, web.routers.failed_mails); the code (linked to the
    assignment or the item it is about) and the title cut at 90 characters, the plan, the agency,
    the day it waits from, the working days waited, and the line's note."""
    lines = []
    for r in rows:
        code, agency = text(shown_code(r.code)), text(r.agency)
        # (as the template wrote it: the checkbox's cell at the start of the next line, no break after it)
        check = bulk_box(r.id, r.view.version, code, agency) if bulk and r.view is not None else ""
        if mails:  # a mail's id, for the failed mails' form (outside the table, hence form="mails")
            box = f'name="id" value="{r.id}" form="mails" aria-label="Chọn thư gửi {agency}"'
            check = f'<td><input type="checkbox" {box}></td>'
        link = _LINKS.get(r.kind)
        shown = f'<a href="{link}{r.id}">{code}</a>' if link else code
        title = text(do_truncate(environment, r.title, 90, True, "…"))
        lines.append(
            f'    <tr data-id="{r.id}">\n{check}'
            f"      <td>{shown} — {title}{milestone_mark(r.milestone)}</td>\n"
            f"      <td>{text(shown_code(r.plan))}</td><td>{agency}</td><td>{text(vn_date(r.since))}</td>"
            f'<td class="num">{r.days_waiting}</td><td>{text(r.detail)}</td>\n'
            "    </tr>\n"
        )
    return Markup("".join(lines))
