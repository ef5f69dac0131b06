"""A milestone's words may narrow the item's implementers: 117/KH-UBND II.1.đ names "các sở, ban,
ngành, UBND các huyện" for the item, but its first milestone is the provincial one-stop shop's
staff (Bộ phận Một cửa tỉnh) and its second the districts' own. ``implementers`` on a milestone
keeps only those of the item's implementers it concerns; it never adds a body the text does not name.
"""

from __future__ import annotations

from pathlib import Path

from dondoc.tasks_catalog.loader import default_catalog_dir, load_catalog
from dondoc.tasks_catalog.resolved import ResolvedItem
from tests.support.catalogs import copy_catalog, edit
from tests.test_catalog_validate import the_problem

PLAN = "plans/test-plan.yaml"
FIRST = '      - {label: "Phê duyệt cấp độ", deadline: "trước ngày 30/6/2022"}\n'


def _item(directory: Path, code: str) -> ResolvedItem:
    return next(item for plan in load_catalog(directory).plans for item in plan.items if item.code == code)


def _districts(roles: dict[str, str]) -> set[str]:
    return {code for code in roles if code.startswith("ubnd-")}


def test_the_provincial_one_stop_milestone_assigns_no_district_committee() -> None:
    item = _item(default_catalog_dir(), "117/KH-UBND:II.1.đ")
    one_stop_province, one_stop_district, one_stop_commune, essential = (item.roles_on(m) for m in item.milestones)
    assert not _districts(one_stop_province) and "so-noi-vu" in one_stop_province
    assert len(_districts(one_stop_district)) == 13 and "so-noi-vu" not in one_stop_district
    assert _districts(one_stop_commune) == _districts(one_stop_district)
    assert set(essential) == set(item.roles)  # the 25 essential services: every implementer of the item
    assert all(roles.get("so-tttt") == "lead" for roles in (one_stop_province, one_stop_district, essential))


def test_a_milestone_narrows_the_items_implementers(tmp_path: Path) -> None:
    catalog = copy_catalog(tmp_path)
    edit(catalog, PLAN, FIRST, FIRST.replace("}\n", ', implementers: ["@so-ban-nganh"]}\n'))
    item = _item(catalog, "99/KH-TEST:II.1")
    first, second = (item.roles_on(m) for m in item.milestones)
    assert "ubnd-binh-son" not in first and first["so-noi-vu"] == "implementer" and first["so-tttt"] == "lead"
    assert second["ubnd-binh-son"] == "implementer"  # the other milestone keeps the item's


def test_a_milestone_cannot_add_a_body_the_item_does_not_name(tmp_path: Path) -> None:
    catalog = copy_catalog(tmp_path)
    edit(catalog, PLAN, FIRST, FIRST.replace("}\n", ", implementers: [vp-ubnd]}\n"))
    problem = the_problem(catalog, "milestone implementers", "adds nobody")
    assert (problem.file, problem.code) == (PLAN, "99/KH-TEST:II.1") and '"vp-ubnd"' in problem.message
