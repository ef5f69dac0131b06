"""Load script (not a test): the board, the search and each queue of the desk at 100k assignments,
each page against the bare SQL query behind it, measured in the same run (issue 16).

    python bench/bench_board.py [--backend sqlite|postgres] [--assignments 100000] [--agencies 100] [--runs 40]
                                [--only board,search,…] [--keep FILE] [--no-waiting]

Builds the database of bench_web.py (Core inserts) on a temporary SQLite file or a fresh
PostgreSQL schema, fills the search text (engine.textfold) as migration 0038 would, and adds what the
queues list: requests for an explanation (a third of them answered), failed mails, items whose
text names nobody, partners' parts (every twentieth implementer's becomes a partner's), and
(unless ``--no-waiting``) what a province has waiting after a reorganisation, written by the
product's services: 300 extension requests (``act``) and a merge into a body that holds every
milestone already (``apply_due_successions``: the merged body's
open work, ~600 rows, waits in "Cần phân công lại"). Then times, in-process, each page, and
the bare statements behind it (the same SQL the page runs for its counts and rows, executed and
fetched on a connection, no rendering).

A page is timed as the server spends it: one ASGI call of the app, made inside the app's own
event loop (the TestClient's portal, after the TestClient has started the app and logged in),
from the call to the response's last body byte; the sync route and its dependencies run in the
worker threads as under uvicorn, and their CPU is counted (``process_time`` is the process's).
What the TestClient itself spends on its side (httpx's request building and cookie jar, the hop
between its thread and the loop: ~1.2 ms a request, measured on a 404) is the client's, not the
page's; its p95 is printed last, for comparison. A real server adds its HTTP parsing, which is
not counted here either (uvicorn's httptools: tens of microseconds).

Each request is measured as wall time and as CPU time: this process's (``time.process_time``)
plus, on PostgreSQL, the server backends' of this run during the request (``/proc/<pid>/schedstat``,
in nanoseconds). The bare statements, the page and the page through the TestClient are run in
turn, one of each, ``--runs`` times: a machine whose speed drifts during the run (a shared
machine's does) weighs on the three alike. On a machine shared with other work the wall time is
mostly waiting for a CPU; the CPU time is what the page costs.
Targets: page p95 < 300 ms and within 3× of its bare statements' p95 (CPU; wall printed beside).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import event, insert, select, update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_web import NOW, SECRET, build, log_in  # noqa: E402
from scratch import scratch_database  # noqa: E402

from dondoc.engine.actors import Actor  # noqa: E402
from dondoc.engine.clock import FrozenClock  # noqa: E402
from dondoc.engine.db import make_engine  # noqa: E402
from dondoc.engine.migrate import upgrade  # noqa: E402
from dondoc.engine.models import Agency, AgencyGroup, Assignment, Event, Notification, PlanItem, Succession  # noqa: E402
from dondoc.engine.services.assignments import Request, act  # noqa: E402
from dondoc.engine.services.judged_rows import forget  # noqa: E402
from dondoc.engine.services.queues import QUEUES  # noqa: E402
from dondoc.engine.services.successions import apply_due_successions  # noqa: E402
from dondoc.engine.settings import Settings  # noqa: E402
from dondoc.engine.textfold import agency_search_text, item_search_text  # noqa: E402
from dondoc.engine.workcalendar import WorkCalendar  # noqa: E402
from dondoc.engine.workflow import Action  # noqa: E402
from dondoc.web.app import create_app, settle_heap  # noqa: E402

SEARCH = "trien khai 12"  # folded words of the generated titles: every item with 12 in its number


def desk_rows(engine: Engine, seed: int = 11, *, waiting: bool = True) -> dict[str, int]:
    """Search text, explanation requests, failed mails, unnamed items, parts given through an inferred
    group and partners' parts on top of bench_web's data."""
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
        # parts given through an inferred group, not confirmed ("Chờ xác nhận giao"): the shipped
        # catalog marks 115 of one year's plans; at 100k assignments, about a hundredth of the open work
        db.execute(insert(AgencyGroup.__table__), [{"code": INFERRED, "name": "Thành viên Ban Chỉ đạo", "aliases": []}])
        open_work = Assignment.state.in_(["assigned", "in_progress"])  # type: ignore[union-attr]
        unconfirmed = _every(db, open_work, 100, {"inferred_group": INFERRED})
        # partners (phối hợp): every twentieth implementer's part is a partner's; the open ones whose
        # milestone's lead has reported wait in "Phối hợp không còn được chờ"
        partners = _every(db, Assignment.role == "implementer", 20, {"role": "partner"})
    extra = waiting_work(engine, rng) if waiting else {}
    with engine.begin() as db:
        db.exec_driver_sql("ANALYZE")
    counts = {"explanations": len(open_late) - len(open_late[::3]), "failed": 1000, "unnamed": len(unnamed)}
    return counts | {"unconfirmed": len(unconfirmed), "partners": len(partners)} | extra


INFERRED = "thanh-vien-bench"  # an inferred group's code (tasks_catalog: agencies.yaml ``inferred:``)
EXTENSION_REQUESTS = 300
MERGED, INTO = "co-quan-100", "co-quan-099"  # the reorganisation: the last agency merged into the one before


def waiting_work(engine: Engine, rng: random.Random) -> dict[str, int]:
    """What waits in the two queues a province has after a reorganisation, written by the product's
    own services: agencies' extension requests (``act``, through the rule book) on open work, and
    a merge into a body that already holds every milestone, applied by ``apply_due_successions``
    (the catalog's load does the same), which puts the merged body's open work in "Cần phân
    công lại"."""
    calendar = WorkCalendar.default()
    with Session(engine) as session:
        agencies = dict(session.execute(select(Agency.id, Agency.code)).tuples().all())  # type: ignore[call-overload]
        merged = next(i for i, code in agencies.items() if code == MERGED)
        explained = select(Event.assignment_id).where(Event.action == Action.REQUEST_EXPLANATION.value)
        candidates = session.execute(
            select(Assignment.id, Assignment.agency_id, Assignment.due_at)  # type: ignore[call-overload]
            .where(
                col(Assignment.state).in_(["assigned", "in_progress"]),
                col(Assignment.due_at).is_not(None),
                col(Assignment.agency_id) != merged,
                col(Assignment.id).not_in(explained),
            )
            .order_by(col(Assignment.id))
        ).all()
        asked = 0
        for assignment_id, agency_id, due_at in rng.sample(candidates, EXTENSION_REQUESTS):
            at = NOW - timedelta(days=rng.randrange(1, 8), hours=rng.randrange(0, 8))
            request = Request(
                Action.REQUEST_EXTENSION,
                Actor.agency(agencies[agency_id]),
                comment="Đề nghị gia hạn do chờ kinh phí",
                due=(max(due_at, NOW) + timedelta(days=rng.randrange(15, 60))).date(),  # later than in force
            )
            act(session, assignment_id, request, now=at, calendar=calendar)
            asked += 1
        effective = NOW.date() - timedelta(days=1)
        session.add(
            Succession(
                key="bench-merge",
                kind="merge",
                effective_on=effective,
                from_codes=[MERGED],
                successors=[{"agency": INTO}],
                source="Quyết định sáp nhập (bench)",
                loaded_at=NOW - timedelta(days=2),
            )
        )
        ended = session.get(Agency, merged)
        assert ended is not None
        ended.valid_to = effective - timedelta(days=1)
        report = apply_due_successions(session, now=NOW)
        session.commit()
    return {"extension_requests": asked, "reassign": len(report.queued)}


def _every(db: Any, where: Any, step: int, values: dict[str, Any]) -> list[int]:
    """Every ``step``-th assignment ``where`` selects, in id order, given ``values``: their ids."""
    ids = db.execute(select(Assignment.id).where(where).order_by(Assignment.id)).scalars().all()  # type: ignore[call-overload]
    chosen = list(ids[::step])
    db.execute(
        update(Assignment.__table__).where(Assignment.__table__.c.id == _bind("assignment_id")),
        [{"assignment_id": a, **values} for a in chosen],
    )
    return chosen


def _bind(name: str) -> Any:
    from sqlalchemy import bindparam

    return bindparam(name)


# The board as first viewed after a change: what engine.services.judged_rows keeps of its summary
# dropped before each request, as a commit by anyone makes it stale (the board, as viewed again while
# nothing changed, reads it back)
CHANGED = "board-changed"


def pages() -> dict[str, str]:
    """The pages: the board, a search, each queue."""
    found = {"board": "/board", CHANGED: "/board", "search": f"/board/assignments?q={SEARCH.replace(' ', '+')}"}
    found |= {queue.slug: f"/board/{queue.slug}" for queue in QUEUES}
    return found


class Recorder:
    """The SQL a request runs, as the driver receives it: the page's bare statements."""

    def __init__(self, engine: Engine) -> None:
        self.engine, self.statements, self.on = engine, [], False
        self.statements: list[tuple[str, Any]] = []
        event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, many: bool) -> None:
        if self.on:
            self.statements.append((statement, parameters))

    def record(self, call: Callable[[], Any]) -> list[tuple[str, Any]]:
        self.statements, self.on = [], True
        try:
            call()
        finally:
            self.on = False
        return self.statements


