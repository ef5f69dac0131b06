"""A look-back (the leaders' page or the board read at a past instant, `--now`) says of each part it
lists as overdue what was true at that instant: its state then and its working days late then, not
what a report, a verification or an acknowledgement written after the instant made of its row.

Read on the 2022 replay's database at 01/03/2022, the leaders' page listed Sở TN&MT's part of
/TB-UBND:II.2.b (due 28/02/2022, reported on 09/03) as "Quá hạn 1 ngày làm việc | Đã xác nhận", and
Sở TT&TT's part of II.3.b (acknowledged on 24/01, its row rewritten on 10/03) as "Đã giao"; the
command line's list said of the first "Quá hạn 7 ngày làm việc", counted to its report of 09/03."""

from __future__ import annotations

from datetime import date, datetime

from dondoc.engine.clock import LOCAL_TZ
from dondoc.engine.status import days_late

DUE = datetime(2022, 6, 30, 23, 59, 59, tzinfo=LOCAL_TZ)
PAST = datetime(2022, 7, 4, 10, 0, tzinfo=LOCAL_TZ)  # Monday: 01/07 and 04/07 past the date


def _at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=LOCAL_TZ)


def test_days_late_at_an_instant_before_the_report_count_to_the_instant() -> None:
    """Reported on 08/07, read at 04/07: two working days late then (01/07, 04/07), not six."""
    reported = _at(date(2022, 7, 8))
    assert days_late(DUE, reported, PAST) == 2
    assert days_late(DUE, reported, _at(date(2022, 7, 20))) == 6  # done late: counted to its report
