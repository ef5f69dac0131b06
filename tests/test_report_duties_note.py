"""Section IV of the periodic report, with rows, says under them how many of the period's reports fell
due before the tracking start, which it never lists (engine.reports.labels.duties_note): the 2022
replay's six-month report listed ten reports of Quý II and said nothing of eight of Quý I never
sent; its only word of them was scoped to section II, where five bodies owing theirs read 100 %."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace
from typing import Any

from dondoc.engine.reports import labels
from dondoc.engine.reports.rates import AgencyRates


def _data(duties: int, before: int) -> Any:
    rates = AgencyRates("a", "A", reports_before_tracking=before)
    return SimpleNamespace(
        duties=[object()] * duties,
        by_agency=[SimpleNamespace(rates=rates)],
        duty_periods_before=[],
        windowed=False,
        tracking_start=date(2022, 6, 1),
    )


def test_rows_and_reports_nobody_followed_the_note_says_them() -> None:
    assert labels.duties_note(_data(10, 33)) == (
        "33 lần báo cáo định kỳ của kỳ đến hạn trước ngày bắt đầu theo dõi (01/06/2022): "
        "không được theo dõi, không tính ở phần này."
    )


def test_no_row_or_none_before_the_tracking_start_no_note() -> None:
    assert labels.duties_note(_data(0, 33)) is None  # the section's one line says it (no_duties_words)
    assert labels.duties_note(_data(10, 0)) is None
