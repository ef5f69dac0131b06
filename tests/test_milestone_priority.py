"""A milestone's own "nhiệm vụ trọng tâm": 1834/UBND-KGVX item 2 flags its radio bullet ("nhiệm vụ
trọng tâm thuộc diện Ủy ban Quốc gia về chuyển đổi số theo dõi"), not its two one-stop-shop duties;
the flag was the item's, so those were tagged and filtered as priority work too."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import Session

from dondoc.engine.clock import DEFAULT_DAYS, FrozenClock
from dondoc.engine.services.assignment_filter import AssignmentFilter
from dondoc.engine.services.queries import list_assignments, to_view
from dondoc.engine.services.web_queries import filtered_assignments
from dondoc.tasks_catalog.export import catalog_to_dict
from dondoc.tasks_catalog.loader import default_catalog_dir, load_catalog
from tests.factories import load_min_catalog
from tests.support.catalogs import copy_catalog, edit

ITEM = "1834/UBND-KGVX:2"


def test_only_the_flagged_milestone_is_a_priority(session: Session, clock: FrozenClock) -> None:
    load_min_catalog(session, clock.now(), default_catalog_dir())
    now = clock.now()
    views = [v for v in list_assignments(session, now) if v.item_code == ITEM]
    assert {(v.milestone_seq, v.priority) for v in views} == {(1, False), (2, False), (3, True)}
    flagged = filtered_assignments(
        session, now, AssignmentFilter(priority="1").bound(session, DEFAULT_DAYS), limit=5000
    )
    seqs = {to_view(row, now).milestone_seq for row in flagged if to_view(row, now).item_code == ITEM}
    assert seqs == {3}
    # the catalog as data says so too
    exported = catalog_to_dict(load_catalog(default_catalog_dir()))
    item = next(i for p in exported["plans"] for i in p["items"] if i["code"] == ITEM)
    assert [m["priority"] for m in item["milestones"]] == [False, False, True] and item["priority"] is True


def test_a_milestone_flag_equal_to_its_items_changes_nothing(tmp_path: Path) -> None:
    catalog = copy_catalog(tmp_path)
    edit(
        catalog,
        "plans/test-plan.yaml",
        '{label: "Phê duyệt cấp độ", deadline: "trước ngày 30/6/2022"}',
        '{label: "Phê duyệt cấp độ", deadline: "trước ngày 30/6/2022", priority: true}',
    )
    edit(
        catalog,
        "plans/test-plan.yaml",
        '{label: "Triển khai phương án", deadline: "trước ngày 15/11/2022"}',
        '{label: "Triển khai phương án", deadline: "trước ngày 15/11/2022", priority: false}',
    )
    (item,) = [i for p in load_catalog(catalog).plans for i in p.items if i.code == "99/KH-TEST:II.1"]
    assert item.priority is True and [m.priority for m in item.milestones] == [None, False]
