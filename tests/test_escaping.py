"""The pages' fast escaping writes what markupsafe.escape writes."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st
from markupsafe import Markup, escape

from dondoc.web.escaping import text


@given(st.text(alphabet=st.sampled_from(list("aăâ Đđ&<>\"'ếọ/;#x1")) | st.characters(), max_size=40))
def test_text_is_escape(value: str) -> None:
    assert text(value) == str(escape(value))
    assert type(text(value)) is str


def test_other_values() -> None:
    for value in (12, 0, None, date(2022, 6, 30), Markup("<b>đã an toàn</b>"), 'a"b', "Sở 'A' & <B>"):
        assert text(value) == str(escape(value))
    assert text("<script>") == "&lt;script&gt;"
