"""Whole numbers on the command line, read by the forms' rule (engine.numerals) and bounded: Typer
read "1_0" as 10 and "10.0" as 10. A refusal is pydantic's own kind, so that cli.usage_vi says it in
the words a word typed for a number gets, naming the option."""

from __future__ import annotations

from collections.abc import Callable

from pydantic_core import PydanticCustomError

from dondoc.engine.numerals import whole


def whole_number(low: int | None = None, high: int | None = None) -> Callable[[str], int]:
    """A Typer ``parser`` for a whole number from ``low`` to ``high`` (either open when None)."""

    def parse(typed: str) -> int:
        if isinstance(typed, int):  # a default Typer passes through as it is
            return typed
        number = whole(typed)
        if number is None:
            raise PydanticCustomError("int_parsing", "not a whole number")
        if low is not None and number < low:
            raise PydanticCustomError("greater_than_equal", "too small", {"ge": low})
        if high is not None and number > high:
            raise PydanticCustomError("less_than_equal", "too large", {"le": high})
        return number

    return parse
