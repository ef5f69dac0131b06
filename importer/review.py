"""A draft under review: saved as JSON (plan, items with their traces, the source paragraphs) in
the installation's ``drafts/`` folder, edited on /board/import, published as a plan file."""

from __future__ import annotations

import json
import re
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from dondoc.engine.clock import FIRST_YEAR, LAST_YEAR
from dondoc.engine.text_limits import TEXT_MAX, text_problem
from dondoc.importer.agencies import AgencyDirectory
from dondoc.importer.blocks import Document, Para
from dondoc.importer.cleaning import shortened
from dondoc.importer.draft import UNSET, Draft, _item_dict
from dondoc.importer.errors import ImportRefused
from dondoc.importer.fields import set_deadline
from dondoc.importer.header import Header, plan_year
from dondoc.importer.model import Proposal
from dondoc.importer.provinces import plan_scope, refusals
from dondoc.tasks_catalog.local import DRAFTS, slug

CONTENT_MAX = 50_000  # characters of an item's content as the document words it (other fields: TEXT_MAX)
NUMBER_MAX, CODE_MAX = 64, 128  # a plan's number and an item's code, as the database holds them (engine.models.plans)

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

    for key, values in form.items():  # what becomes the catalog's YAML, and then the database's text
        for value in values:
            problem = text_problem(value, CONTENT_MAX if key.endswith("-content") else TEXT_MAX)
            if problem:
                raise ImportRefused(f"Trường «{key}» {problem}.")
    shown = len(state["items"])  # the form was drawn with these items (and the blank row "thêm nhiệm vụ")
    counted = one("count", "0") or "0"
    if not (counted.isascii() and counted.isdigit() and len(counted) <= 9):
        raise ImportRefused(f"Số nhiệm vụ của biểu mẫu «{counted}» không hợp lệ: cần một số từ 0 đến {shown}.")
    if int(counted) != shown:
        # a form drawn for another state of the draft (a tab opened before another split an item): read
        # by its count, it dropped the items past it without a word
        raise ImportRefused(
            f"Biểu mẫu rà soát có {counted} nhiệm vụ, bản nháp hiện có {shown}: bản nháp đã thay đổi sau khi"
            " trang được mở; tải lại trang rồi sửa lại (chưa có gì được lưu)."
        )

    plan = dict(state["plan"])
    for key in ("number", "issuer", "title"):
        plan[key] = one(f"plan-{key}", plan[key]) or plan[key]
    try:
        issued = date.fromisoformat(one("plan-issued", plan["issued"]))
    except ValueError:
        raise ImportRefused(f"Ngày ban hành «{one('plan-issued')}» không đúng dạng YYYY-MM-DD.") from None
    if not FIRST_YEAR <= issued.year <= LAST_YEAR:
        raise ImportRefused(f"Ngày ban hành «{one('plan-issued')}» nằm ngoài khoảng năm {FIRST_YEAR}–{LAST_YEAR}.")
    if len(plan["number"]) > NUMBER_MAX:
        raise ImportRefused(f"Số văn bản dài {len(plan['number'])} ký tự, quá {NUMBER_MAX} ký tự cho phép.")
    # the year the plan is for, by the one rule (importer.header.plan_year): saving the form had set it
    # to the issue year, and "Quý I" of a plan "năm 2023" issued on 28/12/2022 fell before its issue
    if issued.isoformat() != plan["issued"]:
        # a day typed for a text that gave none ("ngày … tháng 01 năm 2022"): the date as written no
        # longer stands beside it as the day counted from (pages would say "không ghi rõ ngày")
        plan.pop("issued_as_written", None)
    plan["issued"], plan["year"] = issued.isoformat(), plan_year(Header(title=plan["title"], issued=issued), issued)
    items: list[dict[str, Any]] = []
    merges: list[tuple[dict[str, Any], str]] = []
    count = int(counted)
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
        deadline = one(f"i{i}-deadline") or None
        if old is None or deadline != old.get("deadline"):
            # the milestones were split from the phrase as drafted: a phrase typed anew is split by the same
            # rule, or stands alone (the milestones, which the catalog reads before the deadline, had
            # kept the old dates and the edit was lost on publish)
            item.pop("milestones", None)
            if deadline:
                probe = Proposal(section=section, title="", content="", ref="")
                set_deadline(probe, deadline, "", plan["year"])
                if probe.milestones:
                    item["milestones"] = probe.milestones
        item["deadline"] = deadline
        if any(item[role] for role in ROLES):
            item["unnamed"] = [u for u in item.get("unnamed", []) if u["phrase"] != UNSET]
            if item["roles_as_written"].get("lead") == UNSET:
                del item["roles_as_written"]["lead"]
        merge = one(f"i{i}-merge")
        if merge == "1":  # "gộp vào nhiệm vụ trên" (the form before a target could be chosen)
            merge = items[-1]["section"] if items else ""
        if merge:
            merges.append((item, merge))
        items.append(item)
        split = one(f"i{i}-split")
        if split:
            items.append(_split(item, split, state.get("source", []), {x["section"] for x in items}))
    for item, target in merges:
        into = next((x for x in items if x["section"] == target and x is not item), None)
        if into is None:
            raise ImportRefused(f"Mục {item['section']}: không có mục «{target}» để gộp vào.")
        _merge(into, item, before=items.index(item) < items.index(into))
        items.remove(item)
    sections = [i["section"] for i in items]
    duplicated = sorted({s for s in sections if sections.count(s) > 1})
    if duplicated:
        raise ImportRefused(f"Số mục trùng nhau: {', '.join(duplicated)}.")
    for item in items:
        item["code"] = f"{plan['number']}:{item['section']}"
        if len(item["code"]) > CODE_MAX:
            raise ImportRefused(f"Mã nhiệm vụ «{item['code']}» dài quá {CODE_MAX} ký tự: rút ngắn số mục.")
        item["source"] = item.get("source") or f"Mục {item['section']}"
    _refuse_other_province(plan, items, agencies)
    for report in state.get("reporting", []):
        report["code"] = f"{plan['number']}:{report['code'].split(':', 1)[-1]}"
    state["plan"], state["items"] = plan, items


