"""Progress bars of the long commands (``simulate``, ``catalog load``, ``report``, ``serve --demo``).

Drawn with rich on standard error, only when standard error is a terminal: never in ``--json``
mode, in a pipe, in a log file or under a service manager, where they would only be noise.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn

Tell = Callable[[int, int], None]  # (done, total)


def _quiet(done: int, total: int) -> None:
    return None


def shown(quiet: bool = False) -> bool:
    """Whether a bar would be drawn: not asked to be quiet, and standard error is a terminal."""
    return not quiet and Console(stderr=True).is_terminal


@contextmanager
def progress(label: str, *, quiet: bool = False) -> Iterator[Tell]:
    """A bar labelled ``label`` for the block; yields ``tell(done, total)`` (callable from any thread).
    A total of 0 shows a bar that only says the work goes on."""
    if not shown(quiet):
        yield _quiet
        return
    columns = (TextColumn("{task.description}"), BarColumn(), TaskProgressColumn(), TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(label, total=None)

        def tell(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total or None)

        yield tell
