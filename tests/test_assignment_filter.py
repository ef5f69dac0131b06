"""A list's filter as the URL carries it: every field, in the dataclass's order, only those set."""

from __future__ import annotations

from dataclasses import fields
from urllib.parse import parse_qsl

from hypothesis import given
from hypothesis import strategies as st

from dondoc.engine.services.assignment_filter import FIELDS, AssignmentFilter


def test_fields_names_every_field_of_the_filter_in_order() -> None:
    assert FIELDS == tuple(field.name for field in fields(AssignmentFilter))


@given(st.dictionaries(st.sampled_from(FIELDS), st.text(min_size=1).map(str.strip).filter(bool)))
def test_the_query_string_carries_the_fields_set_and_reads_back(values: dict[str, str]) -> None:
    where = AssignmentFilter(**values)
    assert where.active == bool(values)
    text = where.query_string()
    assert [part.split("=")[0] for part in text.split("&") if part] == [name for name in FIELDS if name in values]
    assert AssignmentFilter.from_query(dict(parse_qsl(text))) == where
    assert AssignmentFilter(q="a").query_string(q="", plan="1/KH") == "plan=1%2FKH"
