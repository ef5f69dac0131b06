"""Load script (not a test): the board, the search and each queue of the desk at 100k assignments,
each page against the bare SQL query behind it, measured in the same run (issue 16).

    python bench/bench_board.py [--assignments 100000] [--agencies 100] [--runs 40]

Builds the database of bench_web.py (Core inserts), fills the folded search text as migration
0013 would, and adds what the queues list: requests for an explanation (a third of them
answered), failed mails, items whose text names nobody. Then times, in-process through the app
(TestClient, no network hop), each page's p50/p95, and the bare statement behind it (the same
SQL the page runs for its rows, executed and fetched on a connection, no rendering).
Targets: page p95 < 300 ms and within 3× of its bare query's p95.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import insert, select, update
from sqlalchemy.engine import Engine
from sqlmodel import Session

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_web import NOW, SECRET, build  # noqa: E402

from dondoc.engine.clock import DEFAULT_DAYS, FrozenClock  # noqa: E402
from dondoc.engine.db import make_engine  # noqa: E402
from dondoc.engine.models import Agency, Assignment, Event, Notification, PlanItem  # noqa: E402
from dondoc.engine.services.assignment_filter import AssignmentFilter  # noqa: E402
from dondoc.engine.services.queues import QUEUES, queue_counts  # noqa: E402
from dondoc.engine.services.web_queries import assignments_statement, board_summary, overdue_assignments  # noqa: E402
from dondoc.engine.settings import Settings  # noqa: E402
from dondoc.engine.textfold import agency_search_text, item_search_text  # noqa: E402
from dondoc.web.app import create_app  # noqa: E402
from dondoc.web.filters import PAGE_SIZE  # noqa: E402

SEARCH = "trien khai 12"  # folded words of the generated titles: every item with 12 in its number


def desk_rows(engine: Engine, seed: int = 11) -> dict[str, int]:
    """Search text, explanation requests, failed mails and unnamed items on top of bench_web's data."""
    rng = random.Random(seed)
    with engine.begin() as db:
        items = db.execute(select(PlanItem.id, PlanItem.code, PlanItem.title)).all()  # type: ignore[call-overload]
        db.execute(
            update(PlanItem.__table__).where(PlanItem.__table__.c.id == _bind("item_id")),
            [{"item_id": i, "search_text": item_search_text(c, t)} for i, c, t in items],
        )
        agencies = db.execute(select(Agency.id, Agency.code, Agency.name, Agency.short)).all()  # type: ignore[call-overload]
        db.execute(
            update(Agency.__table__).where(Agency.__table__.c.id == _bind("agency_id")),
            [{"agency_id": i, "search_text": agency_search_text(c, n, s)} for i, c, n, s in agencies],
        )
        open_late = (
            db.execute(
                select(Assignment.id)  # type: ignore[call-overload]
                .where(Assignment.state.in_(["assigned", "in_progress"]), Assignment.due_at < NOW)  # type: ignore[union-attr,operator]
                .limit(3000)
            )
            .scalars()
            .all()
        )
        asked = NOW - timedelta(days=10)
        events = [
            {
                "assignment_id": a,
                "at": asked,
                "actor": "secretariat",
                "action": "request_explanation",
                "from_state": None,
                "to_state": None,
                "comment": "Đề nghị giải trình",
                "data": {},
            }
            for a in open_late
        ]
        events += [
            {
                "assignment_id": a,
                "at": asked + timedelta(days=2),
                "actor": "agency",
                "action": "explain",
                "from_state": None,
                "to_state": None,
                "comment": "Đã giải trình",
                "data": {},
            }
            for a in open_late[::3]
        ]
        db.execute(insert(Event.__table__), events)
        mails = [
            {
                "dedupe_key": f"bench-failed-{n}",
                "kind": "reminder",
                "assignment_id": rng.choice(open_late),
                "recipient_role": "agency",
                "recipient_email": f"co-quan-{n % 100:03d}@dondoc.example",
                "subject": "Nhắc việc",
                "body_text": "",
                "status": "failed" if n % 5 == 0 else "sent",
                "attempts": 3,
                "created_at": NOW - timedelta(days=n % 30),
                "next_attempt_at": NOW,
                "data": {},
            }
            for n in range(5000)
        ]
        db.execute(insert(Notification.__table__), mails)
        unnamed = [
            {"item_id": i, "unnamed": [{"role": "partner", "phrase": "các cơ quan liên quan"}]}
            for i, _, _ in items[::50]
        ]
        db.execute(update(PlanItem.__table__).where(PlanItem.__table__.c.id == _bind("item_id")), unnamed)
        db.exec_driver_sql("ANALYZE")
    return {"explanations": len(open_late) - len(open_late[::3]), "failed": 1000, "unnamed": len(unnamed)}


