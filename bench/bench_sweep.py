"""Sweep cost against the bare indexed SQL query over the same due rows.

    python bench/bench_sweep.py --backend sqlite --rows 10000
    python bench/bench_sweep.py --backend sqlite --rows 100000
    python bench/bench_sweep.py --backend postgres --rows 1000000

Builds N assignments (100 agencies × N/100 milestones) of which --due-share sit within ten
days of "now" and the rest far from any rung; then times (median of --repeat runs):
  bare count   SELECT count(*) of the due rows (open, due within the ladder's reach of now;
               index on state, due_at)
  bare fetch   the same rows' columns, fetched
  first pass   the pass over a database never swept: every row is judged once, decisions
               and each row's next moment are written (once)
  sweep        the hourly pass an hour later: every due row has been judged (steady state)
  next day     the pass at 08:00 the next working day: the rows whose next rung is that day are
               judged again (rolled back after each repeat); against the bare count of
               those rows (index on next_sweep_at)
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from datetime import time as dtime
from pathlib import Path

from sqlalchemy import bindparam, insert, text
from sqlmodel import Session

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scratch import scratch_database  # noqa: E402,F401  (bench_delivery and bench_workers take it from here)

from dondoc.engine.actors import COMMITTEE_RECIPIENTS  # noqa: E402
from dondoc.engine.clock import LOCAL_TZ, end_of_day  # noqa: E402
from dondoc.engine.db import make_engine  # noqa: E402
from dondoc.engine.escalation.policy import load_policy  # noqa: E402
from dondoc.engine.escalation.sweep import sweep  # noqa: E402
from dondoc.engine.models import Agency, Assignment, CommitteeMember, Milestone, Notification, Plan, PlanItem  # noqa: E402
from dondoc.engine.models.types import AwareDateTime  # noqa: E402
from dondoc.engine.workcalendar import WorkCalendar  # noqa: E402

NOW = datetime(2024, 6, 14, 9, 0, tzinfo=LOCAL_TZ)
AGENCIES = 100


def build(engine, rows: int, due_share: float) -> int:  # type: ignore[no-untyped-def]
    milestones = -(-rows // AGENCIES)
    due_every = max(1, round(1 / due_share))
    long_ago = datetime(2020, 1, 6, 8, 0, tzinfo=LOCAL_TZ)
    with engine.begin() as connection:
        connection.execute(
            insert(Agency),
            [
                {
                    "code": f"ag-{i}",
                    "name": f"Cơ quan {i}",
                    "short": f"CQ {i}",
                    "kind": "so",
                    "aliases": [],
                    "email": f"ag-{i}@dondoc.example",
                }
                for i in range(AGENCIES)
            ],
        )
        connection.execute(
            insert(CommitteeMember),
            [{"role": r.value, "title": r.value, "email": f"{r.value}@dondoc.example"} for r in COMMITTEE_RECIPIENTS],
        )
        connection.execute(
            insert(Plan),
            [
                {
                    "number": "1/KH-BENCH",
                    "kind": "ke_hoach",
                    "issued": date(2020, 1, 6),
                    "issuer": "UBND",
                    "title": "bench",
                    "year": 2024,
                }
            ],
        )
        connection.execute(
            insert(PlanItem),
            [
                {
                    "plan_id": 1,
                    "code": f"1/KH-BENCH:{m}",
                    "kind": "task",
                    "section": str(m),
                    "title": "t",
                    "content": "c",
                    "source": "s",
                    "roles_as_written": {},
                    "priority": m % 10 == 0,
                    "done_at_issue": False,
                }
                for m in range(1, milestones + 1)
            ],
        )
        connection.execute(
            insert(Milestone),
            [
                {"item_id": m, "seq": 1, "kind": "date", "due_date": date(2030, 12, 31)}
                for m in range(1, milestones + 1)
            ],
        )
        batch: list[dict] = []
        for n in range(rows):
            due_now = n % due_every == 0
            due = (
                end_of_day(NOW.date() + timedelta(days=(n // due_every) % 21 - 10))
                if due_now
                else end_of_day(date(2030, 12, 31))
            )
            batch.append(
                {
                    "milestone_id": n // AGENCIES + 1,
                    "agency_id": n % AGENCIES + 1,
                    "role": "lead" if n % AGENCIES == 0 else "implementer",
                    "state": "in_progress" if n % 3 else "assigned",
                    "version": 1,
                    "due_at": due,
                    "original_due_at": due,
                    "assigned_at": long_ago,
                    "progress": 0,
                }
            )
            if len(batch) == 20000:
                connection.execute(insert(Assignment), batch)
                batch.clear()
        if batch:
            connection.execute(insert(Assignment), batch)
    with engine.begin() as connection:
        connection.execute(text("ANALYZE"))
    return sum(1 for n in range(rows) if n % due_every == 0)


def timed(fn, repeat: int) -> float:  # type: ignore[no-untyped-def]
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--rows", type=int, default=10000)
    parser.add_argument("--due-share", type=float, default=0.01)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--postgres-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    args = parser.parse_args()

    with scratch_database(args.backend, args.postgres_url) as url:
        measure(url, args)


def measure(url: str, args: argparse.Namespace) -> None:
    engine = make_engine(url)
    try:
        started = time.perf_counter()
        due_rows = build(engine, args.rows, args.due_share)
        built = time.perf_counter() - started
        policy, calendar = load_policy(), WorkCalendar.default()
        window = "state IN ('assigned','in_progress') AND due_at > :lo AND due_at <= :hi"
        bounds = {"lo": NOW - timedelta(days=30 + 21 + 14 + 1), "hi": NOW + timedelta(days=21 + 20)}

        def bare_count() -> int:
            with engine.connect() as connection:
                return connection.execute(text(f"SELECT count(*) FROM assignment WHERE {window}"), bounds).scalar_one()

        def bare_fetch() -> int:
            with engine.connect() as connection:
                return len(
                    connection.execute(
                        text(
                            "SELECT id, agency_id, milestone_id, role, state, due_at, assigned_at, reported_at,"
                            f" snoozed_until FROM assignment WHERE {window}"
                        ),
                        bounds,
                    ).all()
                )

        def write(session: Session):  # type: ignore[no-untyped-def]
            def enqueue(decision) -> bool:  # type: ignore[no-untyped-def]
                session.add(
                    Notification(
                        dedupe_key=decision.dedupe_key,
                        kind=decision.kind,
                        assignment_id=decision.assignment_id,
                        recipient_role=decision.recipient_role,
                        recipient_email=decision.recipient_email,
                        created_at=NOW,
                        next_attempt_at=NOW,
                        status="held" if decision.held else "pending",
                        data=decision.data,
                    )
                )
                return True

            return enqueue

        counted = bare_count()
        with Session(engine) as session:
            started = time.perf_counter()
            first = sweep(session, NOW, policy=policy, calendar=calendar, enqueue=write(session))
            session.commit()
            first_pass = time.perf_counter() - started
        with engine.connect() as connection:  # the first pass rewrote every row: settle the table
            connection.execution_options(isolation_level="AUTOCOMMIT").execute(
                text("VACUUM ANALYZE assignment" if engine.dialect.name == "postgresql" else "ANALYZE")
            )

        def pass_at(at: datetime) -> Callable[[], tuple[int, int]]:
            def run() -> tuple[int, int]:
                with Session(engine) as session:
                    result = sweep(session, at, policy=policy, calendar=calendar, enqueue=write(session))
                    session.rollback()
                    return result.candidates, len(result.decisions)

            return run

        hour_later = NOW + timedelta(hours=1)
        next_day = datetime.combine(calendar.next_working_day(NOW.date() + timedelta(days=1)), dtime(8), LOCAL_TZ)

        def moment_count() -> int:
            with engine.connect() as connection:
                due = text("SELECT count(*) FROM assignment WHERE next_sweep_at <= :at").bindparams(
                    bindparam("at", type_=AwareDateTime())
                )
                return connection.execute(due, {"at": next_day}).scalar_one()

        (steady_rows, _), (next_rows, next_decisions) = pass_at(hour_later)(), pass_at(next_day)()
        assert steady_rows == 0 and moment_count() == next_rows, (steady_rows, next_rows, moment_count())
        t_count, t_fetch = timed(bare_count, args.repeat), timed(bare_fetch, args.repeat)
        t_sweep, t_next, t_moments = (
            timed(pass_at(hour_later), args.repeat),
            timed(pass_at(next_day), args.repeat),
            timed(moment_count, args.repeat),
        )
        print(
            f"backend={args.backend} rows={args.rows:,} due_rows={due_rows:,} counted={counted:,} "
            f"first-pass decisions={len(first.decisions):,} build={built:.1f}s"
        )
        print(f"  bare count   {t_count * 1000:9.2f} ms   ({counted:,} due rows)")
        print(f"  bare fetch   {t_fetch * 1000:9.2f} ms")
        print(
            f"  first pass   {first_pass * 1000:9.1f} ms   "
            f"(judges all {first.candidates:,} rows, {len(first.decisions):,} decisions)"
        )
        print(
            f"  sweep        {t_sweep * 1000:9.2f} ms   "
            f"ratio to count {t_sweep / t_count:5.1f}×, to fetch {t_sweep / t_fetch:5.1f}×"
        )
        print(
            f"  next day     {t_next * 1000:9.2f} ms   "
            f"({next_rows:,} rows judged again, {next_decisions:,} decisions; their bare count "
            f"{t_moments * 1000:.2f} ms, ratio {t_next / t_moments:.0f}×; "
            f"{t_next / max(next_rows, 1) * 1e6:.0f} µs a row)"
        )
    finally:
        engine.dispose()


if __name__ == "__main__":
    main()
