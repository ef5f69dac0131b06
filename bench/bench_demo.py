"""``dondoc serve --demo``: time to the first answer and to the board, first start and reuse.

    python bench/bench_demo.py [--port 8765]

Runs the installed ``dondoc serve --demo --no-scheduler`` twice in a fresh folder (so
``var/demo.db`` is new): the first start builds the demo database behind the progress page,
the second finds it current and reuses it. Polls ``/board`` every 0.1 s and prints, for each
start, the wall time to the first HTTP answer and to the board (an answer other than the 503
progress page: the login redirect), each with the server's CPU time until then (on a shared
machine the CPU time is the figure to trust).
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path


def _status(url: str) -> int | None:
    request = urllib.request.Request(url, method="GET")
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        return int(opener.open(request, timeout=2).status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)
    except (urllib.error.URLError, OSError):
        return None


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def _cpu(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def start(folder: Path, port: int, limit: float) -> dict[str, float | None]:
    dondoc = shutil.which("dondoc") or "dondoc"
    started = time.perf_counter()
    server = subprocess.Popen(
        [dondoc, "serve", "--demo", "--no-scheduler", "--port", str(port)],
        cwd=folder,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    first = board = cpu = first_cpu = None
    try:
        while time.perf_counter() - started < limit and server.poll() is None:
            status = _status(f"http://127.0.0.1:{port}/board")
            now = time.perf_counter() - started
            if status is not None and first is None:
                first, first_cpu = now, _cpu(server.pid)
            if status is not None and status != 503:
                board, cpu = now, _cpu(server.pid)
                break
            time.sleep(0.1)
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
    return {"first_answer_s": first, "its_cpu_s": first_cpu, "board_s": board, "board_cpu_s": cpu}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--limit", type=float, default=900, help="give up after this many seconds")
    args = parser.parse_args()
    print(f"load {os.getloadavg()[0]:.1f} at start")
    with tempfile.TemporaryDirectory(prefix="bench-demo-") as tmp:
        for label in ("first start (builds var/demo.db)", "second start (reuses it)"):
            figures = start(Path(tmp), args.port, args.limit)
            shown = ", ".join(f"{k} {v:.1f}" if v is not None else f"{k} —" for k, v in figures.items())
            print(f"{label}: {shown}")
    print(f"load {os.getloadavg()[0]:.1f} at end")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
