"""What ``dondoc catalog load`` prints of each change is read by the secretariat: Vietnamese lines
naming the item, the milestone, the body and the field as they know them (engine.services.catalog_words)."""

from __future__ import annotations

import json
from pathlib import Path

from dondoc.engine.services.catalog_words import FIELDS_VI, field_words
from tests.support.catalogs import MIN_CATALOG, copy_catalog, edit
from tests.support.cli import dondoc, ok


def test_a_changed_title_and_a_dropped_body_are_said_in_vietnamese(db_url: str, tmp_path: Path) -> None:
    ok(dondoc(db_url, "catalog", "load", "--dir", str(MIN_CATALOG), now="2022-03-02"))
    catalog = copy_catalog(tmp_path)
    plan = "plans/test-plan.yaml"
    edit(catalog, plan, '"Phân loại hệ thống thông tin theo cấp độ"', '"Phân loại hệ thống thông tin"')
    edit(catalog, plan, '"@ubnd-cap-huyen"]', "ubnd-binh-son]")  # II.1 drops UBND Lý Sơn (two milestones)

    printed = ok(dondoc(db_url, "catalog", "load", "--dir", str(catalog), now="2022-03-03")).splitlines()

    assert printed[0].startswith("Đã nạp danh mục: ")
    assert "  Nhiệm vụ 99/KH-TEST:II.1: đã thay đổi tên" in printed
    dropped = [line for line in printed if "UBND Lý Sơn [ubnd-ly-son]" in line]
    assert [line.split(" (", 1)[1] for line in dropped] == [
        f"nhiệm vụ 99/KH-TEST:II.1, mốc {seq}, UBND Lý Sơn [ubnd-ly-son]): "
        "danh mục không còn giao cho cơ quan này; phần việc được giữ nguyên"
        for seq in (1, 2)
    ], printed
    assert all(line.startswith("  Phần việc ") for line in dropped)
    assert not {"changed", "assignment", "item", "catalog"} & {w.strip(":,()") for w in " ".join(printed).split()}


def test_the_json_keeps_its_keys(db_url: str, tmp_path: Path) -> None:
    ok(dondoc(db_url, "catalog", "load", "--dir", str(MIN_CATALOG), now="2022-03-02"))
    catalog = copy_catalog(tmp_path)
    edit(catalog, "plans/test-plan.yaml", '"Ban hành quy chế."', '"Ban hành quy chế bảo đảm an toàn."')
    loaded = json.loads(ok(dondoc(db_url, "catalog", "load", "--dir", str(catalog), "--json", now="2022-03-03")))
    assert set(loaded) == {"created", "updated", "changes", "orphaned"}
    assert loaded["updated"] == {"plan_item": 1} and loaded["orphaned"] == []
    assert loaded["changes"] == ["Nhiệm vụ 99/KH-TEST:II.3: đã thay đổi nội dung"]


def test_the_roles_as_written_are_said_by_the_role_that_changed() -> None:
    old = {"roles_as_written": {"lead": "Sở TT&TT.", "implementers": "Các sở, ban, ngành."}}
    new = {"roles_as_written": {"lead": "Sở Nội vụ.", "implementers": "Các sở, ban, ngành."}}
    assert field_words("plan_item", old, new) == ["cơ quan chủ trì như văn bản ghi"]
    assert field_words("milestone", {"due_date": None, "phrase": "Quý II"}, {}) == [
        "thời hạn",
        "thời hạn như văn bản ghi",
    ]


def test_every_field_the_load_compares_has_its_words() -> None:
    """Each column a load writes from the catalog (all but the keys, ids and what it derives or sets
    once) is named in Vietnamese: a new column would otherwise be printed as its English name."""
    from dondoc.engine.models import Agency, AgencyGroup, Indicator, Milestone, Plan, PlanItem, Succession

    not_compared = {
        "id",
        "code",
        "number",
        "key",
        "item_id",
        "seq",
        "search_text",
        "loaded_at",
        "named_at",
        "named_by",
        "tracked",
        "same_as_id",
        "same_measure_id",
        "position",  # not a change of the item: its plan's line says the items it reordered (reordered)
    }
    for model in (Agency, AgencyGroup, Succession, Plan, PlanItem, Milestone, Indicator):
        table = model.__table__  # type: ignore[attr-defined]
        assert set(table.columns.keys()) - not_compared <= set(FIELDS_VI[table.name]), table.name
