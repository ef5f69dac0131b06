"""Issue 12, classes 2 and 5: the table's columns decide roles; groups have dates.

A body named explicitly keeps the role it is named in over one it only gets through a group; a
group is expanded as of each milestone's date (or the plan's issue date), using its dated members.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlmodel import Session, col, select

from dondoc.engine.clock import FrozenClock
from dondoc.engine.models import Event
from dondoc.engine.models.assignments import role_label
from dondoc.tasks_catalog.loader import CatalogInvalid, load_catalog
from dondoc.tasks_catalog.resolved import Catalog, ResolvedItem
from tests.factories import assignment_for, load_min_catalog
from tests.support.catalogs import copy_catalog, edit
from tests.support.cli import run_cli

PLAN = "plans/test-plan.yaml"
AGENCIES = "agencies.yaml"


@pytest.fixture(scope="module")
def shipped() -> Catalog:
    return load_catalog()


def item(catalog: Catalog, code: str) -> ResolvedItem:
    return next(i for p in catalog.plans for i in p.items if i.code == code)


# -- class 2: the columns decide roles (shipped catalog) ---------------------------------------


def test_a_lead_the_text_heads_only_as_implementer_is_shown_in_the_texts_word(shipped: Catalog) -> None:
    """117/KH-UBND II.1.e, II.3.a, II.3.b name Sở TT&TT under "Cơ quan thực hiện" alone; the mails
    told it "(Chủ trì)". Every lead the text writes no lead heading for keeps the heading it has."""
    found = []
    for plan in shipped.plans:
        for it in plan.items:
            written, leads = it.roles_as_written, "lead" in it.roles.values()
            if leads and written.get("implementers") and not written.get("lead"):
                found.append(it.code)
                assert written.get("lead_heading") == "Cơ quan thực hiện", it.code
                assert role_label("lead", written["lead_heading"]) == "Thực hiện"
    assert found == ["117/KH-UBND:II.1.e", "117/KH-UBND:II.3.a", "117/KH-UBND:II.3.b"]


@pytest.mark.parametrize("code", ["61/KH-UBND:PL.II.5", "61/KH-UBND:PL.II.18", "61/KH-UBND:PL.II.19"])
def test_bodies_in_the_partner_column_are_partners_not_leads_through_the_group(shipped: Catalog, code: str) -> None:
    row = item(shipped, code)
    for milestone in row.milestones:
        roles = row.roles_on(milestone)
        assert roles["so-tttt"] == "partner" and roles["vp-ubnd"] == "partner"
        assert roles["so-noi-vu"] == "lead" and roles["ubnd-binh-son"] == "lead"  # the rest of the lead column


def test_partner_named_in_a_sentence_is_a_partner_and_still_owes_its_own_review(shipped: Catalog) -> None:
    """/TB-UBND II.2.b: every sở reviews its own tasks and funding and sends it to Sở TT&TT, which
    compiles "phối hợp với Sở Tài chính". Sở Tài chính owes both: named as the partner, it had only
    the partner's part, and its own review was never asked for."""
    row = item(shipped, "/TB-UBND:II.2.b")
    review, compile_ = (row.roles_on(m) for m in row.milestones)
    assert review["so-tai-chinh"] == "implementer" and review["so-noi-vu"] == "implementer"
    assert compile_ == {"so-tttt": "lead", "so-tai-chinh": "partner"}  # "phối hợp với Sở Tài chính"
    assert review["so-tttt"] == "lead"
    assert [m.deadline.due for m in row.milestones if m.deadline] == [date(2022, 2, 28)] * 2


def test_an_explicit_lead_stays_lead_when_its_group_is_a_partner(shipped: Catalog) -> None:
    roles = item(shipped, "61/KH-UBND:PL.II.2").roles  # Sở TT&TT chủ trì; phối hợp: các sở, ban ngành
    assert roles["so-tttt"] == "lead" and roles["so-noi-vu"] == "partner"
    roles = item(shipped, "117/KH-UBND:II.2.d").roles  # II.2.d keeps its lead (the replay escalates it)
    assert roles["so-tttt"] == "lead" and roles["vp-ubnd"] == "implementer"


