"""The day-dependent facts a mail about an assignment states: counted by the sweep when it decides,
and again by delivery and the digests when they send later (never copied from the decision day)."""

from __future__ import annotations

from datetime import date

from dondoc.engine.workcalendar import WorkCalendar

# The day-dependent facts :func:`lateness` counts (names of a mail's stored data).
LATENESS_FACTS = ("days_overdue", "working_days_overdue", "days_before_due")


def lateness(due_day: date, today: date, calendar: WorkCalendar) -> dict[str, int]:
    """Calendar days and working days past ``due_day``, and working days still before it, at ``today``."""
    return {
        "days_overdue": max(0, (today - due_day).days),
        "working_days_overdue": working_days_overdue(due_day, today, calendar),
        "days_before_due": max(0, calendar.working_days_between(today, due_day)),
    }


def working_days_overdue(due_day: date, today: date, calendar: WorkCalendar) -> int:
    """Working days past ``due_day`` at ``today`` (0 before it)."""
    return max(0, calendar.working_days_between(due_day, today))


def working_days_waiting(anchor: date, today: date, calendar: WorkCalendar) -> int:
    """Working days an assignment has waited since ``anchor`` (its assignment day), at ``today``."""
    return max(0, calendar.working_days_between(anchor, today))
