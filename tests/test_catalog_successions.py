"""Successions as catalog data: good data loads; a cycle, a gap, an unknown code or a date before the
agency existed is refused by ``dondoc catalog validate`` with file, line and reason, nothing applied."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from dondoc.tasks_catalog.loader import CatalogInvalid, Problem, load_catalog
from tests.support.cli import run_cli
from tests.support.successions import KINDS, succession_catalog, successions_yaml

FILE = "successions.yaml"


def _problems(catalog: Path, local_dir: Path | None = None) -> list[Problem]:
    with pytest.raises(CatalogInvalid) as info:
        load_catalog(catalog, local_dir)
    return info.value.problems


def _refused(catalog: Path, tmp_path: Path, *fragments: str) -> Problem:
    found = [p for p in _problems(catalog) if all(f in str(p) for f in fragments)]
    assert len(found) == 1, _problems(catalog)
    result = run_cli("catalog", "validate", "--dir", str(catalog), cwd=tmp_path)
    assert result.returncode == 1 and "Danh mục hợp lệ" not in result.stdout
    assert any(all(f in line for f in fragments) for line in result.stderr.splitlines()), result.stderr
    return found[0]


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_each_kind_loads_and_ends_its_predecessors(tmp_path: Path, kind: str) -> None:
    catalog = load_catalog(succession_catalog(tmp_path, successions_yaml(kind)))
    (entry,) = catalog.successions
    assert entry.kind == kind and entry.on == date(2022, 8, 1)
    for code in entry.from_:
        assert catalog.agencies[code].valid_to == date(2022, 7, 31)


def test_the_shipped_2025_reorganisation_loads(tmp_path: Path) -> None:
    catalog = load_catalog()
    by_key = {s.key: s for s in catalog.successions}
    split = by_key["2025-03-tttt-tach"]
    assert split.kind == "split" and {t.agency for t in split.to} == {"so-khcn", "so-vhttdl"}
    assert "45/2025/NĐ-CP" in split.source
    assert by_key["2025-07-cap-huyen-quang-ngai"].kind == "dissolve"
    assert len(by_key["2025-07-cap-huyen-quang-ngai"].from_) == 13
    assert catalog.agencies["so-tttt"].valid_to == date(2025, 2, 28)
    assert catalog.agencies["ubnd-binh-son"].valid_to == date(2025, 6, 30)
    # groups resolve as of a date: no district after 30/06/2025; "các sở" is the post-March set
    assert catalog.members_read("ubnd-cap-huyen", date(2026, 1, 10)) == []
    sở = catalog.members_read("so-ban-nganh", date(2026, 1, 10))
    assert "so-nnmt" in sở and "so-tttt" not in sở and "so-tnmt" not in sở
    assert "so-tttt" in catalog.members_read("so-ban-nganh", date(2024, 5, 1))
    result = run_cli("catalog", "validate", cwd=tmp_path)
    assert result.returncode == 0 and "Tổ chức lại: " in result.stdout


def test_an_unknown_code_is_refused(tmp_path: Path) -> None:
    text = successions_yaml("rename", "from: [vp-ubnd]\n    to: [{agency: vp-ubnd-mois}]")
    problem = _refused(succession_catalog(tmp_path, text), tmp_path, f"{FILE}:2", "test-rename", '"vp-ubnd-mois"')
    assert 'did you mean "vp-ubnd-moi"?' in problem.message


def test_a_cycle_is_refused(tmp_path: Path) -> None:
    text = successions_yaml("rename", "from: [so-khcn]\n    to: [{agency: so-vhttdl}]", key="a") + successions_yaml(
        "rename", "from: [so-vhttdl]\n    to: [{agency: so-khcn}]", on="2022-09-01", key="b"
    ).replace("successions:\n", "")
    catalog = succession_catalog(tmp_path, text)
    problems = [p for p in _problems(catalog) if "cycle" in p.message]
    assert problems and problems[0].file == FILE and problems[0].line in (2, 8)
    assert "so-khcn -> so-vhttdl -> so-khcn" in problems[0].message or "so-vhttdl -> so-khcn" in problems[0].message
    result = run_cli("catalog", "validate", "--dir", str(catalog), cwd=tmp_path)
    assert result.returncode == 1 and "succession cycle" in result.stderr


def test_a_gap_is_refused(tmp_path: Path) -> None:
    # the successor starts on 01/08/2022, the succession says 15/07/2022: three weeks with nobody
    text = successions_yaml("rename", on="2022-07-15")
    problem = _refused(succession_catalog(tmp_path, text), tmp_path, f"{FILE}:2", "a gap")
    assert '"vp-ubnd-moi" does not exist on 15/07/2022' in problem.message


def test_a_valid_to_that_disagrees_is_a_gap(tmp_path: Path) -> None:
    catalog = succession_catalog(tmp_path, successions_yaml("absorb"))
    text = (catalog / "agencies.yaml").read_text(encoding="utf-8")
    text = text.replace(
        'email: "ubnd-ly-son@dondoc.example"}', 'email: "ubnd-ly-son@dondoc.example", valid_to: 2022-06-30}'
    )
    (catalog / "agencies.yaml").write_text(text, encoding="utf-8")
    _refused(catalog, tmp_path, f"{FILE}:2", '"ubnd-ly-son" ends on 30/06/2022', "a gap or an overlap")


def test_a_date_before_the_agency_existed_is_refused(tmp_path: Path) -> None:
    text = successions_yaml("rename", "from: [so-moi]\n    to: [{agency: so-khcn}]", on="2022-05-01")
    _refused(succession_catalog(tmp_path, text), tmp_path, f"{FILE}:2", "before the agency existed")


def test_a_split_without_functions_is_refused(tmp_path: Path) -> None:
    text = successions_yaml("split", "from: [so-tttt]\n    to: [{agency: so-khcn}, {agency: so-vhttdl}]")
    _refused(succession_catalog(tmp_path, text), tmp_path, f"{FILE}:2", "functions")


def test_the_installation_folder_is_read_and_checked_too(tmp_path: Path) -> None:
    catalog = succession_catalog(tmp_path)
    local = tmp_path / "local"
    local.mkdir()
    (local / FILE).write_text(successions_yaml("dissolve"), encoding="utf-8")
    assert load_catalog(catalog, local).successions[0].key == "test-dissolve"
    (local / FILE).write_text(successions_yaml("rename", "from: [nobody]\n    to: [{agency: so-khcn}]"), "utf-8")
    (problem,) = _problems(catalog, local)
    assert problem.file.endswith(FILE) and problem.line == 2 and '"nobody"' in problem.message
