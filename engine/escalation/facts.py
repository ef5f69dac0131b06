"""The day-dependent facts a mail about an assignment states: counted by the sweep when it decides,
and again by delivery and the digests when they send later (never copied from the decision day)."""

from __future__ import annotations

from datetime import date

from dondoc.engine.workcalendar import WorkCalendar

# The day-dependent facts :func:`lateness` counts (names of a mail's stored data).
LATENESS_FACTS = ("days_overdue", "working_days_overdue", "days_before_due", "working_days_since_given")


def lateness(due_day: date, today: date, calendar: WorkCalendar, given_day: date | None = None) -> dict[str, int]:
    """Calendar days and working days past ``due_day``, and working days still before it, at ``today``;
    with ``given_day`` after ``due_day`` (work given after its own date: engine.status.given_after_due),
    also the working days since it was given, which its ladder counts from (a mail says both: the
    19 days past the text's date of a plan issued 19 working days after it are not the body's delay)."""
    counted = {
        "days_overdue": max(0, (today - due_day).days),
        "working_days_overdue": working_days_overdue(due_day, today, calendar),
        "days_before_due": max(0, calendar.working_days_between(today, due_day)),
    }
    if given_day is not None and given_day > due_day:
        counted["working_days_since_given"] = working_days_overdue(given_day, today, calendar)
    return counted


def working_days_overdue(due_day: date, today: date, calendar: WorkCalendar) -> int:
    """Working days past ``due_day`` at ``today`` (0 before it)."""
    return max(0, calendar.working_days_between(due_day, today))


def working_days_waiting(anchor: date, today: date, calendar: WorkCalendar) -> int:
    """Working days an assignment has waited since ``anchor`` (its assignment day), at ``today``."""
    return max(0, calendar.working_days_between(anchor, today))
