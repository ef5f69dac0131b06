"""Duplicate mails under delivery faults: kill -9 of a delivering process, and a lost SMTP reply.

Real parts: a SQLite outbox (or a fresh PostgreSQL schema), aiosmtpd on 127.0.0.1 that records
every accepted message, and a delivery run in a child process killed with SIGKILL at a random
moment of its run. After each fault a second run delivers what is left (on the same machine,
so it takes over the dead process's leases at once: ``claims.release_orphans``). Counted per
trial: messages the relay accepted more than once (duplicates, always the same Message-ID) and
rows never sent (lost).

    python bench/bench_delivery_faults.py --kills 20 --lost-replies 20
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_delivery import NOW, fill  # noqa: E402
from bench_sweep import scratch_database  # noqa: E402
from sqlalchemy import delete  # noqa: E402
from sqlmodel import Session, select  # noqa: E402

from dondoc.engine.db import make_engine  # noqa: E402
from dondoc.engine.models import Notification  # noqa: E402
from dondoc.engine.settings import Settings  # noqa: E402
from dondoc.notifications import deliver  # noqa: E402
from tests.smtp_server import RecordingHandler, running_smtp_server  # noqa: E402

CHILD = """
import sys
from datetime import datetime
from dondoc.engine.db import make_engine
from dondoc.engine.settings import Settings
from dondoc.notifications import deliver
url, port, now = sys.argv[1], int(sys.argv[2]), datetime.fromisoformat(sys.argv[3])
settings = Settings(_env_file=None, demo=True, smtp_host="127.0.0.1", smtp_port=port, smtp_security="none")
print("ready", flush=True)
deliver(make_engine(url), now=now, settings=settings, batch_size=10)
"""


def _settings(port: int) -> Settings:
    return Settings(_env_file=None, demo=True, smtp_host="127.0.0.1", smtp_port=port, smtp_security="none")  # type: ignore[call-arg]


def _fresh_outbox(url: str, count: int, port: int) -> None:
    engine = make_engine(url)
    with Session(engine) as session:
        session.execute(delete(Notification))
        session.commit()
    fill(engine, _settings(port), count)
    engine.dispose()


def _outcome(url: str, handler: RecordingHandler) -> tuple[int, int, int]:
    """(duplicates, lost, sent rows) of one trial."""
    copies = Counter(str(m["Message-ID"]) for m in handler.messages())
    engine = make_engine(url)
    with Session(engine) as session:
        statuses = Counter(session.exec(select(Notification.status)).all())
    engine.dispose()
    return sum(n - 1 for n in copies.values()), sum(statuses.values()) - statuses["sent"], statuses["sent"]


def kill_trial(url: str, count: int, window: float) -> tuple[int, int, bool]:
    """A delivery process killed with SIGKILL ``uniform(0, window)`` s after the relay got its first
    mail; then a second run. (duplicates, lost, whether the kill landed while it was delivering)."""
    with running_smtp_server() as smtp:
        _fresh_outbox(url, count, smtp.port)
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, url, str(smtp.port), NOW.isoformat()], stdout=subprocess.PIPE, text=True
        )
        assert child.stdout is not None and child.stdout.readline().strip() == "ready"
        smtp.handler.wait_for(1, timeout=60)
        time.sleep(random.uniform(0, window))  # the bench's own wall clock: a random moment of the run
        landed = child.poll() is None and len(smtp.handler.received) < count
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        deliver(make_engine(url), now=NOW, settings=_settings(smtp.port))
        duplicates, lost, _ = _outcome(url, smtp.handler)
    return duplicates, lost, landed


class LostReply(RecordingHandler):
    """Accepts the ``at``-th message, then drops the connection instead of replying 250."""

    def __init__(self, at: int) -> None:
        super().__init__()
        self.at, self._lock = at, threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        reply = await super().handle_DATA(server, session, envelope)
        with self._lock:
            lose = self.transactions == self.at
        if lose:
            server.transport.close()  # accepted and stored, but the client never hears it
        return reply


def lost_reply_trial(url: str, count: int) -> tuple[int, int]:
    with running_smtp_server() as smtp:
        _fresh_outbox(url, count, smtp.port)
        handler = LostReply(random.randint(1, count))
        smtp.handler.handle_DATA = handler.handle_DATA  # type: ignore[method-assign]
        deliver(make_engine(url), now=NOW, settings=_settings(smtp.port))
        deliver(make_engine(url), now=NOW, settings=_settings(smtp.port))  # whatever was left for later
        handler_received = handler.received
        copies = Counter(str(m.message["Message-ID"]) for m in handler_received)
        engine = make_engine(url)
        with Session(engine) as session:
            statuses = Counter(session.exec(select(Notification.status)).all())
        engine.dispose()
    return sum(n - 1 for n in copies.values()), sum(statuses.values()) - statuses["sent"]


def _baseline(url: str, count: int) -> float:
    """Seconds one run takes to send ``count`` mails here (the kill window)."""
    with running_smtp_server() as smtp:
        _fresh_outbox(url, count, smtp.port)
        started = time.perf_counter()
        report = deliver(make_engine(url), now=NOW, settings=_settings(smtp.port))
        assert report.sent == count, report
        return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--count", type=int, default=50, help="mails in the outbox per trial")
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--lost-replies", type=int, default=20)
    parser.add_argument("--backend", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--postgres-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    random.seed(args.seed)
    with scratch_database(args.backend, args.postgres_url) as url:
        window = _baseline(url, args.count)
        print(f"{make_engine(url).dialect.name}: {args.count} mails per trial, one run sends them in {window:.2f} s")
        kills = [kill_trial(url, args.count, window) for _ in range(args.kills)]
        dup, lost = sum(k[0] for k in kills), sum(k[1] for k in kills)
        landed, with_dup = sum(1 for k in kills if k[2]), sum(1 for k in kills if k[0])
        print(
            f"  kill -9 during delivery: {args.kills} kills ({landed} mid-run), "
            f"{with_dup} with a duplicate ({dup} mails), {lost} lost"
        )
        replies = [lost_reply_trial(url, args.count) for _ in range(args.lost_replies)]
        dup, lost = sum(d for d, _ in replies), sum(lo for _, lo in replies)
        print(f"  lost SMTP reply: {args.lost_replies} lost replies, {dup} duplicate mails, {lost} lost")


if __name__ == "__main__":
    main()