# -- class 2: synthetic catalogs -----------------------------------------------------------------


def test_group_lead_with_named_partner_makes_the_partner_a_partner(tmp_path: Path) -> None:
    directory = copy_catalog(tmp_path)
    edit(
        directory,
        PLAN,
        'lead: [vp-ubnd]\n    deadline: "Theo',
        'lead: ["@so-ban-nganh"]\n    partners: [vp-ubnd]\n    deadline: "Theo',
    )
    roles = item(load_catalog(directory), "99/KH-TEST:II.2").roles
    assert roles == {"so-tttt": "lead", "so-noi-vu": "lead", "vp-ubnd": "partner"}
    assert list(roles) == ["so-tttt", "so-noi-vu", "vp-ubnd"]  # the group's order, as written


def test_an_agency_reached_only_through_groups_keeps_the_first_groups_role(tmp_path: Path) -> None:
    directory = copy_catalog(tmp_path)
    edit(
        directory,
        PLAN,
        'lead: [vp-ubnd]\n    deadline: "Theo',
        'lead: ["@so-ban-nganh"]\n    partners: ["@so-ban-nganh", ubnd-ly-son]\n    deadline: "Theo',
    )
    roles = item(load_catalog(directory), "99/KH-TEST:II.2").roles
    assert roles == {"so-tttt": "lead", "so-noi-vu": "lead", "vp-ubnd": "lead", "ubnd-ly-son": "partner"}


def test_an_agency_named_twice_explicitly_keeps_the_first_role(tmp_path: Path) -> None:
    directory = copy_catalog(tmp_path)
    edit(
        directory,
        PLAN,
        'lead: [vp-ubnd]\n    deadline: "Theo',
        'lead: [vp-ubnd]\n    partners: [vp-ubnd, so-tttt]\n    deadline: "Theo',
    )
    assert item(load_catalog(directory), "99/KH-TEST:II.2").roles == {"vp-ubnd": "lead", "so-tttt": "partner"}


def test_reload_turns_the_wrong_lead_into_a_partner_and_keeps_state(
    session: Session, clock: FrozenClock, tmp_path: Path
) -> None:
    old = copy_catalog(tmp_path / "old")
    # the old reading, forced: vp-ubnd written in the lead column (as the group once made it)
    edit(old, PLAN, 'lead: [vp-ubnd]\n    deadline: "Theo', 'lead: [vp-ubnd, "@so-ban-nganh"]\n    deadline: "Theo')
    load_min_catalog(session, clock.now(), old)
    before = assignment_for(session, "99/KH-TEST:II.2", "vp-ubnd")
    assert before.role == "lead"
    new = copy_catalog(tmp_path / "new")
    edit(
        new,
        PLAN,
        'lead: [vp-ubnd]\n    deadline: "Theo',
        'lead: ["@so-ban-nganh"]\n    partners: [vp-ubnd]\n    deadline: "Theo',
    )
    report = load_min_catalog(session, clock.now(), new)
    after = assignment_for(session, "99/KH-TEST:II.2", "vp-ubnd")
    assert after.id == before.id and after.role == "partner" and after.state == before.state
    changed = session.exec(select(Event).where(Event.assignment_id == after.id).order_by(col(Event.id))).all()
    assert [e.action for e in changed] == ["assign", "catalog_role_changed"]
    assert report.orphaned == []


# -- class 5: groups have dates (shipped catalog) ------------------------------------------------


