"""The Prefect flows under Prefect's test harness (one ephemeral API server for the session).

Prefect is imported inside fixtures and tests only, so collecting this module stays cheap
for runs that deselect it (``-m "not prefect"``).
"""

from __future__ import annotations

import asyncio
import email.utils
import inspect
import json
import os
import subprocess
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import func
from sqlmodel import Session, col, select

from dondoc.engine.clock import LOCAL_TZ
from dondoc.engine.db import make_engine, transaction
from dondoc.engine.errors import ConfigError, ShiftedNowRefused
from dondoc.engine.models import Notification, SweepRun
from dondoc.engine.services.history_order import mark_replay
from dondoc.engine.settings import Settings
from dondoc.notifications import MailSpec, enqueue
from dondoc.scheduler import SCHEDULE
from tests.factories import assignment_for, load_min_catalog
from tests.smtp_server import SmtpServer
from tests.support.catalogs import MIN_CATALOG
from tests.support.cli import dondoc, ok

pytestmark = [pytest.mark.prefect, pytest.mark.slow]  # the harness's API server starts in ~45 s

ROOT = Path(__file__).resolve().parents[1]
LOADED_AT = datetime(2022, 3, 2, 8, 0, tzinfo=LOCAL_TZ)
SWEEP_AT = datetime(2022, 7, 12, 8, 0, tzinfo=LOCAL_TZ)  # II.1's first milestone is 8 working days overdue
DIGEST_AT = datetime(2022, 7, 12, 9, 0, tzinfo=LOCAL_TZ)


