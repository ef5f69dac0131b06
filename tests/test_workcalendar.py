"""engine.workcalendar: Vietnamese working days, 2022 holidays, calendar.yaml."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dondoc.engine.workcalendar import CalendarFileError, WorkCalendar

D = date


@pytest.fixture(scope="module")
def cal() -> WorkCalendar:
    return WorkCalendar.default()


def test_default_reads_shipped_file(cal):
    assert cal.roll_forward is True


@pytest.mark.parametrize("d", [D(2022, 1, 31), D(2022, 2, 1), D(2022, 2, 2), D(2022, 2, 3), D(2022, 2, 4)])
def test_tet_2022_days_off(cal, d):
    assert not cal.is_working_day(d)
    assert "Tết" in cal.day_off_reason(d)


def test_gio_to_2022_sunday_and_observed_monday(cal):
    assert D(2022, 4, 10).weekday() == 6
    assert cal.day_off_reason(D(2022, 4, 10)) == "Ngày Giỗ Tổ Hùng Vương"
    assert not cal.is_working_day(D(2022, 4, 11))
    assert cal.day_off_reason(D(2022, 4, 11)) == "Ngày Giỗ Tổ Hùng Vương (nghỉ bù)"
    assert cal.is_working_day(D(2022, 4, 12))


@pytest.mark.parametrize("d", [D(2022, 4, 30), D(2022, 5, 1), D(2022, 5, 2), D(2022, 5, 3)])
def test_30_4_and_1_5_2022(cal, d):
    assert not cal.is_working_day(d)
    assert cal.day_off_reason(d).startswith(("Ngày Chiến thắng", "Ngày Quốc tế Lao động"))


def test_quoc_khanh_2022(cal):
    assert cal.day_off_reason(D(2022, 9, 2)) == "Quốc khánh"
    assert not cal.is_working_day(D(2022, 9, 1))  # the second day (Bộ luật Lao động 2019)
    assert cal.is_working_day(D(2022, 9, 5))


def test_weekends(cal):
    assert cal.day_off_reason(D(2022, 3, 5)) == "Thứ Bảy"
    assert cal.day_off_reason(D(2022, 3, 6)) == "Chủ nhật"
    assert cal.day_off_reason(D(2022, 3, 7)) is None
    assert cal.is_working_day(D(2022, 3, 7)) and not cal.is_working_day(D(2022, 3, 6))


def test_library_day_swap_2024(cal):
    # the library records 29/4/2024 off in exchange for Saturday 4/5/2024 worked
    assert not cal.is_working_day(D(2024, 4, 29))
    assert cal.is_working_day(D(2024, 5, 4))
    assert cal.day_off_reason(D(2024, 5, 4)) is None


def test_next_working_day(cal):
    assert cal.next_working_day(D(2022, 3, 7)) == D(2022, 3, 7)
    assert cal.next_working_day(D(2022, 1, 29)) == D(2022, 2, 7)


def test_add_working_days_across_tet(cal):
    assert cal.add_working_days(D(2022, 1, 28), 1) == D(2022, 2, 7)
    assert cal.add_working_days(D(2022, 2, 7), -1) == D(2022, 1, 28)
    assert cal.add_working_days(D(2022, 1, 29), 0) == D(2022, 1, 29)
    assert cal.add_working_days(D(2022, 1, 29), 1) == D(2022, 2, 7)  # from a day off
    assert cal.add_working_days(D(2022, 3, 7), 5) == D(2022, 3, 14)


def test_working_days_between(cal):
    assert cal.working_days_between(D(2022, 1, 28), D(2022, 2, 7)) == 1
    assert cal.working_days_between(D(2022, 2, 7), D(2022, 1, 28)) == -1
    assert cal.working_days_between(D(2022, 3, 7), D(2022, 3, 7)) == 0
    assert cal.working_days_between(D(2022, 3, 6), D(2022, 3, 13)) == 5
    # 2022: 260 weekdays minus 11 holidays/observed days on weekdays = 249 (3/1, 31/1-4/2,
    # 11/4, 2/5, 3/5, 1/9, 2/9)
    assert cal.working_days_between(D(2021, 12, 31), D(2022, 12, 31)) == 249


@given(st.dates(date(2019, 1, 1), date(2027, 12, 31)), st.integers(-800, 800))
def test_working_days_between_counts_day_by_day(start, span):
    """The running count per year answers as counting each day would, across years and backwards."""
    cal = WorkCalendar.default()
    end = start + timedelta(days=span)
    low, high = min(start, end), max(start, end)
    days = sum(cal.is_working_day(low + timedelta(days=k)) for k in range(1, (high - low).days + 1))
    assert cal.working_days_between(start, end) == (days if end >= start else -days)


@given(st.dates(D(2015, 1, 1), D(2030, 12, 31)), st.dates(D(2015, 1, 1), D(2030, 12, 31)))
def test_between_is_antisymmetric(a, b):
    cal = WorkCalendar()
    assert cal.working_days_between(a, b) == -cal.working_days_between(b, a)


@given(st.dates(D(2015, 1, 1), D(2030, 12, 31)), st.integers(-40, 40))
def test_add_and_between_agree(d, n):
    cal = WorkCalendar()
    e = cal.add_working_days(d, n)
    if n:
        assert cal.is_working_day(e)
    # (d, e] holds exactly n working days going forward; going backward the interval
    # (e, d] includes d itself, so the two agree when d is a working day
    if n >= 0 or cal.is_working_day(d):
        assert cal.working_days_between(d, e) == n
    else:
        assert cal.working_days_between(d, e) == n + 1


def test_effective_due_rolls_forward(cal):
    # 30/4/2022 is a Saturday and a holiday; 1/5 Sunday and a holiday; 2/5 and 3/5 are the
    # observed days for them (nghỉ bù). The first working day is Wednesday 4/5/2022.
    assert cal.effective_due(D(2022, 4, 30)) == D(2022, 5, 4)
    assert cal.effective_due(D(2022, 5, 4)) == D(2022, 5, 4)
    assert WorkCalendar(roll_forward=False).effective_due(D(2022, 4, 30)) == D(2022, 4, 30)


def _write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "calendar.yaml"
    p.write_text(text, encoding="utf-8")
    return p


def test_file_extra_days_off_and_makeup_days(tmp_path):
    p = _write(
        tmp_path,
        """
