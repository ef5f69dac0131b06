"""Checks a reader of the five documents would make, against the shipped catalog."""

from __future__ import annotations

import re
from datetime import date

import pytest

from dondoc.engine.deadlines import DeadlineKind
from dondoc.tasks_catalog.loader import load_catalog
from dondoc.tasks_catalog.resolved import Catalog, ResolvedItem, ResolvedPlan

DISTRICTS_2022 = {
    "ubnd-tp-quang-ngai",
    "ubnd-tx-duc-pho",
    "ubnd-binh-son",
    "ubnd-son-tinh",
    "ubnd-tu-nghia",
    "ubnd-nghia-hanh",
    "ubnd-mo-duc",
    "ubnd-ba-to",
    "ubnd-minh-long",
    "ubnd-son-ha",
    "ubnd-son-tay",
    "ubnd-tra-bong",
    "ubnd-ly-son",
}
# 117/KH-UBND II.1.c: "20% đối với các huyện: Bình Sơn, Sơn Tịnh, Tư Nghĩa, Mộ Đức, Nghĩa Hành,
# thị xã Đức Phổ, thành phố Quảng Ngãi và 10% đối với các huyện còn lại"
TWENTY_PERCENT = {
    "ubnd-binh-son",
    "ubnd-son-tinh",
    "ubnd-tu-nghia",
    "ubnd-mo-duc",
    "ubnd-nghia-hanh",
    "ubnd-tx-duc-pho",
    "ubnd-tp-quang-ngai",
}


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def plan(catalog: Catalog, number: str) -> ResolvedPlan:
    return next(p for p in catalog.plans if p.meta.number == number)


def item(catalog: Catalog, code: str) -> ResolvedItem:
    return next(i for p in catalog.plans for i in p.items if i.code == code)


def with_role(it: ResolvedItem, role: str) -> set[str]:
    return {agency for agency, r in it.roles.items() if r == role}


def is_done(it: ResolvedItem) -> bool:
    return it.done_at_issue or any(
        m.deadline is not None and (m.deadline.done or m.deadline.kind == DeadlineKind.DONE) for m in it.milestones
    )


def test_the_five_documents_are_there(catalog: Catalog) -> None:
    assert {p.meta.number for p in catalog.plans} == {
        "117/KH-UBND",
        "1834/UBND-KGVX",
        "61/KH-UBND",
        "/TB-UBND",
        "04/KH-BCĐ",
    }
    assert {p.meta.source_file for p in catalog.plans} == {
        "000_3806454f01ec8297.txt",
        "001_7b42deb195fc138c.txt",
        "002_69b4bb03136bab80.txt",
        "003_c38b67e39500967b.txt",
        "004_205de62c80713386.txt",
    }
    assert plan(catalog, "117/KH-UBND").meta.issued == date(2022, 7, 27)
    assert plan(catalog, "61/KH-UBND").meta.issued == date(2019, 4, 10)
    # /TB-UBND: "Quảng Ngãi, ngày tháng 01 năm 2022" (the day blank): counted from the meeting's day,
    # shown as written; every other document gives its whole date
    assert plan(catalog, "/TB-UBND").meta.issued == date(2022, 1, 19)
    assert plan(catalog, "/TB-UBND").meta.issued_as_written == "ngày … tháng 01 năm 2022"
    assert [p.meta.number for p in catalog.plans if p.meta.issued_as_written] == ["/TB-UBND"]


def test_117_II_2_d_two_milestones_lead_so_tttt_every_department_and_district(catalog: Catalog) -> None:
    it = item(catalog, "117/KH-UBND:II.2.d")
    assert [(m.seq, m.deadline.due) for m in it.milestones] == [(1, date(2022, 6, 30)), (2, date(2022, 11, 15))]
    assert all(m.deadline.kind == DeadlineKind.DATE and not m.deadline.done for m in it.milestones)
    assert with_role(it, "lead") == {"so-tttt"}
    departments = set(catalog.expanded_groups["so-ban-nganh"])
    assert len(departments) >= 17 and "so-tttt" in departments
    # every department and every district is responsible; Sở TT&TT already as lead
    assert departments - {"so-tttt"} <= with_role(it, "implementer")
    assert DISTRICTS_2022 <= with_role(it, "implementer")
    assert departments | DISTRICTS_2022 == set(it.roles)


