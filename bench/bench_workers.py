"""Sweep and delivery with 1, 2 and 4 concurrent workers over N assignments on PostgreSQL.

    python bench/bench_workers.py                      # 1,000,000 assignments (build ~1–2 min)
    python bench/bench_workers.py --rows 100000 --workers 1 2

Builds the data with bench_sweep.build (100 agencies, --due-share of the rows near "now"),
then, for each worker count W, starts W processes at the same moment — as W Prefect workers
would run W flow runs — each calling the same function the flows call, and times the pass
(from the start signal until the last process is done):

  sweep, first pass   dondoc.jobs.run_sweep on an empty outbox, every assignment due for a
                      first look: judges every row, decides and renders the mails
  sweep, steady       dondoc.jobs.run_sweep again: nothing is due
  delivery            notifications.delivery.deliver (batches of 100, lease + SKIP LOCKED)
                      of every pending row to an aiosmtpd server on 127.0.0.1 (--sender smtp)
                      or to a mail-drop folder per worker (--sender maildrop)

Between runs the outbox is emptied (sweep) or set back to pending (delivery). Not a test.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))  # bench_sweep
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # engine, tests.smtp_server

import bench_sweep  # noqa: E402
from sqlalchemy import text  # noqa: E402

from dondoc.engine.db import make_engine  # noqa: E402
from dondoc.engine.settings import Settings  # noqa: E402

NOW = bench_sweep.NOW


@dataclass(frozen=True)
class Job:
    """What one worker process does, and where."""

    kind: str  # "sweep" | "deliver"
    url: str
    smtp_port: int | None
    maildrop: str


def _settings(job: Job) -> Settings:
    smtp = {"smtp_host": "127.0.0.1", "smtp_port": job.smtp_port, "smtp_security": "none"} if job.smtp_port else {}
    return Settings(_env_file=None, database_url=job.url, demo=True, maildrop_dir=Path(job.maildrop), **smtp)  # type: ignore[arg-type]


def _worker(job: Job, ready: Any, go: Any, results: Any) -> None:
    """One worker process: connect, say ready, wait for the start signal, run one pass."""
    from dondoc import jobs

    settings = _settings(job)
    engine = make_engine(job.url)
    with engine.connect():
        pass  # the pool's first connection is not part of the pass
    ready.release()
    go.wait()
    started = time.perf_counter()
    if job.kind == "sweep":
        result = jobs.run_sweep(engine, now=NOW, settings=settings)
        outcome = {"decisions": len(result.decisions), "candidates": result.candidates}
    else:
        report = jobs.run_delivery(engine, now=NOW, settings=settings, batch_size=100)
        outcome = {"sent": report.sent, "skipped": report.skipped, "retry": report.retry, "failed": report.failed}
    results.put((os.getpid(), time.perf_counter() - started, outcome))
    engine.dispose()


def run_workers(count: int, job: Job) -> tuple[float, list[float], Counter[str]]:
    """Start ``count`` worker processes at once; wall time of the pass, each worker's time, summed outcomes."""
    ctx = mp.get_context("spawn")
    ready, go, results = ctx.Semaphore(0), ctx.Event(), ctx.Queue()
    procs = [ctx.Process(target=_worker, args=(job, ready, go, results)) for _ in range(count)]
    for proc in procs:
        proc.start()
    for _ in procs:
        ready.acquire()
    started = time.perf_counter()
    go.set()
    outcomes = [results.get(timeout=3600) for _ in procs]
    wall = time.perf_counter() - started
    for proc in procs:
        proc.join()
    total: Counter[str] = Counter()
    for _, _, outcome in outcomes:
        total.update(outcome)
    return wall, sorted(round(t, 1) for _, t, _ in outcomes), total


def reset_outbox(url: str, *, delete: bool) -> int:
    """Empty the outbox and the sweep record and make every assignment due for a first look
    (``delete``), or set every sent row back to pending."""
    engine = make_engine(url)
    with engine.begin() as connection:
        if delete:
            connection.execute(text("TRUNCATE notification, sweep_run RESTART IDENTITY"))
            connection.execute(text("UPDATE assignment SET next_sweep_at = '1970-01-01 00:00:00+00'"))
        else:
            connection.execute(
                text(
                    "UPDATE notification SET status='pending', attempts=0, sent_at=NULL, message_id=NULL, "
                    "claimed_by=NULL, claimed_until=NULL, last_error=NULL WHERE status <> 'held'"
                )
            )
        pending = connection.execute(text("SELECT count(*) FROM notification WHERE status='pending'")).scalar_one()
        connection.execute(text("ANALYZE notification"))
    if delete:
        with engine.connect() as connection:
            connection.execution_options(isolation_level="AUTOCOMMIT").execute(text("VACUUM ANALYZE assignment"))
    engine.dispose()
    return int(pending)


def line(label: str, workers: int, wall: float, per_worker: list[float], total: Counter[str], extra: str = "") -> None:
    print(
        f"  {label:<18} {workers} worker(s)  {wall:7.1f} s  per worker {per_worker}  {dict(total)} {extra}", flush=True
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--due-share", type=float, default=0.01)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--sender", choices=["smtp", "maildrop"], default="smtp")
    parser.add_argument("--postgres-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    args = parser.parse_args()

    with bench_sweep.scratch_database("postgres", args.postgres_url) as url:
        measure(url, args)


def measure(url: str, args: argparse.Namespace) -> None:
    engine = make_engine(url)
    try:
        started = time.perf_counter()
        due_rows = bench_sweep.build(engine, args.rows, args.due_share)
        print(
            f"postgres rows={args.rows:,} due_rows={due_rows:,} build={time.perf_counter() - started:.1f}s "
            f"cpus={os.cpu_count()} sender={args.sender}",
            flush=True,
        )
        with tempfile.TemporaryDirectory() as drop:
            job = Job("sweep", url, None, drop)
            for workers in args.workers:
                reset_outbox(url, delete=True)
                line("sweep, first pass", workers, *run_workers(workers, job))
                line("sweep, steady", workers, *run_workers(workers, job))
            _deliveries(url, args.workers, args.sender, drop)
    finally:
        engine.dispose()


def _deliveries(url: str, counts: list[int], sender: str, drop: str) -> None:
    """Deliver the outbox the last sweep made, once per worker count."""
    from tests.smtp_server import running_smtp_server

    def each(port: int | None, received: Callable[[], int] | None) -> None:
        for workers in counts:
            pending = reset_outbox(url, delete=False)
            before = received() if received else 0
            wall, per_worker, total = run_workers(workers, Job("deliver", url, port, drop))
            got = f"  the SMTP server got {received() - before}" if received else ""
            line("delivery", workers, wall, per_worker, total, f"{pending:,} rows, {pending / wall:4.0f} msg/s{got}")

    if sender == "maildrop":
        each(None, None)
        return
    with running_smtp_server() as smtp:
        each(smtp.port, lambda: len(smtp.handler.received))


if __name__ == "__main__":
    main()
