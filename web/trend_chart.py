"""The chair's trend: overdue and on-time counts week by week, laid out here, drawn by a template."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, tzinfo

from dondoc.engine.reports.trend import TrendPoint
from dondoc.engine.vi_format import vn_count

# RIGHT: the end values' room, a gap and six digits with their thousands dot ("104.000")
WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM = 720, 260, 48, 68, 16, 34
SERIES = (("overdue", "#cf222e", "6 3"), ("on_time", "#1a7f37", ""))


def series_labels(since: date | None) -> dict[str, str]:
    """What each line counts, said wherever its figures are (legend, tooltips, end value): the
    overdue line is a count at each instant, of work of any year due from the tracking start (the work due
    before it is never overdue on the board); the on-time line a running total
    since the tracking start (``since``), which can only rise — read as one year's work, it misled."""
    total = f"cộng dồn từ {since:%d/%m/%Y}" if since is not None else "cộng dồn"
    due_from = f" có hạn từ {since:%d/%m/%Y}" if since is not None else ""
    return {
        "overdue": f"Đang quá hạn (tại từng thời điểm, việc của mọi năm{due_from})",
        "on_time": f"Hoàn thành đúng hạn ({total})",
    }


@dataclass
class Line:
    label: str
    color: str
    dash: str  # the lines differ in pattern too, not only in colour
    points: str  # "x,y x,y …" for <polyline>
    dots: list[tuple[float, float, str]]  # x, y, tooltip
    last: tuple[float, float, str]  # where the end value goes, and the value as read (the legend says whose)


@dataclass
class TrendChart:
    width: int
    height: int
    lines: list[Line]
    y_ticks: list[tuple[float, int]]  # y, value
    x_ticks: list[tuple[float, str]]  # x, month label
    plot: tuple[int, int, int, int]  # left, top, right, bottom
    # the weeks whose overdue count a later record puts in doubt: (the week's last day, how many of its
    # overdue count, that count), said under the chart (TrendPoint.done_later)
    done_later: list[tuple[date, int, int]] = field(default_factory=list)


def trend_chart(points: list[TrendPoint], tz: tzinfo, since: date | None = None) -> TrendChart:
    """Both series on one scale (0 to the largest count), one x step per week; ``since``: the
    tracking start, from which the on-time line counts (:func:`series_labels`)."""
    labels = series_labels(since)
    right, bottom = WIDTH - RIGHT, HEIGHT - BOTTOM
    top = max((max(p.overdue, p.on_time) for p in points), default=0)
    scale = _nice(top)
    step = (right - LEFT) / max(1, len(points) - 1)

    def xy(index: int, value: int) -> tuple[float, float]:
        return round(LEFT + index * step, 1), round(bottom - (bottom - TOP) * value / scale, 1)

    lines = []
    for key, color, dash in SERIES:
        label = labels[key]
        coords = [xy(i, getattr(p, key)) for i, p in enumerate(points)]
        dots = [
            (
                x,
                y,
                f"{p.at.astimezone(tz):%d/%m/%Y}: {label[0].lower()}{label[1:]}: {vn_count(getattr(p, key))}"
                + (f"; {done_later_vi(p.done_later)}" if key == "overdue" and p.done_later else ""),
            )
            for (x, y), p in zip(coords, points, strict=True)
        ]
        end = coords[-1] if coords else (LEFT, bottom)
        value = getattr(points[-1], key) if points else 0
        lines.append(Line(label, color, dash, " ".join(f"{x},{y}" for x, y in coords), dots, (*end, vn_count(value))))
    _apart(lines)
    y_ticks = [(xy(0, scale * k // 4)[1], scale * k // 4) for k in range(5)]
    x_ticks, month = [], 0
    for index, point in enumerate(points):
        local = point.at.astimezone(tz)
        if local.month != month:
            month = local.month
            x_ticks.append((xy(index, 0)[0], f"T{month}"))
    later = [(p.at.astimezone(tz).date(), p.done_later, p.overdue) for p in points if p.done_later]
    return TrendChart(WIDTH, HEIGHT, lines, y_ticks, x_ticks, (LEFT, TOP, right, bottom), later)


def done_later_vi(count: int) -> str:
    """Of a week's overdue count, what a record written after it says (TrendPoint.done_later)."""
    return (
        f"trong đó {vn_count(count)} phần việc được ghi nhận sau thời điểm này là đã hoàn thành "
        "(hoặc có thể đã hoàn thành) trước thời điểm này"
    )


def _apart(lines: list[Line]) -> None:
    """The series' end values (the legend above the chart names them) kept a line apart: two equal
    counts were written one over the other. The label written lower goes lower."""
    if len(lines) == 2:
        y1, y2 = lines[0].last[1], lines[1].last[1]
        if abs(y1 - y2) < LABEL_GAP:
            middle = (y1 + y2) / 2
            low, high = (0, 1) if y1 >= y2 else (1, 0)
            lines[low].last = (lines[low].last[0], round(middle + LABEL_GAP / 2, 1), lines[low].last[2])
            lines[high].last = (lines[high].last[0], round(middle - LABEL_GAP / 2, 1), lines[high].last[2])


LABEL_GAP = 14  # px between two end values, at the chart's 12 px text


def _nice(value: int) -> int:
    """A round upper bound for the axis (4 equal steps of whole numbers)."""
    for bound in (4, 8, 20, 40, 100, 200, 400, 1000, 2000, 4000, 10000, 20000, 40000, 100000):
        if value <= bound:
            return bound
    return (value // 100000 + 1) * 100000