def test_04_KH_BCD_items_marked_done_are_done_and_only_those(catalog: Catalog) -> None:
    items = [i for i in plan(catalog, "04/KH-BCĐ").items if i.kind == "task"]
    assert [i.code for i in items] == [f"04/KH-BCĐ:II.{n}" for n in range(1, 12)]
    done = {i.code for i in items if is_done(i)}
    assert done == {"04/KH-BCĐ:II.1", "04/KH-BCĐ:II.2"}  # "Tháng 02/2022 (đã hoàn thành)"
    for code in sorted(done):
        it = item(catalog, code)
        assert it.done_at_issue and it.milestones[0].deadline.kind == DeadlineKind.DONE
    # the other reports and tasks of the plan are open
    assert not any(is_done(i) for i in plan(catalog, "04/KH-BCĐ").items if i.code not in done)


def test_04_KH_BCD_reports_before_30_11_and_15_12(catalog: Catalog) -> None:
    reports = {i.code: i for i in plan(catalog, "04/KH-BCĐ").items if i.kind == "report"}
    dues = sorted(m.deadline.due for i in reports.values() for m in i.milestones)
    assert dues == [date(2022, 11, 30), date(2022, 12, 15)]
    summary = next(i for i in reports.values() if i.milestones[0].deadline.due == date(2022, 12, 15))
    assert set(summary.roles) == {"so-tttt"}


def test_117_II_6_five_items_five_leads_five_targets(catalog: Catalog) -> None:
    items = [i for i in plan(catalog, "117/KH-UBND").items if i.section.startswith("II.6.")]
    assert len(items) == 5
    leads = [with_role(i, "lead") for i in items]
    assert all(len(lead) == 1 for lead in leads)
    assert [next(iter(lead)) for lead in leads] == ["so-khdt", "so-cong-thuong", "nhnn", "cuc-thue", "so-tttt"]
    assert all(i.indicators for i in items), "each bullet carries its target figure"
    assert [i.milestones[0].deadline.due for i in items] == [date(2022, 12, 31)] * 5
    # "đạt từ 65 - 70%" is a range
    bank = item(catalog, "117/KH-UBND:II.6.3").indicators[0].entry
    assert bank.target is None and bank.target_range == (65, 70)


def test_117_II_1_c_per_group_targets_reach_every_agency(catalog: Catalog) -> None:
    it = item(catalog, "117/KH-UBND:II.1.c")
    indicator = next(i for i in it.indicators if i.entry.by_group)
    per_agency = {agency: target for agency, _scope, target, _range in indicator.targets}
    assert len(per_agency) == len(indicator.targets), "one target per agency"
    districts = {a: t for a, t in per_agency.items() if a in DISTRICTS_2022}
    assert set(districts) == DISTRICTS_2022
    assert {a for a, t in districts.items() if t == 20} == TWENTY_PERCENT
    assert {a for a, t in districts.items() if t == 10} == DISTRICTS_2022 - TWENTY_PERCENT
    # "30% đối với cơ quan chuyên môn cấp tỉnh": the sở, Thanh tra, VP UBND and Ban Dân tộc, not BQL KKT
    # (a body under the provincial committee, no cơ quan chuyên môn), which "các sở, ban, ngành" holds
    departments = set(catalog.expanded_groups["co-quan-chuyen-mon-tinh"])
    assert departments == set(catalog.expanded_groups["so-ban-nganh"]) - {"bql-kkt"}
    assert {a: t for a, t in per_agency.items() if a not in DISTRICTS_2022} == dict.fromkeys(departments, 30)
    assert {scope for _a, scope, _t, _r in indicator.targets if _a in departments} == {"@co-quan-chuyen-mon-tinh"}


