"""An outbox row becomes a MIME message: headers encoded per RFC 2047, text + HTML.

Built with the standard library's ``email.mime`` classes under the ``compat32`` policy, which
serialise a message about four times faster than ``EmailMessage`` under ``email.policy.SMTP``
(measured: 1.2 ms against 5.2 ms for a reminder), and once: at enqueue time, into the outbox
row, so that delivery only adds the headers of the sending. Non-ASCII in headers (Vietnamese
subjects and names) goes out as UTF-8 encoded words.

The Message-ID is derived from the row, not drawn at random, so a mail re-sent after a
crash (between the SMTP send and the commit that marks it sent) carries the same id and
receiving systems can recognise the duplicate.
"""

from __future__ import annotations

import email.policy
import hashlib
import mimetypes
from datetime import datetime
from email.header import Header
from email.message import Message
from email.mime.application import MIMEApplication
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.parser import BytesHeaderParser
from email.utils import format_datetime, formataddr, parseaddr
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

from dondoc.engine.settings import Settings

DEDUPE_HEADER = "X-Dondoc-Dedupe-Key"
ID_HEADER = "X-Dondoc-Notification-Id"

SMTP_POLICY = email.policy.compat32.clone(linesep="\r\n")  # CRLF on the wire (RFC 5321)


class OutgoingMessage:
    """A message ready for the wire: its bytes (CRLF line ends), and its headers on demand.

    Senders call ``as_bytes()`` and read a header or two (``Message-ID``, the id header);
    nothing is serialised twice.
    """

    def __init__(self, data: bytes, known: dict[str, str] | None = None) -> None:
        self.data = data
        self._known = {name.lower(): value for name, value in (known or {}).items()}
        self._headers: Message | None = None

    def as_bytes(self) -> bytes:
        return self.data

    def _parsed(self) -> Message:
        if self._headers is None:
            self._headers = BytesHeaderParser(policy=email.policy.compat32).parsebytes(self.data)
        return self._headers

    def __getitem__(self, name: str) -> str | None:
        if name.lower() in self._known:  # the headers of the sending, without parsing
            return self._known[name.lower()]
        value = self._parsed()[name]
        return None if value is None else str(value)

    def get_all(self, name: str, failobj: list[str] | None = None) -> list[str]:
        return [str(v) for v in self._parsed().get_all(name, failobj or [])]


def sender_address(settings: Settings) -> str:
    """The bare address of ``settings.mail_from`` (the SMTP envelope sender)."""
    return _bare_address(settings.mail_from)


@lru_cache(maxsize=8)
def _bare_address(mail_from: str) -> str:
    address = parseaddr(mail_from)[1]
    if "@" not in address:
        raise ValueError(f'DONDOC_MAIL_FROM "{mail_from}" has no address')
    return address


class OutboxRow(Protocol):
    """What a message is built from: a Notification, or a row selected with these columns."""

    id: int | None
    dedupe_key: str
    recipient_email: str
    recipient_name: str | None
    subject: str
    body_text: str
    body_html: str | None
    data: dict[str, Any]
    mime: bytes | None


def message_id(notification: OutboxRow, settings: Settings) -> str:
    """``<dondoc.{id}.{sha256(dedupe_key)[:16]}@{domain of mail_from}>``: stable for a row."""
    digest = hashlib.sha256(notification.dedupe_key.encode("utf-8")).hexdigest()[:16]
    domain = sender_address(settings).rpartition("@")[2]
    return f"<dondoc.{notification.id}.{digest}@{domain}>"


def build_message(notification: OutboxRow, *, settings: Settings, now: datetime) -> OutgoingMessage:
    """The email for one outbox row, dated ``now``: the row's stored MIME (see render_mime),
    or the MIME rendered now, after the headers that belong to the sending."""
    known = {"Message-ID": message_id(notification, settings), ID_HEADER: str(notification.id)}
    sending = f"Date: {format_datetime(now)}\r\n" + "".join(f"{name}: {value}\r\n" for name, value in known.items())
    data = sending.encode("ascii") + (notification.mime or render_mime(notification, settings=settings))
    return OutgoingMessage(data, known)


def render_mime(notification: OutboxRow, *, settings: Settings) -> bytes:
    """Everything of the email but the headers of its sending (Date, Message-ID, the row id).

    The outbox stores this at enqueue time (``Notification.mime``), so delivery only prefixes
    three short headers; a row with an attachment renders it at delivery (the file is read then).
    """
    attachment = notification.data.get("attachment")
    # A boundary of the row's own: rendering a row twice gives the same bytes. "=_" never
    # occurs in the base64 the parts are encoded in.
    boundary = "=_dondoc_" + hashlib.sha256(notification.dedupe_key.encode("utf-8")).hexdigest()[:24]
    message = MIMEMultipart("mixed" if attachment else "alternative", boundary, policy=email.policy.compat32)
    message["From"] = _header_address(*parseaddr(settings.mail_from))
    message["To"] = _header_address(notification.recipient_name or "", notification.recipient_email.strip())
    # compat32 takes a Header (encoded words) as a value; typeshed's MIMEMultipart admits str only.
    message["Subject"] = _header_text(notification.subject)  # type: ignore[assignment]
    message[DEDUPE_HEADER] = _header_text(notification.dedupe_key)  # type: ignore[assignment]
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation auto-replies loops
    body = MIMEMultipart("alternative", boundary + "_alt", policy=email.policy.compat32) if attachment else message
    body.attach(MIMEText(notification.body_text, "plain", "utf-8"))  # utf-8 here means base64
    if notification.body_html:
        body.attach(MIMEText(notification.body_html, "html", "utf-8"))
    if attachment:
        message.attach(body)
        message.attach(_attachment(Path(attachment)))
    return message.as_bytes(policy=SMTP_POLICY)


def _header_text(text: str) -> str | Header:
    """ASCII as is; anything else as RFC 2047 encoded words."""
    return text if text.isascii() else Header(text, "utf-8")


def _header_address(name: str, address: str) -> str:
    """``Name <address>``; a non-ASCII name as encoded words (RFC 2047)."""
    return formataddr((name, address), charset="utf-8") if name else address


def _attachment(path: Path) -> MIMEApplication:
    """The file ``data["attachment"]`` names (the periodic report's workbook).

    A missing file raises FileNotFoundError: the delivery worker retries, then fails the row.
    """
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"  # not in every mime.types
    kind = xlsx if path.suffix.lower() == ".xlsx" else mimetypes.guess_type(path.name)[0]
    maintype, _, subtype = (kind or "application/octet-stream").partition("/")
    part = MIMEApplication(path.read_bytes(), _subtype=subtype, policy=email.policy.compat32)
    if maintype != "application":
        part.replace_header("Content-Type", f"{maintype}/{subtype}")
    filename = path.name if path.name.isascii() else ("utf-8", "", path.name)  # RFC 2231
    part.add_header("Content-Disposition", "attachment", filename=filename)
    return part
