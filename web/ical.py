"""An agency's due dates as an iCalendar feed (all-day events), for Outlook or a phone."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

from dondoc.engine.clock import DEFAULT_DAYS
from dondoc.engine.views import AssignmentView


def calendar_feed(
    views: list[AssignmentView],
    *,
    name: str,
    base_url: str,
    page_url: str,
    now: datetime,
    tz: ZoneInfo = DEFAULT_DAYS.tz,
) -> bytes:
    """One VEVENT per assignment with a due date (the day it falls on in ``tz``, the configured
    zone); the UID is stable so updates replace events."""
    cal = Calendar()
    cal.add("prodid", "-//dondoc//Ban Chi dao//VI")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", f"Hạn nhiệm vụ — {name}")
    cal.add("x-wr-timezone", tz.key)
    host = base_url.split("//", 1)[-1].split("/", 1)[0] or "dondoc"
    for view in views:
        if view.due_at is None or view.state == "cancelled":
            continue
        day = view.due_at.astimezone(tz).date()
        event = Event()
        event.add("uid", f"assignment-{view.id}@{host}")
        event.add("dtstamp", now)
        event.add("dtstart", day)
        event.add("dtend", day + timedelta(days=1))
        event.add("summary", f"Hạn: {view.item_title} ({view.item_code})")
        event.add(
            "description",
            f"{view.plan_number} — {view.category_label}. Mốc: {view.milestone_name}\n{page_url}",
        )
        event.add("url", page_url)
        event.add("status", "CANCELLED" if view.state == "cancelled" else "CONFIRMED")
        event.add("transp", "TRANSPARENT")
        cal.add_component(event)
    return bytes(cal.to_ical())
