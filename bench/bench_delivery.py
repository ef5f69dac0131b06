"""Delivery throughput: N outbox rows on a temp SQLite file to a local aiosmtpd server.

Compares one reused SMTP connection per run with a new connection per message, and the
mail drop. The SMTP server runs in a child process, as a real relay would (``--in-process``
shares the interpreter, and so the GIL, with the worker). Not a test; from the repo root:

    python bench/bench_delivery.py [-n 1000] [--repeat 5] [--backend sqlite|postgres] [--in-process]
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import multiprocessing.connection
import multiprocessing.synchronize
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # for tests.smtp_server

from sqlalchemy import update  # noqa: E402
from sqlalchemy.engine import Engine  # noqa: E402
from sqlmodel import Session  # noqa: E402

from dondoc.engine.clock import LOCAL_TZ  # noqa: E402
from dondoc.engine.db import make_engine  # noqa: E402
from dondoc.engine.models import Notification  # noqa: E402
from dondoc.engine.settings import Settings  # noqa: E402
from dondoc.notifications import MailSpec, deliver_async, enqueue  # noqa: E402
from dondoc.notifications.senders import MailDropSender, Sender, SmtpSender  # noqa: E402
from tests.conftest import MIN_CATALOG  # noqa: E402
from tests.factories import assignment_for, load_min_catalog  # noqa: E402
from tests.smtp_server import running_smtp_server  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_sweep import scratch_database  # noqa: E402

NOW = datetime(2022, 3, 2, 8, 0, tzinfo=LOCAL_TZ)


def fill(engine: Engine, settings: Settings, count: int) -> float:
    """Load the tiny catalog and enqueue ``count`` reminders; enqueue rate (rows/s)."""
    with Session(engine, expire_on_commit=False) as session:
        load_min_catalog(session, NOW, MIN_CATALOG)
        a = assignment_for(session, "99/KH-TEST:II.1", "so-noi-vu")
        started = time.perf_counter()
        for i in range(count):
            spec = MailSpec(
                f"bench:{i}",
                "reminder",
                "agency",
                "so-noi-vu@dondoc.example",
                "Sở Nội vụ",
                a.id,
                None,
                False,
                {"due_at": a.due_at.isoformat() if a.due_at else None, "days_before_due": 7},
            )
            enqueue(session, spec, now=NOW, settings=settings)
        session.commit()
        return count / (time.perf_counter() - started)


def reset(engine: Engine) -> None:
    with Session(engine) as session:
        session.execute(update(Notification).values(status="pending", attempts=0, sent_at=None, message_id=None))
        session.commit()


def run(engine: Engine, settings: Settings, sender: Sender, count: int) -> tuple[float, float]:
    """(messages per second of wall time, CPU milliseconds of this process per message)."""
    reset(engine)
    cpu = time.process_time()
    report = asyncio.run(deliver_async(engine, now=NOW, settings=settings, sender=sender))
    assert report.sent == count, report
    return count / report.duration, (time.process_time() - cpu) * 1000 / count


def _serve(port_out: multiprocessing.connection.Connection, stop: multiprocessing.synchronize.Event) -> None:
    with running_smtp_server() as smtp:
        port_out.send(smtp.port)
        stop.wait()


@contextmanager
def smtp_port(in_process: bool) -> Iterator[int]:
    """The port of an aiosmtpd server, here or in a child process."""
    if in_process:
        with running_smtp_server() as smtp:
            yield smtp.port
        return
    receive, send = multiprocessing.Pipe(duplex=False)
    stop = multiprocessing.Event()
    child = multiprocessing.Process(target=_serve, args=(send, stop), daemon=True)
    child.start()
    try:
        if not receive.poll(30):
            raise RuntimeError("the SMTP server did not start")
        yield int(receive.recv())
    finally:
        stop.set()
        child.join(10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--count", type=int, default=1000)
    parser.add_argument(
        "--backend",
        choices=["sqlite", "postgres"],
        default="sqlite",
        help="the outbox on a temp SQLite file or in a fresh schema on --postgres-url",
    )
    parser.add_argument("--postgres-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    parser.add_argument("--in-process", action="store_true", help="run aiosmtpd in this process")
    parser.add_argument("--repeat", type=int, default=5, help="runs per configuration; the median is printed")
    args = parser.parse_args()
    with (
        tempfile.TemporaryDirectory() as tmp,
        scratch_database(args.backend, args.postgres_url) as url,
        smtp_port(args.in_process) as port,
    ):
        engine = make_engine(url)
        settings = Settings(
            _env_file=None,
            demo=True,
            smtp_host="127.0.0.1",
            smtp_port=port,  # type: ignore[call-arg]
            smtp_security="none",
            maildrop_dir=Path(tmp) / "drop",
        )
        where = "in this process" if args.in_process else "in a child process"
        print(f"{engine.dialect.name}, {args.count} messages, aiosmtpd {where} on 127.0.0.1:{port}")
        print(f"  enqueue (render + insert)      {fill(engine, settings, args.count):8.0f} rows/s")
        for label, sender in (
            ("SMTP, one reused connection", SmtpSender(settings, reuse=True)),
            ("SMTP, a connection per message", SmtpSender(settings, reuse=False)),
            ("mail drop (.eml files, fsync)", MailDropSender(Path(tmp) / "drop")),
        ):
            runs = sorted(run(engine, settings, sender, args.count) for _ in range(args.repeat))
            rate, cpu_ms = runs[len(runs) // 2]
            spread = f"{runs[0][0]:.0f}–{runs[-1][0]:.0f}"
            print(f"  {label:30} {rate:8.0f} msg/s  {cpu_ms:5.2f} ms CPU/msg   (median of {args.repeat}: {spread})")
        engine.dispose()


if __name__ == "__main__":
    main()
