"""The filter form's ``options`` filter (web.templating) writes what a loop in the template wrote:
each value and label escaped as autoescape escapes them, the chosen one marked."""

from __future__ import annotations

import pytest

from dondoc.web.templating import templates

env = templates.env

LOOP = (
    '{% for value, label in rows %}<option value="{{ value }}"{% if value == chosen %} selected{% endif %}>'
    "{{ label }}</option>{% endfor %}"
)
ROWS = [("co-quan-1", "Sở A & B"), ('x"<y>', "Tên 'có' <b>dấu</b>"), ("", ""), ("3", "Ba")]


@pytest.mark.parametrize("chosen", ["", "co-quan-1", 'x"<y>', "3", "khong-co"])
def test_options_write_what_the_template_loop_wrote(chosen: str) -> None:
    loop = env.from_string(LOOP).render(rows=ROWS, chosen=chosen)
    one_pass = env.from_string("{{ rows|options(chosen) }}").render(rows=ROWS, chosen=chosen)
    assert one_pass == loop
    assert one_pass.count(" selected") == sum(value == chosen for value, _ in ROWS)


def test_options_show_the_column_asked_for() -> None:
    shown = env.from_string("{{ rows|options('2/KH', label=0) }}").render(rows=[("1/KH", "Một"), ("2/KH", "Hai")])
    assert shown == '<option value="1/KH">1/KH</option><option value="2/KH" selected>2/KH</option>'
