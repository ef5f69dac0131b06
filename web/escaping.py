"""Escaping for the pages' hand-written parts (the rows written in one pass: web/*_rows.py), and
the pieces they share: the ``<option>``s of a list written from its rows (the filter form's, a
row's choice of agency), the checkbox cell of a row the bulk form acts on. What autoescape
writes, for less.

``markupsafe.escape`` makes a ``Markup`` object of every value (~0.35 µs, most of it the object);
a list of 100 rows escapes ~1,000 values, nearly all of them plain text with nothing to replace.
``text`` looks for the five characters first and calls ``escape`` only when one is there, so its
result is always the same characters as ``escape``'s."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from markupsafe import Markup, escape

from dondoc.engine.vi_format import shown_code


def text(value: object) -> str:
    """``value`` as HTML text: ``markupsafe.escape(value)``'s characters (``&``, ``<``, ``>``,
    ``'``, ``"`` replaced; an object with ``__html__`` given as it says)."""
    if type(value) is not str:
        return str(escape(value))
    if "&" in value or "<" in value or ">" in value or '"' in value or "'" in value:
        return str(escape(value))
    return value


def options(pairs: Iterable[Sequence[Any]], selected: object, label: int = 1, code: bool = False) -> Markup:
    """The ``<option>`` elements of a list's (value, label, …) rows, the one equal to ``selected``
    marked: what a loop over them in a template writes (each text escaped as autoescape does), in
    one pass. ``label``: which column is shown; ``code``: it is a plan's number, shown as
    engine.vi_format.shown_code shows it (the value keeps it as stored)."""
    return Markup(
        "".join(
            f'<option value="{text(row[0])}"{" selected" if row[0] == selected else ""}>'
            f"{text(shown_code(row[label]) if code else row[label])}</option>"
            for row in pairs
        )
    )


def milestone_words(label: str | None) -> str:
    """The milestone beside an item's code or title, in plain text (" (Quý II/2022)"), or nothing:
    one body's two milestones of an item were two like lines (a queue, its export, the bulk summary)."""
    return f" ({label})" if label else ""


def milestone_mark(label: str | None) -> str:
    """The milestone beside an item in a list row, as HTML (``milestone_words`` in a muted span):
    every list and queue marks it the same way."""
    return f' <span class="muted">({text(label)})</span>' if label else ""


def bulk_box(row_id: int, version: int, code: str, agency: str, form: str = "") -> str:
    """The cell of a list row's checkbox for the bulk form (``code`` and ``agency`` already
    escaped): every list with bulk actions marks its rows the same way. Its value is the row's id
    and the version the list showed ("ID:VERSION"): a row changed since (a report sent back and sent
    again, a date moved) is refused, not acted on unseen (web.routers.bulk). ``form``: the id of the
    bulk form, where the row holds a form of its own and so cannot sit inside that one."""
    owner = f' form="{form}"' if form else ""
    return (
        f'<td><input type="checkbox" name="id" value="{row_id}:{version}"{owner}'
        f' aria-label="Chọn {code} — {agency}"></td>'
    )
