"""``dondoc serve``: the web app and the embedded scheduler in one process."""

from __future__ import annotations

import logging
import secrets
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from dondoc.cli.context import AppContext, app_context
from dondoc.engine.clock import FrozenClock, LocalDays
from dondoc.engine.db import make_engine, transaction
from dondoc.engine.errors import ConfigError
from dondoc.engine.links import LEADER_SUBJECTS, agency_subject, issue_token

DEMO_DAY = date(2022, 10, 14)  # the board of a plan year in full swing
DEMO_AGENCIES = ("so-tttt", "so-noi-vu", "ubnd-binh-son")


def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option(help="address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="port to listen on")] = 8000,
    demo: Annotated[bool, typer.Option("--demo", help="a demonstration board on var/demo.db, 2022 replayed")] = False,
    scheduler: Annotated[bool, typer.Option(help="run the sweep/delivery/digest jobs in this process")] = True,
) -> None:
    """Serve the web UI and API, with the scheduler (sweep hourly, delivery every minute, digests 07:30).

    Refuses to start (one line) if the policy, the catalog, the database or its schema is not ready.
    """
    import uvicorn

    from dondoc.cli.preflight import check_ready
    from dondoc.scheduler import build_scheduler
    from dondoc.web.app import create_app

    context = app_context(ctx, writes=not demo)  # the demo keeps its own day
    if demo:
        context = _demo(context, f"http://{host}:{port}")
    elif not context.settings.base_url:
        context.settings = context.settings.model_copy(update={"base_url": _own_base_url(host, port, scheduler)})
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    settings, clock = context.settings, context.clock
    settings.signing_key()  # refuses a default or short secret before anything else
    check_ready(settings, context.engine)  # policy, catalog, database and schema, before listening
    logging.getLogger("dondoc").info("links in mails point to %s", settings.links_base())
    if settings.smtp_host is None:
        logging.getLogger("dondoc").info("SMTP not configured: mail goes to %s", settings.maildrop_dir.resolve())
    app = create_app(settings=settings, engine=context.engine, clock=clock)
    jobs = build_scheduler(context.engine, settings, clock) if scheduler else None
    if jobs:
        jobs.start()
    try:
        uvicorn.run(app, host=host, port=port, log_level="info")
    finally:
        if jobs:
            jobs.shutdown()


def _own_base_url(host: str, port: int, scheduler: bool) -> str:
    """Links of the single-process default point at this server itself; with ``--no-scheduler``
    (several web processes, jobs elsewhere) or a wildcard address nobody can open, say where."""
    if not scheduler:
        raise ConfigError(
            "DONDOC_BASE_URL chưa được đặt: khi chạy nhiều tiến trình web (--no-scheduler), hãy đặt "
            "địa chỉ chung mà người dùng mở (ví dụ https://dondoc.example.gov.vn) trong .env"
        )
    if host in ("0.0.0.0", "::", ""):
        raise ConfigError(
            f"DONDOC_BASE_URL chưa được đặt và --host {host or '?'} không phải địa chỉ mở được: "
            "hãy đặt DONDOC_BASE_URL (địa chỉ người dùng mở trang) trong .env"
        )
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def _demo(context: AppContext, base_url: str) -> AppContext:
    """Replay 2022 up to DEMO_DAY into var/demo.db, print a login and a few links."""
    from dondoc.engine.services.accounts import add_user
    from dondoc.simulation.replay import prepare, replay

    url = f"sqlite:///{Path('var/demo.db').resolve()}"
    settings = context.settings.model_copy(
        update={
            "database_url": url,
            "demo": True,
            "smtp_host": None,
            "maildrop_dir": Path("var/demo-maildrop"),
            "attachments_dir": Path("var/demo-attachments"),
            "base_url": context.settings.base_url or base_url,
        }
    )
    clock = FrozenClock(LocalDays(settings.tz).at(DEMO_DAY, 9), settings.tz)
    engine = make_engine(url)
    typer.echo(f"demo: replaying 01/01/2022–{DEMO_DAY:%d/%m/%Y} into {url} (a few minutes) …")
    prepare(engine, reset=True)
    replay(engine, start=date(2022, 1, 1), end=DEMO_DAY, seed=1, settings=settings)
    password = secrets.token_urlsafe(9)
    with transaction(engine) as session:
        add_user(session, "thuky", password, now=clock.now(), display_name="Tổ giúp việc BCĐ")
        links = {
            code: issue_token(session, agency_subject(code), now=clock.now(), secret=settings.signing_key(), days=365)
            for code in DEMO_AGENCIES
        }
        leaders = {
            s: issue_token(session, s, now=clock.now(), secret=settings.signing_key(), days=365)
            for s in LEADER_SUBJECTS
        }
    base = settings.links_base()
    typer.echo(f"\nclock frozen at {clock.now():%d/%m/%Y %H:%M}")
    typer.echo(f"secretariat: {base}/board  user thuky  password {password}")
    for code, token in links.items():
        typer.echo(f"agency {code}: {base}/a/{token}")
    for subject, token in leaders.items():
        typer.echo(f"{subject.split(':')[1]}: {base}/leaders/{token}")
    typer.echo("")
    return AppContext(settings=settings, clock=clock)