def forgetting(engine: Engine) -> Callable[[Callable[[], Any]], Callable[[], Any]]:
    """``call`` made after dropping what judged_rows keeps for ``engine`` (:data:`CHANGED`)."""

    def changed(call: Callable[[], Any]) -> Callable[[], Any]:
        def run() -> Any:
            forget(engine)
            return call()

        return run

    return changed


def bare(engine: Engine, statements: list[tuple[str, Any]]) -> Callable[[], None]:
    """Run ``statements`` on a driver connection of the pool, fetching every row; no ORM, no rendering."""

    def run() -> None:
        connection = engine.raw_connection()
        try:
            cursor = connection.cursor()
            for statement, parameters in statements:
                cursor.execute(statement, parameters)
                if cursor.description is not None:
                    cursor.fetchall()
            cursor.close()
            connection.rollback()
        finally:
            connection.close()

    return run


APPLICATION = "dondoc-bench-board"  # the PostgreSQL backends of this run, by application_name


class CpuClock:
    """CPU seconds used so far by this process and, on PostgreSQL, by this run's server backends:
    each backend's time on a CPU as the kernel counts it in nanoseconds (``/proc/PID/schedstat``;
    ``/proc/PID/stat`` counts in ticks of 10 ms, too coarse for one request of a few ms). The
    backends are looked up once (:meth:`find_backends`, after the pool has opened them), so that
    reading the clock sends no statement of its own."""

    def __init__(self, engine: Engine) -> None:
        self.engine, self.postgres = engine, engine.dialect.name == "postgresql"
        self.backends: list[Path] = []

    def find_backends(self) -> None:
        if not self.postgres:
            return
        self.backends = self._backends()
        assert self.backends, f"no server process of {APPLICATION}"
        assert all(path.exists() for path in self.backends), (
            "a server process's CPU is not readable (a server on another host, or a kernel without schedstat)"
        )

    def check_backends(self) -> None:
        """The same server processes as when they were looked up: none opened or closed meanwhile,
        whose CPU would have gone uncounted."""
        if self.postgres:
            assert self._backends() == self.backends, "the pool opened or closed a connection during the rounds"

    def _backends(self) -> list[Path]:
        with self.engine.connect() as connection:
            pids = connection.exec_driver_sql(
                "SELECT pid FROM pg_stat_activity WHERE application_name = %(name)s ORDER BY pid", {"name": APPLICATION}
            ).scalars()
            return [Path(f"/proc/{pid}/schedstat") for pid in pids]

    def server(self) -> float:
        total = 0
        for path in self.backends:
            try:
                total += int(path.read_text().split()[0])
            except OSError:
                continue  # a backend that ended (the pool closed it)
        return total / 1e9


