"""The leaders' trend drawing (web/trend_chart.py): its end values fit in the drawing and never sit
one over the other; the legend above it names each series with its value."""

from __future__ import annotations

from datetime import datetime, timedelta

from dondoc.engine.clock import LOCAL_TZ
from dondoc.engine.reports.trend import TrendPoint
from dondoc.web.trend_chart import LABEL_GAP, WIDTH, trend_chart

START = datetime(2022, 6, 5, 23, 59, tzinfo=LOCAL_TZ)
DIGIT_PX = 8  # a digit at the drawing's 12 px text, generously


def _points(*pairs: tuple[int, int]) -> list[TrendPoint]:
    return [TrendPoint(START + timedelta(weeks=i), overdue, on_time) for i, (overdue, on_time) in enumerate(pairs)]


def test_the_end_values_fit_in_the_drawing() -> None:
    """ "Hoàn thành đúng hạn: 104" ran 19 px past the 720 px drawing: it read "…: 1"."""
    chart = trend_chart(_points((3, 10), (46, 104_000)), LOCAL_TZ)
    for line in chart.lines:
        x, _, text = line.last
        assert x + 8 + DIGIT_PX * len(text) <= WIDTH, (line.label, text)
    assert [line.last[2] for line in chart.lines] == ["46", "104.000"]  # its thousands dotted, as the pages write them


def test_equal_end_values_are_written_a_line_apart() -> None:
    chart = trend_chart(_points((0, 0), (0, 0)), LOCAL_TZ)
    (_, y1, _), (_, y2, _) = (line.last for line in chart.lines)
    assert abs(y1 - y2) >= LABEL_GAP
    apart = trend_chart(_points((0, 0), (5, 200)), LOCAL_TZ)
    (_, y1, _), (_, y2, _) = (line.last for line in apart.lines)
    assert abs(y1 - y2) > LABEL_GAP  # far apart already: left where they are