@pytest.fixture(scope="session")
def prefect_harness(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Prefect's test harness once per session, with the settings STACK.md measured as needed."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PREFECT_HOME", str(tmp_path_factory.mktemp("prefect-home")))
        patch.setenv("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
        patch.setenv("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
        patch.delenv("PREFECT_API_URL", raising=False)
        from prefect.testing.utilities import prefect_test_harness

        with prefect_test_harness(server_startup_timeout=None):  # None: the 120 s above
            yield


@pytest.fixture
def dondoc_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Callable[..., Settings]:
    """Point the flows' ``DONDOC_*`` settings (read at run time, as on a worker) at a test database."""
    monkeypatch.chdir(tmp_path)  # no stray .env; the mail drop lands here

    def configure(database_url: str, smtp: SmtpServer | None = None, *, replay: bool = True) -> Settings:
        values = {
            "DATABASE_URL": database_url,
            "DEMO": "true",
            "BASE_URL": "http://dondoc.test",
            "MAILDROP_DIR": str(tmp_path / "drop"),
        }
        if smtp is not None:
            values |= {
                "SMTP_HOST": smtp.host,
                "SMTP_PORT": str(smtp.port),
                "SMTP_SECURITY": "none",
                "SMTP_TIMEOUT": "5",
            }
        else:
            monkeypatch.delenv("DONDOC_SMTP_HOST", raising=False)
        for key, value in values.items():
            monkeypatch.setenv(f"DONDOC_{key}", value)
        if replay:  # the runs below work at instants of 2022: a replay database allows them
            engine = make_engine(database_url)
            try:
                with transaction(engine) as session:
                    mark_replay(session, now=LOADED_AT)
            finally:
                engine.dispose()
        return Settings()

    return configure


def _count(url: str, *where: Any) -> int:
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            return int(session.exec(select(func.count()).select_from(Notification).where(*where)).one())
    finally:
        engine.dispose()


WORKER = """
import asyncio, inspect, json, sys
from datetime import datetime
from dondoc.flows.{module} import {name} as flow
print("ready", flush=True)
sys.stdin.readline()  # the go signal: every worker starts its run at the same moment
result = flow(now=datetime.fromisoformat({now!r}), **{kwargs!r})
print(json.dumps(asyncio.run(result) if inspect.isawaitable(result) else result), flush=True)
"""


def _in_worker_processes(count: int, module: str, name: str, now: datetime, **kwargs: Any) -> list[dict[str, Any]]:
    """Run flow ``module.name`` in ``count`` processes at once, as that many Prefect workers would.

    In-process runs cannot show this: Prefect 3.8.8 runs two flow runs of one process (threads
    or one event loop) one after the other. Each process reports to the harness's API server.
    """
    from prefect.settings import PREFECT_API_URL

    env = {**os.environ, "PREFECT_API_URL": str(PREFECT_API_URL.value())}
    code = WORKER.format(module=module, name=name, now=now.isoformat(), kwargs=kwargs)
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", code],
            cwd=os.getcwd(),
            env=env,
            text=True,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )
        for _ in range(count)
    ]
    try:
        for worker in workers:
            assert worker.stdout is not None and worker.stdout.readline().strip() == "ready"
        for worker in workers:
            assert worker.stdin is not None
            worker.stdin.write("go\n")
            worker.stdin.flush()
        outputs = [worker.communicate(timeout=120)[0] for worker in workers]
    finally:
        for worker in (w for w in workers if w.poll() is None):
            worker.kill()
    assert [w.returncode for w in workers] == [0] * count
    return [json.loads(out.strip().splitlines()[-1]) for out in outputs]


# -- no harness needed -----------------------------------------------------------------------


def test_only_flows_import_prefect() -> None:
    """The CLI, the web app, the jobs and the embedded scheduler start without Prefect."""
    code = (
        "import sys, dondoc.cli.main, dondoc.jobs, dondoc.scheduler, dondoc.notifications, dondoc.web.app; "
        "print('prefect' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def _cron(fields: dict[str, str]) -> str:
    return " ".join(fields.get(name, "*") for name in ("minute", "hour", "day", "month", "day_of_week"))


def test_prefect_yaml_has_one_deployment_per_job_on_the_embedded_schedule() -> None:
    from prefect import Flow
    from prefect.flows import load_flow_from_entrypoint

    config = yaml.safe_load((ROOT / "prefect.yaml").read_text(encoding="utf-8"))
    assert config["pull"] == [{"dondoc.flows.steps.set_instance_directory": {"directory": "{{ $DONDOC_HOME }}"}}]
    deployments = {d["entrypoint"]: d for d in config["deployments"]}
    flows: dict[str, Any] = {}
    for entrypoint, deployment in deployments.items():
        assert entrypoint.startswith("dondoc.flows.") and ".py" not in entrypoint  # the installed package
        flow = load_flow_from_entrypoint(entrypoint, use_placeholder_flow=False)  # as `prefect deploy` and a worker
        assert isinstance(flow, Flow)
        assert deployment["name"] == f"dondoc-{flow.name}"
        assert deployment["work_pool"]["name"] == "dondoc"
        assert "now" in inspect.signature(flow.fn).parameters
        flows[flow.name] = deployment
    assert set(flows) == {"sweep", "deliver", "digests", "periodic-reports", "catalog-load"}
    for job, fields in SCHEDULE.items():
        (schedule,) = flows[job.replace("_", "-")]["schedules"]
        assert schedule["cron"] == _cron(fields), job
        assert schedule["timezone"] == "Asia/Ho_Chi_Minh"
    assert not flows["catalog-load"].get("schedules")  # run on demand after a catalog change


def test_the_crash_automation_is_a_valid_prefect_automation() -> None:
    from prefect.events.schemas.automations import AutomationCore

    data = yaml.safe_load((ROOT / "prefect-automations.yaml").read_text(encoding="utf-8"))
    (automation,) = [AutomationCore.model_validate(item) for item in data["automations"]]
    assert automation.trigger.posture == "Proactive"  # type: ignore[union-attr]
    assert [a.type for a in automation.actions] == ["change-flow-run-state"]


def test_prefect_runs_the_yaml_steps_and_refuses_an_unset_dondoc_home(
    prefect_harness: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The build and pull steps as Prefect runs them (templating from the environment included)."""
    from prefect.deployments.steps.core import StepExecutionError, run_steps

    config = yaml.safe_load((ROOT / "prefect.yaml").read_text(encoding="utf-8"))
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DONDOC_HOME", raising=False)
    for steps in (config["build"], config["pull"]):
        with pytest.raises(StepExecutionError) as refused:  # the step's one line is its cause
            asyncio.run(run_steps(steps, {}))
        assert isinstance(refused.value.__cause__, ConfigError)
        assert "DONDOC_HOME chưa được đặt (thư mục làm việc: '')" in str(refused.value.__cause__)  # unset: ""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("DONDOC_HOME", str(home))
    assert asyncio.run(run_steps(config["build"], {}))["directory"] == str(home)
    asyncio.run(run_steps(config["pull"], {}))
    assert Path.cwd() == home


# -- under the harness -----------------------------------------------------------------------


def test_catalog_sweep_digests_and_deliver_flows(
    prefect_harness: None, db_url: str, dondoc_env: Callable[..., Settings], tmp_path: Path
) -> None:
    """The whole chain as flows: load the catalog, sweep, queue digests and reports, deliver to the mail drop;
    each flow run again at the same instant changes nothing."""
    from dondoc.flows.catalog import catalog_load
    from dondoc.flows.deliver import deliver
    from dondoc.flows.digests import digests
    from dondoc.flows.reports import periodic_reports
    from dondoc.flows.sweep import sweep

    dondoc_env(db_url)
    loaded = catalog_load(now=LOADED_AT, directory=str(MIN_CATALOG))
    assert loaded["created"]["assignment"] > 0
    assert catalog_load(now=LOADED_AT, directory=str(MIN_CATALOG))["created"] == {}

    first = sweep(now=SWEEP_AT)
    assert first["decisions"] > 0 and first["now"] == SWEEP_AT.isoformat()
    rows = _count(db_url)
    assert rows >= first["decisions"]
    assert sweep(now=SWEEP_AT)["decisions"] == 0
    assert _count(db_url) == rows

    queued = digests(now=DIGEST_AT)
    assert {d["to"] for d in queued["mails"]} >= {"chair", "secretariat"} and queued["queued"] == len(queued["mails"])
    again = digests(now=DIGEST_AT)
    assert again == {"job": "digests", "now": DIGEST_AT.isoformat(), "queued": 0, "mails": []}
    assert json.loads(ok(dondoc(db_url, "digest", "--json", now=DIGEST_AT.isoformat()))) == again  # one summary
    assert periodic_reports(now=DIGEST_AT)["mails"] == []  # the tiny catalog has no summary report due

    pending = _count(db_url, Notification.status == "pending")
    totals = asyncio.run(deliver(now=DIGEST_AT, batch_size=3))
    assert totals["sent"] + totals["skipped"] == pending and totals["failed"] == totals["retry"] == 0
    # rows, of which a lead's list carries several in one message, taken with it from later batches
    listed = _count(db_url, Notification.status == "sent", col(Notification.carried_by_id).is_not(None))
    assert listed > 0 and totals["batches"] == -(-(pending - listed) // 3)
    assert len(list((tmp_path / "drop").glob("*.eml"))) == totals["sent"] - listed
    idle = asyncio.run(deliver(now=DIGEST_AT))
    assert idle["claimed"] == idle["batches"] == 0
    from_cli = json.loads(ok(dondoc(db_url, "deliver", "--json", now=DIGEST_AT.isoformat())))
    per_run = ("worker_id", "duration")
    assert {k: v for k, v in from_cli.items() if k not in per_run} == {
        k: v for k, v in idle.items() if k not in per_run
    }


def test_a_naive_now_is_local_time(
    prefect_harness: None, sqlite_engine: Any, dondoc_env: Callable[..., Settings]
) -> None:
    from dondoc.flows.sweep import sweep

    dondoc_env(str(sqlite_engine.url))
    assert sweep(now=datetime(2022, 7, 12, 8, 0))["now"] == SWEEP_AT.isoformat()


def test_a_past_now_is_refused_outside_a_replay(
    prefect_harness: None, sqlite_engine: Any, dondoc_env: Callable[..., Settings]
) -> None:
    """The CLI's rule (engine.services.history_order.refuse_shifted_now): a run at a past instant on a
    production database is refused before it decides anything."""
    from dondoc.flows.sweep import sweep

    dondoc_env(str(sqlite_engine.url), replay=False)
    with pytest.raises(ShiftedNowRefused, match="ở quá khứ"):
        sweep(now=SWEEP_AT)
    assert _count(str(sqlite_engine.url)) == 0


@pytest.mark.postgres
def test_two_sweep_runs_at_once_decide_everything_once(
    prefect_harness: None, pg_engine: Any, dondoc_env: Callable[..., Settings]
) -> None:
    url = pg_engine.url.render_as_string(hide_password=False)
    dondoc_env(url)
    with Session(pg_engine) as session:
        load_min_catalog(session, LOADED_AT, MIN_CATALOG)
    one, two = _in_worker_processes(2, "sweep", "sweep", SWEEP_AT)
    with Session(pg_engine) as session:
        keys = session.exec(select(Notification.dedupe_key)).all()
        runs = session.exec(select(func.count()).select_from(SweepRun)).one()
    assert one["decisions"] + two["decisions"] == len(keys) == len(set(keys)) > 0
    assert runs in (1, 2)  # a run that started after the other committed found nothing due and wrote nothing


@pytest.mark.postgres
def test_two_delivery_runs_at_once_deliver_every_message_exactly_once(
    prefect_harness: None,
    pg_engine: Any,
    dondoc_env: Callable[..., Settings],
    smtp: SmtpServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Two ``deliver`` flow runs (two workers) over one outbox of 200 rows, to a real SMTP server."""
    messages, batch = 200, 10
    settings = dondoc_env(pg_engine.url.render_as_string(hide_password=False), smtp)
    with Session(pg_engine, expire_on_commit=False) as session:
        load_min_catalog(session, LOADED_AT, MIN_CATALOG)
        target = assignment_for(session, "99/KH-TEST:II.1", "so-noi-vu")
        for i in range(messages):
            spec = MailSpec(
                f"prefect-test:{i}",
                "reminder",
                "agency",
                f"nv{i}@dondoc.example",
                "Sở Nội vụ",
                target.id,
                None,
                False,
                {"due_at": target.due_at.isoformat() if target.due_at else None, "days_before_due": 7},
            )
            assert enqueue(session, spec, now=LOADED_AT, settings=settings) is not None
        session.commit()

    accept, peers, both_in = smtp.handler.handle_DATA, set(), asyncio.Event()

    async def both_workers_in(server: Any, session: Any, envelope: Any) -> str:
        """Hold every DATA until a second SMTP connection sends one too: the runs overlap for sure
        (a worker's next batch cannot connect while its first is held, so the second is the other run)."""
        peers.add(session.peer)
        if len(peers) >= 2:
            both_in.set()
        await asyncio.wait_for(both_in.wait(), timeout=60)
        return await accept(server, session, envelope)

    monkeypatch.setattr(smtp.handler, "handle_DATA", both_workers_in)
    monkeypatch.setenv("DONDOC_SMTP_TIMEOUT", "90")
    one, two = _in_worker_processes(2, "deliver", "deliver", LOADED_AT, batch_size=batch)

    assert smtp.handler.wait_for(messages)
    received = Counter(str(m["Message-ID"]) for m in smtp.handler.messages())
    assert len(received) == messages and set(received.values()) == {1}  # each once, none twice
    assert Counter(r for m in smtp.handler.received for r in m.rcpt_tos) == {
        f"nv{i}@dondoc.example": 1 for i in range(messages)
    }
    assert one["sent"] + two["sent"] == messages and one["sent"] > 0 and two["sent"] > 0  # both worked
    assert one["failed"] + two["failed"] + one["retry"] + two["retry"] == 0
    with Session(pg_engine) as session:
        rows = session.exec(select(Notification)).all()
    assert {r.status for r in rows} == {"sent"} and {r.claimed_by for r in rows} == {None}
    assert {r.message_id for r in rows} == set(received)
    assert all(email.utils.parseaddr(str(m["To"]))[1].startswith("nv") for m in smtp.handler.messages())


@pytest.mark.postgres
def test_deliver_stops_when_the_relay_is_down_and_keeps_every_row(
    prefect_harness: None, pg_engine: Any, dondoc_env: Callable[..., Settings]
) -> None:
    from dondoc.flows.deliver import deliver
    from tests.smtp_server import RecordingHandler, free_port

    down = SmtpServer("127.0.0.1", free_port(), RecordingHandler())  # nothing listens there
    settings = dondoc_env(pg_engine.url.render_as_string(hide_password=False), down)
    with Session(pg_engine, expire_on_commit=False) as session:
        load_min_catalog(session, LOADED_AT, MIN_CATALOG)
        target = assignment_for(session, "99/KH-TEST:II.1", "so-noi-vu")
        for i in range(5):
            spec = MailSpec(
                f"down:{i}",
                "reminder",
                "agency",
                "nv@dondoc.example",
                "Sở Nội vụ",
                target.id,
                None,
                False,
                {"due_at": target.due_at.isoformat() if target.due_at else None},
            )
            enqueue(session, spec, now=LOADED_AT, settings=settings)
        session.commit()
    totals = asyncio.run(deliver(now=LOADED_AT, batch_size=2))
    assert {k: v for k, v in totals.items() if k not in ("worker_id", "duration")} == {
        "batches": 1,
        "claimed": 2,
        "sent": 0,
        "mails": 0,
        "skipped": 0,
        "retry": 1,
        "failed": 0,
        "released": 1,
        "sender_down": True,
    }
    assert _count(pg_engine.url.render_as_string(hide_password=False), Notification.status == "pending") == 5
