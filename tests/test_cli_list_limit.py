"""`dondoc assignments list --limit N` says that it printed only the first N parts of a longer list:
the 2022 replay's `--plan 04/KH-BCĐ --limit 40` had ended "40 phần việc" of a plan with 217."""

from __future__ import annotations

from sqlmodel import Session

from tests.factories import load_min_catalog
from tests.support.catalogs import MIN_CATALOG
from tests.support.cli import dondoc, ok
from tests.test_cli_says_what_pages_say import LOADED

NOW = "2022-03-02T10:00"


def _last(listed: str) -> str:
    return listed.strip().splitlines()[-1]


def test_a_list_cut_by_its_limit_says_so_and_a_whole_one_says_its_count(db_url: str, session: Session) -> None:
    load_min_catalog(session, LOADED, MIN_CATALOG)
    whole = ok(dondoc(db_url, "assignments", "list", now=NOW))
    count = int(_last(whole).split()[0])
    assert count > 2 and _last(whole) == f"{count} phần việc", whole
    cut = ok(dondoc(db_url, "assignments", "list", "--limit", "2", now=NOW))
    assert _last(cut) == "2 phần việc đầu tiên (--limit 2); danh sách còn phần việc khác, bỏ --limit để xem hết", cut
    exact = ok(dondoc(db_url, "assignments", "list", "--limit", str(count), now=NOW))
    assert _last(exact) == f"{count} phần việc", exact  # nothing left out: no word of a cut
