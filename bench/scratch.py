"""Shared by bench_step.py and bench_create.py: a scratch database, a timing loop."""

from __future__ import annotations

import os
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy import text

from dondoc.engine.db import make_engine
from dondoc.engine.migrate import upgrade

POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


@contextmanager
def scratch_database(backend: str, postgres_url: str = POSTGRES_URL) -> Iterator[str]:
    """The URL of an empty, migrated database: a temp SQLite file, or a fresh PostgreSQL
    schema dropped at the end."""
    if backend == "sqlite":
        folder = tempfile.mkdtemp()
        url = f"sqlite:///{folder}/bench.db"
        _upgrade(url)
        yield url
        return
    schema = f"bench_{uuid.uuid4().hex[:8]}"
    admin = make_engine(postgres_url)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        url = f"{postgres_url}?options=-csearch_path%3D{schema}"
        _upgrade(url)
        yield url
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def _upgrade(url: str) -> None:
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()


@dataclass
class Samples:
    """Per-operation CPU and wall times (µs) of each repeat."""

    cpu: list[float] = field(default_factory=list)
    wall: list[float] = field(default_factory=list)

    def add(self, run: Callable[[], int]) -> None:
        """Time ``run`` (which returns how many operations it did) and keep the per-operation cost."""
        cpu0, wall0 = time.process_time(), time.perf_counter()
        count = run()
        cpu1, wall1 = time.process_time(), time.perf_counter()
        self.cpu.append((cpu1 - cpu0) / count * 1e6)
        self.wall.append((wall1 - wall0) / count * 1e6)

    @staticmethod
    def _fmt(values: list[float]) -> str:
        return f"{statistics.median(values):8.1f} µs ({min(values):.1f}–{max(values):.1f})"

    def line(self, name: str, base: Samples | None) -> str:
        ratio = ""
        if base is not None:
            ratio = (
                f"  ×{statistics.median(self.cpu) / statistics.median(base.cpu):5.1f} CPU"
                f"  ×{statistics.median(self.wall) / statistics.median(base.wall):5.1f} wall"
            )
        return f"{name:<34} CPU {self._fmt(self.cpu)}   wall {self._fmt(self.wall)}{ratio}"


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} CPUs"
