"""What every command gets: settings, the clock (``--now``), and the database.

``--now`` away from the real clock (more than NOW_TOLERANCE before or after it) is for looking back and
for replays. Commands that only read (``status``, ``assignments list``/``show``, ``report``,
``indicators list``, ``catalog validate``/``export``, ``policy validate``, ``db upgrade``/``current``,
and ``simulate``, which keeps its own days) take it anywhere. Every other command writes, stamped
with the clock (``assignments act``, ``catalog load``, ``init``, ``sweep``, ``deliver``, ``digest``,
``scheduler``, ``serve``, ``plans track``/``untrack``, ``indicators report``, ``users``, ``links``,
``tokens``): on a database without the replay mark (engine.services.history_order) it is refused.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property

import typer
from sqlalchemy.engine import Engine
from sqlmodel import Session

from dondoc.engine.clock import Clock, SystemClock
from dondoc.engine.db import make_engine, transaction
from dondoc.engine.services.history_order import refuse_shifted_now
from dondoc.engine.settings import Settings


@dataclass
class AppContext:
    settings: Settings
    clock: Clock
    _engine: Engine | None = field(default=None, repr=False)
    creates: bool = False  # the command makes the database (app_context)

    @cached_property
    def engine(self) -> Engine:
        return make_engine(self.settings.database_url, must_exist=not self.creates)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        with transaction(self.engine) as session:
            yield session

    def refuse_shifted_now(self) -> None:
        """ShiftedNowRefused if the clock is set away from the real one and this database is not a replay."""
        refuse_shifted_now(self.engine, self.clock.now(), SystemClock(self.settings.tz).now(), self.settings.tz)

    def close(self) -> None:
        """Release the database connections (the command is over), if any were opened."""
        if "engine" in self.__dict__:
            self.engine.dispose()


def app_context(ctx: typer.Context, *, writes: bool = True, creates: bool = False) -> AppContext:
    """The command's context; a command that ``writes`` is refused a ``--now`` away from the real clock outside a
    replay.
    Only a command that ``creates`` the database (``db upgrade``, ``init``, ``simulate``) may name a
    SQLite file that does not exist (engine.db.make_engine's ``must_exist``)."""
    obj = ctx.find_root().obj
    assert isinstance(obj, AppContext), "the root callback sets the context"
    if creates:
        obj.creates = True
    if writes:
        obj.refuse_shifted_now()
    return obj
