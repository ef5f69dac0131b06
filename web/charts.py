"""The board's chart: one stacked horizontal bar per agency, laid out here, drawn by a template."""

from __future__ import annotations

from dataclasses import dataclass

from dondoc.engine.services.web_queries import AgencyRow
from dondoc.engine.status import CATEGORY_LABELS_VI, Category

# Drawing order and colours (colour-blind-safe-ish, and distinct in grey print).
SERIES: list[tuple[Category, str]] = [
    (Category.DONE_ON_TIME, "#1a7f37"),
    (Category.DONE_LATE, "#d4a72c"),
    (Category.OVERDUE, "#cf222e"),
    (Category.ON_TRACK, "#0969da"),
    (Category.NOT_YET_DUE, "#8c959f"),
    (Category.WAITING, "#d0d7de"),
    (Category.STANDING, "#8250df"),
    (Category.STANDING_NOT_BEGUN, "#c297ff"),
]
LABEL_W, BAR_W, RATE_W, ROW_H, TOP = 210, 460, 90, 24, 56


@dataclass
class Segment:
    x: float
    width: float
    color: str
    title: str


@dataclass
class Bar:
    y: float
    label: str
    segments: list[Segment]
    rate: str
    total: int


@dataclass
class Chart:
    width: int
    height: int
    bars: list[Bar]
    legend: list[tuple[str, str, int, int]]  # label, colour, x, y
    bar_x: int


def _given(row: AgencyRow, category: Category) -> int:
    """The row's parts of ``category`` given by now: a bar is what its table line's "Được giao" counts."""
    return row.counts[category] - (row.not_given if category is Category.NOT_YET_DUE else 0)


def board_chart(rows: list[AgencyRow], rate_text: dict[str, str]) -> Chart:
    """Bars scaled to the largest agency; segments carry a tooltip with the exact count."""
    biggest = max((sum(_given(r, c) for c, _ in SERIES) for r in rows), default=0) or 1
    bars = []
    for index, row in enumerate(rows):
        x, segments = float(LABEL_W), []
        for cat, color in SERIES:
            count = _given(row, cat)
            if count:
                width = BAR_W * count / biggest
                segments.append(Segment(x, width, color, f"{row.name}: {CATEGORY_LABELS_VI[cat]} {count}"))
                x += width
        total = sum(_given(row, c) for c, _ in SERIES)
        bars.append(Bar(TOP + index * ROW_H, row.name, segments, rate_text[row.code], total))
    legend = [(CATEGORY_LABELS_VI[c], color, (i % 3) * 250, 6 + (i // 3) * 20) for i, (c, color) in enumerate(SERIES)]
    return Chart(LABEL_W + BAR_W + RATE_W, TOP + len(rows) * ROW_H + 10, bars, legend, LABEL_W)
