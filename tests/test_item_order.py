"""A plan's items are listed as its text has them (engine.models.ITEM_ORDER: PlanItem.position, written
by the catalog load), not by code: the codes put "PL.II.10" before "PL.II.2", "II.1.e" before "II.1.đ",
and a target's code is a name ("1834/UBND-KGVX:cap-quang-ho-gia-dinh")."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import insert, text
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from dondoc.engine.clock import LOCAL_TZ, FrozenClock
from dondoc.engine.errors import InvalidInput
from dondoc.engine.migrate import upgrade
from dondoc.engine.models import PLAN_BLOCK, Plan, PlanItem, PlanKind
from dondoc.engine.services.catalog_sync import sync_catalog
from dondoc.engine.services.queries import list_assignments
from dondoc.engine.services.web_queries import assignments_where, plans_with_items
from dondoc.engine.workcalendar import WorkCalendar
from dondoc.tasks_catalog.loader import load_catalog
from dondoc.tasks_catalog.places import text_places
from tests.factories import load_min_catalog
from tests.support.catalogs import MIN_CATALOG, copy_catalog
from tests.support.databases import engine_at
from tests.support.web import WebEnv

OCTOBER = datetime(2022, 10, 14, 9, 0, tzinfo=LOCAL_TZ)


def _text_order() -> dict[str, list[str]]:
    """Each plan's item codes in the order of the line of its text each one's source names ("Mục
    II.2.d, dòng 120"; every shipped item names one), the file's order among items of one line."""
    order = {}
    for plan in load_catalog().plans:
        lines = [int(re.search(r"dòng (\d+)", item.source).group(1)) for item in plan.items]  # type: ignore[union-attr]
        ranked = sorted(range(len(plan.items)), key=lambda k: (lines[k], k))
        order[plan.meta.number] = [plan.items[k].code for k in ranked]
    return order


def _load_shipped(session: Session, now: datetime) -> None:
    sync_catalog(session, load_catalog(), now=now, calendar=WorkCalendar.default())
    session.commit()


def _first_seen(codes: list[str]) -> list[str]:
    return list(dict.fromkeys(codes))


def test_the_shipped_plans_items_are_listed_as_their_texts_have_them(session: Session, clock: FrozenClock) -> None:
    _load_shipped(session, clock.now())
    expected = _text_order()
    # neither the codes nor the catalog's files order them so: the test would pass without otherwise
    filed = {plan.meta.number: [item.code for item in plan.items] for plan in load_catalog().plans}
    assert sorted(expected["61/KH-UBND"]) != expected["61/KH-UBND"] != filed["61/KH-UBND"]
    listed = {plan.number: [item.code for item in items] for plan, items in plans_with_items(session)}
    assert listed == expected  # the plans page
    plan61 = listed["61/KH-UBND"]
    assert plan61.index("61/KH-UBND:PL.II.2") < plan61.index("61/KH-UBND:PL.II.10")
    # section VI (lines 129–173) before the appendix (212–279), as the text; the file lists it after
    assert plan61.index("61/KH-UBND:VI.7.c") < plan61.index("61/KH-UBND:PL.I.1")
    # the quarterly report its line 167 asks for, between VI.7.a (165) and VI.7.b (171), not last
    assert plan61[plan61.index("61/KH-UBND:VI.7.a") + 1] == "61/KH-UBND:VI.bao-cao-quy"
    sections = listed["117/KH-UBND"]
    assert sections.index("117/KH-UBND:II.1.đ") < sections.index("117/KH-UBND:II.1.e")
    # the work: ``dondoc assignments list`` and the desk's list (its plans one after another)
    for rows in (list_assignments(session, OCTOBER), assignments_where(session, OCTOBER)):
        by_plan: dict[str, list[str]] = {}
        for row in rows:
            by_plan.setdefault(row.plan_number, []).append(row.item_code)
        for number, codes in by_plan.items():
            order = expected[number]
            assert _first_seen(codes) == [code for code in order if code in codes], number
            assert [order.index(code) for code in codes] == sorted(order.index(code) for code in codes), number


def test_the_plan_page_lists_the_items_as_the_text_has_them(web: WebEnv) -> None:
    with Session(web.engine) as session:
        _load_shipped(session, web.clock.now())
        plan_id = session.exec(select(Plan.id).where(Plan.number == "61/KH-UBND")).one()
    web.login()
    page = web.client.get(f"/board/plans/{plan_id}")
    assert page.status_code == 200
    # each item's heading: <h2><a href="/board/items/ID">CODE</a> — …
    shown = re.findall(r'<h2><a href="/board/items/\d+">([^<]+)</a>', page.text)
    assert shown == _text_order()["61/KH-UBND"]


def _reordered(catalog: Path) -> None:
    """The small plan's items II.3 and II.1 swapped, as a corrected catalog would have them."""
    plan = catalog / "plans" / "test-plan.yaml"
    head, *items = plan.read_text(encoding="utf-8").split('  - code: "99/KH-TEST:')
    items = [items[2], items[1], items[0]]
    plan.write_text(head + "".join('  - code: "99/KH-TEST:' + item for item in items), encoding="utf-8")


def _codes(session: Session) -> list[str]:
    return [item.code for _, items in plans_with_items(session) for item in items]


def test_a_load_moves_an_item_to_its_new_place_and_says_so(session: Session, tmp_path: Path) -> None:
    catalog = copy_catalog(tmp_path)
    load_min_catalog(session, OCTOBER, catalog)
    assert _codes(session) == ["99/KH-TEST:II.1", "99/KH-TEST:II.2", "99/KH-TEST:II.3"]
    _reordered(catalog)
    report = load_min_catalog(session, OCTOBER, catalog)
    session.commit()
    assert _codes(session) == ["99/KH-TEST:II.3", "99/KH-TEST:II.2", "99/KH-TEST:II.1"]
    # one line for the plan, not a change of each item: nothing of them changed (II.2 kept its place)
    assert report.changes == ["Văn bản 99/KH-TEST: xếp lại 2 nhiệm vụ theo thứ tự trong văn bản (nội dung không đổi)"]
    assert dict(report.updated) == {"plan": 1}
    positions = dict(session.exec(select(PlanItem.code, PlanItem.position)).all())
    block = PLAN_BLOCK  # the one plan's rank: 1
    assert positions == {"99/KH-TEST:II.1": block + 3, "99/KH-TEST:II.2": block + 2, "99/KH-TEST:II.3": block + 1}
    assert load_min_catalog(session, OCTOBER, catalog).changes == []  # loaded again: nothing to say


def test_the_latest_plan_comes_first_and_an_added_item_moves_nobody(session: Session, tmp_path: Path) -> None:
    """The desk's list takes the latest issued plan first (LATEST_FIRST), whatever the order of loading;
    an item added in the middle of a plan gives those after it another number, not another order: no line."""
    catalog = copy_catalog(tmp_path)
    load_min_catalog(session, OCTOBER, catalog)
    plan = (catalog / "plans" / "test-plan.yaml").read_text(encoding="utf-8")
    later = plan.replace("99/KH-TEST", "100/KH-TEST").replace("issued: 2022-03-01", "issued: 2022-04-01")
    (catalog / "plans" / "later.yaml").write_text(later, encoding="utf-8")
    head, *items = plan.split('  - code: "99/KH-TEST:')
    added = items[0].replace("II.1", "II.1a").replace("Phân loại hệ thống", "Việc thêm")
    (catalog / "plans" / "test-plan.yaml").write_text(
        head + "".join('  - code: "99/KH-TEST:' + item for item in [items[0], added, *items[1:]]), encoding="utf-8"
    )
    report = load_min_catalog(session, OCTOBER, catalog)
    session.commit()
    assert [line for line in report.changes if "xếp lại" in line] == []
    rows = assignments_where(session, OCTOBER)
    assert _first_seen([row.plan_number for row in rows]) == ["100/KH-TEST", "99/KH-TEST"]
    assert _first_seen([row.item_code for row in rows if row.plan_number == "99/KH-TEST"]) == [
        "99/KH-TEST:II.1",
        "99/KH-TEST:II.1a",
        "99/KH-TEST:II.2",
        "99/KH-TEST:II.3",
    ]


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def engine_0034(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    with engine_at(request.param, "0034", tmp_path) as engine:
        yield engine


def test_migration_0035_places_existing_items_in_the_order_they_were_loaded(engine_0034: Engine) -> None:
    """The load that made the rows gave them their ids in the catalog's order: each plan's count from 1,
    after its block (engine.models.PLAN_BLOCK: the plan's rank, the latest issued first, × 100 000)."""
    with engine_0034.begin() as connection:
        # 61/KH-UBND loaded first, issued before 04/KH-BCĐ: the latest first
        for plan_id, number, issued in ((1, "61/KH-UBND", date(2021, 4, 20)), (2, "04/KH-BCĐ", date(2022, 2, 18))):
            connection.execute(
                text(
                    "INSERT INTO plan (id, number, kind, issued, issuer, title, year, tracked) "
                    "VALUES (:id, :number, 'ke_hoach', :issued, 'UBND', 'Kế hoạch', 2022, false)"
                ),
                {"id": plan_id, "number": number, "issued": issued},
            )
        # ids in the catalog's order, the plans' items interleaved, codes not in that order
        for item_id, plan_id, code in (
            (1, 1, "61/KH-UBND:PL.II.2"),
            (2, 2, "04/KH-BCĐ:II.1"),
            (3, 1, "61/KH-UBND:PL.II.10"),
            (4, 1, "61/KH-UBND:PL.III.1"),
            (5, 2, "04/KH-BCĐ:II.2"),
        ):
            connection.execute(
                text(
                    "INSERT INTO plan_item (id, plan_id, code, kind, section, title, content, source,"
                    " roles_as_written, priority, done_at_issue) VALUES (:id, :plan_id, :code, 'task', '', '',"
                    " '', '', '{}', false, false)"
                ),
                {"id": item_id, "plan_id": plan_id, "code": code},
            )
    upgrade(engine_0034, "head")
    with Session(engine_0034) as session:
        positions = dict(session.exec(select(PlanItem.code, PlanItem.position)).all())
        assert positions == {
            "04/KH-BCĐ:II.1": 100_001,
            "04/KH-BCĐ:II.2": 100_002,
            "61/KH-UBND:PL.II.2": 200_001,
            "61/KH-UBND:PL.II.10": 200_002,
            "61/KH-UBND:PL.III.1": 200_003,
        }
        listed = {plan.number: [item.code for item in items] for plan, items in plans_with_items(session)}
    assert listed["61/KH-UBND"] == ["61/KH-UBND:PL.II.2", "61/KH-UBND:PL.II.10", "61/KH-UBND:PL.III.1"]


def test_places_are_read_page_then_line_and_the_files_order_kept_when_one_is_missing() -> None:
    """tasks_catalog.places: an import's PDF counts its lines per page; an item that says nowhere
    leaves its plan in the file's order (an import lists items as its text has them)."""
    plan = load_catalog(MIN_CATALOG).plans[0]
    first, second, third = plan.items

    def placed(*sources: str) -> dict[str, int]:
        items = [replace(item, source=source) for item, source in zip(plan.items, sources, strict=True)]
        return {code.rsplit(":", 1)[1]: place for code, place in text_places(replace(plan, items=items)).items()}

    assert placed("trang 2, dòng 1", "trang 1, dòng 30", "trang 1, dòng 4") == {"II.3": 1, "II.2": 2, "II.1": 3}
    assert placed("Mục II.1, dòng 40", "Mục II.2, gạch đầu dòng cuối, dòng 9", "đoạn 9") == {
        "II.2": 1,  # "dòng cuối" is a word: its place is line 9
        "II.3": 2,  # one place, two items: the file's order
        "II.1": 3,
    }
    assert placed("Mục II.1, dòng 40", "Mục II.2", "Mục II.3, dòng 1") == {"II.1": 1, "II.2": 2, "II.3": 3}
    # "gạch đầu dòng 2" is the second bullet, not line 2
    assert placed("Mục 2, gạch đầu dòng 2, dòng 40", "dòng 3", "dòng 39") == {"II.2": 1, "II.3": 2, "II.1": 3}
    assert (first.code, second.code, third.code) == ("99/KH-TEST:II.1", "99/KH-TEST:II.2", "99/KH-TEST:II.3")


def test_too_many_plans_for_the_positions_are_refused_in_one_line(session: Session, tmp_path: Path) -> None:
    """An item's position is its plan's rank × PLAN_BLOCK plus its place: more plans than an INTEGER
    column holds blocks for are refused with why, before any item is written (PostgreSQL would overflow)."""
    session.execute(
        insert(Plan),
        [
            {"number": f"{n}/TB-TEST", "kind": PlanKind.THONG_BAO, "issued": date(2020, 1, 1)}
            | {"issuer": "", "title": "", "year": 2020}
            for n in range(21_473)
        ],
    )
    session.commit()
    refused = r"^không xếp được thứ tự nhiệm vụ: tối đa 99999 nhiệm vụ một văn bản, 21473 văn bản$"
    with pytest.raises(InvalidInput, match=refused):
        load_min_catalog(session, OCTOBER, copy_catalog(tmp_path))
    session.rollback()
    assert session.exec(select(PlanItem.id)).all() == []
