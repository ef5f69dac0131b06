"""A milestone's words may narrow the item's implementers: 117/KH-UBND II.1.đ names "các sở, ban,
ngành, UBND các huyện" for the item, but its first milestone is the provincial one-stop shop's
staff (Bộ phận Một cửa tỉnh) and its second the districts' own. ``implementers`` on a milestone
keeps only those of the item's implementers it concerns (``partners`` likewise); it never adds a body
the text does not name.
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
    assert _districts(one_stop_commune) == _districts(one_stop_district) - {"ubnd-ly-son"}  # no communes since 2020
    assert set(essential) == set(item.roles)  # the 25 essential services: every implementer of the item
    assert all(roles.get("so-tttt") == "lead" for roles in (one_stop_province, one_stop_district, essential))


def test_the_provinces_cloud_plan_is_submitted_by_its_lead_alone() -> None:
    """117/KH-UBND II.4.d: "Trình ban hành Kế hoạch chuyển đổi … trên địa bàn tỉnh" is one plan for
    the province, Sở TT&TT's to submit; the departments and districts were reminded and would
    have been escalated for it. Narrowed to nobody but the lead. The item's second duty, "Triển
    khai theo kế hoạch hàng năm …", is every body's the item names, with no date (it reached nobody)."""
    item = _item(default_catalog_dir(), "117/KH-UBND:II.4.d")
    submission, yearly = item.milestones
    assert item.roles_on(submission) == {"so-tttt": "lead"}
    roles = item.roles_on(yearly)
    assert roles["so-tttt"] == "lead" and roles["so-khcn"] == "implementer" and roles["ubnd-ly-son"] == "implementer"
    assert yearly.deadline.phrase == "Theo kế hoạch hàng năm" and yearly.deadline.due is None
    assert yearly.deadline.phrase.lower() in item.content.lower()  # the document's words


def test_a_milestone_narrows_the_items_implementers(tmp_path: Path) -> None:
    catalog = copy_catalog(tmp_path)
    edit(catalog, PLAN, FIRST, FIRST.replace("}\n", ', implementers: ["@so-ban-nganh"]}\n'))
    item = _item(catalog, "99/KH-TEST:II.1")
    first, second = (item.roles_on(m) for m in item.milestones)
    assert "ubnd-binh-son" not in first and first["so-noi-vu"] == "implementer" and first["so-tttt"] == "lead"
    assert second["ubnd-binh-son"] == "implementer"  # the other milestone keeps the item's


def test_a_milestone_may_name_members_of_the_items_groups(tmp_path: Path) -> None:
    """Lý Sơn has had no communes since 2020: a commune-level milestone lists the districts that have them."""
    catalog = copy_catalog(tmp_path)
    edit(catalog, PLAN, FIRST, FIRST.replace("}\n", ", implementers: [ubnd-binh-son]}\n"))
    item = _item(catalog, "99/KH-TEST:II.1")
    first = item.roles_on(item.milestones[0])
    assert first == {"so-tttt": "lead", "ubnd-binh-son": "implementer"}


def test_a_milestone_cannot_add_a_body_the_item_does_not_name(tmp_path: Path) -> None:
    catalog = copy_catalog(tmp_path)
    edit(catalog, PLAN, FIRST, FIRST.replace("}\n", ", partners: [ubnd-binh-son]}\n"))  # the item has no partners
    problem = the_problem(catalog, "milestone partners", "adds nobody")
    assert (problem.file, problem.code) == (PLAN, "99/KH-TEST:II.1") and '"ubnd-binh-son"' in problem.message


def test_the_communes_radio_concerns_the_districts_not_the_departments() -> None:
    """1834/UBND-KGVX item 2's partners are "các sở, ban ngành, địa phương"; its radio milestone (the
    same work as 117/KH-UBND II.4.c) is the communes': Ban Dân tộc and Sở Tư pháp were escalated to
    the chair on it."""
    item = _item(default_catalog_dir(), "1834/UBND-KGVX:2")
    province, district, radio = (item.roles_on(m) for m in item.milestones)
    assert "ban-dan-toc" in province and not _districts(province)  # the provincial one-stop shop
    assert len(_districts(district)) == 13 and "ban-dan-toc" not in district  # the districts'
    assert {code for code, role in radio.items() if not code.startswith("ubnd-")} == {"so-tttt"}
    assert len(_districts(radio)) == 12 and radio["so-tttt"] == "lead"  # not Lý Sơn: no communes since 2020


def test_no_body_reports_to_itself() -> None:
    """61/KH-UBND: "các sở, ban ngành … báo cáo định kỳ hàng quý gửi về Sở Thông tin và Truyền thông":
    the group holds Sở TT&TT, which was reminded, and escalated, for a report to itself."""
    for plan in load_catalog(default_catalog_dir()).plans:
        for duty in plan.reporting:
            item = next(i for i in plan.items if i.code == duty.code)
            assert all(duty.recipient not in item.roles_on(m) for m in item.milestones), duty.code
    quarterly = _item(default_catalog_dir(), "61/KH-UBND:VI.bao-cao-quy")
    assert "so-noi-vu" in quarterly.roles_on(quarterly.milestones[0])
