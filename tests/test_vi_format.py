"""Dates written the Vietnamese way: ``vn_date`` is day/month/year as strftime writes it."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from dondoc.engine.vi_format import NONE, vn_date


@given(st.dates(min_value=date(1000, 1, 1)))
def test_a_day_is_written_as_strftime_writes_it(day: date) -> None:
    assert vn_date(day) == day.strftime("%d/%m/%Y")


def test_an_instant_is_written_as_its_local_day_and_none_as_a_dash() -> None:
    late = datetime(2022, 6, 30, 18, 30, tzinfo=UTC)  # 1 July, 01:30 in Hà Nội
    assert vn_date(late) == "01/07/2022"
    assert vn_date(late - timedelta(hours=2)) == "30/06/2022"
    assert vn_date(date(2022, 1, 5)) == "05/01/2022"
    assert vn_date(None) == NONE