def _bind(name: str) -> Any:
    from sqlalchemy import bindparam

    return bindparam(name)


def pages(engine: Engine) -> dict[str, tuple[str, Callable[[Session], Any]]]:
    """Page URL and its bare query (the statement behind its rows, executed and fetched)."""
    local = DEFAULT_DAYS
    found: dict[str, tuple[str, Callable[[Session], Any]]] = {
        # the board runs several statements: the category GROUP BY, the overdue list, each queue's count
        "board": (
            "/board",
            lambda s: (board_summary(s, NOW), overdue_assignments(s, NOW), queue_counts(s, NOW, local)),
        ),
        "search": (
            f"/board/assignments?q={SEARCH.replace(' ', '+')}",
            lambda s: s.exec(
                assignments_statement(NOW, *AssignmentFilter(q=SEARCH).conditions(s, NOW, local)).limit(PAGE_SIZE + 1)
            ).all(),
        ),
    }
    for queue in QUEUES:  # a queue page: its count and its first page of rows
        found[queue.slug] = (
            f"/board/{queue.slug}",
            lambda s, q=queue: (  # type: ignore[misc]
                q.count(s, NOW, local, AssignmentFilter()),
                s.exec(q.statement(s, NOW, local, AssignmentFilter()).limit(PAGE_SIZE)).all(),
            ),
        )
    return found


def timed(call: Callable[[], Any], runs: int) -> list[float]:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[max(0, int(len(ordered) * 0.95) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assignments", type=int, default=100_000)
    parser.add_argument("--agencies", type=int, default=100)
    parser.add_argument("--runs", type=int, default=40)
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.2f} (2 shared cores)")
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        started = time.perf_counter()
        build(url, args.assignments, args.agencies)
        engine = make_engine(url)
        extra = desk_rows(engine)
        print(f"built {args.assignments} assignments, {extra} in {time.perf_counter() - started:.1f} s")
        settings = Settings(secret_key=SECRET, database_url=url, maildrop_dir=Path(tmp) / "maildrop")
        app = create_app(settings=settings, engine=engine, clock=FrozenClock(NOW))
        failures = 0
        with TestClient(app) as client:
            page = client.get("/login").text
            csrf = page.split('name="csrf" value="', 1)[1].split('"', 1)[0]
            client.post("/login", data={"username": "bench", "password": "bench-password-1", "csrf": csrf})
            head = ("page", "rows", "bare p50", "bare p95", "page p50", "page p95", "ratio")
            print(f"{head[0]:<16}" + "".join(f"{h:>10}" for h in head[1:]) + "  verdict")
            for name, (path, bare) in pages(engine).items():
                for _ in range(3):  # warm up
                    assert client.get(path).status_code == 200, path
                with Session(engine) as session:
                    rows = bare(session)
                    bare_ms = timed(lambda: bare(session), args.runs)  # noqa: B023
                page_ms = timed(lambda: client.get(path), args.runs)  # noqa: B023
                ratio = p95(page_ms) / p95(bare_ms)
                ok = p95(page_ms) < 300 and ratio <= 3
                failures += not ok
                count = len(rows[1]) if isinstance(rows, tuple) else len(rows)  # the rows the page shows
                print(
                    f"{name:<16}{count:>10}{statistics.median(bare_ms):>10.1f}{p95(bare_ms):>10.1f}"
                    f"{statistics.median(page_ms):>10.1f}{p95(page_ms):>10.1f}{ratio:>9.1f}×  {'ok' if ok else 'OVER'}"
                )
        engine.dispose()
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
