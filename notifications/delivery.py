"""The outbox worker: claim due rows, re-check each, send, and record the outcome per message.

Guarantees:

- a row is never lost: it ends sent, skipped or failed, or stays pending with a reason;
- a row is sent once, except after a crash between the SMTP send and the commit that marks
  it sent (or a relay that accepted the data but whose reply was lost): its lease then
  expires (10 minutes; at once when the dead process was on the same machine, see
  ``claims.release_orphans``) and it is sent again, with the same Message-ID — at-least-once
  at that one point, exactly-once everywhere else;
- a dropped connection is retried once at once on a new connection (same Message-ID);
- safe with several workers at once: rows are leased with ``claimed_by``/``claimed_until``
  (``FOR UPDATE SKIP LOCKED`` on PostgreSQL) and every outcome is written only by the
  lease holder.
"""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
import time
from collections.abc import Awaitable, Callable
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from pathlib import Path

import aiosmtplib
from sqlalchemy.engine import Connection, Engine

from dondoc.engine.settings import Settings
from dondoc.notifications import claims
from dondoc.notifications.message import sender_address
from dondoc.notifications.senders import MailDropSender, Sender, SenderUnavailable, SmtpSender

log = logging.getLogger("dondoc.notifications")
# read by whoever runs `deliver` or `serve` (stderr, the server's log): Vietnamese, as every CLI line
MAILDROP_NOTICE_VI = "Chưa cấu hình SMTP (DONDOC_SMTP_HOST): thư được ghi vào thư mục %s"
_announced: set[Path] = set()


@dataclass(frozen=True)
class DeliveryReport:
    """What one batch did, or a whole run (its batches added up with ``+``)."""

    sent: int
    skipped: int
    retry: int
    failed: int
    released: int
    duration: float  # seconds
    worker_id: str
    claimed: int = 0  # rows leased
    sender_down: bool = False  # the sender refused the session: the run stopped, rows were released
    batches: int = 0  # batches that claimed at least one row
    # the messages handed to the sender: ``sent`` counts rows, and a lead's list carries several rows in
    # one message (notifications.claims.LISTED_FOR_LEAD), so fewer mails are written than rows sent
    mails: int = 0

    def __add__(self, later: DeliveryReport) -> DeliveryReport:
        """This report followed by ``later`` (the next batch of the same run)."""
        return DeliveryReport(
            sent=self.sent + later.sent,
            skipped=self.skipped + later.skipped,
            retry=self.retry + later.retry,
            failed=self.failed + later.failed,
            released=self.released + later.released,
            duration=self.duration + later.duration,
            worker_id=self.worker_id,
            claimed=self.claimed + later.claimed,
            sender_down=self.sender_down or later.sender_down,
            batches=self.batches + later.batches,
            mails=self.mails + later.mails,
        )


NextBatch = Callable[[], Awaitable[DeliveryReport]]


def default_worker_id() -> str:
    """``host:pid:random``, unique per run, short enough for ``claimed_by``."""
    return f"{claims.this_host()}:{os.getpid()}:{secrets.token_hex(3)}"


def default_sender(settings: Settings, *, durable: bool = True) -> Sender:
    """SMTP when a host is configured; otherwise the mail drop (logged once per folder), its files
    synced to disk one by one unless not ``durable`` (see MailDropSender)."""
    if settings.smtp_host:
        return SmtpSender(settings)
    folder = Path(settings.maildrop_dir)
    if folder not in _announced:
        _announced.add(folder)
        log.warning(MAILDROP_NOTICE_VI, folder)
    return MailDropSender(folder, durable=durable)


def classify(exc: BaseException) -> tuple[bool, str]:
    """(permanent?, text for last_error): 5xx and refused recipients are permanent."""
    # shown on the outbox's and the failed mails' pages: a Vietnamese lead-in, the server's own words after it
    if isinstance(exc, aiosmtplib.SMTPRecipientsRefused):
        codes = [r.code for r in exc.recipients]
        text = "; ".join(f"{r.code} {r.message} ({r.recipient})" for r in exc.recipients)
        return any(500 <= c < 600 for c in codes), f"Máy chủ thư từ chối người nhận: {text}"
    if isinstance(exc, aiosmtplib.SMTPResponseException):
        return 500 <= exc.code < 600, f"Máy chủ thư trả lời lỗi: {exc.code} {exc.message}"
    return False, f"Lỗi khi gửi thư: {type(exc).__name__}: {exc}"


