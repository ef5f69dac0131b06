"""Vietnamese wording shared by the renderers: column titles and categories (dates and numbers:
engine.vi_format)."""

from __future__ import annotations

from dondoc.engine.status import CATEGORY_LABELS_VI, Category

CATEGORIES = [c for c in Category if c is not Category.CANCELLED]  # columns of the count tables
CATEGORY_HEADERS = [CATEGORY_LABELS_VI[c] for c in CATEGORIES]
DUTY_STATUS_VI = {"late": "Báo cáo trễ hạn", "missing": "Chưa báo cáo (quá hạn)"}

# Section I counts every task given until the report's day, not the period's: said beside it, in each format
SUMMARY_SCOPE = "Bảng tổng hợp chung tính mọi nhiệm vụ đã giao đến ngày số liệu (cả các kỳ trước), không riêng của kỳ"
PERIOD_FIGURES = "số liệu riêng của kỳ (nhiệm vụ đến hạn trong kỳ, tỷ lệ đúng hạn) ở phần theo cơ quan, đơn vị"


def still_to_come(n: int) -> str | None:
    """The sentence for a report judged before its period's work is all due (a quarter's on the 26th
    of its last month): how much of it the figures by body leave out; None when nothing is."""
    if not n:
        return None
    return f"Còn {n} nhiệm vụ của kỳ chưa tới thời hạn tại ngày số liệu, chưa tính ở phần theo cơ quan, đơn vị"
