"""engine.parsed_files: a file is parsed once per version, and an edit is seen at the next read."""

from __future__ import annotations

from pathlib import Path

import pytest

from dondoc.engine.parsed_files import ParsedFiles


def test_each_version_is_parsed_once_and_an_edit_at_once(tmp_path: Path) -> None:
    parses: list[bytes] = []

    def parse(path: Path, content: bytes, sha: str) -> str:
        parses.append(content)
        return content.decode().upper()

    files = ParsedFiles(parse)
    path = tmp_path / "a.yaml"
    path.write_text("one", encoding="utf-8")
    assert files.get(path) == "ONE" and files.get(path) == "ONE"
    assert parses == [b"one"]
    path.write_text("two", encoding="utf-8")  # same name, same size class: the content decides
    assert files.get(path) == "TWO"
    path.write_text("one", encoding="utf-8")  # back to a version already seen: no new parse
    assert files.get(path) == "ONE"
    assert parses == [b"one", b"two"]
    files.clear()
    assert files.get(path) == "ONE" and len(parses) == 3


def test_a_failed_parse_is_not_remembered_and_a_missing_file_raises(tmp_path: Path) -> None:
    calls = 0

    def parse(path: Path, content: bytes, sha: str) -> bytes:
        nonlocal calls
        calls += 1
        if content == b"bad":
            raise ValueError("bad")
        return content

    files = ParsedFiles(parse)
    path = tmp_path / "a.yaml"
    path.write_bytes(b"bad")
    for _ in range(2):
        with pytest.raises(ValueError):
            files.get(path)
    assert calls == 2
    with pytest.raises(OSError):
        files.get(tmp_path / "missing.yaml")
