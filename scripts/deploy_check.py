"""docs/deploy.md followed on PostgreSQL, end to end: a Prefect server, two process workers, the
deployments of prefect.yaml, the crash automation, and flow runs mailing a real SMTP server.

What it does, in the guide's order and with the guide's commands (``GUIDE`` below; their paths
are replaced: ``/opt/dondoc`` by this checkout, ``/etc/dondoc`` and ``/var/lib/dondoc`` by a
scratch folder, port 4200 by a free port; tests/test_deploy_guide.py checks that every one of
them is in docs/deploy.md):

1. two fresh PostgreSQL databases, one for dondoc and one for the Prefect server;
3. the env file (docs/dondoc.env.example, its values pointed at the scratch folder, the database
   and an aiosmtpd on 127.0.0.1 run by this script), sourced by the shell; ``dondoc db upgrade``;
   the catalog loaded by ``dondoc catalog load``;
4. ``prefect server start`` on PostgreSQL (started while section 3 runs: they do not depend on
   each other);
5. the work pool, ``prefect deploy --all`` in the instance directory, the automation;
6. two workers (``--limit 1``), the first sweep by hand (``prefect deployment run … --watch``),
   then the digests, then two ``deliver`` runs at once.

Time is a replay of 2022 (the flows' ``now`` parameter; the catalog loaded at
``--now 2022-03-02T08:00``), so the database is marked a replay first, as ``dondoc simulate``
marks it: a production database refuses writes at a past instant.

Then it checks: no mail sent twice (by Message-ID and dedupe key; the SMTP server counted each
message), none lost (no row still due, and the SMTP server received exactly the rows marked
sent), every run completed, and both workers ran flow runs (the server's
``prefect.worker.submitted-flow-run`` events). Exit status 0 when all hold; ``--json`` prints
the figures. ``--crash`` then kills a worker and its flow run with SIGKILL in the middle of a
delivery and waits for the automation to mark the run Crashed (90 s without a heartbeat) and
for the next ``deliver`` run to release the dead run's leases.

    python scripts/deploy_check.py [--json] [--crash]

Needs PostgreSQL (``DONDOC_TEST_POSTGRES_URL``, default postgres@127.0.0.1:5432/test) and the
package installed with its ``prefect`` extra in this interpreter's environment.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlmodel import Session, select

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dondoc.engine.clock import LOCAL_TZ  # noqa: E402
from dondoc.engine.db import make_engine  # noqa: E402
from dondoc.engine.models import Notification  # noqa: E402
from dondoc.engine.services.history_order import mark_replay  # noqa: E402
from tests.smtp_server import SmtpServer, free_port, running_smtp_server  # noqa: E402

ADMIN_URL = os.environ.get("DONDOC_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")

# The guide's commands, word for word (tests/test_deploy_guide.py finds each in docs/deploy.md).
GUIDE = {
    "source": "set -a; . /etc/dondoc/dondoc.env; set +a",
    "home": 'mkdir -p "$DONDOC_HOME"',
    "upgrade": "dondoc db upgrade",
    "catalog": "dondoc catalog load",
    "server_env": "set -a; . /etc/dondoc/prefect-server.env; set +a",
    "server": "prefect server start --host 127.0.0.1 --port 4200",
    "api": "export PREFECT_API_URL=http://127.0.0.1:4200/api",
    "pool": "prefect work-pool create dondoc --type process",
    "enter": 'cd "$DONDOC_HOME"',
    "deploy": "prefect --no-prompt deploy --all --prefect-file /opt/dondoc/prefect.yaml",
    "automation": "prefect automation create --from-file /opt/dondoc/prefect-automations.yaml",
    "ls": "prefect deployment ls",
    "heartbeat": "export PREFECT_FLOWS_HEARTBEAT_FREQUENCY=30",
    "worker": "prefect worker start --pool dondoc --name worker-1 --limit 1",
    "first_sweep": "prefect deployment run 'sweep/dondoc-sweep' -p now=2022-07-12T08:00:00 --watch",
}

LOADED_AT = "2022-03-02T08:00"  # the replay's first instant: the catalog is loaded then
DIGESTS_AT = "2022-07-12T09:00:00"
DELIVER_AT = "2022-07-12T09:05:00"
BATCH = 20  # small batches, so that two deliver runs at once share the outbox
SERVER_WAIT = 240.0  # seconds: bounded polls for a server or a run (a loaded 2-core machine)


def children_cpu() -> float:
    """CPU seconds (user + system) of the child processes that have ended so far."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


