"""``dondoc status`` counts as the board does (issue 16's left-over): "Tổng số phần việc" is the
board's tile, without the cancelled parts; the later quarters' reports not given yet, which the
tile counts in "Chưa đến hạn" and the board's agency table and chart leave out, are said beside
that column, per agency as the board's rows count them. On SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import Session

from dondoc.engine.clock import LOCAL_TZ
from dondoc.engine.services.web_queries import board_summary
from dondoc.engine.status import Category
from tests.support.catalogs import report_catalog
from tests.support.cli import dondoc, ok

NOW = "2022-05-02T09:00"  # the first quarter's reports given; the second's, third's and fourth's not yet


def test_status_says_the_not_given_and_totals_as_the_board(db_url: str, engine: Engine, tmp_path: Path) -> None:
    ok(dondoc(db_url, "db", "upgrade"))
    ok(dondoc(db_url, "catalog", "load", "--dir", str(report_catalog(tmp_path)), now="2022-03-02"))
    listed = json.loads(ok(dondoc(db_url, "assignments", "list", "--json", now=NOW)))
    cancelled = next(r for r in listed if r["state"] in {"assigned", "in_progress"})
    comment = ["--comment", "Nhiệm vụ không còn phù hợp"]
    ok(dondoc(db_url, "assignments", "act", str(cancelled["id"]), "cancel", "--as", "secretariat", *comment, now=NOW))

    with Session(engine) as session:
        board = board_summary(session, datetime.fromisoformat(NOW).replace(tzinfo=LOCAL_TZ))
    rows = {r.code: r for r in board.agencies}
    assert sum(r.not_given for r in rows.values()) > 0 and board.totals[Category.CANCELLED.value] == 1

    by_agency = json.loads(ok(dondoc(db_url, "status", "--by", "agency", "--json", now=NOW)))["rows"]
    assert {r["key"] for r in by_agency} == set(rows)
    for row in by_agency:
        assert row["counts"] == rows[row["key"]].counts
        assert row["not_given"] == rows[row["key"]].not_given, row["key"]

    text = ok(dondoc(db_url, "status", now=NOW)).splitlines()
    headers = [h for h in text[0].split("  ") if h.strip()]
    values = dict(zip([h.strip() for h in headers], text[2].split(), strict=True))
    tile_total = board.total - board.totals[Category.CANCELLED.value]
    assert int(values["Tổng số phần việc"]) == tile_total
    assert int(values["Đã hủy"]) == 1
    not_given = sum(r.not_given for r in rows.values())
    assert int(values["Trong đó chưa giao"]) == not_given
    assert f'Cột "Chưa đến hạn" tính cả {not_given} phần việc chưa giao đến nay' in text[-1]