roll_forward_due_on_day_off: false
years:
  2022:
    extra_days_off: [2022-03-07, "2022-03-08"]
    makeup_working_days: [2022-03-12]
""",
    )
    cal = WorkCalendar.from_file(p)
    assert cal.roll_forward is False
    assert not cal.is_working_day(D(2022, 3, 7))
    assert cal.day_off_reason(D(2022, 3, 8)) == "Nghỉ bù/ngày nghỉ thêm"
    assert cal.is_working_day(D(2022, 3, 12)) and cal.day_off_reason(D(2022, 3, 12)) is None
    assert cal.add_working_days(D(2022, 3, 4), 1) == D(2022, 3, 9)
    assert cal.working_days_between(D(2022, 3, 6), D(2022, 3, 13)) == 4  # 9, 10, 11, 12
    assert cal.effective_due(D(2022, 3, 7)) == D(2022, 3, 7)


def test_constructor_arguments():
    cal = WorkCalendar(extra_days_off=[D(2022, 3, 7)], makeup_working_days=[D(2022, 3, 12)])
    assert not cal.is_working_day(D(2022, 3, 7)) and cal.is_working_day(D(2022, 3, 12))
    with pytest.raises(ValueError):
        WorkCalendar(extra_days_off=[D(2022, 3, 12)], makeup_working_days=[D(2022, 3, 12)])


@pytest.mark.parametrize(
    "text,key",
    [
        ("years: [1, 2\n", "cannot read"),  # YAML syntax error
        ("- just a list\n", "top level"),
        ("roll_forward_due_on_day_off: maybe\n", "roll_forward_due_on_day_off"),
        ("rollforward: true\n", "unknown key"),
        ("years:\n  2022:\n    extra_days_off: [2022-02-30]\n", "years.2022.extra_days_off[0]"),
        ("years:\n  2022:\n    extra_days_off: [2023-01-02]\n", "years.2022.extra_days_off[0]"),
        ("years:\n  2022:\n    extra_days_off: 2022-03-07\n", "years.2022.extra_days_off"),
        ("years:\n  2022:\n    makeup_working_days: [2022-03-09]\n", "weekday"),
        ("years:\n  2022:\n    days_off: []\n", "years.2022"),
        ("years:\n  twenty: {}\n", "years.twenty"),
    ],
)
def test_bad_file_names_file_and_key(tmp_path, text, key):
    p = _write(tmp_path, text)
    with pytest.raises(CalendarFileError) as ei:
        WorkCalendar.from_file(p)
    assert str(p) in str(ei.value)
    assert key in str(ei.value)


def test_missing_file_names_file(tmp_path):
    p = tmp_path / "nope.yaml"
    with pytest.raises(CalendarFileError, match="nope.yaml"):
        WorkCalendar.from_file(p)


def test_a_file_is_parsed_once_per_version_and_an_edit_is_read_at_once(tmp_path):
    p = _write(tmp_path, "years:\n  2022:\n    extra_days_off: [2022-03-07]\n")
    first = WorkCalendar.from_file(p)
    assert WorkCalendar.from_file(p) is first  # the same bytes: the same calendar
    assert not first.is_working_day(D(2022, 3, 7))
    p.write_text("years:\n  2022:\n    extra_days_off: [2022-03-08]\n", encoding="utf-8")
    edited = WorkCalendar.from_file(p)
    assert edited is not first
    assert edited.is_working_day(D(2022, 3, 7)) and not edited.is_working_day(D(2022, 3, 8))
    fresh = WorkCalendar(extra_days_off=[D(2022, 3, 8)])  # what parsing anew gives, lookups and version
    days = [D(2022, 3, 1) + timedelta(days=i) for i in range(31)]
    assert [edited.is_working_day(d) for d in days] == [fresh.is_working_day(d) for d in days]
    assert edited.version == fresh.version
    assert WorkCalendar.default() is WorkCalendar.default()
