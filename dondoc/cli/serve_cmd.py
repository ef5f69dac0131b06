"""``dondoc serve``: the web app and the embedded scheduler in one process."""

from __future__ import annotations

import errno
import logging
import secrets
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from dondoc.cli.context import AppContext, app_context
from dondoc.cli.numbers import whole_number
from dondoc.cli.progress import progress
from dondoc.engine.actors import RECIPIENT_LABELS_VI, Leader
from dondoc.engine.clock import FrozenClock, LocalDays, SystemClock
from dondoc.engine.db import make_engine, transaction
from dondoc.engine.errors import ConfigError, InvalidInput
from dondoc.engine.links import LEADER_SUBJECTS, agency_subject, issue_token
from dondoc.engine.settings import Settings
from dondoc.simulation.demo import DEMO_DAY, DEMO_START, Window

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

DEMO_DB = Path("var/demo.db")
DEMO_AGENCIES = ("so-tttt", "so-noi-vu", "ubnd-binh-son")
log = logging.getLogger("dondoc.demo")
# read by whoever runs `serve` (the server's log), as MAILDROP_NOTICE_VI beside it: Vietnamese
LINKS_NOTICE_VI = "Liên kết trong thư dẫn tới %s"


def listen(host: str, port: int) -> socket.socket:
    """The listening socket, bound before any other work; a busy port is a one-line error."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        busy = exc.errno == errno.EADDRINUSE
        why = "đang bận (một chương trình khác đang nghe): chọn --port khác" if busy else exc.strerror or str(exc)
        raise InvalidInput(f"không mở được cổng {port} trên {host}: {why}") from None
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option(help="địa chỉ lắng nghe")] = "127.0.0.1",
    port: Annotated[
        int,
        typer.Option(parser=whole_number(0, 65535), help="cổng lắng nghe, từ 0 đến 65535 (0: một cổng trống bất kỳ)"),
    ] = 8000,
    demo: Annotated[
        bool,
        typer.Option(
            "--demo",
            help=f"bảng theo dõi minh họa trên var/demo.db: diễn lại {DEMO_START:%d/%m/%Y}–{DEMO_DAY:%d/%m/%Y} "
            "(dựng một lần, dùng lại khi mã nguồn, danh mục và chính sách không đổi), đồng hồ dừng ở ngày cuối",
        ),
    ] = False,
    scheduler: Annotated[
        bool, typer.Option(help="chạy các việc quét, gửi thư, bản tổng hợp trong tiến trình này")
    ] = True,
) -> None:
    """Chạy giao diện web và API cùng bộ lập lịch.

    Bộ lập lịch: quét mỗi giờ, gửi thư mỗi phút, lập bản tổng hợp lúc 07:30 (gửi Lãnh đạo chỉ vào ngày
    làm việc), lập báo cáo định kỳ gửi Lãnh đạo lúc 07:00 vào ngày đến hạn; với SQLite, cập nhật thống
    kê truy vấn (ANALYZE) lúc 02:40.

    Không khởi động (báo lỗi một dòng) nếu chính sách, danh mục, cơ sở dữ liệu hoặc lược đồ chưa sẵn sàng.
    """
    import uvicorn

    from dondoc.web.app import settle_heap

    sock = listen(host, port)  # before any work: a busy port is known at once
    port = sock.getsockname()[1]  # the port given, or the free one --port 0 was given (links, the line below)
    try:
        context = app_context(ctx, writes=not demo)  # the demo keeps its own day
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
        if demo:
            board = DemoBoard.of(context, f"http://{host}:{port}")
            app: Any = board.start(scheduler=scheduler)
        else:
            if not context.settings.base_url:
                own = _own_base_url(host, port, scheduler)
                context.settings = context.settings.model_copy(update={"base_url": own})
            app, board = _board(context, scheduler), None
        server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level="info"))
        settle_heap()  # everything built to start, out of the collector's way
        shown = f"[{host}]" if ":" in host else host
        typer.echo(f"Bảng theo dõi: http://{shown}:{port}/board (Ctrl+C để dừng)")
        try:
            server.run(sockets=[sock])
        finally:
            if board is not None:
                board.stop()
            elif app.state.jobs is not None:
                app.state.jobs.shutdown()
    finally:
        sock.close()


def _board(context: AppContext, scheduler: bool) -> Any:
    """The web app on ``context``, its scheduler started (kept in ``app.state.jobs``); refuses (one
    line) if the secret, the policy, the catalog, the database or its schema is not ready."""
    from dondoc.cli.preflight import check_ready
    from dondoc.notifications.delivery import MAILDROP_NOTICE_VI
    from dondoc.scheduler import build_scheduler
    from dondoc.web.app import create_app

    settings, clock = context.settings, context.clock
    settings.signing_key()  # refuses a default or short secret before anything else
    check_ready(settings, context.engine)  # policy, catalog, database and schema, before listening
    logging.getLogger("dondoc").info(LINKS_NOTICE_VI, settings.links_base())
    if settings.smtp_host is None:
        logging.getLogger("dondoc").info(MAILDROP_NOTICE_VI, settings.maildrop_dir.resolve())
    # logins are throttled in real time even when the pages' clock stands still (the demo, --now)
    app = create_app(settings=settings, engine=context.engine, clock=clock, login_clock=SystemClock(settings.tz))
    app.state.jobs = build_scheduler(context.engine, settings, clock) if scheduler else None
    if app.state.jobs:
        app.state.jobs.start()
    return app


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


def demo_settings(settings: Settings, base_url: str, database: Path = DEMO_DB) -> Settings:
    """The demo's settings: its own database, mail drop and attachments, never SMTP; its own catalog
    folder (plans published from /board/import, successions recorded on /board/to-chuc-lai) unless
    DONDOC_CATALOG_LOCAL_DIR names one. That folder is not in the demo's fingerprint: what the
    secretariat publishes there does not make the next start rebuild (a rebuild reads it again)."""
    default_base = not settings.base_url
    local_dir = settings.catalog_local_dir or database.parent / "demo-catalog"
    return settings.model_copy(
        update={
            "database_url": f"sqlite:///{database.resolve()}",
            "demo": True,
            "smtp_host": None,
            "maildrop_dir": database.parent / "demo-maildrop",
            "attachments_dir": database.parent / "demo-attachments",
            "catalog_local_dir": local_dir,
            "base_url": base_url if default_base else settings.base_url,
        }
    )


def remove_database(path: Path) -> None:
    """Delete a SQLite file with its WAL and shared-memory files."""
    for part in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        part.unlink(missing_ok=True)


@dataclass
class DemoBoard:
    """The demo database and what ``serve --demo`` serves on it: reused when current, else built
    in the background behind the "đang dựng dữ liệu minh họa" page."""

    settings: Settings
    database: Path
    window: Window = Window()  # tests replay a few days
    echo: Callable[[str], None] = typer.echo

    def __post_init__(self) -> None:
        # Frozen at the end of the replayed window: the replay lives through its last day (agencies
        # act until the evening, the day's mails go at 23:59), and no history may stand after "now".
        self.clock = FrozenClock(LocalDays(self.settings.tz).at(self.window.end, 23, 59), self.settings.tz)
        self.password = secrets.token_urlsafe(9)
        self.thread: threading.Thread | None = None
        self.board: Any = None  # the web app, once the database is ready
        self._engine: Engine | None = None

    @classmethod
    def of(cls, context: AppContext, base_url: str, database: Path = DEMO_DB) -> DemoBoard:
        return cls(demo_settings(context.settings, base_url, database), database)

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            self._engine = make_engine(self.settings.database_url)
        return self._engine

    def current(self) -> bool:
        from dondoc.simulation.demo import is_current

        return self.database.exists() and is_current(self.engine, self.settings, self.window)

    def start(self, *, scheduler: bool) -> Any:
        """The ASGI app to serve now: the board when the database is current, else the building
        page, the replay running in a thread that hands the board over when it is done."""
        from dondoc.web.building import Handover

        if self.current():
            self.echo(f"minh họa: dùng lại {self.database} (đã dựng với đúng mã nguồn và danh mục này)")
            return self._finish(scheduler)
        handover = Handover()
        if self.database.exists():  # the work done on the former demo board goes with it: said, not silent
            self.echo(
                f"minh họa: không dùng lại được {self.database} (dựng với mã nguồn, danh mục hoặc chính sách khác, "
                "hoặc chưa dựng xong): dựng lại; "
                f"việc đã làm trên bảng minh họa cũ không còn (văn bản đã công bố vào "
                f"{self.settings.catalog_local_dir} được nạp lại theo ngày ban hành)"
            )
        self.echo(
            f"minh họa: đang dựng {self.database} (chạy lại {self.window.start:%d/%m/%Y}–{self.window.end:%d/%m/%Y}); "
            f"{self.settings.links_base()}/board cho biết tiến độ cho đến khi bảng theo dõi sẵn sàng"
        )
        self.thread = threading.Thread(target=self._build, args=(handover, scheduler), name="demo-replay", daemon=True)
        self.thread.start()
        return handover

    def build(self, tell: Callable[[int, int], None] | None = None) -> None:
        """Wipe the demo database and replay the demo window into it (in the caller's thread)."""
        from dondoc.simulation.demo import build

        if self._engine is not None:
            self._engine.dispose()
        self._engine = None
        remove_database(self.database)
        build(self.engine, self.settings, window=self.window, progress=tell)

    def _build(self, handover: Any, scheduler: bool) -> None:
        try:
            with progress("Dựng dữ liệu minh họa") as bar:

                def tell(done: int, total: int) -> None:
                    handover.progress(done, total)
                    bar(done, total)

                self.build(tell)
            handover.ready(self._finish(scheduler))
        except Exception as exc:  # the page says it failed; the log says why
            log.exception("demo replay failed")
            handover.failed(f"{type(exc).__name__}: {exc}")

    def _finish(self, scheduler: bool) -> Any:
        """A login and links on the built database, printed; the board app with its scheduler."""
        from dondoc.engine.services.accounts import add_user

        settings, now = self.settings, self.clock.now()
        with transaction(self.engine) as session:
            add_user(session, "thuky", self.password, now=now, display_name="Tổ giúp việc BCĐ")
            links = {
                code: issue_token(session, agency_subject(code), now=now, secret=settings.signing_key(), days=365)
                for code in DEMO_AGENCIES
            }
            leaders = {
                s: issue_token(session, s, now=now, secret=settings.signing_key(), days=365) for s in LEADER_SUBJECTS
            }
        base = settings.links_base()
        self.echo(f"\nđồng hồ dừng ở {now:%H:%M} ngày {now:%d/%m/%Y} (dữ liệu minh họa)")
        self.echo(f"Tổ giúp việc: {base}/board  tài khoản thuky  mật khẩu {self.password}")
        for code, token in links.items():
            self.echo(f"cơ quan {code}: {base}/a/{token}")
        for subject, token in leaders.items():
            leader = Leader.from_subject(subject)
            self.echo(f"{RECIPIENT_LABELS_VI[leader] if leader else subject}: {base}/leaders/{token}")
        self.echo("")
        context = AppContext(settings=settings, clock=self.clock)
        context.__dict__["engine"] = self.engine  # the context's (cached) engine is this one
        self.board = _board(context, scheduler)
        return self.board

    def stop(self) -> None:
        """Stop the board's scheduler, if the board was made."""
        if self.board is not None and self.board.state.jobs is not None:
            self.board.state.jobs.shutdown()
