"""One human step through the engine against the bare SQL that does the same write.

    python bench/bench_step.py                      # SQLite
    python bench/bench_step.py --backend postgres   # PostgreSQL (127.0.0.1:5432, database test)

A step is acknowledge, report or verify of one assignment: load it, check the transition
table, change the row, write the event, commit. Measured, interleaved in each repeat:

  bare SQL           the driver alone (sqlite3 / psycopg): one version-checked
                     ``UPDATE … RETURNING`` and one ``INSERT`` of the event, then the commit
  act, session/step  ``engine.services.assignments.apply_step`` (``act`` as the web, the CLI and
                     the replay call it: the updated row not returned) in a new Session per
                     step, opened by ``engine.db.transaction`` as every web request and CLI
                     command opens it, then the commit
  act, one session   the same in one long Session, a commit per step (the replay's way)
  act → object       ``act`` itself (returns the session's object of the row), session per step

Each variant works on assignments of its own (all start "assigned"); every repeat runs
--steps assignments × 3 steps per variant. Prints the median per step with the spread
(min–max) of --repeat repeats, CPU and wall, and the ratio to bare SQL (of the medians, and
the median of each repeat's own CPU ratio).
The BPMN peer (SpiffWorkflow) lives in bench_step_spiff.py: it needs a venv of its own.
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import insert, make_url, text
from sqlmodel import Session

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scratch import POSTGRES_URL, Samples, load_average, scratch_database  # noqa: E402

from dondoc.engine.actors import SECRETARIAT, Actor  # noqa: E402
from dondoc.engine.clock import LOCAL_TZ, end_of_day  # noqa: E402
from dondoc.engine.db import make_engine, transaction  # noqa: E402
from dondoc.engine.models import Agency, Assignment, Milestone, Plan, PlanItem  # noqa: E402
from dondoc.engine.services.assignments import Request, act, apply_step  # noqa: E402
from dondoc.engine.workflow import Action  # noqa: E402

AGENCIES = 20
NOW = datetime(2024, 6, 14, 9, 0, tzinfo=LOCAL_TZ)
# (action, column it stamps, from, to, who): the three steps of a task's life
STEPS = [
    (Action.ACKNOWLEDGE, "acknowledged_at", "assigned", "in_progress", "agency"),
    (Action.REPORT, "reported_at", "in_progress", "reported", "agency"),
    (Action.VERIFY, "verified_at", "reported", "verified", "secretariat"),
]


def build(engine, rows: int) -> None:  # type: ignore[no-untyped-def]
    with engine.begin() as connection:
        connection.execute(
            insert(Agency),
            [
                {"code": f"ag-{i}", "name": f"Cơ quan {i}", "short": f"CQ {i}", "kind": "so", "aliases": []}
                for i in range(AGENCIES)
            ],
        )
        connection.execute(
            insert(Plan),
            [
                {
                    "number": "1/KH-BENCH",
                    "kind": "ke_hoach",
                    "issued": date(2024, 1, 5),
                    "issuer": "UBND",
                    "title": "b",
                    "year": 2024,
                }
            ],
        )
        items = -(-rows // AGENCIES)
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
                    "priority": False,
                    "done_at_issue": False,
                }
                for m in range(1, items + 1)
            ],
        )
        connection.execute(
            insert(Milestone),
            [{"item_id": m, "seq": 1, "kind": "date", "due_date": date(2030, 12, 31)} for m in range(1, items + 1)],
        )
        due = end_of_day(date(2030, 12, 31))
        connection.execute(
            insert(Assignment),
            [
                {
                    "milestone_id": n // AGENCIES + 1,
                    "agency_id": n % AGENCIES + 1,
                    "role": "implementer",
                    "state": "assigned",
                    "version": 1,
                    "due_at": due,
                    "original_due_at": due,
                    "assigned_at": datetime(2024, 1, 5, 8, tzinfo=LOCAL_TZ),
                    "progress": 0,
                }
                for n in range(rows)
            ],
        )
    with engine.begin() as connection:
        connection.execute(text("ANALYZE"))


def agency_of(assignment_id: int) -> Actor:
    return Actor.agency(f"ag-{(assignment_id - 1) % AGENCIES}")


def act_per_session(engine, ids: range, step=apply_step) -> int:  # type: ignore[no-untyped-def]
    for assignment_id in ids:
        for action, _column, _from, _to, who in STEPS:
            actor = SECRETARIAT if who == "secretariat" else agency_of(assignment_id)
            with transaction(engine) as session:  # the web's and the CLI's own (WebContext.db, CliContext)
                step(session, assignment_id, Request(action, actor), now=NOW)
    return len(ids) * len(STEPS)


def act_one_session(engine, ids: range) -> int:  # type: ignore[no-untyped-def]
    with Session(engine, expire_on_commit=False) as session:
        for assignment_id in ids:
            for action, _column, _from, _to, who in STEPS:
                actor = SECRETARIAT if who == "secretariat" else agency_of(assignment_id)
                apply_step(session, assignment_id, Request(action, actor), now=NOW)
                session.commit()
    return len(ids) * len(STEPS)


def bare_sqlite(path: str, ids: range) -> int:
    connection = sqlite3.connect(path)
    for pragma in ("journal_mode=WAL", "foreign_keys=ON", "busy_timeout=30000", "synchronous=NORMAL"):
        connection.execute(f"PRAGMA {pragma}")
    at = NOW.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    for assignment_id in ids:
        version = 1
        actor = f"ag-{(assignment_id - 1) % AGENCIES}"
        for action, column, source, target, who in STEPS:
            version = connection.execute(
                f"UPDATE assignment SET state = ?, {column} = ?, version = version + 1 "
                "WHERE id = ? AND version = ? RETURNING version",
                (target, at, assignment_id, version),
            ).fetchone()[0]
            connection.execute(
                "INSERT INTO event (assignment_id, at, actor, action, from_state, to_state, data) "
                "VALUES (?, ?, ?, ?, ?, ?, '{}')",
                (assignment_id, at, "secretariat" if who == "secretariat" else actor, action.value, source, target),
            )
            connection.commit()
    connection.close()
    return len(ids) * len(STEPS)


def bare_psycopg(url: str, ids: range) -> int:
    import psycopg

    parsed = make_url(url)
    options = parsed.query.get("options")
    connection = psycopg.connect(
        host=parsed.host, port=parsed.port, user=parsed.username, dbname=parsed.database, options=options
    )
    for assignment_id in ids:
        version = 1
        actor = f"ag-{(assignment_id - 1) % AGENCIES}"
        for action, column, source, target, who in STEPS:
            row = connection.execute(
                f"UPDATE assignment SET state = %s, {column} = %s, version = version + 1 "
                "WHERE id = %s AND version = %s RETURNING version",
                (target, NOW, assignment_id, version),
            ).fetchone()
            assert row is not None
            version = row[0]
            connection.execute(
                "INSERT INTO event (assignment_id, at, actor, action, from_state, to_state, data) "
                "VALUES (%s, %s, %s, %s, %s, %s, '{}')",
                (assignment_id, NOW, "secretariat" if who == "secretariat" else actor, action.value, source, target),
            )
            connection.commit()
    connection.close()
    return len(ids) * len(STEPS)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--steps", type=int, default=200, help="assignments per variant per repeat (3 steps each)")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--postgres-url", default=POSTGRES_URL)
    args = parser.parse_args()
    with scratch_database(args.backend, args.postgres_url) as url:
        engine = make_engine(url)
        bare_name = "bare sqlite3" if args.backend == "sqlite" else "bare psycopg"
        variants = {
            bare_name: (lambda ids: bare_sqlite(make_url(url).database or "", ids))
            if args.backend == "sqlite"
            else (lambda ids: bare_psycopg(url, ids)),
            "act, session per step": lambda ids: act_per_session(engine, ids),
            "act, one session": lambda ids: act_one_session(engine, ids),
            "act → object, session per step": lambda ids: act_per_session(engine, ids, act),
        }
        build(engine, args.steps * len(variants) * (args.repeat + 1))
        samples = {name: Samples() for name in variants}
        next_id = 1
        for repeat in range(args.repeat + 1):  # the first round warms caches and is not counted
            for name, run in variants.items():
                ids = range(next_id, next_id + args.steps)
                next_id += args.steps
                if repeat == 0:
                    run(ids)
                else:
                    samples[name].add(lambda run=run, ids=ids: run(ids))
        engine.dispose()
    print(
        f"one human step, {args.backend}: median of {args.repeat} (spread), {args.steps * 3} steps each;",
        load_average(),
    )
    base = samples[bare_name]
    for name, sample in samples.items():
        print(sample.line(name, None if name == bare_name else base))
    # Each repeat runs the variants one after the other, so its own ratio sees the same load;
    # the median of those ratios is steadier than the ratio of medians on a busy machine.
    for name, sample in samples.items():
        if name != bare_name:
            ratios = sorted(own / bare for own, bare in zip(sample.cpu, base.cpu, strict=True))
            middle = statistics.median(ratios)
            print(f"{name:<34} CPU ratio per repeat: median ×{middle:.2f} ({ratios[0]:.2f}–{ratios[-1]:.2f})")


if __name__ == "__main__":
    main()
