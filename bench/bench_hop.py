"""Load script (not a test): what the hop to the worker thread costs one page of the desk, on the
page itself (issue 16), beside its bare statements, in one run.

    python bench/bench_board.py --keep FILE --runs 1      # builds the 100k database once, into FILE
    python bench/bench_hop.py FILE [--page can-phan-cong] [--runs 2000]

FastAPI runs a ``def`` route in a worker thread (anyio's ``to_thread``), as it runs every page
of dondoc, so that a page's statements never hold up the event loop. Timed here, in-process as
bench_board.py times a page (one ASGI call inside the app's loop, the process's CPU), three
ways in turn, a tenth of the runs at a time: the page's bare statements; the page as served;
the same page with FastAPI's ``run_in_threadpool`` replaced by a plain call, so that the route
runs on the loop itself. The last is a measurement only, never a way to serve: a page run on
the loop stops every other request for as long as its statements take (bench/README.md,
"Eighth pass"). The difference between the two pages is what the hop costs this page;
bench_floor.py measures it under a route that does nothing.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import fastapi.routing

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_board import Recorder, bare, clocked, desk_served, p95, pages  # noqa: E402

from dondoc.engine.db import make_engine  # noqa: E402
from dondoc.engine.migrate import upgrade  # noqa: E402


@contextmanager
def on_the_loop() -> Iterator[None]:
    """FastAPI's endpoints and dependencies called where they are awaited, not in a worker thread."""
    threaded = fastapi.routing.run_in_threadpool

    async def inline(func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        return func(*args, **kwargs)

    fastapi.routing.run_in_threadpool = inline  # type: ignore[assignment]
    try:
        yield
    finally:
        fastapi.routing.run_in_threadpool = threaded


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db", type=Path, help="the SQLite file bench_board.py --keep built")
    parser.add_argument("--page", default="can-phan-cong", help="board, search or a queue's slug")
    parser.add_argument("--runs", type=int, default=2000)
    args = parser.parse_args()
    url, path = f"sqlite:///{args.db.resolve()}", pages()[args.page]
    engine = make_engine(url)
    upgrade(engine)
    cpu: dict[str, list[float]] = {"bare": [], "page": [], "page, no hop": []}
    with desk_served(engine, url) as (_, served):
        assert served.get(path, 20)[2] == 200, path  # warm up
        statements = bare(engine, Recorder(engine).record(lambda: served.get(path)))
        block = max(1, args.runs // 10)
        for _ in range(10):
            cpu["bare"] += [clocked(statements)()[1] for _ in range(block)]
            cpu["page"] += served.get(path, block)[1]
            with on_the_loop():
                _, spent, status = served.get(path, block)
            assert status == 200, (path, status)
            cpu["page, no hop"] += spent
    engine.dispose()
    base = p95(cpu["bare"])
    print(f"{args.page}: CPU µs per request, {args.runs} of each")
    print(f"{'':<14}{'p50':>8}{'p95':>8}{'ratio p95':>11}")
    for name, samples in cpu.items():
        median, slow = statistics.median(samples) * 1000, p95(samples) * 1000
        print(f"{name:<14}{median:>8.0f}{slow:>8.0f}{p95(samples) / base:>10.2f}×")
    hop = statistics.median(cpu["page"]) - statistics.median(cpu["page, no hop"])
    print(f"the hop, on this page: {hop * 1000:.0f} µs a request (p50 against p50)")


if __name__ == "__main__":
    main()
