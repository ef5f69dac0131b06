"""A copy of the minimal catalog with two items whose texts name nobody for a role."""

from __future__ import annotations

from pathlib import Path

from tests.support.catalogs import copy_catalog

ONLY_UNNAMED, WITH_PARTNER = "99/KH-TEST:II.8", "99/KH-TEST:II.9"

UNNAMED_ITEMS = """
  - code: "99/KH-TEST:II.8"
    section: "II.8"
    title: "Việc chưa rõ cơ quan"
    content: "Triển khai theo Công văn khác."
    source: "Mục II.8"
    roles_as_written: {lead: "Các cơ quan, đơn vị liên quan."}
    unnamed: [{role: lead, phrase: "Các cơ quan, đơn vị liên quan"}]
    deadline: "trước ngày 30/9/2022"
  - code: "99/KH-TEST:II.9"
    section: "II.9"
    title: "Việc có phối hợp chưa rõ"
    content: "Phối hợp triển khai."
    source: "Mục II.9"
    roles_as_written: {lead: "Sở TT&TT.", partners: "Sở Nội vụ và các cơ quan có liên quan."}
    lead: [so-tttt]
    partners: [so-noi-vu]
    unnamed: [{role: partner, phrase: "các cơ quan có liên quan"}]
    deadline: "trước ngày 31/10/2022"
"""


def unnamed_catalog(tmp_path: Path) -> Path:
    directory = copy_catalog(tmp_path)
    plan = next((directory / "plans").glob("*.yaml"))
    plan.write_text(plan.read_text(encoding="utf-8").rstrip("\n") + "\n" + UNNAMED_ITEMS, encoding="utf-8")
    return directory
