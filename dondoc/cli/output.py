"""Printing for people (aligned text) and for scripts (``--json``)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Annotated, Any

import typer
from pydantic import BaseModel

from dondoc.cli.numbers import whole_number
from dondoc.engine.db import INT_MAX

# A row's id on the command line: within the databases' INTEGER, refused in one line past it (an
# id past SQLite's range was a traceback of OverflowError).
RowId = Annotated[int, typer.Argument(parser=whole_number(1, INT_MAX), help="số hiệu (id), từ 1 đến 2^31 - 1")]


def emit_json(value: Any) -> None:
    if isinstance(value, BaseModel):
        value = value.model_dump(mode="json")
    elif isinstance(value, list):
        value = [v.model_dump(mode="json") if isinstance(v, BaseModel) else v for v in value]
    typer.echo(json.dumps(value, ensure_ascii=False, indent=2, default=str))


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    cells = [[str(h) for h in headers]] + [["" if c is None else str(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    for index, row in enumerate(cells):
        typer.echo("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
        if index == 0:
            typer.echo("  ".join("-" * width for width in widths))
