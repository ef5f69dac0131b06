"""One line for every database failure the CLI can meet, naming its cause.

The hint to run ``dondoc db upgrade`` is given only when the cause is a schema behind the code
(a missing table or column, or a revision older than the head); a damaged file, a refused
connection or a lock say so and nothing more.
"""

from __future__ import annotations

from alembic.util import CommandError
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

UPGRADE_HINT = "chạy `dondoc db upgrade`"

# (words in the driver's message, what the operator reads); the first match wins.
_CAUSES: list[tuple[tuple[str, ...], str]] = [
    (("file is not a database", "malformed", "not a database"), "tệp SQLite không phải cơ sở dữ liệu hoặc đã hỏng"),
    (("unable to open database file",), "không mở được tệp SQLite (thư mục không có hoặc không có quyền)"),
    (("database is locked", "database table is locked"), "cơ sở dữ liệu đang bị một tiến trình khác khóa"),
    (("lock timeout", "could not obtain lock", "deadlock detected"), "cơ sở dữ liệu đang bị một tiến trình khác khóa"),
    (
        ("connection refused", "could not connect", "connection failed", "could not translate host name"),
        "không kết nối được máy chủ cơ sở dữ liệu",
    ),
    (("password authentication failed", 'role "', "does not exist"), "máy chủ cơ sở dữ liệu từ chối kết nối"),
    (("read-only", "readonly", "permission denied"), "không có quyền ghi vào cơ sở dữ liệu"),
    (("disk is full", "no space left"), "hết chỗ trên đĩa"),
]
# A schema behind the code: SQLite's words, and PostgreSQL's SQLSTATEs (undefined table / column).
_SCHEMA_WORDS = ("no such table", "no such column", "has no column named")
_SCHEMA_SQLSTATES = {"42P01", "42703"}


def first_line(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def schema_behind(exc: BaseException) -> bool:
    """True if the error says a table or column the code expects is missing."""
    orig = getattr(exc, "orig", None)
    if getattr(orig, "sqlstate", None) in _SCHEMA_SQLSTATES:
        return True
    return any(word in first_line(exc).lower() for word in _SCHEMA_WORDS)


def describe(exc: SQLAlchemyError | CommandError) -> str:
    """The one line the CLI prints for ``exc``."""
    if isinstance(exc, CommandError):
        return f"di chuyển lược đồ (Alembic): {first_line(exc)}"
    detail = first_line(exc)
    if isinstance(exc, DBAPIError) and schema_behind(exc):
        return f"lược đồ cơ sở dữ liệu chưa ở phiên bản mới nhất ({detail}): {UPGRADE_HINT}"
    lowered = detail.lower()
    for words, cause in _CAUSES:
        if any(word in lowered for word in words):
            return f"lỗi cơ sở dữ liệu: {cause} ({detail})"
    return f"lỗi cơ sở dữ liệu: {detail}"
