""" "trước ngày X" where X is a day off: the installation counts X in (conventions.yaml's
``before_date_means: end_of_day``), then the civil-code rule moves the date to the next working day.
The pages said the move alone ("ngày 20/08/2022 là ngày nghỉ …: hạn chuyển sang ngày làm việc kế
tiếp (Bộ luật Dân sự 2015, Điều 148)"), crediting the law with the days the secretariat's reading
gives: read as written, the last day is Friday 19/08, a working day, and nothing moves."""

from __future__ import annotations

from datetime import date, datetime

from dondoc.engine.clock import DEFAULT_DAYS, LOCAL_TZ
from dondoc.engine.date_notes import date_notes
from dondoc.engine.status import before_day_kept, before_kept_words, day_off_words

SATURDAY, MONDAY = date(2022, 8, 20), date(2022, 8, 22)
TZ = DEFAULT_DAYS.tz


def test_a_day_off_counted_in_is_said_before_the_move() -> None:
    due = DEFAULT_DAYS.end_of_day(MONDAY)
    assert before_day_kept("trước ngày 20/8/2022", 2022, due, TZ) == SATURDAY
    _, note = date_notes("trước ngày 20/8/2022", due, None, SATURDAY)
    assert note == f"{before_kept_words(SATURDAY)}; {day_off_words(SATURDAY)}"
    assert note is not None and note.startswith("Tổ giúp việc tính cả ngày 20/08/2022; ngày 20/08/2022 là ngày nghỉ")


def test_a_working_day_counted_in_is_said_alone_and_a_date_of_another_day_not_at_all() -> None:
    due = DEFAULT_DAYS.end_of_day(MONDAY)
    assert before_day_kept("trước ngày 22/8/2022", 2022, due, TZ) == MONDAY
    assert date_notes("trước ngày 22/8/2022", due, None, MONDAY) == (None, before_kept_words(MONDAY))
    later = DEFAULT_DAYS.end_of_day(date(2022, 8, 25))  # set by hand: not the text's day, nor its move
    assert before_day_kept("trước ngày 20/8/2022", 2022, later, TZ) is None
    # a phrase that is no "trước ngày": the move alone, as before
    assert date_notes("Tháng 8/2022", due, None, SATURDAY) == (None, day_off_words(SATURDAY))


def test_a_period_of_a_recurring_report_is_not_quoted_as_the_texts_words() -> None:
    """61/KH-UBND gives "trước ngày 20 tháng cuối quý"; the catalog writes each quarter's phrase
    ("trước ngày 20/03/2022"). The leaders' digest quoted it as the text's ("văn bản ghi “trước
    ngày 20/03/2022”"), a date the document never wrote: a period's phrase is said, not quoted."""
    from dondoc.engine.settings import Settings
    from dondoc.notifications.context import before_kept_said

    settings = Settings(_env_file=None, demo=True)  # type: ignore[call-arg]
    due = datetime(2022, 3, 21, 23, 59, 59, tzinfo=LOCAL_TZ)  # the 20th a Sunday: moved to Monday
    kept = "Tổ giúp việc tính cả ngày 20/03/2022"
    assert before_kept_said("trước ngày 20/03/2022", 2022, due, settings, of_period=True) == (
        f"trước ngày 20/03/2022; {kept}"
    )
    assert (
        before_kept_said("trước ngày 20/3/2022", 2022, due, settings) == f"văn bản ghi “trước ngày 20/3/2022”; {kept}"
    )
