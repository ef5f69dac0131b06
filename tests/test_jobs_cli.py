"""The jobs as an operator runs them: ``dondoc sweep`` and ``dondoc deliver`` (in-process) against a real
SMTP server that fails in the middle of a batch, and the embedded scheduler's timetable."""

from __future__ import annotations

import json
from datetime import datetime

import pytest
from sqlmodel import Session, select

from dondoc.engine.clock import LOCAL_TZ
from dondoc.engine.db import make_engine
from dondoc.engine.models import Notification
from dondoc.engine.settings import Settings
from dondoc.scheduler import build_scheduler
from tests.smtp_server import DROP, running_smtp_server
from tests.support.catalogs import MIN_CATALOG
from tests.support.cli import dondoc, ok
from tests.support.web import SECRET, WebEnv


def _rows(db_url: str) -> list[Notification]:
    engine = make_engine(db_url)
    try:
        with Session(engine) as session:
            return list(session.exec(select(Notification).order_by(Notification.id)))
    finally:
        engine.dispose()


@pytest.mark.parametrize("fault", ["451 4.3.0 Mailbox busy, try later", "421 4.7.0 Closing", DROP])
def test_every_pending_mail_arrives_once_despite_a_fault_mid_batch(
    db_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path, fault: str
) -> None:
    monkeypatch.setenv("DONDOC_SECRET_KEY", "a-test-secret-of-enough-length")
    monkeypatch.setenv("DONDOC_BASE_URL", "http://dondoc.test")
    monkeypatch.setenv("DONDOC_MAILDROP_DIR", str(tmp_path))
    ok(dondoc(db_url, "db", "upgrade"))
    ok(dondoc(db_url, "catalog", "load", "--dir", str(MIN_CATALOG), now="2022-03-02"))
    swept = json.loads(ok(dondoc(db_url, "sweep", "--json", now="2022-07-12T08:00")))
    assert swept["decisions"] > 0
    pending = [n for n in _rows(db_url) if n.status == "pending"]
    assert len(pending) >= 5
    with running_smtp_server() as server:
        for key, value in {
            "DONDOC_SMTP_HOST": server.host,
            "DONDOC_SMTP_PORT": str(server.port),
            "DONDOC_SMTP_SECURITY": "none",
        }.items():
            monkeypatch.setenv(key, value)
        server.handler.fail_transaction(3, fault)
        first = json.loads(ok(dondoc(db_url, "deliver", "--json", now="2022-07-12T08:05")))
        if fault == DROP:  # the sender reconnects once and resends within the same run
            assert first["sent"] == len(pending)
        else:
            assert first["sent"] < len(pending)
        later = json.loads(ok(dondoc(db_url, "deliver", "--json", now="2022-07-12T09:30")))
        assert first["sent"] + later["sent"] == len(pending)  # rows: a lead's list carries several
        rows = {n.id: n for n in _rows(db_url)}
        # one message a row, but for the rows a lead's list carried in its own (notifications.claims)
        own = [n for n in pending if rows[n.id].carried_by_id is None]
        assert len(own) < len(pending)  # the lead's copies of its implementers' lateness went as one
        assert server.handler.wait_for(len(own), timeout=10)
        again = json.loads(ok(dondoc(db_url, "deliver", "--json", now="2022-07-12T12:00")))
        assert again["sent"] == 0
        messages = server.handler.messages()
    ids = [m["Message-ID"] for m in messages]
    assert len(ids) == len(set(ids)) == len(own), "each pending mail exactly once"
    assert sorted(ids) == sorted(rows[n.id].message_id for n in own)
    assert all(rows[n.id].status == "sent" for n in pending)
    assert {m["To"].addresses[0].addr_spec for m in messages} == {n.recipient_email for n in pending}
    retried = [rows[n.id] for n in pending if rows[n.id].attempts > 1]
    if fault != DROP:
        # the faulted message (one row, or a lead's list and the rows it carried) went through on its second attempt
        assert retried and {r.attempts for r in retried} == {2}
        assert len({r.carried_by_id or r.id for r in retried}) == 1


def test_the_embedded_timetable_is_local_time() -> None:
    scheduler = build_scheduler(make_engine("sqlite://"), Settings(_env_file=None), clock=None)  # type: ignore[arg-type,call-arg]
    now = datetime(2022, 7, 12, 7, 0, tzinfo=LOCAL_TZ)
    next_runs = {job.id: job.trigger.get_next_fire_time(None, now) for job in scheduler.get_jobs()}
    assert next_runs["digests"] == datetime(2022, 7, 12, 7, 30, tzinfo=LOCAL_TZ)
    assert next_runs["sweep"] == datetime(2022, 7, 12, 7, 5, tzinfo=LOCAL_TZ)
    assert next_runs["deliver"] == now  # every minute, this one included
    assert next_runs["statistics"] == datetime(2022, 7, 13, 2, 40, tzinfo=LOCAL_TZ)  # SQLite's upkeep, nightly


def test_postgres_has_no_statistics_job() -> None:
    """PostgreSQL's autovacuum keeps its statistics: the embedded scheduler adds nothing for it."""
    engine = make_engine("postgresql+psycopg://nobody@127.0.0.1:1/none")  # never connected to
    scheduler = build_scheduler(engine, Settings(_env_file=None), clock=None)  # type: ignore[arg-type,call-arg]
    assert {job.id for job in scheduler.get_jobs()} == {"sweep", "deliver", "digests", "periodic_reports"}


def test_the_scheduler_says_its_timetable_in_words(web: WebEnv, monkeypatch: pytest.MonkeyPatch) -> None:
    """`dondoc scheduler`'s first line, read by whoever runs it, said its jobs in APScheduler's
    words: "sweep: cron[minute='5'], deliver: cron[minute='*'], …"."""
    from dondoc.cli import jobs_cmd

    # Ctrl+C at once: the command prints its line, starts its scheduler, and stops it
    monkeypatch.setattr(jobs_cmd.signal, "signal", lambda signum, handler: handler(signum, None))
    env = {"DONDOC_SECRET_KEY": SECRET, "DONDOC_BASE_URL": "http://dondoc.test"}
    line = ok(dondoc(str(web.engine.url), "scheduler", env=env)).splitlines()[0]
    upkeep = (
        "" if web.engine.dialect.name == "postgresql" else "; cập nhật thống kê truy vấn (ANALYZE): 02:40 hằng ngày"
    )
    assert line == (
        "Bộ lập lịch đang chạy (quét nhắc việc, chuyển cấp: mỗi giờ, phút 05; gửi thư: mỗi phút; "
        "lập bản tổng hợp: 07:30 hằng ngày; lập báo cáo định kỳ (vào ngày đến hạn): 07:00 hằng ngày"
        f"{upkeep}); Ctrl+C để dừng"
    )
