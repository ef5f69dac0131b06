"""The one error of the importer: a file it cannot turn into a draft (message in Vietnamese)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

_log = logging.getLogger(__name__)


class ImportRefused(ValueError):
    """The document cannot be imported; ``str(exc)`` is one Vietnamese line saying what and where."""


@contextmanager
def damaged_file(kind: str, name: str) -> Iterator[None]:
    """Reading a ``kind`` file (DOCX, PDF) called ``name``: a damaged file fails anywhere inside its
    library, with errors of many kinds; any of them is this file's fault, and is refused in one line,
    nothing read. Logged whole (INFO, the server's log), so that a fault of the reader's own code shows."""
    try:
        yield
    except ImportRefused:
        raise
    except Exception as exc:
        _log.info("%s refused as a damaged %s file", name, kind, exc_info=True)
        raise ImportRefused(f"Tệp {name} không phải tệp {kind} đọc được (tệp hỏng hoặc sai định dạng).") from exc


@contextmanager
def reader_fault(name: str) -> Iterator[None]:
    """Turning a read document into a draft: a failure of the reader's own code on a structure it does
    not expect is refused in one line, and logged whole (INFO, the server's log, as a damaged file is: the
    command line, which sets no logging, prints the one line only) to be mended."""
    try:
        yield
    except ImportRefused:
        raise
    except Exception as exc:
        _log.info("the importer failed on %s", name, exc_info=True)
        raise ImportRefused(
            f"Chưa đọc được văn bản {name}: bộ đọc gặp lỗi ở cấu trúc của văn bản (đã ghi nhật ký); "
            "nhập tay kế hoạch này hoặc gửi văn bản cho quản trị hệ thống."
        ) from exc
