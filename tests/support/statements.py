"""The SQL an engine runs while a block of a test runs: what a test of "which statements a page
reads" looks at."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event
from sqlalchemy.engine import Engine


@contextmanager
def statements_of(engine: Engine) -> Iterator[list[str]]:
    """The statements ``engine`` sends while the block runs, in order (their SQL text)."""
    seen: list[str] = []
    listen = lambda _c, _cursor, statement, *_: seen.append(statement)  # noqa: E731
    event.listen(engine, "before_cursor_execute", listen)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", listen)
