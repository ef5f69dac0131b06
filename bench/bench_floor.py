"""Load script (not a test): the framework's own cost of one request, under every page of the desk
(issue 16: bench_board.py's small queues, whose SQL takes well under a millisecond).

    python bench/bench_floor.py [--runs 3000]

Times, in-process and as bench_board.py times a page (one ASGI call of the app inside its own
event loop, the process's CPU from the call to the last body byte), requests that read nothing:

- ``async``: a bare FastAPI app, an ``async def`` route returning a few bytes of HTML;
- ``sync``: the same with a ``def`` route, which FastAPI runs in a worker thread (anyio's
  ``to_thread``), as it runs every page of dondoc: the hop there and back is the difference;
- ``product 404``: dondoc's app (its middleware: errors, security headers, the session cookie,
  the request limits; its routers, every one tried) answering a path no router has, with its
  error page; no database is read.

The median and p95 CPU per request are printed; the desk's pages carry these costs on top of
their statements and their rendering (bench/README.md, "Sixth pass").
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from starlette.responses import HTMLResponse

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_board import InProcess, p95  # noqa: E402
from bench_web import NOW, SECRET  # noqa: E402

from dondoc.engine.clock import FrozenClock  # noqa: E402
from dondoc.engine.db import make_engine  # noqa: E402
from dondoc.engine.migrate import upgrade  # noqa: E402
from dondoc.engine.settings import Settings  # noqa: E402
from dondoc.web.app import create_app, settle_heap  # noqa: E402


def bare_app() -> FastAPI:
    app = FastAPI()

    @app.get("/async")
    async def in_loop() -> HTMLResponse:
        return HTMLResponse("<p>x</p>")

    @app.get("/sync")
    def in_thread() -> HTMLResponse:
        return HTMLResponse("<p>x</p>")

    return app


def cpu_per_request(app: Any, path: str, runs: int) -> list[float]:
    with TestClient(app) as client:
        served = InProcess(client)
        served.get(path, 50)  # warm up
        settle_heap()
        return served.get(path, runs)[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3000)
    args = parser.parse_args()
    measured: dict[str, list[float]] = {}
    bare = bare_app()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/floor.db"
        engine = make_engine(url)
        upgrade(engine)
        settings = Settings(
            secret_key=SECRET, database_url=url, base_url="http://testserver", maildrop_dir=Path(tmp) / "maildrop"
        )
        product = create_app(settings=settings, engine=engine, clock=FrozenClock(NOW))
        # in turn, a tenth of the runs at a time: a drifting machine weighs on the three alike
        for _ in range(10):
            for name, app, path in (
                ("async", bare, "/async"),
                ("sync", bare, "/sync"),
                ("product 404", product, "/khong-co"),
            ):
                measured.setdefault(name, []).extend(cpu_per_request(app, path, args.runs // 10))
        engine.dispose()
    print("CPU µs per request")
    print(f"{'request':<14}{'p50':>8}{'p95':>8}")
    for name, samples in measured.items():
        print(f"{name:<14}{statistics.median(samples) * 1000:>8.0f}{p95(samples) * 1000:>8.0f}")
    hop = statistics.median(measured["sync"]) - statistics.median(measured["async"])
    print(f"the worker thread's hop: {hop * 1000:.0f} µs a request")


if __name__ == "__main__":
    main()
