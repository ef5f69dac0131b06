"""The board's parts write a count of a thousand or more as Vietnamese does, "1.626", and keep the
plain integer in their attributes, which scripts and tests read: rendered from a context, without a
database (a province's 100 000 parts are what makes the numbers; the outbox's page is
tests/test_web_outbox_pages.py)."""

from __future__ import annotations

from datetime import UTC, datetime

from dondoc.engine.services.web_queries import AgencyRow, BoardSummary
from dondoc.engine.status import Category
from dondoc.web.templating import templates
from tests.support.web import shown_count

NOW = datetime(2022, 7, 12, 2, tzinfo=UTC)


def _summary() -> BoardSummary:
    totals = dict.fromkeys((c.value for c in Category), 0) | {"dang_thuc_hien_qua_han": 1626, "hoan_thanh_dung_han": 12}
    row = AgencyRow(
        code="so-noi-vu",
        name="Sở Nội vụ",
        counts=totals,
        assigned=12345,
        done_on_time=1200,
        done_late=7,
        overdue=1626,
        on_time_rate=1200 / 2000,
        rated_on_time=1200,
        rated_due=2000,
        unconfirmed=1001,
    )
    return BoardSummary(totals=totals, total=sum(totals.values()), agencies=[row])


def _render(name: str, **context: object) -> str:
    return templates.env.get_template(name).render(now=NOW, tracking_from=None, **context)


def test_the_tiles_and_the_agency_table_group_thousands_with_a_dot() -> None:
    tiles = _render("_counts.html", summary=_summary(), link=True, backlog_count=2048)
    assert 'data-category="dang_thuc_hien_qua_han">1.626</span>' in tiles
    assert 'data-category="total">1.638</span>' in tiles and "(phần chưa xong: 2.048," in tiles
    assert shown_count(tiles.split('data-category="total">', 1)[1].split("<", 1)[0]) == 1638
    table = _render("_agency_table.html", summary=_summary(), link=True, rate_unconfirmed="")
    assert '<td class="num">12.345</td><td class="num">1.200</td><td class="num">7</td>' in table
    assert 'late">1.626' in table and "60,0 %" in table and "(1.200/2.000)" in table
    assert 'data-rate="1200/2000"' in table  # the attribute stays the plain integers a script reads
    assert "+1.001 chưa xác nhận giao" in table


def test_the_backlog_and_the_overdue_lists_say_their_totals_with_a_dot() -> None:
    backlog = _render("_backlog.html", backlog_count=1626, backlog=[], base="/board")
    assert "Tồn đọng trước khi theo dõi <small>(1.626 phần việc, hiện 0 phần việc" in backlog
    overdue = _render("_overdue.html", overdue=[], overdue_total=12345, base="/board", ask=False, more="/x")
    assert "Danh sách trên có 0 trong tổng số 12.345 phần việc" in overdue and "Xem tất cả 12.345 phần việc" in overdue
