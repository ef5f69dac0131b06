"""A real SMTP server for tests and the benchmark: aiosmtpd on 127.0.0.1, in its own thread.

It keeps what it receives and can be told to misbehave for the next N transactions:
answer DATA with a given reply (``421 …``, ``451 …``, ``550 …``), drop the connection in
the middle of DATA (the message is not accepted), or refuse a recipient at RCPT.
"""

from __future__ import annotations

import asyncio
import email.policy
import socket
import threading
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any, cast

from aiosmtpd.controller import Controller

from dondoc.engine.settings import Settings

DROP = "drop"
HELD_REPLY = "421 4.4.2 relay gave up waiting"  # a held DATA command's reply (RecordingHandler.hold_after)


@dataclass(frozen=True)
class Received:
    """One accepted transaction."""

    mail_from: str
    rcpt_tos: list[str]
    raw: bytes

    @property
    def message(self) -> EmailMessage:
        return cast(EmailMessage, BytesParser(policy=email.policy.default).parsebytes(self.raw))


class RecordingHandler:
    """aiosmtpd handler: stores accepted mail, plays the faults it was told to."""

    def __init__(self) -> None:
        self.received: list[Received] = []
        self.transactions = 0  # DATA commands seen, accepted or not
        self._faults: deque[str] = deque()
        self._refused: dict[str, str] = {}
        self._at: dict[int, str] = {}
        self._changed = threading.Condition()
        self._hold_after: int | None = None  # DATA commands past this number wait for release()
        self._released = threading.Event()

    def fail_next(self, count: int, reply: str) -> None:
        """Answer the next ``count`` DATA commands with ``reply`` (e.g. "451 4.3.0 Try later")."""
        with self._changed:
            self._faults.extend([reply] * count)

    def fail_transaction(self, number: int, reply: str) -> None:
        """Answer the ``number``-th DATA command from now on (1-based) with ``reply`` or DROP."""
        with self._changed:
            self._at[self.transactions + number] = reply

    def hold_after(self, count: int) -> None:
        """Accept ``count`` more DATA commands, then keep every reply waiting until :meth:`release`:
        a relay that stops answering in the middle of a run (scripts/deploy_check.py --crash kills
        the run while it waits). A held message is never accepted: :meth:`release` answers it
        HELD_REPLY, whether or not its client is still there."""
        with self._changed:
            self._released.clear()
            self._hold_after = self.transactions + count

    def release(self) -> None:
        """Answer the DATA commands held since :meth:`hold_after` with HELD_REPLY (nothing of them is
        accepted); later ones are served as before."""
        with self._changed:
            self._hold_after = None
        self._released.set()

    def drop_next(self, count: int) -> None:
        """Close the connection during the next ``count`` DATA commands, accepting nothing."""
        self.fail_next(count, DROP)

    def refuse_recipient(self, address: str, reply: str = "550 5.1.1 Recipient address rejected: User unknown") -> None:
        """Refuse ``address`` at RCPT TO from now on."""
        self._refused[address.lower()] = reply

    def accept_recipient(self, address: str) -> None:
        """Accept ``address`` at RCPT TO again (a mailbox mended: emptied, restored)."""
        self._refused.pop(address.lower(), None)

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: list[str]) -> str:
        if address.lower() in self._refused:
            return self._refused[address.lower()]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self._changed:
            self.transactions += 1
            number = self.transactions
            held = self._hold_after is not None and number > self._hold_after
            self._changed.notify_all()  # wait_for_transactions
        if held:  # waited for in a thread of the loop's executor: the server keeps serving
            await asyncio.get_running_loop().run_in_executor(None, self._released.wait)
            return HELD_REPLY
        with self._changed:
            fault = self._at.pop(number, None) or (self._faults.popleft() if self._faults else None)
            if fault is None:
                raw = envelope.original_content or envelope.content
                self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), bytes(raw)))
            self._changed.notify_all()
        if fault == DROP:
            server.transport.close()
            return "421 4.4.2 connection dropped by test"
        return fault or "250 2.0.0 OK: queued"

    def wait_for(self, count: int, timeout: float = 10.0) -> bool:
        """Block until ``count`` messages were accepted, at most ``timeout`` seconds."""
        with self._changed:
            return self._changed.wait_for(lambda: len(self.received) >= count, timeout=timeout)

    def wait_for_transactions(self, count: int, timeout: float = 10.0) -> bool:
        """Block until ``count`` DATA commands were seen (held ones included), at most ``timeout`` seconds."""
        with self._changed:
            return self._changed.wait_for(lambda: self.transactions >= count, timeout=timeout)

    def messages(self) -> list[EmailMessage]:
        with self._changed:
            return [r.message for r in self.received]


@dataclass
class SmtpServer:
    """A running server: where it listens and its handler."""

    host: str
    port: int
    handler: RecordingHandler


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def running_smtp_server() -> Iterator[SmtpServer]:
    """Start aiosmtpd on 127.0.0.1 on a free port; stop it at the end."""
    handler = RecordingHandler()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port, ready_timeout=10, enable_SMTPUTF8=True)
    controller.start()
    try:
        yield SmtpServer("127.0.0.1", port, handler)
    finally:
        controller.stop()


def delivering_to(server: SmtpServer, maildrop: Path) -> Settings:
    """A test's demo settings, its mail delivered to ``server`` (plain SMTP, a short timeout)."""
    return Settings(  # type: ignore[call-arg]
        _env_file=None,
        demo=True,
        base_url="http://dondoc.test",
        maildrop_dir=maildrop,
        smtp_host=server.host,
        smtp_port=server.port,
        smtp_security="none",
        smtp_timeout=5,
    )