def test_tay_tra_is_a_district_only_before_its_merger(shipped: Catalog) -> None:
    quarterly = item(shipped, "61/KH-UBND:VI.bao-cao-quy")
    owed = {m.label: "ubnd-tay-tra" in quarterly.roles_on(m) for m in quarterly.milestones}
    assert [label for label, has in owed.items() if has] == ["Quý II/2019", "Quý III/2019", "Quý IV/2019"]
    assert "ubnd-tay-tra" in item(shipped, "61/KH-UBND:PL.II.7").roles  # due 31/12/2019
    assert "ubnd-tay-tra" not in item(shipped, "61/KH-UBND:PL.II.2").roles  # due in 2020 and later
    for plan in shipped.plans:
        if plan.meta.issued.year >= 2020:
            assert all("ubnd-tay-tra" not in i.roles for i in plan.items), plan.meta.number
    assert "ubnd-tay-tra" not in shipped.expanded_groups["ubnd-cap-huyen"]  # the current members


def test_ly_son_has_no_commune_level_targets_from_2020(shipped: Catalog) -> None:
    indicator = next(
        i for i in item(shipped, "117/KH-UBND:II.1.d").indicators if i.entry.code == "xu-ly-van-ban-tren-mang"
    )
    scopes = {(agency, scope) for agency, scope, _, _ in indicator.targets}
    assert ("ubnd-ly-son", "@ubnd-cap-huyen") in scopes and ("ubnd-ly-son", "@ubnd-cap-xa") not in scopes
    assert ("ubnd-binh-son", "@ubnd-cap-xa") in scopes
    # the communes' radio ("ít nhất 50% số xã, phường, thị trấn", 30/09/2022) counts communes only: the
    # districts that have them, as the commune milestones of II.1.b and II.1.đ; the same in 1834 item 2
    radio = item(shipped, "117/KH-UBND:II.4.c")
    assert "ubnd-ly-son" not in radio.roles and radio.roles["ubnd-binh-son"] == "implementer"
    assert radio.roles["dai-ptth"] == "implementer"
    copy = item(shipped, "1834/UBND-KGVX:2")
    assert "ubnd-ly-son" not in copy.roles_on(copy.milestones[2]) and "ubnd-ly-son" in copy.roles_on(copy.milestones[1])
    for code in ("117/KH-UBND:II.1.b", "117/KH-UBND:II.1.đ"):
        commune = item(shipped, code).milestones[2]
        assert "ubnd-ly-son" not in item(shipped, code).roles_on(commune), code


# -- class 5: synthetic catalogs -----------------------------------------------------------------

DATED_DISTRICTS = "members: [ubnd-binh-son, {code: ubnd-ly-son, valid_to: 2022-06-30}]"


def test_a_dated_member_owes_only_the_milestones_within_its_membership(tmp_path: Path) -> None:
    directory = copy_catalog(tmp_path)
    edit(directory, AGENCIES, "members: [ubnd-binh-son, ubnd-ly-son]", DATED_DISTRICTS)
    catalog = load_catalog(directory)
    row = item(catalog, "99/KH-TEST:II.1")
    first, second = (row.roles_on(m) for m in row.milestones)  # due 30/6/2022 and 15/11/2022
    assert "ubnd-ly-son" in first and "ubnd-ly-son" not in second and "ubnd-binh-son" in second
    assert catalog.counts()["99/KH-TEST"]["assignments"] == 5 + 4 + 1 + 3  # II.1 loses Lý Sơn on its second milestone
    assert catalog.expanded_groups["ubnd-cap-huyen"] == ["ubnd-binh-son"]


def test_an_undated_milestone_reads_groups_on_the_plans_issue_date(tmp_path: Path) -> None:
    directory = copy_catalog(tmp_path)
    edit(
        directory,
        AGENCIES,
        "members: [ubnd-binh-son, ubnd-ly-son]",
        DATED_DISTRICTS.replace("2022-06-30", "2022-02-28"),
    )
    edit(
        directory,
        PLAN,
        'lead: [vp-ubnd]\n    deadline: "Theo',
        'lead: [vp-ubnd]\n    partners: ["@ubnd-cap-huyen"]\n    deadline: "Theo',
    )
    assert "ubnd-ly-son" not in item(load_catalog(directory), "99/KH-TEST:II.2").roles  # issued 01/03/2022
    edit(directory, PLAN, "issued: 2022-03-01", "issued: 2022-02-01")
    assert "ubnd-ly-son" in item(load_catalog(directory), "99/KH-TEST:II.2").roles


