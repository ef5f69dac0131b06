"""Load script (not a test): a desk page's instructions against its bare statements' (issue 16),
counted by valgrind's callgrind, a measure that the machine's speed and other work do not move.

    python bench/bench_board.py --keep FILE --runs 1      # builds the 100k database once, into FILE
    python bench/bench_instructions.py FILE [--page can-phan-cong] [--requests 20,70]

Each count is a whole process under callgrind (the imports, the app's start, the login, a
warm-up of 20 requests, then N requests of the page, or N runs of the bare statements that
bench_board.py records for it); the difference between two N, divided by their difference, is
one request's instructions, without the start. ``PYTHONHASHSEED=0``: the same run counts the same
to ~0.1 %. User code only: the kernel's part (the hop to the worker thread and back, the file
reads) is not counted, and an instruction of Python's interpreter takes more time than one of
SQLite's (bench/README.md, "Seventh pass"): the ratio printed is not bench_board.py's CPU ratio.
Four processes, two at a time: about 3 minutes on 2 cores.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve()


def inner(db: Path, page: str, what: str, n: int) -> None:
    """Under callgrind: serve ``page`` (or run its bare statements) ``n`` times after the warm-up."""
    sys.path.insert(0, str(HERE.parent))
    from bench_board import Recorder, bare, desk_served, pages

    from dondoc.engine.db import make_engine

    url, path = f"sqlite:///{db}", pages()[page]
    engine = make_engine(url)
    with desk_served(engine, url) as (_, served):
        assert served.get(path, 20)[2] == 200, path
        if what == "page":
            served.get(path, n)
        else:
            run = bare(engine, Recorder(engine).record(lambda: served.get(path)))
            for _ in range(n):
                run()
    engine.dispose()


def counted(db: Path, page: str, what: str, n: int) -> int:
    """Instructions of a whole process that does ``n`` of ``what`` (callgrind's "Collected")."""
    done = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null"]
        + [sys.executable, str(HERE), str(db), "--page", page, "--inner", what, "--requests", str(n)],
        capture_output=True,
        text=True,
        check=True,
        env=os.environ | {"PYTHONHASHSEED": "0"},
    )
    found = re.search(r"Collected : (\d+)", done.stderr)
    assert found, done.stderr[-2000:]
    return int(found.group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db", type=Path, help="the SQLite file bench_board.py --keep built")
    parser.add_argument("--page", default="can-phan-cong", help="board, search or a queue's slug")
    parser.add_argument("--requests", default="20,70", help="the two N (two numbers, the larger second)")
    parser.add_argument("--inner", choices=["page", "bare"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inner:
        inner(args.db, args.page, args.inner, int(args.requests))
        return
    low, high = (int(n) for n in args.requests.split(","))
    runs = [(what, n) for what in ("page", "bare") for n in (low, high)]
    with ThreadPoolExecutor(2) as pool:
        totals = dict(zip(runs, pool.map(lambda run: counted(args.db.resolve(), args.page, *run), runs), strict=True))
    each = {what: (totals[(what, high)] - totals[(what, low)]) / (high - low) for what in ("page", "bare")}
    print(f"{args.page}: instructions per request")
    print(f"  page {each['page'] / 1e6:8.2f} M")
    print(f"  bare {each['bare'] / 1e6:8.2f} M")
    print(f"  ratio {each['page'] / each['bare']:7.2f}×")


if __name__ == "__main__":
    main()
