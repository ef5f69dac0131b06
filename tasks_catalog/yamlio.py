"""YAML reading that remembers line numbers, so every error can name its line."""

from __future__ import annotations

from collections.abc import Hashable
from pathlib import Path
from typing import Any

import yaml


class LineDict(dict[Hashable, Any]):
    """A mapping that knows the line (1-based) it started on."""

    line: int = 0


# libyaml's parser when PyYAML was built with it (the wheels are): the same documents, lines and
# errors, about ten times faster than the pure-Python one, which was most of `catalog load`'s time
class _LineLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    pass


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineDict:
    mapping = LineDict(loader.construct_mapping(node, deep=True))
    mapping.line = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


class YamlError(ValueError):
    def __init__(self, path: Path, line: int, message: str) -> None:
        super().__init__(f"{path.name}:{line}: {message}")
        self.path, self.line, self.message = path, line, message


def read_yaml(path: Path, content: bytes | None = None) -> Any:
    """Parse one file (or ``content``, the bytes already read from it); a syntax error becomes a
    YamlError with the file and line."""
    try:
        if content is not None:
            return yaml.load(content.decode("utf-8"), Loader=_LineLoader)  # noqa: S506 - SafeLoader subclass
        with path.open(encoding="utf-8") as handle:
            return yaml.load(handle, Loader=_LineLoader)  # noqa: S506 - SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        raise YamlError(path, line, f"malformed YAML: {exc.problem or exc}") from None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow (a control character)
        raise YamlError(path, 0, f"a character YAML does not allow: {exc.reason} ({exc.character!r})") from None
    except UnicodeDecodeError as exc:
        raise YamlError(path, 0, f"not UTF-8: {exc}") from None
    except yaml.YAMLError as exc:  # any other of the parser's refusals: one line, not a traceback
        raise YamlError(path, 0, f"malformed YAML: {exc}") from None


def line_of(data: Any, loc: tuple[int | str, ...]) -> int:
    """The line of the deepest mapping on the path ``loc`` (as pydantic reports it)."""
    line = getattr(data, "line", 0)
    node = data
    for key in loc:
        try:
            node = node[key]
        except (KeyError, IndexError, TypeError):
            break
        line = getattr(node, "line", line)
    return line
