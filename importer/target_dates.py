"""Which milestone a drafted target is judged at, where an item's "- " bullets are obligations of their own
(1834/UBND-KGVX item 2): the catalog's ``milestone:`` of an indicator (tasks_catalog/SCHEMA.md)."""

from __future__ import annotations

import re
from typing import Any

from dondoc.importer.cleaning import free_code
from dondoc.importer.model import GUESSED, Proposal

BOUND = (
    "; mỗi chỉ tiêu gắn với mốc của ý nêu nó (milestone); chỉ tiêu ở ý không ghi thời hạn: cuối năm kế hoạch"
    " (milestone 0)"
)
_FIGURE = re.compile(r"\s*(?:đạt|tối thiểu|trên|ít nhất)?\s*\d{1,3}(?:[.,]\d+)?\s*%\s*", re.I)


def bind_targets(item: Proposal, bullets: list[str]) -> None:
    """Each target of ``item`` bound to the milestone drafted from its own bullet, guessed and said in the
    trace. Unbound, a target is judged at the item's last dated milestone (engine.services.indicators.
    target_dates): 1834/UBND-KGVX item 2's smartphone, fibre and open-data figures were all due with the
    radio bullet's "đến tháng 9/2022". A target whose bullet gives no date: 0, the plan year's end; one
    whose bullet opens several standing duties, each given to its level's bodies ("… đạt 100% (… cấp tỉnh
    từ ngày 01/6/2022; … cấp huyện từ ngày 01/12/2022)"): one target per duty, bound to it and answered by
    those bodies, as the catalog writes it. Nothing is bound where a target's bullet is not found."""
    if not item.milestones or not item.indicators or len(bullets) < 2:
        return
    out: list[dict[str, Any]] = []
    for indicator in item.indicators:
        bullet = next((b for b in bullets if indicator["name"].casefold() in b.casefold()), None)
        if bullet is None:
            return
        own = [seq for seq, m in enumerate(item.milestones, start=1) if m["deadline"] in bullet]
        if len(own) > 1:
            split = _per_duty(indicator, [(seq, item.milestones[seq - 1]) for seq in own], item)
            if split is None:
                return
            out += split
        else:
            out.append({**indicator, "milestone": own[0] if own else 0})
    item.indicators = out
    trace = item.trace.get("indicators")
    item.mark("indicators", trace.ref if trace else item.ref, GUESSED, (trace.note if trace else "") + BOUND)


def _per_duty(indicator: dict[str, Any], duties: list[tuple[int, dict[str, Any]]], item: Proposal) -> list[Any] | None:
    """One target per milestone of ``duties``, each the milestone's words without the figure, given to the
    milestone's own bodies; None unless each milestone narrows the item's bodies (a level of its own)."""
    out = []
    used = {i["code"] for i in item.indicators}
    for n, (seq, milestone) in enumerate(duties):
        bodies = milestone.get("implementers") or milestone.get("partners")
        if not bodies or indicator.get("target") is None:
            return None
        name = re.sub(r"\s+", " ", _FIGURE.sub(" ", milestone["label"], count=1)).strip(" ,.;:")
        code = indicator["code"] if n == 0 else free_code(indicator["code"], used)
        used.add(code)
        by_group = [{"agencies": list(bodies), "target": indicator["target"]}]
        out.append({**indicator, "code": code, "name": name[:200], "milestone": seq, "by_group": by_group})
    return out
