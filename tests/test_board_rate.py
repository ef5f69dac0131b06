"""The board's on-time rate is the rates' rate (engine.reports.counted: one rule of what a rate
counts), for the same scope at the same instant: every body's work due by the board's instant, all
roles, its tasks (the periodic reports' timeliness apart, as every rate has it). Its columns stay the
Government Office's categories: a part done with no date stands under "Hoàn thành đúng hạn" there,
and a same-work copy under each of its documents; neither is in the rate."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from pathlib import Path

from sqlmodel import Session

from dondoc.engine.clock import LOCAL_TZ, LocalDays
from dondoc.engine.reports.rates import AgencyRates, agency_rates
from dondoc.engine.services.tracking import set_tracking_start
from dondoc.engine.services.web_queries import board_summary
from dondoc.engine.vi_format import percent_tenths, vn_percent
from tests.factories import load_min_catalog
from tests.support.catalogs import copy_catalog, edit
from tests.support.web import WebEnv
from tests.test_rates_counted import COPY_PLAN, PLAN, _report

LOCAL = LocalDays(LOCAL_TZ)
EVER = date(1990, 1, 1)  # before any work: the board's rate reads every part due by its instant


def _rates(session: Session, now: datetime) -> dict[str, AgencyRates]:
    found = agency_rates(session, start=EVER, end=LOCAL.local_date(now), now=now, local=LOCAL)
    return {r.agency_code: r for r in found}


def _held_to_the_rates(session: Session, now: datetime) -> dict[str, tuple[int, int]]:
    """Each board line's rate, checked against the rates' for the same scope and instant; the counts."""
    rates = _rates(session, now)
    board = board_summary(session, now)
    for row in board.agencies:
        assert row.on_time_rate == rates[row.code].on_time_rate, row.code
        assert (row.rated_on_time, row.rated_due) == (rates[row.code].tasks_on_time, rates[row.code].tasks_due)
    one = board_summary(session, now, agency_id=None)
    assert one == board
    return {r.code: (r.rated_on_time, r.rated_due) for r in board.agencies}


def test_the_boards_rate_is_the_rates_rate_a_part_with_no_date_and_a_copy_apart(
    session: Session, tmp_path: Path
) -> None:
    """vp-ubnd's II.2 has no date and is done: "Hoàn thành đúng hạn" on the board, in no rate; so-tttt's
    98/TB-TEST:1 is the same work as 99/KH-TEST:II.1, done under both: one piece of work in the rate.
    The board's line had read 100 % (2/2) for vp-ubnd beside the ranking's "—"."""
    catalog = copy_catalog(tmp_path)
    (catalog / "plans" / "copy-plan.yaml").write_text(COPY_PLAN, encoding="utf-8")
    load_min_catalog(session, datetime(2022, 3, 2, 8, 0, tzinfo=LOCAL_TZ), catalog)  # no tracking start
    _report(session, "99/KH-TEST:II.2", "vp-ubnd", datetime(2022, 6, 1, 9, 0, tzinfo=LOCAL_TZ))
    _report(session, "99/KH-TEST:II.1", "so-tttt", datetime(2022, 6, 1, 10, 0, tzinfo=LOCAL_TZ))
    _report(session, "99/KH-TEST:II.1", "so-tttt", datetime(2022, 6, 2, 10, 0, tzinfo=LOCAL_TZ), seq=2)
    now = datetime(2022, 7, 20, 9, 0, tzinfo=LOCAL_TZ)
    board = {r.code: r for r in board_summary(session, now).agencies}
    # the columns are the Government Office's categories, as they were: the undated part and the copy in them
    assert board["vp-ubnd"].done_on_time >= 1 and board["so-tttt"].done_on_time >= 3
    counts = _held_to_the_rates(session, now)
    assert counts["so-tttt"][0] == _rates(session, now)["so-tttt"].tasks_on_time
    # and at a past instant the board is read at (a look-back), the rates' figure of that instant
    _held_to_the_rates(session, datetime(2022, 6, 1, 12, 0, tzinfo=LOCAL_TZ))
    _held_to_the_rates(session, datetime(2022, 3, 2, 9, 0, tzinfo=LOCAL_TZ))


def test_the_boards_rate_leaves_out_work_due_before_the_tracking_start_whatever_its_plan(
    session: Session, tmp_path: Path
) -> None:
    """04/KH-BCĐ, issued 10/03/2022 after the tracking start (01/03), its items due 28/02 and done by
    then: chased like any other, so not "trước khi theo dõi" on the board, and in no rate."""
    catalog = copy_catalog(tmp_path)
    edit(catalog, PLAN, "issued: 2022-03-01", "issued: 2022-03-10")
    load_min_catalog(session, datetime(2022, 3, 10, 8, 0, tzinfo=LOCAL_TZ), catalog)
    set_tracking_start(session, date(2022, 3, 1))
    session.commit()
    now = datetime(2022, 3, 25, 7, 0, tzinfo=LOCAL_TZ)
    assert {r.code: r for r in board_summary(session, now).agencies}["so-tttt"].done_on_time >= 1
    assert _held_to_the_rates(session, now)["so-tttt"] == (0, 0)
    _held_to_the_rates(session, datetime(2022, 12, 31, 7, 0, tzinfo=LOCAL_TZ))


def test_the_board_page_its_export_and_the_api_show_the_rates_rate_and_say_which_is_which(web: WebEnv) -> None:
    """The table's cell, the export's and the API's rate are the one figure, with the counts it rests
    on; the note under the table says the columns are the categories and the rate is the rates'."""
    with Session(web.engine) as session:
        _report(session, "99/KH-TEST:II.2", "vp-ubnd", datetime(2022, 6, 1, 9, 0, tzinfo=LOCAL_TZ))  # done, no date
    now = datetime(2022, 7, 20, 9, 0, tzinfo=LOCAL_TZ)
    web.clock.set(now)
    with Session(web.engine) as session:
        rates = _rates(session, now)
    expected = rates["vp-ubnd"]
    web.login()
    page = web.client.get("/board").text
    row = page.split('<tr data-agency="vp-ubnd">', 1)[1].split("</tr>", 1)[0]
    assert f'data-rate="{expected.tasks_on_time}/{expected.tasks_due}"' in row
    assert vn_percent(expected.on_time_rate) in row
    note = page.split('id="rate-note">', 1)[1].split("</p>", 1)[0]
    assert "không phải là cột" in note and "không có thời hạn" in note and "chỉ tính một lần" in note
    exported = list(csv.reader(io.StringIO(web.client.get("/board/export.csv").content.decode("utf-8-sig"))))
    line = next(r for r in exported if r[0] == "vp-ubnd")
    rate = "" if expected.on_time_rate is None else str(float(percent_tenths(expected.on_time_rate)))
    assert line[-4:] == [rate, str(expected.tasks_due), str(expected.tasks_on_time), str(expected.tasks_unconfirmed)]
    api = web.client.get("/api/v1/board", headers=web.api_token("secretariat")).json()
    told = next(r for r in api["agencies"] if r["code"] == "vp-ubnd")
    assert (told["on_time_rate"], told["rated_on_time"], told["rated_due"]) == (
        expected.on_time_rate,
        expected.tasks_on_time,
        expected.tasks_due,
    )


