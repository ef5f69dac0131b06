"""What every flow needs: settings read at run time, the run's ``now``, a short-lived engine."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from sqlalchemy.engine import Engine

from dondoc.engine import migrate
from dondoc.engine.clock import SystemClock, ensure_aware
from dondoc.engine.db import make_engine
from dondoc.engine.errors import ConfigError
from dondoc.engine.services.history_order import refuse_shifted_now
from dondoc.engine.settings import Settings


def load_settings() -> Settings:
    """Fresh ``DONDOC_*`` settings from the worker's environment (or ``.env``), validated: a worker
    writes mails with links, so an unset ``DONDOC_BASE_URL`` is refused here, before any work."""
    settings = Settings()
    settings.links_base()
    return settings


def resolve_now(now: datetime | None, settings: Settings) -> datetime:
    """The instant a run works at: the ``now`` parameter (naive = local time) or the clock. A ``now``
    away from the real clock (past or future) is for a replay database only, as for the CLI's ``--now``
    (engine.services.history_order.refuse_shifted_now): the run fails at once otherwise."""
    real = SystemClock(settings.tz).now()
    if now is None:
        return real
    instant = ensure_aware(now, settings.tz)
    engine = make_engine(settings.database_url, must_exist=True)
    try:
        refuse_shifted_now(engine, instant, real, settings.tz)
    finally:
        engine.dispose()
    return instant


def require_schema_at_head(engine: Engine) -> None:
    """Refuse (one line) to work on a database whose migration is not the installed code's head:
    after an upgrade, ``pip install`` and ``dondoc db upgrade`` come before the workers run again."""
    current, head = migrate.current_revision(engine), migrate.head_revision(engine)
    if current != head:
        raise ConfigError(
            f"cơ sở dữ liệu ở phiên bản lược đồ {current or 'trống'}, mã đã cài cần {head}: "
            "hãy chạy `dondoc db upgrade` bằng đúng bản dondoc mà worker dùng rồi chạy lại"
        )


def settings_for_run() -> Settings:
    """A flow's settings, checked before its first task: :func:`load_settings`, and the schema at
    the installed code's head. The refusal fails the flow run at once (a task would retry it)."""
    settings = load_settings()
    engine = make_engine(settings.database_url, must_exist=True)
    try:
        require_schema_at_head(engine)
    finally:
        engine.dispose()
    return settings


@contextmanager
def database(settings: Settings) -> Iterator[Engine]:
    """An engine for one task run, disposed at its end (a worker process runs many flows)."""
    engine = make_engine(settings.database_url, must_exist=True)
    try:
        yield engine
    finally:
        engine.dispose()
