"""What every command gets: settings, the clock (``--now``), and the database."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property

import typer
from sqlalchemy.engine import Engine
from sqlmodel import Session

from dondoc.engine.clock import Clock
from dondoc.engine.db import make_engine, transaction
from dondoc.engine.settings import Settings


@dataclass
class AppContext:
    settings: Settings
    clock: Clock
    _engine: Engine | None = field(default=None, repr=False)

    @cached_property
    def engine(self) -> Engine:
        return make_engine(self.settings.database_url)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        with transaction(self.engine) as session:
            yield session

    def close(self) -> None:
        """Release the database connections (the command is over), if any were opened."""
        if "engine" in self.__dict__:
            self.engine.dispose()


def app_context(ctx: typer.Context) -> AppContext:
    obj = ctx.find_root().obj
    assert isinstance(obj, AppContext), "the root callback sets the context"
    return obj
