"""DONDOC_CATALOG_LOCAL_DIR: the installation's plans are read together with the catalog's."""

from __future__ import annotations

from pathlib import Path

from dondoc.tasks_catalog.loader import load_catalog
from tests.support.catalogs import copy_catalog
from tests.support.cli import invoke

LOCAL_PLAN = """plan:
  {number: "7/KH-LOCAL", kind: ke_hoach, issued: 2022-05-02, issuer: "UBND tỉnh", title: "Riêng", year: 2022}
items:
  - code: "7/KH-LOCAL:1"
    section: "1"
    title: "Việc riêng"
    content: "Việc riêng."
    source: "Mục 1"
    roles_as_written: {lead: "Sở Nội vụ"}
    lead: [so-noi-vu]
    deadline: "Tháng 9/2022"
"""


def test_local_plans_are_read_with_the_catalog(tmp_path: Path) -> None:
    catalog = copy_catalog(tmp_path)
    local = tmp_path / "local"
    (local / "plans").mkdir(parents=True)
    (local / "plans" / "7-kh-local.yaml").write_text(LOCAL_PLAN, encoding="utf-8")
    assert "7/KH-LOCAL" not in load_catalog(catalog).counts()
    assert load_catalog(catalog, local).counts()["7/KH-LOCAL"]["items"] == 1
    result = invoke(["catalog", "validate", "--dir", str(catalog)], env={"DONDOC_CATALOG_LOCAL_DIR": str(local)})
    assert result.returncode == 0 and "7/KH-LOCAL" in result.stdout, result.stderr


def test_a_local_plan_repeating_a_code_is_an_error(tmp_path: Path) -> None:
    catalog = copy_catalog(tmp_path)
    local = tmp_path / "local"
    (local / "plans").mkdir(parents=True)
    (local / "plans" / "dup.yaml").write_text(LOCAL_PLAN.replace("7/KH-LOCAL", "99/KH-TEST"), encoding="utf-8")
    result = invoke(["catalog", "validate", "--dir", str(catalog)], env={"DONDOC_CATALOG_LOCAL_DIR": str(local)})
    assert result.returncode == 1 and "99/KH-TEST" in result.stderr
