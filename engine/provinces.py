"""Whose work a body may be given: the one rule of provinces.

A body belongs to a province (``agency.province``, catalog ``province:``; unset: the committee's
own), and so does a plan (``plan.province``; unset: the committee's). A body may be given a plan's
work only if it is of the plan's province: until 30/06/2025 Sở Y tế tỉnh Kon Tum was a body of
another province, which Quảng Ngãi's committee could not give work to, nor Kon Tum's plans to
Quảng Ngãi's bodies.

A province ends when its last body does (every body of it has a ``valid_to``: the province joined
the committee's; Kon Tum's, on 30/06/2025): from the next day its plans are the committee's
province's, and its open work passes to the committee's bodies (successions.yaml).

Pure: the surfaces that offer or accept a body (the item page's picker and engine.services.naming,
the queue "Cần phân công lại" and engine.services.successions.take_over, the catalog's loader)
read the facts and ask :func:`refusal`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date


def province_ends(bodies: Iterable[tuple[str | None, date | None]]) -> dict[str, date]:
    """Of (province, valid_to) per body, each province whose bodies have all ended, with the last day
    of its last body; the committee's (None) and a province with a body still open are not there."""
    last: dict[str, date | None] = {}
    for province, valid_to in bodies:
        if province is None:
            continue
        held = last.get(province, date.min)
        last[province] = None if held is None or valid_to is None else max(held, valid_to)
    return {province: day for province, day in last.items() if day is not None}


def working_province(province: str | None, day: date, ends: Mapping[str, date]) -> str | None:
    """The province ``province`` is on ``day``: itself while it lasts, the committee's (None) after."""
    if province is None or province not in ends or ends[province] >= day:
        return province
    return None


def refusal(
    body: str,
    its: str | None,
    plan: str | None,
    day: date,
    ends: Mapping[str, date],
    committee: str,
) -> str | None:
    """Why the body named ``body``, of province ``its``, may not be given work of a plan of province
    ``plan`` on ``day`` (one Vietnamese sentence); None when it may. ``committee``: the name of the
    committee whose province is the default (None)."""
    own, wanted = working_province(its, day, ends), working_province(plan, day, ends)
    if own == wanted:
        return None
    if own is not None:
        until = f" (đến {ends[own]:%d/%m/%Y})" if own in ends else ""
        scope = committee if wanted is None else f"kế hoạch của {wanted}"
        return f"{body} là cơ quan của {own}{until}, không thuộc phạm vi giao việc của {scope}."
    assert wanted is not None  # own is None and differs
    until = f" (đến {ends[wanted]:%d/%m/%Y})" if wanted in ends else ""
    return f"{body} không phải cơ quan của {wanted}{until}, không được giao việc của kế hoạch của {wanted}."
