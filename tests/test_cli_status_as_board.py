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


def test_status_by_agency_at_a_look_back_names_the_body_that_held_the_work_then(
    db_url: str, engine: Engine, tmp_path: Path
) -> None:
    """VP UBND renamed on 01/08/2022: ``dondoc status --by agency --now`` a day of July counted the open
    work passed on under the body of today (a row "vp-ubnd-moi", a body that did not exist yet; VP
    UBND left with the part it had done), where the board of that instant, and the periodic report
    of the first half (engine.reports.data._agencies), count it under VP UBND, which held it then."""
    from tests.support.successions import apply, at, load, succession_catalog, successions_yaml

    ok(dondoc(db_url, "db", "upgrade"))
    with Session(engine) as session:
        load(session, succession_catalog(tmp_path, successions_yaml("rename")), at("2022-03-02"))
        apply(session, at("2022-08-01", 0))
    july = "2022-07-15T09:00"
    with Session(engine) as session:
        instant = datetime.fromisoformat(july).replace(tzinfo=LOCAL_TZ)
        board = {r.code: r for r in board_summary(session, instant).agencies}
    assert "vp-ubnd-moi" not in board and sum(board["vp-ubnd"].counts.values()) > 0
    by_agency = json.loads(ok(dondoc(db_url, "status", "--by", "agency", "--json", now=july)))["rows"]
    assert {r["key"]: r["counts"] for r in by_agency} == {code: row.counts for code, row in board.items()}
    # at today's instant both read the body holding the work now
    today = json.loads(ok(dondoc(db_url, "status", "--by", "agency", "--json", now="2022-08-02T09:00")))["rows"]
    assert "vp-ubnd-moi" in {r["key"] for r in today}
