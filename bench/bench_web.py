"""Load script (not a test): the board and an agency page at 100k assignments on SQLite.

    python bench/bench_web.py [--assignments 100000] [--agencies 100] [--runs 60]

Builds a throw-away SQLite database (bulk inserts: plans, items, milestones, agencies,
assignments in a realistic mix of states, one creation event each plus more for the work
done), then times GET /board (logged in) and GET /a/{token} in-process (TestClient: the
app, the database and the rendering, without a network hop) and prints p50/p95.
Targets: board p95 < 300 ms, agency page p95 < 100 ms.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import insert
from sqlmodel import Session

from dondoc.engine.clock import LOCAL_TZ, FrozenClock, end_of_day
from dondoc.engine.db import make_engine
from dondoc.engine.links import issue_token
from dondoc.engine.migrate import upgrade
from dondoc.engine.models import PLAN_BLOCK, Agency, Assignment, Event, Milestone, Plan, PlanItem
from dondoc.engine.services.accounts import add_user
from dondoc.engine.settings import Settings
from dondoc.web.app import create_app

NOW = datetime(2022, 9, 15, 9, 0, tzinfo=LOCAL_TZ)
SECRET = "bench-secret-key-0123456789abcdef"
USER, PASSWORD = "bench", "bench-password-1"  # the secretariat account build() adds


def build(url: str, n_assignments: int, n_agencies: int, seed: int = 7) -> None:
    """Bulk-load a database of ``n_assignments`` (= milestones × agencies)."""
    rng = random.Random(seed)
    engine = make_engine(url)
    upgrade(engine)
    n_milestones = n_assignments // n_agencies
    with engine.begin() as db:
        db.execute(
            insert(Agency.__table__),
            [
                {
                    "id": i + 1,
                    "code": f"co-quan-{i + 1:03d}",
                    "name": f"Cơ quan số {i + 1}",
                    "short": f"Cơ quan {i + 1}",
                    "kind": "so",
                    "aliases": [],
                }
                for i in range(n_agencies)
            ],
        )
        db.execute(
            insert(Plan.__table__),
            [
                {
                    "id": p + 1,
                    "number": f"{p + 1}/KH-UBND",
                    "kind": "ke_hoach",
                    "issued": date(2022, 1, 10),
                    "issuer": "UBND tỉnh",
                    "title": f"Kế hoạch {p + 1}",
                    "year": 2022,
                }
                for p in range(5)
            ],
        )
        db.execute(
            insert(PlanItem.__table__),
            [
                {
                    "id": m + 1,
                    "plan_id": m % 5 + 1,
                    "position": (m % 5 + 1) * PLAN_BLOCK + m // 5 + 1,  # as the catalog load writes it
                    "code": f"{m % 5 + 1}/KH-UBND:{m + 1}",
                    "kind": "task",
                    "section": str(m + 1),
                    "title": f"Nhiệm vụ {m + 1}: triển khai chuyển đổi số",
                    "content": "Nội dung nhiệm vụ.",
                    "source": "Mục II",
                    "roles_as_written": {},
                    "priority": m % 10 == 0,
                    "done_at_issue": False,
                }
                for m in range(n_milestones)
            ],
        )
        dues = [date(2022, 1, 31) + timedelta(days=rng.randrange(0, 335)) for _ in range(n_milestones)]
        db.execute(
            insert(Milestone.__table__),
            [
                {
                    "id": m + 1,
                    "item_id": m + 1,
                    "seq": 1,
                    "phrase": f"trước ngày {dues[m]:%d/%m/%Y}",
                    "kind": "date",
                    "due_date": None if m % 40 == 0 else dues[m],
                }
                for m in range(n_milestones)
            ],
        )
        assignments, events = [], []
        for m in range(n_milestones):
            due = None if m % 40 == 0 else end_of_day(dues[m])
            for a in range(n_agencies):
                row_id = m * n_agencies + a + 1
                state, reported = _state(rng, due)
                assignments.append(
                    {
                        "id": row_id,
                        "milestone_id": m + 1,
                        "agency_id": a + 1,
                        "role": "lead" if a == m % n_agencies else "implementer",
                        "state": state,
                        "version": 1,
                        "due_at": due,
                        "original_due_at": due,
                        "assigned_at": datetime(2022, 1, 10, tzinfo=LOCAL_TZ),
                        "reported_at": reported,
                        "progress": 100 if reported else 0,
                    }
                )
                events.append(
                    {
                        "assignment_id": row_id,
                        "at": datetime(2022, 1, 10, tzinfo=LOCAL_TZ),
                        "actor": "catalog",
                        "action": "assign",
                        "from_state": None,
                        "to_state": "assigned",
                        "data": {},
                    }
                )
                if reported:
                    events.append(
                        {
                            "assignment_id": row_id,
                            "at": reported,
                            "actor": f"co-quan-{a + 1:03d}",
                            "action": "report",
                            "from_state": "in_progress",
                            "to_state": state,
                            "data": {},
                        }
                    )
        for chunk in range(0, len(assignments), 20_000):
            db.execute(insert(Assignment.__table__), assignments[chunk : chunk + 20_000])
        for chunk in range(0, len(events), 20_000):
            db.execute(insert(Event.__table__), events[chunk : chunk + 20_000])
    with Session(engine) as session:
        add_user(session, USER, PASSWORD, now=NOW)
        session.commit()
    with engine.connect() as connection:
        connection.exec_driver_sql("ANALYZE")
    engine.dispose()


def _state(rng: random.Random, due: datetime | None) -> tuple[str, datetime | None]:
    """Mostly done when the due date has passed (some late), mostly open before it."""
    if due is None or due > NOW:
        roll = rng.random()
        return (
            ("in_progress", None)
            if roll < 0.6
            else ("assigned", None)
            if roll < 0.9
            else ("reported", NOW - timedelta(days=3))
        )
    roll = rng.random()
    if roll < 0.55:
        return "verified", due - timedelta(days=rng.randrange(0, 20))
    if roll < 0.75:
        return "reported", min(NOW, due + timedelta(days=rng.randrange(1, 30)))
    return ("in_progress" if roll < 0.92 else "assigned"), None


def log_in(client: TestClient) -> None:
    """Log ``client`` in as the secretariat account build() adds (the login form's CSRF token first)."""
    page = client.get("/login").text
    csrf = page.split('name="csrf" value="', 1)[1].split('"', 1)[0]
    client.post("/login", data={"username": USER, "password": PASSWORD, "csrf": csrf})


def timed(client: TestClient, urls: list[str]) -> list[float]:
    samples = []
    for url in urls:
        start = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code, response.text[:300])
    return samples