def _refuse_other_province(plan: dict[str, Any], items: list[dict[str, Any]], agencies: AgencyDirectory) -> None:
    """ImportRefused, the rule's one line naming the item, for a body the plan's work may not go to
    (importer.provinces; the loader refuses it too, on publish, in a list of problems)."""
    said = refusals(agencies.directory, *plan_scope(plan))
    for item in items:
        for code in dict.fromkeys(c for role in ROLES for c in item[role]):
            why = said.get(code)
            if why is not None:
                via = f" (qua nhóm «{code}»)" if code.startswith("@") else ""
                raise ImportRefused(f"Mục {item['section']}{via}: {why}")


def _join(a: str | None, b: str | None) -> str:
    parts = [p for p in (a, b) if p]
    return "; ".join(dict.fromkeys("; ".join(parts).split("; ")))


def _merge(into: dict[str, Any], item: dict[str, Any], before: bool = False) -> None:
    """``item`` into ``into``: both contents (in the document's order), roles, targets, milestones;
    both source lines kept."""
    first, second = (item, into) if before else (into, item)
    into["content"] = f"{first['content']}\n{second['content']}"
    for role in ROLES:
        into[role] = into[role] + [c for c in item[role] if c not in into[role]]
    into["indicators"] = into.get("indicators", []) + item.get("indicators", [])
    into["milestones"] = into.get("milestones", []) + item.get("milestones", [])
    if not into["milestones"]:
        del into["milestones"]
    into["unnamed"] = into.get("unnamed", []) + [u for u in item.get("unnamed", []) if u not in into.get("unnamed", [])]
    if not into["unnamed"]:
        del into["unnamed"]
    written = dict(into.get("roles_as_written", {}))
    for role, phrase in item.get("roles_as_written", {}).items():
        written[role] = _join(written.get(role), phrase)
    into["roles_as_written"] = written
    into["deadline"] = into.get("deadline") or item.get("deadline")
    into["source"] = _join(
        first.get("source") or f"Mục {first['section']}", second.get("source") or f"Mục {second['section']}"
    )
    notes = _join(into.get("notes"), item.get("notes"))
    into["notes"] = _join(notes, f"Gộp mục {item['section']} khi rà soát.")
    trace = dict(into.get("trace", {}))
    for name, theirs in item.get("trace", {}).items():
        mine = trace.get(name)
        trace[name] = {**mine, "ref": _join(mine["ref"], theirs["ref"])} if mine else theirs
    into["trace"] = trace


_SENTENCE = re.compile(r"(?<=[.;:])\s+(?=\S)")


def sentences(content: str) -> list[str]:
    """The places an item's content can be split at: each sentence of each line, in order."""
    return [s for line in content.splitlines() for s in _SENTENCE.split(line.strip()) if s]


def _split(item: dict[str, Any], marker: str, source: list[list[str]], taken: set[str]) -> dict[str, Any]:
    """Cut ``item``'s content before its sentence number ``marker`` (1-based, as ``sentences``
    lists them): the rest is a new item with the same roles and deadline, and its own source line."""
    parts = sentences(item["content"])
    try:
        at = int(marker)
    except ValueError:
        raise ImportRefused(f"Mục {item['section']}: tách tại câu «{marker}» — cần một số.") from None
    if not 1 < at <= len(parts):
        raise ImportRefused(f"Mục {item['section']}: nội dung có {len(parts)} câu, không tách tại câu {at} được.")
    item["content"], rest = " ".join(parts[: at - 1]), " ".join(parts[at - 1 :])
    moved = [x for x in item.get("indicators", []) if x.get("name", "")[:40] in rest]
    item["indicators"] = [x for x in item.get("indicators", []) if x not in moved]
    n = 2
    while f"{item['section']}-{n}" in taken:
        n += 1
    new = {key: value for key, value in item.items() if key not in ("indicators", "trace", "code")}
    ref = next((r for r, text in source if parts[at - 1][:60] in text), None)
    new.update(section=f"{item['section']}-{n}", title=shortened(parts[at - 1]), content=rest, indicators=moved)
    new["source"] = f"Mục {new['section']}, {ref}" if ref else item.get("source", f"Mục {item['section']}")
    trace = {k: v for k, v in item.get("trace", {}).items() if k not in ("title", "content")}
    if ref:
        trace["content"] = {"ref": ref, "confidence": "chắc chắn", "note": f"tách từ mục {item['section']}"}
    new["trace"] = trace
    item["notes"] = _join(item.get("notes"), f"Tách phần sau thành mục {new['section']} khi rà soát.")
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
