"""Vietnamese wording shared by the renderers: column titles, categories, numbers, dates."""

from __future__ import annotations

from datetime import date, datetime

from engine.clock import LOCAL_TZ
from engine.status import CATEGORY_LABELS_VI, Category

CATEGORIES = [c for c in Category if c is not Category.CANCELLED]  # columns of the count tables
CATEGORY_HEADERS = [CATEGORY_LABELS_VI[c] for c in CATEGORIES]
DUTY_STATUS_VI = {"late": "Báo cáo trễ hạn", "missing": "Chưa báo cáo (quá hạn)"}
ROLE_SHORT = {"lead": "Chủ trì", "implementer": "Thực hiện", "partner": "Phối hợp"}


def day(value: date | datetime | None) -> str:
    """dd/mm/yyyy (local time for instants), or an em dash."""
    if value is None:
        return "—"
    if isinstance(value, datetime):
        value = value.astimezone(LOCAL_TZ).date()
    return value.strftime("%d/%m/%Y")


def percent(rate: float | None) -> str:
    """0.8571 → "85,7 %" (Vietnamese decimal comma); None → "—"."""
    return "—" if rate is None else f"{rate * 100:.1f} %".replace(".", ",")


def number(value: float | None) -> str:
    """65.0 → "65", 65.5 → "65,5"."""
    return "—" if value is None else f"{value:g}".replace(".", ",")