class _Run:
    """One run's state: counters and the rows claimed but not yet attempted."""

    def __init__(self, engine: Engine, settings: Settings, sender: Sender, worker_id: str, now: datetime) -> None:
        self.engine, self.settings, self.sender, self.worker_id, self.now = engine, settings, sender, worker_id, now
        self.counts = {"sent": 0, "skipped": 0, "retry": 0, "failed": 0, "released": 0, "mails": 0}
        self.sender_down = False
        self.envelope_from = sender_address(settings)
        self._db: Connection | None = None

    @property
    def db(self) -> Connection:
        """The batch's own connection, in autocommit mode: each outcome commits as it is
        written, and the per-mail read and write cost a round trip each, not a pool checkout.
        Opened by the batch's first read, closed when the batch ends (see batch())."""
        if self._db is None:
            self._db = self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        return self._db

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    def _prepare(self, notification_id: int) -> asyncio.Future[claims.Prepared | None]:
        """Read and re-check one row on the event loop as soon as it is idle: while the previous
        mail waits for the SMTP server's reply. (A worker thread cost more in hand-offs and
        lock contention than the sub-millisecond read it would move off the loop.)"""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[claims.Prepared | None] = loop.create_future()

        def run() -> None:
            if future.cancelled():
                return
            try:
                future.set_result(
                    claims.prepare(
                        self.db, notification_id, worker_id=self.worker_id, now=self.now, settings=self.settings
                    )
                )
            except Exception as exc:  # noqa: BLE001 - handed to the awaiting one()
                future.set_exception(exc)

        loop.call_soon(run)
        return future

    async def one(
        self, notification_id: int, preparing: asyncio.Future[claims.Prepared | None], max_attempts: int
    ) -> bool:
        """Deliver one claimed row; False when the sender is unavailable (stop the run)."""
        kw = {"worker_id": self.worker_id}
        try:
            prepared = await preparing
        except Exception as exc:  # a broken row must not stop the others; a bad address never heals
            log.exception("notification %s cannot be built", notification_id)
            attempts = await asyncio.to_thread(claims.attempts_of, self.engine, notification_id)
            broken = claims.Prepared(notification_id, attempts)
            return await self._failed(broken, exc, max_attempts, permanent=isinstance(exc, ValueError))
        if prepared is None:
            return True  # another worker holds it now
        if prepared.skip is not None:
            claims.mark_skipped(self.db, prepared, **kw)
            self.counts["skipped"] += 1
            return True
        assert prepared.message is not None
        try:
            await self.sender.send(prepared.message, sender=self.envelope_from, recipients=[prepared.recipient])
        except (SenderUnavailable, aiosmtplib.SMTPTimeoutError) as exc:  # the next ones would wait as long
            await self._failed(prepared, exc, max_attempts, permanent=False)
            self.sender_down = True
            return False
        except Exception as exc:  # noqa: BLE001 - classified: SMTP replies, timeouts, OSError
            permanent, _ = classify(exc)
            return await self._failed(prepared, exc, max_attempts, permanent=permanent)
        if not claims.mark_sent(self.db, prepared, now=self.now, **kw):
            log.warning("notification %s was sent after its lease expired; it may go out twice", notification_id)
        if prepared.carried:  # a digest: its held rows were told of
            claims.mark_carried(self.db, prepared.id, prepared.carried)
        self.counts["sent"] += 1 + len(prepared.listed)  # rows, as every count here: a lead's list carries several
        self.counts["mails"] += 1  # and the one message they went in
        return True

    async def _failed(
        self, prepared: claims.Prepared, exc: BaseException, max_attempts: int, *, permanent: bool
    ) -> bool:
        _, text = classify(exc)
        outcome = claims.mark_failed_attempt(
            self.db,
            prepared,
            worker_id=self.worker_id,
            now=self.now,
            error=text,
            permanent=permanent,
            max_attempts=max_attempts,
        )
        log.log(
            logging.ERROR if outcome == "failed" else logging.WARNING,
            "notification %s: %s (%s)",
            prepared.id,
            text,
            outcome,
        )
        self.counts[outcome] += 1 + len(prepared.listed)
        return True

    async def batch(self, ids: list[int], max_attempts: int) -> bool:
        """Deliver claimed rows in order, preparing the next while one is sent. False: stop.

        Rows not attempted (also on cancellation or a crash) are released at once.
        """
        waiting = list(ids)
        ahead: tuple[int, asyncio.Future[claims.Prepared | None]] | None = None
        try:
            while waiting or ahead:
                current = ahead or (waiting[0], self._prepare(waiting.pop(0)))
                ahead = (waiting[0], self._prepare(waiting.pop(0))) if waiting else None
                if not await self.one(current[0], current[1], max_attempts):
                    return False
            return True
        finally:
            if ahead is not None:  # a read only; the row is released below
                made = ahead[1]
                if made.done() and not made.cancelled() and made.exception() is None:
                    ready = made.result()
                    if ready is not None and ready.listed:  # a lead's list: the rows it took, given back too
                        claims.release_listed(self.db, [i for i, _ in ready.listed], worker_id=self.worker_id)
                made.add_done_callback(lambda f: f.cancelled() or f.exception())
                made.cancel()
                waiting.insert(0, ahead[0])
            self.counts["released"] += claims.release(self.engine, waiting, worker_id=self.worker_id)
            self.close()