@dataclass
class Scratch:
    """The scratch instance: its folders, databases, ports and the processes this script started."""

    folder: Path
    checkout: Path
    port: int
    smtp: SmtpServer
    dondoc_url: str
    prefect_url: str
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    after_first_sweep: dict[str, int] = field(default_factory=dict)
    cpu: dict[str, float] = field(default_factory=dict)  # CPU seconds of each step run in the foreground

    @property
    def api(self) -> str:
        return f"http://127.0.0.1:{self.port}/api"

    def localised(self, command: str) -> str:
        """A guide command with this instance's paths and port."""
        return (
            command.replace("/opt/dondoc", str(self.checkout))
            .replace("/etc/dondoc", str(self.folder / "etc"))
            .replace("/var/lib/dondoc", str(self.folder / "home"))
            .replace("4200", str(self.port))
        )

    def env(self) -> dict[str, str]:
        """The environment a shell starts with: PATH (this interpreter's scripts first), HOME, no PREFECT_*/DONDOC_*."""
        keep = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "DONDOC_"))}
        bin_dir = str(Path(sys.executable).parent)
        return keep | {
            "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
            "PREFECT_HOME": str(self.folder / "prefect-cli"),  # the operator's own ~/.prefect
            "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
            "PREFECT_WORKER_QUERY_SECONDS": "5",  # Prefect's default 10: shorter waits here
        }

    def shell(self, *steps: str, name: str, background: bool = False) -> subprocess.CompletedProcess[bytes] | None:
        """Run the guide's ``steps`` (keys of GUIDE or literal lines) in one bash, as an operator would."""
        script = "set -euo pipefail\n" + "\n".join(self.localised(GUIDE.get(step, step)) for step in steps)
        started, cpu_before = time.monotonic(), children_cpu()
        with (self.folder / f"{name}.log").open("wb") as log:  # the child keeps its own copy
            if background:
                self.processes[name] = subprocess.Popen(
                    ["bash", "-c", script],
                    env=self.env(),
                    cwd=self.folder,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
                return None
            done = subprocess.run(
                ["bash", "-c", script],
                env=self.env(),
                cwd=self.folder,
                stdout=log,
                stderr=subprocess.STDOUT,
                check=False,
            )
        self.timings[name] = round(time.monotonic() - started, 1)
        self.cpu[name] = round(children_cpu() - cpu_before, 1)
        if done.returncode != 0:
            raise SystemExit(f"{name} failed ({done.returncode}):\n{(self.folder / f'{name}.log').read_text()[-3000:]}")
        return done


# -- section 1: the databases --------------------------------------------------------------


@contextmanager
def databases() -> Iterator[tuple[str, str]]:
    """Two new databases on the PostgreSQL server (dondoc's, Prefect's); dropped at the end."""
    suffix = uuid.uuid4().hex[:8]
    names = (f"dondoc_deploy_{suffix}", f"prefect_deploy_{suffix}")
    admin = make_engine(ADMIN_URL)
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        for name in names:
            connection.execute(text(f"CREATE DATABASE {name} ENCODING 'UTF8'"))
    base = make_url(ADMIN_URL)
    try:
        yield (
            base.set(database=names[0]).render_as_string(hide_password=False),
            base.set(drivername="postgresql+asyncpg", database=names[1]).render_as_string(hide_password=False),
        )
    finally:
        with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            for name in names:
                connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()


# -- section 3: the env files --------------------------------------------------------------


def write_env_files(scratch: Scratch) -> None:
    """docs/dondoc.env.example with this instance's values; section 4's prefect-server.env."""
    values: dict[str, str | None] = {
        "DONDOC_HOME": str(scratch.folder / "home"),
        "DONDOC_DATABASE_URL": scratch.dondoc_url,
        "DONDOC_SMTP_HOST": scratch.smtp.host,
        "DONDOC_SMTP_PORT": str(scratch.smtp.port),
        "DONDOC_SMTP_SECURITY": "none",  # the relay with TLS is section 8's
        "DONDOC_SMTP_USERNAME": None,  # a relay without AUTH: the lines go
        "DONDOC_SMTP_PASSWORD": None,
    }
    lines = []
    for line in (scratch.checkout / "docs" / "dondoc.env.example").read_text(encoding="utf-8").splitlines():
        name = line.split("=", 1)[0]
        if name not in values or line.startswith("#"):
            lines.append(line)
        elif values[name] is not None:
            lines.append(f"{name}={values[name]}")
    etc = scratch.folder / "etc"
    etc.mkdir(mode=0o700)
    (etc / "dondoc.env").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (etc / "prefect-server.env").write_text(
        f"PREFECT_HOME={scratch.folder / 'prefect-server'}\n"
        f"PREFECT_API_DATABASE_CONNECTION_URL={scratch.prefect_url}\n"
        "PREFECT_SERVER_ANALYTICS_ENABLED=false\n"
        f"PREFECT_UI_API_URL={scratch.api}\n",
        encoding="utf-8",
    )


def mark_as_replay(url: str) -> None:
    """What ``dondoc simulate`` does first: this database may be written at past instants."""
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            mark_replay(session, now=datetime.fromisoformat(LOADED_AT).replace(tzinfo=LOCAL_TZ))
            session.commit()
    finally:
        engine.dispose()


# -- the Prefect server's API (read and trigger; the set-up goes through the CLI) -----------


def wait_healthy(scratch: Scratch) -> None:
    started = time.monotonic()
    while time.monotonic() - started < SERVER_WAIT:
        server = scratch.processes["server"]
        if server.poll() is not None:
            raise SystemExit(f"prefect server exited:\n{(scratch.folder / 'server.log').read_text()[-3000:]}")
        try:
            if httpx.get(f"{scratch.api}/health", timeout=2).json() is True:
                return
        except (httpx.HTTPError, ValueError):
            pass
        time.sleep(0.5)  # a bounded poll for a server coming up
    raise SystemExit(f"prefect server not healthy after {SERVER_WAIT:.0f} s")


def trigger(scratch: Scratch, deployment: str, **parameters: Any) -> str:
    """``prefect deployment run DEPLOYMENT -p …`` through the API; the flow run's id."""
    found = httpx.get(f"{scratch.api}/deployments/name/{deployment}", timeout=30).raise_for_status().json()
    created = httpx.post(
        f"{scratch.api}/deployments/{found['id']}/create_flow_run", json={"parameters": parameters}, timeout=30
    ).raise_for_status()
    return str(created.json()["id"])


def flow_run(scratch: Scratch, run_id: str) -> dict[str, Any]:
    return dict(httpx.get(f"{scratch.api}/flow_runs/{run_id}", timeout=30).raise_for_status().json())


def wait_final(
    scratch: Scratch, run_ids: list[str], *, states: tuple[str, ...] = ("COMPLETED",)
) -> list[dict[str, Any]]:
    """Poll until every run is in a final state; fail unless each ended in one of ``states``."""
    final = {"COMPLETED", "FAILED", "CRASHED", "CANCELLED"}
    started = time.monotonic()
    while time.monotonic() - started < SERVER_WAIT:
        runs = [flow_run(scratch, run_id) for run_id in run_ids]
        if all(run["state_type"] in final for run in runs):
            wrong = [f"{run['name']}: {run['state_type']}" for run in runs if run["state_type"] not in states]
            if wrong:
                raise SystemExit(f"flow runs ended wrong: {wrong}; worker logs in {scratch.folder}")
            return runs
        time.sleep(1)  # a bounded poll for flow runs in other processes
    raise SystemExit(f"flow runs not finished after {SERVER_WAIT:.0f} s: {[r['state_type'] for r in runs]}")


def workers_of_runs(scratch: Scratch) -> dict[str, str]:
    """flow-run id → the worker that submitted it (``prefect.worker.submitted-flow-run`` events)."""
    body = {"filter": {"event": {"name": ["prefect.worker.submitted-flow-run"]}}, "limit": 50}
    events = httpx.post(f"{scratch.api}/events/filter", json=body, timeout=30).raise_for_status().json()["events"]
    chosen: dict[str, str] = {}
    for event in events:
        for related in event["related"]:
            if related["prefect.resource.role"] == "flow-run":
                chosen[related["prefect.resource.id"].removeprefix("prefect.flow-run.")] = event["resource"][
                    "prefect.resource.name"
                ]
    return chosen


# -- the outbox against the SMTP server ------------------------------------------------------


def outbox_figures(scratch: Scratch, due_at: str = DELIVER_AT) -> dict[str, Any]:
    """Duplicates and losses: the outbox as the database holds it against what the SMTP server got."""
    engine = make_engine(scratch.dondoc_url)
    try:
        with Session(engine) as session:
            rows = session.exec(select(Notification)).all()
    finally:
        engine.dispose()
    due = datetime.fromisoformat(due_at).replace(tzinfo=LOCAL_TZ)
    sent = [row for row in rows if row.status == "sent"]
    received = Counter(str(message["Message-ID"]) for message in scratch.smtp.handler.messages())
    sent_ids = Counter(row.message_id for row in sent)
    return {
        "outbox": dict(Counter(str(row.status) for row in rows)),
        "sent_rows": len(sent),
        "smtp_received": sum(received.values()),
        "duplicates": sum(n - 1 for n in received.values() if n > 1) + sum(n - 1 for n in sent_ids.values() if n > 1),
        "duplicate_dedupe_keys": len(rows) - len({row.dedupe_key for row in rows}),
        "still_due": sum(1 for row in rows if row.status == "pending" and row.next_attempt_at <= due),
        "sent_not_received": len(set(sent_ids) - set(received)),
        "received_not_sent": len(set(received) - set(sent_ids)),
    }


# -- --crash: a worker and its flow run killed in the middle of a delivery --------------------

CRASH_SWEEP_AT = "2022-09-05T08:00:00"
CRASH_DELIVER_AT = "2022-09-05T08:05:00"


def leased(scratch: Scratch) -> int:
    """Pending rows under a lease (``claimed_by`` set)."""
    engine = make_engine(scratch.dondoc_url)
    try:
        with engine.connect() as connection:
            found = connection.execute(
                text("SELECT count(*) FROM notification WHERE status = 'pending' AND claimed_by IS NOT NULL")
            )
            return int(found.scalar_one())
    finally:
        engine.dispose()


def crash(scratch: Scratch) -> dict[str, Any]:
    """Kill -9 the worker running a ``deliver`` run, then the run's process, once mail flows; wait for
    the automation to mark the run Crashed; a ``deliver`` run on the other worker, at the same
    ``now`` (the dead run's 10-minute leases have not run out), sends the rest."""
    wait_final(scratch, [trigger(scratch, "sweep/dondoc-sweep", now=CRASH_SWEEP_AT)])
    before = len(scratch.smtp.handler.received)
    scratch.smtp.handler.hold_after(2 * BATCH)  # then the relay stops answering: the run is mid-send when killed
    victim = trigger(scratch, "deliver/dondoc-deliver", now=CRASH_DELIVER_AT, batch_size=BATCH)
    if not scratch.smtp.handler.wait_for(before + 2 * BATCH, timeout=SERVER_WAIT):
        raise SystemExit("the deliver run to be killed sent nothing")
    worker = workers_of_runs(scratch)[victim]
    pid = int(flow_run(scratch, victim)["infrastructure_pid"])
    os.kill(scratch.processes[worker].pid, signal.SIGKILL)  # the worker first: nobody reports the run's end
    os.kill(pid, signal.SIGKILL)
    killed_at, received_at_kill = time.monotonic(), len(scratch.smtp.handler.received) - before
    scratch.smtp.handler.release()  # the dead run's connection is gone: what it had sent unanswered is not accepted
    leased_at_kill = leased(scratch)
    run = wait_final(scratch, [victim], states=("CRASHED",))[0]
    crashed_after = round(time.monotonic() - killed_at, 1)
    recovery = trigger(scratch, "deliver/dondoc-deliver", now=CRASH_DELIVER_AT, batch_size=BATCH)
    wait_final(scratch, [recovery])
    figures = outbox_figures(scratch, due_at=CRASH_DELIVER_AT)
    return {
        "killed": worker,
        "mails_before_kill": received_at_kill,
        "leased_at_kill": leased_at_kill,
        "crashed_after_s": crashed_after,
        "crash_message": run["state"]["message"],
        "recovered_by": workers_of_runs(scratch)[recovery],
        "leased_after": leased(scratch),
    } | {k: figures[k] for k in ("sent_rows", "smtp_received", "duplicates", "still_due", "sent_not_received")}


# -- the run -------------------------------------------------------------------------------


def stand_up(scratch: Scratch) -> None:
    """Sections 3-6 up to two idle workers; the server starts first and comes up meanwhile."""
    write_env_files(scratch)
    scratch.shell("server_env", f"exec {GUIDE['server']}", name="server", background=True)  # section 4
    scratch.shell("source", "home", "upgrade", name="upgrade")  # section 3
    mark_as_replay(scratch.dondoc_url)
    scratch.shell("source", "enter", f"dondoc --now {LOADED_AT} catalog load", name="catalog")
    wait_healthy(scratch)
    scratch.timings["server_healthy"] = round(time.monotonic() - scratch.timings["start"], 1)
    scratch.shell("source", "api", "pool", "enter", "deploy", "automation", "ls", name="deploy")  # section 5
    for number in (1, 2):  # section 6, as worker-1 and worker-2
        worker = GUIDE["worker"].replace("worker-1", f"worker-{number}")
        scratch.shell("source", "api", "heartbeat", "enter", f"exec {worker}", name=f"worker-{number}", background=True)


def exercise(scratch: Scratch) -> list[tuple[str, str]]:
    """The first sweep by hand (the guide's command), the digests, then two deliver runs at once;
    (flow, run id) of each."""
    scratch.shell("source", "api", "enter", "first_sweep", name="first-sweep")
    scratch.after_first_sweep = outbox_figures(scratch)["outbox"]  # the guide's psql line
    runs = [("sweep", run["id"]) for run in flow_runs_of(scratch, "sweep")]
    runs.append(("digests", trigger(scratch, "digests/dondoc-digests", now=DIGESTS_AT)))
    wait_final(scratch, [runs[-1][1]])
    started = time.monotonic()
    delivers = [trigger(scratch, "deliver/dondoc-deliver", now=DELIVER_AT, batch_size=BATCH) for _ in range(2)]
    wait_final(scratch, delivers)
    scratch.timings["digests_and_delivers"] = round(time.monotonic() - started, 1)
    return runs + [("deliver", run_id) for run_id in delivers]


def flow_runs_of(scratch: Scratch, flow: str) -> list[dict[str, Any]]:
    body = {"flows": {"name": {"any_": [flow]}}}
    return list(httpx.post(f"{scratch.api}/flow_runs/filter", json=body, timeout=30).raise_for_status().json())


def stop(scratch: Scratch) -> None:
    """Workers and server with SIGINT (docs/deploy.md: a worker ignores one SIGTERM), then SIGKILL."""
    for process in reversed(scratch.processes.values()):
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGINT)
    deadline = time.monotonic() + 30
    for process in scratch.processes.values():
        try:
            process.wait(timeout=max(deadline - time.monotonic(), 0.1))
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def check(*, keep: bool = False, crash_too: bool = False) -> dict[str, Any]:
    started_cpu, own_cpu = children_cpu(), time.process_time()
    with ExitStack() as stack:
        folder = (
            Path(tempfile.mkdtemp(prefix="dondoc-deploy-"))
            if keep
            else Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="dondoc-deploy-")))
        )
        dondoc_url, prefect_url = stack.enter_context(databases())
        smtp = stack.enter_context(running_smtp_server())
        scratch = Scratch(folder, ROOT, free_port(), smtp, dondoc_url, prefect_url)
        scratch.timings["start"] = time.monotonic()
        stack.callback(stop, scratch)
        stand_up(scratch)
        exercised = exercise(scratch)
        chosen = workers_of_runs(scratch)
        runs = [
            {"flow": flow, "state": flow_run(scratch, run_id)["state_type"], "worker": chosen.get(run_id, "?")}
            for flow, run_id in exercised
        ]
        per_worker = Counter(run["worker"] for run in runs)
        figures = outbox_figures(scratch)
        figures |= {
            "after_first_sweep": scratch.after_first_sweep,
            "runs": runs,
            "runs_per_worker": dict(per_worker),
            "automations": [a["name"] for a in automations(scratch)],
            "active_schedules": active_schedules(scratch),
            "wall_s": round(time.monotonic() - scratch.timings.pop("start"), 1),
            "timings_s": scratch.timings,
            "cpu_s": scratch.cpu,
            "folder": str(folder) if keep else None,
        }
        if crash_too:
            figures["crash"] = crash(scratch)
    figures["child_cpu_s"] = round(children_cpu() - started_cpu, 1)  # server, workers, their runs, the CLI
    figures["own_cpu_s"] = round(time.process_time() - own_cpu, 1)  # this script, aiosmtpd included
    figures["load_average"] = [round(x, 2) for x in os.getloadavg()]
    return figures


