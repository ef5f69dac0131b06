"""An outbox row becomes an ``EmailMessage``: headers encoded per RFC 2047, text + HTML.

The Message-ID is derived from the row, not drawn at random, so a mail re-sent after a
crash (between the SMTP send and the commit that marks it sent) carries the same id and
receiving systems can recognise the duplicate.
"""

from __future__ import annotations

import email.policy
import hashlib
import mimetypes
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import parseaddr
from pathlib import Path
from functools import lru_cache

from engine.models import Notification
from engine.settings import Settings

DEDUPE_HEADER = "X-Dondoc-Dedupe-Key"
ID_HEADER = "X-Dondoc-Notification-Id"


class _SmtpPolicy(email.policy.EmailPolicy):
    """``email.policy.SMTP`` with a fast path for short ASCII headers.

    Such a header folds to ``Name: value`` + CRLF anyway; only the others (encoded words
    for Vietnamese names and subjects, long lines) need the costly standard folding.
    """

    def fold_binary(self, name: str, value: str) -> bytes:
        text = str(value)
        if text.isascii() and "\r" not in text and "\n" not in text and len(name) + len(text) + 2 <= self.max_line_length:
            return f"{name}: {text}{self.linesep}".encode("ascii")
        return super().fold_binary(name, value)


SMTP_POLICY = _SmtpPolicy(linesep="\r\n")


class OutgoingMessage(EmailMessage):
    """An EmailMessage that can be serialised once, ahead of sending, off the event loop.

    After :meth:`freeze` the message must not change; ``as_bytes()`` then returns the
    bytes made by ``freeze`` (SMTP policy, CRLF), so no sender pays for folding twice.
    """

    _frozen: bytes | None = None

    def freeze(self) -> bytes:
        """Serialise now (headers folded per RFC 5322/2047) and keep the bytes."""
        self._frozen = super().as_bytes(policy=SMTP_POLICY)
        return self._frozen

    def as_bytes(self, unixfrom: bool = False, policy: email.policy.Policy | None = None) -> bytes:
        if self._frozen is not None and not unixfrom and policy is None:
            return self._frozen
        return super().as_bytes(unixfrom, policy)


def sender_address(settings: Settings) -> str:
    """The bare address of ``settings.mail_from`` (the SMTP envelope sender)."""
    return _bare_address(settings.mail_from)


@lru_cache(maxsize=8)
def _bare_address(mail_from: str) -> str:
    address = parseaddr(mail_from)[1]
    if "@" not in address:
        raise ValueError(f'DONDOC_MAIL_FROM "{mail_from}" has no address')
    return address


def message_id(notification: Notification, settings: Settings) -> str:
    """``<dondoc.{id}.{sha256(dedupe_key)[:16]}@{domain of mail_from}>``: stable for a row."""
    digest = hashlib.sha256(notification.dedupe_key.encode("utf-8")).hexdigest()[:16]
    domain = sender_address(settings).rpartition("@")[2]
    return f"<dondoc.{notification.id}.{digest}@{domain}>"


def build_message(notification: Notification, *, settings: Settings, now: datetime) -> OutgoingMessage:
    """The email for one outbox row, dated ``now`` (not frozen yet)."""
    message = OutgoingMessage(policy=email.policy.SMTP)
    message["From"] = settings.mail_from
    local, _, domain = notification.recipient_email.strip().rpartition("@")
    message["To"] = Address(display_name=notification.recipient_name or "", username=local, domain=domain)
    message["Subject"] = notification.subject
    message["Date"] = now
    message["Message-ID"] = message_id(notification, settings)
    message[DEDUPE_HEADER] = notification.dedupe_key
    message[ID_HEADER] = str(notification.id)
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation auto-replies loops
    # base64: our lines are long, so the heuristic would pick it anyway, after costly sniffing
    message.set_content(notification.body_text, charset="utf-8", cte="base64")
    if notification.body_html:
        message.add_alternative(notification.body_html, subtype="html", charset="utf-8", cte="base64")
    if notification.data.get("attachment"):
        _attach(message, Path(notification.data["attachment"]))
    return message


def _attach(message: OutgoingMessage, path: Path) -> None:
    """Attach the file ``data["attachment"]`` names (the periodic report's workbook).

    A missing file raises FileNotFoundError: the delivery worker retries, then fails the row.
    """
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"  # not in every mime.types
    kind = xlsx if path.suffix.lower() == ".xlsx" else mimetypes.guess_type(path.name)[0]
    maintype, _, subtype = (kind or "application/octet-stream").partition("/")
    message.add_attachment(path.read_bytes(), maintype=maintype, subtype=subtype, filename=path.name)
