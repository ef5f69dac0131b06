"""`dondoc catalog validate`: bad catalog input is refused with a clear message, good input counted.

Each bad case copies a valid catalog (tests/fixtures/catalog_min, or the shipped one) to a temp
folder, breaks one thing, and checks that the problem names the file, the line, the item code
and what is wrong — through the loader and through the command's entry point (exit code 1).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dondoc.tasks_catalog.loader import CatalogInvalid, Problem, default_catalog_dir, load_catalog
from tests.support.catalogs import MIN_CATALOG, copy_catalog, edit
from tests.support.cli import run_cli

PLAN = "plans/test-plan.yaml"
AGENCIES = "agencies.yaml"


def line_of_text(directory: Path, relative: str, needle: str, occurrence: int = 1) -> int:
    lines = (directory / relative).read_text(encoding="utf-8").splitlines()
    hits = [number for number, line in enumerate(lines, start=1) if needle in line]
    return hits[occurrence - 1]


def problems(directory: Path) -> list[Problem]:
    with pytest.raises(CatalogInvalid) as info:
        load_catalog(directory)
    assert info.value.problems, "CatalogInvalid must carry its problems"
    return info.value.problems


def the_problem(directory: Path, *words: str) -> Problem:
    """The one problem whose message holds all ``words`` (case-insensitive)."""
    found = [p for p in problems(directory) if all(w.lower() in p.message.lower() for w in words)]
    assert len(found) == 1, f"expected one problem with {words}, got {problems(directory)}"
    return found[0]


def assert_cli_reports(directory: Path, tmp_path: Path, *fragments: str) -> str:
    result = run_cli("catalog", "validate", "--dir", str(directory), cwd=tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Danh mục hợp lệ" not in result.stdout
    errors = [line for line in result.stderr.splitlines() if line.startswith("lỗi: ")]
    assert errors, result.stderr
    assert re.search(r"^\d+ lỗi$", result.stderr, re.M), result.stderr
    matching = [line for line in errors if all(f in line for f in fragments)]
    assert matching, f"no error line with {fragments}:\n{result.stderr}"
    return matching[0]


# -- the shipped catalog -------------------------------------------------------------------


def test_shipped_catalog_validates_and_prints_counts_per_plan(tmp_path: Path) -> None:
    result = run_cli("catalog", "validate", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert lines[0].split() == "Văn bản Nhiệm vụ Mốc Chỉ tiêu Phần việc Báo cáo định kỳ".split()
    counted = [line for line in lines[2:] if line and not line.startswith(("Danh mục", "Tổ chức lại"))]
    assert not any(line.startswith("Lưu ý") for line in lines)  # every shipped item's source names its line
    rows = {line.split()[0]: [int(n) for n in line.split()[1:]] for line in counted}
    assert set(rows) == {"117/KH-UBND", "1834/UBND-KGVX", "61/KH-UBND", "/TB-UBND", "04/KH-BCĐ"}
    counts = load_catalog().counts()
    for number, row in rows.items():
        items, milestones, indicators, assignments, reporting = row
        assert row == list(counts[number].values())
        assert items > 0 and milestones >= items and assignments >= milestones
    assert rows["61/KH-UBND"][0] >= 39  # the 39 appendix rows at least
    assert rows["1834/UBND-KGVX"][2] > 0
    assert re.search(r"^Danh mục hợp lệ: \d+ cơ quan, \d+ nhóm cơ quan, 5 văn bản$", result.stdout, re.M)


def test_minimal_fixture_validates(tmp_path: Path) -> None:
    result = run_cli("catalog", "validate", "--dir", str(MIN_CATALOG), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "99/KH-TEST" in result.stdout


def test_a_plan_listed_in_the_files_order_for_a_source_without_its_place_is_pointed_out(tmp_path: Path) -> None:
    """One source naming its line and the others none: the plan is listed in the file's order
    (tasks_catalog.places), which validate says, naming the items, and the catalog stays valid."""
    directory = copy_catalog(tmp_path)
    edit(directory, PLAN, 'source: "Mục II.1"', 'source: "Mục II.1, dòng 5"')
    result = run_cli("catalog", "validate", "--dir", str(directory), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    said = [line for line in result.stdout.splitlines() if line.startswith("Lưu ý")]
    assert said == [
        "Lưu ý: 99/KH-TEST: nguồn của 99/KH-TEST:II.2, 99/KH-TEST:II.3 không ghi dòng hay đoạn của văn bản,"
        " nên các nhiệm vụ của văn bản này được xếp theo thứ tự trong tệp, không theo văn bản"
    ]


# -- bad input, through the real command ------------------------------------------------------


def test_unknown_agency_names_file_line_item_and_suggests(tmp_path: Path) -> None:
    catalog = copy_catalog(tmp_path)
    edit(catalog, PLAN, "    lead: [so-tttt]\n    implementers:", "    lead: [so-ttt]\n    implementers:")
    item_line = line_of_text(catalog, PLAN, 'code: "99/KH-TEST:II.1"')
    problem = the_problem(catalog, "unknown agency")
    assert (problem.file, problem.line, problem.code) == (PLAN, item_line, "99/KH-TEST:II.1")
    assert '"so-ttt"' in problem.message and 'did you mean "so-tttt"?' in problem.message
    line = assert_cli_reports(catalog, tmp_path, f"{PLAN}:{item_line}", "99/KH-TEST:II.1", '"so-ttt"')
    assert 'did you mean "so-tttt"?' in line


def test_an_alias_written_as_a_code_suggests_the_code(tmp_path: Path) -> None:
    catalog = copy_catalog(tmp_path)
    edit(catalog, PLAN, "    lead: [vp-ubnd]", '    lead: ["VP UBND tỉnh"]')
    problem = the_problem(catalog, "unknown agency")
    assert problem.code == "99/KH-TEST:II.2"
    assert 'did you mean "vp-ubnd"?' in problem.message


def test_unknown_agency_in_the_shipped_catalog(tmp_path: Path) -> None:
    catalog = copy_catalog(tmp_path, default_catalog_dir())
    plan = "plans/117-KH-UBND.yaml"
    edit(catalog, plan, "    lead: [nhnn]\n", "    lead: [nhnn-qn]\n")
    item_line = line_of_text(catalog, plan, 'code: "117/KH-UBND:II.6.3"')
    line = assert_cli_reports(catalog, tmp_path, f"{plan}:{item_line}", "117/KH-UBND:II.6.3", '"nhnn-qn"')
    assert 'did you mean "nhnn"?' in line


def test_duplicate_item_code_names_both_places(tmp_path: Path) -> None:
    catalog = copy_catalog(tmp_path)
    second = edit(catalog, PLAN, 'code: "99/KH-TEST:II.2"', 'code: "99/KH-TEST:II.1"')
    first = line_of_text(catalog, PLAN, 'code: "99/KH-TEST:II.1"')
    problem = the_problem(catalog, "duplicate item code")
    assert (problem.file, problem.line, problem.code) == (PLAN, second, "99/KH-TEST:II.1")
    assert f"{PLAN}:{first}" in problem.message
    assert_cli_reports(catalog, tmp_path, f"{PLAN}:{second}", "99/KH-TEST:II.1", "duplicate item code")


def test_duplicate_item_code_across_plan_files(tmp_path: Path) -> None:
    catalog = copy_catalog(tmp_path)
    text = (catalog / PLAN).read_text(encoding="utf-8")
    other = (
        text.replace('number: "99/KH-TEST"', 'number: "98/KH-TEST"')
        .replace('code: "99/KH-TEST:II.2"', 'code: "98/KH-TEST:II.2"')
        .replace('code: "99/KH-TEST:II.3"', 'code: "98/KH-TEST:II.3"')
    )
    (catalog / "plans/another.yaml").write_text(other, encoding="utf-8")
    duplicates = [p for p in problems(catalog) if "duplicate item code" in p.message]
    # the 99/… code in the file read second ("test-plan" sorts after "another")
    assert [(p.file, p.code) for p in duplicates] == [(PLAN, "99/KH-TEST:II.1")]
    assert "plans/another.yaml:" in duplicates[0].message
    # … and 99/KH-TEST:II.1 in a plan numbered 98/KH-TEST is a wrong prefix
    prefix = the_problem(catalog, "must start with")
    assert (prefix.file, prefix.code) == ("plans/another.yaml", "99/KH-TEST:II.1") and prefix.line > 0


def test_malformed_yaml_names_the_line(tmp_path: Path) -> None:
    catalog = copy_catalog(tmp_path)
    broken = edit(catalog, PLAN, '    title: "Việc chờ hướng dẫn"', '    title: "Việc chờ hướng dẫn\n    oops: [1, 2')
    problem = the_problem(catalog, "malformed YAML")
    assert problem.file == PLAN
    assert broken <= problem.line <= broken + 3
    assert_cli_reports(catalog, tmp_path, f"{PLAN}:{problem.line}", "malformed YAML")


def test_malformed_agencies_file(tmp_path: Path) -> None:
    catalog = copy_catalog(tmp_path)
    edit(catalog, AGENCIES, "  - code: ubnd-cap-huyen", "  - code: ubnd-cap-huyen\n\t bad tab")
    problem = the_problem(catalog, "malformed YAML")
    assert problem.file == AGENCIES and problem.line > 0


@pytest.mark.parametrize(
    ("old", "new", "phrase"),
    [
        ('"trước ngày 15/11/2022"', '"trước ngày 31/11/2022"', "trước ngày 31/11/2022"),  # no such date
        ('"Tháng 02/2022 (đã hoàn thành)"', '"Sớm nhất có thể"', "Sớm nhất có thể"),  # no rule
        (
            '"Tháng 02/2022 (đã hoàn thành)"',
            '"Trước ngày 30/6/2022 và 15/11/2022"',
            "Trước ngày 30/6/2022 và 15/11/2022",
        ),
    ],
)
def test_unparseable_deadline_names_the_phrase(tmp_path: Path, old: str, new: str, phrase: str) -> None:
    catalog = copy_catalog(tmp_path)
    edit(catalog, PLAN, old, new)
    problem = the_problem(catalog, "cannot understand deadline phrase")
    code = "99/KH-TEST:II.1" if "15/11" in old else "99/KH-TEST:II.3"
    assert (problem.file, problem.code) == (PLAN, code)
    assert problem.line == line_of_text(catalog, PLAN, f'code: "{code}"')
    assert f'"{phrase}"' in problem.message
    if old.startswith('"trước'):
        assert_cli_reports(catalog, tmp_path, f"{PLAN}:{problem.line}", code, f'"{phrase}"', "no such date")


def test_unparseable_deadline_in_the_shipped_catalog(tmp_path: Path) -> None:
    catalog = copy_catalog(tmp_path, default_catalog_dir())
    plan = "plans/04-KH-BCD.yaml"
    edit(catalog, plan, 'deadline: "Tháng 9/2022"', 'deadline: "Tháng mười năm nay"')
    item_line = line_of_text(catalog, plan, 'code: "04/KH-BCĐ:II.4"')
    assert_cli_reports(catalog, tmp_path, f"{plan}:{item_line}", "04/KH-BCĐ:II.4", '"Tháng mười năm nay"')


def test_group_with_no_members_expands_to_nothing(tmp_path: Path) -> None:
    catalog = copy_catalog(tmp_path)
    line = edit(catalog, AGENCIES, "members: [ubnd-binh-son, ubnd-ly-son]", "members: []")
    problem = the_problem(catalog, "expands to no agency")
    assert (problem.file, problem.code) == (AGENCIES, "ubnd-cap-huyen")
    assert problem.line == line_of_text(catalog, AGENCIES, "- code: ubnd-cap-huyen") and problem.line < line
    assert_cli_reports(catalog, tmp_path, f"{AGENCIES}:{problem.line}", "ubnd-cap-huyen", "expands to no agency")


def test_group_made_only_of_an_empty_group_is_refused(tmp_path: Path) -> None:
    catalog = copy_catalog(tmp_path)
    edit(
        catalog,
        AGENCIES,
        "    members: [ubnd-binh-son, ubnd-ly-son]\n",
        "    members: [ubnd-binh-son, ubnd-ly-son]\n"
        '  - {code: rong, name: "Nhóm rỗng", members: []}\n'
        '  - {code: qua-nhom-rong, name: "Chỉ gồm nhóm rỗng", members: ["@rong"]}\n',
    )
    problem = the_problem(catalog, "expands to no agency")
    assert (problem.file, problem.code) == (AGENCIES, "rong")
    assert problem.line == line_of_text(catalog, AGENCIES, "code: rong,")
    assert_cli_reports(catalog, tmp_path, f"{AGENCIES}:{problem.line}", "rong", "expands to no agency")


def test_group_of_unknown_members_expands_to_nothing(tmp_path: Path) -> None:
    catalog = copy_catalog(tmp_path)
    edit(catalog, AGENCIES, "members: [ubnd-binh-son, ubnd-ly-son]", 'members: ["@huyen", ubnd-binh-sn]')
    group_line = line_of_text(catalog, AGENCIES, "- code: ubnd-cap-huyen")
    found = problems(catalog)
    assert {(p.file, p.line, p.code) for p in found} == {(AGENCIES, group_line, "ubnd-cap-huyen")}
    messages = " | ".join(p.message for p in found)
    assert 'unknown agency or group "@huyen"' in messages
    assert 'unknown agency or group "ubnd-binh-sn"; did you mean "ubnd-binh-son"?' in messages
    assert "group expands to no agency" in messages
    assert_cli_reports(catalog, tmp_path, f"{AGENCIES}:{group_line}", "ubnd-cap-huyen", "expands to no agency")


def test_group_cycle_expands_to_nothing(tmp_path: Path) -> None:
    catalog = copy_catalog(tmp_path)
    edit(
        catalog,
        AGENCIES,
        "    members: [ubnd-binh-son, ubnd-ly-son]\n",
        "    members: [ubnd-binh-son, ubnd-ly-son]\n"
        '  - {code: nhom-a, name: "A", members: ["@nhom-b"]}\n'
        '  - {code: nhom-b, name: "B", members: ["@nhom-a"]}\n',
    )
    found = problems(catalog)
    assert any(p.code == "nhom-a" and "group cycle: nhom-a -> nhom-b -> nhom-a" in p.message for p in found)
    assert {p.code for p in found if "expands to no agency" in p.message} == {"nhom-a", "nhom-b"}
    assert all(p.line > 0 for p in found)


def test_unknown_key_in_an_item(tmp_path: Path) -> None:
    catalog = copy_catalog(tmp_path)
    edit(catalog, PLAN, "    priority: true", "    priorty: true")
    problem = the_problem(catalog, "priorty")
    assert (problem.file, problem.code) == (PLAN, "99/KH-TEST:II.1")
    assert problem.line == line_of_text(catalog, PLAN, 'code: "99/KH-TEST:II.1"')
    assert "extra inputs are not permitted" in problem.message.lower()
    assert_cli_reports(catalog, tmp_path, f"{PLAN}:{problem.line}", "99/KH-TEST:II.1", "priorty")


def test_indicator_without_target(tmp_path: Path) -> None:
    catalog = copy_catalog(tmp_path)
    edit(
        catalog,
        PLAN,
        '        target: 30\n        by_group:\n          - {agencies: ["@so-ban-nganh"], target: 30}\n'
        "          - {agencies: [ubnd-binh-son], target: 20}\n          - {agencies: [ubnd-ly-son], target: 10}\n",
        "",
    )
    problem = the_problem(catalog, "indicator needs target")
    assert (problem.file, problem.code) == (PLAN, "99/KH-TEST:II.1")
    assert problem.line == line_of_text(catalog, PLAN, "- code: dvctt")
    assert_cli_reports(catalog, tmp_path, f"{PLAN}:{problem.line}", "99/KH-TEST:II.1", "indicator needs target")


def test_group_target_without_a_value(tmp_path: Path) -> None:
    catalog = copy_catalog(tmp_path)
    edit(catalog, PLAN, "- {agencies: [ubnd-ly-son], target: 10}", "- {agencies: [ubnd-ly-son]}")
    problem = the_problem(catalog, "group target needs target")
    assert (problem.file, problem.code) == (PLAN, "99/KH-TEST:II.1") and "dvctt" in problem.message


def test_item_code_without_its_plan_number(tmp_path: Path) -> None:
    catalog = copy_catalog(tmp_path)
    line = edit(catalog, PLAN, 'code: "99/KH-TEST:II.3"', 'code: "99/KH-TES:II.3"')
    problem = the_problem(catalog, "must start with")
    assert (problem.file, problem.line, problem.code) == (PLAN, line, "99/KH-TES:II.3")
    assert '"99/KH-TEST:"' in problem.message


def test_item_with_nobody_responsible(tmp_path: Path) -> None:
    catalog = copy_catalog(tmp_path)
    edit(catalog, PLAN, "    lead: [vp-ubnd]\n", "")
    problem = the_problem(catalog, "no agency is responsible")
    assert (problem.file, problem.code) == (PLAN, "99/KH-TEST:II.2")


def test_every_problem_is_reported_not_just_the_first(tmp_path: Path) -> None:
    catalog = copy_catalog(tmp_path)
    edit(catalog, PLAN, "    lead: [vp-ubnd]", "    lead: [vp-ubn]")
    edit(catalog, PLAN, '"Tháng 02/2022 (đã hoàn thành)"', '"Sớm nhất có thể"')
    found = problems(catalog)
    assert {p.code for p in found} == {"99/KH-TEST:II.2", "99/KH-TEST:II.3"}
    result = run_cli("catalog", "validate", "--dir", str(catalog), cwd=tmp_path)
    assert result.returncode == 1 and f"{len(found)} lỗi" in result.stderr
    assert result.stderr.count("lỗi: ") == len(found) >= 2


def test_missing_folder_is_an_error(tmp_path: Path) -> None:
    result = run_cli("catalog", "validate", "--dir", str(tmp_path / "nowhere"), cwd=tmp_path)
    assert result.returncode == 2  # refused as the option's value, naming the folder, in one line
    assert len(result.stderr.strip().splitlines()) == 1 and str(tmp_path / "nowhere") in result.stderr


def test_a_negative_month_offset_stays_within_its_period() -> None:
    """A yearly report due "trước ngày 15/10 hằng năm" is −2; −11 was taken for a quarterly one too,
    its due day months before the quarter began."""
    from pydantic import ValidationError

    from dondoc.tasks_catalog.schema import ReportingEntry

    base = {"code": "x", "title": "t", "source": "s", "reporters": ["a"], "due_day": 15}
    assert ReportingEntry.model_validate(base | {"period": "year", "due_month_offset": -2}).due_month_offset == -2
    assert ReportingEntry.model_validate(base | {"period": "quarter", "due_month_offset": -2}).due_month_offset == -2
    with pytest.raises(ValidationError, match="before the quarter begins"):
        ReportingEntry.model_validate(base | {"period": "quarter", "due_month_offset": -3})
