"""Senders: where a built message goes. Injected into the delivery, replaced in tests by a
real local SMTP server (not a mock), and by the mail drop when no SMTP host is configured.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from email.utils import getaddresses
from pathlib import Path
from types import TracebackType
from typing import Protocol, Self

import aiosmtplib

from dondoc.engine.settings import Settings
from dondoc.notifications.message import ID_HEADER, OutgoingMessage


class SenderUnavailable(Exception):
    """The sender cannot take mail at all now (connection refused, login failed, …)."""


class Sender(Protocol):
    """An async context manager that sends messages; ``send`` returns the server's reply."""

    async def __aenter__(self) -> Self: ...

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None: ...

    async def send(
        self, message: OutgoingMessage, *, sender: str | None = None, recipients: list[str] | None = None
    ) -> str: ...


class SmtpSender:
    """aiosmtplib over one connection for a whole batch (or one per message: ``reuse=False``)."""

    def __init__(self, settings: Settings, *, reuse: bool = True) -> None:
        if settings.smtp_host is None:
            raise ValueError("SmtpSender needs DONDOC_SMTP_HOST")
        self.settings, self.reuse = settings, reuse
        self._smtp: aiosmtplib.SMTP | None = None

    def _client(self) -> aiosmtplib.SMTP:
        s = self.settings
        return aiosmtplib.SMTP(
            hostname=s.smtp_host,
            port=s.smtp_port,
            timeout=s.smtp_timeout,
            use_tls=s.smtp_security == "tls",
            start_tls=s.smtp_security == "starttls",
            username=s.smtp_username,
            password=s.smtp_password if s.smtp_username else None,
        )

    async def _connected(self) -> aiosmtplib.SMTP:
        if self._smtp is not None and self._smtp.is_connected:
            return self._smtp
        self._drop()
        client = self._client()
        try:
            await client.connect()
        except (aiosmtplib.SMTPException, OSError) as exc:
            client.close()
            where = f"{self.settings.smtp_host}:{self.settings.smtp_port}"
            raise SenderUnavailable(f"Không kết nối được máy chủ thư (SMTP) {where}: {exc}") from exc
        self._smtp = client
        return client

    def _drop(self) -> None:
        if self._smtp is not None:
            self._smtp.close()
            self._smtp = None

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._smtp is not None and self._smtp.is_connected:
            try:
                await self._smtp.quit()
            except (aiosmtplib.SMTPException, OSError):
                pass  # the server went away first; nothing is lost
        self._drop()

    async def send(
        self, message: OutgoingMessage, *, sender: str | None = None, recipients: list[str] | None = None
    ) -> str:
        """Send one message (envelope from its headers unless given); the server's reply.

        Reconnects once if the server dropped the connection.
        Raises aiosmtplib errors (SMTPResponseException with the code, SMTPRecipientsRefused)
        or SenderUnavailable. After any error the connection is dropped, so the next
        message starts a clean session.
        """
        for attempt in (1, 2):
            smtp = await self._connected()
            try:
                errors, reply = await smtp.sendmail(*_envelope(message, sender, recipients), message.as_bytes())
            except aiosmtplib.SMTPServerDisconnected:
                self._drop()
                if attempt == 2:
                    raise
                continue
            except BaseException:
                self._drop()
                raise
            if not self.reuse:
                await self.__aexit__(None, None, None)
            if errors:  # one recipient per mail, so a partial refusal is a refusal
                raise aiosmtplib.SMTPRecipientsRefused(
                    [aiosmtplib.SMTPRecipientRefused(r.code, r.message, to) for to, r in errors.items()]
                )
            return reply
        raise AssertionError("unreachable")


def _envelope(message: OutgoingMessage, sender: str | None, recipients: list[str] | None) -> tuple[str, list[str]]:
    """The envelope: as given, else from the From and To/Cc headers (there is never a Bcc)."""
    if sender is None:
        sender = getaddresses([str(message["From"])])[0][1]
    if recipients is None:
        recipients = [a for _, a in getaddresses(message.get_all("To") + message.get_all("Cc"))]
    return sender, recipients


class MailDropSender:
    """Writes each message to ``<folder>/<notification id>.eml`` atomically (temp file + rename).

    ``durable``: each file is on disk before the send returns (fsync), so a row marked sent has
    its file even after the machine stops. A replay passes False (simulation.replay): its
    database commits without waiting for the disk either, and a replay cut short by a machine
    stop is never used (``simulate --reset`` empties the mail drop with the database).
    """

    def __init__(self, folder: Path, *, durable: bool = True) -> None:
        self.folder = Path(folder)
        self.durable = durable

    async def __aenter__(self) -> Self:
        self.folder.mkdir(parents=True, exist_ok=True)
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        return None

    async def send(
        self, message: OutgoingMessage, *, sender: str | None = None, recipients: list[str] | None = None
    ) -> str:
        """Write the message; the reply names the file."""
        stem = message[ID_HEADER] or hashlib.sha256(str(message["Message-ID"]).encode()).hexdigest()[:16]
        name = f"{stem}.eml"
        fd, temp = tempfile.mkstemp(prefix=".", suffix=".tmp", dir=self.folder)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(message.as_bytes())
                if self.durable:
                    handle.flush()
                    os.fsync(handle.fileno())
            os.replace(temp, self.folder / name)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
        return f"written to {self.folder / name}"
