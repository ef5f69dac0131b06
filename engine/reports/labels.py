"""Vietnamese wording shared by the renderers: column titles and categories (dates and numbers:
engine.vi_format)."""

from __future__ import annotations

from dondoc.engine.status import CATEGORY_LABELS_VI, Category

CATEGORIES = [c for c in Category if c is not Category.CANCELLED]  # columns of the count tables
CATEGORY_HEADERS = [CATEGORY_LABELS_VI[c] for c in CATEGORIES]
DUTY_STATUS_VI = {"late": "Báo cáo trễ hạn", "missing": "Chưa báo cáo (quá hạn)"}
