"""How agencies and the secretariat behave in a replay: seeded, plausible, reproducible."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from dondoc.engine.clock import LocalDays
from dondoc.engine.models import Assignment
from dondoc.engine.workcalendar import WorkCalendar

# Shares of assignments: most acknowledge and report in time, some late, a few never.
PROFILES = (("diligent", 0.68), ("late", 0.17), ("silent_after_ack", 0.10), ("silent", 0.05))


@dataclass(frozen=True)
class Behaviour:
    profile: str
    acknowledge_at: datetime | None
    report_at: datetime | None
    verify_at: datetime | None


def _office_time(rng: random.Random, day: datetime, calendar: WorkCalendar, local: LocalDays) -> datetime:
    """A working day on or after ``day``, at an office hour (local time)."""
    working = calendar.next_working_day(local.local_date(day))
    return local.at(working, rng.randint(8, 16), rng.randint(0, 59))


def plan(
    seed: int, assignment: Assignment, calendar: WorkCalendar, local: LocalDays, *, by_issue: bool = False
) -> Behaviour:
    """The seeded behaviour of one assignment (stable whatever the order of the others). ``by_issue``:
    its work is the issue of a document the catalog holds (``done_by_issue_of``): that document's issue
    decides it (the catalog load of its issue day records it done, engine.services.catalog_sync), so
    the body acknowledges it and never reports it, nor does the secretariat verify a report. Sở TT&TT
    had "reported" the Thông báo's "Ban hành Kế hoạch hoạt động … năm 2022" on 07/02/2022 in the 2022
    replay, a month before that Kế hoạch, 04/KH-BCĐ, was issued (10/03/2022), and was verified on time."""
    rng = random.Random(f"{seed}:{assignment.id}")
    draw, profile = rng.random(), PROFILES[-1][0]
    for name, share in PROFILES:
        if draw < share:
            profile = name
            break
        draw -= share
    acknowledge = (
        None
        if profile == "silent"
        else _office_time(rng, assignment.assigned_at + timedelta(days=rng.randint(0, 6)), calendar, local)
    )
    report = None
    due = assignment.due_at
    if acknowledge and due is not None and profile in ("diligent", "late"):
        shift = -rng.randint(0, 12) if profile == "diligent" else rng.randint(2, 25)
        report = max(_office_time(rng, due + timedelta(days=shift), calendar, local), acknowledge + timedelta(hours=2))
        if profile == "diligent" and report > due:
            report = max(acknowledge + timedelta(hours=1), due - timedelta(hours=6))
    verify = _office_time(rng, report + timedelta(days=rng.randint(1, 5)), calendar, local) if report else None
    if by_issue:  # drawn all the same: the other draws of this seed stay what they were
        report = verify = None
    return Behaviour(profile, acknowledge, report, verify)
