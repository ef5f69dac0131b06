"""The embedded scheduler: APScheduler 3.x in this process, cron times in local time.

It holds no state of its own: the sweep finds its window in the database and the outbox
is the queue, so a restart loses nothing (a missed hour is caught up by the next pass).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from sqlalchemy.engine import Engine

from dondoc import jobs
from dondoc.engine.clock import Clock
from dondoc.engine.db import is_postgres, refresh_statistics
from dondoc.engine.settings import Settings
from dondoc.engine.vi_format import vn_number
from dondoc.summaries import headline

log = logging.getLogger("dondoc.scheduler")
STATISTICS_NOTICE_VI = "Đã cập nhật thống kê truy vấn (ANALYZE) trong %s giây"

# (job, cron fields) — prefect.yaml uses the same times.
SCHEDULE = {
    "sweep": {"minute": "5"},  # hourly
    "deliver": {"minute": "*"},  # every minute
    "digests": {"hour": "7", "minute": "30"},  # 07:30 local
    "periodic_reports": {"hour": "7", "minute": "0"},  # 07:00 local, on a summary report's due date
}

# Upkeep of a SQLite database only (PostgreSQL does its own): the planner's statistics, nightly
# (engine.db.refresh_statistics). Not a job of the product's, so not one of Prefect's either.
SQLITE_UPKEEP = {"statistics": {"hour": "2", "minute": "40"}}  # 02:40 local

# Each job as the person running the scheduler reads it (`jobs scheduler`'s first line): it had said
# "sweep: cron[minute='5'], deliver: cron[minute='*'], …"
JOB_LABELS_VI = {
    "sweep": "quét nhắc việc, chuyển cấp",
    "deliver": "gửi thư",
    "digests": "lập bản tổng hợp",
    "periodic_reports": "lập báo cáo định kỳ (vào ngày đến hạn)",
    "statistics": "cập nhật thống kê truy vấn (ANALYZE)",
}


def timetable_words(names: Iterable[str]) -> str:
    """The jobs ``names`` (of SCHEDULE, SQLITE_UPKEEP) and when each runs, in local time, in words,
    in the timetable's order: "quét nhắc việc, chuyển cấp: mỗi giờ, phút 05; gửi thư: mỗi phút; …"."""
    timetable, named = {**SCHEDULE, **SQLITE_UPKEEP}, set(names)
    said = []
    for name, fields in timetable.items():
        if name not in named:
            continue
        minute = fields["minute"]
        if "hour" in fields:
            when = f"{int(fields['hour']):02d}:{int(minute):02d} hằng ngày"
        else:
            when = "mỗi phút" if minute == "*" else f"mỗi giờ, phút {int(minute):02d}"
        said.append(f"{JOB_LABELS_VI[name]}: {when}")
    return "; ".join(said)


def build_scheduler(engine: Engine, settings: Settings, clock: Clock) -> BackgroundScheduler:
    """A scheduler with the jobs of ``SCHEDULE`` (and on SQLite ``SQLITE_UPKEEP``); start() it,
    shutdown() it."""
    scheduler = BackgroundScheduler(timezone=settings.tz, job_defaults={"coalesce": True, "max_instances": 1})

    def sweep() -> None:
        log.info("%s", headline(jobs.run_sweep(engine, now=clock.now(), settings=settings)))

    def deliver() -> None:
        log.info("%s", headline(jobs.run_delivery(engine, now=clock.now(), settings=settings)))

    def digests() -> None:
        log.info("%s", headline(jobs.run_digests(engine, now=clock.now(), settings=settings)))

    def periodic_reports() -> None:
        log.info("%s", headline(jobs.run_periodic_reports(engine, now=clock.now(), settings=settings)))

    def statistics() -> None:
        started = time.perf_counter()
        if refresh_statistics(engine):
            # read by whoever runs `serve` or `jobs scheduler`, beside the jobs' Vietnamese headlines
            log.info(STATISTICS_NOTICE_VI, vn_number(round(time.perf_counter() - started, 1)))

    runs = {
        "sweep": sweep,
        "deliver": deliver,
        "digests": digests,
        "periodic_reports": periodic_reports,
        "statistics": statistics,
    }
    for name, fields in {**SCHEDULE, **({} if is_postgres(engine) else SQLITE_UPKEEP)}.items():
        trigger = CronTrigger(timezone=settings.tz, **fields)
        scheduler.add_job(runs[name], trigger, id=name, name=name, misfire_grace_time=3600)
    return scheduler
