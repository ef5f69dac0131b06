"""The plan-year replay (``dondoc simulate``): CPU, wall, peak memory and bytes written.

    python bench/bench_replay.py                                # 2022 on a fresh SQLite file, 3 runs
    python bench/bench_replay.py --from 2022-06-01 --repeat 5   # the 7-month replay
    python bench/bench_replay.py --postgres postgresql+psycopg://postgres@127.0.0.1:5432/test
    python bench/bench_replay.py --repeat 1 --profile replay.prof --top 25
    python bench/bench_replay.py --repeat 1 --keep out.db --compare baseline.json

Each run is ``dondoc simulate --json`` in a fresh interpreter (so peak memory is the run's own) on
a fresh database: a new SQLite file, or a new schema of the PostgreSQL database given. The child
reports its own CPU time (user + system), peak RSS and the bytes it caused to be written to the
storage layer (``/proc/self/io`` ``write_bytes``: database, WAL and the mail drop). Printed: each
run, then median and spread. On a shared machine trust CPU time, not wall time.

``--compare A.json`` fingerprints the (last) run's database with ``bench/replay_fingerprint.py``
and compares it with ``A.json`` (a fingerprint of a baseline run): same mails, same final states,
same events, or the differences.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent

CHILD = """
import atexit, cProfile, json, os, resource, sys, time
started = time.perf_counter()
profile_out = os.environ.get("BENCH_PROFILE")

def report():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    io = dict(line.split(": ") for line in open("/proc/self/io").read().splitlines())
    print("BENCH " + json.dumps({
        "cpu_s": usage.ru_utime + usage.ru_stime,
        "wall_s": time.perf_counter() - started,
        "peak_mib": usage.ru_maxrss / 1024,
        "written_mib": int(io["write_bytes"]) / 2**20,
    }), file=sys.stderr)

atexit.register(report)
from dondoc.cli.main import run
sys.argv = ["dondoc", *sys.argv[1:]]
profile = cProfile.Profile() if profile_out else None
if profile:
    profile.enable()
try:
    run()
finally:
    if profile:
        profile.disable()
        profile.dump_stats(profile_out)
"""


def _run(args: argparse.Namespace, index: int, folder: Path) -> dict[str, Any]:
    env = dict(os.environ)
    schema = None
    if args.postgres:
        schema = f"bench_replay_{uuid.uuid4().hex[:8]}"
        _pg(args.postgres, f"CREATE SCHEMA {schema}")
        sep = "&" if "?" in args.postgres else "?"
        url = f"{args.postgres}{sep}options=-csearch_path%3D{schema}"
    else:
        database = Path(args.keep) if args.keep else folder / f"replay-{index}.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{database}{suffix}").unlink(missing_ok=True)
        url = f"sqlite:///{database.resolve()}"
    env.update({"DONDOC_DATABASE_URL": url, "DONDOC_MAILDROP_DIR": str(folder / f"maildrop-{index}")})
    if args.profile:
        env["BENCH_PROFILE"] = args.profile
    command = [sys.executable, "-c", CHILD, "simulate", "--from", args.start, "--to", args.end, "--json"]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"run {index} failed: {done.stderr.strip().splitlines()[-1:]}")
    line = next(x for x in done.stderr.splitlines() if x.startswith("BENCH "))
    figures: dict[str, Any] = json.loads(line.removeprefix("BENCH "))
    summary = json.loads(done.stdout)
    figures["mails"] = summary["notifications"]["total"]
    figures["escalations"] = len(summary["escalations"])
    figures["url"] = url
    figures["schema"] = schema
    return figures


def _pg(url: str, statement: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(statement))
    engine.dispose()


def _spread(values: list[float]) -> str:
    return f"{statistics.median(values):8.1f}  ({min(values):.1f}–{max(values):.1f})"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--from", dest="start", default="2022-01-01")
    parser.add_argument("--to", dest="end", default="2022-12-31")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--postgres", help="a PostgreSQL URL: each run in a fresh schema (dropped after)")
    parser.add_argument("--keep", help="SQLite: replay into this file and keep it")
    parser.add_argument("--profile", help="write the (last) run's cProfile here and print its top functions")
    parser.add_argument("--top", type=int, default=20)
    parser.add_argument("--compare", help="a baseline fingerprint (replay_fingerprint.py) to compare with")
    args = parser.parse_args()
    print(f"replay {args.start}..{args.end}, {args.repeat} run(s), load {os.getloadavg()[0]:.1f} at start")
    runs = []
    with tempfile.TemporaryDirectory(prefix="bench-replay-") as tmp:
        for index in range(args.repeat):
            figures = _run(args, index, Path(tmp))
            runs.append(figures)
            print(
                f"run {index + 1}: CPU {figures['cpu_s']:.1f} s, wall {figures['wall_s']:.1f} s, "
                f"peak {figures['peak_mib']:.0f} MiB, written {figures['written_mib']:.0f} MiB, "
                f"{figures['mails']} mails, {figures['escalations']} escalations"
            )
            last = index == args.repeat - 1
            if last and args.compare:
                sys.path.insert(0, str(HERE))
                from replay_fingerprint import compare, fingerprint

                diff = compare(json.load(open(args.compare, encoding="utf-8")), fingerprint(figures["url"]))
                print("\n".join(diff) if diff else "fingerprint: same mails, states and events as the baseline")
            if figures["schema"]:
                _pg(args.postgres, f"DROP SCHEMA {figures['schema']} CASCADE")
    print(f"{'':14}{'median':>8}  (min–max)")
    labels = {"cpu_s": "CPU s", "wall_s": "wall s", "peak_mib": "peak MiB", "written_mib": "written MiB"}
    for key, label in labels.items():
        print(f"{label:14}{_spread([r[key] for r in runs])}")
    print(f"load {os.getloadavg()[0]:.1f} at end")
    if args.profile:
        import pstats

        pstats.Stats(args.profile).sort_stats("cumulative").print_stats(args.top)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
