"""The catalog load's bulk writes: ids back in order, changed rows updated with what derives from
them, rows loaded in the session read again, and a second load that finds nothing to do."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import Table, delete
from sqlmodel import Session, select

from dondoc.engine.clock import FrozenClock
from dondoc.engine.models import Agency, AgencyGroupMember, IndicatorTarget, Plan
from dondoc.engine.services.bulk_insert import insert_ids
from dondoc.engine.services.catalog_rows import upsert_rows
from tests.factories import load_min_catalog
from tests.support.catalogs import MIN_CATALOG, copy_catalog, edit

PLAN: Table = Plan.__table__  # type: ignore[attr-defined]


def _plan(number: str, year: int = 2022) -> dict[str, object]:
    return {"number": number, "kind": "ke_hoach", "issued": date(year, 1, 5), "issuer": "U", "title": "t", "year": year}


def test_insert_ids_are_the_rows_ids_in_order_after_a_gap(session: Session) -> None:
    connection = session.connection()
    first = insert_ids(connection, PLAN, [_plan(f"{n}/KH") for n in range(1, 4)])
    connection.execute(delete(PLAN).where(PLAN.c.id == first[-1]))  # the largest id is free again
    rows = [_plan(f"{n}/KH", 2000 + n) for n in range(10, 15)]
    ids = insert_ids(connection, PLAN, rows)
    read = dict(connection.execute(select(PLAN.c.id, PLAN.c.number).where(PLAN.c.id.in_(ids))).all())
    assert [read[i] for i in ids] == [row["number"] for row in rows]
    assert insert_ids(connection, PLAN, []) == []


def test_upsert_rows_reports_what_changed_and_leaves_other_rows(session: Session) -> None:
    connection = session.connection()
    other = insert_ids(connection, PLAN, [_plan("0/KH")])[0]
    wanted = [((f"{n}/KH",), {k: v for k, v in _plan(f"{n}/KH").items() if k != "number"}) for n in (1, 2)]
    made = upsert_rows(connection, PLAN, ("number",), wanted)
    assert made.created == [("1/KH",), ("2/KH",)] and not made.changed
    wanted[1][1]["title"] = "mới"
    again = upsert_rows(connection, PLAN, ("number",), wanted)
    assert not again.created and again.changed == {("2/KH",): {"title": "t"}}
    assert again.ids == made.ids
    titles = dict(connection.execute(select(PLAN.c.number, PLAN.c.title)).all())
    assert titles == {"0/KH": "t", "1/KH": "t", "2/KH": "mới"} and other not in made.ids.values()


def test_a_changed_directory_is_written_with_its_search_text_and_read_again(
    session: Session, clock: FrozenClock, tmp_path: Path
) -> None:
    load_min_catalog(session, clock.now(), MIN_CATALOG)
    held = session.exec(select(Agency).where(Agency.code == "so-noi-vu")).one()
    members = len(session.exec(select(AgencyGroupMember)).all())
    catalog = copy_catalog(tmp_path)
    edit(catalog, "agencies.yaml", 'name: "Sở Nội vụ", short: "Sở Nội vụ"', 'name: "Sở Nội vụ mới", short: "SNV"')
    edit(catalog, "agencies.yaml", "members: [so-tttt, so-noi-vu, vp-ubnd]", "members: [so-tttt, vp-ubnd]")
    edit(
        catalog,
        "plans/test-plan.yaml",
        "{agencies: [ubnd-ly-son], target: 10}",
        "{agencies: [ubnd-ly-son], target: 15}",
    )

    report = load_min_catalog(session, clock.now(), catalog)

    assert "Cơ quan SNV [so-noi-vu]: đã thay đổi tên, tên viết tắt" in report.changes
    assert "Nhóm Các sở, ban, ngành [so-ban-nganh]: đã thay đổi thành viên" in report.changes
    assert report.updated["agency"] == 1 and report.updated["indicator_target"] == 4
    assert held.name == "Sở Nội vụ mới" and held.short == "SNV"  # the session's object reads the row again
    assert "so noi vu moi" in held.search_text and "snv" in held.search_text
    assert len(session.exec(select(AgencyGroupMember)).all()) == members - 1
    assert sorted(t.target for t in session.exec(select(IndicatorTarget))) == [
        15,
        20,
        30,
        30,
    ]  # so-noi-vu left the group
    again = load_min_catalog(session, clock.now(), catalog)
    assert not again.changed and again.changes == []