Timing = Callable[[], tuple[float, float]]  # one call: its wall and CPU ms


def clocked(call: Callable[[], Any]) -> Timing:
    """``call`` timed from here: wall and CPU ms of one call."""

    def timing() -> tuple[float, float]:
        start, start_cpu = time.perf_counter(), time.process_time()
        call()
        return (time.perf_counter() - start) * 1000, (time.process_time() - start_cpu) * 1000

    return timing


def timed_each(timings: dict[str, Timing], runs: int, cpu: CpuClock) -> dict[str, tuple[list[float], list[float]]]:
    """Wall and CPU ms of ``runs`` calls of each of ``timings``, interleaved (one of each in turn, so
    that the machine's drift over the run weighs on all of them alike); the CPU of the server's
    backends during a call (PostgreSQL) is added to its own."""
    measured: dict[str, tuple[list[float], list[float]]] = {name: ([], []) for name in timings}
    for _ in range(runs):
        for name, timing in timings.items():
            server0 = cpu.server()
            wall, spent = timing()
            walls, cpus = measured[name]
            walls.append(wall)
            cpus.append(spent + (cpu.server() - server0) * 1000)
    return measured


class InProcess:
    """Requests made as the server makes them: the app called once per request with an ASGI scope,
    inside the app's event loop (``portal``), the session cookie of the logged-in client sent."""

    def __init__(self, client: TestClient) -> None:
        self.app, self.portal = client.app, client.portal
        assert self.portal is not None, "start the TestClient (a with block) first"
        self.cookie = "; ".join(f"{name}={value}" for name, value in client.cookies.items()).encode()

    def scope(self, path: str) -> dict[str, Any]:
        route, _, query = path.partition("?")
        return {
            "type": "http",
            "asgi": {"version": "3.0", "spec_version": "2.3"},
            "http_version": "1.1",
            "method": "GET",
            "scheme": "http",
            "path": route,
            "raw_path": route.encode(),
            "query_string": query.encode(),
            "root_path": "",
            "headers": [(b"host", b"testserver"), (b"accept", b"text/html"), (b"cookie", self.cookie)],
            "client": ("127.0.0.1", 50000),
            "server": ("testserver", 80),
            "state": {},
        }

    async def _serve(self, path: str, runs: int) -> tuple[list[float], list[float], int]:
        walls, cpus, status = [], [], 0
        template = self.scope(path)
        for _ in range(runs):
            sent: list[dict[str, Any]] = []

            async def receive() -> dict[str, Any]:
                return {"type": "http.request", "body": b"", "more_body": False}

            async def send(message: dict[str, Any], sent: list[dict[str, Any]] = sent) -> None:
                sent.append(message)

            start, start_cpu = time.perf_counter(), time.process_time()
            await self.app(dict(template), receive, send)
            walls.append((time.perf_counter() - start) * 1000)
            cpus.append((time.process_time() - start_cpu) * 1000)
            status = sent[0]["status"]
        return walls, cpus, status

    def get(self, path: str, runs: int = 1) -> tuple[list[float], list[float], int]:
        """Wall and CPU ms of each of ``runs`` requests of ``path``, and the last one's status."""
        assert self.portal is not None
        return self.portal.call(self._serve, path, runs)

    def timing(self, path: str) -> Timing:
        """One request of ``path`` timed as the server spends it (inside the app's loop)."""

        def timing() -> tuple[float, float]:
            walls, cpus, status = self.get(path)
            assert status == 200, (path, status)
            return walls[0], cpus[0]

        return timing


