"""Configuration files parsed once per version per process (the escalation policy, the working calendar).

Every call reads the file's bytes and hashes them (SHA-256), so an edited file is parsed again at
once; only bytes already seen are served from memory. What is served is therefore exactly what
parsing those bytes again would give: the key is the file's content, not its name or its time.
A parser must build its result from the bytes it is handed (not by reading the path again), and
the result must not be changed by its users: it is shared by every caller of that version.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Generic, TypeVar

__all__ = ["ParsedFiles"]

T = TypeVar("T")


class ParsedFiles(Generic[T]):
    """``parse(path, content, sha256_hex)`` called once per (resolved path, content)."""

    def __init__(self, parse: Callable[[Path, bytes, str], T]) -> None:
        self._parse = parse
        self._parsed: dict[tuple[Path, str], T] = {}

    def get(self, path: Path) -> T:
        """The parse of the file's current bytes; OSError when it cannot be read, and whatever
        ``parse`` raises on bad content (a failed parse is not remembered)."""
        content = path.read_bytes()
        sha = hashlib.sha256(content).hexdigest()
        key = (path.resolve(), sha)
        parsed = self._parsed.get(key)
        if parsed is None:
            parsed = self._parsed[key] = self._parse(path, content, sha)
        return parsed

    def clear(self) -> None:
        """Forget every parse (tests that count parses)."""
        self._parsed.clear()
