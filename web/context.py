"""What every request handler gets: settings, the database, the clock, the calendar, limits."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from time import monotonic

from fastapi import Request
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from dondoc.engine.clock import DEFAULT_DAYS, Clock
from dondoc.engine.db import transaction
from dondoc.engine.escalation.policy import Policy, load_policy
from dondoc.engine.escalation.recipients import committee_name_on
from dondoc.engine.settings import Settings
from dondoc.engine.workcalendar import WorkCalendar
from dondoc.web.trend_cache import TrendCache

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
GENERIC_COMMITTEE = "Ban Chỉ đạo"
COMMITTEE_KEPT = 60.0  # seconds of real time the banner's name is kept (a cache's life, not a domain instant)


def attachments_dir(settings: Settings) -> Path:
    """Where uploaded report files are kept (``DONDOC_ATTACHMENTS_DIR``)."""
    return settings.attachments_dir


@dataclass
class WebContext:
    settings: Settings
    engine: Engine
    clock: Clock
    secret: str
    attachments: Path
    max_upload_bytes: int = MAX_UPLOAD_BYTES
    calendar: WorkCalendar = field(default_factory=WorkCalendar.default)
    trend: TrendCache = field(default_factory=TrendCache)  # the chair's weekly trend (web/trend_cache.py)
    # Refused logins lock an account for minutes of real time, whatever instant the pages show: under
    # the demo's clock, stopped at 23:59, a lock "until 00:14" never ended. None: ``clock``.
    login_clock: Clock | None = None

    # the committee's name of the day the pages show (every page's banner): (day, name, when read), kept
    # for a minute of real time: a catalog load (another process) renames it within that minute
    _committee: tuple[date, str, float] | None = field(default=None, repr=False)

    def committee_name(self) -> str:
        """The name of the steering committee that exists on the pages' day (the banner of every
        page: engine.escalation.recipients.committee_name_on), read from the database at most once a
        minute (``COMMITTEE_KEPT``) per process; "Ban Chỉ đạo" before any is loaded (kept a minute too:
        a page before `catalog load` names it a minute after), or when the database cannot say (an
        error page: not kept, read again at the next page)."""
        day = DEFAULT_DAYS.local_date(self.clock.now())
        kept = self._committee
        if kept is not None and kept[0] == day and monotonic() - kept[2] < COMMITTEE_KEPT:
            return kept[1]
        try:
            with Session(self.engine) as session:
                name = committee_name_on(session, day)
        except SQLAlchemyError:
            return GENERIC_COMMITTEE
        self._committee = (day, name or GENERIC_COMMITTEE, monotonic())
        return name or GENERIC_COMMITTEE

    def login_now(self) -> datetime:
        """The instant login throttling counts in (engine.services.login_throttle)."""
        return (self.login_clock or self.clock).now()

    def policy(self) -> Policy:
        """The escalation policy the scheduler runs (``DONDOC_POLICY_FILE``; read once per version
        of the file): what reaches the leaders is what their page shows."""
        return load_policy(self.settings.policy_file)

    @contextmanager
    def db(self) -> Iterator[Session]:
        """One transaction: committed when the block ends, rolled back on any error."""
        with transaction(self.engine) as session:
            yield session


async def ctx(request: Request) -> WebContext:
    """The app's context (a FastAPI dependency; ``async``: it reads an attribute, so FastAPI calls
    it on the event loop instead of sending it to a worker thread)."""
    context = request.app.state.ctx
    assert isinstance(context, WebContext)
    return context