def report(name: str, samples: list[float], target: float) -> None:
    ordered = sorted(samples)
    p50, p95 = statistics.median(ordered), ordered[max(0, int(len(ordered) * 0.95) - 1)]
    verdict = "ok" if p95 < target else "OVER TARGET"
    print(
        f"{name:<14} n={len(samples):<4} p50={p50:7.1f} ms  p95={p95:7.1f} ms  max={ordered[-1]:7.1f} ms  "
        f"(target p95 < {target:.0f} ms: {verdict})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assignments", type=int, default=100_000)
    parser.add_argument("--agencies", type=int, default=100)
    parser.add_argument("--runs", type=int, default=60)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        started = time.perf_counter()
        build(url, args.assignments, args.agencies)
        print(
            f"built {args.assignments} assignments for {args.agencies} agencies "
            f"in {time.perf_counter() - started:.1f} s"
        )
        engine, clock = make_engine(url), FrozenClock(NOW)
        settings = Settings(
            secret_key=SECRET, database_url=url, base_url="http://testserver", maildrop_dir=Path(tmp) / "maildrop"
        )
        app = create_app(settings=settings, engine=engine, clock=clock)
        with Session(engine) as session:
            tokens = [
                issue_token(session, f"agency:co-quan-{i + 1:03d}", now=NOW, secret=SECRET, days=30)
                for i in range(args.agencies)
            ]
            session.commit()
        with TestClient(app) as client:
            log_in(client)
            timed(client, ["/board"] * 3 + [f"/a/{tokens[0]}"] * 3)  # warm up caches
            board = timed(client, ["/board"] * args.runs)
            agency = timed(client, [f"/a/{random.Random(i).choice(tokens)}" for i in range(args.runs * 3)])
        report("GET /board", board, 300)
        report("GET /a/{token}", agency, 100)
        engine.dispose()


if __name__ == "__main__":
    main()
