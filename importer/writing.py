"""The draft as YAML in the catalog's shape, each field followed by a comment with its source line
and confidence: ``lead: [so-tttt]  # dòng 25 · chắc chắn``. Comments are ignored by ``catalog
validate``, so a reviewed draft validates as it stands (tasks_catalog/SCHEMA.md, "Imported drafts")."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from dondoc.importer.draft import Draft, _item_dict
from dondoc.importer.model import Trace

_ITEM_TRACE = {
    "title": "title",
    "content": "content",
    "lead": "lead",
    "implementers": "implementers",
    "partners": "partners",
    "deadline": "deadline",
    "priority": "priority",
    "done_at_issue": "done_at_issue",
    "indicators": "indicators",
}

_REPORT_TRACE = {
    "reporters": "reporters",
    "recipient": "recipient",
    "period": "period",
    "dates": "dates",
    "due_day": "dates",
    "deadline": "dates",
    "first_period": "first_period",
}


def _flow(value: Any) -> str:
    text = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=10**9, sort_keys=False)
    return text.strip().removesuffix("...").strip()


def _comment(trace: Trace | None) -> str:
    if trace is None:
        return ""
    parts = [p for p in (trace.ref, trace.confidence, trace.note) if p]
    return "  # " + " · ".join(parts).replace("\n", " ")


def render(draft: Draft) -> str:
    plan = draft.plan_dict()
    out = [
        "# BẢN NHÁP do `dondoc import` tạo — Tổ giúp việc rà soát trước khi công bố.",
        f"# Nguồn: {draft.source_file}. Mỗi trường có chú thích: nơi đọc · độ tin cậy",
        "# (chắc chắn | đoán | không tìm thấy).",
    ]
    if draft.unread:
        out.append("# Chưa đọc được:")
        out += [f"#   - {line}" for line in draft.unread]
    out.append("plan:")
    for key, value in plan["plan"].items():
        out.append(f"  {key}: {_flow(value)}{_comment(draft.header.trace.get(key))}")
    out.append("items:")
    for item in draft.items:
        data = _item_dict(draft.code(item), item)
        first = True
        for key, value in data.items():
            lead = "  - " if first else "    "
            first = False
            trace = item.trace.get(_ITEM_TRACE.get(key, ""))
            if key == "content":
                out.append(f"{lead}content: |{_comment(trace)}")
                out += [f"      {line}" for line in str(value).splitlines() or [""]]
            elif key == "roles_as_written":
                out.append(f"{lead}roles_as_written:" + ("" if value else " {}"))
                out += [f"      {k}: {_flow(v)}" for k, v in value.items()]
            elif key == "milestones":
                out.append(f"{lead}milestones:{_comment(item.trace.get('deadline'))}")
                out += [f"      - {_flow(m)}" for m in value]
            elif key == "indicators" and value:
                out.append(f"{lead}indicators:{_comment(trace)}")
                out += [f"      - {_flow(indicator)}" for indicator in value]
            else:
                out.append(f"{lead}{key}: {_flow(value)}{_comment(trace)}")
    if draft.reports:
        out.append("# Câu về báo cáo chưa lập thành mục reporting: (không rõ kỳ hay ngày) — xem khi rà soát:")
        out += [f"#   - {where}: {sentence}" for where, sentence in draft.reports]
    if not draft.reporting:
        out.append("reporting: []")
        return "\n".join(out) + "\n"
    out.append("reporting:")
    for report, entry in zip(draft.reporting, draft.reporting_entries(), strict=True):
        first = True
        for key, value in entry.items():
            lead = "  - " if first else "    "
            first = False
            trace = report.trace.get(_REPORT_TRACE.get(key, ""))
            if key == "content":
                out.append(f"{lead}content: |")
                out += [f"      {line}" for line in str(value).splitlines() or [""]]
            else:
                out.append(f"{lead}{key}: {_flow(value)}{_comment(trace)}")
    return "\n".join(out) + "\n"


def write_draft(draft: Draft, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(draft), encoding="utf-8")
