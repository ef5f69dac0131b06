"""The rows of "Cần phân công lại", written in one pass, are what the template's loop wrote."""

from __future__ import annotations

from datetime import date

from dondoc.engine.services.successions import WaitingTransfer
from dondoc.web.templating import templates

# The loop web/templates/reassignment.html had before its rows were written by the filter.
TEMPLATE_LOOP = """{% set csrf_field %}<input type="hidden" name="csrf" value="{{ csrf }}">{% endset %}
{% set every_agency %}{% for code, name in existing %}<option value="{{ code }}">{{ name }}</option>{% endfor %}{% endset %}
  {% for r in rows %}{% set id = r.assignment_id %}
    <tr data-id="{{ id }}"><td><input type="checkbox" name="id" value="{{ id }}:{{ r.version }}" form="bulk-reassign" aria-label="Chọn {{ r.item_code }} — {{ r.from_name }}"></td>
      <td><a href="/board/assignments/{{ id }}">{{ r.item_code }} (mốc {{ r.milestone_seq }})</a> — {{ r.item_title }}</td>
      <td>{{ r.from_name }}</td>
      <td>Từ {{ r.effective_on|d }}: {{ r.reason }}<br><small>Căn cứ: {{ r.source }}</small>
        {% for code, name, functions in r.candidates %}<br><small>{{ name }}{% if functions %}: {{ functions|join(", ") }}{% endif %}</small>{% endfor %}</td>
      <td>
        <form method="post" action="/board/can-phan-cong-lai/{{ id }}">
          {{ csrf_field }}<input type="hidden" name="version" value="{{ r.version }}">
          <select name="agency" required>
            {% for code, name, functions in r.candidates %}<option value="{{ code }}">{{ name }}</option>{% else %}<option value="" selected disabled>— Chọn cơ quan —</option>{% endfor %}
            <option value="" disabled>──────────</option>
            {{ every_agency }}
          </select>
          <button type="submit">Phân công</button>
        </form>
      </td>
    </tr>
  {% endfor %}"""  # noqa: E501


def test_the_rows_are_what_the_template_loop_wrote() -> None:
    split = [("so-xd", "Sở Xây dựng & <Quy hoạch>", ["Quy hoạch", "Xây 'dựng'"]), ("so-ct", "Sở Công Thương", [])]
    rows = [
        WaitingTransfer(
            5,
            'A&B <"2">',
            "<b>Tiêu đề</b> & 'x'",
            2,
            "so-a",
            "Sở 'A'",
            "s1",
            "split",
            date(2025, 3, 1),
            "Quyết định <số 1>",
            "Tách theo chức năng",
            split,
        ),  # fmt: skip
        WaitingTransfer(
            6, "1/KH:II.2", "Tiêu đề", 1, "so-a", "Sở A", "s2", "merge", date(2025, 3, 1), "QĐ 2", "Hợp nhất", []
        ),  # fmt: skip
    ]
    existing = [("so-xd", "Sở Xây dựng & <Quy hoạch>"), ("so-e", "Sở 'E'")]
    env = templates.env
    written = env.from_string("{{ rows|reassignment_rows(existing, csrf) }}").render(
        rows=rows, existing=existing, csrf="t&k"
    )
    assert written == env.from_string(TEMPLATE_LOOP).render(rows=rows, existing=existing, csrf="t&k").lstrip("\n")
    assert "&lt;b&gt;" in written and "<b>" not in written and 'value="t&amp;k"' in written
    assert written.count('<option value="so-e">Sở &#39;E&#39;</option>') == 2  # every agency, in each row
    # a row with no successor named (a dissolution) chooses nobody until the clerk does: the browser
    # had chosen the list's first body, one click from giving a district's work to the committee
    dissolved = written.split('data-id="6"', 1)[1]
    assert '<option value="" selected disabled>— Chọn cơ quan —</option>' in dissolved
    assert '<option value="" selected disabled>' not in written.split('data-id="6"', 1)[0]
