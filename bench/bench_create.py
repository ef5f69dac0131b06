"""Creating assignments through the engine against bare SQL inserting the same rows.

    python bench/bench_create.py                      # SQLite
    python bench/bench_create.py --backend postgres   # PostgreSQL (127.0.0.1:5432, database test)

Measured, interleaved in each repeat, per assignment created (each with its creation event):

  bare SQL        the driver alone (sqlite3 / psycopg): ``executemany`` INSERT of the rows,
                  then of their events, then the commit
  bulk create     ``engine.services.assignment_creation.create_assignments`` in a Session, then
                  the commit: the path of the catalog load and of naming bodies on an item

and for the whole catalog load, per assignment it creates (4,249 in the shipped catalog):

  bare: the load's rows   the driver alone inserting every row the load writes, in every table
                  (agencies, groups and members, committee, successions, plans, items,
                  milestones, indicators and targets, assignments, events: taken from a
                  reference load before timing), one ``executemany`` per table, then the commit
  catalog sync    ``sync_catalog`` of the catalog already parsed, into an empty database, commit
  catalog load    ``jobs.run_catalog_load``, what ``dondoc catalog load`` runs: the YAML read
                  and validated, the sync, the due successions, the commit

--no-catalog leaves the catalog rows out. Each database is a fresh, migrated one (made before
the timing starts). Prints the median per assignment with the spread (min–max) of --repeat
repeats, CPU and wall, and the ratio to its bare row. Runs on an older checkout too (without
the bulk path: the catalog variants and bare SQL only), to measure a "before".
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import insert, make_url, text
from sqlmodel import Session, SQLModel

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scratch import POSTGRES_URL, Samples, load_average, scratch_database  # noqa: E402

from dondoc.engine.clock import LOCAL_TZ, end_of_day  # noqa: E402
from dondoc.engine.db import make_engine, transaction  # noqa: E402
from dondoc.engine.models import Agency, Milestone, Plan, PlanItem  # noqa: E402
from dondoc.engine.services.catalog_sync import sync_catalog  # noqa: E402
from dondoc.engine.workcalendar import WorkCalendar  # noqa: E402
from dondoc.jobs import run_catalog_load  # noqa: E402
from dondoc.tasks_catalog.loader import load_catalog  # noqa: E402

try:
    from dondoc.engine.services.assignment_creation import NewAssignment, create_assignments
except ImportError:  # a checkout before the bulk path
    create_assignments = None  # type: ignore[assignment]

AGENCIES = 100
NOW = datetime(2022, 6, 1, 8, 0, tzinfo=LOCAL_TZ)
DUE = end_of_day(date(2022, 12, 31))
COLUMNS = "milestone_id, agency_id, role, state, version, due_at, original_due_at, assigned_at, progress, next_sweep_at"
INSERT_SQLITE = f"INSERT INTO assignment ({COLUMNS}) VALUES (?, ?, 'implementer', 'assigned', 1, ?, ?, ?, 0, ?)"
INSERT_PG = INSERT_SQLITE.replace("?", "%s") + " RETURNING id"
EVENT = "INSERT INTO event (assignment_id, at, actor, action, from_state, to_state, data) VALUES "
EVENT_SQLITE = EVENT + "(?, ?, 'catalog', 'assign', NULL, 'assigned', '{}')"
EVENT_PG = EVENT + "(%s, %s, 'catalog', 'assign', NULL, 'assigned', '{}')"


def build(engine, milestones: int) -> None:  # type: ignore[no-untyped-def]
    with engine.begin() as connection:
        connection.execute(
            insert(Agency),
            [
                {"code": f"ag-{i}", "name": f"Cơ quan {i}", "short": f"CQ {i}", "kind": "so", "aliases": []}
                for i in range(AGENCIES)
            ],
        )
        plan = {"number": "1/KH-B", "kind": "ke_hoach", "issued": date(2022, 6, 1), "issuer": "U", "title": "b"}
        connection.execute(insert(Plan), [plan | {"year": 2022}])
        item = {"plan_id": 1, "kind": "task", "title": "t", "content": "c", "source": "s", "roles_as_written": {}}
        connection.execute(
            insert(PlanItem),
            [item | {"code": f"1/KH-B:{m}", "section": str(m)} for m in range(1, milestones + 1)],
        )
        connection.execute(
            insert(Milestone), [{"item_id": m, "seq": 1, "kind": "date"} for m in range(1, milestones + 1)]
        )


def pairs(milestones: range) -> list[tuple[int, int]]:
    return [(m, a) for m in milestones for a in range(1, AGENCIES + 1)]


def bare_sqlite(path: str, milestones: range) -> int:
    connection = sqlite3.connect(path)
    for pragma in ("journal_mode=WAL", "foreign_keys=ON", "busy_timeout=30000", "synchronous=NORMAL"):
        connection.execute(f"PRAGMA {pragma}")
    due, at = (t.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f") for t in (DUE, NOW))
    resweep = "1970-01-01 00:00:00.000000"
    rows = [(m, a, due, due, at, resweep) for m, a in pairs(milestones)]
    first = connection.execute("SELECT coalesce(max(id), 0) + 1 FROM assignment").fetchone()[0]
    connection.executemany(INSERT_SQLITE, rows)
    connection.executemany(EVENT_SQLITE, [(first + n, at) for n in range(len(rows))])
    connection.commit()
    connection.close()
    return len(rows)


def bare_psycopg(url: str, milestones: range) -> int:
    import psycopg

    parsed = make_url(url)
    connection = psycopg.connect(
        host=parsed.host,
        port=parsed.port,
        user=parsed.username,
        dbname=parsed.database,
        options=parsed.query["options"],
    )
    resweep = datetime(1970, 1, 1, tzinfo=UTC)
    rows = [(m, a, DUE, DUE, NOW, resweep) for m, a in pairs(milestones)]
    with connection.cursor() as cursor:
        cursor.executemany(INSERT_PG, rows, returning=True)
        ids = []
        while True:
            ids.append(cursor.fetchone()[0])  # type: ignore[index]
            if not cursor.nextset():
                break
        cursor.executemany(EVENT_PG, [(i, NOW) for i in ids])
    connection.commit()
    connection.close()
    return len(rows)


Rows = list[tuple[str, list[str], list[tuple[Any, ...]]]]  # table, columns, rows


def load_rows(url: str) -> Rows:
    """Every row a catalog load into the empty database ``url`` wrote, table by table in the
    order of their foreign keys, as the driver reads them back (stored form on SQLite)."""
    engine = make_engine(url)
    tables = SQLModel.metadata.sorted_tables
    with engine.connect() as connection:
        before = {t.name: connection.execute(text(f'SELECT count(*) FROM "{t.name}"')).scalar() for t in tables}
    assert not any(before.values()), before
    run_catalog_load(engine, now=NOW)
    rows: Rows = []
    with engine.connect() as connection:
        raw = connection.connection.dbapi_connection
        for table in tables:
            columns = [c.name for c in table.columns]
            cursor = raw.cursor()  # type: ignore[union-attr]
            cursor.execute(f'SELECT {", ".join(columns)} FROM "{table.name}" ORDER BY id')
            found = [tuple(row) for row in cursor.fetchall()]
            if found:
                rows.append((table.name, columns, found))
    engine.dispose()
    return rows


def bare_rows(url: str, backend: str, rows: Rows) -> None:
    """Insert ``rows`` with the driver alone: one executemany per table, one commit."""
    if backend == "sqlite":
        connection = sqlite3.connect(make_url(url).database or "")
        for pragma in ("journal_mode=WAL", "foreign_keys=ON", "busy_timeout=30000", "synchronous=NORMAL"):
            connection.execute(f"PRAGMA {pragma}")
        for table, columns, values in rows:
            marks = ", ".join("?" for _ in columns)
            connection.executemany(f'INSERT INTO "{table}" ({", ".join(columns)}) VALUES ({marks})', values)
        connection.commit()
        connection.close()
        return
    import psycopg
    from psycopg.types.json import Json

    parsed = make_url(url)
    pg = psycopg.connect(
        host=parsed.host,
        port=parsed.port,
        user=parsed.username,
        dbname=parsed.database,
        options=parsed.query["options"],
    )
    with pg.cursor() as cursor:
        for table, columns, values in rows:
            marks = ", ".join("%s" for _ in columns)
            cursor.executemany(
                f'INSERT INTO "{table}" ({", ".join(columns)}) VALUES ({marks})',
                [tuple(Json(v) if isinstance(v, dict | list) else v for v in row) for row in values],
            )
    pg.commit()
    pg.close()


def bulk(engine, milestones: range) -> int:  # type: ignore[no-untyped-def]
    new = [NewAssignment(m, a, "implementer", DUE, NOW, False) for m, a in pairs(milestones)]
    with Session(engine) as session:
        create_assignments(session, new, now=NOW, actor="catalog")
        session.commit()
    return len(new)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--milestones", type=int, default=20, help=f"× {AGENCIES} agencies per variant per repeat")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--no-catalog", action="store_true")
    parser.add_argument("--postgres-url", default=POSTGRES_URL)
    args = parser.parse_args()
    catalog = None if args.no_catalog else load_catalog()
    bare_name = "bare sqlite3" if args.backend == "sqlite" else "bare psycopg"
    samples: dict[str, Samples] = {bare_name: Samples()}
    if create_assignments is not None:
        samples["bulk create"] = Samples()
    rows: Rows = []
    if catalog is not None:
        with scratch_database(args.backend, args.postgres_url) as reference:
            rows = load_rows(reference)
        assignments = sum(len(values) for table, _, values in rows if table == "assignment")
        print(f"the load writes {sum(len(v) for _, _, v in rows):,} rows in {len(rows)} tables;", end=" ")
        print(f"{assignments:,} assignments")
        samples |= {"bare: the load's rows": Samples(), "catalog sync": Samples(), "catalog load": Samples()}
    with scratch_database(args.backend, args.postgres_url) as url:
        engine = make_engine(url)
        build(engine, args.milestones * 2 * (args.repeat + 1))
        next_milestone = 1
        for repeat in range(args.repeat + 1):  # the first round warms caches and is not counted
            for name, sample in samples.items():
                span = range(next_milestone, next_milestone + args.milestones)
                if name in (bare_name, "bulk create"):
                    next_milestone += args.milestones
                if name == bare_name:
                    path = make_url(url).database or ""

                    def run(span: range = span, path: str = path) -> int:
                        return bare_sqlite(path, span) if args.backend == "sqlite" else bare_psycopg(url, span)
                elif name == "bulk create":

                    def run(span: range = span) -> int:
                        return bulk(engine, span)
                else:
                    with scratch_database(args.backend, args.postgres_url) as fresh:
                        fresh_engine = make_engine(fresh)

                        def run(fresh=fresh, fresh_engine=fresh_engine, name=name) -> int:  # type: ignore[no-untyped-def]
                            if name == "bare: the load's rows":
                                bare_rows(fresh, args.backend, rows)
                                return assignments
                            if name == "catalog sync":
                                with transaction(fresh_engine) as session:
                                    report = sync_catalog(session, catalog, now=NOW, calendar=WorkCalendar.default())
                                return report.created["assignment"]
                            return run_catalog_load(fresh_engine, now=NOW).created["assignment"]

                        if repeat:
                            sample.add(run)
                        else:
                            run()
                        fresh_engine.dispose()
                    continue
                if repeat:
                    sample.add(run)
                else:
                    run()
        engine.dispose()
    print(f"creating assignments, {args.backend}: median of {args.repeat} (spread), per assignment;", load_average())
    for name, sample in samples.items():
        base = None
        if name in ("bulk create",):
            base = samples[bare_name]
        elif name in ("catalog sync", "catalog load"):
            base = samples["bare: the load's rows"]
        print(sample.line(name, base))


if __name__ == "__main__":
    main()
