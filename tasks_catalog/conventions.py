"""The secretariat's conventions (conventions.yaml): dates and readings the documents do not give.

Loaded once with the catalog (:func:`dondoc.tasks_catalog.loader.load_catalog`). A milestone whose
date comes from a convention carries :data:`CONVENTION_NOTE` in its label, so pages and mails never
pass it off as the document's words.
"""

from __future__ import annotations

from dondoc.tasks_catalog.schema import Conventions, ReportingEntry

CONVENTIONS_FILE = "conventions.yaml"
CONVENTION_NOTE = "(ngày do Tổ giúp việc quy ước)"


def with_convention_days(entry: ReportingEntry, conventions: Conventions) -> ReportingEntry:
    """``entry`` with the due and cut-off days of ``conventions.report_days`` (``dates: convention``)."""
    days = conventions.report_days
    if days is None:
        raise ValueError(f"dates: convention needs report_days in {CONVENTIONS_FILE}")
    return entry.model_copy(update=days.model_dump(exclude={"basis"}))


def convention_label(label: str) -> str:
    """A period label marked as set by the secretariat's convention."""
    return f"{label} {CONVENTION_NOTE}"