def test_61_KH_UBND_has_the_39_appendix_rows(catalog: Catalog) -> None:
    rows = [i for i in plan(catalog, "61/KH-UBND").items if i.code.startswith("61/KH-UBND:PL.")]
    assert len(rows) == 39
    by_part = {part: [r for r in rows if r.code.startswith(f"61/KH-UBND:PL.{part}.")] for part in ("I", "II", "III")}
    assert {part: len(r) for part, r in by_part.items()} == {"I": 5, "II": 28, "III": 6}
    for part, part_rows in by_part.items():
        numbers = [r.code.rsplit(".", 1)[1] for r in part_rows]
        assert numbers == [str(n) for n in range(1, len(part_rows) + 1)], f"appendix part {part}"
    assert all(with_role(r, "lead") for r in rows), "every appendix row has a lead"


def test_61_KH_UBND_quarterly_report_with_cutoff(catalog: Catalog) -> None:
    quarterly = [r for r in plan(catalog, "61/KH-UBND").reporting if r.period == "quarter"]
    units = next(r for r in quarterly if r.recipient == "so-tttt")
    assert (units.due_day, units.due_month_offset) == (20, 0)  # "trước ngày 20 tháng cuối quý"
    assert (units.cutoff_start_day, units.cutoff_end_day) == (15, 14)  # 15 tháng 12 năm trước … 14 tháng 3
    assert units.reporters == ["@so-ban-nganh", "@ubnd-cap-huyen"]
    province = next(r for r in quarterly if r.recipient != "so-tttt")
    assert province.due_day == 25 and province.reporters == ["so-tttt"]  # "chậm nhất vào ngày 25 tháng cuối quý"


def test_1834_has_indicators_and_the_six_month_and_annual_reports(catalog: Catalog) -> None:
    p = plan(catalog, "1834/UBND-KGVX")
    names = [ind.entry.name for i in p.items for ind in i.indicators]
    assert len(names) >= 10
    assert any("điện thoại thông minh" in n for n in names)
    assert {r.period for r in p.reporting} == {"half_year", "year"}
    # item 4: four bodies, each with its own target
    assert with_role(item(catalog, "1834/UBND-KGVX:4"), "lead") >= {"so-khdt", "so-cong-thuong", "nhnn", "cuc-thue"}


def test_every_item_code_starts_with_its_plan_number(catalog: Catalog) -> None:
    for p in catalog.plans:
        for it in p.items:
            assert it.code.startswith(p.meta.number + ":"), it.code
            assert it.code.split(":", 1)[1], it.code
        for report in p.reporting:
            assert report.code.startswith(p.meta.number + ":"), report.code
    codes = [i.code for p in catalog.plans for i in p.items]
    assert len(codes) == len(set(codes))


def test_every_email_is_under_a_reserved_example_domain(catalog: Catalog) -> None:
    reserved = re.compile(r"@([a-z0-9-]+\.)*(example|example\.(com|org|net)|test|invalid)$")
    emails = [a.email for a in catalog.agencies.values()]
    committee = catalog.committee
    emails += [committee.chair.email, committee.vice_chair.email, committee.secretariat.email]
    assert all(emails)
    assert [e for e in emails if not reserved.search(e)] == []
    assert not any(e.endswith(".gov.vn") for e in emails)


