"""Where each item of a plan stands in its text: the order a plan's items are listed in everywhere
(engine.models.ITEM_ORDER; engine.services.catalog_sync writes it on every load).

An item's ``source`` says where the text gives it: "Mục II.2.d, dòng 120" (the line of the seed
file), an import's "dòng 23", "trang 2, dòng 5" or "đoạn 12" (importer.blocks). The catalog's list
is not the text's order everywhere: the periodic reports a plan asks for come after its items
(61/KH-UBND's quarterly report, line 167, after the appendix of lines 212–279), and 61/KH-UBND's
file lists that appendix before section VI. So a plan whose every item says where it stands is
ordered by that (page, then line or paragraph; items at one place in the catalog's order); a plan
with an item that does not say keeps the catalog's order, which is the text's for an import.
"""

from __future__ import annotations

import re

from dondoc.tasks_catalog.resolved import ResolvedPlan

# the first place a source names: "dòng 120", "trang 2, dòng 5", "đoạn 12"; "gạch đầu dòng" is a
# bullet ("gạch đầu dòng cuối, dòng 31", "gạch đầu dòng 2, dòng 40": line 31, line 40)
_WHERE = re.compile(r"(?:trang (\d+), )?(?<!đầu )(?:dòng|đoạn) (\d+)")


def where_in_text(source: str) -> tuple[int, int] | None:
    """(page, line or paragraph) of the first place ``source`` names; page 0 for a text without pages."""
    found = _WHERE.search(source)
    return (int(found.group(1) or 0), int(found.group(2))) if found else None


def text_places(plan: ResolvedPlan) -> dict[str, int]:
    """Each item's place in ``plan``'s text, from 1, by its code."""
    wheres = [where_in_text(item.source) for item in plan.items]
    order = list(range(len(plan.items)))
    if all(where is not None for where in wheres):
        order.sort(key=lambda k: (wheres[k], k))
    return {plan.items[k].code: place for place, k in enumerate(order, start=1)}


def unplaced(plan: ResolvedPlan) -> list[str]:
    """The codes of ``plan``'s items whose source names no place while another item's does: the whole
    plan is then listed in the file's order (:func:`text_places`), most likely for a source written
    otherwise by mistake ("Dòng 23"); ``dondoc catalog validate`` says so."""
    wheres = [where_in_text(item.source) for item in plan.items]
    if all(where is None for where in wheres):
        return []
    return [item.code for item, where in zip(plan.items, wheres, strict=True) if where is None]
