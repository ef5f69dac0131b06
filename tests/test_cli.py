"""The acceptance scenario, run as a user would: the ``dondoc`` command (in-process, through the
entry point; tests/test_cli_entry_point.py runs the installed script)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support.catalogs import MIN_CATALOG
from tests.support.cli import dondoc, ok

__all__ = ["dondoc", "ok"]  # older tests import them from here; new ones: tests.support.cli


def test_scripted_scenario(db_url: str) -> None:
    ok(dondoc(db_url, "db", "upgrade"))
    loaded = json.loads(ok(dondoc(db_url, "catalog", "load", "--dir", str(MIN_CATALOG), "--json", now="2022-03-02")))
    assert loaded["created"]["assignment"] == 14
    rows = json.loads(ok(dondoc(db_url, "assignments", "list", "--agency", "so-noi-vu", "--json", now="2022-03-02")))
    target = next(r for r in rows if r["item_code"] == "99/KH-TEST:II.1" and r["milestone_seq"] == 1)
    steps = [
        ("acknowledge", "so-noi-vu", []),
        ("report", "so-noi-vu", ["--comment", "Đã phê duyệt 12 hệ thống"]),
        ("return", "secretariat", ["--comment", "Thiếu quyết định phê duyệt"]),
        ("report", "so-noi-vu", ["--comment", "Đã bổ sung Quyết định phê duyệt"]),
        ("verify", "secretariat", []),
    ]
    for day, (action, actor, extra) in enumerate(steps, start=10):
        ok(dondoc(db_url, "assignments", "act", str(target["id"]), action, "--as", actor, *extra, now=f"2022-03-{day}"))

    illegal = dondoc(db_url, "assignments", "act", str(target["id"]), "report", "--as", "so-noi-vu", "--comment", "Lại")
    assert illegal.returncode != 0
    assert illegal.stdout == "" and len(illegal.stderr.strip().splitlines()) == 1
    assert '"Đã xác nhận": không thể "Báo cáo kết quả"' in illegal.stderr

    # the secretariat reads the history in Vietnamese (it read "at actor action from to comment", "assign")
    shown = ok(dondoc(db_url, "assignments", "show", str(target["id"])))
    assert "Thời điểm" in shown and "Người thực hiện" in shown and "Danh mục văn bản" in shown
    assert "Giao nhiệm vụ" in shown and "Trả lại báo cáo" in shown and "Đã xác nhận" in shown
    assert "vai trò: Thực hiện" in shown and not {"actor", "assign", "verified", "mails"} & set(shown.split())
    detail = json.loads(ok(dondoc(db_url, "assignments", "show", str(target["id"]), "--json")))
    actions = [(e["action"], e["actor"], e["to_state"]) for e in detail["history"]]
    assert actions[0] == ("assign", "catalog", "assigned")
    assert actions[1:] == [
        (a, who, to)
        for (a, who, _), to in zip(
            steps, ["in_progress", "reported", "in_progress", "reported", "verified"], strict=True
        )
    ]
    assert detail["category"] == "hoan_thanh_dung_han"

    status = json.loads(ok(dondoc(db_url, "status", "--json", now="2022-07-01")))
    assert status["rows"][0]["total"] == 14
    before = ok(dondoc(db_url, "assignments", "list", "--json", now="2022-07-01"))
    again = json.loads(ok(dondoc(db_url, "catalog", "load", "--dir", str(MIN_CATALOG), "--json", now="2022-07-01")))
    assert again["created"] == {} and again["updated"] == {}
    assert ok(dondoc(db_url, "assignments", "list", "--json", now="2022-07-01")) == before
    detail_again = json.loads(ok(dondoc(db_url, "assignments", "show", str(target["id"]), "--json")))
    assert detail_again["history"] == detail["history"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["assignments", "show", "4242"], "Không tìm thấy phần việc 4242"),
        (["assignments", "act", "1", "fly", "--as", "secretariat"], 'Không có thao tác "fly"'),
        (["assignments", "act", "1", "extend", "--as", "secretariat", "--due", "30/6/2022"], "không phải là một ngày"),
        (["assignments", "list", "--status", "late"], 'Không có trạng thái "late"'),
        (["--now", "hôm qua", "status"], "không phải một ngày hoặc thời điểm ISO"),
        (["--now", "9999-12-31", "sweep"], "nằm ngoài khoảng năm 1900–2100"),
        (["status", "--by", "district"], "không phải agency, plan hay item"),
    ],
)
def test_errors_are_one_line(db_url: str, args: list[str], message: str) -> None:
    ok(dondoc(db_url, "db", "upgrade"))
    ok(dondoc(db_url, "catalog", "load", "--dir", str(MIN_CATALOG)))
    result = dondoc(db_url, *args)
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], result.stderr


def test_database_not_upgraded_is_explained(tmp_path: Path) -> None:
    result = dondoc(f"sqlite:///{tmp_path / 'empty.db'}", "status")
    assert result.returncode == 1
    assert "dondoc db upgrade" in result.stderr and len(result.stderr.strip().splitlines()) == 1