def test_the_boards_rate_at_an_earlier_instant_counts_work_cancelled_since(session: Session, tmp_path: Path) -> None:
    """Read at an instant before the secretariat cancelled a part that was late then, the board's rate
    counts the part as it stood, as the rates do (the board read at 20/07 said what it said then);
    a part cancelled by the instant is in neither."""
    from dondoc.engine.actors import Actor
    from dondoc.engine.services.assignments import Request, act
    from dondoc.engine.workflow import Action
    from tests.factories import assignment_for

    load_min_catalog(session, datetime(2022, 3, 2, 8, 0, tzinfo=LOCAL_TZ), copy_catalog(tmp_path))
    july = datetime(2022, 7, 20, 9, 0, tzinfo=LOCAL_TZ)
    before = _held_to_the_rates(session, july)
    assert before["vp-ubnd"] == (1, 2)  # II.3 done at issue; II.1's first milestone, due 30/06, open: late
    late = assignment_for(session, "99/KH-TEST:II.1", "vp-ubnd", 1).id or 0
    cancel = Request(Action.CANCEL, Actor.parse("secretariat"), comment="Kế hoạch điều chỉnh.")
    act(session, late, cancel, now=datetime(2022, 8, 1, 9, 0, tzinfo=LOCAL_TZ))
    session.commit()
    assert _held_to_the_rates(session, july) == before
    assert _held_to_the_rates(session, datetime(2022, 8, 2, 9, 0, tzinfo=LOCAL_TZ))["vp-ubnd"] == (1, 1)
