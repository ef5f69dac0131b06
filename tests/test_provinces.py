"""A body of another province (Kon Tum's, until 30/06/2025) is not offered and is refused for a
Quảng Ngãi plan's work, and a Kon Tum plan's work goes to Kon Tum's bodies: the picker and the
naming of an item's bodies, the successor chosen in "Cần phân công lại", the catalog's plans."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import update
from sqlmodel import Session, select

from dondoc.engine.actors import SECRETARIAT
from dondoc.engine.errors import InvalidInput
from dondoc.engine.models import Agency, Assignment, Plan, PlanItem
from dondoc.engine.provinces import province_ends, refusal
from dondoc.engine.services.assignments import Request, act
from dondoc.engine.services.successions import reassign_choices
from dondoc.engine.workflow import Action
from dondoc.tasks_catalog.loader import CatalogInvalid, load_catalog
from tests.factories import assignment_for, load_min_catalog
from tests.support.catalogs import copy_catalog, edit
from tests.support.successions import apply, at, load, succession_catalog, successions_yaml
from tests.support.unnamed import ONLY_UNNAMED, unnamed_catalog
from tests.support.web import WebEnv

KT = "tỉnh Kon Tum"
ENDS = {KT: date(2025, 6, 30)}
COMMITTEE = "Ban Chỉ đạo chuyển đổi số tỉnh Quảng Ngãi"


def test_the_rule_reads_the_plans_province_and_the_day() -> None:
    assert province_ends([(KT, date(2025, 6, 30)), (KT, date(2025, 2, 28)), (None, None)]) == ENDS
    assert province_ends([(KT, date(2025, 6, 30)), (KT, None)]) == {}  # a body still open: it goes on
    day = date(2022, 10, 14)
    assert refusal("Sở Y tế tỉnh Kon Tum", KT, None, day, ENDS, COMMITTEE) == (
        "Sở Y tế tỉnh Kon Tum là cơ quan của tỉnh Kon Tum (đến 30/06/2025), không thuộc phạm vi giao việc "
        "của Ban Chỉ đạo chuyển đổi số tỉnh Quảng Ngãi."
    )
    assert refusal("Sở Y tế tỉnh Kon Tum", KT, KT, day, ENDS, COMMITTEE) is None  # a Kon Tum plan's own body
    assert refusal("Sở Y tế", None, KT, day, ENDS, COMMITTEE) == (
        "Sở Y tế không phải cơ quan của tỉnh Kon Tum (đến 30/06/2025), không được giao việc của kế hoạch "
        "của tỉnh Kon Tum."
    )
    # from 01/07/2025 one province: a Kon Tum plan's work is the committee's bodies'
    assert refusal("Sở Y tế", None, KT, date(2025, 7, 1), ENDS, COMMITTEE) is None
    assert refusal("Sở Y tế", None, None, day, ENDS, COMMITTEE) is None


def _kon_tum(session: Session, code: str, valid_to: date | None = date(2025, 6, 30)) -> None:
    session.execute(update(Agency).where(Agency.code == code).values(province=KT, valid_to=valid_to))
    session.commit()


def test_the_item_page_offers_and_accepts_only_the_plans_province(web: WebEnv, tmp_path: Path) -> None:
    with Session(web.engine) as session:
        load_min_catalog(session, web.clock.now(), unnamed_catalog(tmp_path))
        item_id = session.exec(select(PlanItem.id).where(PlanItem.code == ONLY_UNNAMED)).one()
        _kon_tum(session, "so-noi-vu")
        before = len(session.exec(select(Assignment)).all())
    web.login()
    page = f"/board/items/{item_id}"
    html = web.client.get(page).text
    assert 'option value="vp-ubnd"' in html and 'option value="so-noi-vu"' not in html
    form = {"csrf": web.csrf(page), "agency": ["vp-ubnd", "so-noi-vu"], "role": ["lead", "partner"]}
    response = web.client.post(f"{page}/name", data=form)
    assert response.status_code == 422
    assert "Sở Nội vụ là cơ quan của tỉnh Kon Tum (đến 30/06/2025), không thuộc phạm vi giao việc của" in response.text
    with Session(web.engine) as session:
        assert len(session.exec(select(Assignment)).all()) == before  # nothing written, not even vp-ubnd's
        # a plan of Kon Tum: its own body is offered, the committee's are not
        session.execute(update(Plan).values(province=KT))
        session.commit()
    html = web.client.get(page).text
    assert 'option value="so-noi-vu"' in html and 'option value="vp-ubnd"' not in html
    form = {"csrf": web.csrf(page), "agency": ["so-noi-vu"], "role": ["lead"]}
    assert web.client.post(f"{page}/name", data=form).status_code == 303


def test_a_successor_of_another_province_is_neither_offered_nor_accepted(session: Session, tmp_path: Path) -> None:
    load(session, succession_catalog(tmp_path, successions_yaml("split")), at("2022-03-02"))
    row = assignment_for(session, "99/KH-TEST:II.1", "so-tttt", seq=2)
    apply(session, at("2022-08-01"))
    _kon_tum(session, "so-khcn", None)

    def reassign(agency: str) -> None:
        act(session, row.id or 0, Request(Action.REASSIGN, SECRETARIAT, agency=agency), now=at("2022-12-20"))

    named, existing = reassign_choices(session, row.id or 0, date(2022, 12, 20))
    assert [c[0] for c in named] == ["so-vhttdl"] and "so-khcn" not in [code for code, _ in existing]
    with pytest.raises(InvalidInput, match=r"^Sở Khoa học và Công nghệ là cơ quan của tỉnh Kon Tum, không thuộc"):
        reassign("so-khcn")
    session.rollback()
    session.execute(update(Plan).values(province=KT))  # a Kon Tum plan: the other way round
    session.commit()
    named, existing = reassign_choices(session, row.id or 0, date(2022, 12, 20))
    assert [c[0] for c in named] == ["so-khcn"] and [code for code, _ in existing] == ["so-khcn"]
    with pytest.raises(InvalidInput, match="không phải cơ quan của tỉnh Kon Tum"):
        reassign("so-vhttdl")
    session.rollback()
    reassign("so-khcn")
    session.commit()
    session.refresh(row)
    assert session.get(Agency, row.agency_id).code == "so-khcn"  # type: ignore[union-attr]


def test_a_plan_naming_a_body_of_another_province_is_refused_in_one_line(tmp_path: Path) -> None:
    catalog = copy_catalog(tmp_path)
    agencies = 'email: "so-tttt@dondoc.example"}'
    edit(catalog, "agencies.yaml", agencies, f'email: "so-tttt@dondoc.example", province: "{KT}"}}')
    with pytest.raises(CatalogInvalid) as info:
        load_catalog(catalog)
    found = [p for p in info.value.problems if "so-tttt" in p.message]
    assert [p.code for p in found] == ["99/KH-TEST:II.1", "99/KH-TEST:II.3"]  # one line per item, not per milestone
    said = found[0].vi or ""
    assert said.startswith("Sở Thông tin và Truyền thông là cơ quan của tỉnh Kon Tum")
    # a plan of a province no body belongs to is a slip
    edit(catalog, "plans/test-plan.yaml", "  year: 2022\n", '  year: 2022\n  province: "tỉnh Kontum"\n')
    with pytest.raises(CatalogInvalid) as info:
        load_catalog(catalog)
    assert any('province "tỉnh Kontum" is no agency' in p.message for p in info.value.problems)
