"""A queue's rows, written in one pass, are what the template's loop wrote."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from types import SimpleNamespace
from typing import Any, cast

from dondoc.engine.services.queues import QueueRow
from dondoc.web.templating import templates

# The loop web/templates/queue.html had before its rows were written by the filter (the tick's value
# since: the row's id and version, web.escaping.bulk_box).
TEMPLATE_LOOP = """  {% for r in rows %}
    <tr data-id="{{ r.id }}">
      {% if queue.bulk and r.view %}<td><input type="checkbox" name="id" value="{{ r.id }}:{{ r.view.version }}" aria-label="Chọn {{ r.code }} — {{ r.agency }}"></td>{% endif %}
      <td>{% if r.kind == "assignment" %}<a href="/board/assignments/{{ r.id }}">{{ r.code }}</a>{% elif r.kind == "item" %}<a href="/board/items/{{ r.id }}">{{ r.code }}</a>{% else %}{{ r.code }}{% endif %} — {{ r.title|truncate(90, True, "…") }}{% if r.milestone %} <span class="muted">({{ r.milestone }})</span>{% endif %}</td>
      <td>{{ r.plan }}</td><td>{{ r.agency }}</td><td>{{ r.since|d }}</td><td class="num">{{ r.days_waiting }}</td><td>{{ r.detail }}</td>
    </tr>
  {% endfor %}"""  # noqa: E501


@dataclass
class _Queue:
    bulk: bool


def test_the_rows_are_what_the_template_loop_wrote() -> None:
    rows = [
        QueueRow(  # every text with characters to escape, a title to cut, a note
            "assignment",
            3,
            'A&B <"2">',
            "<b>Tiêu đề</b> & 'x' " + "rất dài " * 20,
            "Sở 'Y' & Z",
            "1/KH-UBND",
            date(2022, 6, 1),
            4,
            "Vì sao <chậm>?",
            cast(Any, SimpleNamespace(version=7)),  # an assignment's line: the version its tick carries
            "Quý <II> & 'III'",  # its milestone
        ),
        QueueRow("item", 4, "1/KH-UBND:II.2.d", "Bảo đảm an toàn hệ thống", "", "1/KH-UBND", date(2022, 6, 1), 0),
        QueueRow("notification", 5, "Nhắc việc", "Thư nhắc", "Sở Nội vụ", "", date(2022, 6, 2), 1, "550 hộp thư"),
    ]
    env = templates.env
    for bulk in (True, False):
        written = env.from_string("{{ rows|queue_rows(bulk) }}").render(rows=rows, bulk=bulk)
        assert written == env.from_string(TEMPLATE_LOOP).render(rows=rows, queue=_Queue(bulk)), bulk
        assert "&lt;b&gt;" in written and "<b>" not in written
        assert '<span class="muted">(Quý &lt;II&gt; &amp; &#39;III&#39;)</span>' in written
        assert ('type="checkbox"' in written) is bulk and ('value="3:7"' in written) is bulk
    assert env.from_string("{{ rows|queue_rows(True) }}").render(rows=[]) == ""