def active_schedules(scratch: Scratch) -> int:
    """Schedules the server would act on: none until the operator resumes them (section 6)."""
    found = httpx.post(f"{scratch.api}/deployments/filter", json={}, timeout=30).raise_for_status().json()
    return sum(1 for deployment in found for schedule in deployment["schedules"] if schedule["active"])


def automations(scratch: Scratch) -> list[dict[str, Any]]:
    return list(httpx.post(f"{scratch.api}/automations/filter", json={}, timeout=30).raise_for_status().json())


def problems(figures: dict[str, Any]) -> list[str]:
    """What is wrong with a run's figures (empty: all good)."""
    found = [
        f"{name}: {figures[name]}"
        for name in ("duplicates", "duplicate_dedupe_keys", "still_due", "sent_not_received", "received_not_sent")
        if figures[name]
    ]
    if figures["sent_rows"] == 0:
        found.append("no mail was sent: the check proved nothing")
    if figures["sent_rows"] != figures["smtp_received"]:
        found.append(f"{figures['sent_rows']} rows sent, {figures['smtp_received']} messages received")
    if len([w for w in figures["runs_per_worker"] if w != "?"]) < 2:
        found.append(f"one worker took every run: {figures['runs_per_worker']}")
    if figures["active_schedules"]:
        found.append(f"{figures['active_schedules']} schedule(s) active right after the deploy")
    crashed = figures.get("crash", {})
    found += [f"after the crash, {key}: {crashed[key]}" for key in ("still_due", "leased_after") if crashed.get(key)]
    if "dondoc-crash-silent-flow-runs" not in figures["automations"]:
        found.append("the crash automation is not on the server")
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--crash", action="store_true", help="then kill a worker and its run (~3 min more)")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder (logs) for a look")
    args = parser.parse_args()
    figures = check(keep=args.keep, crash_too=args.crash)
    wrong = problems(figures)
    if args.json:
        print(json.dumps(figures | {"problems": wrong}, ensure_ascii=False))
    else:
        for key, value in figures.items():
            print(f"{key}: {value}")
        print("OK" if not wrong else "FAILED: " + "; ".join(wrong))
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
