"""An agency's due dates as an iCalendar feed (all-day events), for Outlook or a phone."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

from dondoc.engine.clock import DEFAULT_DAYS
from dondoc.engine.date_notes import date_notes
from dondoc.engine.deadlines import unsaid_condition
from dondoc.engine.models import Role
from dondoc.engine.vi_format import shown_code
from dondoc.engine.views import AssignmentView

REFRESH = timedelta(hours=1)  # how often a subscribed calendar is asked to fetch the feed again
TTL = f"PT{REFRESH // timedelta(hours=1)}H"  # the same as X-PUBLISHED-TTL is written (text to icalendar)


def calendar_feed(
    views: list[AssignmentView],
    *,
    name: str,
    base_url: str,
    page_url: str,
    now: datetime,
    tz: ZoneInfo = DEFAULT_DAYS.tz,
    part_url: Callable[[int], str] | None = None,
    leads: Mapping[int, list[str]] | None = None,
) -> bytes:
    """One VEVENT per assignment with a due date (the day it falls on in ``tz``, the configured
    zone); the UID is stable so updates replace events. Cancelled work is left out (a subscribed
    calendar drops the event at its next refresh). Each event says what the part's page says beside
    its date (:func:`event_description`), and links to the part's own page where ``part_url`` gives
    one (the agency's feed), else to ``page_url``.

    A subscribed calendar shows an event until its next fetch, hours or a day later: the state an
    event gives is said with the instant it was read at, and the feed asks to be fetched again every
    hour (RFC 7986's REFRESH-INTERVAL, and Outlook's X-PUBLISHED-TTL)."""
    cal = Calendar()
    cal.add("prodid", "-//dondoc//Ban Chi dao//VI")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", f"Hạn nhiệm vụ — {name}")
    cal.add("x-wr-timezone", tz.key)
    cal.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", TTL)
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
        event.add("summary", f"Hạn: {view.item_title} ({shown_code(view.item_code)})")
        url = part_url(view.id) if part_url is not None else page_url
        event.add(
            "description", event_description(view, url, (leads or {}).get(view.id, []), read_at=now.astimezone(tz))
        )
        event.add("url", url)
        event.add("status", "CONFIRMED")
        event.add("transp", "TRANSPARENT")
        cal.add_component(event)
    return bytes(cal.to_ical())


def event_description(view: AssignmentView, page_url: str, leads: list[str] | None = None, *, read_at: datetime) -> str:
    """What an event says under its title, a line each: the plan and the body's part in the text's
    word; the text's own date phrase, and what the lists say beside a date (engine.date_notes: an
    extension and the first date, a day off that moved it, "trước ngày X" counted through X), for an
    event's day is often not the day the phrase names ("Quý I/2021" on 22/03/2021 had said nothing of
    either); the milestone when its name is not the phrase; a condition the text sets beside the date;
    the part's state and category, as its page says them, at ``read_at`` (local time: the event is
    read later than it was fetched); the page. A partner's event names the
    bodies that lead the work (``leads``, partner_dates.partners_leads), whom its input goes to, as
    its mails do."""
    lines = [f"{shown_code(view.plan_number)} — vai trò của cơ quan: {view.role_label}"]
    if view.role == Role.PARTNER.value and leads:
        lines.append(f"Cơ quan {view.lead_label.lower()}: {', '.join(leads)}")
    if view.deadline_phrase:
        lines.append(f"Thời hạn theo văn bản: “{view.deadline_phrase}”")
    lines += [
        note for note in date_notes(view.deadline_phrase, view.due_at, view.original_due_at, view.written_due) if note
    ]
    if view.milestone_label and view.milestone_label != view.deadline_phrase:
        lines.append(f"Mốc: {view.milestone_label}")
    if condition := unsaid_condition(view.condition, view.deadline_phrase):  # "Khi có hướng dẫn của Bộ …"
        lines.append(f"Điều kiện kèm theo: {condition}")
    category = f" — {view.category_said}" if view.category_said else ""  # cancelled: "Đã hủy" once
    lines.append(f"Tình trạng lúc {read_at:%H:%M} ngày {read_at:%d/%m/%Y}: {view.state_label}{category}")
    lines.append(page_url)
    return "\n".join(lines)
