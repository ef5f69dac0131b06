"""What a request may carry, declared once and used by every router.

Ids and page numbers are bounded by the smaller of the two databases' integer columns
(PostgreSQL's INTEGER, 2^31 - 1; SQLite holds 2^63 - 1), so no id reaches a query that the
database cannot hold. Text from a form or a JSON body is bounded in length and refused if it
holds a control character (NUL, which PostgreSQL text cannot hold, and the rest; tab and line
breaks pass) or a lone surrogate (not UTF-8). Path and query strings are checked for the same,
whole, by :mod:`dondoc.web.limits` before any router sees them.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from fastapi import Path, Query, Request
from pydantic import AfterValidator, BeforeValidator, StringConstraints
from pydantic_core import PydanticCustomError

from dondoc.engine.db import INT_MAX
from dondoc.engine.models import State
from dondoc.engine.numerals import whole
from dondoc.engine.status import Category
from dondoc.engine.text_limits import TEXT_MAX, control_problem

TOKEN_MAX = 512  # a signed link token is ~100 characters


def _clean(text: str) -> str:
    problem = control_problem(text)
    if problem:
        raise ValueError(problem)
    return text


# The same refusal, as a pattern the OpenAPI document can declare (no control character but tab, CR, LF).
TEXT_PATTERN = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"
# If-Match: a version as an ETag ("3", W/"3"), at most 9 digits (within INT_MAX).
IF_MATCH_PATTERN = r'^(W/)?"?[0-9]{1,9}"?$'
# A query value: no control character at all.
QUERY_PATTERN = r"^[^\x00-\x1f\x7f]*$"

# Free text (comments, notes) and short values (codes, periods, versions, form tokens).
Text = Annotated[str, StringConstraints(max_length=TEXT_MAX, pattern=TEXT_PATTERN), AfterValidator(_clean)]
Short = Annotated[str, StringConstraints(max_length=200, pattern=TEXT_PATTERN), AfterValidator(_clean)]


def _typed_whole(value: object) -> object:
    """A whole number in a URL read by the one rule of a number typed (engine.numerals.whole), not
    pydantic's lax int, which read "1_0" as 10 and "2.0" as 2; refused as pydantic refuses a word,
    so that the error page says it in the same words, naming the field."""
    if not isinstance(value, str):
        return value
    number = whole(value)
    if number is None:
        raise PydanticCustomError("int_parsing", "not a whole number")
    return number


Id = Annotated[int, BeforeValidator(_typed_whole), Path(ge=1, le=INT_MAX, description="a row id (1 to 2^31 - 1)")]


def row_number(text: str, low: int = 1) -> int | None:
    """``text`` as a whole number by the one rule of a number typed (engine.numerals.whole: ASCII
    digits and a sign: "²" and "٣" are digits to ``str.isdigit``, and a page "²" was a 500), from
    ``low`` to what the database's INTEGER holds, else None: a page, a ticked row's id and the
    version it was shown at (from 0), a row named in a notice. Each caller says where in its words."""
    number = whole(text)
    return number if number is not None and low <= number <= INT_MAX else None


def here(request: Request) -> str:
    """The page as it was asked for, its filter and page kept: what a bulk form sends as ``back``."""
    return str(request.url.path) + ("?" + request.url.query if request.url.query else "")


def back_to(back: str, default: str) -> str:
    """Where a form returns to once done: ``back``, the page it was sent from as that page wrote it
    (its filter and page kept), when it is a page of the board (a path under ``/board``); else
    ``default``. Never an address elsewhere (an open redirect): the bulk form and the queue's
    decisions read it alike."""
    return back if back.startswith("/board") else default


PageNumber = Annotated[int, BeforeValidator(_typed_whole), Query(ge=1, le=INT_MAX, description="page, from 1")]
LinkToken = Annotated[str, Path(min_length=1, max_length=TOKEN_MAX, description="the signed link from an email")]

# What ``?status=`` takes: a state (reported) or a category (dang_thuc_hien_qua_han).
StatusFilter = StrEnum(  # type: ignore[misc]
    "StatusFilter", {value: value for value in [*(s.value for s in State), *(c.value for c in Category)]}
)
