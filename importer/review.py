"""A draft under review: saved as JSON (plan, items with their traces, the source paragraphs) in
the installation's ``drafts/`` folder, edited on /board/import, published as a plan file."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from dondoc.importer.agencies import AgencyDirectory
from dondoc.importer.blocks import Document, Para
from dondoc.importer.draft import UNSET, Draft, _item_dict
from dondoc.importer.errors import ImportRefused
from dondoc.tasks_catalog.local import DRAFTS, slug

ROLES = ("lead", "implementers", "partners")


def to_state(draft: Draft, document: Document) -> dict[str, Any]:
    plan = draft.plan_dict()["plan"]
    plan["issued"] = plan["issued"].isoformat()
    items = []
    for item in draft.items:
        entry = _item_dict(draft.code(item), item)
        entry["trace"] = {name: asdict(trace) for name, trace in item.trace.items()}
        items.append(entry)
    source = []
    for block in document.blocks:
        if isinstance(block, Para):
            source.append([block.ref, block.text])
        else:
            source += [[row.ref, " | ".join(row.cells)] for row in block.rows]
    return {
        "plan": plan,
        "items": items,
        "unread": draft.unread,
        "reports": [list(r) for r in draft.reports],
        "reporting": [
            {**entry, "trace": {name: asdict(t) for name, t in report.trace.items()}}
            for report, entry in zip(draft.reporting, draft.reporting_entries(), strict=True)
        ],
        "source": source,
    }


def draft_path(local_dir: Path, name: str) -> Path:
    return local_dir / DRAFTS / f"{name}.json"


def save(local_dir: Path, state: dict[str, Any], name: str | None = None) -> str:
    name = name or slug(state["plan"]["number"])
    path = draft_path(local_dir, name)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(state, ensure_ascii=False, indent=1), encoding="utf-8")
    return name


def load(local_dir: Path, name: str) -> dict[str, Any] | None:
    if name != slug(name):
        return None  # a name is a slug: nothing a user sends becomes a path
    path = draft_path(local_dir, name)
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def drafts(local_dir: Path) -> list[str]:
    return sorted(p.stem for p in (local_dir / DRAFTS).glob("*.json"))


def _codes(value: str, agencies: AgencyDirectory, where: str) -> list[str]:
    codes = [c.strip() for c in value.replace(";", ",").split(",") if c.strip()]
    known = {a.code for a in agencies.directory.agencies} | {f"@{g.code}" for g in agencies.directory.groups}
    for code in codes:
        if code not in known:
            raise ImportRefused(f"{where}: mã cơ quan «{code}» không có trong danh mục.")
    return codes


def apply_form(state: dict[str, Any], form: dict[str, list[str]], agencies: AgencyDirectory) -> None:
    """Edit ``state`` from the review form: plan fields, each item's fields, drop, merge into the
    item above, split at a line of the content, and a new item. Raises ImportRefused, changing nothing."""

    def one(key: str, default: str = "") -> str:
        return (form.get(key) or [default])[0].strip()

    plan = dict(state["plan"])
    for key in ("number", "issuer", "title"):
        plan[key] = one(f"plan-{key}", plan[key]) or plan[key]
    try:
        issued = date.fromisoformat(one("plan-issued", plan["issued"]))
    except ValueError:
        raise ImportRefused(f"Ngày ban hành «{one('plan-issued')}» không đúng dạng YYYY-MM-DD.") from None
    plan["issued"], plan["year"] = issued.isoformat(), issued.year
    items: list[dict[str, Any]] = []
    count = int(one("count", "0") or 0)
    for i in range(count + 1):  # the last one is the blank row "thêm nhiệm vụ"
        section = one(f"i{i}-section")
        old = state["items"][i] if i < len(state["items"]) else None
        if old is None and not section:
            continue
        if one(f"i{i}-drop"):
            continue
        item = dict(old) if old else {"roles_as_written": {}, "indicators": [], "trace": {}}
        where = f"Mục {section or '?'}"
        if not section:
            raise ImportRefused(f"Nhiệm vụ thứ {i + 1}: thiếu số mục.")
        item["section"] = section
        item["title"] = one(f"i{i}-title") or section
        item["content"] = (form.get(f"i{i}-content") or [""])[0].strip() or item["title"]
        for role in ROLES:
            item[role] = _codes(one(f"i{i}-{role}"), agencies, where)
        item["deadline"] = one(f"i{i}-deadline") or None
        if any(item[role] for role in ROLES):
            item["unnamed"] = [u for u in item.get("unnamed", []) if u["phrase"] != UNSET]
            if item["roles_as_written"].get("lead") == UNSET:
                del item["roles_as_written"]["lead"]
        split = one(f"i{i}-split")
        if one(f"i{i}-merge") and items:
            _merge(items[-1], item)
            continue
        items.append(item)
        if split:
            items.append(_split(item, split))
    sections = [i["section"] for i in items]
    duplicated = sorted({s for s in sections if sections.count(s) > 1})
    if duplicated:
        raise ImportRefused(f"Số mục trùng nhau: {', '.join(duplicated)}.")
    for item in items:
        item["code"] = f"{plan['number']}:{item['section']}"
        item["source"] = item.get("source") or f"Mục {item['section']}"
    for report in state.get("reporting", []):
        report["code"] = f"{plan['number']}:{report['code'].split(':', 1)[-1]}"
    state["plan"], state["items"] = plan, items


def _merge(into: dict[str, Any], item: dict[str, Any]) -> None:
    into["content"] = f"{into['content']}\n{item['content']}"
    for role in ROLES:
        into[role] = into[role] + [c for c in item[role] if c not in into[role]]
    into["indicators"] = into.get("indicators", []) + item.get("indicators", [])
    into["deadline"] = into.get("deadline") or item.get("deadline")


def _split(item: dict[str, Any], marker: str) -> dict[str, Any]:
    """Cut ``item``'s content at its line number ``marker`` (1-based): the rest is a new item."""
    lines = item["content"].splitlines()
    try:
        at = int(marker)
    except ValueError:
        raise ImportRefused(f"Mục {item['section']}: tách tại dòng «{marker}» — cần một số.") from None
    if not 1 < at <= len(lines):
        raise ImportRefused(f"Mục {item['section']}: nội dung có {len(lines)} dòng, không tách tại dòng {at} được.")
    item["content"], rest = "\n".join(lines[: at - 1]), "\n".join(lines[at - 1 :])
    new = {key: value for key, value in item.items() if key not in ("indicators", "trace")}
    new.update(section=f"{item['section']}-tach", title=rest.splitlines()[0][:200], content=rest, indicators=[])
    return new


def plan_yaml(state: dict[str, Any]) -> str:
    """The reviewed plan as the catalog's YAML (traces left out)."""
    plan = dict(state["plan"])
    plan["issued"] = date.fromisoformat(plan["issued"])
    items = [{k: v for k, v in item.items() if k != "trace"} for item in state["items"]]
    reporting = [{k: v for k, v in r.items() if k != "trace"} for r in state.get("reporting", [])]
    header = f"# Nhập bằng dondoc import từ {plan.get('source_file')}, Tổ giúp việc rà soát và công bố.\n"
    body = yaml.safe_dump(
        {"plan": plan, "items": items, "reporting": reporting}, allow_unicode=True, sort_keys=False, width=110
    )
    return header + body