@contextmanager
def desk_served(engine: Engine, url: str) -> Iterator[tuple[TestClient, InProcess]]:
    """The app on ``engine`` as the desk's benches serve it (bench_board, bench_instructions, bench_hop): started by a
    TestClient, logged in, its heap settled as ``dondoc serve`` does, requests made in-process."""
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            secret_key=SECRET, database_url=url, base_url="http://testserver", maildrop_dir=Path(tmp) / "maildrop"
        )
        app = create_app(settings=settings, engine=engine, clock=FrozenClock(NOW))
        with TestClient(app) as client:
            log_in(client)
            settle_heap()
            yield client, InProcess(client)


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[max(0, int(len(ordered) * 0.95) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--assignments", type=int, default=100_000)
    parser.add_argument("--agencies", type=int, default=100)
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--only", default="", help="comma-separated page names (board, search, a queue's slug)")
    parser.add_argument("--keep", type=Path, help="SQLite: build into this file once, and reuse it when it exists")
    parser.add_argument(
        "--no-waiting", action="store_true", help="no extension requests nor reorganisation: those queues empty"
    )
    args = parser.parse_args()
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} ({os.cpu_count()} shared cores)")
    failures = 0
    with scratch_database(args.backend) as url:
        if args.backend == "postgres":
            url += f"&application_name={APPLICATION}"
        started = time.perf_counter()
        if args.keep and args.backend == "sqlite":
            url = f"sqlite:///{args.keep}"
        if args.keep and args.keep.exists():
            engine, extra = make_engine(url), {"reused": str(args.keep)}
            upgrade(engine)
        else:
            build(url, args.assignments, args.agencies)
            engine = make_engine(url)
            extra = desk_rows(engine, waiting=not args.no_waiting)
        print(
            f"built {args.assignments} assignments, {extra} in {time.perf_counter() - started:.1f} s ({args.backend})"
        )
        cpu = CpuClock(engine)
        with desk_served(engine, url) as (client, served):
            head = (
                "page",
                "queries",
                "bare p95",
                "page p50",
                "page p95",
                "ratio",
                "wall bare",
                "wall page",
                "ratio",
                "client p95",
            )
            print("CPU ms per request (wall ms beside; client p95: through the TestClient, its side included)")
            print(f"{head[0]:<18}" + "".join(f"{h:>10}" for h in head[1:-1]) + f"{head[-1]:>11}  verdict")
            wanted = {name for name in args.only.split(",") if name}
            recorder = Recorder(engine)
            for name, path in pages().items():
                if wanted and name not in wanted:
                    continue
                assert served.get(path, 3)[2] == 200, path  # warm up
                changed = forgetting(engine) if name == CHANGED else lambda call: call
                statements = recorder.record(changed(lambda: served.get(path)))  # noqa: B023
                cpu.find_backends()
                timings = {
                    "bare": clocked(bare(engine, statements)),
                    "page": changed(served.timing(path)),
                    "client": clocked(changed(lambda: client.get(path))),  # noqa: B023
                }
                measured = timed_each(timings, args.runs, cpu)
                cpu.check_backends()
                (bare_wall, bare_cpu), (page_wall, page_cpu) = measured["bare"], measured["page"]
                through_client = measured["client"][1]
                ratio, wall_ratio = p95(page_cpu) / p95(bare_cpu), p95(page_wall) / p95(bare_wall)
                ok = p95(page_cpu) < 300 and ratio <= 3
                failures += not ok
                count = len(statements)
                print(
                    f"{name:<18}{count:>10}{p95(bare_cpu):>10.1f}{statistics.median(page_cpu):>10.1f}"
                    f"{p95(page_cpu):>10.1f}{ratio:>9.1f}×{p95(bare_wall):>10.1f}{p95(page_wall):>10.1f}"
                    f"{wall_ratio:>9.1f}×{p95(through_client):>11.1f}  {'ok' if ok else 'OVER'}"
                )
        engine.dispose()
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
