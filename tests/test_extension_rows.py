"""The extension queue's rows, written in one pass, are what the template's loop wrote."""

from __future__ import annotations

from datetime import UTC, date, datetime

from dondoc.engine.services.extension_queue import PendingExtension
from dondoc.web.templating import templates
from tests.test_assignment_rows import _view

# The loop web/templates/extensions.html had before its rows were written by the filter.
TEMPLATE_LOOP = """{% set csrf_field %}<input type="hidden" name="csrf" value="{{ csrf }}">{% endset %}
  {% for r in rows %}{% set a = r.assignment %}{% set id = a.id %}{% set can = r.allowed %}
    <tr data-id="{{ id }}" id="extension-{{ id }}">
      <td><a href="/board/assignments/{{ id }}">{{ a.item_code }}</a> — {{ a.item_title }}{% if a.milestone_label %} <span class="muted">({{ a.milestone_label }})</span>{% endif %}<br><span class="muted">{{ a.plan_number }}</span></td>
      <td>{{ a.agency_name }}{% if r.ended %}<br><span class="tag ended">Cơ quan đã không còn: quyết định không gửi thư cho ai; Tổ giúp việc quyết định cơ quan nhận phần việc này</span>{% endif %}</td>
      <td>{{ a.due_at|d }}<br><span class="cat cat-{{ a.category }}">{{ a.category_label }}</span></td>
      <td>đến ngày <strong>{{ r.requested_due|d }}</strong>{% with off = r.requested_due|asked_day_off %}{% if off %} ({{ off }}){% endif %}{% endwith %}{% if r.past %}<br><span class="tag warn">ngày đề nghị đã qua: chọn ngày khác nếu gia hạn</span>{% endif %}<br><q>{{ r.reason }}</q><br><span class="muted">{{ r.asked_at|dt }}</span></td>
      <td class="num">{{ r.days_waiting }}</td>
      <td>
        {% if "extend" in can %}
        <form method="post" action="/board/de-nghi-gia-han/{{ id }}" class="inline" id="form-extend-{{ id }}">
          {{ csrf_field }}<input type="hidden" name="version" value="{{ a.version }}"><input type="hidden" name="action" value="extend">
          <label>Gia hạn đến <input type="date" name="due" required value="{{ r.requested_due or '' }}"></label>
          <button type="submit">Gia hạn</button>
        </form>
        {% endif %}
        {% if "refuse_extension" in can %}
        <form method="post" action="/board/de-nghi-gia-han/{{ id }}" class="inline" id="form-refuse-{{ id }}">
          {{ csrf_field }}<input type="hidden" name="version" value="{{ a.version }}"><input type="hidden" name="action" value="refuse_extension">
          <label>Lý do từ chối <input name="comment" required></label>
          <button type="submit">Từ chối</button>
        </form>
        {% endif %}
      </td>
    </tr>
  {% endfor %}"""  # noqa: E501

ASKED = datetime(2022, 6, 1, 3, 4, tzinfo=UTC)


def test_the_rows_are_what_the_template_loop_wrote() -> None:
    both = frozenset({"extend", "refuse_extension"})
    rows = [
        PendingExtension(_view(7), ASKED, "so-tttt", "Chờ kinh phí", date(2022, 7, 30), 3, both),
        PendingExtension(  # every text with characters to escape
            _view(8, item_code='A&B <"2">', item_title="<b>Tiêu đề</b> & 'x'", agency_name='Sở "Y" & Z'),
            ASKED,
            "so-tttt",
            'Chờ <kinh phí> & "dự toán"',
            date(2022, 8, 1),
            12,
            both,
        ),
        PendingExtension(_view(9, due_at=None), ASKED, "so-tttt", "", None, 0, frozenset()),  # nothing allowed
        PendingExtension(_view(10), ASKED, "so-tttt", "x", None, 1, frozenset({"refuse_extension"})),
        PendingExtension(_view(11), ASKED, "so-tttt", "x", date(2022, 9, 2), 1, frozenset({"extend"})),
        # a quarter's report (its milestone named), of a body that has ended, asked for a day now past
        PendingExtension(
            _view(12, milestone_label="Quý I/2023"), ASKED, "a", "x", date(2022, 6, 2), 9, both, True, True
        ),
    ]
    env = templates.env
    written = env.from_string("{{ rows|extension_rows(csrf) }}").render(rows=rows, csrf="tok&en")
    assert written == env.from_string(TEMPLATE_LOOP).render(rows=rows, csrf="tok&en").lstrip("\n")
    assert "&lt;b&gt;" in written and "<b>" not in written and 'value="tok&amp;en"' in written
    assert written.count('id="form-extend-') == 4 and written.count('id="form-refuse-') == 4
    # 30/07/2022 a Saturday: said as the secretariat's mail says it; the form keeps the day asked
    off = "(ngày nghỉ: Thứ Bảy; nếu đồng ý, hạn là ngày làm việc kế tiếp, 01/08/2022)"
    assert f"đến ngày <strong>30/07/2022</strong> {off}" in written and 'value="2022-07-30"' in written
    assert "đến ngày <strong>02/06/2022</strong><br>" in written  # a working day: nothing said
    last = written.split('data-id="12"', 1)[1]
    assert "(Quý I/2023)" in last and "ngày đề nghị đã qua" in last and "Cơ quan đã không còn" in last
