"""An outbox row becomes a MIME message: headers encoded per RFC 2047, text + HTML.

The message is the one the standard library's ``email.mime`` classes build under the
``compat32`` policy (about four times cheaper than ``EmailMessage`` under ``email.policy.SMTP``:
1.2 ms against 5.2 ms for a reminder), rendered once: at enqueue time, into the outbox row, so
that delivery only adds the headers of the sending. A mail without attachment — all but the
periodic reports — is assembled from the generator's own pieces rather than by the generator
(the same bytes at a sixth of the cost: see ``_alternative_bytes``). Non-ASCII in headers
(Vietnamese subjects and names) goes out as UTF-8 encoded words.

The Message-ID is derived from the row, not drawn at random, so a mail re-sent after a
crash (between the SMTP send and the commit that marks it sent) carries the same id and
receiving systems can recognise the duplicate.
"""

from __future__ import annotations

import base64
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
from types import SimpleNamespace
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
    if notification.data.get("attachment"):
        return build_mime(notification, settings=settings).as_bytes(policy=SMTP_POLICY)
    return _alternative_bytes(notification, settings=settings)


def build_mime(notification: OutboxRow, *, settings: Settings) -> MIMEMultipart:
    """The message of :func:`render_mime` as ``email.mime`` objects (serialised by the library's
    generator for a row with an attachment; the reference the assembled bytes are tested against)."""
    attachment = notification.data.get("attachment")
    message = MIMEMultipart(
        "mixed" if attachment else "alternative", _boundary(notification), policy=email.policy.compat32
    )
    for name, value in _headers(notification, settings):
        # compat32 takes a Header (encoded words) as a value; typeshed's MIMEMultipart admits str only.
        message[name] = value  # type: ignore[assignment]
    body = (
        MIMEMultipart("alternative", _boundary(notification) + "_alt", policy=email.policy.compat32)
        if attachment
        else message
    )
    body.attach(MIMEText(notification.body_text, "plain", "utf-8"))  # utf-8 here means base64
    if notification.body_html:
        body.attach(MIMEText(notification.body_html, "html", "utf-8"))
    if attachment:
        message.attach(body)
        message.attach(_attachment(Path(attachment)))
    return message


def _boundary(notification: OutboxRow) -> str:
    """A boundary of the row's own: rendering a row twice gives the same bytes. "=_" never
    occurs in the base64 the parts are encoded in."""
    return "=_dondoc_" + hashlib.sha256(notification.dedupe_key.encode("utf-8")).hexdigest()[:24]


def _headers(notification: OutboxRow, settings: Settings) -> list[tuple[str, str | Header]]:
    """The message's own headers, after Content-Type and MIME-Version, in their order."""
    return [
        ("From", _from_value(settings.mail_from)),
        ("To", _header_address(notification.recipient_name or "", notification.recipient_email.strip())),
        ("Subject", _header_text(notification.subject)),
        (DEDUPE_HEADER, _header_text(notification.dedupe_key)),
        ("Auto-Submitted", "auto-generated"),  # RFC 3834: no vacation auto-replies loops
    ]


# The email package's generator costs ~0.35 ms of CPU per mail here (it walks the message tree,
# re-encodes every header it folds and converts line ends through several buffers), and the
# outbox renders the MIME of every mail it stores; assembled, a mail costs ~0.06 ms. A
# multipart/alternative without attachment has a fixed shape, so it is assembled here from the
# same public pieces the generator uses —
# ``policy.fold_binary`` for every header, base64 in 76-character lines as ``email.base64mime``
# writes them — byte for byte what ``build_mime(...).as_bytes(policy=SMTP_POLICY)`` gives (the
# tests hold the two equal, and parse the result back with ``email.message_from_bytes``).
_CRLF = b"\r\n"


def _fold(name: str, value: str | Header) -> bytes:
    return SMTP_POLICY.fold_binary(name, value)  # type: ignore[arg-type]  # compat32 folds a Header too


@lru_cache(maxsize=2)
def _part_head(subtype: str) -> bytes:
    """The headers of a text part (MIMEText with charset utf-8), and the blank line after them."""
    fields = (("Content-Type", f'text/{subtype}; charset="utf-8"'), ("MIME-Version", "1.0"))
    return b"".join(_fold(n, v) for n, v in (*fields, ("Content-Transfer-Encoding", "base64"))) + _CRLF


@lru_cache(maxsize=8)
def _from_value(mail_from: str) -> str:
    """The From header of ``settings.mail_from``: the same for every mail."""
    return _header_address(*parseaddr(mail_from))


@lru_cache(maxsize=512)
def _constant_line(name: str, value: str) -> bytes:
    """A header that recurs from mail to mail (From, To, MIME-Version, Auto-Submitted), folded
    once: the folding of a text value is a function of the name and the value alone."""
    return _fold(name, value)


_BOUNDARY_STANDIN = _boundary(SimpleNamespace(dedupe_key=""))[:-24] + "0" * 24


@lru_cache(maxsize=1)
def _content_type_line() -> bytes:
    """The multipart's Content-Type, folded once around a stand-in boundary of the same length:
    every boundary is ``=_dondoc_`` and 24 hex digits, none of which is a place to fold at."""
    return _fold("Content-Type", f'multipart/alternative; boundary="{_BOUNDARY_STANDIN}"')


def _text_part(subtype: str, text: str) -> bytes:
    return _part_head(subtype) + base64.encodebytes(text.encode("utf-8")).replace(b"\n", _CRLF)


def _alternative_bytes(notification: OutboxRow, *, settings: Settings) -> bytes:
    """:func:`render_mime` of a row without attachment, assembled (see the comment above)."""
    boundary = _boundary(notification)
    (_, own_from), (_, to), (_, subject), (_, key), (_, auto) = _headers(notification, settings)
    head = [
        _content_type_line().replace(_BOUNDARY_STANDIN.encode(), boundary.encode()),
        _constant_line("MIME-Version", "1.0"),
        _constant_line("From", str(own_from)),
        _constant_line("To", str(to)),  # a few dozen recipients get every mail
        _fold("Subject", subject),
        _fold(DEDUPE_HEADER, key),
        _constant_line("Auto-Submitted", str(auto)),
    ]
    parts = [_text_part("plain", notification.body_text)]
    if notification.body_html:
        parts.append(_text_part("html", notification.body_html))
    delimiter = b"--" + boundary.encode()
    body = (_CRLF + delimiter + _CRLF).join(parts)
    return b"".join(head) + _CRLF + delimiter + _CRLF + body + _CRLF + delimiter + b"--" + _CRLF


def _header_text(text: str) -> str | Header:
    """ASCII as is; anything else as RFC 2047 encoded words."""
    return text if text.isascii() else Header(text, "utf-8")


@lru_cache(maxsize=512)  # a function of its arguments alone; a few dozen recipients get every mail
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
