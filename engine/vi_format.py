"""Dates and numbers written the Vietnamese way, for pages, mails, reports and the terminal."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import overload
from zoneinfo import ZoneInfo

from dondoc.engine.clock import DEFAULT_DAYS
from dondoc.engine.errors import InvalidInput

NONE = "—"
_TENTH = Decimal("0.1")
# The years a typed day may fall in: what a person means, and within Python's dates once the day
# is moved by a day or a time zone (0001-01-01 minus a day, or in UTC, does not exist).
FIRST_YEAR, LAST_YEAR = 1900, 9998
# A document number's blank: a slash that opens a number ("/TB-UBND", alone, or after ", " in a
# list of codes), not one between a number and its kind ("117/KH-UBND") nor in a date ("30/6").
_BLANK_NUMBER = re.compile(r"(?<![\w…/])/(?=[^\W\d_])")


def vn_date(value: date | datetime | None, tz: ZoneInfo = DEFAULT_DAYS.tz) -> str:
    """``30/06/2022``; an instant is read in local time; ``—`` for none."""
    if value is None:
        return NONE
    if isinstance(value, datetime):
        value = value.astimezone(tz).date()
    return f"{value.day:02d}/{value.month:02d}/{value.year}"  # strftime("%d/%m/%Y"), at a third of its cost


@overload
def shown_code(code: str) -> str: ...
@overload
def shown_code(code: None) -> None: ...
def shown_code(code: str | None) -> str | None:
    """A plan's number or an item's code as a person reads it: as stored, or, where the document's
    number is blank (the Thông báo kết luận's "Số: /TB-UBND", stamped on the paper and lost to the
    scan), the blank marked as a citation marks it: "…/TB-UBND:II.3.b"; a code starting with a slash
    read as a typing slip. What is stored, linked, searched and typed keeps the code as it is; no
    code (a report's row of no plan) is none."""
    return None if code is None else _BLANK_NUMBER.sub("…/", code)


def plan_reference(number: str, issued_as_written: str | None = None) -> str:
    """How a mail names a plan: its number (:func:`shown_code`), and, when the text's number is
    blank, the date as the text writes it beside it, so that the reader can find the document
    ("…/TB-UBND ngày … tháng 01 năm 2022"); "/TB-UBND" alone named nothing a focal point could
    look up."""
    if not number.startswith("/"):
        return number
    return shown_code(number) + (f" {issued_as_written}" if issued_as_written else "")


def issued_words(issued: date, issued_as_written: str | None = None) -> str:
    """A plan's issue day as a sentence says it after "ngày": ``27/07/2022``, or, when the text gives
    no whole day, its words and the day counted from ("… tháng 01 năm 2022 (không ghi rõ ngày; tính
    từ ngày 19/01/2022)"): 19/01 is the meeting's day, the earliest the plan can bear, not its date."""
    if not issued_as_written:
        return vn_date(issued)
    written = issued_as_written.strip().removeprefix("ngày").strip()
    return f"{written} (không ghi rõ ngày; tính từ ngày {vn_date(issued)})"


def vn_datetime(value: datetime | None, tz: ZoneInfo = DEFAULT_DAYS.tz) -> str:
    """``30/06/2022 08:00`` in local time; ``—`` for none."""
    if value is None:
        return NONE
    local = value.astimezone(tz)
    return f"{local.day:02d}/{local.month:02d}/{local.year} {local.hour:02d}:{local.minute:02d}"  # as vn_date


def vn_percent(rate: float | None) -> str:
    """0.8571 → ``85,7 %`` (decimal comma); ``—`` when there is no rate. A half is rounded up, as
    a reader rounds it by hand and a spreadsheet shows it: 9/16 is ``56,3 %`` (Python's own
    formatting rounds half to even: 56,2 %). The float's binary noise is cut first (1/400 is
    0.25 %, not 0.2499…)."""
    return NONE if rate is None else f"{percent_tenths(rate)} %".replace(".", ",")


def percent_tenths(rate: float) -> Decimal:
    """``rate`` as a percentage in tenths, a half rounded up (:func:`vn_percent`; a CSV's column)."""
    return Decimal(repr(round(rate * 100, 9))).quantize(_TENTH, ROUND_HALF_UP)


def vn_count(n: int) -> str:
    """1626 → ``1.626``, 12345 → ``12.345``, -1626 → ``-1.626``: a count as Vietnamese writes it,
    a dot grouping the thousands (the comma is the decimal mark, :func:`vn_percent`). For what a
    person reads only: an attribute, a CSV or a workbook cell keeps the plain integer."""
    return f"{n:,}".replace(",", ".")


def vn_number(value: float | None) -> str:
    """65.0 → ``65``, 65.5 → ``65,5``, 1000000 → ``1.000.000``, 1234.25 → ``1.234,25``; ``—`` for none.
    A measure as a person reads it: every digit the value has (its shortest decimal form, so 0.1 is
    ``0,1``), no exponent, no trailing zero, the thousands grouped as :func:`vn_count` groups them."""
    if value is None:
        return NONE
    written = format(Decimal(str(value)), "f")  # str: a float's shortest decimal; "f": never "1E+6"
    sign, digits = ("-", written[1:]) if written.startswith("-") else ("", written)
    whole, _, fraction = digits.partition(".")
    fraction = fraction.rstrip("0")
    if not int(whole) and not fraction:
        sign = ""  # -0.0 is 0
    return sign + vn_count(int(whole)) + ("," + fraction if fraction else "")


def parse_day(text: str, label: str) -> date:
    """A day a person typed, ``30/06/2022`` or ``2022-06-30``; otherwise InvalidInput, one
    Vietnamese line naming the field (``label``) and the text."""
    cleaned = text.strip()
    for parse in (date.fromisoformat, lambda t: datetime.strptime(t, "%d/%m/%Y").date()):
        try:
            day = parse(cleaned)
        except ValueError:
            continue
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            raise InvalidInput(f'{label}: "{text}" nằm ngoài khoảng ngày dùng được (năm {FIRST_YEAR}–{LAST_YEAR}).')
        return day
    raise InvalidInput(f'{label}: "{text}" không phải là ngày (dd/mm/yyyy hoặc yyyy-mm-dd).')