def test_the_13_districts_of_2022_are_the_district_group(catalog: Catalog) -> None:
    members = catalog.expanded_groups["ubnd-cap-huyen"]
    assert len(members) == 13 and set(members) == DISTRICTS_2022
    assert all(catalog.agencies[code].kind == "huyen" for code in members)
    # communes are reached through the districts; Lý Sơn has had no commune level since 01/02/2020
    # (issue 12, groups have dates: this expectation changed on purpose)
    assert set(catalog.expanded_groups["ubnd-cap-xa"]) == DISTRICTS_2022 - {"ubnd-ly-son"}
    # Tây Trà (merged into Trà Bồng in 2020) is kept for history only, closed
    assert catalog.agencies["ubnd-tay-tra"].valid_to == date(2020, 1, 31)


def test_committee_roster(catalog: Catalog) -> None:
    committee = catalog.committee
    assert committee.secretariat.agency == "so-tttt"
    assert committee.chair.name and committee.vice_chair.name
    assert set(committee.members) <= set(catalog.agencies)
    assert "so-tttt" in committee.members


def test_a_seat_that_names_its_committee_names_the_committee_of_its_day(catalog: Catalog) -> None:
    """From 01/03/2025 every leader's digest opened "Kính gửi: Trưởng Ban Chỉ đạo về phát triển khoa
    học, công nghệ, đổi mới sáng tạo và chuyển đổi số tỉnh": the committee of that day is "…, chuyển
    đổi số và Đề án 06". A seat's title that spells a committee's name out spells the one of its day."""
    committees = [a for a in catalog.agencies.values() if a.kind == "bcd" and a.valid_from is not None]
    checked = 0
    for seat in catalog.committee.roster:
        if "Ban Chỉ đạo về" not in seat.title or seat.valid_from is None:
            continue
        day = seat.valid_from
        (committee,) = [
            c
            for c in committees
            if c.valid_from <= day and (c.valid_to is None or c.valid_to >= day)  # type: ignore[operator]
        ]
        named = committee.name.removeprefix("Ban Chỉ đạo ").removesuffix(" Quảng Ngãi")
        assert named in seat.title, (seat.role, seat.title, committee.name)
        checked += 1
    assert checked >= 2  # the chair's and the vice-chair's seats of the merged committee


def test_every_agency_alias_names_one_agency(catalog: Catalog) -> None:
    owners: dict[str, set[str]] = {}
    for agency in catalog.agencies.values():
        for alias in agency.aliases:
            owners.setdefault(alias, set()).add(agency.code)
    assert {alias: codes for alias, codes in owners.items() if len(codes) > 1} == {}


def test_done_only_where_the_text_says_so(catalog: Catalog) -> None:
    # "(đã hoàn thành)" occurs twice in the five texts, both in 04/KH-BCĐ (seed 004 lines 25, 31)
    done = {i.code for p in catalog.plans for i in p.items if is_done(i)}
    assert done == {"04/KH-BCĐ:II.1", "04/KH-BCĐ:II.2"}
    for it in (i for p in catalog.plans for i in p.items):
        parsed_done = any(m.deadline is not None and m.deadline.done for m in it.milestones)
        assert parsed_done == it.done_at_issue, it.code


def test_the_open_data_target_keeps_its_exclusion_in_both_documents(catalog: Catalog) -> None:
    """1834/UBND-KGVX 2 and 117/KH-UBND II.5 both write "Tỷ lệ cơ quan nhà nước cung cấp dữ liệu mở đầy
    đủ theo danh mục đạt 50% (không áp dụng đối với dữ liệu phục vụ công tác quân sự, quốc phòng)";
    1834's name had dropped the exclusion (kept in a comment), so the report, which lists the one
    target under 1834's name, and 1834's page told a body whose defence data is not open that it
    counted."""

    def name(code: str) -> str:
        return next(ind.entry.name for ind in item(catalog, code).indicators if ind.entry.code == "du-lieu-mo")

    written = (
        "Tỷ lệ cơ quan nhà nước cung cấp dữ liệu mở đầy đủ theo danh mục"
        " (không áp dụng đối với dữ liệu phục vụ công tác quân sự, quốc phòng)"
    )
    assert name("1834/UBND-KGVX:2") == name("117/KH-UBND:II.5") == written
