"""`dondoc catalog export --format json`: the whole parsed catalog as one JSON document."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from dondoc.tasks_catalog.export import catalog_to_dict
from dondoc.tasks_catalog.loader import load_catalog
from tests.support.catalogs import MIN_CATALOG, copy_catalog, edit
from tests.support.cli import run_cli

ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DATE_KEYS = {"issued", "due", "start", "valid_from", "valid_to"}


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    result = run_cli("catalog", "export", "--format", "json", cwd=tmp_path_factory.mktemp("export"))
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    return json.loads(result.stdout)


def walk(node: Any, path: str = "") -> list[tuple[str, str, Any]]:
    """Every (path, key, value) of the document."""
    out: list[tuple[str, str, Any]] = []
    if isinstance(node, dict):
        for key, value in node.items():
            out.append((path, key, value))
            out += walk(value, f"{path}.{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            out += walk(value, f"{path}[{index}]")
    return out


def plan(doc: dict[str, Any], number: str) -> dict[str, Any]:
    return next(p for p in doc["plans"] if p["number"] == number)


def item(doc: dict[str, Any], code: str) -> dict[str, Any]:
    return next(i for p in doc["plans"] for i in p["items"] if i["code"] == code)


def test_top_level_shape(exported: dict[str, Any]) -> None:
    assert list(exported) == ["version", "counts", "agencies", "groups", "committee", "plans"]
    assert exported["version"] == 2
    assert len(exported["plans"]) == 5
    assert {p["number"] for p in exported["plans"]} == {
        "117/KH-UBND",
        "1834/UBND-KGVX",
        "61/KH-UBND",
        "/TB-UBND",
        "04/KH-BCĐ",
    }
    assert [p["number"] for p in exported["plans"]] == sorted(p["number"] for p in exported["plans"])
    assert [a["code"] for a in exported["agencies"]] == sorted(a["code"] for a in exported["agencies"])
    assert exported["counts"] == {n: dict(c) for n, c in load_catalog().counts().items()}


def test_dates_are_iso(exported: dict[str, Any]) -> None:
    dated = [(path, key, value) for path, key, value in walk(exported) if key in DATE_KEYS and value is not None]
    assert len(dated) > 100
    assert [(p, k, v) for p, k, v in dated if not (isinstance(v, str) and ISO.match(v))] == []
    assert plan(exported, "117/KH-UBND")["issued"] == "2022-07-27"


def test_117_II_2_d_milestones(exported: dict[str, Any]) -> None:
    it = item(exported, "117/KH-UBND:II.2.d")
    assert [(m["seq"], m["due"], m["kind"]) for m in it["milestones"]] == [
        (1, "2022-06-30", "date"),
        (2, "2022-11-15", "date"),
    ]
    assert it["milestones"][0]["phrase"] == "trước ngày 30/6/2022"
    assert set(it["milestones"][0]) == {
        "seq",
        "label",
        "phrase",
        "kind",
        "start",
        "due",
        "recurrence",
        "condition",
        "done",
        "priority",
        "done_by_issue_of",
    }
    assert it["roles"]["lead"] == ["so-tttt"]
    assert it["roles_as_written"]["lead"] == "Sở Thông tin và Truyền thông."


def test_agencies_are_resolved(exported: dict[str, Any]) -> None:
    codes = {a["code"] for a in exported["agencies"]}
    groups = {g["code"]: g for g in exported["groups"]}
    for p in exported["plans"]:
        for it in p["items"]:
            assert set(it["roles"]) == {"lead", "implementer", "partner"}
            named = [code for role in it["roles"].values() for code in role]
            assert named or it["unnamed"], it["code"]  # an item naming nobody carries the phrase that says so
            assert set(named) <= codes, it["code"]  # codes only: no "@group" left
            assert len(named) == len(set(named)), it["code"]  # one role per agency
            for indicator in it["indicators"]:
                assert {t["agency"] for t in indicator["targets"]} <= codes
        for report in p["reporting"]:
            assert report["reporters"] and set(report["reporters"]) <= codes
    assert len(groups["ubnd-cap-huyen"]["agencies"]) == 13
    # issue 12 (groups have dates): the commune level lists its districts, Lý Sơn as a dated member
    # (no commune level from 01/02/2020); "agencies" are the current members
    assert {
        "code": "ubnd-ly-son",
        "valid_from": None,
        "valid_to": "2020-01-31",
        "notes": groups["ubnd-cap-xa"]["members"][-1]["notes"],
    } == groups["ubnd-cap-xa"]["members"][-1]
    assert groups["ubnd-cap-xa"]["agencies"] == [a for a in groups["ubnd-cap-huyen"]["agencies"] if a != "ubnd-ly-son"]
    implementers = set(item(exported, "117/KH-UBND:II.2.d")["roles"]["implementer"])
    assert set(groups["ubnd-cap-huyen"]["agencies"]) <= implementers


def test_per_agency_targets_and_ranges(exported: dict[str, Any]) -> None:
    indicator = item(exported, "117/KH-UBND:II.1.c")["indicators"][0]
    targets = {t["agency"]: t["target"] for t in indicator["targets"]}
    assert targets["ubnd-binh-son"] == 20 and targets["ubnd-ly-son"] == 10 and targets["so-tttt"] == 30
    assert all(isinstance(t, int) for t in targets.values())  # 30, not 30.0
    bank = item(exported, "117/KH-UBND:II.6.3")["indicators"][0]
    assert bank["target"] is None and bank["target_range"] == [65, 70]


def test_reporting_duties(exported: dict[str, Any]) -> None:
    quarterly = next(r for r in plan(exported, "61/KH-UBND")["reporting"] if r["code"] == "61/KH-UBND:VI.bao-cao-quy")
    assert (quarterly["period"], quarterly["due_day"], quarterly["cutoff_start_day"], quarterly["cutoff_end_day"]) == (
        "quarter",
        20,
        15,
        14,
    )
    assert quarterly["reporters_as_written"] == ["@so-ban-nganh", "@ubnd-cap-huyen"]
    groups = {g["code"]: g["agencies"] for g in exported["groups"]}
    assert quarterly["reporters"] == groups["so-ban-nganh"] + groups["ubnd-cap-huyen"]


def test_done_items_are_marked(exported: dict[str, Any]) -> None:
    it = item(exported, "04/KH-BCĐ:II.1")
    assert it["done_at_issue"] is True and it["milestones"][0]["done"] is True and it["milestones"][0]["kind"] == "done"


def test_export_is_deterministic_and_matches_the_library(exported: dict[str, Any]) -> None:
    again = json.loads(json.dumps(catalog_to_dict(load_catalog()), ensure_ascii=False))
    assert again == exported
    assert json.dumps(catalog_to_dict(load_catalog())) == json.dumps(catalog_to_dict(load_catalog()))


def test_unknown_format_fails_with_one_line(tmp_path: Path) -> None:
    result = run_cli("catalog", "export", "--format", "xml", cwd=tmp_path)
    assert result.returncode != 0
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "xml" in lines[0] and "json" in lines[0] and lines[0].startswith("dondoc: lỗi:")


def test_export_of_another_folder(tmp_path: Path) -> None:
    result = run_cli("catalog", "export", "--dir", str(MIN_CATALOG), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert [p["number"] for p in doc["plans"]] == ["99/KH-TEST"]
    assert [m["due"] for m in item(doc, "99/KH-TEST:II.1")["milestones"]] == ["2022-06-30", "2022-11-15"]
    assert item(doc, "99/KH-TEST:II.2")["milestones"][0]["kind"] == "condition"


def test_export_of_an_invalid_catalog_fails_with_one_line(tmp_path: Path) -> None:
    catalog = copy_catalog(tmp_path)
    edit(catalog, "plans/test-plan.yaml", "    lead: [vp-ubnd]", "    lead: [vp-ubn]")
    result = run_cli("catalog", "export", "--dir", str(catalog), cwd=tmp_path)
    assert result.returncode == 1 and result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1
    assert "catalog invalid" in result.stderr and "vp-ubn" in result.stderr


def test_provinces_are_exported(exported: dict[str, Any]) -> None:
    """A body's and a plan's province are part of the catalog (engine.provinces decides whom a plan's
    work goes to by them): the export says each, null for the committee's own province."""
    provinces = {a["code"]: a["province"] for a in exported["agencies"]}
    assert provinces["kt-vp-ubnd"] == "tỉnh Kon Tum"
    assert {p for code, p in provinces.items() if not code.startswith("kt-")} == {None}
    assert all("province" in p and p["province"] is None for p in exported["plans"])  # the five are the committee's
