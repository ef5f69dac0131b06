"""The replay's summary compares the ladder on either side of the succession dates it crossed, not of
a reorganisation it never reached.

A replay of 10/02–03/03/2025 printed "Nhắc việc và chuyển cấp quanh ngày 01/07/2025: trước ngày
này … 4 thư gửi cơ quan …; từ ngày này 0 thư …": four months past its last day, as if the district
level's end had been replayed and had sent nothing."""

from __future__ import annotations

import json
from pathlib import Path

from tests.support.cli import dondoc, ok
from tests.support.successions import succession_catalog, successions_yaml

TWO = successions_yaml("rename", on="2022-08-01") + successions_yaml("dissolve", on="2022-10-01").removeprefix(
    "successions:\n"
)


def test_only_the_succession_dates_within_the_replay_are_compared(tmp_path: Path) -> None:
    catalog = succession_catalog(tmp_path, TWO)
    url = f"sqlite:///{tmp_path / 'replay.db'}"
    env = {
        "DONDOC_CATALOG_DIR": str(catalog),
        "DONDOC_MAILDROP_DIR": str(tmp_path / "maildrop"),
        "DONDOC_REPORTS_DIR": str(tmp_path / "reports"),
    }
    args = ("simulate", "--from", "2022-07-28", "--to", "2022-08-03", "--json")
    result = json.loads(ok(dondoc(url, *args, env=env, replay=False)))
    reorganisation = result["reorganisation"]
    assert reorganisation["transferred_total"] > 0  # the rename of 01/08 was crossed
    assert [side["date"] for side in reorganisation["ladder"]] == ["2022-08-01"]