def test_an_agency_named_outside_its_validity_is_an_error_with_file_and_line(tmp_path: Path) -> None:
    directory = copy_catalog(tmp_path)
    edit(
        directory,
        AGENCIES,
        'email: "ubnd-ly-son@dondoc.example"}',
        'email: "ubnd-ly-son@dondoc.example", valid_to: 2022-02-28}',
    )
    line = edit(directory, PLAN, 'lead: [vp-ubnd]\n    deadline: "Theo', 'lead: [ubnd-ly-son]\n    deadline: "Theo')
    with pytest.raises(CatalogInvalid) as info:
        load_catalog(directory)
    by_item = {p.code: p for p in info.value.problems}
    assert sorted(by_item) == ["99/KH-TEST:II.1", "99/KH-TEST:II.2"]
    # II.1 reaches Lý Sơn through the group (fine: the group follows the agency's validity), but its
    # indicator names Lý Sơn for a target judged at the last milestone, 15/11/2022
    assert "a target (15/11/2022)" in by_item["99/KH-TEST:II.1"].message
    # II.2 waits for a condition: read on the plan's issue date, 01/03/2022
    problem = by_item["99/KH-TEST:II.2"]
    assert problem.file == PLAN and problem.code == "99/KH-TEST:II.2" and 0 < problem.line < line
    assert (
        "ubnd-ly-son" in problem.message
        and "validity" in problem.message
        and "01/03/2022" in problem.message
        and "28/02/2022" in problem.message
    )
    result = run_cli("catalog", "validate", "--dir", str(directory), cwd=tmp_path)
    assert result.returncode == 1 and f"{PLAN}:{problem.line}: 99/KH-TEST:II.2:" in result.stdout + result.stderr


def test_a_membership_outside_the_agencys_validity_is_an_error(tmp_path: Path) -> None:
    directory = copy_catalog(tmp_path)
    edit(
        directory,
        AGENCIES,
        'email: "ubnd-ly-son@dondoc.example"}',
        'email: "ubnd-ly-son@dondoc.example", valid_to: 2022-06-30}',
    )
    line = edit(
        directory,
        AGENCIES,
        "members: [ubnd-binh-son, ubnd-ly-son]",
        "members: [ubnd-binh-son,\n      {code: ubnd-ly-son, valid_to: 2022-12-31}]",
    )
    with pytest.raises(CatalogInvalid) as info:
        load_catalog(directory)
    (problem,) = [p for p in info.value.problems if p.file == AGENCIES]
    assert problem.file == AGENCIES and problem.line == line + 1 and problem.code == "ubnd-cap-huyen"
    assert "ubnd-ly-son" in problem.message and "31/12/2022" in problem.message


def test_a_membership_running_backwards_is_refused(tmp_path: Path) -> None:
    directory = copy_catalog(tmp_path)
    edit(
        directory,
        AGENCIES,
        "members: [ubnd-binh-son, ubnd-ly-son]",
        "members: [ubnd-binh-son, {code: ubnd-ly-son, valid_from: 2022-06-30, valid_to: 2022-01-01}]",
    )
    with pytest.raises(CatalogInvalid) as info:
        load_catalog(directory)
    assert any(p.file == AGENCIES and "valid_from" in p.message for p in info.value.problems)


def test_dated_membership_dates_are_the_ones_used(tmp_path: Path) -> None:
    directory = copy_catalog(tmp_path)
    edit(
        directory,
        AGENCIES,
        "members: [ubnd-binh-son, ubnd-ly-son]",
        "members: [ubnd-binh-son, {code: ubnd-ly-son, valid_from: 2022-07-01}]",
    )
    row = item(load_catalog(directory), "99/KH-TEST:II.1")
    assert ["ubnd-ly-son" in row.roles_on(m) for m in row.milestones] == [False, True]
    assert row.milestones[1].deadline is not None and row.milestones[1].deadline.due == date(2022, 11, 15)
