"""The rows of the queue "Cần phân công lại" (web/templates/reassignment.html), written in one pass:
what the template's loop wrote, byte for byte, each value escaped as autoescape escapes it
(web/escaping.py).

Each row carries a choice of agency: the bodies its succession names, then every agency that
exists today of the committee's province (the same options in every row, written once and repeated;
a row of a plan of another province has its own)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from markupsafe import Markup

from dondoc.engine.models.assignments import role_label
from dondoc.engine.services.successions import InTheWay, WaitingTransfer
from dondoc.engine.vi_format import shown_code, vn_date
from dondoc.web.escaping import bulk_box, options, text

BULK_FORM = "bulk-reassign"  # the page's form that names one body for the ticked rows (web.routers.bulk)


def reassignment_rows(
    rows: Iterable[WaitingTransfer],
    existing: Sequence[Sequence[str]],
    csrf: str,
    others: Mapping[int, Sequence[Sequence[str]]] | None = None,
) -> Markup:
    """One ``<tr>`` per waiting assignment: its checkbox for the form that decides the ticked rows
    at once (``BULK_FORM``), the item and milestone (linked), the body that ended,
    the reorganisation (from when, why, on what basis, and the bodies it names with their
    functions), and the form to choose who takes the work: from ``existing``, or for a row of a plan
    of another province, from its own list in ``others`` (engine.provinces)."""
    every, others = options(existing, None), others or {}
    token = f'<input type="hidden" name="csrf" value="{text(csrf)}">'
    lines = []
    for r in rows:
        id_ = r.assignment_id
        named = "".join(
            f"<br><small>{text(name)}{': ' + text(', '.join(functions)) if functions else ''}"
            f"{way_words(r.ways.get(code), role_label('lead', r.lead_heading).lower())}</small>"
            for code, name, functions in r.candidates
        )
        # the successors named come first, the first chosen; with none named (a dissolution), nothing is
        # chosen until the clerk chooses: the browser had chosen the first body of the list itself
        choices = options(r.candidates, None) or Markup('<option value="" selected disabled>— Chọn cơ quan —</option>')
        box = bulk_box(id_, r.version, text(shown_code(r.item_code)), text(r.from_name), form=BULK_FORM)
        lines.append(
            f'    <tr data-id="{id_}">{box}\n'
            f'      <td><a href="/board/assignments/{id_}">{text(shown_code(r.item_code))} (mốc {r.milestone_seq})</a>'
            f" — {text(r.item_title)}</td>\n"
            f"      <td>{text(r.from_name)}</td>\n"
            f"      <td>Từ {text(vn_date(r.effective_on))}: {text(r.reason)}"
            f"<br><small>Căn cứ: {text(r.source)}</small>\n"
            f"{named}</td>\n"  # (the template's loop began the line: its indent was not written)
            "      <td>\n"
            f'        <form method="post" action="/board/can-phan-cong-lai/{id_}">\n'
            f'          {token}<input type="hidden" name="version" value="{r.version}">\n'
            '          <select name="agency" required>\n'
            f'{choices}            <option value="" disabled>──────────</option>\n'
            f"            {options(others[id_], None) if id_ in others else every}\n"
            "          </select>\n"
            '          <button type="submit">Phân công</button>\n'
            "        </form>\n"
            "      </td>\n"
            "    </tr>\n"
        )
    return Markup("".join(lines))


def way_words(way: InTheWay | None, lead_word: str) -> str:
    """What choosing a named body would meet, said before the clerk chooses: its own part of the
    milestone that stands in the way, the parts of it that end if it takes the lead, or those it keeps
    beside the lead where other leads go on (the lead named by the text's word: "chủ trì", or "tham mưu"),
    as HTML text: the queue's rows and a part's own page (:func:`held_lines`) say it alike."""
    if way is None:
        return ""
    if way.refused:
        return f" — {text(way.refused)}: không giao được"
    if way.closes:
        parts = ", ".join(p.words for p in way.closes)
        those = "các phần việc đó" if len(way.closes) > 1 else "phần việc đó"
        return f" — đang có phần việc {text(parts)} của nhiệm vụ này: nếu giao {text(lead_word)}, {those} sẽ bị hủy"
    if way.keeps:
        parts = ", ".join(p.words for p in way.keeps)
        those = "các phần việc đó" if len(way.keeps) > 1 else "phần việc đó"
        return (
            f" — đang có phần việc {text(parts)} của nhiệm vụ này: nếu giao {text(lead_word)}, {those} vẫn giữ "
            f"(nhiệm vụ còn cơ quan {text(lead_word)} khác)"
        )
    return ""


def held_lines(ways: Mapping[str, InTheWay], bodies: Iterable[Sequence[Any]], lead_word: str) -> list[Markup]:
    """A part's own page, under its choice of ``bodies`` (code, name, …; each once, in the list's order):
    one line per body whose own parts of the milestone choosing it would meet, in the queue's words
    (:func:`way_words`)."""
    lines, seen = [], set()
    for body in bodies:
        code, name = str(body[0]), str(body[1])
        said = way_words(ways.get(code), lead_word) if code not in seen else ""
        seen.add(code)
        if said:
            lines.append(Markup(f"{text(name)}{said}"))
    return lines
