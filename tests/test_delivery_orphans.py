"""Leases of a dead delivery process: released by the next run on the same machine, not after 10 minutes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from dondoc.engine.clock import FrozenClock
from dondoc.engine.models import Notification
from dondoc.engine.settings import Settings
from dondoc.notifications import MailSpec, enqueue
from dondoc.notifications.claims import LEASE, claim, holder_is_gone, release_orphans, this_host
from tests.factories import assignment_for, load_min_catalog
from tests.support.catalogs import MIN_CATALOG


def _dead_pid() -> int:
    """The pid of a process that has ended (and been reaped)."""
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    return int(done.stdout)


def test_only_a_dead_process_of_this_machine_is_gone() -> None:
    host, dead = this_host(), _dead_pid()
    assert holder_is_gone(f"{host}:{dead}:abc123", host)
    assert not holder_is_gone(f"{host}:{os.getpid()}:abc123", host)  # this process
    assert not holder_is_gone(f"{host}:{os.getppid()}:abc123", host)  # alive
    assert not holder_is_gone(f"{host}:1:abc123", host)  # alive (init), maybe another user's
    assert not holder_is_gone(f"elsewhere:{dead}:abc123", host)  # another machine: its lease holds
    assert not holder_is_gone("dead", host) and not holder_is_gone(f"{host}:x:1", host)


def test_the_next_claim_takes_over_rows_leased_to_a_dead_process(
    session: Session, engine: Engine, clock: FrozenClock, tmp_path: Path
) -> None:
    settings = Settings(_env_file=None, demo=True, base_url="http://dondoc.test", maildrop_dir=tmp_path)  # type: ignore[call-arg]
    load_min_catalog(session, clock.now(), MIN_CATALOG)
    target = assignment_for(session, "99/KH-TEST:II.1", "so-noi-vu")
    facts = {"due_at": target.due_at.isoformat() if target.due_at else None, "days_before_due": 7}
    for i in range(3):
        spec = MailSpec(
            f"orphan:{i}", "reminder", "agency", "nv@dondoc.example", "Sở Nội vụ", target.id, None, False, facts
        )
        assert enqueue(session, spec, now=clock.now(), settings=settings) is not None
    session.commit()
    ids = sorted(session.exec(select(Notification.id)).all())
    host, dead = this_host(), _dead_pid()
    holders = {ids[0]: f"{host}:{dead}:aaaaaa", ids[1]: f"elsewhere:{dead}:bbbbbb", ids[2]: f"{host}:{os.getppid()}:cc"}
    for row_id, holder in holders.items():
        statement = update(Notification).where(col(Notification.id) == row_id)
        session.execute(statement.values(claimed_by=holder, claimed_until=clock.now() + LEASE))
    session.commit()

    assert claim(engine, worker_id="next", now=clock.now(), limit=10) == [ids[0]]  # the dead one's only
    session.expire_all()
    rows = {r.id: r for r in session.exec(select(Notification)).all()}
    assert rows[ids[0]].claimed_by == "next"
    assert rows[ids[1]].claimed_by == holders[ids[1]] and rows[ids[2]].claimed_by == holders[ids[2]]
    assert release_orphans(engine) == 0  # nothing left to release
