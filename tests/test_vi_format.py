"""Dates written the Vietnamese way: ``vn_date`` and ``vn_datetime`` as strftime writes them; counts,
measures and percentages with Vietnamese marks."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from dondoc.engine.clock import DEFAULT_DAYS
from dondoc.engine.vi_format import NONE, percent_tenths, vn_count, vn_date, vn_datetime, vn_number, vn_percent


@given(st.dates(min_value=date(1000, 1, 1)))
def test_a_day_is_written_as_strftime_writes_it(day: date) -> None:
    assert vn_date(day) == day.strftime("%d/%m/%Y")


@given(st.datetimes(min_value=datetime(1000, 1, 2), max_value=datetime(9998, 12, 30), timezones=st.just(UTC)))
def test_an_instant_is_written_as_strftime_writes_its_local_time(instant: datetime) -> None:
    assert vn_datetime(instant) == instant.astimezone(DEFAULT_DAYS.tz).strftime("%d/%m/%Y %H:%M")
    assert vn_datetime(None) == NONE


def test_an_instant_is_written_as_its_local_day_and_none_as_a_dash() -> None:
    late = datetime(2022, 6, 30, 18, 30, tzinfo=UTC)  # 1 July, 01:30 in Hà Nội
    assert vn_date(late) == "01/07/2022"
    assert vn_date(late - timedelta(hours=2)) == "30/06/2022"
    assert vn_date(date(2022, 1, 5)) == "05/01/2022"
    assert vn_date(None) == NONE


def test_a_percentage_rounds_a_half_up_as_a_reader_does() -> None:
    """Sở LĐ-TB&XH's 9 of 16 on time read "56,2 %" (Python rounds a half to even)."""
    assert vn_percent(9 / 16) == "56,3 %" and vn_percent(7 / 16) == "43,8 %"
    assert vn_percent(1 / 400) == "0,3 %"  # 0.25 %, whatever the float's last bit
    assert vn_percent(6 / 7) == "85,7 %" and vn_percent(1 / 3) == "33,3 %"
    assert vn_percent(0) == "0,0 %" and vn_percent(1) == "100,0 %" and vn_percent(None) == "—"
    assert float(percent_tenths(9 / 16)) == 56.3  # the board's CSV column, rounded alike


def test_a_count_groups_its_thousands_with_a_dot() -> None:
    """The board's "(+1626 tồn đọng)" reads "(+1.626 tồn đọng)" in Vietnamese."""
    assert vn_count(1626) == "1.626" and vn_count(12345) == "12.345" and vn_count(1_234_567) == "1.234.567"
    assert vn_count(0) == "0" and vn_count(12) == "12" and vn_count(999) == "999" and vn_count(1000) == "1.000"
    assert vn_count(-1626) == "-1.626" and vn_count(-999) == "-999"


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_a_count_reads_back_as_itself_in_groups_of_three(n: int) -> None:
    written = vn_count(n)
    assert re.fullmatch(r"-?\d{1,3}(\.\d{3})*", written) and int(written.replace(".", "")) == n


def test_a_measure_is_written_in_full_with_vietnamese_marks() -> None:
    """An indicator's target of a million read "≥ 1e+06 người"; 1234567.5 read "1,23457e+06"."""
    assert vn_number(65.0) == "65" and vn_number(65.5) == "65,5" and vn_number(0.125) == "0,125"
    assert vn_number(1_000_000) == "1.000.000" and vn_number(1e6) == "1.000.000" and vn_number(1234.25) == "1.234,25"
    assert vn_number(1_234_567.5) == "1.234.567,5" and vn_number(1e16) == "10.000.000.000.000.000"
    assert vn_number(0.1) == "0,1" and vn_number(1e-7) == "0,0000001" and vn_number(0) == "0"
    assert vn_number(-1234.5) == "-1.234,5" and vn_number(-0.0) == "0" and vn_number(None) == NONE


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_a_measure_reads_back_as_itself(value: float) -> None:
    written = vn_number(value)
    assert re.fullmatch(r"-?\d{1,3}(\.\d{3})*(,\d*[1-9])?", written), written
    assert float(written.replace(".", "").replace(",", ".")) == value