async def deliver_batches(next_batch: NextBatch, *, batch_size: int) -> DeliveryReport:
    """THE delivery loop, for every runner (the CLI, the embedded scheduler, the Prefect flow).

    Runs ``next_batch`` (claim up to ``batch_size`` due rows, deliver them) again and again and
    stops after the first batch that claims fewer rows than ``batch_size`` (nothing more is due
    at the run's ``now``) or finds the sender down (the rest waits for the next run). A run
    always ends: rows enqueued, retried or released for later are due after its ``now``.
    Returns the batches' reports added up.
    """
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, not {batch_size}")
    total: DeliveryReport | None = None
    while True:
        report = await next_batch()
        total = report if total is None else total + report
        if report.sender_down or report.claimed < batch_size:
            return total


async def _claim_and_deliver(
    engine: Engine,
    *,
    now: datetime,
    settings: Settings,
    sender: Sender,
    open_session: bool,
    batch_size: int,
    worker_id: str,
    max_attempts: int,
) -> DeliveryReport:
    """Claim up to ``batch_size`` due rows for ``worker_id`` and deliver them; with
    ``open_session``, inside a sender session of its own (else the caller holds one open)."""
    started = time.perf_counter()
    run = _Run(engine, settings, sender, worker_id, now)
    ids = await asyncio.to_thread(claims.claim, engine, worker_id=worker_id, now=now, limit=batch_size)
    if ids:
        async with run.sender if open_session else nullcontext():
            await run.batch(ids, max_attempts)
    return _report(run, started, len(ids))


async def deliver_async(
    engine: Engine,
    *,
    now: datetime,
    settings: Settings,
    sender: Sender | None = None,
    batch_size: int = 100,
    worker_id: str | None = None,
    max_attempts: int = 8,
) -> DeliveryReport:
    """Send every due pending row: :func:`deliver_batches` over one sender session."""
    chosen = sender or default_sender(settings)
    batch = partial(
        _claim_and_deliver,
        engine,
        now=now,
        settings=settings,
        sender=chosen,
        open_session=False,
        batch_size=batch_size,
        worker_id=worker_id or default_worker_id(),
        max_attempts=max_attempts,
    )
    async with chosen:
        return await deliver_batches(batch, batch_size=batch_size)


async def deliver_batch(
    engine: Engine,
    *,
    now: datetime,
    settings: Settings,
    sender: Sender | None = None,
    batch_size: int = 100,
    worker_id: str | None = None,
    max_attempts: int = 8,
) -> DeliveryReport:
    """Claim and deliver ONE batch over its own sender session (an orchestrator's task per
    batch, looped by :func:`deliver_batches`).

    ``claimed == 0`` means nothing was due; ``sender_down`` means stop for now.
    """
    return await _claim_and_deliver(
        engine,
        now=now,
        settings=settings,
        sender=sender or default_sender(settings),
        open_session=True,
        batch_size=batch_size,
        worker_id=worker_id or default_worker_id(),
        max_attempts=max_attempts,
    )


def _report(run: _Run, started: float, claimed: int) -> DeliveryReport:
    report = DeliveryReport(
        **run.counts,
        duration=time.perf_counter() - started,
        worker_id=run.worker_id,
        claimed=claimed,
        sender_down=run.sender_down,
        batches=1 if claimed else 0,
    )
    if any(run.counts.values()):
        log.info("delivery %s", report)
    return report


def deliver(
    engine: Engine,
    *,
    now: datetime,
    settings: Settings,
    sender: Sender | None = None,
    batch_size: int = 100,
    worker_id: str | None = None,
    max_attempts: int = 8,
    runner: asyncio.Runner | None = None,
) -> DeliveryReport:
    """Synchronous :func:`deliver_async` (for the CLI and plain scheduler jobs): on ``runner``'s
    event loop if given (a caller that delivers again and again, as the replay does every day,
    keeps one loop and its worker thread instead of starting both each time), else on a new one."""
    run = asyncio.run if runner is None else runner.run
    return run(
        deliver_async(
            engine,
            now=now,
            settings=settings,
            sender=sender,
            batch_size=batch_size,
            worker_id=worker_id,
            max_attempts=max_attempts,
        )
    )
