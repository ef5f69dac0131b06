"""Attachments: an allow-list of types checked by content, a size limit, random stored names.

Files live under the attachments folder as ``ab/<32 hex>``; the original name is only
metadata, so nothing a user sends ever becomes a path.
"""

from __future__ import annotations

import contextlib
import hashlib
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

from sqlmodel import Session

from dondoc.engine.errors import InvalidInput, NotFound
from dondoc.engine.models import Attachment

# extension → (content type, the file's first bytes)
ALLOWED: dict[str, tuple[str, tuple[bytes, ...]]] = {
    "pdf": ("application/pdf", (b"%PDF-",)),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (b"PK\x03\x04",)),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (b"PK\x03\x04",)),
    "pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", (b"PK\x03\x04",)),
    "odt": ("application/vnd.oasis.opendocument.text", (b"PK\x03\x04",)),
    "ods": ("application/vnd.oasis.opendocument.spreadsheet", (b"PK\x03\x04",)),
    "doc": ("application/msword", (b"\xd0\xcf\x11\xe0",)),
    "xls": ("application/vnd.ms-excel", (b"\xd0\xcf\x11\xe0",)),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
}
MAX_FILES = 10
_CHUNK = 64 * 1024


@dataclass
class Stored:
    """A file written to disk, not yet recorded (so it can be removed if the action fails)."""

    path: Path
    original_name: str
    stored_name: str
    content_type: str
    size: int
    sha256: str


def _clean_name(name: str) -> str:
    name = unicodedata.normalize("NFC", Path(name.replace("\\", "/")).name).strip()
    return "".join(ch for ch in name if ch.isprintable())[:200] or "tep-dinh-kem"


def store(folder: Path, name: str, stream: BinaryIO, *, max_bytes: int) -> Stored:
    """Check and write one upload; InvalidInput (with a Vietnamese message) if refused."""
    original = _clean_name(name)
    extension = original.rsplit(".", 1)[-1].lower() if "." in original else ""
    if extension not in ALLOWED:
        allowed = ", ".join(sorted(ALLOWED))
        raise InvalidInput(f'Tệp "{original}" không được chấp nhận: chỉ nhận các loại {allowed}.')
    content_type, magics = ALLOWED[extension]
    stored_name = secrets.token_hex(16)
    path = folder / stored_name[:2] / stored_name
    path.parent.mkdir(parents=True, exist_ok=True)
    digest, size = hashlib.sha256(), 0
    try:
        with path.open("xb") as out:
            head = stream.read(_CHUNK)
            if not head.startswith(magics):
                raise InvalidInput(f'Tệp "{original}" không đúng định dạng {extension.upper()} (nội dung không khớp).')
            chunk = head
            while chunk:
                size += len(chunk)
                if size > max_bytes:
                    raise InvalidInput(
                        f'Tệp "{original}" vượt quá dung lượng cho phép ({max_bytes // (1024 * 1024)} MB).'
                    )
                digest.update(chunk)
                out.write(chunk)
                chunk = stream.read(_CHUNK)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return Stored(path, original, stored_name, content_type, size, digest.hexdigest())


def discard(files: list[Stored]) -> None:
    """Remove files stored for a step that did not happen, and the folder each was put in when it
    is left empty (a refused upload left an empty folder each time)."""
    for file in files:
        file.path.unlink(missing_ok=True)
        with contextlib.suppress(OSError):  # not empty: another attachment lives there
            file.path.parent.rmdir()


def record(
    session: Session, files: list[Stored], *, assignment_id: int, event_id: int | None, actor: str, now: datetime
) -> None:
    """Write the metadata rows of files already stored."""
    for f in files:
        session.add(
            Attachment(
                assignment_id=assignment_id,
                event_id=event_id,
                original_name=f.original_name,
                stored_name=f.stored_name,
                content_type=f.content_type,
                size=f.size,
                sha256=f.sha256,
                uploaded_by=actor,
                uploaded_at=now,
            )
        )
    session.flush()


def locate(session: Session, folder: Path, attachment_id: int) -> tuple[Attachment, Path]:
    """The attachment row and its file; NotFound if either is missing."""
    row = session.get(Attachment, attachment_id)
    if row is None:
        raise NotFound("attachment", attachment_id)
    path = folder / row.stored_name[:2] / row.stored_name
    if not path.is_file():
        raise NotFound("attachment file", attachment_id)
    return row, path
