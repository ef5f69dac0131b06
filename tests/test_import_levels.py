"""A labelled task whose content dates each level of government apart (117/KH-UBND II.1.đ: "100% đối với
công chức Bộ phận Một cửa tỉnh vào tháng 6/2022; … cấp huyện vào tháng 12/2022 và … cấp xã vào tháng
6/2023"): each level's milestone goes to that level's bodies, guessed and said; it had been every
implementer's."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import yaml

from dondoc.importer.draft import build_draft
from dondoc.importer.model import GUESSED
from dondoc.importer.reading import read_document
from dondoc.importer.review import plan_yaml, to_state
from dondoc.tasks_catalog.schema import PlanFile
from tests.support.import_docs import LEVELS


def test_each_level_s_milestone_goes_to_that_level_s_bodies(tmp_path: Path) -> None:
    path = tmp_path / "kh.txt"
    path.write_text(LEVELS, encoding="utf-8")
    document = read_document(path)
    draft = build_draft(document, today=date(2026, 12, 1))
    item = draft.items[0]
    assert item.implementers == ["@so-ban-nganh", "@ubnd-cap-huyen"]
    by_date = {m["deadline"]: m.get("implementers") for m in item.milestones}
    assert by_date == {
        "tháng 6/2022": ["@so-ban-nganh"],
        "tháng 12/2022": ["@ubnd-cap-huyen"],
        "tháng 6/2023": ["@ubnd-cap-xa"],
        "đến ngày 01/7/2022": None,  # names no level: the item's bodies
    }
    trace = item.trace["deadline"]
    assert trace.confidence == GUESSED and "mỗi mốc giao cho cơ quan cấp nó nêu" in trace.note, trace.note
    # the catalog reads the milestones' bodies
    plan = PlanFile.model_validate(yaml.safe_load(plan_yaml(to_state(draft, document))))
    assert [m.implementers for m in plan.items[0].milestones][:3] == [
        ["@so-ban-nganh"],
        ["@ubnd-cap-huyen"],
        ["@ubnd-cap-xa"],
    ]
